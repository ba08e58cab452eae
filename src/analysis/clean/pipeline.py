""":func:`clean_text`: the cleaning steps in order, from a document's raw text to ``text_clean``."""

from __future__ import annotations

from .boilerplate import boilerplate_set, is_boilerplate, strip_boilerplate_lines
from .bylines import BYLINE_ROLE_WORD, split_trailing_bylines
from .characters import normalize_width
from .markup import strip_markup
from .ocr import apply_ocr_fixes
from .paragraphs import split_paragraphs
from .punctuation import polish_line
from .traditional import traditional_to_simplified


def require_str(value, *, name: str) -> None:
    """``TypeError`` naming the function ``name`` unless ``value`` is a str.

    Examples
    --------
    >>> require_str(b"text", name="clean_text")
    Traceback (most recent call last):
    ...
    TypeError: clean_text expects the text as str, got bytes
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} expects the text as str, got {type(value).__name__}")


def clean_steps(
    text: str, *, simplify: bool, fix_ocr: bool, keep_spaces: bool | None = None, drop_boilerplate: bool = True
) -> str:
    """The steps of :func:`clean_text`, with the choices :func:`~analysis.clean.split_articles` makes.

    ``simplify`` converts to simplified whatever the share of traditional
    characters; ``keep_spaces`` is passed to :func:`polish_line` (None: decide
    per line).

    Examples
    --------
    >>> clean_steps("１９５５年我們的會議", simplify=True, fix_ocr=False)
    '1955年我们的会议'
    """
    text = normalize_width(strip_markup(text))
    rules = boilerplate_set() if drop_boilerplate else None
    if rules is not None:
        # Before joining, or a menu line would be glued to the paragraph it sits above.
        text = strip_boilerplate_lines(text)
    if simplify:
        text = traditional_to_simplified(text, min_share=0)
    paragraphs = split_paragraphs(text)
    if BYLINE_ROLE_WORD.search(text):
        paragraphs = split_trailing_bylines(paragraphs)
    lines = [polish_line(paragraph, keep_spaces=keep_spaces) for paragraph in paragraphs]
    if rules is not None:
        # Again after joining: the Wikisource notice is broken over hyperlink lines in the source.
        lines = [line for line in lines if not is_boilerplate(line, rules)]
    text = "\n".join(line for line in lines if line)
    if fix_ocr:
        text = apply_ocr_fixes(text)
    return text


def clean_text(text: str, *, to_simplified: bool = True, fix_ocr: bool = True, drop_boilerplate: bool = True) -> str:
    """Return the cleaned form of one document's raw text.

    Runs :func:`strip_markup`, :func:`normalize_width`,
    :func:`traditional_to_simplified` (when ``to_simplified``),
    :func:`join_broken_lines`, moves a byline that ends a paragraph onto
    its own line, then :func:`normalize_punctuation` and
    :func:`apply_ocr_fixes` (when ``fix_ocr``); see :mod:`analysis.clean`.

    Parameters
    ----------
    text : str
        Raw text of one document.
    to_simplified : bool, default True
        Convert a document written in traditional characters to simplified
        (a document in which fewer than ``TRADITIONAL_MIN_SHARE`` of the
        Chinese characters are traditional is left as it is).
    fix_ocr : bool, default True
        Apply the reviewed fixes of ``data/ocr_fixes.tsv``.
    drop_boilerplate : bool, default True
        Drop the reviewed boilerplate lines of ``data/boilerplate_lines.txt``
        (web-page menus, licence notices, placeholders), once on the raw
        lines and once on the joined paragraphs (:func:`strip_boilerplate_lines`).

    Returns
    -------
    str
        Paragraphs separated by a single ``"\\n"``, no blank lines, no
        leading or trailing whitespace.

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    OcrFixesError
        If ``fix_ocr`` and the OCR fix table is missing or malformed.
    BoilerplateError
        If ``drop_boilerplate`` and the boilerplate table is missing or malformed.

    Examples
    --------
    >>> clean_text('深人困难群众家中了解生活,看望人党积极分子。\\n\\n下一段')
    '深入困难群众家中了解生活，看望入党积极分子。\\n下一段'
    >>> clean_text("１９５５年我們的會議")
    '1955年我们的会议'
    """
    require_str(text, name="clean_text")
    if to_simplified:
        text = traditional_to_simplified(text)
    return clean_steps(text, simplify=False, fix_ocr=fix_ocr, drop_boilerplate=drop_boilerplate)
