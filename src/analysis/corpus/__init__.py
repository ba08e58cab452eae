"""Loading corpora: one row per document, whatever the files look like.

``load_corpus`` reads a plain-text file (``.txt``/``.md``), a folder of them,
a JSON Lines file, a CSV file or a Parquet file into one tidy table. The raw
text is kept exactly as decoded (``text``); cleaning and the splitting of
newspaper pages into articles are delegated to :mod:`analysis.clean`.

Nothing is dropped silently. A document that cannot be read (an empty or
binary file, an undecodable file, a malformed JSON line, a record without
text) is listed in the table :func:`skipped` returns and announced by one
:class:`CorpusWarning`; ``strict=True`` turns the first such problem into a
:class:`CorpusError`. Mistakes in the call itself (a column that does not
exist, duplicate document ids, an unsupported format) always raise.

Dates
-----
Full dates (``2022-01-01``, ``2022/1/1``, ``2022年1月1日``, ``20220101``),
months (``2022-01``, ``2022年1月``) and bare years (``"2019"``, ``2019``) are
parsed, with ``date_precision`` saying how much of the date was known. A
value that is present but cannot be parsed stays ``NaT`` and is reported in a
single warning; it is never guessed. When a document has no date value at
all, the date is read from its title, in this order:

1. An NPC session named in the title, such as
   ``第十三届全国人民代表大会第三次会议…`` or ``十三届全国人大三次会议``,
   gives the year of that session (see :data:`NPC_TERM_START_YEARS` and
   :func:`npc_session_year`).
2. Otherwise a title holding exactly one distinct four-digit year written as
   ``YYYY年`` (``2025年中华人民共和国国务院政府工作报告``) gives that year,
   or the full day when the title writes it out (``2020年5月28日``). Titles
   naming two different years are left undated rather than guessed.

Datelines in the body (``本报讯 6月1日``) carry no year and are never read.

Bad input
---------
Loaded plus skipped always equals the documents found. Skipped, with the
file, the line or record and the reason: empty and whitespace-only files
and records, binary files (PDF, images, archives), files in no detectable
encoding, malformed JSON lines, rows with the wrong field count, and
records that are empty once cleaned (scraper placeholders such as
``CONTENT NOTFOUND``; reason :data:`PLACEHOLDER_REASON`). A text file cut
inside its last UTF-8 character is loaded without that character and listed
in :func:`damaged`. A missing text column and duplicate ids are errors.

Where the tables live
---------------------
``load_corpus`` returns a plain DataFrame. What it skipped and what it
loaded damaged travel with it as one JSON string in
``attrs["load_record"]`` (:data:`LOAD_RECORD_ATTR`), read back as tables by
:func:`skipped` and :func:`damaged`. A string, not DataFrames: pandas
compares ``attrs`` when it concatenates or merges tables, and DataFrames
in ``attrs`` make ``pd.concat`` and ``merge`` fail. Filtering, copying,
selecting columns and merging keep the record; concatenating corpora from
different loads drops it (pandas keeps ``attrs`` only when they agree), so
keep each load's tables before combining.

Levels
------
A document's administrative ``level`` (one of :data:`analysis.config.LEVELS`:
central, provincial, municipal, county) and its ``region`` come from
``level``/``region`` columns of a tabular file; where the data names none,
from ``load_corpus(path, level=..., region=...)``, either one value for the
whole corpus or a mapping from ``source`` to value. Any other level is an
error naming the file and record. :func:`combine_corpora` joins corpora of
different levels into one table.

Duplicates and periods
----------------------
:func:`find_duplicates` finds exact and near-duplicate documents (reprints
of one article) with MinHash over character shingles, in time linear in the
corpus; :func:`drop_duplicates` removes them and records each in
:func:`skipped`. Counting documents per period lives in
:mod:`analysis.periods` (:func:`analysis.periods.period_table`); :func:`analysis.periods.choose_period`
picks the period from the span of the dates.

The subpackage has one module per stage of loading or object:
:mod:`~analysis.corpus.load` (:func:`load_corpus` and its ``cache=`` path),
:mod:`~analysis.corpus.text_files`, :mod:`~analysis.corpus.tabular` (JSON
Lines, CSV, Parquet) and :mod:`~analysis.corpus.folders` (reading each kind of
input), :mod:`~analysis.corpus.decoding` (binary files, encodings),
:mod:`~analysis.corpus.documents` (a document's rows, articles),
:mod:`~analysis.corpus.dates`, :mod:`~analysis.corpus.record` (the load record:
:func:`skipped`, :func:`damaged`), :mod:`~analysis.corpus.columns` (the
table's columns and dtypes), :mod:`~analysis.corpus.doctypes` (procedural
texts), :mod:`~analysis.corpus.levels`, :mod:`~analysis.corpus.combine`,
:mod:`~analysis.corpus.summary`, :mod:`~analysis.corpus.duplicates`,
:mod:`~analysis.corpus.labels` and :mod:`~analysis.corpus.errors`. Every
public name is importable from ``analysis.corpus`` itself.
"""

from __future__ import annotations

from .errors import (  # noqa: F401
    CorpusError,
    CorpusWarning,
)
from .columns import (  # noqa: F401
    COLUMNS,
    FILENAME_COLUMNS,
)
from .dates import (  # noqa: F401
    NPC_IRREGULAR_SESSION_YEARS,
    NPC_TERM_START_YEARS,
    date_from_title,
    npc_session_year,
    parse_date,
)
from .record import (  # noqa: F401
    LOAD_RECORD_ATTR,
    SKIPPED_COLUMNS,
    damaged,
    skipped,
)
from .documents import PLACEHOLDER_REASON  # noqa: F401
from .tabular import (  # noqa: F401
    DEFAULT_DATE_COLUMNS,
    DEFAULT_ID_COLUMNS,
    DEFAULT_SOURCE_COLUMNS,
    DEFAULT_TEXT_COLUMNS,
    DEFAULT_TITLE_COLUMNS,
    PASSTHROUGH_COLUMNS,
)
from .doctypes import (  # noqa: F401
    DOC_TYPES,
    PROCEDURAL_MAX_CHARS,
    document_type,
    without_procedural,
)
from .load import (  # noqa: F401
    CLASH_PREFIX,
    SUSPECT_SHORT_MAX_CHARS,
    SUSPECT_SHORT_MEDIAN_SHARE,
    SUSPECT_SHORT_MIN_DOCUMENTS,
    SUSPECT_SHORT_REASON,
    load_corpus,
)
from .combine import combine_corpora  # noqa: F401
from .summary import (  # noqa: F401
    SUMMARY_COLUMNS,
    corpus_fingerprint,
    corpus_summary,
)
from .duplicates import (  # noqa: F401
    DEFAULT_SHINGLE_SIZE,
    DUPLICATE_COLUMNS,
    PERIOD_COLUMNS,
    drop_duplicates,
    find_duplicates,
)
from .labels import document_labels  # noqa: F401

__all__ = [
    "CLASH_PREFIX",
    "COLUMNS",
    "CorpusError",
    "CorpusWarning",
    "DEFAULT_DATE_COLUMNS",
    "DEFAULT_ID_COLUMNS",
    "DEFAULT_SHINGLE_SIZE",
    "DEFAULT_SOURCE_COLUMNS",
    "DEFAULT_TEXT_COLUMNS",
    "DEFAULT_TITLE_COLUMNS",
    "DOC_TYPES",
    "DUPLICATE_COLUMNS",
    "FILENAME_COLUMNS",
    "LOAD_RECORD_ATTR",
    "NPC_IRREGULAR_SESSION_YEARS",
    "NPC_TERM_START_YEARS",
    "PASSTHROUGH_COLUMNS",
    "PERIOD_COLUMNS",
    "PLACEHOLDER_REASON",
    "PROCEDURAL_MAX_CHARS",
    "SKIPPED_COLUMNS",
    "SUMMARY_COLUMNS",
    "SUSPECT_SHORT_MAX_CHARS",
    "SUSPECT_SHORT_MEDIAN_SHARE",
    "SUSPECT_SHORT_MIN_DOCUMENTS",
    "SUSPECT_SHORT_REASON",
    "combine_corpora",
    "corpus_fingerprint",
    "corpus_summary",
    "damaged",
    "date_from_title",
    "document_labels",
    "document_type",
    "drop_duplicates",
    "find_duplicates",
    "load_corpus",
    "npc_session_year",
    "parse_date",
    "skipped",
    "without_procedural",
]
