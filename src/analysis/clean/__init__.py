"""OCR-aware cleaning of Chinese text and splitting newspaper pages into articles.

:func:`clean_text` turns one document's raw text into ``text_clean``, the text
every later stage indexes (token, mention and KWIC offsets all point into it).
It runs these steps, each also public so it can be tested and reused:

1. :func:`strip_markup` -- newlines normalised (``\\r\\n``, ``\\r``), zero-width
   characters dropped, HTML tags removed and entities unescaped, markdown
   escapes undone, boilerplate lines dropped (a markdown link alone on a line
   such as CCTV's ``[查看原文](https://…)``, a bare URL, a horizontal rule
   ``---``, a ``更新时间：2023-09-04T14:18:08Z`` timestamp line).
2. :func:`normalize_width` -- full-width digits, Latin letters and ASCII
   symbols to half-width (``１９５５`` -> ``1955``), ``「」『』`` to ``“”‘’``,
   ideographic and no-break spaces to ordinary spaces.
3. :func:`traditional_to_simplified` -- OpenCC ``t2s`` for documents that are
   written in traditional characters (see the function for why a document
   that is already simplified is left alone).
4. :func:`join_broken_lines` -- lines broken inside a sentence (by OCR layout
   or by hyperlinks in the source page) are joined; real paragraph breaks and
   headings stay.
5. A byline at the end of a paragraph (``…活动。 记者 李颖 孙庆辉 文/图``) is
   put on its own line.
6. :func:`pair_quotes` and :func:`normalize_punctuation` -- straight quotes
   become paired curly quotes, ASCII punctuation sitting in Chinese text
   becomes the Chinese full-width form, stray spaces between Chinese
   characters go.
7. :func:`apply_ocr_fixes` -- reviewed OCR confusions from
   ``data/ocr_fixes.tsv``, each applied only in the context that makes it
   certain.

Lines that are reviewed boilerplate (:func:`strip_boilerplate_lines`, the
list in ``data/boilerplate_lines.txt``: web-page menus such as ``下载 打印 全屏
收藏``, ``【字体：大 中 小】``, ``分享到：``, ``责任编辑：…``; the Wikisource
licence notice; the ``CONTENT NOTFOUND`` placeholder) are dropped after step
2 and again after step 4, where a notice broken over hyperlink lines has
become one line.

Every regular expression here is linear in the length of the text (no
nested unbounded repetition), so a document that is one 50 MB line is
cleaned in seconds; ``tests/test_clean.py`` checks it.

Output convention: paragraphs are separated by a single ``"\\n"``; there are
no blank lines and no leading or trailing whitespace.

Spaces between Chinese characters are removed in prose paragraphs (a
paragraph with ，。！？；), where they are OCR noise (``管委会 主任``). In a
line with no such punctuation -- a title, a byline, a list of names -- a
space separates parts (``区领导到荥阳东沟村 调研扶贫工作``,
``习近平　李克强　栗战书``), so it is kept as one ASCII space; only the
typographic padding of a two-character name (``李　强``) is closed. The same
holds inside a prose paragraph for a cited title or quoted slogan that is
not a sentence (``《坚定信心　勇毅前行》``, ``“专精特新　强基固链”``).

:func:`split_articles` splits a raw newspaper page into articles with title,
subtitle and byline; each article's ``text`` is the untouched slice
``page[start:end]`` and the slices tile the page.

The subpackage has one module per step or object:
:mod:`~analysis.clean.characters` (character classes, width),
:mod:`~analysis.clean.markup`, :mod:`~analysis.clean.traditional`,
:mod:`~analysis.clean.paragraphs` (joining broken lines),
:mod:`~analysis.clean.bylines`, :mod:`~analysis.clean.punctuation`,
:mod:`~analysis.clean.ocr` (OCR fixes and the reviewed-table reader),
:mod:`~analysis.clean.boilerplate`, :mod:`~analysis.clean.pipeline`
(:func:`clean_text`, the steps in order) and :mod:`~analysis.clean.articles`
(:func:`split_articles`). Every public name is importable from
``analysis.clean`` itself.
"""

from __future__ import annotations

from .characters import (  # noqa: F401
    CJK_PUNCT,
    HAN,
    normalize_width,
)
from .markup import strip_markup  # noqa: F401
from .traditional import (  # noqa: F401
    TRADITIONAL_MIN_SHARE,
    traditional_share,
    traditional_to_simplified,
)
from .paragraphs import join_broken_lines  # noqa: F401
from .punctuation import (  # noqa: F401
    normalize_punctuation,
    pair_quotes,
)
from .ocr import (  # noqa: F401
    OCR_CONTEXT_WINDOW,
    OCR_FIX_COLUMNS,
    OcrFixesError,
    apply_ocr_fixes,
    find_ocr_fixes,
    load_ocr_fixes,
)
from .boilerplate import (  # noqa: F401
    BOILERPLATE_COLUMNS,
    BOILERPLATE_KINDS,
    BOILERPLATE_LINES_PATH,
    BoilerplateError,
    FOUND_BOILERPLATE_COLUMNS,
    find_boilerplate_lines,
    load_boilerplate_lines,
    strip_boilerplate_lines,
)
from .pipeline import clean_text  # noqa: F401
from .articles import split_articles  # noqa: F401

__all__ = [
    "BOILERPLATE_COLUMNS",
    "BOILERPLATE_KINDS",
    "BOILERPLATE_LINES_PATH",
    "BoilerplateError",
    "CJK_PUNCT",
    "FOUND_BOILERPLATE_COLUMNS",
    "HAN",
    "OCR_CONTEXT_WINDOW",
    "OCR_FIX_COLUMNS",
    "OcrFixesError",
    "TRADITIONAL_MIN_SHARE",
    "apply_ocr_fixes",
    "clean_text",
    "find_boilerplate_lines",
    "find_ocr_fixes",
    "join_broken_lines",
    "load_boilerplate_lines",
    "load_ocr_fixes",
    "normalize_punctuation",
    "normalize_width",
    "pair_quotes",
    "split_articles",
    "strip_boilerplate_lines",
    "strip_markup",
    "traditional_share",
    "traditional_to_simplified",
]
