"""Term statistics over a token table: frequencies, keyness and collocations.

Every function takes the tidy token table of :func:`analysis.tokens.tokenize`
(``doc_id, para_id, sent_id, token, start, end``, one row per kept token) and
returns a tidy DataFrame whose row order depends only on the data, so the same
input always gives a byte-identical table.

The statistics see the tokens that survived tokenisation: when stopwords and
punctuation were dropped, "adjacent" and "per 10,000 tokens" refer to the kept
tokens only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

# Not scipy.stats (chi2.sf is chdtrc): importing it costs every notebook half a second.
from scipy.special import chdtrc, xlogy

from .periods import UNDATED_NOTE, attach_groups, choose_period, describe_periods
from .tokens import document_order, token_codes
from .validation import check_column_names, check_tokens, empty_table

PER_TOKENS = 10_000
COLLOCATION_UNITS = {"sentence": "sent_id", "paragraph": "para_id", "document": None}

TERM_FREQUENCY_COLUMNS = ["term", "count", "doc_freq", "per_10k_tokens", "rank"]
KEYNESS_COLUMNS = [
    "term",
    "count_target",
    "count_reference",
    "per_10k_tokens_target",
    "per_10k_tokens_reference",
    "g2",
    "chi2",
    "p_value",
    "log_ratio",
]
COLLOCATION_COLUMNS = ["term_a", "term_b", "collocation", "count", "pmi", "g2"]

# Added to both counts before taking the log ratio, so that a term absent from
# one side still gets a finite, conservative effect size.
LOG_RATIO_PSEUDOCOUNT = 0.5


def _signed_g2(o11, o12, o21, o22) -> np.ndarray:
    """Log-likelihood G² of 2x2 tables, positive when cell 11 exceeds its expectation."""
    o11, o12, o21, o22 = (np.asarray(cell, dtype=float) for cell in (o11, o12, o21, o22))
    total = o11 + o12 + o21 + o22
    row1, row2 = o11 + o12, o21 + o22
    col1, col2 = o11 + o21, o12 + o22
    observed = (o11, o12, o21, o22)
    expected = (row1 * col1 / total, row1 * col2 / total, row2 * col1 / total, row2 * col2 / total)
    # xlogy(o, o) - xlogy(o, e) is o*ln(o/e) with 0*ln(0/e) = 0; e > 0 wherever o > 0.
    g2 = 2 * sum(xlogy(o, o) - xlogy(o, e) for o, e in zip(observed, expected))
    g2 = np.maximum(g2, 0.0)  # rounding can leave -1e-15 for a perfectly independent table
    return np.sign(o11 - expected[0]) * g2


def _signed_chi2_yates(o11, o12, o21, o22) -> np.ndarray:
    """Pearson's chi² with Yates' continuity correction, signed like :func:`_signed_g2`."""
    o11, o12, o21, o22 = (np.asarray(cell, dtype=float) for cell in (o11, o12, o21, o22))
    total = o11 + o12 + o21 + o22
    row1, row2 = o11 + o12, o21 + o22
    col1, col2 = o11 + o21, o12 + o22
    expected = (row1 * col1 / total, row1 * col2 / total, row2 * col1 / total, row2 * col2 / total)
    # In a 2x2 table |O - E| is the same in all four cells; the correction never flips its sign.
    deviation = o11 - expected[0]
    corrected = np.maximum(np.abs(deviation) - 0.5, 0.0)
    with np.errstate(divide="ignore"):
        inverse = sum(np.where(e > 0, 1.0 / np.where(e > 0, e, 1.0), 0.0) for e in expected)
    return np.sign(deviation) * corrected**2 * inverse


# ---------------------------------------------------------------------------
# Public API


def association(count, frequency_a, frequency_b, total) -> dict[str, np.ndarray]:
    """PMI, NPMI, log Dice and Jaccard for arrays of pair counts and their marginals.

    Parameters
    ----------
    count : array-like
        How many contexts hold both terms, ``f(ab)``.
    frequency_a, frequency_b : array-like
        How many contexts hold each term, ``f(a)`` and ``f(b)``.
    total : int
        How many contexts there are, ``N``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``pmi`` (log2), ``npmi`` (in [-1, 1]), ``log_dice`` (at most 14) and
        ``jaccard`` (in [0, 1]).

    Examples
    --------
    >>> round(float(association(2, 2, 2, 4)["npmi"]), 3)
    1.0
    """
    count = np.asarray(count, dtype=float)
    frequency_a = np.asarray(frequency_a, dtype=float)
    frequency_b = np.asarray(frequency_b, dtype=float)
    total = float(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log2(count * total / (frequency_a * frequency_b))
        joint = count / total
        npmi = pmi / -np.log2(joint)
        log_dice = 14 + np.log2(2 * count / (frequency_a + frequency_b))
        jaccard = count / (frequency_a + frequency_b - count)
    # The limits of NPMI: never together is -1; together in every context is 1
    # (that forces f(a) = f(b) = f(ab), the definition of perfect association).
    npmi = np.where(count == 0, -1.0, np.where(count == total, 1.0, npmi))
    pmi = np.where(count == 0, -np.inf, pmi)
    log_dice = np.where(count == 0, -np.inf, log_dice)
    jaccard = np.where(count == 0, 0.0, jaccard)
    return {"pmi": pmi, "npmi": npmi, "log_dice": log_dice, "jaccard": jaccard}


def term_frequency(tokens: pd.DataFrame, *, by=None, corpus: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count every term, overall or per group of documents.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table with at least ``doc_id`` and ``token``.
    by : str or list of str, optional
        Grouping column(s). Each is taken from ``tokens`` when present there,
        otherwise from ``corpus`` (joined on ``doc_id``). ``"year"`` (an
        integer) and ``"month"`` (``"YYYY-MM"``) are derived from the corpus
        ``date`` column when the corpus has no column of that name; a document
        whose ``date_precision`` is ``"year"`` gets no month. Undated documents
        form their own group (missing value), sorted last.
    corpus : pandas.DataFrame, optional
        Corpus table with ``doc_id`` and the metadata to group by.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``term``; ``count`` (tokens); ``doc_freq``
        (documents containing the term); ``per_10k_tokens`` (count per 10,000 tokens
        of the group); ``rank`` (1 = most frequent, ties broken by term in
        code-point order, so ranks are unique within a group). Sorted by the
        ``by`` columns, then ``rank``.

    Raises
    ------
    ValueError
        A required column is missing, a ``by`` column is found nowhere, or a
        ``doc_id`` of ``tokens`` is not in ``corpus``.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "token": ["稳", "保", "稳"]})
    >>> term_frequency(tokens)[["term", "count", "doc_freq", "rank"]].to_dict("records")[0]
    {'term': '稳', 'count': 2, 'doc_freq': 2, 'rank': 1}
    """
    check_tokens(tokens, ["doc_id", "token"])
    keys = check_column_names(by)
    if "term" in keys or "token" in keys:
        raise ValueError("by cannot be 'term' or 'token': the terms are what is counted")
    kept = ["doc_id", "token"] + [key for key in keys if key in tokens.columns and key != "doc_id"]
    table = attach_groups(tokens[kept], keys, corpus)
    # Counted over integer codes: a (group, term) pair and a (group, term, document) triple are
    # each one int64, so millions of tokens are counted without grouping strings.
    groups = np.zeros(len(table), dtype=np.int64)
    for key in keys:
        codes, uniques = pd.factorize(table[key], use_na_sentinel=False)
        # Renumbered after each key, so the combined code stays below rows x values, far from overflowing.
        groups = pd.factorize(groups * len(uniques) + codes)[0].astype(np.int64)
    terms, vocabulary = token_codes(table)
    documents, doc_ids = pd.factorize(table["doc_id"])
    pairs, pair_keys = pd.factorize(groups * len(vocabulary) + terms)
    count = np.bincount(pairs, minlength=len(pair_keys)).astype(np.int64)
    # A pair x document incidence matrix: once its duplicates are summed, a row's entries are its documents.
    incidence = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=bool), (pairs, documents)), shape=(len(pair_keys), len(doc_ids))
    )
    incidence.sum_duplicates()
    doc_freq = np.diff(incidence.indptr).astype(np.int64)
    # The first row of each pair carries its group values and term with their own dtypes.
    first_rows = np.flatnonzero(np.diff(np.maximum.accumulate(pairs), prepend=-1) > 0)
    counts = table[keys + ["token"]].iloc[first_rows].reset_index(drop=True).rename(columns={"token": "term"})
    for column in counts.columns:
        if counts[column].dtype == object:
            # As a groupby key would come out: strings held in an object column are read as str.
            counts[column] = pd.Index(counts[column].to_numpy(), tupleize_cols=False).array
    counts.attrs = {}  # a table of counts, not of tokens: the token table's attrs do not describe it
    counts["count"] = count
    counts["doc_freq"] = doc_freq
    pair_groups = pair_keys // len(vocabulary)
    if keys:
        group_total = np.bincount(pair_groups, weights=count).astype(np.int64)[pair_groups]
    else:
        group_total = counts["count"].sum()
    counts["per_10k_tokens"] = counts["count"] / group_total * PER_TOKENS
    counts = counts.assign(_group=pair_groups).sort_values(
        keys + ["count", "term"],
        ascending=[True] * len(keys) + [False, True],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    # Sorted by the groups first, each group's rows stand together: the rank counts along each run.
    sorted_groups = counts.pop("_group").to_numpy()
    run_starts = np.flatnonzero(np.diff(sorted_groups, prepend=-1) != 0)
    positions = np.arange(len(counts))
    counts["rank"] = (positions - np.repeat(run_starts, np.diff(np.append(run_starts, len(counts)))) + 1).astype("int64")
    return counts[keys + TERM_FREQUENCY_COLUMNS]


def _counts_by_term(table, *, name: str) -> pd.Series:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a token table or a term-frequency table, got {type(table).__name__}")
    if "token" in table.columns:
        check_tokens(table, ["token"], name=name)
        return table["token"].value_counts(sort=False)
    if {"term", "count"} <= set(table.columns):
        check_tokens(table.rename(columns={"term": "token"}), ["token"], name=name)
        duplicated = table["term"][table["term"].duplicated()]
        if len(duplicated):
            raise ValueError(
                f"{name} lists term {duplicated.iloc[0]!r} more than once: pass the frequencies of one "
                f"group (a term_frequency table computed without by=, or one group of it)"
            )
        counts = pd.to_numeric(table["count"], errors="coerce")
        bad = counts.isna() | (counts < 0) | (counts != np.floor(counts))
        if bad.any():
            row = table.index[int(np.argmax(bad.to_numpy()))]
            raise ValueError(f"{name} row {row!r}: count {table.loc[row, 'count']!r} is not a non-negative integer")
        return pd.Series(counts.to_numpy(dtype="int64"), index=table["term"].to_numpy())
    raise ValueError(
        f"{name} must have a 'token' column (token table) or 'term' and 'count' columns "
        f"(term-frequency table); it has {list(table.columns)}"
    )


def keyness(target: pd.DataFrame, reference: pd.DataFrame, *, min_count: int = 3) -> pd.DataFrame:
    """Terms over- and under-used in a target corpus compared with a reference.

    Each term gets a 2x2 table (term vs. all other tokens, target vs.
    reference). The reference should not contain the target: compare one
    period with the others, not with the whole corpus.

    Parameters
    ----------
    target, reference : pandas.DataFrame
        Token tables (with ``token``) or term-frequency tables (with ``term``
        and ``count``, one row per term, e.g. from :func:`term_frequency`
        without ``by``). Corpus sizes are the sums of the counts, so pass
        complete frequency tables, not a top-N excerpt.
    min_count : int, default 3
        Keep terms whose combined count (target + reference) reaches this.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``count_target``, ``count_reference``, ``per_10k_tokens_target``,
        ``per_10k_tokens_reference``; ``g2``: log-likelihood G² over the four cells;
        ``chi2``: Pearson's chi² with Yates' continuity correction (each
        |O - E| is reduced by 0.5, not below zero); ``p_value``: chance of a G²
        at least this large under independence (chi² distribution, one degree
        of freedom); ``log_ratio``: log2 of the ratio of relative frequencies,
        with 0.5 added to both counts so that a term missing from one side
        stays finite. ``g2``, ``chi2`` and ``log_ratio`` are signed: positive
        means relatively more frequent in the target. Sorted by ``g2``
        descending (target-typical terms first, reference-typical last), ties
        by term.

    Examples
    --------
    >>> target = pd.DataFrame({"token": ["六保"] * 8 + ["发展"] * 2})
    >>> reference = pd.DataFrame({"token": ["发展"] * 10})
    >>> table = keyness(target, reference)
    >>> table["term"].tolist(), bool(table["g2"].iloc[0] > 0)
    (['六保', '发展'], True)
    """
    if int(min_count) < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    target_counts = _counts_by_term(target, name="target")
    reference_counts = _counts_by_term(reference, name="reference")
    target_total = int(target_counts.sum())
    reference_total = int(reference_counts.sum())
    for name, total in (("target", target_total), ("reference", reference_total)):
        if total == 0:
            raise ValueError(f"{name} has no tokens: keyness needs two non-empty corpora")
    terms = target_counts.index.union(reference_counts.index).sort_values()
    in_target = target_counts.reindex(terms, fill_value=0).to_numpy(dtype="int64")
    in_reference = reference_counts.reindex(terms, fill_value=0).to_numpy(dtype="int64")
    kept = in_target + in_reference >= min_count
    terms, in_target, in_reference = terms[kept], in_target[kept], in_reference[kept]
    cells = (in_target, in_reference, target_total - in_target, reference_total - in_reference)
    g2 = _signed_g2(*cells)
    table = pd.DataFrame(
        {
            "term": np.asarray(terms, dtype=object),
            "count_target": in_target,
            "count_reference": in_reference,
            "per_10k_tokens_target": in_target / target_total * PER_TOKENS,
            "per_10k_tokens_reference": in_reference / reference_total * PER_TOKENS,
            "g2": g2,
            "chi2": _signed_chi2_yates(*cells),
            "p_value": chdtrc(1, np.abs(g2)),
            "log_ratio": np.log2(
                ((in_target + LOG_RATIO_PSEUDOCOUNT) / target_total)
                / ((in_reference + LOG_RATIO_PSEUDOCOUNT) / reference_total)
            ),
        }
    )
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)[KEYNESS_COLUMNS]


def collocations(tokens: pd.DataFrame, *, min_count: int = 3, by: str = "sentence") -> pd.DataFrame:
    """Adjacent-token bigrams scored by pointwise mutual information and G².

    Two tokens form a bigram when they are consecutive in the token table (so
    across dropped stopwords and punctuation) inside the same unit; a bigram
    never spans a unit boundary.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table with ``doc_id``, ``token``, ``start`` (to restore text
        order) and the unit column (``sent_id`` or ``para_id``).
    min_count : int, default 3
        Keep bigrams seen at least this often.
    by : {"sentence", "paragraph", "document"}, default "sentence"
        The unit a bigram must not cross.

    Returns
    -------
    pandas.DataFrame
        ``term_a`` (first token), ``term_b`` (second), ``collocation`` (the two
        joined without a space, as Chinese is written), ``count``; ``pmi``:
        log2(f(ab) N / (f(a_) f(_b))) where N is the number of bigrams, f(a_)
        the bigrams starting with a and f(_b) those ending with b; ``g2``:
        log-likelihood of the 2x2 table (first = a, second = b), negative when
        the pair is rarer than chance. Sorted by ``g2`` descending, then
        ``count`` descending, then the terms.

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 4, "sent_id": [0, 0, 1, 1],
    ...                        "token": ["六稳", "工作", "六稳", "工作"], "start": [0, 2, 5, 7]})
    >>> collocations(tokens, min_count=2)[["collocation", "count"]].to_dict("records")
    [{'collocation': '六稳工作', 'count': 2}]
    """
    if by not in COLLOCATION_UNITS:
        raise ValueError(f"by must be one of {list(COLLOCATION_UNITS)}, got {by!r}")
    if int(min_count) < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    unit = COLLOCATION_UNITS[by]
    check_tokens(tokens, ["doc_id", "token"] + ([unit] if unit else []))
    # Pairs are counted over integer codes (vocabulary in code-point order, so code order is term
    # order); only the bigrams that are kept become strings.
    order, documents = document_order(tokens)
    documents = documents[order]
    same_unit = documents[1:] == documents[:-1]
    if unit:
        units = tokens[unit].to_numpy()[order]
        same_unit &= units[1:] == units[:-1]
    codes, vocabulary = token_codes(tokens)
    codes = codes[order]
    first_codes, second_codes = codes[:-1][same_unit], codes[1:][same_unit]
    n_bigrams = len(first_codes)
    if n_bigrams == 0:
        return pd.DataFrame({column: [] for column in COLLOCATION_COLUMNS}).astype(
            {"count": "int64", "pmi": float, "g2": float}
        )
    size = len(vocabulary)
    pair_codes, pair_index = pd.factorize(first_codes * size + second_codes)
    pair_counts = np.bincount(pair_codes, minlength=len(pair_index))
    kept = pair_counts >= min_count
    pair_index, pair_counts = pair_index[kept], pair_counts[kept]
    by_terms = np.argsort(pair_index, kind="stable")
    pair_index, pair_counts = pair_index[by_terms], pair_counts[by_terms]
    term_a, term_b = pair_index // size, pair_index % size
    f_ab = pair_counts.astype(float)
    f_a = np.bincount(first_codes, minlength=size)[term_a].astype(float)
    f_b = np.bincount(second_codes, minlength=size)[term_b].astype(float)
    words_a, words_b = vocabulary[term_a], vocabulary[term_b]
    table = pd.DataFrame(
        {
            "term_a": pd.array(words_a, dtype="str"),
            "term_b": pd.array(words_b, dtype="str"),
            "collocation": pd.array(words_a + words_b, dtype="str"),
            "count": pair_counts.astype("int64"),
            "pmi": np.log2(f_ab * n_bigrams / (f_a * f_b)),
            "g2": _signed_g2(f_ab, f_a - f_ab, f_b - f_ab, n_bigrams - f_a - f_b + f_ab),
        }
    )
    # Codes sort as their terms do: ordering by them is ordering by the terms, without comparing strings.
    ranked = np.lexsort((term_b, term_a, -table["count"].to_numpy(), -table["g2"].to_numpy()))
    table = table.iloc[ranked]
    return table.reset_index(drop=True)[COLLOCATION_COLUMNS]


# ---------------------------------------------------------------------------
# Choices a notebook would otherwise make with if/else: which period, which term.

# A corpus spanning at least this many calendar years is compared year by year.
YEARS_FOR_YEARLY = 3


def most_frequent(tokens: pd.DataFrame, *, among=None) -> str | None:
    """The most frequent token, optionally among given terms (ties: the first in code-point order).

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table with ``token``.
    among : iterable of str, optional
        Only these terms compete (e.g. the lexicon's canonical slogans).

    Returns
    -------
    str or None
        None when no token (of ``among``) occurs.

    Examples
    --------
    >>> tokens = pd.DataFrame({"token": ["发展", "六稳", "六保", "六保", "发展", "发展"]})
    >>> most_frequent(tokens), most_frequent(tokens, among=["六稳", "六保"]), most_frequent(tokens, among=["六证"])
    ('发展', '六保', None)
    """
    check_tokens(tokens, ["token"])
    words = tokens["token"]
    if among is not None:
        words = words[words.isin([among] if isinstance(among, str) else list(among))]
    if words.empty:
        return None
    counts = words.value_counts().rename_axis("term").reset_index(name="count")
    counts = counts.sort_values(["count", "term"], ascending=[False, True], kind="stable")
    return str(counts["term"].iloc[0])


def keyness_latest_period(
    tokens: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    *,
    by: str | None = None,
    min_count: int = 3,
) -> pd.DataFrame:
    """Keyness of the latest period against all earlier ones.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table with ``doc_id`` and ``token``.
    corpus : pandas.DataFrame, optional
        Corpus table giving (or letting derive) the period column, as for
        :func:`term_frequency`; also used to choose ``by``.
    by : str, optional
        Period column; by default :func:`choose_period` of ``corpus``.
    min_count : int, default 3
        As for :func:`keyness`.

    Returns
    -------
    pandas.DataFrame
        The :func:`keyness` table with the latest period as target and the
        earlier dated periods as reference (undated documents take no part).
        When there are fewer than two dated periods the table is empty (same
        columns). ``attrs["note"]`` says in words what was compared or why
        nothing was; ``attrs["target"]`` and ``attrs["reference"]`` are tuples of the
        periods (empty when nothing was compared).

    Examples
    --------
    >>> tokens = pd.DataFrame({"doc_id": ["a"] * 4 + ["b"] * 4,
    ...                        "token": ["发展"] * 4 + ["六保"] * 3 + ["发展"]})
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2019-03-05", "2022-03-05"])})
    >>> table = keyness_latest_period(tokens, corpus, by="year")
    >>> table["term"].tolist(), table.attrs["target"]
    (['六保', '发展'], ('2022',))
    """
    check_tokens(tokens, ["doc_id", "token"])
    if by is None and corpus is not None:
        by = choose_period(corpus)
    dtypes = {column: "float64" for column in KEYNESS_COLUMNS} | {
        "term": "str", "count_target": "int64", "count_reference": "int64"
    }
    if by is None:
        return empty_table(dtypes, note=f"{UNDATED_NOTE}: there is no earlier period to compare the latest one with.",
                            target=(), reference=())
    periods = attach_groups(tokens[["doc_id", "token"] + ([by] if by in tokens.columns else [])], [by], corpus)[by]
    dated = sorted(periods.dropna().unique().tolist())
    if len(dated) < 2:
        return empty_table(dtypes, note=f"Only {len(dated)} {by} with tokens: nothing to compare.",
                            target=(), reference=())
    latest = dated[-1]
    target = tokens[periods.eq(latest).fillna(False).to_numpy()]
    reference = tokens[(periods.notna() & periods.ne(latest)).fillna(False).to_numpy()]
    table = keyness(target, reference, min_count=min_count)
    table.attrs.update(
        note=f"Target: {by} {latest}; reference: {by} {describe_periods(dated[:-1])}.",
        target=(str(latest),),
        reference=tuple(str(value) for value in dated[:-1]),
    )
    return table
