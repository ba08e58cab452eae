"""OCR-aware cleaning of Chinese text and splitting newspaper pages into articles.

(Interface stub: the implementation is being written.)
"""

from __future__ import annotations


def clean_text(text: str, *, to_simplified: bool = True, fix_ocr: bool = True) -> str:
    """Return the cleaned form of one document's text (stub: strips only)."""
    return text.strip()


def split_articles(page: str, *, to_simplified: bool = True, fix_ocr: bool = True) -> list[dict]:
    """Split one newspaper page into articles (stub: one article, no title)."""
    text_clean = clean_text(page, to_simplified=to_simplified, fix_ocr=fix_ocr)
    return [
        {
            "title": None,
            "subtitle": None,
            "byline": None,
            "text": page,
            "start": 0,
            "end": len(page),
            "text_clean": text_clean,
            "body_start": 0,
        }
    ]
