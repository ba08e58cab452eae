"""Fidelity and local formulas: in what form lower levels take up central formulas, and what they coin."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from ..slogans import COUNTED_FORMS
from .documents import (
    CENTRAL,
    CENTRAL_LEXICON_LEVELS,
    documents_with_levels,
    mentions_of_forms,
    require_input,
)

FIDELITY_CLASSES = ("full expansion", "compact", "partial list", "local variant")
"""Fidelity of an uptake, most faithful first; see :func:`uptakes`."""

UPTAKE_COLUMNS = [
    "doc_id", "date", "level", "region", "slogan_id", "canonical", "fidelity", "variant",
    "mentions", "parts_named", "parts", "start", "end",
]
LOCAL_FORMULA_COLUMNS = [
    "slogan_id", "formula", "level", "region", "parts", "first_date", "documents",
    "closest_id", "closest", "closest_parts", "same_numeral", "shared_components", "shared_characters",
]

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# Characters of a numbered formula that carry no content: 四个全面, 五大发展理念.
_COUNTER_CHARS = set("个大项条")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _parts(row) -> list[dict]:
    """Components of a lexicon row, as {"text", "aliases"} dicts."""
    components = row.components if isinstance(row.components, list) else []
    return [c if isinstance(c, dict) else {"text": str(c), "aliases": []} for c in components]


def _numeral_count(canonical: str) -> int | None:
    """6 for 六稳, 4 for 四个全面; None when the formula does not open with a numeral."""
    if canonical and canonical[0] in _NUMERALS:
        return _NUMERALS[canonical[0]]
    return None


def _pattern_size(row) -> int | None:
    """How many parts a formula has: its numeral (六稳), else its components (two or more)."""
    numeral = _numeral_count(row.canonical)
    if numeral is not None:
        return numeral
    parts = _parts(row)
    return len(parts) if len(parts) >= 2 else None


def _key_characters(canonical: str) -> set[str]:
    """The Han characters of a formula's name that carry content (六稳 -> 稳, 四个全面 -> 全面)."""
    return {ch for ch in canonical if _HAN.match(ch) and ch not in _NUMERALS and ch not in _COUNTER_CHARS}


def _central_entries(lexicon: pd.DataFrame) -> pd.DataFrame:
    return lexicon[lexicon["level"].isin(CENTRAL_LEXICON_LEVELS)]


def resemblance(local: pd.Series, central: pd.DataFrame) -> pd.DataFrame:
    """How much a local formula resembles each central formula.

    Parameters
    ----------
    local : pandas.Series
        A lexicon row (``id``, ``canonical``, ``components``).
    central : pandas.DataFrame
        Lexicon rows of central formulas.

    Returns
    -------
    pandas.DataFrame
        One row per central formula: ``closest_id``, ``closest``,
        ``closest_parts`` (its numeral or number of components),
        ``same_numeral`` (as many parts as the local formula),
        ``shared_components`` (components printed alike in both) and
        ``shared_characters`` (content characters of the central name found
        in the local formula's name or components, as a string), sorted most
        alike first: same numeral, then shared components, then shared
        characters.

    Examples
    --------
    >>> from analysis.lexicon import load_lexicon
    >>> lexicon = load_lexicon()
    >>> local = lexicon[lexicon["id"] == "kongbaowenjintaikang"].iloc[0]
    >>> resemblance(local, lexicon[lexicon["level"] == "central"]).head(2)["closest"].tolist()
    ['六保', '六稳']
    """
    size = _pattern_size(local)
    local_parts = {part["text"] for part in _parts(local)}
    local_chars = set(local.canonical) | {ch for part in local_parts for ch in part}
    rows = []
    for entry in central.itertuples():
        parts = {part["text"] for part in _parts(entry)}
        entry_size = _pattern_size(entry)
        shared_chars = "".join(sorted(_key_characters(entry.canonical) & local_chars))
        rows.append({
            "closest_id": entry.id, "closest": entry.canonical, "closest_parts": entry_size,
            "same_numeral": size is not None and entry_size == size,
            "shared_components": len(parts & local_parts), "shared_characters": shared_chars,
        })
    table = pd.DataFrame(rows, columns=["closest_id", "closest", "closest_parts", "same_numeral",
                                        "shared_components", "shared_characters"])
    table["_chars"] = table["shared_characters"].str.len()
    table = table.sort_values(
        ["same_numeral", "shared_components", "_chars", "closest_id"],
        ascending=[False, False, False, True], kind="stable",
    )
    return table.drop(columns="_chars").reset_index(drop=True)


def _best_matches(local, central: pd.DataFrame) -> pd.DataFrame:
    """The central formulas tied for most alike, among those patterned alike or sharing components.

    A character in common alone (西 of 西美 and 西部大开发) is chance; with the
    same numeral pattern (控保稳进抬扛 and 六稳) it is a pattern.
    """
    table = resemblance(local, central)
    table = table[
        (table["shared_components"] > 0)
        | (table["same_numeral"] & (table["shared_characters"].str.len() > 0))
    ]
    if table.empty:
        return table
    key = ["same_numeral", "shared_components"]
    best = table.iloc[0]
    tied = (table[key] == best[key]).all(axis=1) & (
        table["shared_characters"].str.len() == len(best["shared_characters"])
    )
    return table[tied]


def local_formulas(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    lexicon: pd.DataFrame | None = None,
    forms: Sequence[str] | None = COUNTED_FORMS,
) -> pd.DataFrame:
    """Local formulas used below the centre, each beside the central formula it most resembles.

    A local formula is a lexicon entry whose level is not central
    (provincial, municipal) that documents of a lower level use. Its closest
    central formulas are those with the same numeral pattern (as many parts:
    控保稳进抬扛 has six, like 六稳 and 六保), then the most components
    printed alike, then the most content characters in common (稳 of 六稳 and
    保 of 六保 are both in 控保稳进抬扛); formulas tied on all three are all
    listed, one row each. Only central formulas that share a component, or
    share a character and the numeral pattern, count as resembling; a local
    formula without any has one row with the ``closest`` columns empty.

    Parameters
    ----------
    corpus, mentions, forms
        As in :func:`first_use`.
    lexicon : pandas.DataFrame, optional
        Default the shipped one.

    Returns
    -------
    pandas.DataFrame
        :data:`LOCAL_FORMULA_COLUMNS`: ``slogan_id``, ``formula``, the
        lexicon's ``level`` and ``region``, ``parts``, ``first_date`` and
        ``documents`` of its use below the centre, and of the closest
        central formula ``closest_id``, ``closest``, ``closest_parts``,
        ``same_numeral``, ``shared_components``, ``shared_characters``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["z"], "level": ["county"], "date": pd.to_datetime(["2020-06-01"])})
    >>> mentions = pd.DataFrame({"doc_id": ["z"], "slogan_id": ["kongbaowenjintaikang"],
    ...                          "canonical": ["控保稳进抬扛"], "form": ["compact"]})
    >>> local_formulas(corpus, mentions)["closest"].tolist()
    ['六保', '六稳']
    """
    from ..lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    docs = documents_with_levels(corpus, function="local_formulas")
    lower = docs[docs["level"].notna() & (docs["level"] != CENTRAL)]
    used = mentions_of_forms(mentions, forms, function="local_formulas").merge(lower, on="doc_id", how="inner")
    entries = lexicon.set_index("id", drop=False)
    local_ids = [
        slogan_id for slogan_id in sorted(set(used["slogan_id"]))
        if slogan_id in entries.index and entries.loc[slogan_id, "level"] not in CENTRAL_LEXICON_LEVELS
    ]
    central = _central_entries(lexicon)
    rows = []
    for slogan_id in local_ids:
        entry = entries.loc[slogan_id]
        frame = used[used["slogan_id"] == slogan_id]
        base = {
            "slogan_id": slogan_id, "formula": entry["canonical"], "level": entry["level"],
            "region": entry["region"], "parts": _pattern_size(entry), "first_date": frame["date"].min(),
            "documents": frame["doc_id"].nunique(),
        }
        matches = _best_matches(entry, central)
        if matches.empty:
            rows.append({**base, "closest_id": None, "closest": None, "closest_parts": None,
                         "same_numeral": False, "shared_components": 0, "shared_characters": ""})
        for match in matches.to_dict("records"):
            rows.append({**base, **match})
    table = pd.DataFrame(rows, columns=LOCAL_FORMULA_COLUMNS)
    table["first_date"] = pd.to_datetime(table["first_date"]).astype("datetime64[ns]")
    table["parts"] = table["parts"].astype("Int64")
    table["closest_parts"] = table["closest_parts"].astype("Int64")
    table = table.astype({"documents": "int64", "same_numeral": "bool", "shared_components": "int64"})
    return table


def _named_parts(surface: str, parts: list[dict]) -> set[int]:
    """Indexes of the components a mention's text names (by their text or an alias)."""
    return {
        number for number, part in enumerate(parts)
        if any(form and form in surface for form in [part["text"], *part.get("aliases", [])])
    }


def uptakes(
    corpus: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    lexicon: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each take-up of a central formula by a lower-level document, classed by fidelity.

    A document takes up a central formula when it mentions it in a counted
    form or uses a local formula patterned on it (see
    :func:`local_formulas`). The class (:data:`FIDELITY_CLASSES`) is the most
    faithful form the document uses: ``full expansion`` when an expansion
    names every component, else ``compact`` (the name, 六稳, or its
    character-by-character enumeration), else ``partial list`` (an expansion
    naming some of the components). A local formula gives a separate row of
    class ``local variant`` for each central formula it most resembles, with
    the local formula in ``variant``. A lone component (稳就业) is not an
    uptake.

    Parameters
    ----------
    corpus, mentions
        As in :func:`first_use`; mentions need ``surface``, ``start`` and
        ``end`` too.
    lexicon : pandas.DataFrame, optional
        Default the shipped one.

    Returns
    -------
    pandas.DataFrame
        :data:`UPTAKE_COLUMNS`, one row per document and central formula
        (and variant): ``doc_id``, ``date``, ``level``, ``region``,
        ``slogan_id``, ``canonical`` (the central formula), ``fidelity``,
        ``variant`` (the local formula, or NA), ``mentions``, ``parts_named``
        (distinct components named in its expansions), ``parts`` (components
        of the formula), and ``start``/``end`` of its first mention in
        ``text_clean``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["z"], "level": ["county"], "date": pd.to_datetime(["2020-06-01"])})
    >>> mentions = pd.DataFrame({"doc_id": ["z"], "slogan_id": ["liuwen"], "canonical": ["六稳"],
    ...                          "form": ["compact"], "surface": ["六稳"], "start": [3], "end": [5]})
    >>> uptakes(corpus, mentions)[["canonical", "fidelity"]].values.tolist()
    [['六稳', 'compact']]
    """
    from ..lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    docs = documents_with_levels(corpus, function="uptakes")
    lower = docs[docs["level"].notna() & (docs["level"] != CENTRAL)]
    used = mentions_of_forms(mentions, COUNTED_FORMS, function="uptakes")
    require_input(used, ["surface", "start", "end"], name="mentions", function="uptakes")
    used = used.merge(lower, on="doc_id", how="inner")
    entries = lexicon.set_index("id", drop=False)
    central = _central_entries(lexicon)
    central_ids = set(central["id"])
    rows = []
    for (doc_id, slogan_id), frame in used.groupby(["doc_id", "slogan_id"], sort=True):
        if slogan_id not in entries.index:
            continue
        entry = entries.loc[slogan_id]
        base = {column: frame.iloc[0][column] for column in ("doc_id", "date", "level", "region")}
        first = frame.sort_values("start", kind="stable").iloc[0]
        if slogan_id in central_ids:
            parts = _parts(entry)
            expansions = frame[frame["form"] == "expansion"]
            named = set().union(*[_named_parts(s, parts) for s in expansions["surface"]]) if len(expansions) else set()
            if parts and len(named) == len(parts):
                fidelity = "full expansion"
            elif frame["form"].isin(["compact", "enumerated"]).any():
                fidelity = "compact"
            else:
                fidelity = "partial list"
            rows.append({**base, "slogan_id": slogan_id, "canonical": entry["canonical"], "fidelity": fidelity,
                         "variant": None, "mentions": len(frame), "parts_named": len(named),
                         "parts": len(parts), "start": first["start"], "end": first["end"]})
        elif entry["level"] not in CENTRAL_LEXICON_LEVELS:
            for match in _best_matches(entry, central).itertuples():
                parts = _parts(entries.loc[match.closest_id])
                rows.append({**base, "slogan_id": match.closest_id, "canonical": match.closest,
                             "fidelity": "local variant", "variant": entry["canonical"], "mentions": len(frame),
                             "parts_named": 0, "parts": len(parts), "start": first["start"], "end": first["end"]})
    table = pd.DataFrame(rows, columns=UPTAKE_COLUMNS)
    table["date"] = pd.to_datetime(table["date"]).astype("datetime64[ns]")
    table = table.astype({"mentions": "int64", "parts_named": "int64", "parts": "int64",
                          "start": "int64", "end": "int64"})
    return table
