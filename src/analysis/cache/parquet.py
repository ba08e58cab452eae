"""Tables stored as Parquet with a JSON note beside them: the one way the cache keeps a DataFrame.

The stored corpora and the stored mention tables are both a DataFrame plus a
little JSON (its ``attrs``, a load's warnings) under one metadata key. Written
atomically (a temporary sibling moved into place); a file that is truncated,
foreign or missing its note reads back as absent, so the caller computes the
table again and rewrites it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from .segments import TEMP_PREFIX


def read_noted_table(path: Path, *, note_key: bytes) -> tuple[pd.DataFrame, dict] | None:
    """The table stored at ``path`` and its note, or None when absent or unreadable.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_noted_table(folder / "t.parquet", pd.DataFrame({"a": [1]}), note={"n": 2}, note_key=b"x")
    >>> read_noted_table(folder / "t.parquet", note_key=b"x")[1]
    {'n': 2}
    >>> read_noted_table(folder / "absent.parquet", note_key=b"x") is None
    True
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
        note = json.loads(table.schema.metadata[note_key])
        frame = table.to_pandas()
    except FileNotFoundError:
        return None
    except (OSError, pa.ArrowException, KeyError, TypeError, ValueError):
        return None
    if not isinstance(note, dict):
        return None
    return frame, note


def write_noted_table(path: Path, frame: pd.DataFrame, *, note: dict, note_key: bytes) -> None:
    """Store ``frame`` with ``note`` (JSON) at ``path`` atomically.

    Raises pyarrow's ``ArrowException`` (or ``TypeError``/``ValueError``) for a
    table Parquet cannot hold, before anything is written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = dict(table.schema.metadata or {})
    metadata[note_key] = json.dumps(note, ensure_ascii=False, default=str)
    table = table.replace_schema_metadata(metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".parquet", dir=path.parent)
    os.close(handle)
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
