"""Segmentation speed options as one object: worker processes, segmenter, cache, engine, scheduler.

The five settings that change how fast a corpus is segmented (never which
tokens come out) travel together: the report's command line builds one
:class:`SegmentOptions`, hands it to every notebook as the ``segmentation``
parameter (a plain dict, since papermill parameters are literals), and the
notebooks pass it on to :func:`analysis.tokens.tokenize` and
:func:`analysis.dtm.count_terms` as ``options=``.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .validation import InputError

BACKENDS = ("jieba", "rjieba")
ENGINES = ("local", "dask")


@dataclass(frozen=True)
class SegmentOptions:
    """How to segment: none of these changes the tokens, only the time it takes.

    Attributes
    ----------
    n_jobs : int, default 1
        Worker processes on this machine; -1 for one per CPU.
    backend : {"jieba", "rjieba"}, default "jieba"
        jieba itself, or jieba-rs through rjieba (same dictionaries and
        tokens, several times faster; the ``[fast]`` extra).
    cache : bool or str, default True
        Reuse and keep segmentations under ``data/cache/segments`` (True), not
        at all (False), or in the folder given (a path, relative to the
        current directory).
    engine : {"local", "dask"}, default "local"
        Segment on this machine or on a Dask cluster.
    scheduler : str, optional
        With ``engine="dask"``: the scheduler's address (``tcp://host:8786``).

    Examples
    --------
    >>> SegmentOptions.from_value({"n_jobs": 2, "backend": "rjieba"}).n_jobs
    2
    >>> SegmentOptions(engine="local", scheduler="tcp://h:8786")
    Traceback (most recent call last):
    ...
    analysis.validation.InputError: scheduler= is the address of a Dask scheduler: it needs engine='dask'
    """

    n_jobs: int = 1
    backend: str = "jieba"
    cache: bool | str = True
    engine: str = "local"
    scheduler: object = None

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise InputError(f"backend must be one of {list(BACKENDS)}, got {self.backend!r}")
        if self.engine not in ENGINES:
            raise InputError(f"engine must be one of {list(ENGINES)}, got {self.engine!r}")
        if self.scheduler is not None and self.engine != "dask":
            raise InputError("scheduler= is the address of a Dask scheduler: it needs engine='dask'")
        n_jobs = self.n_jobs
        if isinstance(n_jobs, bool) or not hasattr(n_jobs, "__index__") or n_jobs == 0 or n_jobs < -1:
            raise InputError(f"n_jobs must be a positive integer or -1 (one per CPU), got {n_jobs!r}")
        if not isinstance(self.cache, (bool, str, os.PathLike)):
            raise InputError(f"cache must be True, False or a folder, got {self.cache!r}")

    @classmethod
    def from_value(cls, value=None, **overrides) -> "SegmentOptions":
        """Options from None (the defaults), a mapping (a notebook parameter) or options.

        Keyword overrides that are None are ignored, so a caller can pass its
        own keywords through without knowing which the user set.

        Examples
        --------
        >>> SegmentOptions.from_value(None, backend="rjieba").backend
        'rjieba'
        """
        if value is None:
            base = {}
        elif isinstance(value, SegmentOptions):
            base = asdict(value)
        elif isinstance(value, dict):
            known = {field.name for field in fields(cls)}
            unknown = sorted(set(value) - known)
            if unknown:
                raise InputError(f"unknown segmentation option(s) {unknown}; the options are {sorted(known)}")
            base = dict(value)
        else:
            raise InputError(f"options must be a SegmentOptions, a dict or None, got {type(value).__name__}")
        base.update({key: item for key, item in overrides.items() if item is not None})
        if isinstance(base.get("cache"), Path):
            base["cache"] = str(base["cache"])
        return cls(**base)

    @property
    def workers(self) -> int:
        """The number of worker processes ``n_jobs`` stands for on this machine."""
        return (os.cpu_count() or 1) if self.n_jobs == -1 else int(self.n_jobs)

    def as_parameter(self) -> dict:
        """A dict of literals, for a papermill ``parameters`` cell.

        Examples
        --------
        >>> SegmentOptions().as_parameter()
        {'n_jobs': 1, 'backend': 'jieba', 'cache': True, 'engine': 'local', 'scheduler': None}
        """
        parameter = asdict(self)
        if isinstance(parameter["cache"], os.PathLike):
            parameter["cache"] = str(parameter["cache"])
        if parameter["scheduler"] is not None and not isinstance(parameter["scheduler"], str):
            raise InputError("only a scheduler address (str) can be passed to a notebook, not a Client")
        return parameter


def dask_client(scheduler):
    """A ``distributed.Client`` for ``scheduler`` (an address or a Client) and whether the caller owns it.

    Returns ``(None, False)`` for None: Dask's default scheduler.

    Examples
    --------
    >>> dask_client(None)
    (None, False)
    """
    if scheduler is None:
        return None, False
    try:
        from distributed import Client
    except ImportError:
        raise ImportError("scheduler= needs the distributed package (pip install 'distributed>=2024.1')") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str):
        return Client(scheduler, set_as_default=False), True
    raise InputError(
        f"scheduler must be a Dask scheduler address (str) or a distributed.Client, got {type(scheduler).__name__}"
    )
