"""The corpus table's columns: their names and dtypes, and what counts as a missing value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

COLUMNS = [
    "doc_id",
    "title",
    "subtitle",
    "byline",
    "date",
    "date_precision",
    "source",
    "path",
    "record",
    "level",
    "region",
    "text",
    "text_clean",
    "body_start",
    "doc_type",
]


#: Columns filled from the names of dated text files (:func:`analysis.sources.date_from_filename`).
FILENAME_COLUMNS = ("page", "seq")


#: The dtype of the date columns of the corpus table.
DATE_DTYPE = "datetime64[ns]"
# pandas 3 stores text in its own string dtype; earlier versions use objects.
PANDAS_INFERS_STR = pd.Series(["x"]).dtype != object
_STR_IN_ARROW = PANDAS_INFERS_STR and getattr(pd.Series(["x"]).dtype, "storage", None) == "pyarrow"


def is_missing(value: Any) -> bool:
    """Whether a cell holds no value: None, NaN, NaT, NA or a blank string.

    Parameters
    ----------
    value : object
        One value of a record or a cell of the corpus table. Lists, dicts and
        tuples are values, even when empty.

    Examples
    --------
    >>> is_missing("  "), is_missing(float("nan")), is_missing(pd.NaT), is_missing(0)
    (True, True, True, False)
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, dict, tuple)) else False
    except (TypeError, ValueError):
        return False


def _arrow_text_column(values: list[str | None]) -> pd.Series:
    """pandas' str column of ``values``, its Arrow buffers sized once.

    Converting a list of strings lets Arrow grow its buffers step by step,
    and its allocator keeps the memory it grew through: about 150 MB of
    resident memory for a column of 40 MB of text, where one joined buffer
    costs the text and its offsets.
    """
    import pyarrow as pa

    encoded = [value.encode("utf-8") if value is not None else b"" for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    data = b"".join(encoded)
    del encoded
    present = np.packbits(np.array([value is not None for value in values], dtype=bool), bitorder="little")
    array = pa.LargeStringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(data), pa.py_buffer(present))
    array.validate()
    return pd.Series(pd.array(array, dtype="str"))


def text_column(values: list[Any]) -> pd.Series:
    """A text column of the corpus table from ``values`` (str or None), in the dtype pandas uses for text.

    pandas' ``str`` dtype where pandas infers it (3.x, :data:`PANDAS_INFERS_STR`;
    built from Arrow buffers sized once), plain objects with None before:
    the same dtype whether the column is full, partly or entirely missing.

    Examples
    --------
    >>> column = text_column(["六稳", None])
    >>> column.tolist()[0], column.isna().tolist()
    ('六稳', [False, True])
    """
    if _STR_IN_ARROW and values and all(value is None or type(value) is str for value in values):
        try:
            return _arrow_text_column(values)
        except UnicodeEncodeError:
            pass  # a lone surrogate: pandas' own conversion decides what becomes of it
    series = pd.Series(values, dtype=object)
    # Same dtype whether a column is full, partly or entirely missing: pandas' string
    # dtype where pandas uses it by default (3.x), plain objects with None before.
    return series.astype("str") if PANDAS_INFERS_STR else series
