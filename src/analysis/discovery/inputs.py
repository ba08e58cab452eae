"""What every detector reads: the corpus table, its periods and the lexicon's known forms."""

from __future__ import annotations

import pandas as pd

from ..periods import to_period
from ..validation import InputError, require_columns

JOINER = "、"
"""The enumeration comma: a phrase is counted without it (碳达峰、碳中和 is 碳达峰碳中和)."""


def corpus_table(corpus, name: str = "corpus", columns=("doc_id", "text_clean", "date")) -> pd.DataFrame:
    return require_columns(corpus, list(columns), name=name, producer="analysis.corpus.load_corpus")


def corpus_periods(dates: pd.Series, period: str) -> pd.Series:
    periods = to_period(dates, period)
    if periods.isna().all():
        raise InputError("corpus has no dates: a rising phrase needs periods to rise in")
    return periods



def known_forms(lexicon: pd.DataFrame | None) -> tuple[set[str], set[str]]:
    """(names, every form): canonical forms and aliases mark known slogans in the text;
    a candidate equal to any form, components included, is not new."""
    from ..lexicon import load_lexicon, surface_forms

    lexicon = load_lexicon() if lexicon is None else lexicon
    if not len(lexicon):
        return set(), set()
    names = set()
    for row in lexicon.itertuples():
        aliases = getattr(row, "aliases", ())
        aliases = [] if not isinstance(aliases, (list, tuple)) else aliases
        names.update(form for form in [row.canonical, *aliases] if isinstance(form, str))
    names |= {form.replace(JOINER, "") for form in names}
    forms = set(surface_forms(lexicon)) if "components" in lexicon.columns else set(names)
    return {f for f in names if len(f) >= 2}, names | forms | {f.replace(JOINER, "") for f in forms}



def default_lexicon(lexicon: pd.DataFrame | None) -> pd.DataFrame:
    from ..slogans.tagger import load_default_lexicon

    return load_default_lexicon() if lexicon is None else lexicon
