"""The slogan lexicon (提法): a reviewed YAML file in ``data/lexicon/``.

``load_lexicon`` returns one row per entry. Every function with a ``lexicon=``
option takes such a DataFrame, filtered or extended by the user, and falls back
to the shipped one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import yaml

from . import config

LEXICON_PATH = config.LEXICON_DIR / "slogans.yaml"

COLUMNS = [
    "id",
    "canonical",
    "level",
    "region",
    "category",
    "introduced_date",
    "introduced_source",
    "aliases",
    "components",
    "related",
    "note",
    "not_before",
    "not_after",
    "valid_from",
    "valid_until",
]
LEVELS = ("national", "provincial", "municipal", "organisational")


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and the entry."""


def _text_or_none(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _entry_to_row(entry: dict, *, index: int, path: Path) -> dict:
    where = f"{path}: entry {index + 1}"
    if not isinstance(entry, dict):
        raise LexiconError(f"{where}: expected a mapping, got {type(entry).__name__}")
    for key in ("id", "canonical"):
        if not _text_or_none(entry.get(key)):
            raise LexiconError(f"{where}: missing '{key}'")
    where = f"{path}: entry '{entry['id']}'"
    level = _text_or_none(entry.get("level"))
    if level is not None and level not in LEVELS:
        raise LexiconError(f"{where}: level '{level}' is not one of {', '.join(LEVELS)}")
    introduced = entry.get("introduced") or {}
    if not isinstance(introduced, dict):
        raise LexiconError(f"{where}: 'introduced' must be a mapping with date and source")
    components = []
    for component in entry.get("components") or []:
        if isinstance(component, str):
            component = {"text": component}
        if not isinstance(component, dict) or not _text_or_none(component.get("text")):
            raise LexiconError(f"{where}: every component needs a 'text'")
        components.append(
            {
                "text": str(component["text"]).strip(),
                "aliases": [str(a).strip() for a in component.get("aliases") or []],
            }
        )
    context = entry.get("context") or {}
    if not isinstance(context, dict):
        raise LexiconError(f"{where}: 'context' must be a mapping with not_before, not_after, from, until")
    unknown = sorted(set(context) - {"not_before", "not_after", "from", "until"})
    if unknown:
        raise LexiconError(f"{where}: unknown context key(s) {unknown}")
    return {
        "id": str(entry["id"]).strip(),
        "canonical": str(entry["canonical"]).strip(),
        "level": level,
        "region": _text_or_none(entry.get("region")),
        "category": _text_or_none(entry.get("category")),
        "introduced_date": _text_or_none(introduced.get("date")),
        "introduced_source": _text_or_none(introduced.get("source")),
        "aliases": [str(a).strip() for a in entry.get("aliases") or []],
        "components": components,
        "related": [str(r).strip() for r in entry.get("related") or []],
        "note": _text_or_none(entry.get("note")),
        "not_before": tuple(str(t).strip() for t in context.get("not_before") or []),
        "not_after": tuple(str(t).strip() for t in context.get("not_after") or []),
        "valid_from": _text_or_none(context.get("from")),
        "valid_until": _text_or_none(context.get("until")),
    }


def load_lexicon(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a slogan lexicon into a DataFrame, one row per entry.

    Parameters
    ----------
    path : path-like, optional
        A YAML file in the schema of ``data/lexicon/README.md``; defaults to
        the shipped ``data/lexicon/slogans.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``canonical``, ``level``, ``region``, ``category``,
        ``introduced_date``, ``introduced_source``, ``aliases`` (list of str),
        ``components`` (list of ``{"text", "aliases"}`` dicts), ``related``
        (list of ids), ``note``, and the sense rules of the entry's
        ``context`` mapping: ``not_before`` and ``not_after`` (tuples of
        strings that may not immediately precede / follow a match),
        ``valid_from`` and ``valid_until`` (``YYYY[-MM[-DD]]`` or None).
        ``attrs["version"]`` holds the file's
        version and ``attrs["sha256"]`` its content hash.

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> "六稳" in set(lexicon["canonical"])
    True
    """
    path = Path(path) if path is not None else LEXICON_PATH
    raw = path.read_bytes()
    try:
        document = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise LexiconError(f"{path}: cannot be read as UTF-8 YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise LexiconError(f"{path}: expected a mapping with an 'entries' list")
    rows = [_entry_to_row(entry, index=i, path=path) for i, entry in enumerate(document["entries"])]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    duplicated = frame["id"][frame["id"].duplicated()].tolist()
    if duplicated:
        raise LexiconError(f"{path}: duplicate ids {duplicated}")
    known = set(frame["id"])
    for row in frame.itertuples():
        unknown = [r for r in row.related if r not in known]
        if unknown:
            raise LexiconError(f"{path}: entry '{row.id}' relates to unknown ids {unknown}")
    frame.attrs["version"] = str(document.get("version", ""))
    frame.attrs["sha256"] = hashlib.sha256(raw).hexdigest()
    frame.attrs["path"] = str(path)
    return frame


def surface_forms(lexicon: pd.DataFrame | None = None) -> list[str]:
    """Every canonical form, alias, component and component alias, deduplicated.

    These are the strings the segmenter must keep whole.

    Examples
    --------
    >>> "稳就业" in surface_forms()
    True
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    forms: dict[str, None] = {}
    for row in lexicon.itertuples():
        for form in [row.canonical, *row.aliases]:
            forms.setdefault(form, None)
        for component in row.components:
            for form in [component["text"], *component["aliases"]]:
                forms.setdefault(form, None)
    return list(forms)
