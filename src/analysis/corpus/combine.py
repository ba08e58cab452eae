"""Combining corpora (of different levels) into one table, their load records joined."""

from __future__ import annotations

import pandas as pd

from .columns import text_column
from .errors import CorpusError
from .levels import fill_levels
from .load import load_corpus
from .record import load_record, set_load_record


def combine_corpora(
    corpora,
    *,
    levels=None,
    regions=None,
) -> pd.DataFrame:
    """Join several corpora (tables or paths) into one, each document keeping its level and region.

    Parameters
    ----------
    corpora : list of pandas.DataFrame or path-like
        Tables from :func:`load_corpus`, or paths it loads.
    levels, regions : list, optional
        One entry per corpus: the ``level=`` and ``region=`` of
        :func:`load_corpus` (a value, a mapping from source, or None), filling
        the documents whose data or table names none.

    Returns
    -------
    pandas.DataFrame
        The rows of every corpus in order, with the columns of all of them
        (missing ones NA). :func:`skipped` and :func:`damaged` of the result
        list the problems of every part; ``attrs["path"]`` is the tuple of
        their paths.

    Raises
    ------
    CorpusError
        Two corpora share a ``doc_id`` (ids must stay unique across them), a
        level is not in :data:`analysis.config.LEVELS`, or ``levels`` /
        ``regions`` do not have one entry per corpus.

    Examples
    --------
    >>> central = pd.DataFrame({"doc_id": ["c1"], "source": ["人民日报"], "level": ["central"],
    ...                         "region": [None], "path": ["c.jsonl"], "record": [1], "text_clean": ["六稳"]})
    >>> local = central.assign(doc_id="l1", source="郑州日报", level=None, path="l.jsonl")
    >>> combine_corpora([central, local], levels=[None, "municipal"])["level"].tolist()
    ['central', 'municipal']
    """
    corpora = list(corpora)
    for name, given in (("levels", levels), ("regions", regions)):
        if given is not None and len(given) != len(corpora):
            raise CorpusError(f"combine_corpora: {name} has {len(given)} entries for {len(corpora)} corpora")
    parts, skipped_rows, damaged_rows, paths = [], [], [], []
    for number, corpus in enumerate(corpora):
        level = levels[number] if levels is not None else None
        region = regions[number] if regions is not None else None
        if not isinstance(corpus, pd.DataFrame):
            corpus = load_corpus(corpus, level=level, region=region)
        record = load_record(corpus) or {"skipped": [], "damaged": []}
        # Each part's own load record differs from the others': pandas would drop them all on concat.
        part = corpus.copy()
        part.attrs = {}
        for column in ("level", "region"):
            if column not in part.columns:
                part[column] = text_column([None] * len(part))
        fill_levels(part, level=level, region=region, caller=f"combine_corpora (corpus {number + 1})")
        parts.append(part)
        skipped_rows.extend(record["skipped"])
        damaged_rows.extend(record["damaged"])
        paths.append(str(corpus.attrs.get("path", "")))
    if not parts:
        raise CorpusError("combine_corpora: no corpora given")
    combined = pd.concat(parts, ignore_index=True)
    ids = combined["doc_id"].astype(str)
    clashes = sorted(set(ids[ids.duplicated()]))
    if clashes:
        raise CorpusError(
            f"combine_corpora: {len(clashes)} doc_id value(s) occur in more than one corpus: "
            f"{', '.join(map(repr, clashes[:10]))}; give the corpora distinct ids (id_col=...)"
        )
    set_load_record(combined, skipped_rows=skipped_rows, damaged_rows=damaged_rows)
    combined.attrs["path"] = tuple(paths)
    return combined
