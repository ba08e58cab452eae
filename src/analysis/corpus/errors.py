"""What goes wrong loading a corpus: :class:`CorpusError` (it cannot be loaded as asked) and :class:`CorpusWarning`."""

from __future__ import annotations


class CorpusError(ValueError):
    """A corpus cannot be loaded as asked; the message names the file and, when known, the record."""


class CorpusWarning(UserWarning):
    """Documents were skipped or dates could not be parsed while loading a corpus."""
