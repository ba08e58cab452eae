"""Disk cache of segmented documents, under ``config.CACHE_DIR / "segments"``.

The other writer under ``config.CACHE_DIR`` is the report's notebook cache
(``notebooks/``, see :mod:`analysis.report`); nothing else writes there.

Segmentation dominates the cost of every token table, and it depends on
nothing but a document's text and the segmenter (dictionaries, backend,
HMM, part-of-speech mode). So the cache is content-addressed:

* a **namespace** folder per segmenter, named by a hash of everything that
  decides how text is cut (:func:`namespace`); a changed dictionary gets a
  new folder and leaves the caches of other dictionaries valid;
* inside it, **shard** files of a few thousand documents each. Documents are
  grouped by content-defined boundaries (:func:`shard_bounds`): a shard ends
  after a document whose content hash falls in a fixed residue class, so
  editing, inserting or deleting one document changes only the shard around
  it, while a second run on an unchanged corpus finds every shard again. A
  shard is named by the hash of its documents' keys, so no index file is
  needed and a million documents make a few hundred files, not a million.

Each shard is a Parquet file: one row per document with its ``key`` (content
hash) and the ``word_ids`` of its tokens (and ``tag_ids`` in part-of-speech
mode) into the shard's vocabulary, stored once in the file's metadata.
Files are written to a temporary name and moved into place with
``os.replace``, so an interrupted run leaves either the old state or a whole
new file: a leftover temporary file is never read, and a file that fails to
parse or does not hold the expected keys counts as missing and is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import config

# Part of every namespace: bump it when the shard layout changes.
FORMAT_VERSION = "1"
SEGMENTS_DIR_NAME = "segments"
SHARD_SUFFIX = ".parquet"
TEMP_PREFIX = ".tmp-"
# Temporary files older than this are left over from a killed run.
STALE_TEMP_SECONDS = 3600

# A shard ends after a document whose key is 0 modulo this, so shards hold
# about this many documents; MAX_SHARD_DOCUMENTS caps an unlucky long run.
SHARD_MODULUS = 1024
MAX_SHARD_DOCUMENTS = 4 * SHARD_MODULUS

_KEY_BYTES = 16
_METADATA_KEY = b"analysis.segments"


@dataclass
class Segments:
    """The segmentation of consecutive documents, as ids into a small vocabulary.

    Attributes
    ----------
    words : list of str
        Distinct token strings.
    word_ids : numpy.ndarray of int32
        One entry per token of every document, in order, indexing ``words``.
    counts : numpy.ndarray of int64
        Number of tokens of each document.
    tags, tag_ids : list of str and numpy.ndarray of int32, or None
        Part-of-speech tags the same way, in part-of-speech mode.
    """

    words: list
    word_ids: np.ndarray
    counts: np.ndarray
    tags: list | None = None
    tag_ids: np.ndarray | None = None

    @property
    def n_documents(self) -> int:
        return len(self.counts)


def concat_segments(parts: list[Segments]) -> Segments:
    """Join the segments of consecutive document ranges, merging vocabularies.

    Examples
    --------
    >>> a = Segments(["稳", "保"], np.array([0, 1], dtype=np.int32), np.array([2]))
    >>> b = Segments(["保"], np.array([0], dtype=np.int32), np.array([1]))
    >>> merged = concat_segments([a, b])
    >>> [merged.words[i] for i in merged.word_ids], merged.counts.tolist()
    (['稳', '保', '保'], [2, 1])
    """
    if len(parts) == 1:
        return parts[0]
    with_tags = parts[0].tags is not None

    def merge(vocabularies, id_arrays):
        index: dict[str, int] = {}
        merged_ids = []
        for vocabulary, ids in zip(vocabularies, id_arrays):
            remap = np.fromiter((index.setdefault(word, len(index)) for word in vocabulary), dtype=np.int32, count=len(vocabulary))
            merged_ids.append(remap[ids] if len(ids) else ids.astype(np.int32))
        return list(index), np.concatenate(merged_ids) if merged_ids else np.empty(0, np.int32)

    words, word_ids = merge([part.words for part in parts], [part.word_ids for part in parts])
    tags = tag_ids = None
    if with_tags:
        tags, tag_ids = merge([part.tags for part in parts], [part.tag_ids for part in parts])
    counts = np.concatenate([np.asarray(part.counts, dtype=np.int64) for part in parts])
    return Segments(words, word_ids, counts, tags, tag_ids)


def document_keys(texts) -> list[str]:
    """Content hash of each text (BLAKE2b, 128 bits, hexadecimal).

    Examples
    --------
    >>> keys = document_keys(["六稳", "六保", "六稳"])
    >>> len(keys[0]), keys[0] == keys[2], keys[0] == keys[1]
    (32, True, False)
    """
    return [hashlib.blake2b(text.encode("utf-8"), digest_size=_KEY_BYTES).hexdigest() for text in texts]


def shard_bounds(keys: list[str], *, modulus: int = SHARD_MODULUS, max_documents: int = MAX_SHARD_DOCUMENTS) -> list[tuple[int, int]]:
    """Split documents into shards at content-defined boundaries.

    A shard ends after a document whose key is 0 modulo ``modulus`` (or when
    it reaches ``max_documents``), so the boundaries move with the documents:
    an edit changes the shard that holds the edited document and no other.

    Parameters
    ----------
    keys : list of str
        :func:`document_keys` of the documents, in corpus order.
    modulus, max_documents : int
        Expected and largest number of documents per shard.

    Returns
    -------
    list of (start, stop)
        Half-open document ranges covering ``keys`` in order.

    Examples
    --------
    >>> shard_bounds(["0", "1", "2", "3", "4"], modulus=2, max_documents=10)
    [(0, 1), (1, 3), (3, 5)]
    """
    if modulus < 1 or max_documents < 1:
        raise ValueError(f"modulus and max_documents must be positive, got {modulus} and {max_documents}")
    bounds = []
    start = 0
    for position, key in enumerate(keys):
        if int(key[-8:], 16) % modulus == 0 or position + 1 - start >= max_documents:
            bounds.append((start, position + 1))
            start = position + 1
    if start < len(keys):
        bounds.append((start, len(keys)))
    return bounds


def namespace(**settings) -> str:
    """Name of the folder for one segmenter: a hash of its settings.

    Examples
    --------
    >>> namespace(dictionary="abc", backend="jieba") == namespace(backend="jieba", dictionary="abc")
    True
    >>> namespace(dictionary="abc", backend="jieba") == namespace(dictionary="abd", backend="jieba")
    False
    """
    described = json.dumps({"format": FORMAT_VERSION, **settings}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:32]


def resolve_folder(cache, *, name: str = SEGMENTS_DIR_NAME) -> Path | None:
    """The cache folder for a ``cache=`` option: True is ``config.CACHE_DIR/<name>`` (``segments``).

    None and False mean no cache; a path is taken from the current directory.
    The stores of loaded corpora (``name="corpora"``) read the option the same way.

    Examples
    --------
    >>> resolve_folder(False) is None
    True
    >>> resolve_folder(True).name
    'segments'
    """
    if cache is None or cache is False:
        return None
    if cache is True:
        return config.CACHE_DIR / name
    if isinstance(cache, (str, os.PathLike)):
        return config.resolve_path(cache)
    raise TypeError(f"cache must be True, False or a folder path, got {type(cache).__name__} ({cache!r})")


def _is_word_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(word, str) for word in value)


def _ids_in_range(ids: np.ndarray, size: int) -> bool:
    return not ids.size or (int(ids.min()) >= 0 and int(ids.max()) < size)


# Tokens compared at a time by spells: bounds the index arrays to some 10 MB, whatever the corpus.
_SPELLING_BLOCK_TOKENS = 1 << 20


def spells(segments: Segments, texts: list[str]) -> bool:
    """Whether the segments' tokens, joined, give back exactly these texts.

    A cache file is data from disk: checking it against the documents it
    claims to segment catches any corruption that left the file readable.
    Compared as arrays of code points (the words' characters gathered token
    by token), which costs a fraction of joining millions of token strings.

    Examples
    --------
    >>> segments = Segments(["稳", "就业"], np.array([0, 1], dtype=np.int32), np.array([2]))
    >>> spells(segments, ["稳就业"]), spells(segments, ["保就业"]), spells(segments, ["稳", "就业"])
    (True, False, False)
    """
    if segments.n_documents != len(texts) or int(segments.counts.sum()) != len(segments.word_ids):
        return False
    text_lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if not np.array_equal(_document_lengths(segments), text_lengths):
        return False
    # surrogatepass: a lone surrogate in a text is a code point like any other here.
    text_chars = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word_chars = np.frombuffer("".join(segments.words).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word_lengths = np.fromiter(map(len, segments.words), dtype=np.int64, count=len(segments.words))
    word_starts = np.cumsum(word_lengths) - word_lengths
    compared = 0
    for low in range(0, len(segments.word_ids), _SPELLING_BLOCK_TOKENS):
        ids = segments.word_ids[low : low + _SPELLING_BLOCK_TOKENS]
        lengths = word_lengths[ids]
        ends = np.cumsum(lengths)
        total = int(ends[-1])
        # The position in word_chars of every character the block's tokens spell.
        gather = np.repeat(word_starts[ids] - (ends - lengths), lengths) + np.arange(total)
        if not np.array_equal(word_chars[gather], text_chars[compared : compared + total]):
            return False
        compared += total
    return compared == len(text_chars)


def _document_lengths(segments: Segments) -> np.ndarray:
    word_lengths = np.fromiter(map(len, segments.words), dtype=np.int64, count=len(segments.words))
    # Characters spelled up to the end of each document: the running total at its last token.
    spelled = np.concatenate(([0], np.cumsum(word_lengths[segments.word_ids])))
    return np.diff(spelled[np.cumsum(segments.counts)], prepend=0)


class SegmentStore:
    """Shards of one segmenter's namespace under a cache root.

    Parameters
    ----------
    root : path-like
        The cache root (see :func:`resolve_folder`).
    settings : dict
        Everything that decides how text is segmented; hashed by
        :func:`namespace` into the folder name and written beside the shards
        as ``settings.json`` for people browsing the cache.

    Examples
    --------
    >>> import tempfile
    >>> store = SegmentStore(tempfile.mkdtemp(), {"dictionary": "abc"})
    >>> keys = document_keys(["稳就业"])
    >>> store.read(keys) is None
    True
    >>> store.write(keys, Segments(["稳就业"], np.zeros(1, np.int32), np.array([1])))
    >>> store.read(keys).words
    ['稳就业']
    """

    def __init__(self, root, settings: dict):
        self.settings = dict(settings)
        self.folder = Path(root) / namespace(**self.settings)

    def shard_path(self, keys: list[str]) -> Path:
        digest = hashlib.sha256("\n".join(keys).encode("ascii")).hexdigest()[:40]
        return self.folder / f"shard-{digest}{SHARD_SUFFIX}"

    def read(self, keys: list[str]) -> Segments | None:
        """The cached segments of exactly these documents, or None when absent or unreadable."""
        path = self.shard_path(keys)
        try:
            table = pq.read_table(path)
            metadata = json.loads(table.schema.metadata[_METADATA_KEY])
            if table.column("key").to_pylist() != keys:
                return None
            word_lists = table.column("word_ids").combine_chunks()
            tag_lists = table.column("tag_ids").combine_chunks() if "tag_ids" in table.column_names else None
        except FileNotFoundError:
            return None
        except (OSError, pa.ArrowException, KeyError, TypeError, ValueError):
            # A truncated or foreign file: treated as missing, rewritten by the caller.
            return None
        if not _is_word_list(metadata.get("words")) or (tag_lists is not None and not _is_word_list(metadata.get("tags"))):
            return None
        offsets = word_lists.offsets.to_numpy()
        segments = Segments(
            words=metadata["words"],
            word_ids=word_lists.values.to_numpy(zero_copy_only=False).astype(np.int32, copy=False),
            counts=np.diff(offsets).astype(np.int64),
        )
        if tag_lists is not None:
            segments.tags = metadata["tags"]
            segments.tag_ids = tag_lists.values.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        if len(segments.word_ids) != offsets[-1] - offsets[0] or not _ids_in_range(segments.word_ids, len(segments.words)):
            return None
        if tag_lists is not None and (len(segments.tag_ids) != len(segments.word_ids) or not _ids_in_range(segments.tag_ids, len(segments.tags))):
            return None
        return segments

    def write(self, keys: list[str], segments: Segments) -> None:
        """Store the segments of these documents atomically (temporary file, then ``os.replace``)."""
        if segments.n_documents != len(keys):
            raise ValueError(f"{len(keys)} keys for the segments of {segments.n_documents} documents")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write_settings()
        offsets = np.concatenate(([0], np.cumsum(segments.counts))).astype(np.int32)
        columns = {
            "key": pa.array(keys, type=pa.string()),
            "word_ids": pa.ListArray.from_arrays(pa.array(offsets), pa.array(segments.word_ids, type=pa.int32())),
        }
        metadata = {"words": segments.words}
        if segments.tags is not None:
            columns["tag_ids"] = pa.ListArray.from_arrays(pa.array(offsets), pa.array(segments.tag_ids, type=pa.int32()))
            metadata["tags"] = segments.tags
        table = pa.table(columns).replace_schema_metadata({_METADATA_KEY: json.dumps(metadata, ensure_ascii=False)})
        self._atomic_write(self.shard_path(keys), lambda path: pq.write_table(table, path, compression="zstd"))

    def remove_stale_temporary_files(self, *, older_than: float = STALE_TEMP_SECONDS) -> int:
        """Delete temporary files that a killed run left behind; returns how many."""
        removed = 0
        if not self.folder.is_dir():
            return removed
        cutoff = time.time() - older_than
        for path in self.folder.glob(f"{TEMP_PREFIX}*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                pass  # another process cleaned it up first
        return removed

    def _write_settings(self) -> None:
        path = self.folder / "settings.json"
        if not path.exists():
            text = json.dumps({"format": FORMAT_VERSION, **self.settings}, sort_keys=True, ensure_ascii=False, indent=1)
            self._atomic_write(path, lambda temporary: Path(temporary).write_text(text, encoding="utf-8"))

    def _atomic_write(self, path: Path, write) -> None:
        handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=self.folder)
        os.close(handle)
        try:
            write(temporary)
            with open(temporary, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(temporary, path)
        except BaseException:
            # KeyboardInterrupt included: never leave a partial file behind under the final name.
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise
