"""Everything the package keeps under ``data/cache/`` (or ``$ANALYSIS_CACHE_DIR``): the one writer there.

- :mod:`~analysis.cache.segments`: each document's segmentation, in content-keyed
  Parquet shards, so a second run on an unchanged corpus does not segment again;
- :mod:`~analysis.cache.notebooks`: each executed notebook with its figures and
  tables, so a report on unchanged inputs is rebuilt in seconds;
- :mod:`~analysis.cache.corpora`: loaded corpora, so the notebooks of a report
  read the corpus the report loaded instead of each cleaning it again;
- :mod:`~analysis.cache.mentions`: tagged slogan mentions, so the notebooks of a
  report read the mentions the report tagged instead of each tagging again.

Every store writes atomically (a temporary sibling moved into place) and treats a damaged
entry as absent. Deleting the folder is always safe.
"""

from __future__ import annotations

from .notebooks import (  # noqa: F401
    PDF_CACHE_DIR_NAME,
    print_key,
    read_pdf,
    write_pdf,
    BASE_DISTRIBUTIONS,
    NOTEBOOK_CACHE_DIR_NAME,
    NOTEBOOK_CACHE_EXECUTED,
    NOTEBOOK_CACHE_FORMAT,
    NOTEBOOK_CACHE_INDEX,
    NOTEBOOK_TIMES_NAME,
    corpus_content_hash,
    environment_fingerprint,
    file_sha256,
    hash_file,
    keyed_distributions,
    notebook_cache_key,
    output_state,
    read_entry,
    read_notebook_times,
    remove_stale_entries,
    tree_sha256,
    write_entry,
    write_notebook_times,
)
from .corpora import (  # noqa: F401
    CORPORA_DIR_NAME,
    CORPUS_CACHE_FORMAT,
    corpora_folder,
    corpus_cache_key,
    read_corpus,
    write_corpus,
)
from .mentions import (  # noqa: F401
    MENTIONS_CACHE_FORMAT,
    MENTIONS_DIR_NAME,
    lexicon_digest,
    mentions_cache_key,
    mentions_folder,
    read_mentions,
    write_mentions,
)
from .segments import (  # noqa: F401
    FORMAT_VERSION,
    MAX_SHARD_DOCUMENTS,
    SEGMENTS_DIR_NAME,
    SHARD_MODULUS,
    SHARD_SUFFIX,
    STALE_TEMP_SECONDS,
    SegmentStore,
    Segments,
    TEMP_PREFIX,
    concat_segments,
    document_keys,
    namespace,
    resolve_folder,
    shard_bounds,
    spells,
)
