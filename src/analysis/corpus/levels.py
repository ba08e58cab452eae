"""Administrative levels and regions: filled from ``level=``/``region=`` and checked against :data:`analysis.config.LEVELS`."""

from __future__ import annotations

import pandas as pd

from .. import config
from .columns import is_missing, text_column
from .errors import CorpusError


def fill_levels(frame: pd.DataFrame, *, level, region, caller: str = "load_corpus") -> None:
    """Fill ``level``/``region`` where the data names none, then check every level (in place).

    ``level`` and ``region`` are those of :func:`~analysis.corpus.load_corpus`
    (a value, a mapping from ``source``, or None); ``caller`` names the
    function in the error a bad level raises.

    Examples
    --------
    >>> frame = pd.DataFrame({"source": ["人民日报", "郑州日报"], "level": [None, None], "region": [None, None],
    ...                       "path": ["a.jsonl"] * 2, "record": [1, 2]})
    >>> fill_levels(frame, level={"人民日报": "central", "郑州日报": "municipal"}, region=None)
    >>> frame["level"].tolist()
    ['central', 'municipal']
    """
    for column, given in (("level", level), ("region", region)):
        if given is None:
            continue
        if isinstance(given, str):
            filled = pd.Series(given, index=frame.index, dtype=object)
        elif isinstance(given, dict):
            sources = frame["source"] if "source" in frame.columns else pd.Series(None, index=frame.index)
            filled = sources.map(lambda value, table=given: table.get(value) if isinstance(value, str) else None)
        else:
            raise CorpusError(
                f"{caller}: {column}= must be a string or a mapping from source to {column}, "
                f"got {type(given).__name__}"
            )
        if column == "level":
            bad = sorted({value for value in filled.dropna() if value not in config.LEVELS})
            if bad:
                raise CorpusError(f"{caller}: level {bad[0]!r} is not one of {', '.join(config.LEVELS)}")
        frame[column] = text_column(frame[column].where(frame[column].notna(), filled).tolist())
    bad_rows = frame["level"].notna() & ~frame["level"].isin(config.LEVELS)
    if bad_rows.any():
        row = frame.loc[bad_rows].iloc[0]
        where = f"{row['path']}" + ("" if is_missing(row.get("record")) else f": record {row['record']}")
        raise CorpusError(
            f"{where}: level {row['level']!r} is not one of {', '.join(config.LEVELS)} "
            f"({int(bad_rows.sum())} document(s) with an unknown level)"
        )
