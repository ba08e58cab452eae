"""Keyword in context: lines around slogan mentions or any pattern, with offsets into ``text_clean``.
"""

from __future__ import annotations


import html
import re
from typing import Sequence

import pandas as pd


from ..display import format_dates
from .counts import top_slogans
from ..validation import check_int
from .compiled import COUNTED_FORMS
from .tagger import (
    as_corpus,
    check_columns,
    check_forms,
    load_default_lexicon,
    select_forms,
    tag_slogans,
)
KWIC_COLUMNS = ["doc_id", "date", "form", "counted", "left", "match", "right", "start", "end"]


# --------------------------------------------------------------------------
# Keyword in context
# --------------------------------------------------------------------------


def _document_positions(corpus: pd.DataFrame, mentions: pd.DataFrame) -> dict:
    """Each document's row in ``corpus`` by ``doc_id``, after checking that ``mentions`` are of its documents."""
    positions = {doc_id: i for i, doc_id in enumerate(corpus["doc_id"])}
    unknown = sorted(set(mentions["doc_id"]) - set(positions), key=str)
    if unknown:
        raise ValueError(f"mentions refer to documents not in the corpus: {unknown[:5]}")
    return positions


def _kwic_spans(corpus, pattern_or_slogan, *, lexicon, forms, regex, mentions):
    """(doc position, start, end, form, counted) of every match.

    ``form`` is None for a pattern match, which is always ``counted``.
    """
    if isinstance(pattern_or_slogan, str):
        lexicon = load_default_lexicon() if lexicon is None else lexicon
        chosen = lexicon[
            (lexicon["id"] == pattern_or_slogan) | (lexicon["canonical"] == pattern_or_slogan)
        ]
        if len(chosen):
            slogan_ids = set(chosen["id"])
            if mentions is None:
                # Tag with the whole lexicon so that overlaps resolve as in tag_slogans.
                mentions = tag_slogans(corpus, lexicon=lexicon)
            else:
                check_columns(mentions, ("doc_id", "slogan_id", "form", "start", "end"), producer="tag_slogans")
            positions = _document_positions(corpus, mentions)
            forms = check_forms(forms)
            keep = mentions["slogan_id"].isin(slogan_ids)
            if forms is not None:
                keep &= mentions["form"].isin(forms)
            mentions = mentions[keep]
            counted = mentions["counted"] if "counted" in mentions.columns else [True] * len(mentions)
            return [
                (positions[doc_id], int(start), int(end), form, bool(flag))
                for doc_id, start, end, form, flag in zip(
                    mentions["doc_id"], mentions["start"], mentions["end"], mentions["form"], counted
                )
            ]
        if not pattern_or_slogan:
            raise ValueError("kwic needs a non-empty pattern")
        pattern = re.compile(pattern_or_slogan if regex else re.escape(pattern_or_slogan))
    elif isinstance(pattern_or_slogan, re.Pattern):
        pattern = pattern_or_slogan
    else:
        raise TypeError(
            "pattern_or_slogan must be a slogan id, a canonical form, a regex string or a "
            f"compiled pattern, got {type(pattern_or_slogan).__name__}"
        )
    spans = []
    for position, text in enumerate(corpus["text_clean"]):
        for match in pattern.finditer(text):
            if match.end() == match.start():
                raise ValueError(
                    f"pattern {pattern.pattern!r} matches the empty string "
                    f"(document {corpus['doc_id'].iloc[position]!r}, offset {match.start()})"
                )
            spans.append((position, match.start(), match.end(), None, True))
    return spans


def kwic(
    corpus,
    pattern_or_slogan,
    *,
    window: int = 20,
    lexicon: pd.DataFrame | None = None,
    forms: Sequence[str] | None = COUNTED_FORMS,
    regex: bool = True,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Keyword in context: every match with the text on either side.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``date`` is copied when
        present), or one string.
    pattern_or_slogan : str or re.Pattern
        A slogan id or canonical form of the lexicon: the mentions
        :func:`tag_slogans` finds for that entry, of the forms in ``forms``.
        Any other string is a regular expression
        (or a literal with ``regex=False``); pass a compiled pattern to search
        for a slogan's text literally.
    window : int, default 20
        Characters of context on each side.
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        For a slogan, the forms to show: by default the slogan itself, not
        its components standing alone (稳就业 is no line of 六稳); ``None``
        shows every form, components included.
    regex : bool, default True
        Whether a string that is not a slogan is a regular expression.
    mentions : pandas.DataFrame, optional
        :func:`tag_slogans` of ``corpus`` (with ``lexicon``), when already at
        hand: a slogan's lines are then read from it instead of tagging the
        corpus again. Its documents must be in ``corpus``. Not used for a
        pattern.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``date`` (NaT without a date column), ``form`` (the
        mention's form; None for a pattern match), ``counted`` (False on an
        expansion that repeats a named slogan in its sentence; always True
        for a pattern match), ``left``, ``match``, ``right`` (slices of
        ``text_clean`` with line breaks shown as spaces), ``start``, ``end``
        (offsets into ``text_clean``), in document order then by ``start``.

    Examples
    --------
    >>> table = kwic("一要稳就业，二要保民生。", "保民生", window=3)
    >>> table[["left", "match", "right"]].values.tolist()
    [['，二要', '保民生', '。']]
    >>> text = "做好“六稳”工作，稳就业。"
    >>> kwic(text, "六稳", window=2)[["form", "match"]].values.tolist()
    [['compact', '六稳']]
    >>> kwic(text, "六稳", window=2, forms=None)["form"].tolist()
    ['compact', 'component']
    >>> kwic(text, "六稳", window=2, mentions=tag_slogans(text))["match"].tolist()
    ['六稳']
    """
    window = check_int(window, name="window", minimum=0)
    corpus = as_corpus(corpus)
    found = _kwic_spans(corpus, pattern_or_slogan, lexicon=lexicon, forms=forms, regex=regex, mentions=mentions)
    # Two slogans may claim one span: a line per span, in text order.
    lines = sorted({span[:3]: span for span in found}.values(), key=lambda span: span[:3])
    return _kwic_table(corpus, lines, window=window)


def _kwic_table(corpus: pd.DataFrame, spans: list[tuple], *, window: int) -> pd.DataFrame:
    """KWIC rows for (document position, start, end, form, counted) spans, in the order given."""
    texts = corpus["text_clean"].tolist()
    doc_ids = corpus["doc_id"].tolist()
    dates = (
        pd.to_datetime(corpus["date"], errors="coerce").tolist()
        if "date" in corpus.columns
        else [pd.NaT] * len(corpus)
    )

    def shown(text: str) -> str:
        return text.replace("\r", " ").replace("\n", " ")

    rows = {column: [] for column in KWIC_COLUMNS}
    for position, start, end, form, counted in spans:
        text = texts[position]
        rows["doc_id"].append(doc_ids[position])
        rows["date"].append(dates[position])
        rows["form"].append(form)
        rows["counted"].append(bool(counted))
        rows["left"].append(shown(text[max(0, start - window) : start]))
        rows["match"].append(shown(text[start:end]))
        rows["right"].append(shown(text[end : end + window]))
        rows["start"].append(start)
        rows["end"].append(end)
    table = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    table["date"] = pd.to_datetime(table["date"])
    for column in ("left", "match", "right"):
        table[column] = table[column].astype("str")
    return table.astype({"start": "int64", "end": "int64", "counted": "bool", "form": "object"})


def kwic_top_slogans(
    corpus,
    mentions: pd.DataFrame,
    *,
    n: int = 5,
    lines: int = 5,
    window: int = 20,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Keyword in context for the most mentioned slogans, a few lines each.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        The tagged corpus.
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans` on that corpus.
    n : int, default 5
        How many slogans (:func:`top_slogans`).
    lines : int, default 5
        Mentions shown per slogan: its first ones in document order.
    window : int, default 20
        Characters of context on each side.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Which forms are shown and counted.

    Returns
    -------
    pandas.DataFrame
        ``canonical``, then the columns of :func:`kwic`; slogans in the
        order of :func:`top_slogans`, counted mentions in document order.

    Examples
    --------
    >>> text = "做好“六稳”工作，落实“六保”任务，六保是底线。"
    >>> table = kwic_top_slogans(text, tag_slogans(text), n=1, lines=1, window=2)
    >>> table[["canonical", "left", "match", "right"]].values.tolist()
    [['六保', '实“', '六保', '”任']]
    """
    window = check_int(window, name="window", minimum=0)
    if not isinstance(lines, int) or isinstance(lines, bool) or lines < 1:
        raise ValueError(f"lines must be a whole number >= 1, got {lines!r}")
    corpus = as_corpus(corpus)
    check_columns(mentions, ("doc_id", "slogan_id", "canonical", "form", "start", "end"), producer="tag_slogans")
    positions = _document_positions(corpus, mentions)
    selected = select_forms(mentions, forms)
    rows = []
    for slogan_id in top_slogans(mentions, n=n, forms=forms)["slogan_id"] if len(selected) else []:
        chosen = selected[selected["slogan_id"] == slogan_id].assign(
            _position=lambda table: table["doc_id"].map(positions)
        )
        chosen = chosen.sort_values(["_position", "start"], kind="stable").head(lines)
        counted = chosen["counted"] if "counted" in chosen.columns else [True] * len(chosen)
        spans = list(zip(chosen["_position"], chosen["start"], chosen["end"], chosen["form"].astype("str"), counted))
        table = _kwic_table(corpus, spans, window=window)
        table.insert(0, "canonical", chosen["canonical"].astype("str").to_numpy())
        rows.append(table)
    if not rows:
        empty = _kwic_table(corpus, [], window=window)
        empty.insert(0, "canonical", pd.Series(dtype="str"))
        return empty
    return pd.concat(rows, ignore_index=True)


def kwic_html(kwic_table: pd.DataFrame) -> str:
    """Render a :func:`kwic` table as an HTML table, the match in ``<mark>``.

    All corpus text is escaped, so a page that quotes markup cannot inject it.

    Parameters
    ----------
    kwic_table : pandas.DataFrame
        A table from :func:`kwic` (``left``, ``match``, ``right``; ``doc_id``
        and ``date`` are shown when present).

    Returns
    -------
    str
        A ``<table class="kwic">`` element.

    Examples
    --------
    >>> table = kwic("落实<b>六保</b>任务", "六保", window=3)
    >>> "<mark>六保</mark>" in kwic_html(table)
    True
    >>> "&lt;b&gt;" in kwic_html(table)
    True
    """
    check_columns(kwic_table, ("left", "match", "right"), producer="kwic")
    meta = [column for column in ("doc_id", "date") if column in kwic_table.columns]
    if "date" in meta:
        # As precise as the dates are known, like every other table of the report: 2025, not 2025-01-01.
        precision = kwic_table["date_precision"] if "date_precision" in kwic_table.columns else None
        kwic_table = kwic_table.assign(date=format_dates(kwic_table["date"], precision).to_numpy())

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        return html.escape(str(value))

    lines = ['<table class="kwic">', "<thead><tr>"]
    lines += [f"<th>{html.escape(column)}</th>" for column in meta]
    lines += ['<th class="left"></th><th class="match"></th><th class="right"></th>']
    lines += ["</tr></thead>", "<tbody>"]
    for row in kwic_table.to_dict("records"):
        cells = "".join(f"<td>{cell(row[column])}</td>" for column in meta)
        cells += (
            f'<td class="left" style="text-align:right">{cell(row["left"])}</td>'
            f'<td class="match"><mark>{cell(row["match"])}</mark></td>'
            f'<td class="right">{cell(row["right"])}</td>'
        )
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)
