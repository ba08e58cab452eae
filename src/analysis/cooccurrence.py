"""Which terms occur together: co-occurrence edges, partners, networks, period differences.

Counting is done with sparse matrices. For the sentence, paragraph and document
contexts a binary context x term incidence matrix ``X`` is built and ``X.T @ X``
gives, for every pair of terms, the number of contexts containing both. For the
window context the pairs of token positions at most ``window`` tokens apart in
the same sentence are enumerated shift by shift with numpy arrays.

Measures (``f`` are frequencies, ``N`` the total, logs base 2)::

    pmi      = log2(f(ab) N / (f(a) f(b)))
    npmi     = pmi / -log2(f(ab) / N)           (1 when f(ab) = N; -1 when f(ab) = 0)
    log_dice = 14 + log2(2 f(ab) / (f(a) + f(b)))
    jaccard  = f(ab) / (f(a) + f(b) - f(ab))

For sentence/paragraph/document contexts ``f(a)`` is the number of contexts
containing a, ``f(ab)`` the number containing both and ``N`` the number of
contexts. For the window context they come from the symmetric matrix ``M`` of
co-occurring position pairs (``M[a, b]`` counts the pairs of positions, in
either order, holding a and b): ``f(ab) = M[a, b]``, ``f(a)`` the row sum of
``M`` and ``N`` the sum of ``M``. Either way ``f(ab) <= min(f(a), f(b))``, so
NPMI stays in [-1, 1] and Jaccard in [0, 1].
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from .periods import attach_groups, choose_period, describe_periods, split_periods
from .textstat import association
from .tokens import in_document_order, token_codes
from .validation import InputError, check_choice, check_int, check_tokens, empty_table, require_columns

if TYPE_CHECKING:
    import networkx as nx

CONTEXT_UNITS = {"sentence": "sent_id", "paragraph": "para_id", "document": None, "window": "sent_id"}
MEASURES = ("pmi", "npmi", "log_dice", "jaccard")
EDGE_COLUMNS = ["term_a", "term_b", "count", *MEASURES]
PARTNER_COLUMNS = ["term", "count", *MEASURES]
STATUS_ORDER = ("appeared", "vanished", "changed")


@dataclass(eq=False)
class CooccurrenceCounts:
    """What :func:`cooccurrence` and :func:`partners` count from, for one token table and context.

    Made by :func:`count_cooccurrences`. Counting a large token table is the
    costly step, and each edge table or partner list reads it in a fraction of
    that time: pass one counts object to several calls instead of the token
    table each time.

    Attributes
    ----------
    vocabulary : numpy.ndarray
        The terms in code-point order (a term's code is its position).
    frequency : numpy.ndarray
        Tokens per term (chooses the ``n`` most frequent terms).
    marginal : numpy.ndarray
        ``f(a)`` of the measures: contexts holding each term, or its position pairs for the window context.
    total : int
        ``N`` of the measures.
    context : str
        ``"sentence"``, ``"paragraph"``, ``"document"`` or ``"window"``.
    window : int
        The window size (0 unless ``context="window"``).
    """

    vocabulary: np.ndarray  # sorted terms (code-point order), index = term code
    frequency: np.ndarray  # tokens per term, for choosing the top-N terms
    marginal: np.ndarray  # f(a) used by the measures
    total: int  # N used by the measures
    context: str
    incidence: sparse.csc_matrix | None = None  # contexts x terms, binary
    term_codes: np.ndarray | None = None  # window context: term code per position
    unit_codes: np.ndarray | None = None  # window context: sentence code per position
    window: int = 0

    def index_of(self, terms) -> tuple[np.ndarray, list[str]]:
        """Sorted vocabulary codes of the terms found, and the terms not found."""
        terms = [terms] if isinstance(terms, str) else list(terms)
        positions = pd.Index(self.vocabulary).get_indexer(terms) if terms else np.array([], dtype=np.int64)
        missing = [term for term, position in zip(terms, positions) if position < 0]
        return np.unique(positions[positions >= 0]), missing

    def pairs(self, rows: np.ndarray, columns: np.ndarray) -> sparse.csr_matrix:
        """Pair counts f(ab) for a in ``rows`` and b in ``columns`` (vocabulary codes)."""
        if self.incidence is not None:
            # The incidence holds int32 ones; counts are int64 whatever it holds.
            left = self.incidence[:, rows].astype(np.int64)
            right = self.incidence[:, columns].astype(np.int64)
            return (left.T @ right).tocsr()
        size = len(self.vocabulary)
        row_position = np.full(size, -1)
        row_position[rows] = np.arange(len(rows))
        column_position = np.full(size, -1)
        column_position[columns] = np.arange(len(columns))
        found_rows, found_columns = [], []
        for left, right in self._window_pairs():
            # Each position pair is counted in both orders, which makes M symmetric.
            for a, b in ((left, right), (right, left)):
                keep = (row_position[a] >= 0) & (column_position[b] >= 0)
                found_rows.append(row_position[a[keep]])
                found_columns.append(column_position[b[keep]])
        found_rows = np.concatenate(found_rows) if found_rows else np.array([], int)
        found_columns = np.concatenate(found_columns) if found_columns else np.array([], int)
        counts = np.ones(len(found_rows), dtype=np.int64)
        return sparse.csr_matrix((counts, (found_rows, found_columns)), shape=(len(rows), len(columns)))

    def _window_pairs(self):
        for shift in range(1, self.window + 1):
            same_sentence = self.unit_codes[:-shift] == self.unit_codes[shift:]
            yield self.term_codes[:-shift][same_sentence], self.term_codes[shift:][same_sentence]


def _contexts_in_runs(table: pd.DataFrame, unit: str | None) -> np.ndarray | None:
    """Context numbers in order of first appearance, when each context's tokens stand together; else None.

    ``tokenize`` gives tokens document by document, sentence by sentence: the
    contexts are then the runs of equal (doc_id, unit), numbered as
    ``groupby(sort=False).ngroup()`` numbers them, at the cost of a few
    integer arrays instead of grouping millions of strings.
    """
    documents, _ = pd.factorize(table["doc_id"], use_na_sentinel=True)
    if len(documents) == 0 or documents.min() < 0:
        return None
    new_document = documents[1:] != documents[:-1]
    # Numbered in order of first appearance, documents stand together exactly when their numbers never fall.
    if (documents[1:] < documents[:-1]).any():
        return None
    starts = new_document
    if unit is not None:
        units = table[unit].to_numpy()
        if units.dtype.kind not in "iu":
            return None
        same_document = ~new_document
        if (same_document & (units[1:] < units[:-1])).any():
            return None
        starts = new_document | (units[1:] != units[:-1])
    codes = np.zeros(len(documents), dtype=np.int32 if len(documents) < 2**31 else np.int64)
    np.cumsum(starts, out=codes[1:])
    return codes


def _count(tokens: pd.DataFrame, *, context: str, window: int) -> CooccurrenceCounts:
    if context not in CONTEXT_UNITS:
        raise ValueError(f"context must be one of {list(CONTEXT_UNITS)}, got {context!r}")
    if context == "window" and (int(window) != window or window < 1):
        raise ValueError(f"window must be a positive number of tokens, got {window!r}")
    unit = CONTEXT_UNITS[context]
    check_tokens(tokens, ["doc_id", "token"] + ([unit] if unit else []))
    table = in_document_order(tokens) if context == "window" else tokens.reset_index(drop=True)
    # Code-point order whatever the column's categories say: term_a < term_b reads as the terms do.
    term_codes, vocabulary = token_codes(table, used_only=True)
    size = len(vocabulary)
    frequency = np.bincount(term_codes, minlength=size)
    keys = ["doc_id"] + ([unit] if unit else [])
    unit_codes = _contexts_in_runs(table, unit)
    in_runs = unit_codes is not None
    if not in_runs:
        unit_codes = table.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    if context != "window":
        n_contexts = int(unit_codes.max()) + 1 if len(unit_codes) else 0
        if in_runs:
            # Tokens already stand context by context: the rows of the matrix
            # are built in place, without the coordinate lists' three copies.
            # Turned into columns, a term's contexts come out in order, so its
            # repeats are merged in one pass, without sorting every sentence.
            indptr = np.zeros(n_contexts + 1, dtype=np.int64)
            np.cumsum(np.bincount(unit_codes, minlength=n_contexts), out=indptr[1:])
            incidence = sparse.csr_matrix(
                (np.ones(len(term_codes), dtype=np.int32), term_codes.astype(np.int32), indptr), shape=(n_contexts, size)
            ).tocsc()
            incidence.sum_duplicates()
        else:
            incidence = sparse.csr_matrix(
                (np.ones(len(term_codes), dtype=np.int32), (unit_codes, term_codes)), shape=(n_contexts, size)
            ).tocsc()
        incidence.data[:] = 1  # a term repeated in a context still counts one context
        marginal = np.asarray(incidence.sum(axis=0)).ravel()
        return CooccurrenceCounts(vocabulary, frequency, marginal, n_contexts, context, incidence=incidence)
    counts = CooccurrenceCounts(
        vocabulary, frequency, np.zeros(size, np.int64), 0, context,
        term_codes=term_codes, unit_codes=unit_codes, window=int(window),
    )
    for left, right in counts._window_pairs():
        counts.marginal += np.bincount(left, minlength=size) + np.bincount(right, minlength=size)
        counts.total += 2 * len(left)
    return counts


def _select(counts: CooccurrenceCounts, *, n, terms) -> np.ndarray:
    if terms is not None:
        selected, missing = counts.index_of(terms)
        if missing:
            warnings.warn(f"terms not found in the tokens, so without edges: {missing}", stacklevel=3)
        return selected
    if n is None:
        return np.arange(len(counts.vocabulary))
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer or None, got {n!r}")
    # Most frequent first; lexsort's last key is primary and codes follow term order.
    order = np.lexsort((np.arange(len(counts.vocabulary)), -counts.frequency))
    return np.sort(order[: int(n)])


def _edges(counts: CooccurrenceCounts, selected: np.ndarray, *, min_count: int) -> pd.DataFrame:
    pair_counts = sparse.triu(counts.pairs(selected, selected), k=1).tocoo()
    keep = pair_counts.data >= min_count
    # Codes are in term order, so row < column gives term_a < term_b.
    a = selected[pair_counts.row[keep]]
    b = selected[pair_counts.col[keep]]
    count = pair_counts.data[keep].astype(np.int64)
    measures = association(count, counts.marginal[a], counts.marginal[b], counts.total)
    edges = pd.DataFrame({"term_a": counts.vocabulary[a], "term_b": counts.vocabulary[b], "count": count, **measures})
    edges = edges.astype({"term_a": "str", "term_b": "str"})
    edges = edges.sort_values(["count", "term_a", "term_b"], ascending=[False, True, True], kind="stable")
    return edges.reset_index(drop=True)[EDGE_COLUMNS]


def count_cooccurrences(tokens: pd.DataFrame, *, context: str = "sentence", window: int = 5) -> CooccurrenceCounts:
    """Count a token table once for several edge tables and partner lists.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table, as for :func:`cooccurrence`.
    context, window : see :func:`cooccurrence`.

    Returns
    -------
    CooccurrenceCounts
        Pass it to :func:`cooccurrence` or :func:`partners` in place of the
        token table: the tables are the same as from the token table itself.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 5, "sent_id": [0, 0, 0, 1, 1],
    ...                        "token": ["六稳", "六保", "工作", "六稳", "六保"]})
    >>> counts = count_cooccurrences(tokens)
    >>> cooccurrence(counts, n=2)["count"].tolist(), partners(counts, "六稳")["term"].tolist()
    ([2], ['六保', '工作'])
    """
    return _count(tokens, context=context, window=window)


def _counts_of(tokens, *, context: str | None, window: int | None) -> CooccurrenceCounts:
    """The counts of a token table, or the counts given, which must be of the context asked for."""
    if isinstance(tokens, CooccurrenceCounts):
        if context is not None and context != tokens.context:
            raise InputError(f"context={context!r} was asked for, but the counts are of context {tokens.context!r}")
        if window is not None and tokens.context == "window" and int(window) != tokens.window:
            raise InputError(f"window={window!r} was asked for, but the counts are of window {tokens.window}")
        return tokens
    return _count(tokens, context="sentence" if context is None else context, window=5 if window is None else window)


def cooccurrence(
    tokens: pd.DataFrame,
    *,
    context: str | None = None,
    window: int | None = None,
    n: int | None = 50,
    terms=None,
    min_count: int = 2,
) -> pd.DataFrame:
    """Co-occurrence edges between frequent (or chosen) terms.

    Parameters
    ----------
    tokens : pandas.DataFrame or CooccurrenceCounts
        Token table with ``doc_id``, ``token`` and, depending on the context,
        ``sent_id``, ``para_id`` and ``start`` (to restore text order); or
        its counts from :func:`count_cooccurrences`, counted once for
        several calls.
    context : {"sentence", "paragraph", "document", "window"}, default "sentence"
        What "together" means: in the same unit, or at most ``window`` tokens
        apart inside one sentence. With counts, their own context (giving
        another raises).
    window : int, default 5
        Largest distance, in kept tokens, for ``context="window"``.
    n : int or None, default 50
        Restrict the edges to the ``n`` most frequent terms (by token
        count, ties by term); None keeps every term. Ignored when ``terms`` is
        given.
    terms : str or list of str, optional
        Restrict the edges to these terms; absent ones raise a warning.
    min_count : int, default 2
        Drop edges seen fewer times.

    Returns
    -------
    pandas.DataFrame
        One row per unordered edge with ``term_a < term_b``: ``term_a``,
        ``term_b``, ``count`` (contexts holding both, or position pairs for the
        window context), ``pmi``, ``npmi``, ``log_dice``, ``jaccard`` (see the
        module docstring). The marginals count every token, not only the
        selected terms. Sorted by ``count`` descending, then the terms.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 4, "sent_id": [0, 0, 1, 1],
    ...                        "token": ["六稳", "六保", "六稳", "六保"]})
    >>> cooccurrence(tokens)[["term_a", "term_b", "count", "npmi"]].to_dict("records")
    [{'term_a': '六保', 'term_b': '六稳', 'count': 2, 'npmi': 1.0}]
    """
    min_count = check_int(min_count, name="min_count")
    counts = _counts_of(tokens, context=context, window=window)
    return _edges(counts, _select(counts, n=n, terms=terms), min_count=min_count)


def partners(
    tokens: pd.DataFrame,
    term: str | None,
    *,
    context: str | None = None,
    window: int | None = None,
    min_count: int = 1,
    min_chars: int = 2,
    measure: str = "npmi",
    missing: str = "raise",
) -> pd.DataFrame:
    """Every term that co-occurs with ``term``, however rare.

    Parameters
    ----------
    tokens : pandas.DataFrame or CooccurrenceCounts
        Token table or its counts, as for :func:`cooccurrence`.
    term : str
        The term whose partners are wanted; it must occur in ``tokens``.
    context, window : see :func:`cooccurrence`.
    min_count : int, default 1
        Drop partners seen together fewer times.
    min_chars : int, default 2
        Drop partners shorter than this: single characters left by the
        segmenter (量 of 和量, 张 of a name) are fragments, not company.
        1 keeps them. For names, pass the tokens through
        :func:`analysis.tokens.content_tokens` first.
    measure : {"npmi", "log_dice", "pmi", "jaccard", "count"}, default "npmi"
        The order of the table. ``npmi`` puts the most exclusive company first,
        even pairs seen twice; ``log_dice`` (the lexicographers' choice) rises
        with both the count together and exclusiveness, so a slogan mentioned
        hundreds of times is led by partners it has many times rather than by
        words it met twice.
    missing : {"raise", "empty"}, default "raise"
        What to do when ``term`` is None or does not occur: raise, or return
        an empty table (same columns) whose ``attrs["note"]`` says why, e.g.
        for a corpus in which no slogan occurs.

    Returns
    -------
    pandas.DataFrame
        ``term`` (the partner), ``count``, ``pmi``, ``npmi``, ``log_dice``,
        ``jaccard``, sorted by ``measure`` descending, then ``count``
        descending, then term. ``attrs["note"]`` names the term and context.

    Raises
    ------
    ValueError
        ``term`` does not occur in ``tokens`` (with ``missing="raise"``).

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 5, "sent_id": [0, 0, 0, 1, 1],
    ...                        "token": ["六稳", "六保", "工作", "六稳", "六保"]})
    >>> partners(tokens, "六稳")[["term", "count"]].to_dict("records")
    [{'term': '六保', 'count': 2}, {'term': '工作', 'count': 1}]
    """
    min_count = check_int(min_count, name="min_count")
    if not isinstance(min_chars, int) or isinstance(min_chars, bool) or min_chars < 1:
        raise ValueError(f"min_chars must be a whole number >= 1, got {min_chars!r}")
    measure = check_choice(measure, (*MEASURES, "count"), name="measure")
    if missing not in ("raise", "empty"):
        raise ValueError(f"missing must be 'raise' or 'empty', got {missing!r}")
    if term is None and missing == "empty":
        return _no_partners("No term was given (e.g. no slogan of the lexicon occurs in the corpus).")
    if not isinstance(term, str):
        raise TypeError(f"term must be a string, got {type(term).__name__}")
    counts = _counts_of(tokens, context=context, window=window)
    context, window = counts.context, counts.window
    found, absent = counts.index_of(term)
    if absent:
        if missing == "empty":
            return _no_partners(f"{term!r} does not occur in the tokens.")
        raise ValueError(f"term {term!r} does not occur in the tokens (check the segmentation dictionary)")
    everything = np.arange(len(counts.vocabulary))
    row = counts.pairs(found, everything).tocoo()
    keep = (row.col != found[0]) & (row.data >= min_count)
    others = row.col[keep]
    count = row.data[keep].astype(np.int64)
    measures = association(count, counts.marginal[found[0]], counts.marginal[others], counts.total)
    table = pd.DataFrame({"term": counts.vocabulary[others], "count": count, **measures})
    table = table.astype({"term": "str"})
    table = table[table["term"].str.len() >= min_chars]
    order = list(dict.fromkeys([measure, "count", "term"]))
    table = table.sort_values(order, ascending=[False] * (len(order) - 1) + [True], kind="stable")
    table = table.reset_index(drop=True)[PARTNER_COLUMNS]
    table.attrs["note"] = f"Partners of {term!r} by {context}" + (f" (window {window})" if context == "window" else "") + "."
    return table


def _no_partners(note: str) -> pd.DataFrame:
    return empty_table({"term": "str", "count": "int64"} | dict.fromkeys(MEASURES, "float64"), note=note)


def cooccurrence_network(edges: pd.DataFrame, *, measure: str = "npmi", top_edges: int = 100) -> nx.Graph:
    """A graph of the strongest positive associations, with communities.

    Parameters
    ----------
    edges : pandas.DataFrame
        An edge table from :func:`cooccurrence`.
    measure : {"npmi", "pmi", "log_dice", "jaccard", "count"}, default "npmi"
        The edge strength: edges are ranked by it and it becomes the ``weight``
        attribute. Edges where it is not positive (pairs rarer than chance)
        are left out: they are not links.
    top_edges : int, default 100
        Keep this many of the strongest edges (ties by ``count``, then terms).

    Returns
    -------
    networkx.Graph
        Nodes are terms with a ``community`` attribute (0 = the largest
        community; found by greedy modularity maximisation on ``weight``,
        which is deterministic); edges carry ``weight`` and every column of
        ``edges``. ``graph.graph["measure"]`` names the measure.

    Examples
    --------
    >>> edges = pd.DataFrame({"term_a": ["六保"], "term_b": ["六稳"], "count": [3],
    ...                       "pmi": [1.0], "npmi": [0.8], "log_dice": [13.5], "jaccard": [0.7]})
    >>> graph = cooccurrence_network(edges)
    >>> sorted(graph.nodes), graph["六保"]["六稳"]["weight"]
    (['六保', '六稳'], 0.8)
    """
    if measure not in (*MEASURES, "count"):
        raise ValueError(f"measure must be one of {[*MEASURES, 'count']}, got {measure!r}")
    if int(top_edges) != top_edges or top_edges < 1:
        raise ValueError(f"top_edges must be a positive integer, got {top_edges!r}")
    require_columns(edges, ["term_a", "term_b", measure], name="edges")
    duplicated = edges.duplicated(["term_a", "term_b"])
    if duplicated.any():
        row = edges[duplicated].iloc[0]
        raise ValueError(f"edges lists the pair ({row['term_a']!r}, {row['term_b']!r}) more than once")
    strongest = edges[edges[measure] > 0]
    sort_columns = [measure] + (["count"] if "count" in edges.columns and measure != "count" else [])
    strongest = strongest.sort_values(
        sort_columns + ["term_a", "term_b"],
        ascending=[False] * len(sort_columns) + [True, True],
        kind="stable",
    ).head(int(top_edges))
    strongest = strongest.assign(weight=strongest[measure].astype(float))
    import networkx as nx  # only networks need it; co-occurrence counts do not

    graph = nx.from_pandas_edgelist(strongest, "term_a", "term_b", edge_attr=True)
    graph.graph["measure"] = measure
    if graph.number_of_edges():
        communities = nx.community.greedy_modularity_communities(graph, weight="weight")
        communities = sorted(communities, key=lambda members: (-len(members), min(members)))
        for number, members in enumerate(communities):
            for node in members:
                graph.nodes[node]["community"] = number
    return graph


def _period_values(period) -> list:
    if isinstance(period, (str, bytes)) or not np.iterable(period):
        return [period]
    return list(period)


def compare_periods(
    tokens: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    *,
    period_a=None,
    period_b=None,
    by: str | None = "year",
    context: str = "sentence",
    window: int = 5,
    n: int | None = 50,
    terms=None,
    min_count: int = 2,
    measure: str = "npmi",
) -> pd.DataFrame:
    """Edges that appear, vanish or change most between two periods.

    Both periods are counted over the same terms: the ``n`` most frequent
    in the two periods together, or ``terms``.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table, as for :func:`cooccurrence`.
    corpus : pandas.DataFrame, optional
        Corpus table supplying the ``by`` column when ``tokens`` lacks it
        (``"year"`` and ``"month"`` can be derived from its ``date``).
    period_a, period_b : scalar or list, optional
        The value(s) of ``by`` making up each period, e.g. ``2019`` or
        ``[2021, 2022]``. The periods must not overlap. When both are None,
        :func:`analysis.periods.split_periods` splits the dated range in two halves.
    by : str or None, default "year"
        The period column (or a period unit derived from the corpus dates);
        None lets :func:`analysis.periods.choose_period` pick the unit.
    context, window, n, terms : see :func:`cooccurrence`.
    min_count : int, default 2
        Keep edges reaching this count in at least one period.
    measure : {"npmi", "pmi", "log_dice", "jaccard"}, default "npmi"
        The measure compared.

    Returns
    -------
    pandas.DataFrame
        ``term_a``, ``term_b``, ``status`` (``"appeared"``: absent in period
        a; ``"vanished"``: absent in period b; ``"changed"``: in both),
        ``count_a``, ``count_b``, ``<measure>_a``, ``<measure>_b`` (missing
        where the edge is absent) and ``change`` (``<measure>_b -
        <measure>_a``, missing unless changed). Sorted appeared, vanished,
        changed; within these by the count in the period holding the edge, or
        by the size of the change; then by the terms. ``attrs["note"]``
        says which periods were compared; ``attrs["period_a"]`` and
        ``attrs["period_b"]`` list them. With default periods and fewer than
        two dated periods the table is empty and the note says why.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 0, 0, 0],
    ...                        "token": ["六稳", "六保", "六稳", "发展"], "year": [2021, 2021, 2023, 2023]})
    >>> compare_periods(tokens, period_a=2021, period_b=2023, min_count=1)["status"].tolist()
    ['appeared', 'vanished']
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    min_count = check_int(min_count, name="min_count")
    check_tokens(tokens, ["doc_id", "token"])
    columns = ["term_a", "term_b", "status", "count_a", "count_b", f"{measure}_a", f"{measure}_b", "change"]
    if (period_a is None) != (period_b is None):
        raise ValueError("give both period_a and period_b, or neither to split the dated range in two halves")
    if by is None and corpus is not None:
        by = choose_period(corpus)
    if by is None:
        return _no_comparison(columns, by)
    if not isinstance(by, str):
        raise InputError(f"by must be one column name, got {by!r}")
    periods = attach_groups(tokens, [by], corpus)[by]
    if period_a is None:
        chosen = split_periods(periods)
        if chosen is None:
            return _no_comparison(columns, by)
        period_a, period_b = chosen
    if isinstance(periods.dtype, pd.PeriodDtype):
        # Users name periods as they read them (2021, "2022-03"); the column holds pandas Periods.
        period_a = _as_periods(period_a, periods.dtype.freq)
        period_b = _as_periods(period_b, periods.dtype.freq)
    in_a = periods.isin(_period_values(period_a)).to_numpy()
    in_b = periods.isin(_period_values(period_b)).to_numpy()
    available = [str(value) for value in sorted(periods.dropna().unique().tolist())]
    for name, value, mask in (("period_a", period_a, in_a), ("period_b", period_b, in_b)):
        if not mask.any():
            shown = ", ".join(str(item) for item in _period_values(value))
            raise InputError(f"{name}={shown} matches no tokens; '{by}' has the values {available}")
    if (in_a & in_b).any():
        raise ValueError(f"period_a={period_a!r} and period_b={period_b!r} overlap")
    tokens_a, tokens_b = tokens[in_a], tokens[in_b]
    if terms is None:
        both = pd.concat([tokens_a["token"], tokens_b["token"]]).value_counts()
        both = both.rename_axis("term").reset_index(name="count")
        both = both.sort_values(["count", "term"], ascending=[False, True], kind="stable")
        terms = both["term"].tolist() if n is None else both["term"].head(int(n)).tolist()
    else:
        terms = [terms] if isinstance(terms, str) else list(terms)
        unknown = sorted(set(terms) - set(tokens_a["token"]) - set(tokens_b["token"]))
        if unknown:
            warnings.warn(f"terms found in neither period, so without edges: {unknown}", stacklevel=2)
    tables = []
    for part in (tokens_a, tokens_b):
        counts = _count(part, context=context, window=window)
        selected, _ = counts.index_of(terms)
        tables.append(_edges(counts, selected, min_count=1)[["term_a", "term_b", "count", measure]])
    merged = tables[0].merge(tables[1], on=["term_a", "term_b"], how="outer", suffixes=("_a", "_b"))
    merged[["count_a", "count_b"]] = merged[["count_a", "count_b"]].fillna(0).astype("int64")
    merged = merged[(merged["count_a"] >= min_count) | (merged["count_b"] >= min_count)].copy()
    status = np.select(
        [merged["count_a"].eq(0).to_numpy(), merged["count_b"].eq(0).to_numpy()], ["appeared", "vanished"], "changed"
    )
    merged["status"] = pd.Categorical(status, categories=STATUS_ORDER, ordered=True)
    merged["change"] = merged[f"{measure}_b"] - merged[f"{measure}_a"]
    strength = np.select(
        [status == "appeared", status == "vanished"],
        [merged["count_b"].to_numpy(float), merged["count_a"].to_numpy(float)],
        merged["change"].abs().to_numpy(float),
    )
    merged = merged.assign(_strength=strength).sort_values(
        ["status", "_strength", "term_a", "term_b"], ascending=[True, False, True, True], kind="stable"
    )
    merged["status"] = merged["status"].astype("str")
    merged = merged.reset_index(drop=True)[columns]
    merged.attrs.update(
        note=f"Period a: {by} {describe_periods(_period_values(period_a))}; "
             f"period b: {by} {describe_periods(_period_values(period_b))}.",
        period_a=tuple(str(value) for value in _period_values(period_a)),
        period_b=tuple(str(value) for value in _period_values(period_b)),
    )
    return merged


def _as_periods(values, freq):
    return [value if isinstance(value, pd.Period) else pd.Period(str(value), freq=freq) for value in _period_values(values)]


def _no_comparison(columns: list[str], by) -> pd.DataFrame:
    dtypes = dict.fromkeys(columns, "float64") | {
        "term_a": "str", "term_b": "str", "status": "str", "count_a": "int64", "count_b": "int64"
    }
    reason = "the documents are undated" if by is None else f"fewer than two values of {by!r} have tokens"
    return empty_table(dtypes, note=f"No period comparison: {reason}.", period_a=(), period_b=())
