"""One document's output rows: ``text_clean``, ``body_start`` after a repeated title, a page split into
articles, placeholder pages skipped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import clean
from .errors import CorpusError
from .record import Skips

#: Start of the skip reason for a document whose text is all markup and boilerplate.
PLACEHOLDER_REASON = "no text after cleaning: placeholder"


@dataclass
class LoadOptions:
    """The options of :func:`~analysis.corpus.load_corpus` that every reader passes down to a document's rows.

    Examples
    --------
    >>> LoadOptions(split_articles=None, to_simplified=True, fix_ocr=True, encoding=None, progress=False).fix_ocr
    True
    """

    split_articles: bool | None
    to_simplified: bool
    fix_ocr: bool
    encoding: str | None
    progress: bool


def _article_suffixes(count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"-{number:0{width}d}" for number in range(1, count + 1)]


_PLACEHOLDER_PREVIEW_CHARS = 60


def _placeholder_reason(raw: str) -> str:
    # Scraper stubs ("CONTENT NOTFOUND" + a link, a bare "[查看原文](…)" line) clean to
    # nothing: loading them would add empty documents that every rate divides by.
    preview = " ".join(raw.split())
    if len(preview) > _PLACEHOLDER_PREVIEW_CHARS:
        preview = preview[:_PLACEHOLDER_PREVIEW_CHARS] + "…"
    return f"{PLACEHOLDER_REASON} (raw text: {preview!r})"


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _body_start_after_title(text_clean: str, title: str, *, opts: LoadOptions) -> int:
    """Where the body starts in ``text_clean``: after its first line when that line is the title, else 0.

    Scraped records often repeat the headline as the first line of the text;
    a mention in that line is a mention in the title (``in_title``).
    """
    first, newline, _ = text_clean.partition("\n")
    if not first or len(first) > 2 * len(title) + 10:
        return 0
    cleaned = clean.clean_text(title, to_simplified=opts.to_simplified, fix_ocr=opts.fix_ocr)
    if _squeezed(first) != _squeezed(cleaned):
        return 0
    return len(first) + len(newline)


def rows_of_document(
    text: str,
    *,
    base: dict,
    doc_id: str,
    split: bool,
    opts: LoadOptions,
    path: Path,
    record: int | None,
    skips: Skips,
    unit: str = "record",
) -> list[dict]:
    """Output rows for one document: itself, or its articles when split.

    A document (or article) that is empty once cleaned is listed in ``skips``
    and gives no row.

    Examples
    --------
    >>> options = LoadOptions(split_articles=False, to_simplified=True, fix_ocr=True, encoding=None, progress=False)
    >>> rows = rows_of_document("要做好“六稳”工作。", base={"title": None}, doc_id="a", split=False, opts=options,
    ...                         path=Path("a.txt"), record=None, skips=Skips(strict=False))
    >>> [(row["doc_id"], row["text_clean"], row["body_start"]) for row in rows]
    [('a', '要做好“六稳”工作。', 0)]
    """
    if not split:
        row = dict(base, doc_id=doc_id, text=text, body_start=0)
        row["text_clean"] = clean.clean_text(text, to_simplified=opts.to_simplified, fix_ocr=opts.fix_ocr)
        if not row["text_clean"]:
            skips.add(path, record, _placeholder_reason(text), unit=unit)
            return []
        if row.get("title") is not None:
            if opts.to_simplified:
                # Converted by its own share of traditional forms, as a text is (see clean).
                row["title"] = clean.traditional_to_simplified(row["title"])
            row["body_start"] = _body_start_after_title(row["text_clean"], row["title"], opts=opts)
        return [row]
    articles = clean.split_articles(text, to_simplified=opts.to_simplified, fix_ocr=opts.fix_ocr)
    if not articles:
        skips.add(path, record, "no article found on the page by clean.split_articles")
        return []
    rows = []
    suffixes = _article_suffixes(len(articles)) if len(articles) > 1 else [""]
    for number, (article, suffix) in enumerate(zip(articles, suffixes), start=1):
        start, end, article_text = article["start"], article["end"], article["text"]
        if text[start:end] != article_text:
            # Offsets into the page are the contract with clean; a mismatch is a bug there.
            raise CorpusError(
                f"{path}: article {number} from clean.split_articles is not the slice "
                f"[{start}:{end}] of the page"
            )
        if not article_text.strip():
            skips.add(path, record, f"article {number} is empty or whitespace-only")
            continue
        if not article["text_clean"]:
            skips.add(path, record, f"article {number}: {_placeholder_reason(article_text)}", unit=unit)
            continue
        row = dict(base)
        for key in ("title", "subtitle", "byline"):
            if article.get(key) is not None:
                row[key] = article[key]
        row.update(
            doc_id=doc_id + suffix,
            text=article_text,
            text_clean=article["text_clean"],
            body_start=int(article.get("body_start") or 0),
        )
        rows.append(row)
    return rows
