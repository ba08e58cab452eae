"""Decoding files: binary content told from text, the encoding chosen (UTF-8, GB18030, UTF-16/32), damage reported."""

from __future__ import annotations

import codecs
import unicodedata

from .errors import CorpusError

# Share of control, private-use or unassigned characters above which a
# GB18030 decode is taken for the wrong encoding rather than real text.
_IMPLAUSIBLE_SHARE = 0.01
_PLAUSIBILITY_CHARS = 200_000

_MAGIC_NUMBERS = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (.doc/.xls)"),
    (b"PAR1", "a Parquet file"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive (name it .gz to have it decompressed)"),
)
#: The UTF-8 byte-order mark: an encoding artefact, dropped from the start of a file.
UTF8_BOM = codecs.BOM_UTF8
# A byte-order mark settles a wide encoding (UTF-32 first: its little-endian BOM starts like UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Unreadable(Exception):
    """One document cannot be read; carries the reason the readers list in :func:`~analysis.corpus.skipped`.

    Examples
    --------
    >>> str(Unreadable("empty file"))
    'empty file'
    """


def _bom_codec(data: bytes) -> str | None:
    """The UTF-16/UTF-32 codec that a byte-order mark at the start names, else None."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            return codec
    return None


def is_wide(codec: str | None) -> bool:
    """Whether ``codec`` is UTF-16 or UTF-32, whose text is full of NUL bytes and whose line breaks are wide.

    Examples
    --------
    >>> is_wide("UTF-16LE"), is_wide("utf-8"), is_wide(None)
    (True, False, False)
    """
    return codec is not None and codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))


def binary_kind(data: bytes, *, encoding: str | None = None) -> str | None:
    """Describe binary content (by magic number or NUL bytes), None for text.

    UTF-16 and UTF-32 text is full of NUL bytes: with a byte-order mark, or
    when the caller names such an encoding, it is text.

    Examples
    --------
    >>> binary_kind(b"%PDF-1.4"), binary_kind("六稳".encode("utf-8")) is None
    ('a PDF document', True)
    """
    if _bom_codec(data) or is_wide(encoding):
        return None
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if b"\x00" in data:
        return "binary data (contains NUL bytes)"
    return None


def _implausible_share(text: str) -> float:
    if not text:
        return 0.0
    bad = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Co", "Cn", "Cs") or (category == "Cc" and ch not in "\t\n\r\x0b\x0c"):
            bad += 1
    return bad / len(text)


def _gb18030_is_plausible(text: str) -> tuple[bool, float]:
    # The start of a file settles its encoding; scanning all of a large file adds nothing.
    share = _implausible_share(text[:_PLAUSIBILITY_CHARS])
    return share <= _IMPLAUSIBLE_SHARE, share


def decode_error(error: UnicodeDecodeError) -> str:
    """Which byte a decode failed on, and where: the detail of a skip reason.

    Examples
    --------
    >>> try:
    ...     b"ok\\xff".decode("utf-8")
    ... except UnicodeDecodeError as error:
    ...     print(decode_error(error))
    invalid byte 0xff at offset 2
    """
    return f"invalid byte 0x{error.object[error.start]:02x} at offset {error.start}"


def _truncated_utf8(data: bytes, error: UnicodeDecodeError) -> bool:
    """Whether the only UTF-8 problem is a multibyte character cut off by the end of the data."""
    return error.end == len(data) and error.reason == "unexpected end of data"


def _choose_encoding(sample: bytes, *, final: bool) -> str:
    """Pick the codec for a file from (the start of) its bytes, or raise Unreadable."""
    wide = _bom_codec(sample)
    if wide:
        return wide
    try:
        codecs.getincrementaldecoder("utf-8-sig")("strict").decode(sample, final=final)
        return "utf-8-sig"
    except UnicodeDecodeError as error:
        if _truncated_utf8(sample, error):
            # A file cut inside its last character is still UTF-8; read as GB18030
            # its Chinese would turn into plausible-looking mojibake.
            return "utf-8-sig"
        utf8_problem = decode_error(error)
    try:
        text = codecs.getincrementaldecoder("gb18030")("strict").decode(sample, final=final)
    except UnicodeDecodeError as error:
        raise Unreadable(
            f"cannot be decoded: not UTF-8 ({utf8_problem}) and not GB18030 ({decode_error(error)}); "
            "pass encoding=... if you know the encoding"
        ) from None
    plausible, share = _gb18030_is_plausible(text)
    if not plausible:
        raise Unreadable(
            f"cannot be decoded: not UTF-8 ({utf8_problem}), and as GB18030 {share:.0%} of the characters "
            "are control, private-use or unassigned, so that is not its encoding either; "
            "pass encoding=... if you know the encoding"
        )
    return "gb18030"


def check_codec(encoding: str) -> str:
    """The canonical name of ``encoding``, or :class:`CorpusError` when Python knows no such codec.

    Examples
    --------
    >>> check_codec("GBK")
    'gbk'
    """
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise CorpusError(f"unknown encoding {encoding!r}") from None


def decode_text(data: bytes, *, encoding: str | None, damage: list[str] | None = None) -> str:
    """``data`` decoded with ``encoding``, or with the encoding its bytes show; a leading BOM dropped.

    Raises :class:`Unreadable` when the data cannot be decoded. Given a
    ``damage`` list, UTF-8 cut inside its last character is decoded without
    that character, and what was dropped is appended to the list.

    Examples
    --------
    >>> decode_text("稳中求进".encode("gb18030"), encoding=None)
    '稳中求进'
    >>> damage = []
    >>> decode_text("六稳".encode("utf-8")[:-1], encoding=None, damage=damage), len(damage)
    ('六', 1)
    """
    codec = encoding or _choose_encoding(data, final=True)
    try:
        text = data.decode(codec, errors="strict")
    except UnicodeDecodeError as error:
        if damage is None or codecs.lookup(codec).name not in ("utf-8", "utf-8-sig") or not _truncated_utf8(data, error):
            raise Unreadable(f"cannot be decoded as {codec}: {decode_error(error)}") from None
        # Everything before the cut character is intact: keep it and report the damage.
        text = data[: error.start].decode(codec, errors="strict")
        damage.append(
            f"truncated UTF-8: the file ends inside a multibyte character at byte {error.start}; "
            f"the last {len(data) - error.start} byte(s) were dropped"
        )
    # A byte-order mark is an encoding artefact, not part of the text.
    return text[1:] if text.startswith("\ufeff") else text


def _utf8_line_share(sample: bytes, *, final: bool) -> tuple[int, int]:
    """(lines that decode as UTF-8, lines that do not) among the non-ASCII lines of a sample."""
    lines = sample.split(b"\n")
    if not final:
        lines = lines[:-1]  # the last line may be cut by the sample's end
    good = bad = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8-sig")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    return good, bad


def jsonl_codec(sample: bytes, *, encoding: str | None, final: bool) -> str:
    """The codec for the lines of a JSON Lines file, from a sample of its start (``final``: the whole file).

    ``encoding`` when given; UTF-16/32 when a byte-order mark names it; UTF-8
    when most non-ASCII lines of the sample are UTF-8; else the encoding
    chosen as for a text file, and UTF-8 when none fits.

    Examples
    --------
    >>> jsonl_codec('{"text": "六稳"}\\n'.encode("gb18030"), encoding=None, final=True)
    'gb18030'
    """
    if encoding:
        return encoding
    wide = _bom_codec(sample)
    if wide:
        return wide
    # Lines are decoded one by one, so the file's encoding is that of most of its lines: one
    # line in another encoding is skipped alone instead of turning the file into GB18030.
    good, bad = _utf8_line_share(sample, final=final or sample.endswith(b"\n"))
    if good and good >= bad:
        return "utf-8-sig"
    try:
        return _choose_encoding(sample, final=final)
    except Unreadable:
        # Neither encoding fits every line: UTF-8, and each line that is not UTF-8 is listed.
        return "utf-8-sig"
