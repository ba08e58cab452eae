"""Putting a finished build in place of the report: locks between runs, leftovers of killed runs, the swap."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path


def is_replaceable(folder: Path) -> bool:
    if not folder.exists():
        return True
    return folder.is_dir() and (not any(folder.iterdir()) or (folder / "manifest.json").is_file())


# A build folder holds this file, locked, while its run is alive; the lock dies with the process,
# so the next run can tell a killed run's leftovers from a concurrent run's work in progress.
BUILD_LOCK_NAME = ".building"
# A build folder that has no lock file yet is left alone this long (the instant between mkdtemp
# and locking).
_UNLOCKED_BUILD_GRACE_SECONDS = 60


def _lock(handle, *, blocking: bool) -> bool:
    """flock an open file; True when locked. Without fcntl (Windows) there is nothing to wait for."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on the platforms the project runs on
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def publish_lock(target: Path):
    """Held while a report folder is swapped into place: two runs never swap at the same time.

    The lock file lives in the system's temporary folder, named by a hash of
    the report folder's path, so nothing is left beside the reports (and
    deleting a lock file others may wait on would break the lock).
    """
    key = hashlib.sha256(os.fsencode(target.resolve())).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"analysis-report-{key}.lock"
    with open(lock_path, "a+b") as handle:
        _lock(handle, blocking=True)
        yield


def hold_build(build: Path):
    """Lock a new build folder for the life of this run; returns the open lock file."""
    handle = open(build / BUILD_LOCK_NAME, "a+b")
    _lock(handle, blocking=True)
    return handle


def remove_abandoned_builds(target: Path) -> list[Path]:
    """Delete the ``.tmp-`` build folders of killed runs (and ``.old-`` folders of a killed swap).

    Call with the publish lock held. A build whose lock file can be locked
    has no live run behind it; one that is still locked belongs to a run in
    progress and is left alone.
    """
    removed = []
    for folder in sorted(target.parent.glob(f".{target.name}.old-*")):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    for folder in sorted(target.parent.glob(f".{target.name}.tmp-*")):
        lock_path = folder / BUILD_LOCK_NAME
        try:
            if not lock_path.exists():
                if time.time() - folder.stat().st_mtime < _UNLOCKED_BUILD_GRACE_SECONDS:
                    continue
            else:
                with open(lock_path, "a+b") as handle:
                    if not _lock(handle, blocking=False):
                        continue
        except FileNotFoundError:
            continue  # its own run finished and moved it meanwhile
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def swap_into_place(build: Path, target: Path) -> None:
    """Put the finished build where the report belongs, keeping the old one until it is there.

    Call with the publish lock held (:func:`publish_lock`).
    """
    (build / BUILD_LOCK_NAME).unlink(missing_ok=True)
    aside = build.with_name(build.name.replace(".tmp-", ".old-", 1))
    had_previous = target.exists()
    if had_previous:
        target.rename(aside)
    try:
        build.rename(target)
    except OSError:
        if had_previous:
            aside.rename(target)
        raise
    if had_previous:
        shutil.rmtree(aside)
