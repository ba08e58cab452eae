"""Short readable labels of documents, for charts and tables."""

from __future__ import annotations

import re

import pandas as pd


def document_labels(corpus: pd.DataFrame, *, max_title: int = 12) -> pd.Series:
    """A short readable label per document: its year (or date) and the start of its title.

    Charts and tables of documents show ``2015 政府工作报告`` rather than
    ``gov_work_reports-17``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        ``doc_id``, and ``title``, ``date`` and ``date_precision`` when present.
    max_title : int, default 12
        Characters of the title kept, from its start and its end (an
        ellipsis marks the cut); a leading year and 中华人民共和国 are dropped.

    Returns
    -------
    pandas.Series
        Labels indexed by ``doc_id``; unique (a repeated label gets ``(2)``, ``(3)``...).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["r-17"], "title": ["2015年政府工作报告"], "date": pd.to_datetime(["2015-03-05"]),
    ...                      "date_precision": ["year"]})
    >>> document_labels(docs).tolist()
    ['2015 政府工作报告']
    """
    count = len(corpus)
    titles = corpus["title"] if "title" in corpus.columns else pd.Series([None] * count)
    dates = pd.to_datetime(corpus["date"], errors="coerce") if "date" in corpus.columns else pd.Series([pd.NaT] * count)
    precisions = corpus["date_precision"] if "date_precision" in corpus.columns else pd.Series([None] * count)
    labels, seen = [], {}
    for doc_id, title, date, precision in zip(corpus["doc_id"], titles, dates, precisions):
        when = "" if pd.isna(date) else str(date.year) if precision == "year" else date.strftime("%Y-%m-%d")
        name = title.strip() if isinstance(title, str) and title.strip() else str(doc_id)
        # The year is already in the label, and the country's name tells a reader nothing.
        name = re.sub(r"^(\d{4}年)?(中华人民共和国)?", "", name) or name
        if len(name) > max_title:
            # Chinese titles name the kind of text at the end (…政府工作报告的决议): keep both ends.
            tail = (max_title - 1) // 2 + 1
            name = name[: max_title - 1 - tail] + "…" + name[-tail:]
        label = f"{when} {name}".strip()
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return pd.Series(labels, index=pd.Index(corpus["doc_id"], name="doc_id"), name="label")
