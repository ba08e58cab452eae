"""Text reuse: passages a local document shares word for word with a central one."""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import pandas as pd

from ..corpus.duplicates import window_hashes
from ..periods import PERIODS, check_period, choose_period, to_period
from .documents import DiffusionError, require_input

REUSE_MIN_CHARS = 30
"""Shortest passage counted as text reuse, in characters other than spaces and punctuation.

Thirty characters is a long sentence: set phrases (习近平新时代中国特色社会主义思想,
16 characters) and whole slogans stay below it, while a copied sentence of a
central document does not.
"""

REUSE_COLUMNS = [
    "doc_id", "central_doc_id", "start", "end", "central_start", "central_end", "length", "passage",
]
REUSE_TABLE_COLUMNS = ["doc_id", "central_doc_id", "passages", "longest", "reused_chars", "chars", "share"]
REUSE_DOCUMENT_COLUMNS = [
    "doc_id", "date", "level", "region", "chars", "reused_chars", "share", "central_docs", "passages",
]
REUSE_PERIOD_COLUMNS = ["period", "start", "documents", "documents_reusing", "chars", "reused_chars", "share"]


@functools.lru_cache(maxsize=1)
def _kept_characters() -> np.ndarray:
    """Lookup over the Basic Multilingual Plane: True for characters compared in reuse."""
    keep = np.ones(0x10000, dtype=bool)
    for code in range(0x10000):
        # Spaces, punctuation, symbols and controls do not make a passage the same text.
        if unicodedata.category(chr(code))[0] in "ZPSC":
            keep[code] = False
    return keep


def _normalised(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Code points compared in reuse and their offsets in ``text``."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    keep = np.ones(len(codes), dtype=bool)
    in_bmp = codes < 0x10000
    keep[in_bmp] = _kept_characters()[codes[in_bmp]]
    offsets = np.flatnonzero(keep)
    return codes[offsets], offsets


def normalised_length(text: str) -> int:
    """Characters of ``text`` that text reuse compares: all but spaces, punctuation and symbols.

    Examples
    --------
    >>> normalised_length("稳就业、稳金融。")
    6
    """
    return len(_normalised(text if isinstance(text, str) else "")[1])


class _Texts:
    """The normalised texts of one table, concatenated, with their offsets and document bounds."""

    def __init__(self, texts: list[str]):
        pieces = [_normalised(text if isinstance(text, str) else "") for text in texts]
        lengths = np.array([len(codes) for codes, _ in pieces], dtype=np.int64)
        self.bounds = np.concatenate([[0], np.cumsum(lengths)])
        self.codes = np.concatenate([codes for codes, _ in pieces]) if pieces else np.empty(0, np.uint32)
        self.offsets = [offsets for _, offsets in pieces]
        self.lengths = lengths

    def windows(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Hashes and global starts of the windows that lie inside one document."""
        hashed = window_hashes(self.codes, size)
        starts = np.arange(len(hashed), dtype=np.int64)
        document = np.searchsorted(self.bounds, starts, side="right") - 1
        inside = starts + size <= self.bounds[document + 1]
        return hashed[inside], starts[inside]


def find_reuse(
    local: pd.DataFrame,
    central: pd.DataFrame,
    *,
    min_chars: int = REUSE_MIN_CHARS,
    earlier_only: bool = True,
    text_col: str = "text_clean",
) -> pd.DataFrame:
    """Passages a local document shares word for word with a central one.

    Every passage of at least ``min_chars`` characters (spaces, punctuation
    and symbols not counted, nor compared) that occurs in both a local and a
    central document is found, maximal: it cannot be extended on either
    side. A passage repeated in a document is reported at each place.

    Parameters
    ----------
    local, central : pandas.DataFrame
        Documents with ``doc_id`` and ``text_col`` (and ``date`` for
        ``earlier_only``), e.g. the lower levels and the central level of one
        combined corpus.
    min_chars : int, default :data:`REUSE_MIN_CHARS`
        Shortest passage, in compared characters.
    earlier_only : bool, default True
        Leave out pairs whose central document is dated later than the local
        one (a central text cannot be the source of an earlier local one).
        Pairs with an undated document are kept.
    text_col : str, default "text_clean"

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_COLUMNS`, one row per passage, ordered by local
        document, central document and ``start``: ``doc_id`` (local),
        ``central_doc_id``, ``start``/``end`` (offsets into the local
        ``text_col``), ``central_start``/``central_end`` (into the central
        one), ``length`` (compared characters) and ``passage`` (the local
        text). ``attrs["min_chars"]`` records the minimum.

    Examples
    --------
    >>> shared = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局"
    >>> local = pd.DataFrame({"doc_id": ["l"], "text_clean": ["会议要求：" + shared + "。"]})
    >>> central = pd.DataFrame({"doc_id": ["c"], "text_clean": ["我们" + shared + "，着力推动高质量发展。"]})
    >>> find_reuse(local, central, earlier_only=False)[["start", "end", "central_start", "length"]].values.tolist()
    [[5, 40, 2, 33]]
    """
    for name, table in (("local", local), ("central", central)):
        require_input(table, ["doc_id", text_col], name=f"the {name} corpus", function="find_reuse")
    if earlier_only:
        for name, table in (("local", local), ("central", central)):
            require_input(table, ["date"], name=f"the {name} corpus (earlier_only=True)", function="find_reuse")
    if not isinstance(min_chars, (int, np.integer)) or min_chars < 2:
        raise DiffusionError(f"find_reuse: min_chars must be an integer of at least 2, got {min_chars!r}")
    local_texts = local[text_col].tolist()
    central_texts = central[text_col].tolist()
    ours, theirs = _Texts(local_texts), _Texts(central_texts)
    local_hash, local_start = ours.windows(min_chars)
    central_hash, central_start = theirs.windows(min_chars)

    order = np.argsort(central_hash, kind="stable")
    central_hash, central_start = central_hash[order], central_start[order]
    left = np.searchsorted(central_hash, local_hash, side="left")
    right = np.searchsorted(central_hash, local_hash, side="right")
    hits = right - left
    matched = np.flatnonzero(hits)
    repeat = hits[matched]
    local_positions = np.repeat(local_start[matched], repeat)
    first = np.repeat(left[matched], repeat)
    within = np.arange(len(first)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    central_positions = central_start[first + within]

    local_doc = np.searchsorted(ours.bounds, local_positions, side="right") - 1
    central_doc = np.searchsorted(theirs.bounds, central_positions, side="right") - 1
    diagonal = central_positions - local_positions
    order = np.lexsort((local_positions, diagonal, central_doc, local_doc))
    local_positions, central_positions = local_positions[order], central_positions[order]
    local_doc, central_doc, diagonal = local_doc[order], central_doc[order], diagonal[order]
    # Windows on one diagonal one character apart are one passage.
    new_run = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        new_run[1:] = (
            (local_doc[1:] != local_doc[:-1]) | (central_doc[1:] != central_doc[:-1])
            | (diagonal[1:] != diagonal[:-1]) | (local_positions[1:] != local_positions[:-1] + 1)
        )
    run_starts = np.flatnonzero(new_run)
    run_ends = np.r_[run_starts[1:], len(order)] - 1

    local_ids = local["doc_id"].astype(str).tolist()
    central_ids = central["doc_id"].astype(str).tolist()
    local_dates = pd.to_datetime(local["date"]).tolist() if earlier_only else None
    central_dates = pd.to_datetime(central["date"]).tolist() if earlier_only else None
    rows = []
    for head, tail in zip(run_starts.tolist(), run_ends.tolist()):
        one, other = int(local_doc[head]), int(central_doc[head])
        if local_ids[one] == central_ids[other]:
            continue  # a document shared by both tables is not reused from itself
        if earlier_only:
            ours_date, theirs_date = local_dates[one], central_dates[other]
            if not pd.isna(ours_date) and not pd.isna(theirs_date) and theirs_date > ours_date:
                continue
        a, b = int(local_positions[head]), int(local_positions[tail]) + min_chars
        c = int(central_positions[head])
        d = c + (b - a)
        if not np.array_equal(ours.codes[a:b], theirs.codes[c:d]):
            continue  # a 64-bit hash collision, not shared text
        a_local, b_local = a - ours.bounds[one], b - ours.bounds[one]
        c_local, d_local = c - theirs.bounds[other], d - theirs.bounds[other]
        start = int(ours.offsets[one][a_local])
        end = int(ours.offsets[one][b_local - 1]) + 1
        rows.append({
            "doc_id": local_ids[one], "central_doc_id": central_ids[other],
            "start": start, "end": end,
            "central_start": int(theirs.offsets[other][c_local]),
            "central_end": int(theirs.offsets[other][d_local - 1]) + 1,
            "length": b - a, "passage": local_texts[one][start:end],
        })
    table = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    table = table.astype({"start": "int64", "end": "int64", "central_start": "int64",
                          "central_end": "int64", "length": "int64"})
    table = table.sort_values(["doc_id", "central_doc_id", "start", "central_start"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["min_chars"] = int(min_chars)
    return table


def _reused_characters(spans: pd.DataFrame, text: str) -> int:
    """Compared characters of ``text`` covered by at least one span (overlaps counted once)."""
    _, offsets = _normalised(text)
    covered = np.zeros(len(offsets), dtype=bool)
    for start, end in zip(spans["start"], spans["end"]):
        covered[np.searchsorted(offsets, start) : np.searchsorted(offsets, end)] = True
    return int(covered.sum())


def reuse_table(reuse: pd.DataFrame, local: pd.DataFrame, *, text_col: str = "text_clean") -> pd.DataFrame:
    """One row per local and central document that share passages.

    Parameters
    ----------
    reuse : pandas.DataFrame
        From :func:`find_reuse`.
    local : pandas.DataFrame
        The local documents given to it (``doc_id``, ``text_col``).

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_TABLE_COLUMNS`: ``doc_id``, ``central_doc_id``,
        ``passages``, ``longest`` (compared characters),
        ``reused_chars`` (characters of the local document in any shared
        passage), ``chars`` (its compared characters) and ``share``
        (``reused_chars / chars``), by share, largest first.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_id": ["l"], "central_doc_id": ["c"], "start": [0], "end": [4], "length": [4]})
    >>> reuse_table(reuse, pd.DataFrame({"doc_id": ["l"], "text_clean": ["六稳六保，稳中求进"]}))["share"].tolist()
    [0.5]
    """
    require_input(reuse, ["doc_id", "central_doc_id", "start", "end", "length"], name="reuse", function="reuse_table")
    require_input(local, ["doc_id", text_col], name="the local corpus", function="reuse_table")
    texts = dict(zip(local["doc_id"].astype(str), local[text_col]))
    rows = []
    for (doc_id, central_doc_id), frame in reuse.groupby(["doc_id", "central_doc_id"], sort=True):
        text = texts.get(str(doc_id))
        if text is None:
            raise DiffusionError(f"reuse_table: document {doc_id!r} of the reuse table is not in the local corpus")
        chars = normalised_length(text)
        reused = _reused_characters(frame, text)
        rows.append({"doc_id": doc_id, "central_doc_id": central_doc_id, "passages": len(frame),
                     "longest": int(frame["length"].max()), "reused_chars": reused, "chars": chars,
                     "share": reused / chars if chars else 0.0})
    table = pd.DataFrame(rows, columns=REUSE_TABLE_COLUMNS)
    table = table.astype({"passages": "int64", "longest": "int64", "reused_chars": "int64", "chars": "int64",
                          "share": "float64"})
    return table.sort_values(["share", "doc_id", "central_doc_id"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def reuse_by_document(reuse: pd.DataFrame, local: pd.DataFrame, *, text_col: str = "text_clean") -> pd.DataFrame:
    """Share of each local document that is reused from central ones, every document listed.

    Parameters
    ----------
    reuse : pandas.DataFrame
        From :func:`find_reuse`.
    local : pandas.DataFrame
        The local documents (``doc_id``, ``text_col``; ``date``, ``level``,
        ``region`` when present).

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_DOCUMENT_COLUMNS`, in the local corpus's order:
        ``doc_id``, ``date``, ``level``, ``region``, ``chars`` (compared
        characters), ``reused_chars`` (in a passage shared with any central
        document), ``share``, ``central_docs`` and ``passages``; documents
        without reuse have zeros.

    Examples
    --------
    >>> reuse = pd.DataFrame({"doc_id": ["l"], "central_doc_id": ["c"], "start": [0], "end": [4], "length": [4]})
    >>> local = pd.DataFrame({"doc_id": ["l", "m"], "text_clean": ["六稳六保，稳中求进", "无"]})
    >>> reuse_by_document(reuse, local)["share"].tolist()
    [0.5, 0.0]
    """
    require_input(reuse, ["doc_id", "central_doc_id", "start", "end"], name="reuse", function="reuse_by_document")
    require_input(local, ["doc_id", text_col], name="the local corpus", function="reuse_by_document")
    groups = {str(doc_id): frame for doc_id, frame in reuse.groupby("doc_id", sort=False)}
    ids = local["doc_id"].astype(str).tolist()
    chars, reused, central_docs, passages = [], [], [], []
    for doc_id, text in zip(ids, local[text_col]):
        text = text if isinstance(text, str) else ""
        frame = groups.get(doc_id)
        if frame is None:
            # Counting needs no offsets: only documents with passages pay for the full pass.
            chars.append(normalised_length(text))
            reused.append(0)
            central_docs.append(0)
            passages.append(0)
            continue
        _, offsets = _normalised(text)
        covered = np.zeros(len(offsets), dtype=bool)
        for start, end in zip(frame["start"], frame["end"]):
            covered[np.searchsorted(offsets, start) : np.searchsorted(offsets, end)] = True
        chars.append(len(offsets))
        reused.append(int(covered.sum()))
        central_docs.append(frame["central_doc_id"].nunique())
        passages.append(len(frame))
    absent = pd.Series([None] * len(local), dtype=object)
    rows = {
        "doc_id": ids,
        "date": local["date"].to_numpy() if "date" in local.columns else pd.Series([pd.NaT] * len(local)),
        "level": local["level"].to_numpy(dtype=object) if "level" in local.columns else absent,
        "region": local["region"].to_numpy(dtype=object) if "region" in local.columns else absent,
        "chars": chars, "reused_chars": reused,
        "share": [r / c if c else 0.0 for r, c in zip(reused, chars)],
        "central_docs": central_docs, "passages": passages,
    }
    table = pd.DataFrame(rows, columns=REUSE_DOCUMENT_COLUMNS)
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[ns]")
    return table.astype({"chars": "int64", "reused_chars": "int64", "share": "float64",
                         "central_docs": "int64", "passages": "int64"})


def reuse_by_period(by_document: pd.DataFrame, *, period: str | None = None) -> pd.DataFrame:
    """Reuse over time: per period, the pooled share of local text reused from central documents.

    Parameters
    ----------
    by_document : pandas.DataFrame
        From :func:`reuse_by_document`.
    period : str, optional
        A unit of :data:`analysis.periods.PERIODS`; default
        :func:`analysis.periods.choose_period` of the documents' dates.

    Returns
    -------
    pandas.DataFrame
        :data:`REUSE_PERIOD_COLUMNS`, every period from the first to the last
        dated document (periods without documents have zeros, a gap rather
        than no reuse): ``period``, ``start``, ``documents``,
        ``documents_reusing``, ``chars``, ``reused_chars`` and ``share``
        (reused over all characters of the period, NaN without documents).
        Undated documents are counted in ``attrs["undated"]``.

    Examples
    --------
    >>> table = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2022-01-01"]),
    ...                       "chars": [10, 10], "reused_chars": [5, 0]})
    >>> reuse_by_period(table, period="year")["share"].tolist()
    [0.5, nan, 0.0]
    """
    require_input(by_document, ["date", "chars", "reused_chars"], name="by_document", function="reuse_by_period")
    dates = pd.to_datetime(by_document["date"])
    period = choose_period(dates) if period is None else check_period(period)
    code = PERIODS[period] if period is not None else None
    dated = by_document[dates.notna()]
    rows = []
    if len(dated) and code is not None:
        dated = dated.assign(_slot=to_period(dates[dates.notna()], period).to_numpy())
        grouped = dated.groupby("_slot")
        for slot in pd.period_range(dated["_slot"].min(), dated["_slot"].max(), freq=code):
            frame = grouped.get_group(slot) if slot in grouped.groups else dated.iloc[0:0]
            chars, reused = int(frame["chars"].sum()), int(frame["reused_chars"].sum())
            rows.append({"period": str(slot), "start": slot.to_timestamp(), "documents": len(frame),
                         "documents_reusing": int((frame["reused_chars"] > 0).sum()), "chars": chars,
                         "reused_chars": reused, "share": reused / chars if chars else np.nan})
    table = pd.DataFrame(rows, columns=REUSE_PERIOD_COLUMNS)
    table["start"] = pd.to_datetime(table["start"]).astype("datetime64[ns]")
    table = table.astype({"documents": "int64", "documents_reusing": "int64", "chars": "int64",
                          "reused_chars": "int64", "share": "float64"})
    table.attrs["undated"] = int(dates.isna().sum())
    table.attrs["period"] = period
    return table
