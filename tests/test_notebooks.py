import ast
import json
import re

import nbformat
import pytest

from analysis import config, report

EXPECTED_NOTEBOOKS = [
    "01-corpus-overview.ipynb",
    "02-slogans.ipynb",
    "03-term-frequency.ipynb",
    "04-tfidf-topics.ipynb",
    "05-cooccurrence.ipynb",
]
PARAMETER_NAMES = ["corpus", "output_dir", "top_n", "random_state"]
# Notebooks stay thin: logic belongs in the package, files are written only through report.
FORBIDDEN_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For, ast.While)
WRITING_METHODS = {
    "savefig", "to_csv", "to_parquet", "to_excel", "to_json", "to_pickle", "to_html",
    "write_text", "write_bytes", "dump",
}


def _notebook_paths():
    return sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def _code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _calls(tree, function_name):
    return [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == function_name
    ]


NOTEBOOKS = pytest.mark.parametrize("path", _notebook_paths(), ids=lambda path: path.name)


def test_the_five_report_notebooks_are_there():
    assert [path.name for path in _notebook_paths()] == EXPECTED_NOTEBOOKS


@NOTEBOOKS
def test_notebook_is_committed_stripped(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for number, cell in enumerate(_code_cells(notebook), start=1):
        assert cell.outputs == [], f"{path.name}: code cell {number} has outputs"
        assert cell.execution_count is None, f"{path.name}: code cell {number} has an execution count"
        assert "execution" not in cell.metadata and "papermill" not in cell.metadata
    assert "papermill" not in notebook.metadata
    # Stripped on disk too: no stray outputs in cells nbformat would not read.
    assert '"output_type"' not in path.read_text(encoding="utf-8")


@NOTEBOOKS
def test_notebook_opens_with_a_title_and_takes_literal_parameters(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.cells[0].cell_type == "markdown"
    assert notebook.cells[0].source.startswith("# ")
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected exactly one cell tagged 'parameters'"
    parameters = tagged[0]
    assert parameters.cell_type == "code"
    assert parameters is _code_cells(notebook)[0], "the parameters cell must be the first code cell"

    values = {}
    for statement in ast.parse(parameters.source).body:
        assert isinstance(statement, ast.Assign), f"{path.name}: parameters cell holds {ast.dump(statement)}"
        assert len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)
        values[statement.targets[0].id] = ast.literal_eval(statement.value)  # raises unless a literal
    assert list(values) == PARAMETER_NAMES
    assert values["corpus"] == "seeds"
    assert values["output_dir"] is None
    assert isinstance(values["top_n"], int) and values["top_n"] > 0
    assert isinstance(values["random_state"], int)


@NOTEBOOKS
def test_notebook_code_is_thin(path):
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(_code_cells(notebook), start=1):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, FORBIDDEN_NODES), (
                f"{path.name}: code cell {number} has a {type(node).__name__}; move logic into the package"
            )
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                assert name not in WRITING_METHODS | {"open"}, (
                    f"{path.name}: code cell {number} writes a file with {name}(); use report.save_table/save_figure"
                )
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                assert not any(m in ("jieba", "os", "shutil") for m in modules), f"{path.name}: imports {modules}"


@NOTEBOOKS
def test_every_table_and_figure_call_is_explained_by_prose(path):
    notebook = nbformat.read(path, as_version=4)
    saved = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        outputs = _calls(tree, "save_table") + _calls(tree, "save_figure")
        saved += len(outputs)
        if outputs:
            preceding = [c for c in notebook.cells[:index] if c.cell_type == "markdown"]
            assert preceding, f"{path.name}: cell {index + 1} saves output with no markdown before it"
            for call in outputs:
                assert any(k.arg == "output_dir" for k in call.keywords), (
                    f"{path.name}: cell {index + 1} saves without output_dir=output_dir"
                )
    assert saved >= 2, f"{path.name}: expected at least one table and one figure or two tables"


def _saved_names(function_name):
    names = []
    for path in _notebook_paths():
        for cell in _code_cells(nbformat.read(path, as_version=4)):
            for call in _calls(ast.parse(cell.source), function_name):
                names.append(ast.literal_eval(call.args[1]))
    return names


def test_output_names_are_unique_and_prefixed_by_their_notebook():
    for function_name in ("save_table", "save_figure"):
        names = _saved_names(function_name)
        assert len(names) == len(set(names)), f"duplicate {function_name} names: {names}"
        assert all(re.fullmatch(r"0[1-5]-[a-z0-9-]+", name) for name in names), names


@pytest.mark.slow
def test_report_on_the_seed_corpus(seed_path, tmp_path):
    output = tmp_path / "seeds"
    folder = report.run_report(seed_path.parent, output_dir=output, progress=False)
    assert folder == output
    assert (output / "index.html").is_file()
    assert (output / "manifest.json").is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["seeds"], "temporary folders left behind"

    pages = sorted(path.name for path in output.glob("[0-9][0-9]-*.html"))
    assert pages == [name.replace(".ipynb", ".html") for name in EXPECTED_NOTEBOOKS]
    index = (output / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page}"' in index

    code_lines = {
        line.strip()
        for path in _notebook_paths()
        for cell in _code_cells(nbformat.read(path, as_version=4))
        for line in cell.source.splitlines()
        if line.strip().startswith(("from analysis", "docs = ", "report.save"))
    }
    for page in pages:
        html = (output / page).read_text(encoding="utf-8")
        code_cells = re.findall(r'<div class="jp-Cell jp-CodeCell[^"]*"', html)
        assert code_cells and all("jp-mod-noInput" in cell for cell in code_cells), f"{page} shows code"
        assert 'class="highlight' not in html, f"{page} shows code"
        assert not [line for line in code_lines if line in html], f"{page} shows code"
        assert "Traceback" not in html and 'class="ansi' not in html, f"{page} shows an error"
        assert "<script src=" not in html, f"{page} loads a script from the network"

    for name in _saved_names("save_figure"):
        for suffix in (".png", ".svg"):
            figure = output / "figures" / f"{name}{suffix}"
            assert figure.is_file() and figure.stat().st_size > 0, figure
        assert (output / "figures" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f'src="figures/{name}.png"' in index
    for name in _saved_names("save_table"):
        assert (output / "tables" / f"{name}.csv").is_file(), name

    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["report"] == "seeds"
    assert [entry["page"] for entry in manifest["notebooks"]] == pages
    assert len(manifest["corpus"]["fingerprint"]) == 64
