import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from analysis import config, report  # noqa: E402
from analysis.corpus import corpus_fingerprint, load_corpus  # noqa: E402

PARAMETERS = 'corpus = "seeds"\noutput_dir = None\ntop_n = 30\nrandom_state = 0'


def _write_notebook(path: Path, *code_cells: str) -> None:
    notebook = new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells.append(new_markdown_cell(f"# {path.stem}"))
    notebook.cells.append(new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}))
    notebook.cells.extend(new_code_cell(source) for source in code_cells)
    nbformat.write(notebook, path)


def _snapshot(folder: Path) -> dict[str, bytes]:
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    path = tmp_path / "tiny.jsonl"
    records = [
        {"id": "a1", "title": "<script>alert('x')</script>做好六稳", "date": "2020-06-01", "text": "要做好“六稳”工作，落实“六保”任务。"},
        {"id": "a2", "title": "稳中求进", "date": "2021-03-05", "text": "坚持稳中求进工作总基调。"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def notebooks_dir(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _write_notebook(
        folder / "01-ok.ipynb",
        "import pandas as pd\nfrom analysis import report, textplot",
        'report.save_table(pd.DataFrame({"term": ["六稳"], "top_n": [top_n]}), "01-terms", output_dir=output_dir)',
        'ax = textplot.bar_terms(pd.DataFrame({"term": ["六稳", "六保"], "count": [2, 1]}))\n'
        'report.save_figure(ax, "01-terms", output_dir=output_dir);',
    )
    return folder


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("seeds", "seeds"),
        ("seeds/", "seeds"),
        ("x/cpc.jsonl", "cpc"),
        (Path("/data/corpora/gov_work_reports.jsonl"), "gov_work_reports"),
        ("news/cctv_news_2022.csv", "cctv_news_2022"),
        ("archive/corpus.jsonl.gz", "corpus"),
        ("folder.with.dots/", "folder.with.dots"),
    ],
)
def test_report_name_is_the_stem_of_the_corpus_file_or_folder(path, name):
    assert report.report_name(path) == name


def test_report_name_keeps_dots_of_an_existing_folder(tmp_path):
    folder = tmp_path / "renmin.2020"
    folder.mkdir()
    assert report.report_name(folder) == "renmin.2020"


def test_report_name_rejects_a_path_without_a_name():
    with pytest.raises(ValueError, match="report name"):
        report.report_name("/")


def test_save_table_writes_utf8_csv_and_returns_the_table(tmp_path):
    table = pd.DataFrame({"term": ["六稳", "六保"], "weight": [1 / 3, 2.0], "count": [3, 1]})
    returned = report.save_table(table, "02-terms", output_dir=tmp_path)
    assert returned is table
    written = (tmp_path / "tables" / "02-terms.csv").read_bytes()
    assert written == "term,weight,count\n六稳,0.3333333333,3\n六保,2,1\n".encode("utf-8")


def test_save_table_gives_identical_bytes_on_every_run(tmp_path):
    table = pd.DataFrame(
        {
            "term": ["稳就业", "保民生", None],
            "per_10k": [0.1 + 0.2, 1e-12, float("nan")],
            "date": pd.to_datetime(["2020-06-01", None, "2021-01-01"]),
        }
    )
    report.save_table(table, "t", output_dir=tmp_path / "first")
    report.save_table(table.copy(), "t", output_dir=tmp_path / "second")
    assert (tmp_path / "first/tables/t.csv").read_bytes() == (tmp_path / "second/tables/t.csv").read_bytes()


def test_save_table_and_save_figure_write_nothing_without_output_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    figure, ax = plt.subplots()
    assert report.save_figure(ax, "fig") is figure
    report.save_table(pd.DataFrame({"a": [1]}), "table")
    plt.close(figure)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../escape", "sub/dir", ".hidden", ""])
def test_output_names_must_be_plain_file_names(tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        report.save_table(pd.DataFrame({"a": [1]}), name, output_dir=tmp_path)


def test_save_figure_writes_png_and_reproducible_svg(tmp_path):
    figure, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    ax.set_title("title")
    assert report.save_figure(ax, "line", output_dir=tmp_path / "a") is figure
    report.save_figure(figure, "line", output_dir=tmp_path / "b")
    plt.close(figure)
    png = (tmp_path / "a/figures/line.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    svg_a = (tmp_path / "a/figures/line.svg").read_bytes()
    assert svg_a == (tmp_path / "b/figures/line.svg").read_bytes()
    assert b"<svg" in svg_a


def test_save_figure_rejects_what_is_not_a_chart(tmp_path):
    with pytest.raises(TypeError, match="Axes or Figure"):
        report.save_figure("not a chart", "x", output_dir=tmp_path)


def _description(title: str) -> report.CorpusDescription:
    return report.CorpusDescription(
        path=Path("corpus.jsonl"),
        summary=pd.DataFrame({"documents": [1], "first_date": [pd.Timestamp("2020-06-01")]}),
        skipped=pd.DataFrame({"path": ["bad<1>.jsonl"], "record": [7], "reason": ["invalid JSON <here>"]}),
        documents=pd.DataFrame(
            {"doc_id": ["d&1"], "date": [pd.Timestamp("2020-06-01")], "source": ["报"], "title": [title]}
        ),
        fingerprint="ab" * 32,
    )


def test_index_escapes_corpus_text_and_links_only_relatively():
    page = report.render_index(
        _description("<script>alert(1)</script>标题"),
        name="c<1>",
        pages=[("01-overview.html", "Overview <b>")],
        figures=["figures/01-x.png", "figures/01-x.svg"],
        tables=["tables/01-x.csv"],
    )
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in page
    assert "invalid JSON &lt;here&gt;" in page and "bad&lt;1&gt;.jsonl" in page
    assert "d&amp;1" in page and "c&lt;1&gt;" in page and "Overview &lt;b&gt;" in page
    assert 'href="01-overview.html"' in page
    assert '<img src="figures/01-x.png"' in page and 'href="figures/01-x.svg"' in page
    assert 'href="tables/01-x.csv"' in page
    assert "http://" not in page and "https://" not in page and 'src="/' not in page


def test_notebook_html_has_outputs_but_no_code_and_loads_nothing_from_the_network():
    notebook = new_notebook()
    notebook.cells.append(new_markdown_cell("# Title"))
    cell = new_code_cell("hidden_source_marker = 41 + 1\nprint(hidden_source_marker)", execution_count=1)
    cell.outputs = [
        new_output("stream", name="stdout", text="visible output 42\n"),
        new_output("stream", name="stderr", text="Building prefix dict noise\n"),
    ]
    notebook.cells.append(cell)
    page = report.notebook_to_html(notebook, name="01-x")
    assert "visible output 42" in page
    assert "hidden_source_marker" not in page
    assert "In&nbsp;[1]" not in page and "In [1]" not in page
    assert "Building prefix dict" not in page
    assert "<script src=" not in page and "cdn" not in page.lower()
    assert 'href="index.html"' in page


def test_unknown_corpus_is_a_clear_error_before_any_notebook_runs(tmp_path, notebooks_dir):
    with pytest.raises(report.ReportError, match="corpus not found: .*missing.jsonl"):
        report.run_report(
            tmp_path / "missing.jsonl", output_dir=tmp_path / "out", notebooks_dir=notebooks_dir, progress=False
        )
    assert not (tmp_path / "out").exists()


def test_unknown_notebook_names_the_available_ones(tiny_corpus, tmp_path, notebooks_dir):
    with pytest.raises(report.ReportError, match="01-ok.ipynb"):
        report.run_report(tiny_corpus, notebooks=["07"], notebooks_dir=notebooks_dir, output_dir=tmp_path / "out")


def test_runner_owned_parameters_cannot_be_overridden(tiny_corpus, tmp_path, notebooks_dir):
    with pytest.raises(report.ReportError, match="output_dir"):
        report.run_report(tiny_corpus, parameters={"output_dir": "/elsewhere"}, notebooks_dir=notebooks_dir)


def test_a_folder_that_is_not_a_report_is_never_replaced(tiny_corpus, tmp_path, notebooks_dir):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(report.ReportError, match="not a report"):
        report.run_report(tiny_corpus, output_dir=precious, notebooks_dir=notebooks_dir, progress=False)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "keep me"


def test_cli_reports_a_missing_corpus_in_one_line_without_traceback(capsys, tmp_path):
    status = report.main([str(tmp_path / "nowhere.jsonl"), "--quiet"])
    error = capsys.readouterr().err
    assert status == 1
    assert error.startswith("report failed: corpus not found")
    assert "nowhere.jsonl" in error and "Traceback" not in error


@pytest.mark.slow
def test_run_report_builds_the_folder_and_replaces_it_only_when_every_notebook_succeeds(
    tiny_corpus, tmp_path, notebooks_dir, capsys
):
    reports = tmp_path / "reports"
    target = reports / "tiny"

    folder = report.run_report(
        tiny_corpus, output_dir=target, notebooks_dir=notebooks_dir, parameters={"top_n": 7}, progress=True
    )
    assert folder == target
    progress = capsys.readouterr().err
    assert "[1/1] 01-ok.ipynb" in progress and "done in" in progress
    assert (target / "01-ok.html").is_file()
    assert (target / "tables/01-terms.csv").read_text(encoding="utf-8") == "term,top_n\n六稳,7\n"
    assert (target / "figures/01-terms.png").stat().st_size > 0
    assert (target / "figures/01-terms.svg").stat().st_size > 0
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"] == {"top_n": 7, "random_state": config.DEFAULT_RANDOM_STATE}
    assert manifest["corpus"]["fingerprint"] == corpus_fingerprint(load_corpus(tiny_corpus))
    assert manifest["package"]["version"]
    assert manifest["lexicon"]["version"]
    assert manifest["figures"] == ["figures/01-terms.png", "figures/01-terms.svg"]
    assert manifest["tables"] == ["tables/01-terms.csv"]
    index = (target / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "&lt;script&gt;alert(" in index
    assert 'href="01-ok.html"' in index

    before = _snapshot(target)
    _write_notebook(
        notebooks_dir / "02-broken.ipynb",
        "from analysis import report",
        "ratio = 1 / 0",
    )
    with pytest.raises(report.ReportError) as failure:
        report.run_report(tiny_corpus, output_dir=target, notebooks_dir=notebooks_dir, progress=False)
    message = str(failure.value)
    assert "02-broken.ipynb" in message
    assert "cell 4" in message and "ratio = 1 / 0" in message
    assert "ZeroDivisionError" in message
    assert _snapshot(target) == before
    assert sorted(path.name for path in reports.iterdir()) == ["tiny"]

    (notebooks_dir / "02-broken.ipynb").unlink()
    report.run_report(tiny_corpus, output_dir=target, notebooks_dir=notebooks_dir, progress=False)
    assert (target / "tables/01-terms.csv").read_text(encoding="utf-8") == "term,top_n\n六稳,30\n"
    assert sorted(path.name for path in reports.iterdir()) == ["tiny"]
