"""Interactive explorer: one slogan or term, a period, a context window.

:func:`explore_view` computes what the explorer shows — the KWIC lines, the
timeline of mentions and the strongest partners — as plain tables, so the same
numbers come out in JupyterLab, in a headless report and in tests.
:func:`explorer` wraps it: with ``interactive=True`` it returns ipywidgets
controls that recompute the view on every change; otherwise (a headless run,
where no widget frontend exists) it returns a static rendering of the default
view that survives HTML export.

The notebook ``06-explore`` only calls :func:`explorer`; everything else lives
here.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .slogans import kwic, kwic_html, slogan_counts, tag_slogans, top_slogans
from .display import table_html
from .periods import choose_period, period_range, to_period
from .textstat import keyness

DEFAULT_WINDOW = 20
DEFAULT_TOP_N = 15
# Partners need a few sightings to be more than noise, but a tiny corpus has few.
PARTNER_MIN_COUNT = 2
WINDOW_RANGE = (2, 80)
QUERY_FORM = "compact"
TIMELINE_COLUMNS = ["period", "mentions", "documents", "documents_mentioning", "characters", "per_10k_chars"]
PARTNER_COLUMNS = ["term", "count_context", "count_elsewhere", "g2", "log_ratio"]


@dataclass(frozen=True)
class ExploreView:
    """What the explorer shows for one query.

    Attributes
    ----------
    query : str
        The slogan (canonical form) or the literal term searched.
    is_slogan : bool
        Whether ``query`` is a lexicon slogan (its compact, enumerated and
        expansion mentions are matched, not its components standing alone)
        or a literal term.
    period : tuple of (str or None, str or None)
        First and last date included (ISO), ``(None, None)`` for the whole corpus.
    window : int
        Characters of context on each side of a match.
    kwic : pandas.DataFrame
        :func:`analysis.slogans.kwic` columns: ``doc_id``, ``date``, ``form``,
        ``counted``, ``left``, ``match``, ``right``, ``start``, ``end``.
    timeline : pandas.DataFrame
        One row per period (year or month) of the selected documents, counting
        the ``counted`` KWIC lines (one reference, one count):
        ``period`` (pandas Period), ``mentions``, ``documents``,
        ``documents_mentioning``, ``characters``, ``per_10k_chars``
        (gaps in the corpus are ``<NA>``/NaN, not zero).
    partners : pandas.DataFrame
        Terms over-represented within ``window`` characters of a match compared
        with the rest of the selected documents: ``term``, ``count_context``,
        ``count_elsewhere``, ``g2``, ``log_ratio``; strongest first.
    """

    query: str
    is_slogan: bool
    period: tuple
    window: int
    kwic: pd.DataFrame
    timeline: pd.DataFrame
    partners: pd.DataFrame


def _slogan_lookup(lexicon: pd.DataFrame | None) -> dict[str, str]:
    from .lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    lookup = {}
    for row in lexicon.itertuples(index=False):
        lookup[str(row.id)] = str(row.canonical)
        lookup[str(row.canonical)] = str(row.canonical)
    return lookup


def _check_corpus(corpus) -> pd.DataFrame:
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"the explorer needs a corpus DataFrame from load_corpus, got {type(corpus).__name__}")
    missing = [column for column in ("doc_id", "text_clean") if column not in corpus.columns]
    if missing:
        raise ValueError(f"the corpus lacks the columns {missing} (load it with analysis.corpus.load_corpus)")
    return corpus


def _as_date(value, *, name: str):
    if value is None or value == "":
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} {value!r} is not a date: {error}") from error
    if pd.isna(stamp):
        raise ValueError(f"{name} {value!r} is not a date")
    return stamp


def select_period(corpus: pd.DataFrame, *, start=None, end=None) -> pd.DataFrame:
    """Documents dated from ``start`` to ``end`` inclusive.

    Without bounds every document is kept, undated ones included; with a bound,
    undated documents cannot be placed and are left out.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus with a ``date`` column.
    start, end : str or Timestamp, optional
        First and last day kept; a year (``"2021"``) or month (``"2021-03"``)
        as ``end`` means its last day.

    Returns
    -------
    pandas.DataFrame
        The selected rows, in corpus order.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text_clean": ["x", "y"],
    ...                      "date": pd.to_datetime(["2020-06-01", "2021-03-05"])})
    >>> select_period(docs, start="2021")["doc_id"].tolist()
    ['b']
    >>> select_period(docs, end="2020")["doc_id"].tolist()
    ['a']
    """
    _check_corpus(corpus)
    first = _as_date(start, name="start")
    last = _as_date(end, name="end")
    if first is None and last is None:
        return corpus
    if "date" not in corpus.columns:
        raise ValueError("choosing a period needs a 'date' column in the corpus")
    if last is not None and isinstance(end, str):
        # "2021" or "2021-03" name a whole year or month: keep all of it.
        digits = re.fullmatch(r"\d{4}(-\d{2})?", end.strip())
        if digits:
            last = (pd.Period(end.strip(), freq="M" if digits.group(1) else "Y").end_time).normalize()
    dates = pd.to_datetime(corpus["date"], errors="coerce")
    keep = dates.notna()
    if first is not None:
        keep &= dates >= first
    if last is not None:
        keep &= dates <= last
    return corpus[keep.to_numpy()]


def _period(corpus: pd.DataFrame) -> str:
    """The report's one period rule; months for an undated corpus, where nothing is drawn anyway."""
    return (choose_period(corpus) if "date" in corpus.columns else None) or "month"


def _timeline(matches: pd.DataFrame, corpus: pd.DataFrame, query: str, *, by: str) -> pd.DataFrame:
    dates = pd.to_datetime(corpus["date"], errors="coerce") if "date" in corpus.columns else None
    if dates is None or dates.isna().all():
        return pd.DataFrame({column: [] for column in TIMELINE_COLUMNS})
    # slogan_counts already fills gaps with <NA> and turns sizes into rates; the matches play its
    # mentions. It lists only queries with a mention, so a query with none borrows one and is zeroed.
    if "counted" in matches.columns:
        matches = matches[matches["counted"].astype("bool")]
    placeholder = matches.empty
    doc_ids = corpus["doc_id"].iloc[:1] if placeholder else matches["doc_id"]
    mentions = pd.DataFrame(
        {"doc_id": doc_ids.to_numpy(), "slogan_id": query, "canonical": query, "form": QUERY_FORM}
    )
    counts = slogan_counts(mentions, corpus=corpus, period=by, forms=None)
    if placeholder:
        for column in ("mentions", "documents_mentioning", "per_10k_chars"):
            counts[column] = counts[column].where(counts[column].isna(), 0)
    return counts[TIMELINE_COLUMNS].reset_index(drop=True)


def _overlaps_any(tokens: pd.DataFrame, spans: pd.DataFrame, *, margins: tuple[int, ...]) -> list[np.ndarray]:
    """For each margin, whether each token overlaps a span of its own document widened by that many characters.

    Documents are laid end to end on one line and the spans sorted by start, so a token overlaps
    some span exactly when the furthest end among the spans starting before the token ends lies
    beyond the token's start: one binary search a token, not a comparison with every span.
    """
    # The token table's own column factorised as it is (a string column stays in C), the spans looked
    # up in its documents; a span of a document without tokens gets a document of its own.
    token_doc, documents = pd.factorize(tokens["doc_id"])
    token_doc = token_doc.astype(np.int64)
    span_doc = pd.Index(documents).get_indexer(spans["doc_id"]).astype(np.int64)
    span_doc[span_doc < 0] = len(documents)
    token_start, token_end = tokens["start"].to_numpy(np.int64), tokens["end"].to_numpy(np.int64)
    span_start, span_end = spans["start"].to_numpy(np.int64), spans["end"].to_numpy(np.int64)
    results = []
    for margin in margins:
        # Wide enough that no widened span reaches into the next document.
        stride = int(max(token_end.max(initial=0), span_end.max(initial=0))) + 2 * margin + 1
        low = span_doc * stride + span_start  # each position shifted by +margin, so nothing is negative
        high = span_doc * stride + span_end + 2 * margin
        order = np.argsort(low, kind="stable")
        low, reach = low[order], np.maximum.accumulate(high[order])
        first = token_doc * stride + token_start + margin
        last = token_doc * stride + token_end + margin
        index = np.searchsorted(low, last, side="left") - 1
        results.append((index >= 0) & (reach[np.maximum(index, 0)] > first) if len(low) else np.zeros(len(first), bool))
    return results


def _partners(matches: pd.DataFrame, tokens: pd.DataFrame | None, corpus: pd.DataFrame, *, window: int,
              n: int) -> pd.DataFrame:
    empty = pd.DataFrame({column: [] for column in PARTNER_COLUMNS})
    if tokens is None or matches.empty:
        return empty
    selected = tokens[tokens["doc_id"].isin(set(corpus["doc_id"]))]
    if selected.empty:
        return empty
    # A token is context once even if two matches are near it; the match itself is not its own partner.
    near, inside_match = _overlaps_any(selected, matches, margins=(window, 0))
    is_context = pd.Series(near & ~inside_match)
    ordered = selected.reset_index(drop=True)
    target, reference = ordered[is_context.to_numpy()], ordered[~is_context.to_numpy()]
    if target.empty or reference.empty:
        return empty
    table = keyness(target, reference, min_count=PARTNER_MIN_COUNT)
    table = table[(table["g2"] > 0) & (table["count_target"] >= PARTNER_MIN_COUNT)]
    table = table.rename(columns={"count_target": "count_context", "count_reference": "count_elsewhere"})
    return table[PARTNER_COLUMNS].head(n).reset_index(drop=True)


def explore_view(
    corpus: pd.DataFrame,
    query: str,
    *,
    tokens: pd.DataFrame | None = None,
    start=None,
    end=None,
    by: str | None = None,
    window: int = DEFAULT_WINDOW,
    n: int = DEFAULT_TOP_N,
    lexicon: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
) -> ExploreView:
    """KWIC lines, timeline and strongest partners of a slogan or term.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`analysis.corpus.load_corpus` (``doc_id``, ``text_clean``,
        ``date``).
    query : str
        A slogan id or canonical form (its mentions as
        :func:`analysis.slogans.kwic` finds them with its default forms:
        compact, enumerated and expansion, never a component alone), or any
        other text, matched literally.
    tokens : pandas.DataFrame, optional
        :func:`analysis.tokens.tokenize` of ``corpus``; without it the partners
        table is empty (tokenizing is the slow step, so the explorer does it once).
    start, end : str or Timestamp, optional
        The period, as for :func:`select_period`.
    by : {"year", "quarter", "month", "week", "day"}, optional
        The unit of the timeline; by default
        :func:`analysis.periods.choose_period` of the whole corpus (not of the
        selection), so narrowing the period never changes the unit. The
        report passes the period it chose for every notebook.
    window : int, default 20
        Characters of context on each side, for the KWIC lines and for the
        partners.
    n : int, default 15
        Partners kept.
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    mentions : pandas.DataFrame, optional
        :func:`analysis.slogans.tag_slogans` of ``corpus`` (with ``lexicon``),
        when already at hand: a slogan's lines are read from it (those of the
        selected period) instead of tagging the corpus again.

    Returns
    -------
    ExploreView
        The three tables and the settings that produced them.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"],
    ...                      "text_clean": ["要做好“六稳”工作。", "落实“六保”任务。"],
    ...                      "date": pd.to_datetime(["2020-06-01", "2021-03-05"])})
    >>> view = explore_view(docs, "六稳", window=4)
    >>> view.kwic[["left", "match", "right"]].values.tolist()
    [['要做好“', '六稳', '”工作。']]
    >>> view.timeline["mentions"].tolist()  # months without documents are gaps
    [1, <NA>, <NA>, <NA>, <NA>, <NA>, <NA>, <NA>, <NA>, 0]
    """
    _check_corpus(corpus)
    if not isinstance(query, str) or not query.strip():
        raise ValueError("the explorer needs a slogan or a term to look for")
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ValueError(f"window must be a whole number of characters >= 0, got {window!r}")
    query = query.strip()
    slogans = _slogan_lookup(lexicon)
    is_slogan = query in slogans
    selected = select_period(corpus, start=start, end=end)
    if is_slogan:
        if mentions is not None:
            mentions = mentions[mentions["doc_id"].isin(set(selected["doc_id"]))]
        matches = kwic(selected, query, window=window, lexicon=lexicon, mentions=mentions)
        shown = slogans[query]
    else:
        matches = kwic(selected, re.compile(re.escape(query)), window=window, lexicon=lexicon)
        shown = query
    return ExploreView(
        query=shown,
        is_slogan=is_slogan,
        period=(None if start in (None, "") else str(start), None if end in (None, "") else str(end)),
        window=window,
        kwic=matches,
        timeline=_timeline(matches, selected, shown, by=by or _period(corpus)),
        partners=_partners(matches, tokens, selected, window=window, n=n),
    )


def default_query(
    corpus: pd.DataFrame, *, lexicon: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None
) -> str | None:
    """The slogan the explorer opens on: the most mentioned one, ties by id.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus with ``doc_id`` and ``text_clean``.
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    mentions : pandas.DataFrame, optional
        :func:`analysis.slogans.tag_slogans` of ``corpus``, when already at
        hand (as for :func:`slogan_options`).

    Returns
    -------
    str or None
        A canonical form, or None when the corpus mentions no slogan.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text_clean": ["“六保”“六保”“六稳”"]})
    >>> default_query(docs)
    '六保'
    """
    options = slogan_options(corpus, lexicon=lexicon, mentions=mentions)
    return options["canonical"].iloc[0] if len(options) else None


def slogan_options(
    corpus: pd.DataFrame, *, lexicon: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Slogans the corpus mentions, most mentioned first: the explorer's choices.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus with ``doc_id`` and ``text_clean``.
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    mentions : pandas.DataFrame, optional
        :func:`analysis.slogans.tag_slogans` of ``corpus`` (with ``lexicon``),
        when already at hand; the corpus is tagged otherwise.

    Returns
    -------
    pandas.DataFrame
        ``slogan_id``, ``canonical``, ``mentions``; sorted by ``mentions``
        descending, ties by ``slogan_id``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text_clean": ["“六保”“六保”“六稳”"]})
    >>> slogan_options(docs)["canonical"].tolist()
    ['六保', '六稳']
    >>> slogan_options(docs, mentions=tag_slogans(docs))["mentions"].tolist()
    [2, 1]
    """
    _check_corpus(corpus)
    mentions = tag_slogans(corpus, lexicon=lexicon) if mentions is None else mentions
    ranked = top_slogans(mentions, n=max(1, mentions["slogan_id"].nunique()))
    return ranked[["slogan_id", "canonical", "mentions"]]


def _figure_html(view: ExploreView) -> str:
    import matplotlib.pyplot as plt

    from .textplot import timeline as plot_timeline

    figure, ax = plt.subplots(figsize=(8, 3))
    try:
        plot_timeline(view.timeline, x="period", y="per_10k_chars", ax=ax,
                      title=f"{view.query}: mentions per 10,000 characters", ylabel="per 10,000 characters")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    finally:
        plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="explore-timeline" alt="timeline of {html.escape(view.query)}" src="data:image/png;base64,{encoded}">'


def _table_html(table: pd.DataFrame, *, empty: str) -> str:
    if table.empty:
        return f"<p>{html.escape(empty)}</p>"
    # The report's own table markup: the same alignment, escaping and number format as every other page.
    return table_html(table)


def view_html(view: ExploreView, *, max_lines: int = 50) -> str:
    """Render a view as one HTML fragment: settings, KWIC lines, timeline chart, partners.

    Every piece of corpus text is escaped; the chart is an inline PNG, so the
    fragment needs no file and no network.

    Parameters
    ----------
    view : ExploreView
        From :func:`explore_view`.
    max_lines : int, default 50
        KWIC lines shown (the count of all lines is stated).

    Returns
    -------
    str

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text_clean": ["<b>六稳</b>"],
    ...                      "date": pd.to_datetime(["2020-06-01"])})
    >>> fragment = view_html(explore_view(docs, "六稳"))
    >>> "&lt;b&gt;" in fragment and "<b>六稳" not in fragment
    True
    """
    first, last = view.period
    period = "whole corpus" if first is None and last is None else f"{first or '…'} to {last or '…'}"
    kind = "slogan (compact, enumerated and expansion forms)" if view.is_slogan else "term (literal)"
    lines = len(view.kwic)
    parts = [
        '<div class="analysis-explorer">',
        f"<p><strong>{html.escape(view.query)}</strong> — {kind}; {html.escape(period)}; "
        f"context {view.window} characters; {lines:,} KWIC lines"
        + (f", first {max_lines} shown" if lines > max_lines else "") + ".</p>",
        f"<h4>KWIC: {html.escape(view.query)}</h4>",
        kwic_html(view.kwic.head(max_lines)) if lines else "<p>No match in this period.</p>",
        "<h4>Timeline</h4>",
        _figure_html(view) if len(view.timeline) else "<p>No dated documents in this period.</p>",
        f"<h4>Strongest partners of {html.escape(view.query)}</h4>",
        _table_html(view.partners, empty="No partner stands out (too few matches or no tokens)."),
        "</div>",
    ]
    return "\n".join(parts)


class StaticView:
    """A rendered view that notebooks display as HTML (what headless runs show)."""

    def __init__(self, fragment: str, view: ExploreView):
        self.html = fragment
        self.view = view

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<explorer view of {self.view.query!r}: {len(self.view.kwic)} KWIC lines>"


def _period_choices(corpus: pd.DataFrame, by: str) -> list[str]:
    if "date" not in corpus.columns:
        return []
    dates = pd.to_datetime(corpus["date"], errors="coerce").dropna()
    if dates.empty:
        return []
    return [str(period) for period in period_range(to_period(dates, by), by)]


def explorer(
    corpus: pd.DataFrame,
    *,
    interactive: bool = True,
    query: str | None = None,
    by: str | None = None,
    window: int = DEFAULT_WINDOW,
    n: int = DEFAULT_TOP_N,
    tokens: pd.DataFrame | None = None,
    lexicon: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
):
    """The explorer: widgets in JupyterLab, a static default view elsewhere.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`analysis.corpus.load_corpus`.
    interactive : bool, default True
        Build ipywidgets controls (slogan, term, period, context window) whose
        outputs update on every change. The report runner sets the notebook's
        ``interactive`` parameter to False because a headless run has no widget
        frontend; then, or when ipywidgets is not installed, the default view
        is rendered once as static HTML.
    query : str, optional
        Slogan or term to open on; default :func:`default_query`, else ``"发展"``.
    window, n : int
        Initial context window (characters) and number of partners.
    tokens : pandas.DataFrame, optional
        Token table of ``corpus``; tokenized here when omitted.
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    mentions : pandas.DataFrame, optional
        :func:`analysis.slogans.tag_slogans` of ``corpus`` (with ``lexicon``);
        tagged here once when omitted, for the slogan list and every view.

    Returns
    -------
    ipywidgets.VBox or StaticView
        Display it (the last expression of a notebook cell).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text_clean": ["做好“六稳”工作。"],
    ...                      "date": pd.to_datetime(["2020-06-01"])})
    >>> explorer(docs, interactive=False)  # doctest: +ELLIPSIS
    <explorer view of '六稳': 1 KWIC lines>
    """
    from .tokens import tokenize

    _check_corpus(corpus)
    if tokens is None:
        tokens = tokenize(corpus)
    if mentions is None:
        mentions = tag_slogans(corpus, lexicon=lexicon)
    options = slogan_options(corpus, lexicon=lexicon, mentions=mentions)
    first_query = query or (options["canonical"].iloc[0] if len(options) else "发展")
    widgets, note = None, ""
    if interactive:
        try:
            import ipywidgets as widgets
        except ImportError:
            note = "<p><em>ipywidgets is not installed, so this is a static view; install it for the controls.</em></p>"
    if widgets is None:
        view = explore_view(corpus, first_query, tokens=tokens, by=by, window=window, n=n, lexicon=lexicon,
                            mentions=mentions)
        return StaticView(note + view_html(view), view)
    return _widget_explorer(
        widgets, corpus, tokens=tokens, options=options, first_query=first_query, by=by,
        window=window, n=n, lexicon=lexicon, mentions=mentions,
    )


def _widget_explorer(widgets, corpus, *, tokens, options, first_query, by, window, n, lexicon, mentions):
    slogan_labels = [(f"{row.canonical} ({row.mentions})", row.canonical) for row in options.itertuples()]
    is_listed = first_query in set(options["canonical"])
    slogan = widgets.Dropdown(
        options=[("— type a term instead —", "")] + slogan_labels,
        value=first_query if is_listed else "",
        description="Slogan",
    )
    term = widgets.Text(value="" if is_listed else first_query, placeholder="any term, e.g. 稳就业",
                        description="Term", continuous_update=False)
    by = by or _period(corpus)
    periods = _period_choices(corpus, by)
    period = widgets.SelectionRangeSlider(
        options=periods or ["all"], index=(0, max(len(periods) - 1, 0)), description="Period",
        disabled=not periods, continuous_update=False,
        layout=widgets.Layout(width="40em"),
    )
    context = widgets.IntSlider(value=window, min=WINDOW_RANGE[0], max=WINDOW_RANGE[1], step=1,
                                description="Window", continuous_update=False)
    output = widgets.HTML()

    def refresh(_change=None) -> None:
        wanted = term.value.strip() or slogan.value
        if not wanted:
            output.value = "<p>Choose a slogan or type a term.</p>"
            return
        start, end = period.value if periods else (None, None)
        view = explore_view(corpus, wanted, tokens=tokens, start=start, end=end, by=by, window=context.value,
                            n=n, lexicon=lexicon, mentions=mentions)
        output.value = view_html(view)

    for control in (slogan, term, period, context):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([slogan, term]), widgets.HBox([period, context]), output])
