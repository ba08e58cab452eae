"""The one exception of the report: what went wrong, naming the input or notebook."""

from __future__ import annotations


class ReportError(RuntimeError):
    """The report could not be built; the message says which input or notebook and why."""
