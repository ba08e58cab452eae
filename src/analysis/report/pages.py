"""A notebook as an HTML page without code, and the page of a notebook that was not run."""

from __future__ import annotations

from pathlib import Path

from .. import display
from .notebooks import notebook_title

# Drops every script the stock "lab" template fetches from a CDN (require.js,
# MathJax, mermaid, widgets) and adds a way back to the index.
_HTML_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}
<style type="text/css">{{ resources.report_style }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="report-nav" style="padding: 0.5em 1em;"><a href="index.html">&larr; Report index</a></nav>
{%- endblock body_header -%}
"""
_HTML_TEMPLATE_NAME = "analysis_report.html.j2"


def not_run_page(page: Path, notebook_path: Path, *, documents: int, needed: int) -> tuple[str, str]:
    """Write the page of a notebook the corpus is too small for; returns its title and the reason."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    notebook = nbformat.read(str(notebook_path), as_version=4)
    title = notebook_title(notebook) or notebook_path.stem
    message = (
        f"the corpus has {documents} document{'s' if documents != 1 else ''} and this page needs at least "
        f"{needed}; see the skipped inputs on the index page"
    )
    placeholder = new_notebook(cells=[new_markdown_cell(f"# {title}"), new_markdown_cell(f"Not run: {message}.")])
    page.write_text(notebook_to_html(placeholder, name=notebook_path.stem), encoding="utf-8")
    return title, message


def notebook_to_html(notebook, *, name: str) -> str:
    """Render an executed notebook as a self-contained HTML page without code.

    Input cells, prompts and stderr streams (logging noise such as jieba's
    start-up messages) are left out; no script is loaded from the network.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.
    name : str
        Page name, used as the HTML title when the notebook has no heading.

    Returns
    -------
    str

    Examples
    --------
    >>> import nbformat
    >>> page = notebook_to_html(nbformat.v4.new_notebook(), name="empty")
    >>> "<html" in page and "<script src=" not in page
    True
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    notebook = nbformat.from_dict(notebook)
    for number, cell in enumerate(notebook.cells):
        if "id" in cell:
            # papermill gives its injected cell a random id, and the page carries every id:
            # numbered ids make two runs of one notebook the same bytes.
            cell["id"] = f"cell-{number}"
        if cell.cell_type == "code":
            cell.outputs = [
                output for output in cell.outputs
                if not (output.get("output_type") == "stream" and output.get("name") == "stderr")
            ]
    notebook.metadata["title"] = notebook_title(notebook) or name
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({_HTML_TEMPLATE_NAME: _HTML_TEMPLATE})],
        template_file=_HTML_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(
        notebook, resources={"metadata": {"name": name}, "report_style": display.PAGE_STYLE}
    )
    # nbconvert only takes two-letter codes; "en" makes browsers draw 复 with Japanese glyph forms.
    return display.set_page_language(body)
