"""The discovery table of the slogans page: both detectors, on a sample of a large corpus.

:func:`analysis.discovery.discover` runs two detectors of candidate new
slogans, ``formula`` and ``phrase``; it leaves the phrase detector out of a
corpus too short or undated for it and says why in the table's
``attrs["note"]``, which :func:`analysis.report.show_table` prints as the
table's caption.

Both detectors cost time that grows faster than the corpus: ``discover`` took
16 s on the CCTV news of 2022 (2.7 million characters) and 90 s (4 GB of
memory) on the 40 MB benchmark corpus (13 million), where the formula
detector alone had taken 0.6 and 1.4 s. So the table reads at most
:data:`DISCOVERY_MAX_CHARS` characters: above that, a random sample of the
documents (:func:`discovery_sample`), the same share of every period's text
(the rise of a phrase is a share of a period's documents, which a sample of
every period keeps), and the note says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DISCOVERY_MAX_CHARS = 1_200_000
"""Characters of ``text_clean`` the discovery table reads at most: the 72 government work
reports (1.1 million) whole; about half of a year of CCTV news. On the 40 MB benchmark
corpus a sample of this size takes ``discover`` 5 to 8 s instead of 90 s (``benchmarks/report_speed.py``)."""


def discovery_sample(corpus: pd.DataFrame, max_chars: int | None, *, period: str | None = None,
                     random_state: int = 0) -> pd.DataFrame:
    """At most about ``max_chars`` characters of the corpus: random documents, the same share of every period.

    Each period's documents (the undated ones as one more period) are
    shuffled and taken while they fit in that period's share of
    ``max_chars`` (its characters times ``max_chars`` over the corpus's),
    the first always, so every period keeps documents and the history a
    phrase rises against. The corpus itself when it is no longer than
    ``max_chars`` or ``max_chars`` is None. Documents keep their order.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": range(8), "text_clean": ["十个字的一篇文章。"] * 8,
    ...                        "date": pd.to_datetime(["2020-01-01"] * 4 + ["2021-01-01"] * 4)})
    >>> sample = discovery_sample(corpus, 36, period="year")
    >>> len(sample), sorted(sample["date"].dt.year.value_counts().tolist())
    (4, [2, 2])
    >>> discovery_sample(corpus, None) is corpus
    True
    """
    from ..periods import to_period

    lengths = corpus["text_clean"].astype(str).str.len().to_numpy()
    total = int(lengths.sum())
    if max_chars is None or total <= max_chars:
        return corpus
    if period is not None and "date" in corpus.columns:
        groups = to_period(corpus["date"], period).astype(str).where(corpus["date"].notna(), "").to_numpy()
    else:
        groups = np.full(len(corpus), "")
    order = np.random.default_rng(random_state).permutation(len(corpus))
    shuffled = pd.DataFrame({"group": groups[order], "length": lengths[order]})
    cumulative = shuffled.groupby("group", sort=False)["length"].cumsum()
    budget = shuffled.groupby("group", sort=False)["length"].transform("sum") * (max_chars / total)
    keep = (cumulative <= budget) | (cumulative == shuffled["length"])
    return corpus.iloc[np.sort(order[keep.to_numpy()])]


def _sample_note(sample: pd.DataFrame, corpus: pd.DataFrame, period: str | None) -> str:
    chars = int(sample["text_clean"].astype(str).str.len().sum())
    total = int(corpus["text_clean"].astype(str).str.len().sum())
    share = "every " + period + "'s" if period else "the corpus's"
    return (f"To stay quick the detectors read a random sample of {len(sample):,} of the {len(corpus):,} documents "
            f"({chars:,} of {total:,} characters, the same share of {share} text; discovery_max_chars in the "
            "notebook's parameters sets the bound), so documents, count, first_seen and growth are the sample's.")


def discovery_table(
    corpus: pd.DataFrame,
    *,
    lexicon: pd.DataFrame | None = None,
    n: int | None = None,
    period: str | None = None,
    max_chars: int | None = DISCOVERY_MAX_CHARS,
    since=None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Candidate new slogans of both detectors where the corpus allows, of the formula detector alone where not.

    :func:`analysis.discovery.discover`, which leaves the phrase detector out
    of a corpus too short or undated for it (:func:`analysis.discovery.phrase_skip_reason`)
    and says why in ``attrs["note"]`` (the caption :func:`analysis.report.show_table`
    prints). A corpus of more than ``max_chars`` characters is read through
    :func:`discovery_sample`, and the note says so too.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus from :func:`analysis.corpus.load_corpus`.
    lexicon : pandas.DataFrame, optional
        Known slogans to leave out; defaults to the shipped lexicon.
    n : int, optional
        Passed to ``discover``: the first ``n`` candidates.
    period : {"year", "quarter", "month", "week", "day"}, optional
        The unit of ``growth`` and of a phrase's rise; None chooses it from
        the dates (:func:`analysis.periods.choose_period`).
    max_chars : int or None, default :data:`DISCOVERY_MAX_CHARS`
        Characters read at most (:func:`discovery_sample`); None reads
        every document.
    since : int, str or date, optional
        Only what is new since this year or date (``discover``'s ``since``).
    random_state : int, default 0
        Seed of the sample and of the phrase detector's priors.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`analysis.discovery.DISCOVERY_COLUMNS`.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "date": [pd.NaT],
    ...                        "text_clean": ["落实“四个坚持”。要“四个坚持”。"]})
    >>> table = discovery_table(corpus)
    >>> table[["candidate", "detector", "count"]].values.tolist()
    [['四个坚持', 'formula', 2]]
    >>> table.attrs["note"][:32]
    'The phrase detector did not run:'
    """
    from ..discovery import discover
    from ..periods import choose_period

    if period is None and "date" in corpus.columns:
        period = choose_period(corpus)
    sample = discovery_sample(corpus, max_chars, period=period, random_state=random_state)
    table = discover(sample, lexicon=lexicon, n=n, period=period or "year", since=since, random_state=random_state)
    notes = [table.attrs["note"]] if "note" in table.attrs else []
    if len(sample) < len(corpus):
        notes.append(_sample_note(sample, corpus, period))
    if notes:
        table.attrs["note"] = " ".join(notes)
    return table
