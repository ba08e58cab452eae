"""The mention table: :func:`tag_slogans` over a corpus, :func:`check_dictionary`, and the selection of
the mentions a count counts.

The rules are those of :mod:`analysis.slogans`; :mod:`~analysis.slogans.candidates`
applies them to one text."""

from __future__ import annotations

import functools
import re
import warnings
from typing import Sequence

import pandas as pd

from ..validation import InputError
from .candidates import (
    attribute_shared_parts,
    counted_flags,
    find_candidates,
    is_quoted,
    resolve,
    sentence_spans,
)
from .compiled import (
    COUNTED_FORMS,
    FORMS,
    SCAN_BLOCK,
    CompiledLexicon,
    as_list,
    compile_lexicon,
)

_NON_WORD = re.compile(r"[^\w]+")


MENTION_COLUMNS = [
    "doc_id",
    "slogan_id",
    "canonical",
    "form",
    "surface",
    "start",
    "end",
    "quoted",
    "in_title",
    "counted",
    "sentence",
]


def as_corpus(corpus) -> pd.DataFrame:
    """Check a corpus table (or wrap one string) and return it."""
    if isinstance(corpus, str):
        return pd.DataFrame({"doc_id": ["0"], "text_clean": [corpus], "body_start": [0]})
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a DataFrame or a str, got {type(corpus).__name__}")
    missing = [column for column in ("doc_id", "text_clean") if column not in corpus.columns]
    if missing:
        raise ValueError(f"corpus lacks column(s) {missing}; it needs doc_id and text_clean")
    duplicated = corpus["doc_id"][corpus["doc_id"].duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"corpus has duplicate doc_id values {duplicated[:5]}")
    if isinstance(corpus["text_clean"].dtype, pd.StringDtype) and not corpus["text_clean"].isna().any():
        # Every value of a string column is a str: reading each one out (a copy
        # of the whole corpus) only to check its type is not needed.
        return corpus
    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        if not isinstance(text, str):
            where = f"document {doc_id!r} (row {position}"
            for column in ("path", "record"):
                if column in corpus.columns:
                    where += f", {column} {corpus[column].iloc[position]}"
            raise TypeError(f"{where}): text_clean is {type(text).__name__}, not str")
    return corpus


def _empty_mentions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype="str"),
            "slogan_id": pd.Series(dtype="str"),
            "canonical": pd.Series(dtype="str"),
            "form": pd.Series(dtype="str"),
            "surface": pd.Series(dtype="str"),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
            "quoted": pd.Series(dtype="bool"),
            "in_title": pd.Series(dtype="bool"),
            "counted": pd.Series(dtype="bool"),
            "sentence": pd.Series(dtype="str"),
        }
    )


@functools.lru_cache(maxsize=4)
def _shipped_lexicon(path: str, modified_ns: int, size: int) -> pd.DataFrame:
    from ..lexicon import load_lexicon

    return load_lexicon(path)


def load_default_lexicon() -> pd.DataFrame:
    """The shipped lexicon, parsed once per version of the file.

    Reading the YAML costs as much as tagging a few megabytes; the file's
    modification time and size are in the cache key, so an edit is seen at
    once. Callers must not modify the frame.
    """
    from ..lexicon import LEXICON_PATH

    stat = LEXICON_PATH.stat()
    return _shipped_lexicon(str(LEXICON_PATH), stat.st_mtime_ns, stat.st_size)


def _screened(corpus: pd.DataFrame, compiled: CompiledLexicon):
    """Each document's position, doc_id, text, lexicon view and screened starts, in corpus order.

    Documents are screened in batches of about :data:`SCAN_BLOCK`
    characters, so that short documents share the screen's fixed cost and
    long ones are screened alone.
    """
    batch: list[tuple[int, object, str, str]] = []
    size = 0

    def flush():
        views = [view for _, _, _, view in batch]
        starts = compiled.screen.starts_each(views) if compiled.screen is not None else [None] * len(batch)
        for (position, doc_id, text, view), found in zip(batch, starts):
            yield position, doc_id, text, view, found

    for position, (doc_id, text) in enumerate(zip(corpus["doc_id"], corpus["text_clean"])):
        batch.append((position, doc_id, text, compiled.simplified_view(text)))
        size += len(text)
        if size >= SCAN_BLOCK:
            yield from flush()
            batch, size = [], 0
    if batch:
        yield from flush()


def tag_slogans(corpus, *, lexicon: pd.DataFrame | None = None, cache=None) -> pd.DataFrame:
    """Find every mention of every lexicon slogan in ``text_clean``.

    Parameters
    ----------
    corpus : pandas.DataFrame or str
        A table with ``doc_id`` and ``text_clean`` (``body_start`` is used
        when present, ``date`` for the lexicon's ``valid_from`` and
        ``valid_until``); a single string is tagged as document ``"0"``.
    lexicon : pandas.DataFrame, optional
        Entries as returned by :func:`analysis.lexicon.load_lexicon`
        (``id``, ``canonical``, ``aliases``, ``components``, and optionally
        the sense rules :data:`CONTEXT_COLUMNS`); defaults to the shipped
        lexicon.
    cache : bool or path-like, optional
        Keep the mention table as Parquet under ``config.CACHE_DIR /
        "mentions"`` (True) or in the folder given, and read it back when the
        same documents (``doc_id``, ``text_clean``, ``body_start``, ``date``)
        are tagged with a lexicon of the same content by the same package
        (:mod:`analysis.cache.mentions`): the same table in a fraction of the
        time. None or False (the default) neither reads nor writes. The
        report tags its corpus once this way and its notebooks read it back.

    Returns
    -------
    pandas.DataFrame
        One row per mention, in document order then by ``start``:

        - ``doc_id``: the document.
        - ``slogan_id``, ``canonical``: the lexicon entry (for a component,
          the formula it belongs to).
        - ``form``: ``compact``, ``enumerated``, ``expansion`` or
          ``component`` (see :mod:`analysis.slogans`).
        - ``surface``: the text of the mention, ``text_clean[start:end]``.
        - ``start``, ``end``: offsets into ``text_clean``; an expansion or
          enumeration spans from its first part to its last.
        - ``quoted``: the mention stands inside quote marks (“…” ‘…’ 「…」
          『…』 or ASCII quotes), alone or with at most :data:`QUOTE_SLACK`
          other characters: the formal use of a slogan.
        - ``in_title``: ``start < body_start`` (False without ``body_start``).
        - ``counted``: False for an expansion whose sentence also names the
          slogan (compact or enumerated): one reference, counted once. Every
          count in this module uses only ``counted`` mentions.
        - ``sentence``: the sentence of ``text_clean`` holding the mention.

        Mentions of different slogans may nest (小康社会 inside
        全面建成小康社会); see :mod:`analysis.slogans` for the rule.

        ``attrs`` carries the lexicon's ``lexicon_version`` and
        ``lexicon_sha256`` when the lexicon has them.

    Examples
    --------
    >>> mentions = tag_slogans("扎实做好“六稳”工作，全面落实“六保”任务。")
    >>> mentions[["canonical", "form", "start", "end", "quoted"]].values.tolist()
    [['六稳', 'compact', 5, 7, True], ['六保', 'compact', 16, 18, True]]
    """
    corpus = as_corpus(corpus)
    lexicon = load_default_lexicon() if lexicon is None else lexicon
    if cache is None or cache is False:
        return _tag(corpus, lexicon)
    from ..cache.mentions import (
        mentions_cache_key,
        mentions_folder,
        read_mentions,
        write_mentions,
    )

    folder = mentions_folder(cache)
    key = mentions_cache_key(corpus, lexicon, folder=folder)
    stored = read_mentions(folder, key, columns=MENTION_COLUMNS)
    if stored is not None:
        return stored
    mentions = _tag(corpus, lexicon)
    try:
        write_mentions(folder, key, mentions)
    except OSError as error:
        warnings.warn(f"mentions cache {folder} is not writable ({error}); continuing without it", stacklevel=2)
    return mentions


def _tag(corpus: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    compiled = compile_lexicon(lexicon)
    body_starts = corpus["body_start"].tolist() if "body_start" in corpus.columns else None
    dates = (
        pd.to_datetime(corpus["date"], errors="coerce").tolist()
        if compiled.dated and "date" in corpus.columns
        else [None] * len(corpus)
    )
    rows: dict[str, list] = {column: [] for column in MENTION_COLUMNS}
    for position, doc_id, text, view, starts in _screened(corpus, compiled):
        mentions = resolve(find_candidates(view, compiled, date=dates[position], starts=starts))
        if not mentions:
            continue
        body_start = body_starts[position] if body_starts is not None else None
        if body_start is not None and pd.isna(body_start):
            body_start = None
        spans = sentence_spans(text, mentions)
        mentions, spans = attribute_shared_parts(mentions, spans, compiled.families)
        for mention, counted, (first, last) in zip(mentions, counted_flags(mentions, spans), spans):
            family = compiled.families[mention.family]
            rows["doc_id"].append(doc_id)
            rows["slogan_id"].append(family.slogan_id)
            rows["canonical"].append(family.canonical)
            rows["form"].append(mention.form)
            rows["surface"].append(text[mention.start : mention.end])
            rows["start"].append(mention.start)
            rows["end"].append(mention.end)
            rows["quoted"].append(is_quoted(text, mention.start, mention.end))
            rows["in_title"].append(body_start is not None and mention.start < int(body_start))
            rows["counted"].append(counted)
            rows["sentence"].append(text[first:last].strip())
    if rows["doc_id"]:
        result = pd.DataFrame(rows, columns=MENTION_COLUMNS)
        result = result.astype(
            {"start": "int64", "end": "int64", "quoted": "bool", "in_title": "bool", "counted": "bool"}
        )
    else:
        result = _empty_mentions()
    for key in ("version", "sha256"):
        if key in lexicon.attrs:
            result.attrs[f"lexicon_{key}"] = lexicon.attrs[key]
    return result


def check_dictionary(lexicon: pd.DataFrame | None = None, *, tokenizer=None) -> pd.DataFrame:
    """List the slogan surface forms the tokenizer would split.

    A slogan that segments into several tokens is invisible to every
    token-based table (frequencies, topics, co-occurrence), so each canonical
    form, alias, component and component alias of two or more characters is
    segmented on its own (without HMM guessing, so that only the dictionary
    counts) and reported when it does not come out whole. A form written with
    punctuation (大众创业、万众创新) cannot be one token; each of its parts
    must be, and the parts are checked instead. Each string is checked once,
    under the first entry that uses it.

    Parameters
    ----------
    lexicon : pandas.DataFrame, optional
        Defaults to the shipped lexicon.
    tokenizer : jieba.Tokenizer, optional
        Anything with jieba's ``lcut(text, HMM=False)``; defaults to
        :func:`analysis.tokens.get_tokenizer`.

    Returns
    -------
    pandas.DataFrame
        One row per split form: ``slogan_id``, ``form`` (the string, or the
        part of a punctuated form),
        ``kind`` (``canonical``, ``alias``, ``component`` or
        ``component_alias``) and ``tokens`` (the list it was cut into).
        Empty when the dictionary keeps every form whole.

    Examples
    --------
    >>> class CharacterTokenizer:
    ...     def lcut(self, text, HMM=True):
    ...         return list(text)
    >>> lexicon = pd.DataFrame({"id": ["liuwen"], "canonical": ["六稳"],
    ...                         "aliases": [[]], "components": [[]]})
    >>> check_dictionary(lexicon, tokenizer=CharacterTokenizer())["tokens"].tolist()
    [['六', '稳']]
    """
    lexicon = load_default_lexicon() if lexicon is None else lexicon
    if tokenizer is None:
        from ..tokens import get_tokenizer

        tokenizer = get_tokenizer()
    rows = []
    checked: set[str] = set()
    for position, row in enumerate(lexicon.to_dict("records")):
        where = f"lexicon entry {position + 1} ('{row.get('id')}')"
        forms = [(row["canonical"], "canonical")]
        forms += [(alias, "alias") for alias in as_list(row.get("aliases"), where=where)]
        for component in as_list(row.get("components"), where=where):
            if isinstance(component, str):
                component = {"text": component, "aliases": []}
            forms.append((component["text"], "component"))
            forms += [(a, "component_alias") for a in as_list(component.get("aliases"), where=where)]
        for form, kind in forms:
            # jieba cuts text into blocks at punctuation before it looks words
            # up, so a punctuated form (大众创业、万众创新) can only ever come out
            # as its parts: each part must then be one token.
            for part in _NON_WORD.split(str(form)):
                if len(part) < 2 or part in checked:
                    continue
                checked.add(part)
                pieces = [piece for piece in tokenizer.lcut(part, HMM=False) if piece.strip()]
                if pieces != [part]:
                    rows.append({"slogan_id": row["id"], "form": part, "kind": kind, "tokens": pieces})
    if not rows:
        return pd.DataFrame(
            {
                "slogan_id": pd.Series(dtype="str"),
                "form": pd.Series(dtype="str"),
                "kind": pd.Series(dtype="str"),
                "tokens": pd.Series(dtype="object"),
            }
        )
    return pd.DataFrame(rows, columns=["slogan_id", "form", "kind", "tokens"])


def check_columns(table: pd.DataFrame, needed: Sequence[str], *, producer: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected the DataFrame from {producer}, got {type(table).__name__}")
    missing = [column for column in needed if column not in table.columns]
    if missing:
        raise ValueError(f"the table lacks column(s) {missing}; pass the table from {producer}")


def check_forms(forms: Sequence[str] | None) -> tuple[str, ...] | None:
    if forms is None:
        return None
    forms = (forms,) if isinstance(forms, str) else tuple(forms)
    unknown = [form for form in forms if form not in FORMS]
    if unknown:
        raise InputError(f"unknown form(s) {unknown}; choose from {FORMS}")
    return forms


def counted_mentions(mentions: pd.DataFrame, forms: Sequence[str] | None = COUNTED_FORMS) -> pd.DataFrame:
    """The mentions a count should count: of ``forms``, never a ``counted=False`` duplicate.

    Every count of this module goes through it; a module that counts
    mentions its own way should too.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The table from :func:`tag_slogans`. A table without a ``counted``
        column (from an older version, or built by hand) counts every row.
    forms : sequence of str or None, default ("compact", "enumerated", "expansion")
        Forms to keep; None keeps every form.

    Returns
    -------
    pandas.DataFrame
        The selected rows of ``mentions``.

    Examples
    --------
    >>> mentions = tag_slogans("落实“六保”任务，强化保就业保民生保市场主体。")
    >>> mentions[["form", "counted"]].values.tolist()
    [['compact', True], ['expansion', False]]
    >>> counted_mentions(mentions)["form"].tolist()
    ['compact']
    """
    return select_forms(mentions, forms)


def select_forms(mentions: pd.DataFrame, forms: Sequence[str] | None) -> pd.DataFrame:
    forms = check_forms(forms)
    keep = pd.Series(True, index=mentions.index)
    if forms is not None:
        keep &= mentions["form"].isin(forms)
    if "counted" in mentions.columns:
        keep &= mentions["counted"].astype("bool")
    return mentions[keep]
