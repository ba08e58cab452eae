"""The whole report as one print view and ``report.pdf``, printed by headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from .. import display
from .errors import ReportError


PDF_NAME = "report.pdf"
# Browsers tried in turn; ANALYSIS_CHROMIUM names another Chromium-based executable.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PDF_TIMEOUT_SECONDS = 300
PDF_FIXED_STAMP = b"20000101000000"
PRINT_MAX_ROWS = 40
"""Rows of a table printed in report.pdf. The pages show every row; a mailed PDF shows the
first rows and names the CSV that has all of them (CCTV's 2,880-row mention table alone
made the PDF 100 pages longer and took 5 of its 8 seconds to print)."""
_REPORT_TABLE = re.compile(
    r'(<div class="report-table-wrap"><table class="report-table"><thead>.*?</thead><tbody>)(.*?)(</tbody></table></div>)',
    flags=re.S,
)
# The index's gallery shows every figure once more; in print each figure stands on its own page.
_INDEX_GALLERY = re.compile(r'<div class="figures">.*?</div>(?=\s*<h2>)', flags=re.S)
PRINT_GALLERY_NOTE = '<p class="figures">Each figure is printed with its notebook\'s page below.</p>'
NO_CHROMIUM_MESSAGE = (
    "report.pdf not written: Chromium was not found. Install it (Debian/Ubuntu: apt-get install chromium) "
    "or set ANALYSIS_CHROMIUM to a Chromium or Chrome executable and run the report again; "
    "or open index.html in a browser and print it to PDF."
)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable used to print the report, or None.

    ``$ANALYSIS_CHROMIUM`` when set, otherwise the first of
    :data:`CHROMIUM_NAMES` on the ``PATH``.

    Examples
    --------
    >>> find_chromium() is None or Path(find_chromium()).name != ""
    True
    """
    chosen = os.environ.get("ANALYSIS_CHROMIUM")
    if chosen:
        return shutil.which(chosen)
    return next((found for found in map(shutil.which, CHROMIUM_NAMES) if found), None)


SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"
# The cache folder comes before the system's: fontconfig writes the new folder's cache into the
# first writable one, and a build must not write into /var/cache/fontconfig (writable when it
# runs as root, as in CI containers).
_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <include ignore_missing="yes">{system}</include>
</fontconfig>
"""


def fontconfig_file(folder: str | os.PathLike) -> Path:
    """Write a fontconfig configuration that adds the charts' Chinese font to the system's fonts.

    Chromium on Linux finds its fonts through fontconfig. A machine without a
    CJK font (a fresh CI runner, a headless server) would print every Chinese
    character of ``report.pdf`` as an empty box. This configuration reads the
    system's own (``$FONTCONFIG_FILE`` when set, else
    :data:`SYSTEM_FONTCONFIG`) and adds the folder of the Noto Sans CJK SC font
    shipped by ``mplfonts`` (:func:`analysis.textplot.style.chinese_font_path`,
    the font the charts use), so the PDF's text and its charts share one
    font. Give the file to Chromium as ``FONTCONFIG_FILE`` in its environment.

    Parameters
    ----------
    folder : path-like
        A scratch folder that exists; receives ``fonts.conf`` and the
        ``fontconfig-cache`` folder fontconfig fills on first use.

    Returns
    -------
    pathlib.Path
        The written ``fonts.conf``.

    Raises
    ------
    ReportError
        ``mplfonts`` lacks the font; the message says how to reinstall it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as scratch:
    ...     config = fontconfig_file(scratch).read_text(encoding="utf-8")
    >>> "mplfonts" in config and "<include" in config
    True
    """
    from xml.sax.saxutils import escape

    from ..textplot.style import chinese_font_path

    try:
        fonts = chinese_font_path().parent
    except FileNotFoundError as error:
        raise ReportError(f"{PDF_NAME} would print Chinese as empty boxes: {error}") from error
    folder = Path(folder)
    target = folder / "fonts.conf"
    target.write_text(
        _FONTCONFIG.format(
            fonts=escape(str(fonts)),
            cache=escape(str(folder / "fontconfig-cache")),
            system=escape(os.environ.get("FONTCONFIG_FILE") or SYSTEM_FONTCONFIG),
        ),
        encoding="utf-8",
    )
    return target


def _page_parts(page: str) -> tuple[str, str, str]:
    head = re.search(r"<head[^>]*>(.*?)</head>", page, flags=re.S | re.I)
    body = re.search(r"<body([^>]*)>(.*)</body>", page, flags=re.S | re.I)
    return (head.group(1) if head else "", body.group(1) if body else "", body.group(2) if body else page)


def _first_rows(match: re.Match) -> str:
    rows = match.group(2).split("</tr>")[:-1]
    if len(rows) <= PRINT_MAX_ROWS:
        return match.group(0)
    columns = rows[0].count("<td")
    note = (f'<tr><td colspan="{columns}"><em>… {len(rows) - PRINT_MAX_ROWS:,} more rows: the first '
            f"{PRINT_MAX_ROWS} of {len(rows):,} are printed, every row is in the CSV named above.</em></td></tr>")
    return match.group(1) + "</tr>".join(rows[:PRINT_MAX_ROWS]) + "</tr>" + note + match.group(3)


def print_view(folder: str | os.PathLike, pages: list[str]) -> str:
    """One HTML document holding the index and every page in order, each page starting on a new sheet.

    The notebook pages' styles come first, then the index's. Links are
    dropped (they would print as paths on this machine); images stay
    relative to the report folder, so the document must be saved there.
    A table prints its first :data:`PRINT_MAX_ROWS` rows and says how many
    more its CSV holds. The index's figure gallery is left out: every figure
    is printed with its notebook's page (printing them twice made the PDF
    longer for nothing).

    Parameters
    ----------
    folder : path-like
        The report folder with ``index.html``.
    pages : list of str
        Page file names in order (``02-slogans.html``).

    Returns
    -------
    str
    """
    folder = Path(folder)
    documents = [folder / "index.html", *(folder / page for page in pages)]
    heads, bodies = [], []
    for number, path in enumerate(documents):
        head, attributes, body = _page_parts(path.read_text(encoding="utf-8"))
        if number <= 1:  # the index's head and one notebook page's (every page has the same styles)
            heads.append(re.sub(r"<title>.*?</title>", "", head, flags=re.S | re.I))
        style = "" if number == 0 else ' style="break-before: page;"'
        # Links to files beside the report would print as absolute paths of this machine
        # (and of the build folder); a mailed PDF has no use for them.
        body = re.sub(r'(<a\b[^>]*?)\s+href="[^"]*"', r"\1", body, flags=re.I)
        body = _REPORT_TABLE.sub(_first_rows, body)
        if number == 0:
            body = _INDEX_GALLERY.sub(PRINT_GALLERY_NOTE, body)
        bodies.append(f"<div{attributes}{style}>{body}</div>")
    return (
        f'<!DOCTYPE html>\n<html lang="{display.PAGE_LANGUAGE}">\n<head>\n<meta charset="utf-8">\n'
        + "\n".join(reversed(heads))
        + "\n<title>Report</title>\n</head>\n<body>\n"
        + "\n".join(bodies)
        + "\n</body>\n</html>\n"
    )


def write_pdf(
    folder: str | os.PathLike,
    pages: list[str],
    *,
    chromium: str | None = None,
    timeout: float = PDF_TIMEOUT_SECONDS,
) -> Path | None:
    """Print the index and every page to ``<folder>/report.pdf`` with headless Chromium.

    For readers who send reports by mail. Tables are printed whole (not cut
    to their scroll boxes) and each page starts on a new sheet.

    Parameters
    ----------
    folder : path-like
        The report folder (or its build folder) with ``index.html`` and the pages.
    pages : list of str
        Page file names in order.
    chromium : str, optional
        Browser executable; default :func:`find_chromium`.
    timeout : float
        Seconds before printing is abandoned.

    Returns
    -------
    pathlib.Path or None
        The PDF, or None when no Chromium is available (nothing is written).

    Raises
    ------
    ReportError
        Chromium ran but did not produce the PDF; the message has its output.

    Examples
    --------
    >>> write_pdf("reports/seeds", ["01-corpus-overview.html"])  # doctest: +SKIP
    PosixPath('reports/seeds/report.pdf')
    """
    import subprocess

    folder = Path(folder).resolve()
    chromium = chromium or find_chromium()
    if chromium is None:
        return None
    target = folder / PDF_NAME
    # The print view sits in the report folder so its relative links (figures) resolve;
    # the browser profile goes to the system's temporary folder.
    view = folder / ".print-view.html"
    with tempfile.TemporaryDirectory(prefix="analysis-chromium-") as scratch:
        profile, fonts = Path(scratch) / "profile", Path(scratch) / "fonts"
        fonts.mkdir()
        # The system may have no Chinese font: the browser gets one from the charts' font folder,
        # through its own environment (the caller's stays as it is).
        environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(fonts))}
        view.write_text(print_view(folder, pages), encoding="utf-8")
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--user-data-dir={profile}", f"--print-to-pdf={target}", view.as_uri(),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False, env=environment
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ReportError(f"printing {PDF_NAME} with {chromium} failed: {error}") from error
        finally:
            view.unlink(missing_ok=True)
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        output = (result.stderr or result.stdout or "").strip().splitlines()[-3:]
        raise ReportError(
            f"{chromium} did not write {PDF_NAME} (exit status {result.returncode}): {' | '.join(output)}"
        )
    # The print time is the only thing that differs between two prints of the same report;
    # a fixed stamp of the same length keeps the byte offsets and makes reruns identical.
    content = target.read_bytes()
    target.write_bytes(re.sub(rb"(/(?:Creation|Mod)Date \(D:)\d{14}", rb"\g<1>" + PDF_FIXED_STAMP, content))
    return target
