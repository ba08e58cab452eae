"""The slogan lexicon (提法): a reviewed YAML file in ``data/lexicon/``.

``load_lexicon`` returns one row per entry. Every function with a ``lexicon=``
option takes such a DataFrame, filtered or extended by the user, and falls back
to the shipped one.

The schema (``data/lexicon/README.md``) is checked while reading, for the
shipped file and for a user's own: every error names the file, the entry and
the line. The YAML is composed, not loaded, so that a value YAML 1.1 would
silently turn into something else (``no`` into False, ``2018-07-31`` into a
date, ``1e3`` into a number) is caught with its line instead of reaching the
tagger as a wrong string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
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
    "attested_date",
    "attested_source",
    "aliases",
    "components",
    "related",
    "note",
    "not_before",
    "not_after",
    "valid_from",
    "valid_until",
]

LEVELS = config.LEVELS
"""Administrative levels an entry may have (``analysis.config.LEVELS``)."""

CATEGORIES = (
    "economy",
    "epidemic",
    "party building",
    "ideology",
    "development strategy",
    "regional development",
    "poverty",
    "governance",
    "ecology",
    "social policy",
    "foreign affairs",
    "cross-strait relations",
)
"""Categories an entry may have, as documented in ``data/lexicon/README.md``."""

ENTRY_KEYS = (
    "id", "canonical", "level", "region", "category", "introduced", "attested", "aliases",
    "components", "related", "note", "context",
)  # fmt: skip
DATED_KEYS = ("date", "source")
"""Keys of ``introduced`` (the first statement) and of ``attested`` (the earliest use found in print)."""
COMPONENT_KEYS = ("text", "aliases")
CONTEXT_KEYS = ("not_before", "not_after", "from", "until")
DOCUMENT_KEYS = ("version", "entries")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ID = re.compile(r"^[a-z0-9_]+$")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
# What YAML 1.1 makes of an unquoted scalar, for the error message.
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}
# YAML 1.1 (PyYAML) reads 1e3 as text but YAML 1.2 readers as a number: an unquoted
# scalar that is a number in either is ambiguous, so it is rejected like ``no``.
_YAML12_NUMBER = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file, the entry and the line."""


class _Reader:
    """Turns composed YAML nodes into Python values, checking types as it goes."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: yaml.Node | None, where: str, message: str) -> LexiconError:
        line = f", line {node.start_mark.line + 1}" if node is not None else ""
        return LexiconError(f"{self.path}{line}: {where}: {message}")

    def mapping(self, node: yaml.Node, where: str, keys: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, where, f"expected a mapping, got {self.kind(node)}")
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key_node.tag != _STR:
                raise self.fail(key_node, where, f"keys must be plain words, got {self.kind(key_node)}")
            if key in result:
                raise self.fail(key_node, where, f"key '{key}' is given twice")
            if key not in keys:
                raise self.fail(key_node, where, f"unknown key '{key}' (known keys: {', '.join(keys)})")
            result[key] = value_node
        return result

    def kind(self, node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        if node.tag in _TAG_NAMES:
            return f"{_TAG_NAMES[node.tag]} ({node.value!r})"
        if node.tag == _NULL:
            return "nothing"
        if node.tag == _STR:
            return f"the string {node.value!r}"
        return f"a value tagged {node.tag}"

    def text(self, node: yaml.Node | None, where: str, *, required: bool = False) -> str | None:
        """A string or nothing; a value YAML reads as something else is an error."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
            value = None
        elif isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            if not node.style and _YAML12_NUMBER.match(node.value):  # plain, unquoted
                raise self.fail(
                    node, where, f"{node.value!r} is read by YAML 1.2 as a number, not text; put it in quotes"
                )
            value = node.value.strip() or None
        elif isinstance(node, yaml.ScalarNode) and node.tag in _TAG_NAMES:
            raise self.fail(
                node, where,
                f"{node.value!r} is read by YAML as {_TAG_NAMES[node.tag]}, not text; put it in quotes",
            )  # fmt: skip
        else:
            raise self.fail(node, where, f"expected text, got {self.kind(node)}")
        if required and value is None:
            raise self.fail(node, where, "must not be empty")
        return value

    def texts(self, node: yaml.Node | None, where: str) -> list[tuple[str, yaml.Node]]:
        """A list of non-empty strings with their nodes; a lone string is an error."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, where, f"expected a list, got {self.kind(node)}; write [{node.value}]"
                            if isinstance(node, yaml.ScalarNode) else f"expected a list, got {self.kind(node)}")  # fmt: skip
        return [(self.text(item, where, required=True), item) for item in node.value]

    def date(self, node: yaml.Node | None, where: str) -> str | None:
        value = self.text(node, where)
        if value is None:
            return None
        match = _DATE.match(value)
        if match is None:
            raise self.fail(node, where, f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            raise self.fail(node, where, f"{value!r} is not a real date") from None
        return value


def _date_key(value: str, *, end: bool) -> tuple[int, int, int]:
    """Comparable bounds of a partial date: 2020 runs from (2020, 1, 1) to (2020, 12, 31)."""
    parts = [int(part) for part in value.split("-")]
    fill = [12, 31] if end else [1, 1]
    return tuple(parts + fill[len(parts) - 1 :])  # type: ignore[return-value]


def _entry_row(reader: _Reader, node: yaml.Node, index: int) -> tuple[dict, dict[str, yaml.Node]]:
    where = f"entry {index + 1}"
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, where, f"expected a mapping, got {reader.kind(node)}")
    ids = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "id"]
    entry_id = reader.text(ids[0], where, required=True) if ids else None
    if entry_id is None:
        raise reader.fail(node, where, "missing 'id'")
    where = f"entry '{entry_id}'"
    if not _ID.match(entry_id):
        raise reader.fail(ids[0], where, "'id' must be lowercase ASCII letters, digits and '_'")
    fields = reader.mapping(node, where, ENTRY_KEYS)
    if "canonical" not in fields:
        raise reader.fail(node, where, "missing 'canonical'")
    canonical = reader.text(fields["canonical"], f"{where}, canonical", required=True)
    level = reader.text(fields.get("level"), f"{where}, level")
    if level is not None and level not in LEVELS:
        raise reader.fail(fields["level"], where, f"level '{level}' is not one of {', '.join(LEVELS)}")
    region = reader.text(fields.get("region"), f"{where}, region")
    if level is not None and level != "central" and region is None:
        raise reader.fail(fields["level"], where, f"a {level} entry must name its region")
    if level == "central" and region is not None:
        raise reader.fail(fields["region"], where, "a central entry has no region")
    category = reader.text(fields.get("category"), f"{where}, category")
    if category is not None and category not in CATEGORIES:
        raise reader.fail(
            fields["category"], where, f"category '{category}' is not one of {', '.join(CATEGORIES)}"
        )
    introduced: dict[str, yaml.Node] = {}
    if "introduced" in fields and fields["introduced"].tag != _NULL:
        introduced = reader.mapping(fields["introduced"], f"{where}, introduced", DATED_KEYS)
    attested: dict[str, yaml.Node] = {}
    if "attested" in fields and fields["attested"].tag != _NULL:
        attested = reader.mapping(fields["attested"], f"{where}, attested", DATED_KEYS)
    components = []
    components_node = fields.get("components")
    if components_node is not None and components_node.tag != _NULL:
        if not isinstance(components_node, yaml.SequenceNode):
            raise reader.fail(components_node, where, f"'components' must be a list, got {reader.kind(components_node)}")
        for component in components_node.value:
            part = f"{where}, component"
            if isinstance(component, yaml.ScalarNode):
                text, aliases = reader.text(component, part, required=True), []
            else:
                keys = reader.mapping(component, part, COMPONENT_KEYS)
                if "text" not in keys:
                    raise reader.fail(component, part, "every component needs a 'text'")
                text = reader.text(keys["text"], part, required=True)
                aliases = [t for t, _ in reader.texts(keys.get("aliases"), f"{part} {text!r}, aliases")]
            components.append({"text": text, "aliases": aliases})
    context: dict[str, yaml.Node] = {}
    if "context" in fields and fields["context"].tag != _NULL:
        context = reader.mapping(fields["context"], f"{where}, context", CONTEXT_KEYS)
    valid_from = reader.date(context.get("from"), f"{where}, context.from")
    valid_until = reader.date(context.get("until"), f"{where}, context.until")
    if valid_from and valid_until and _date_key(valid_from, end=False) > _date_key(valid_until, end=True):
        raise reader.fail(context["from"], where, f"context.from {valid_from} is after context.until {valid_until}")
    row = {
        "id": entry_id,
        "canonical": canonical,
        "level": level,
        "region": region,
        "category": category,
        "introduced_date": reader.date(introduced.get("date"), f"{where}, introduced.date"),
        "introduced_source": reader.text(introduced.get("source"), f"{where}, introduced.source"),
        "attested_date": reader.date(attested.get("date"), f"{where}, attested.date"),
        "attested_source": reader.text(attested.get("source"), f"{where}, attested.source"),
        "aliases": [t for t, _ in reader.texts(fields.get("aliases"), f"{where}, aliases")],
        "components": components,
        "related": [t for t, _ in reader.texts(fields.get("related"), f"{where}, related")],
        "note": reader.text(fields.get("note"), f"{where}, note"),
        "not_before": tuple(t for t, _ in reader.texts(context.get("not_before"), f"{where}, context.not_before")),
        "not_after": tuple(t for t, _ in reader.texts(context.get("not_after"), f"{where}, context.not_after")),
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    if row["introduced_date"] and not row["introduced_source"]:
        raise reader.fail(fields["introduced"], where, "introduced.date is given without a source")
    if row["attested_date"] and not row["attested_source"]:
        raise reader.fail(fields["attested"], where, "attested.date is given without a source")
    if row["introduced_date"] and row["attested_date"] and (
        _date_key(row["attested_date"], end=True) < _date_key(row["introduced_date"], end=False)
    ):
        raise reader.fail(
            fields["attested"], where,
            f"attested.date {row['attested_date']} is before introduced.date {row['introduced_date']}: "
            "a use in print before the first statement means the first statement is later than the first use",
        )  # fmt: skip
    return row, fields


def _check_across_entries(reader: _Reader, rows: list[dict], nodes: list[tuple[yaml.Node, dict]]) -> None:
    first_id: dict[str, int] = {}
    owner: dict[str, tuple[str, int]] = {}
    for position, (row, (node, fields)) in enumerate(zip(rows, nodes)):
        line = node.start_mark.line + 1
        if row["id"] in first_id:
            earlier = rows[first_id[row["id"]]]
            raise reader.fail(
                node, f"entry '{row['id']}'",
                f"duplicate id '{row['id']}' (also entry {first_id[row['id']] + 1}, '{earlier['canonical']}')",
            )  # fmt: skip
        first_id[row["id"]] = position
        # The tagger maps each surface form to exactly one entry.
        for form in [row["canonical"], *row["aliases"]]:
            if form in owner:
                other, other_line = owner[form]
                where = f"entry '{row['id']}'"
                if other == row["id"]:
                    raise reader.fail(node, where, f"surface form {form!r} is given twice")
                raise reader.fail(
                    node, where,
                    f"duplicate surface form {form!r}: also entry '{other}' (line {other_line})",
                )  # fmt: skip
            owner[form] = (row["id"], line)
    known = set(first_id)
    for row, (node, fields) in zip(rows, nodes):
        unknown = [r for r in row["related"] if r not in known]
        if unknown:
            raise reader.fail(fields.get("related", node), f"entry '{row['id']}'", f"relates to unknown ids {unknown}")
        if row["id"] in row["related"]:
            raise reader.fail(fields["related"], f"entry '{row['id']}'", "relates to itself")


def load_lexicon(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read and check a slogan lexicon, one row per entry.

    Parameters
    ----------
    path : path-like, optional
        A YAML file in the schema of ``data/lexicon/README.md``, relative to
        the current directory; defaults to the shipped
        ``data/lexicon/slogans.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``canonical``, ``level`` (one of
        ``analysis.config.LEVELS``), ``region``, ``category``,
        ``introduced_date``, ``introduced_source`` (the first statement, where a
        source says so), ``attested_date``, ``attested_source`` (the earliest use
        found in print, for an entry whose first statement is not known),
        ``aliases`` (list of str),
        ``components`` (list of ``{"text", "aliases"}`` dicts), ``related``
        (list of ids), ``note``, and the entry's context rules:
        ``not_before`` and ``not_after`` (tuples of strings that may not
        immediately precede / follow a match), ``valid_from`` and
        ``valid_until`` (``YYYY[-MM[-DD]]`` or None: the dates between which
        the sense holds). ``attrs["version"]`` holds the file's version,
        ``attrs["sha256"]`` its content hash and ``attrs["path"]`` its path.

    Raises
    ------
    LexiconError
        When the file breaks the schema: a string where a list is expected, a
        value YAML 1.1 reads as a boolean, number or date, an unknown key, a
        level or category outside the vocabulary, a malformed date, a
        duplicate id or surface form, an unknown related id. The message
        names the file, the entry and its line.

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> "六稳" in set(lexicon["canonical"])
    True
    >>> lexicon.set_index("canonical").loc["六稳", "not_after"]
    ('定',)
    """
    path = Path(path) if path is not None else LEXICON_PATH
    raw = path.read_bytes()
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=_SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise LexiconError(f"{path}: cannot be read as UTF-8 YAML: {error}") from error
    reader = _Reader(path)
    if root is None:
        raise LexiconError(f"{path}: expected a mapping with an 'entries' list, the file is empty")
    document = reader.mapping(root, "document", DOCUMENT_KEYS)
    entries = document.get("entries")
    if not isinstance(entries, yaml.SequenceNode):
        raise reader.fail(entries or root, "document", "expected a mapping with an 'entries' list")
    version = reader.text(document.get("version"), "version")
    pairs = [_entry_row(reader, node, index) for index, node in enumerate(entries.value)]
    rows = [row for row, _ in pairs]
    _check_across_entries(reader, rows, [(node, fields) for node, (_, fields) in zip(entries.value, pairs)])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # Missing text stays None (pandas would make it NaN), as documented.
    for column in ("level", "region", "category", "introduced_date", "introduced_source", "attested_date",
                   "attested_source", "note",
                   "valid_from", "valid_until"):  # fmt: skip
        frame[column] = pd.Series([row[column] for row in rows], index=frame.index, dtype=object)
    frame.attrs["version"] = version or ""
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
