"""A work report's sections as a table, and the spans of any table joined to the section they fall in."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..slogans import COUNTED_FORMS, counted_mentions
from ..validation import InputError, require_columns, require_unique
from .headings import (
    LINE,
    classify_heading,
    first_sentence,
    in_sequence,
    numbered_lines,
)

SECTION_TYPES = ("review", "targets", "tasks", "other")
#: Values of the ``part`` column of :func:`sections`.
PARTS = ("preamble", "section", "lead_in", "subsection", "closing")
SECTION_COLUMNS = [
    "doc_id",
    "section_id",
    "parent_id",
    "level",
    "number",
    "part",
    "heading",
    "section_type",
    "start",
    "end",
]
#: Columns :func:`assign_sections` adds to a table of spans.
ASSIGNED_COLUMNS = ["section_id", "section_type", "section_heading", "subsection_heading"]
#: Section type of spans in a document that has no numbered sections.
UNSECTIONED = "unsectioned"

_CLOSING_LINE = re.compile(r"[ \t\u3000]*(?:各位代表|结束语)")


# A statement of the coming year's main targets, as the lead-in of a tasks section makes it.
_TARGETS_STATEMENT = re.compile(r"(?:主要预期目标|预期目标|主要目标)(?:是|为)")


def as_corpus(corpus) -> pd.DataFrame:
    """``corpus`` checked (``doc_id`` unique, ``text_clean`` text), or a one-document corpus of a str.

    Examples
    --------
    >>> as_corpus("一、回顾").to_dict("list")
    {'doc_id': ['0'], 'text_clean': ['一、回顾']}
    """
    if isinstance(corpus, str):
        return pd.DataFrame({"doc_id": ["0"], "text_clean": [corpus]})
    if not isinstance(corpus, pd.DataFrame):
        raise InputError(f"corpus must be a pandas DataFrame (from load_corpus) or a str, got {type(corpus).__name__}")
    require_columns(corpus, ["doc_id", "text_clean"], name="corpus", producer="analysis.corpus.load_corpus")
    require_unique(corpus["doc_id"], name="corpus doc_id")
    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        if not isinstance(text, str):
            raise InputError(f"corpus document {doc_id!r} (row {position}): text_clean is {type(text).__name__}, not str")
    return corpus


def _closing_start(text: str, after: int) -> int | None:
    """Start of the closing: a 结束语 line, else the last paragraph addressed to 各位代表, after ``after``."""
    last = None
    for match in LINE.finditer(text, after):
        line = match.group()
        if not line or _CLOSING_LINE.match(line) is None:
            continue
        if line.strip().startswith("结束语"):
            return match.start()
        last = match.start()
    return last


def _document_sections(doc_id, text: str) -> list[dict]:
    lines = numbered_lines(text)
    first = next((line for line in lines if line.number == 1 and line.heading_like), None)
    if first is None:
        return []
    top_shape = first.shape
    sub_shape = "paren" if top_shape == "plain" else "plain"
    tops = in_sequence([line for line in lines if line.shape == top_shape], require_heading_like=True)
    closing = _closing_start(text, tops[-1].end)
    text_end = len(text)
    section_end = closing if closing is not None else text_end

    rows: list[dict] = []
    if text[: tops[0].start].strip():
        rows.append(_row(doc_id, "0", None, 1, None, "preamble", "", "other", 0, tops[0].start))
    previous_type = None
    for index, top in enumerate(tops):
        end = tops[index + 1].start if index + 1 < len(tops) else section_end
        heading = text[top.body_start : top.end].strip()
        kind = classify_heading(heading)
        if kind is None:
            kind = "tasks" if previous_type in ("review", "targets", "tasks") else "other"
        previous_type = kind
        section_id = str(top.number)
        rows.append(_row(doc_id, section_id, None, 1, top.number, "section", heading, kind, top.start, end))
        inside = [line for line in lines if line.shape == sub_shape and top.end <= line.start < end]
        subs = in_sequence(inside, require_heading_like=sub_shape == "plain")
        if not subs:
            continue
        lead_start = min(top.end + 1, end)
        if text[lead_start : subs[0].start].strip():
            lead_type = kind
            if kind == "tasks" and _TARGETS_STATEMENT.search(text, lead_start, subs[0].start):
                lead_type = "targets"
            rows.append(_row(doc_id, f"{section_id}.0", section_id, 2, None, "lead_in", "", lead_type, lead_start, subs[0].start))
        for position, sub in enumerate(subs):
            sub_end = subs[position + 1].start if position + 1 < len(subs) else end
            sub_heading = text[sub.body_start : sub.end]
            sub_heading = first_sentence(sub_heading) if sub.shape == "paren" else sub_heading.strip()
            rows.append(
                _row(doc_id, f"{section_id}.{sub.number}", section_id, 2, sub.number, "subsection", sub_heading, kind, sub.start, sub_end)
            )
    if closing is not None:
        rows.append(_row(doc_id, "closing", None, 1, None, "closing", "", "other", closing, text_end))
    return rows


def _row(doc_id, section_id, parent_id, level, number, part, heading, kind, start, end) -> dict:
    return {
        "doc_id": doc_id,
        "section_id": section_id,
        "parent_id": parent_id,
        "level": level,
        "number": number,
        "part": part,
        "heading": heading,
        "section_type": kind,
        "start": start,
        "end": end,
    }


def _section_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=SECTION_COLUMNS)
    return table.astype(
        {
            "doc_id": "object",
            "section_id": "object",
            "parent_id": "object",
            "level": "int64",
            "number": "Int64",
            "part": "object",
            "heading": "object",
            "section_type": "object",
            "start": "int64",
            "end": "int64",
        }
    )


def sections(corpus) -> pd.DataFrame:
    """Split work reports into their numbered sections and subsections, each with its type.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (as from
        :func:`analysis.corpus.load_corpus`); a single string is read as
        document ``"0"``.

    Returns
    -------
    pandas.DataFrame
        One row per section, subsection, lead-in, preamble and closing, in
        document order then by ``start`` (a section before its subsections):

        - ``doc_id``
        - ``section_id``: ``"2"`` for section 二, ``"2.3"`` for its （三）,
          ``"2.0"`` for its lead-in, ``"0"`` for the preamble, ``"closing"``.
        - ``parent_id``: the level-1 ``section_id`` of a level-2 row, else None.
        - ``level``: 1 (sections, preamble, closing) or 2 (subsections, lead-ins).
        - ``number``: the heading's number (Int64; <NA> for the other parts).
        - ``part``: one of :data:`PARTS`.
        - ``heading``: the heading without its numeral (a subsection's first
          sentence); empty for the other parts.
        - ``section_type``: one of :data:`SECTION_TYPES` (see the module
          docstring for the rule).
        - ``start``, ``end``: offsets into ``text_clean``. Level-1 rows tile
          the document from its first heading (or its start, with a
          preamble) to its end; the level-2 rows of a section tile it from
          the line after its heading.

        ``attrs["note"]`` says in one sentence what was found, or that no
        work-report sections were found.

    Examples
    --------
    >>> text = ("各位代表：\\n一、2024年工作回顾\\n过去一年……\\n"
    ...         "二、2025年经济社会发展总体要求和政策取向\\n今年发展主要预期目标是：国内生产总值增长5%左右。\\n"
    ...         "三、2025年政府工作任务\\n（一）大力提振消费。实施专项行动。\\n（二）发展新质生产力。\\n"
    ...         "各位代表！让我们团结奋斗。")
    >>> table = sections(text)
    >>> table[["section_id", "part", "heading", "section_type"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['0', 'preamble', '', 'other'],
     ['1', 'section', '2024年工作回顾', 'review'],
     ['2', 'section', '2025年经济社会发展总体要求和政策取向', 'targets'],
     ['3', 'section', '2025年政府工作任务', 'tasks'],
     ['3.1', 'subsection', '大力提振消费', 'tasks'],
     ['3.2', 'subsection', '发展新质生产力', 'tasks'],
     ['closing', 'closing', '', 'other']]
    """
    corpus = as_corpus(corpus)
    rows: list[dict] = []
    sectioned = 0
    for doc_id, text in zip(corpus["doc_id"], corpus["text_clean"]):
        found = _document_sections(doc_id, text)
        sectioned += bool(found)
        rows.extend(found)
    table = _section_table(rows)
    documents = len(corpus)
    if sectioned:
        counts = table.loc[table["level"] == 1, "section_type"].value_counts()
        kinds = ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in SECTION_TYPES)
        table.attrs["note"] = (
            f"{sectioned} of {documents} documents are split into numbered sections "
            f"(level-1 parts: {kinds}); the other {documents - sectioned} have no numbered headings."
        )
    else:
        table.attrs["note"] = (
            f"No work-report sections were found: none of the {documents} documents has numbered "
            "headings (一、… or （一）…), so there is nothing to split by section type."
        )
    return table


def section_tiles(sections_table: pd.DataFrame) -> pd.DataFrame:
    """The non-overlapping pieces of text that the sections cover, each with its deepest row.

    Level-2 rows replace the part of their section they cover; the line of
    a section heading stays with the section.

    Parameters
    ----------
    sections_table : pandas.DataFrame
        The table from :func:`sections`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``section_id``, ``section_type``, ``start``, ``end``,
        sorted by document and ``start``.

    Examples
    --------
    >>> table = sections("一、工作回顾\\n回顾。\\n二、主要任务\\n（一）扩大内需。\\n")
    >>> section_tiles(table)[["section_id", "start", "end"]].values.tolist()
    [['1', 0, 11], ['2', 11, 18], ['2.1', 18, 27]]
    """
    require_columns(sections_table, SECTION_COLUMNS, name="sections_table", producer="workreport.sections")
    # Plain tuples, not per-document frames: a corpus of a thousand reports has ten thousand rows.
    rows_by_doc: dict = {}
    for row in sections_table[["doc_id", "section_id", "parent_id", "level", "section_type", "start", "end"]].itertuples(
        index=False, name=None
    ):
        rows_by_doc.setdefault(row[0], []).append(row)
    pieces = []
    for doc_id, rows in rows_by_doc.items():
        children: dict = {}
        for row in rows:
            if row[3] == 2:
                children.setdefault(row[2], []).append(row)
        for _, section_id, _, level, section_type, start, end in rows:
            if level != 1:
                continue
            cursor = start
            for child in sorted(children.get(section_id, ()), key=lambda child: child[5]):
                if child[5] > cursor:
                    pieces.append((doc_id, section_id, section_type, cursor, child[5]))
                pieces.append((doc_id, child[1], child[4], child[5], child[6]))
                cursor = child[6]
            if cursor < end:
                pieces.append((doc_id, section_id, section_type, cursor, end))
    tiles = pd.DataFrame(pieces, columns=["doc_id", "section_id", "section_type", "start", "end"])
    return tiles.astype({"start": "int64", "end": "int64"})


def assign_sections(table: pd.DataFrame, sections_table: pd.DataFrame) -> pd.DataFrame:
    """Add to each span of ``table`` the section it starts in.

    Works for any table with ``doc_id`` and ``start`` offsets into
    ``text_clean``: slogan mentions (:func:`analysis.slogans.tag_slogans`),
    tokens (:func:`analysis.tokens.tokenize`), KWIC lines
    (:func:`analysis.slogans.kwic`). Grouping tokens by ``section_type`` and
    passing two groups to :func:`analysis.textstat.keyness` compares, say,
    the review with the tasks.

    Parameters
    ----------
    table : pandas.DataFrame
        Spans with ``doc_id`` and ``start``.
    sections_table : pandas.DataFrame
        The table from :func:`sections` for the same corpus.

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with :data:`ASSIGNED_COLUMNS` added: the deepest
        ``section_id``, its ``section_type``, and the headings of its level-1
        section and level-2 subsection ("" where there is none). Every row
        is kept: a span in a document without sections gets ``section_type``
        :data:`UNSECTIONED` and a missing ``section_id``.

    Examples
    --------
    >>> table = sections("一、工作回顾\\n稳就业。\\n二、主要任务\\n（一）扩大内需。稳就业。\\n")
    >>> spans = pd.DataFrame({"doc_id": ["0", "0"], "start": [7, 24], "end": [10, 27]})
    >>> assign_sections(spans, table)[["section_id", "section_type", "subsection_heading"]].values.tolist()
    [['1', 'review', ''], ['2.1', 'tasks', '扩大内需']]
    """
    require_columns(table, ["doc_id", "start"], name="table", producer="tag_slogans, tokenize or kwic")
    tiles = section_tiles(sections_table)
    headings = sections_table.set_index(["doc_id", "section_id"])["heading"].to_dict()
    parents = sections_table.set_index(["doc_id", "section_id"])["parent_id"].to_dict()
    result = table.copy()
    section_ids = np.full(len(result), None, dtype=object)
    kinds = np.full(len(result), UNSECTIONED, dtype=object)
    top_headings = np.full(len(result), "", dtype=object)
    sub_headings = np.full(len(result), "", dtype=object)
    tiles_by_doc = {doc_id: rows for doc_id, rows in tiles.groupby("doc_id", sort=False)}
    starts = result["start"].to_numpy()
    for doc_id, rows in result.groupby("doc_id", sort=False).indices.items():
        doc_tiles = tiles_by_doc.get(doc_id)
        if doc_tiles is None:
            continue
        tile_starts = doc_tiles["start"].to_numpy()
        tile_ends = doc_tiles["end"].to_numpy()
        tile_ids = doc_tiles["section_id"].to_numpy(dtype=object)
        tile_parents = [parents.get((doc_id, section_id)) for section_id in tile_ids]
        tile_top = np.array([
            headings.get((doc_id, section_id if parent is None or pd.isna(parent) else parent), "")
            for section_id, parent in zip(tile_ids, tile_parents)
        ], dtype=object)
        tile_sub = np.array([
            "" if parent is None or pd.isna(parent) else headings.get((doc_id, section_id), "")
            for section_id, parent in zip(tile_ids, tile_parents)
        ], dtype=object)
        positions = np.searchsorted(tile_starts, starts[rows], side="right") - 1
        # Before the first heading of a document without a preamble: not in any section.
        inside = (positions >= 0) & (starts[rows] < tile_ends[np.maximum(positions, 0)])
        kinds[rows[~inside]] = None
        rows, positions = rows[inside], positions[inside]
        section_ids[rows] = tile_ids[positions]
        kinds[rows] = doc_tiles["section_type"].to_numpy(dtype=object)[positions]
        top_headings[rows] = tile_top[positions]
        sub_headings[rows] = tile_sub[positions]
    result["section_id"] = section_ids
    result["section_type"] = kinds
    result["section_heading"] = top_headings
    result["subsection_heading"] = sub_headings
    return result


SLOGAN_SECTION_COLUMNS = [
    "section_type",
    "slogan_id",
    "canonical",
    "mentions",
    "documents_mentioning",
    "characters",
    "per_10k_chars",
]


def slogan_counts_by_section(
    mentions: pd.DataFrame,
    sections_table: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    forms=COUNTED_FORMS,
) -> pd.DataFrame:
    """Count slogan mentions per section type (review, targets, tasks, other).

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`analysis.slogans.tag_slogans`.
    sections_table : pandas.DataFrame
        The table from :func:`sections` for the same corpus.
    corpus : pandas.DataFrame, optional
        The corpus (``doc_id``, ``text_clean``); with it, the characters of
        documents without sections are counted under :data:`UNSECTIONED`.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Forms to count, as in :func:`analysis.slogans.slogan_counts`; None
        counts every form.

    Returns
    -------
    pandas.DataFrame
        :data:`SLOGAN_SECTION_COLUMNS`: per section type and slogan, the
        ``mentions``, the documents with at least one of them in that type
        (``documents_mentioning``), the ``characters`` of text of that type
        in the corpus and ``per_10k_chars`` (mentions per 10,000 characters
        of that type, so the long tasks part and the short targets part
        compare). Sorted by section type (in :data:`SECTION_TYPES` order,
        then :data:`UNSECTIONED`) and mentions, most first. Mentions before
        the first heading of a document without preamble are not in any
        section and are left out; their number is in ``attrs["outside"]``.

    Examples
    --------
    >>> from analysis.slogans import tag_slogans
    >>> text = "一、工作回顾\\n做好“六稳”工作。\\n二、主要任务\\n全面落实“六保”任务，做好“六稳”工作。\\n"
    >>> counts = slogan_counts_by_section(tag_slogans(text), sections(text))
    >>> counts[["section_type", "canonical", "mentions"]].values.tolist()
    [['review', '六稳', 1], ['tasks', '六保', 1], ['tasks', '六稳', 1]]
    """
    require_columns(mentions, ["doc_id", "slogan_id", "canonical", "form", "start"], name="mentions", producer="tag_slogans")
    # One reference, one count: a list next to its slogan's name is not counted twice.
    mentions = counted_mentions(mentions, forms)
    assigned = assign_sections(mentions, sections_table)
    outside = int(assigned["section_type"].isna().sum())
    assigned = assigned[assigned["section_type"].notna()]
    tiles = section_tiles(sections_table)
    characters = (tiles["end"] - tiles["start"]).groupby(tiles["section_type"]).sum().to_dict()
    if corpus is not None:
        corpus = as_corpus(corpus)
        unsectioned = ~corpus["doc_id"].isin(set(sections_table["doc_id"]))
        characters[UNSECTIONED] = int(corpus.loc[unsectioned, "text_clean"].str.len().sum())
    grouped = (
        assigned.groupby(["section_type", "slogan_id", "canonical"], sort=False)
        .agg(mentions=("doc_id", "size"), documents_mentioning=("doc_id", "nunique"))
        .reset_index()
    )
    grouped["characters"] = grouped["section_type"].map(characters).astype("Int64")
    grouped["per_10k_chars"] = grouped["mentions"] / grouped["characters"].astype("float64") * 10_000
    order = {kind: position for position, kind in enumerate((*SECTION_TYPES, UNSECTIONED))}
    grouped["_order"] = grouped["section_type"].map(order)
    grouped = grouped.sort_values(["_order", "mentions", "canonical"], ascending=[True, False, True], kind="stable")
    result = grouped[SLOGAN_SECTION_COLUMNS].reset_index(drop=True)
    result = result.astype({"mentions": "int64", "documents_mentioning": "int64"})
    result.attrs["outside"] = outside
    return result
