import json
import os
import re
import shutil
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from analysis import cache, config, report  # noqa: E402
from analysis.cache import notebook_cache_key  # noqa: E402
from analysis.corpus import corpus_fingerprint, load_corpus  # noqa: E402
from analysis.options import SegmentOptions  # noqa: E402
from analysis.periods import PERIODS  # noqa: E402

PARAMETERS = 'corpus = "seeds"\noutput_dir = None\ntop_n = 30\nrandom_state = 0'


def _write_notebook(path: Path, *code_cells: str) -> None:
    notebook = new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells.append(new_markdown_cell(f"# {path.stem}"))
    notebook.cells.append(new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}))
    notebook.cells.extend(new_code_cell(source) for source in code_cells)
    nbformat.write(notebook, path)


NO_BROWSER = "no-such-browser-in-unit-tests"


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path, monkeypatch) -> Path:
    """Keep the notebook cache of every test away from the checkout's data/cache."""
    folder = tmp_path / "default-cache"
    monkeypatch.setattr(config, "CACHE_DIR", folder)
    # Printing report.pdf takes Chromium seconds per run; the tests of the PDF ask for it.
    monkeypatch.setenv("ANALYSIS_CHROMIUM", NO_BROWSER)
    # The fake kernels record the order notebooks run in; the tests of notebooks run at once ask for it.
    monkeypatch.setattr(report.run, "default_notebook_jobs", lambda: 1)
    # Most tests run fake kernels in place of _execute; the tests of kernels started ahead ask for them.
    monkeypatch.setattr(report.execution, "KERNELS_AHEAD", 0)
    return folder


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


def test_in_a_notebook_kernel_save_figure_shows_the_saved_png_and_closes_the_figure(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("analysis.report.outputs.inline_backend", lambda: True)
    monkeypatch.setattr("IPython.display.display", shown.append)
    figure, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([0, 1], [1, 0])
    report.save_figure(ax, "line", output_dir=tmp_path)
    png = (tmp_path / "figures/line.png").read_bytes()
    assert [image.data for image in shown] == [png]
    # Shown at the size the inline backend would have drawn it (the figure's dpi, not the file's).
    assert shown[0].width == round(int.from_bytes(png[16:20], "big") * 100 / report.FIGURE_DPI)
    assert not plt.fignum_exists(figure.number)


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
    assert manifest["parameters"] == {
        "top_n": 7, "random_state": config.DEFAULT_RANDOM_STATE, "period": manifest["parameters"]["period"],
        "segmentation": SegmentOptions().as_parameter(),
    }
    assert manifest["parameters"]["period"] in PERIODS
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


def test_notebook_parameters_lists_the_names_of_the_parameters_cell(notebooks_dir):
    assert report.notebook_parameters(notebooks_dir / "01-ok.ipynb") == ["corpus", "output_dir", "top_n", "random_state"]
    plain = new_notebook()
    plain.cells.append(new_code_cell("x = 1"))
    nbformat.write(plain, notebooks_dir / "plain.ipynb")
    assert report.notebook_parameters(notebooks_dir / "plain.ipynb") == []


def test_a_parameters_cell_that_is_not_python_is_named(notebooks_dir):
    broken = new_notebook()
    broken.cells.append(new_code_cell("corpus = (", metadata={"tags": ["parameters"]}))
    nbformat.write(broken, notebooks_dir / "09-broken.ipynb")
    with pytest.raises(report.ReportError, match="09-broken.ipynb: the parameters cell"):
        report.notebook_parameters(notebooks_dir / "09-broken.ipynb")


def test_the_report_runs_on_the_project_kernel_when_it_is_registered(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {"analysis": "/k", "python3": "/p"})
    assert report.kernel_name() == "analysis"
    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {"python3": "/p"})
    assert report.kernel_name() == "python3"


def _write_csv(folder: Path, name: str, text: str) -> str:
    (folder / "tables").mkdir(exist_ok=True)
    (folder / "tables" / name).write_text(text, encoding="utf-8")
    return f"tables/{name}"


def test_top_slogans_and_terms_are_read_from_the_exported_tables(tmp_path):
    tables = [
        _write_csv(tmp_path, "02-slogan-counts-by-form.csv",
                   "slogan_id,canonical,form,mentions\nliuwen,六稳,compact,3\nliuwen,六稳,enumerated,2\n"
                   "liubao,六保,compact,4\nliubao,六保,enumerated,\nx,零次,compact,0\n"),
        _write_csv(tmp_path, "03-top-terms.csv", "term,count\n工作,9\n发展,5\n"),
        _write_csv(tmp_path, "03-top-terms-no-boilerplate.csv", "term,count\n就业,4\n民生,4\n稳定,6\n"),
        _write_csv(tmp_path, "05-empty.csv", ""),
    ]
    slogans, terms = report.top_slogans_and_terms(tmp_path, tables, n=2)
    assert slogans.to_dict("list") == {"canonical": ["六稳", "六保"], "mentions": [5, 4]}
    assert terms.to_dict("list") == {"term": ["稳定", "就业"], "count": [6, 4]}


def test_top_terms_keep_terms_that_look_like_missing_values(tmp_path):
    tables = [_write_csv(tmp_path, "03-top-terms.csv", "term,count\nNA,3\nnull,2\n")]
    _, terms = report.top_slogans_and_terms(tmp_path, tables)
    assert terms.to_dict("list") == {"term": ["NA", "null"], "count": [3, 2]}


def test_index_shows_top_slogans_and_terms_escaped():
    description = report.CorpusDescription(
        path=Path("c.jsonl"),
        summary=pd.DataFrame({"documents": [2], "characters": [1234]}),
        skipped=pd.DataFrame({"path": ["c.jsonl"], "record": [3], "reason": ["malformed JSON <oops>"]}),
        documents=pd.DataFrame({"doc_id": ["a"], "date": [None], "source": [None], "title": ["t"]}),
        fingerprint="0" * 64,
    )
    page = report.render_index(
        description, name="c", pages=[("01-x.html", "X")], figures=[], tables=[],
        top_slogans=pd.DataFrame({"canonical": ["六稳"], "mentions": [5]}),
        top_terms=pd.DataFrame({"term": ["<b>就业</b>"], "count": [4]}),
    )
    tops = page.split("<h2>Top slogans</h2>", 1)[1].split("<h2>Figures</h2>", 1)[0]
    assert "<td>六稳</td><td>5</td>" in tops
    assert "<td>&lt;b&gt;就业&lt;/b&gt;</td><td>4</td>" in tops and "<b>就业" not in page
    assert "malformed JSON &lt;oops&gt;" in page and "<td>1,234</td>" in page


def _plain_and_declaring_notebooks(tmp_path: Path, *, probe: str, declared: str, saved: str) -> Path:
    """01-plain records whether the runner defined ``probe``; 02 declares ``declared`` and runs ``saved``."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _write_notebook(
        folder / "01-plain.ipynb",
        "import pandas as pd\nfrom analysis import report",
        f'report.save_table(pd.DataFrame({{"told": ["{probe}" in dir()]}}), "01-told", output_dir=output_dir)',
    )
    declaring = nbformat.read(folder / "01-plain.ipynb", as_version=4)
    declaring.cells[1].source += "\n" + declared
    declaring.cells[3].source = saved
    nbformat.write(declaring, folder / "02-declaring.ipynb")
    return folder


@pytest.mark.slow
def test_only_notebooks_declaring_interactive_are_told_they_run_headless(tiny_corpus, tmp_path):
    folder = _plain_and_declaring_notebooks(
        tmp_path,
        probe="interactive",
        declared="interactive = True",
        saved='report.save_table(pd.DataFrame({"interactive": [interactive]}), "02-interactive", output_dir=output_dir)',
    )
    target = report.run_report(tiny_corpus, output_dir=tmp_path / "out", notebooks_dir=folder, progress=False)
    assert (target / "tables/01-told.csv").read_text(encoding="utf-8") == "told\nFalse\n"
    assert (target / "tables/02-interactive.csv").read_text(encoding="utf-8") == "interactive\nFalse\n"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["software"]["kernel"] == report.kernel_name()
    assert "interactive" not in manifest["parameters"]


@pytest.mark.slow
def test_segmentation_options_reach_only_the_notebooks_that_segment(tiny_corpus, tmp_path):
    folder = _plain_and_declaring_notebooks(
        tmp_path,
        probe="segmentation",
        declared='segmentation = {}\nperiod = None',
        saved='report.save_table(pd.DataFrame({"n_jobs": [segmentation["n_jobs"]], "cache": [segmentation["cache"]], "period": [period]}), "02-options", output_dir=output_dir)',
    )
    target = report.run_report(
        tiny_corpus,
        output_dir=tmp_path / "out",
        notebooks_dir=folder,
        parameters={"segmentation": {"n_jobs": 2, "cache": False}, "period": "month"},
        progress=False,
    )
    assert (target / "tables/01-told.csv").read_text(encoding="utf-8") == "told\nFalse\n"
    options = pd.read_csv(target / "tables/02-options.csv")
    assert options[["n_jobs", "period"]].values.tolist() == [[2, "month"]]
    # cache=False reaches the notebook as this run's own segment cache, gone with the run.
    assert not Path(options["cache"].iloc[0]).exists()
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["segmentation"]["n_jobs"] == 2
    assert manifest["parameters"]["segmentation"]["backend"] == "jieba"
    assert manifest["parameters"]["period"] == "month"


@pytest.mark.slow
def test_without_the_cache_the_notebooks_of_one_run_still_share_one_segmentation(tiny_corpus, tmp_path):
    """--no-cache meant "segment the corpus again in every notebook"; now it means "reuse no earlier run"."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for number in ("01", "02"):
        _write_notebook(
            folder / f"{number}-segments.ipynb",
            "import pandas as pd\nfrom analysis import report\nfrom analysis.corpus import load_corpus\n"
            "from analysis.tokens import tokenize",
            "tokens = tokenize(load_corpus(corpus), options=segmentation)",
            f'report.save_table(pd.DataFrame({{"cache": [segmentation["cache"]]}}), "{number}-cache", output_dir=output_dir)',
        )
        notebook = nbformat.read(folder / f"{number}-segments.ipynb", as_version=4)
        notebook.cells[1].source += "\nsegmentation = {}"
        nbformat.write(notebook, folder / f"{number}-segments.ipynb")
    target = report.run_report(
        tiny_corpus, output_dir=tmp_path / "out", notebooks_dir=folder, progress=False, cache=False,
        parameters={"segmentation": {"cache": False}},
    )
    first = pd.read_csv(target / "tables/01-cache.csv")["cache"].iloc[0]
    second = pd.read_csv(target / "tables/02-cache.csv")["cache"].iloc[0]
    assert first == second and first not in ("False", False)
    assert not Path(first).exists()  # the run's own segment cache is gone with the run
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["segmentation"]["cache"] is False


def test_cli_passes_segmentation_options_to_the_runner(monkeypatch, tmp_path):
    seen = {}

    def fake_run_report(corpus, **options):
        seen.update(options["parameters"]["segmentation"].as_parameter())
        seen["period"] = options["parameters"]["period"]
        seen["report_cache"] = options["cache"]
        return tmp_path

    monkeypatch.setattr(report.cli, "run_report", fake_run_report)
    assert report.main(["seeds", "--quiet", "--jobs", "2", "--backend", "rjieba", "--no-cache"]) == 0
    assert (seen["n_jobs"], seen["backend"], seen["cache"], seen["engine"]) == (2, "rjieba", False, "local")
    assert seen["report_cache"] is False  # --no-cache bypasses the notebook cache too
    assert report.main(["seeds", "--quiet", "--cache-dir", "/tmp/segments"]) == 0
    assert seen["cache"] == "/tmp/segments" and seen["report_cache"] is True
    assert seen["period"] is None  # chosen by the runner from the corpus
    assert report.main(["seeds", "--quiet", "--period", "month"]) == 0
    assert seen["period"] == "month"


# --- The whole report on a corpus that tries to inject markup -------------------------------------

HOSTILE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    records = [
        {"id": "h1", "title": "<script>alert(1)</script>做好六稳", "date": "2020-06-01",
         "text": "要做好“六稳”工作<script>alert(1)</script>，落实“六保”任务。稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。"},
        {"id": "h2", "title": "<img src=x onerror=alert(1)>稳中求进", "date": "2020-12-20",
         "text": "坚持稳中求进工作总基调。<img src=x onerror=alert(1)>做好“六稳”工作，全面落实“六保”任务，保居民就业。"},
        {"id": "h3", "title": "就业优先", "date": "2021-03-05",
         "text": "实施就业优先政策，稳就业保民生。扎实做好“六稳”“六保”工作，推动经济持续恢复。"},
        {"id": "h4", "title": "高质量发展", "date": "2021-09-10",
         "text": "推动高质量发展，构建新发展格局。坚持稳中求进，保市场主体，保基本民生。"},
        {"id": "h5", "title": "控保稳进抬扛", "date": "2022-02-15",
         "text": "按照控、保、稳、进、抬、扛的要求，稳住经济大盘，做好“六稳”“六保”。"},
    ]
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    lines.insert(2, '{"id": "broken", "title": "<script>alert(2)</script>"')  # skipped, with its reason shown
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_report(hostile_corpus, tmp_path_factory) -> Path:
    with pytest.warns(Warning):  # the loader warns about the broken record
        return report.run_report(
            hostile_corpus, output_dir=tmp_path_factory.mktemp("reports") / "hostile", progress=False,
            cache_dir=tmp_path_factory.mktemp("hostile-cache"),
        )


def _report_pages(folder: Path) -> list[Path]:
    return [folder / "index.html", *sorted(folder.glob("[0-9][0-9]-*.html"))]


@pytest.mark.slow
def test_each_page_shows_each_of_its_figures_once_as_the_png_written(hostile_report):
    import base64

    from bs4 import BeautifulSoup

    figures = sorted((hostile_report / "figures").glob("[0-9][0-9]-*.png"))
    assert figures
    for page in _report_pages(hostile_report)[1:]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        shown = [image["src"].split(",", 1)[1] for image in soup.find_all("img") if image.get("src", "").startswith("data:image/png")]
        written = [base64.b64encode(png.read_bytes()).decode() for png in figures if png.name[:3] == page.name[:3]]
        assert [shown.count(png) for png in written] == [1] * len(written), page.name
        # Nothing else but the explorer's timeline, which lives in the explorer's own HTML.
        assert len(shown) == len(written) + (page.name.startswith("06-")), page.name


@pytest.mark.slow
def test_corpus_text_reaches_every_page_as_text_never_as_markup(hostile_report):
    from bs4 import BeautifulSoup

    pages = _report_pages(hostile_report)
    skipped = json.loads((hostile_report / "manifest.json").read_text(encoding="utf-8"))["skipped_notebooks"]
    assert len(pages) == 1 + len(list(config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))) - len(skipped)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        live_scripts = [script for script in soup.find_all("script") if "alert" in script.get_text()]
        assert not live_scripts, f"{page.name}: corpus text became a <script>"
        # nbconvert's own inline scripts are allowed; none may load code from anywhere.
        assert not [script for script in soup.find_all("script") if script.get("src")], page.name
        handlers = [
            (element.name, attribute)
            for element in soup.find_all(True)
            for attribute in element.attrs
            if attribute.lower().startswith("on")
        ]
        assert not handlers, f"{page.name}: event-handler attributes {handlers}"
        assert not soup.find_all("img", src="x"), f"{page.name}: corpus text became an <img>"

    index_text = BeautifulSoup((hostile_report / "index.html").read_text(encoding="utf-8"), "html.parser").get_text()
    for markup in HOSTILE_MARKUP:
        assert markup in index_text, f"the index must show {markup!r} as text"
    assert "malformed JSON" in index_text  # the skipped record and its reason
    overview = next(page for page in pages if page.name.startswith("01-"))
    overview_text = BeautifulSoup(overview.read_text(encoding="utf-8"), "html.parser").get_text()
    assert HOSTILE_MARKUP[1] in overview_text, "titles show as text on the overview page"
    # The loader strips markup from the text itself (text_clean), so KWIC lines carry none here;
    # tests/test_explore.py checks that the explorer escapes text that does.
    explorer = next(page for page in pages if page.name.startswith("06-"))
    explorer_soup = BeautifulSoup(explorer.read_text(encoding="utf-8"), "html.parser")
    assert explorer_soup.find("table", class_="kwic") is not None
    assert explorer_soup.find("mark", string="六稳") is not None


@pytest.mark.slow
def test_the_index_is_a_landing_page_with_relative_links_only(hostile_report):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((hostile_report / "index.html").read_text(encoding="utf-8"), "html.parser")
    headings = [heading.get_text() for heading in soup.find_all("h2")]
    for heading in ("Corpus summary", "Skipped inputs", "Notebooks", "Top slogans", "Top terms", "Figures"):
        assert heading in headings
    summary = {row.th.get_text(): row.td.get_text() for row in soup.find("table").find_all("tr")}
    assert summary["documents"] == "5" and summary["skipped"] == "1"
    assert summary["first_date"] == "2020-06-01" and summary["last_date"] == "2022-02-15"
    tops = soup.find("h2", string="Top slogans").find_next("table")
    assert tops.find("td").get_text() == "六稳"  # 六稳 is mentioned in every document
    thumbnails = [image["src"] for image in soup.select("figure img")]
    assert thumbnails and all(src.startswith("figures/") and src.endswith(".png") for src in thumbnails)
    for page in _report_pages(hostile_report):
        page_soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in page_soup.find_all(["a", "img", "link", "script"]):
            target = element.get("href") or element.get("src")
            if not target or target.startswith(("#", "data:")):
                continue
            assert "://" not in target and not target.startswith("/"), f"{page.name}: {target}"
            assert (hostile_report / target.split("#")[0]).exists(), f"{page.name}: {target} is broken"
        # Inline images are base64 and may spell anything; judge the page without them.
        markup = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", page.read_text(encoding="utf-8"))
        assert "cdn" not in markup.lower(), f"{page.name} mentions a CDN"


@pytest.mark.slow
def test_manifest_records_versions_parameters_and_the_corpus_fingerprint(hostile_report, hostile_corpus):
    from analysis import __version__
    from analysis.lexicon import load_lexicon

    manifest = json.loads((hostile_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package"] == {"name": "analysis", "version": __version__}
    assert manifest["lexicon"]["version"] == load_lexicon().attrs["version"]
    assert manifest["parameters"] == {
        "top_n": config.DEFAULT_TOP_N, "random_state": config.DEFAULT_RANDOM_STATE,
        "period": manifest["parameters"]["period"], "segmentation": SegmentOptions().as_parameter(),
    }
    with pytest.warns(Warning):
        assert manifest["corpus"]["fingerprint"] == corpus_fingerprint(load_corpus(hostile_corpus))
    assert manifest["corpus"]["documents"] == 5 and manifest["corpus"]["skipped"] == 1


@pytest.mark.slow
def test_two_runs_give_byte_identical_tables(hostile_report, hostile_corpus, tmp_path):
    with pytest.warns(Warning):
        # Without the notebook cache, or the second run would only copy the first one's tables.
        second = report.run_report(hostile_corpus, output_dir=tmp_path / "again", progress=False, cache=False)
    first_tables = _snapshot(hostile_report / "tables")
    second_tables = _snapshot(second / "tables")
    assert len(first_tables) >= 10
    assert sorted(first_tables) == sorted(second_tables)
    changed = [name for name in first_tables if first_tables[name] != second_tables[name]]
    assert not changed, f"tables differ between two identical runs: {changed}"


# --- The report in a real browser ------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
)
SCREENSHOT_DIR = Path(__file__).parent / "output"
# Runs inside each page once it has loaded; the test judges the results in Python.
PAGE_STATE = """JSON.stringify({
  images: Array.from(document.images).map(image => ({
    src: image.getAttribute("src").slice(0, 60), complete: image.complete, width: image.naturalWidth})),
  links: Array.from(document.querySelectorAll("a[href]")).map(a => a.getAttribute("href")),
})"""


def _chromium() -> str:
    import shutil

    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    reason = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it in CI"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser test: {reason}")
    pytest.skip(reason)


class _DevTools:
    """Just enough of the Chrome DevTools protocol: navigate, evaluate, screenshot, collect events."""

    def __init__(self, executable: str, profile: Path):
        import re
        import subprocess
        import urllib.request

        import websocket

        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        port = None
        for line in self.process.stderr:  # Chromium announces its DevTools port on stderr
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            self.process.kill()
            raise RuntimeError(f"chromium exited with {self.process.wait()} before opening DevTools")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            targets = json.load(response)
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True, http_no_proxy=["127.0.0.1"]
        )
        self.last_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params) -> dict:
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def _wait_for(self, method: str) -> None:
        while not any(event.get("method") == method for event in self.events):
            self.events.append(json.loads(self.socket.recv()))

    def open(self, page: Path) -> tuple[dict, list[dict]]:
        import time

        self.events.clear()
        self.call("Page.navigate", url=page.resolve().as_uri())
        self._wait_for("Page.loadEventFired")
        time.sleep(0.5)  # let late console messages and failed loads arrive
        state = self.call("Runtime.evaluate", expression=PAGE_STATE, returnByValue=True)["result"]["value"]
        return json.loads(state), list(self.events)

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)


def _problems(events: list[dict]) -> list[str]:
    problems = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert", "warning"):
            problems.append(f"console.{params['type']}: {params['args']}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            problems.append(f"log: {params['entry']['text']}")
        elif method == "Page.javascriptDialogOpening":
            problems.append(f"dialog: {params['message']}")
        elif method == "Network.loadingFailed":
            problems.append(f"failed load: {params.get('errorText')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:")):
                problems.append(f"network request: {url}")
    return problems


@pytest.mark.slow
def test_every_page_works_in_headless_chromium(hostile_report, tmp_path):
    executable = _chromium()
    browser = _DevTools(executable, tmp_path / "chromium-profile")
    try:
        for page in _report_pages(hostile_report):
            state, events = browser.open(page)
            assert not _problems(events), f"{page.name}: {_problems(events)}"
            broken = [image for image in state["images"] if not image["complete"] or image["width"] <= 0]
            assert not broken, f"{page.name}: images that did not load: {broken}"
            for href in state["links"]:
                if href.startswith("#"):
                    continue
                assert "://" not in href, f"{page.name}: absolute link {href}"
                assert (page.parent / href.split("#")[0]).exists(), f"{page.name}: {href} does not resolve"
            if page.name == "index.html":
                assert len(state["images"]) >= 3 and len(state["links"]) >= 6
                SCREENSHOT_DIR.mkdir(exist_ok=True)
                browser.screenshot(SCREENSHOT_DIR / "report-index.png")
        assert (SCREENSHOT_DIR / "report-index.png").read_bytes().startswith(b"\x89PNG")
    finally:
        browser.close()


# --- Cache of executed notebooks -------------------------------------------------------------------


class _FakeKernel:
    """Stands in for papermill: "runs" a notebook by writing what its parameters and source decide.

    Each call writes ``tables/<stem>.csv`` holding the notebook's last cell and the parameters, and a
    figure file, then returns the notebook with one output, so the tests see what the runner reuses.
    """

    def __init__(self):
        self.runs: list[str] = []

    def __call__(self, notebook_path, parameters, *, kernel):
        self.runs.append(Path(notebook_path).name)
        notebook = nbformat.read(notebook_path, as_version=4)
        output_dir = Path(parameters["output_dir"])
        stem = Path(notebook_path).stem
        corpus_text = Path(parameters["corpus"]).read_text(encoding="utf-8")
        marker = notebook.cells[-1].source
        (output_dir / "tables" / f"{stem}.csv").write_text(
            f"marker,top_n,corpus_chars\n{marker},{parameters['top_n']},{len(corpus_text)}\n", encoding="utf-8"
        )
        (output_dir / "figures" / f"{stem}.svg").write_text(f"<svg>{marker}</svg>", encoding="utf-8")
        last = notebook.cells[-1]
        last.execution_count = 1
        last.outputs = [new_output("stream", name="stdout", text=f"ran {marker} on {len(corpus_text)} chars\n")]
        return notebook


@pytest.fixture
def fake_kernel(monkeypatch) -> _FakeKernel:
    kernel = _FakeKernel()
    monkeypatch.setattr(report.execution, "_execute", kernel)
    return kernel


@pytest.fixture
def two_notebooks(tmp_path) -> Path:
    folder = tmp_path / "cached-notebooks"
    folder.mkdir()
    _write_notebook(folder / "01-first.ipynb", "first = 1")
    _write_notebook(folder / "02-second.ipynb", "second = 2")
    return folder


def _run(corpus, notebooks, output, cache_dir, **options):
    return report.run_report(corpus, output_dir=output, notebooks_dir=notebooks, cache_dir=cache_dir, **options)


def _cached_flags(folder: Path) -> list[bool]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [notebook["cached"] for notebook in manifest["notebooks"]]


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(path for path in (cache_dir / "notebooks").iterdir() if not path.name.startswith("."))


def test_a_rerun_reuses_every_notebook_and_gives_the_same_report(
    tiny_corpus, two_notebooks, tmp_path, fake_kernel, capsys
):
    cache_dir = tmp_path / "cache"
    cold = _run(tiny_corpus, two_notebooks, tmp_path / "cold", cache_dir)
    assert fake_kernel.runs == ["01-first.ipynb", "02-second.ipynb"]
    assert "reused from cache" not in capsys.readouterr().err
    warm = _run(tiny_corpus, two_notebooks, tmp_path / "warm", cache_dir)
    assert fake_kernel.runs == ["01-first.ipynb", "02-second.ipynb"], "nothing may run a second time"
    progress = capsys.readouterr().err
    assert progress.count("reused from cache") == 2 and "done in" not in progress
    assert _cached_flags(cold) == [False, False] and _cached_flags(warm) == [True, True]
    assert (warm / "tables/02-second.csv").read_text(encoding="utf-8") == "marker,top_n,corpus_chars\nsecond = 2,30,{}\n".format(
        len(tiny_corpus.read_text(encoding="utf-8"))
    )
    assert "ran first = 1" in (warm / "01-first.html").read_text(encoding="utf-8")
    cold_files, warm_files = _snapshot(cold), _snapshot(warm)
    assert sorted(cold_files) == sorted(warm_files)
    cold_manifest = json.loads(cold_files.pop("manifest.json"))
    warm_manifest = json.loads(warm_files.pop("manifest.json"))
    for notebook in (*cold_manifest["notebooks"], *warm_manifest["notebooks"]):
        notebook.pop("cached")
    assert cold_manifest == warm_manifest
    assert cold_files == warm_files


def test_changing_one_byte_of_the_corpus_runs_every_notebook_again(tiny_corpus, two_notebooks, tmp_path, fake_kernel):
    cache_dir = tmp_path / "cache"
    _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    text = tiny_corpus.read_text(encoding="utf-8")
    tiny_corpus.write_text(text.replace("总基调", "总基础"), encoding="utf-8")  # same length, one character
    folder = _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    assert fake_kernel.runs == ["01-first.ipynb", "02-second.ipynb"] * 2
    assert _cached_flags(folder) == [False, False]


def test_changing_a_parameter_runs_the_notebooks_again(tiny_corpus, two_notebooks, tmp_path, fake_kernel):
    cache_dir = tmp_path / "cache"
    _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    folder = _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False, parameters={"top_n": 5})
    assert len(fake_kernel.runs) == 4
    assert (folder / "tables/01-first.csv").read_text(encoding="utf-8").splitlines()[1].startswith("first = 1,5,")


def test_changing_a_notebook_runs_only_that_notebook_again(tiny_corpus, two_notebooks, tmp_path, fake_kernel):
    cache_dir = tmp_path / "cache"
    _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    _write_notebook(two_notebooks / "02-second.ipynb", "second = 22")
    folder = _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    assert fake_kernel.runs == ["01-first.ipynb", "02-second.ipynb", "02-second.ipynb"]
    assert _cached_flags(folder) == [True, False]
    assert "second = 22" in (folder / "tables/02-second.csv").read_text(encoding="utf-8")
    assert "first = 1" in (folder / "tables/01-first.csv").read_text(encoding="utf-8")


def test_the_key_ignores_the_build_folder_but_not_the_inputs(tmp_path, two_notebooks):
    notebook = two_notebooks / "01-first.ipynb"

    def key(parameters, *, corpus_hash="c", environment=None, kernel="analysis"):
        return notebook_cache_key(
            notebook, parameters, corpus_hash=corpus_hash, environment=environment or {"pandas": "3.0"}, kernel=kernel
        )

    base = key({"corpus": "/c.jsonl", "output_dir": "/tmp/.x.tmp-1", "top_n": 30})
    assert key({"corpus": "/c.jsonl", "output_dir": "/tmp/.x.tmp-2", "top_n": 30}) == base
    assert key({"corpus": "/c.jsonl", "output_dir": "/tmp/.x.tmp-1", "top_n": 31}) != base
    assert key({"corpus": "/c.jsonl", "output_dir": "/", "top_n": 30}, corpus_hash="d") != base
    assert key({"corpus": "/c.jsonl", "output_dir": "/", "top_n": 30}, environment={"pandas": "3.1"}) != base
    assert key({"corpus": "/c.jsonl", "output_dir": "/", "top_n": 30}, kernel="python3") != base
    notebook.write_bytes(notebook.read_bytes() + b"\n")
    assert key({"corpus": "/c.jsonl", "output_dir": "/tmp/.x.tmp-1", "top_n": 30}) != base


@pytest.mark.parametrize("damage", ["truncate the notebook", "delete a table", "garble the index"])
def test_a_damaged_entry_is_ignored_and_rebuilt(tiny_corpus, two_notebooks, tmp_path, fake_kernel, damage):
    cache_dir = tmp_path / "cache"
    cold = _run(tiny_corpus, two_notebooks, tmp_path / "cold", cache_dir, progress=False)
    entries = _entries(cache_dir)
    assert len(entries) == 2
    first_entry = next(entry for entry in entries if (entry / "outputs/tables/01-first.csv").exists())
    if damage == "truncate the notebook":
        executed = first_entry / "executed.ipynb"
        executed.write_bytes(executed.read_bytes()[:40])
    elif damage == "delete a table":
        (first_entry / "outputs/tables/01-first.csv").unlink()
    else:
        (first_entry / "entry.json").write_text("{", encoding="utf-8")
    rebuilt = _run(tiny_corpus, two_notebooks, tmp_path / "rebuilt", cache_dir, progress=False)
    assert fake_kernel.runs == ["01-first.ipynb", "02-second.ipynb", "01-first.ipynb"]
    assert _cached_flags(rebuilt) == [False, True]
    assert (rebuilt / "tables/01-first.csv").read_bytes() == (cold / "tables/01-first.csv").read_bytes()
    again = _run(tiny_corpus, two_notebooks, tmp_path / "again", cache_dir, progress=False)
    assert len(fake_kernel.runs) == 3, "the rebuilt entry is trusted on the next run"
    assert _cached_flags(again) == [True, True]
    assert _entries(cache_dir) == entries


def test_the_temporary_folder_of_an_interrupted_write_is_never_trusted(
    tiny_corpus, two_notebooks, tmp_path, fake_kernel, monkeypatch
):
    cache_dir = tmp_path / "cache"
    real_copy = shutil.copyfile
    copies = []

    def interrupted_copy(source, destination, *args, **kwargs):
        if "cache" in Path(destination).parts:
            copies.append(destination)
            raise KeyboardInterrupt  # the user pressed Ctrl-C while the entry was being written
        return real_copy(source, destination, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", interrupted_copy)
    with pytest.raises(KeyboardInterrupt):
        _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    assert copies and _entries(cache_dir) == []
    monkeypatch.setattr(shutil, "copyfile", real_copy)

    # A whole entry left under a temporary name (killed between writing and renaming) is not used either.
    _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    for entry in _entries(cache_dir):
        entry.rename(entry.with_name(f".tmp-{entry.name}"))
    folder = _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    assert fake_kernel.runs == ["01-first.ipynb"] + ["01-first.ipynb", "02-second.ipynb"] * 2
    assert _cached_flags(folder) == [False, False]


def test_stale_temporary_folders_are_removed(tiny_corpus, two_notebooks, tmp_path, fake_kernel):
    from analysis.cache import STALE_TEMP_SECONDS

    leftover = tmp_path / "cache" / "notebooks" / ".tmp-killed"
    leftover.mkdir(parents=True)
    recent = leftover.with_name(".tmp-running")
    recent.mkdir()
    old = time.time() - STALE_TEMP_SECONDS - 10
    os.utime(leftover, (old, old))
    _run(tiny_corpus, two_notebooks, tmp_path / "out", tmp_path / "cache", progress=False)
    assert not leftover.exists() and recent.exists()  # another run may still be writing the recent one


def test_without_the_cache_every_notebook_runs_and_nothing_is_stored(
    tiny_corpus, two_notebooks, tmp_path, fake_kernel
):
    cache_dir = tmp_path / "cache"
    _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False)
    folder = _run(tiny_corpus, two_notebooks, tmp_path / "out", cache_dir, progress=False, cache=False)
    assert fake_kernel.runs == ["01-first.ipynb", "02-second.ipynb"] * 2
    assert _cached_flags(folder) == [False, False]
    _run(tiny_corpus, two_notebooks, tmp_path / "fresh", tmp_path / "unused", progress=False, cache=False)
    assert not (tmp_path / "unused").exists()


def test_a_file_a_later_notebook_overwrites_is_replayed_in_order(tiny_corpus, tmp_path, monkeypatch):
    folder = tmp_path / "overwriting"
    folder.mkdir()
    _write_notebook(folder / "01-a.ipynb", "a")
    _write_notebook(folder / "02-b.ipynb", "b")
    runs = []

    def kernel(notebook_path, parameters, *, kernel):
        runs.append(Path(notebook_path).name)
        notebook = nbformat.read(notebook_path, as_version=4)
        (Path(parameters["output_dir"]) / "tables" / "shared.csv").write_text(
            f"by\n{Path(notebook_path).stem}\n", encoding="utf-8"
        )
        return notebook

    monkeypatch.setattr(report.execution, "_execute", kernel)
    _run(tiny_corpus, folder, tmp_path / "cold", tmp_path / "cache", progress=False)
    warm = _run(tiny_corpus, folder, tmp_path / "warm", tmp_path / "cache", progress=False)
    assert runs == ["01-a.ipynb", "02-b.ipynb"]
    assert (warm / "tables/shared.csv").read_text(encoding="utf-8") == "by\n02-b\n"


# --- Notebooks run at once ---------------------------------------------------------------------------


def _three_writing_notebooks(folder: Path, *, segmenting: bool = False) -> Path:
    folder.mkdir()
    for stem in ("01-a", "02-b", "03-c"):
        _write_notebook(folder / f"{stem}.ipynb", f"marker = {stem!r}")
        if segmenting:
            notebook = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
            notebook.cells[1].source += "\nsegmentation = {}"
            nbformat.write(notebook, folder / f"{stem}.ipynb")
    return folder


class _WritingKernel:
    """Writes a table and a figure of its own and one file every notebook writes; can wait for a partner."""

    def __init__(self, *, meet=()):
        import threading

        self.lock = threading.Lock()
        self.output_dirs: list[tuple[str, list[str]]] = []
        self.meet = set(meet)
        self.barrier = threading.Barrier(len(self.meet), timeout=30) if self.meet else None

    def __call__(self, notebook_path, parameters, *, kernel):
        stem = Path(notebook_path).stem
        output_dir = Path(parameters["output_dir"])
        with self.lock:
            self.output_dirs.append((str(output_dir), sorted(path.name for path in output_dir.rglob("*") if path.is_file())))
        if stem in self.meet:
            # Only notebooks running at the same time get past this together.
            self.barrier.wait()
        (output_dir / "tables" / f"{stem}.csv").write_text(f"stem\n{stem}\n", encoding="utf-8")
        (output_dir / "tables" / "shared.csv").write_text(f"written_by\n{stem}\n", encoding="utf-8")
        (output_dir / "figures" / f"{stem}.svg").write_text(f"<svg>{stem}</svg>", encoding="utf-8")
        notebook = nbformat.read(notebook_path, as_version=4)
        notebook.cells[-1].outputs = [new_output("stream", name="stdout", text=f"ran {stem}\n")]
        return notebook


def test_notebooks_run_at_once_give_the_same_report_as_one_after_another(tiny_corpus, tmp_path, monkeypatch):
    folder = _three_writing_notebooks(tmp_path / "notebooks")
    monkeypatch.setattr(report.execution, "_execute", _WritingKernel())
    one_by_one = _run(tiny_corpus, folder, tmp_path / "sequential", tmp_path / "cache", progress=False, notebook_jobs=1)
    kernel = _WritingKernel(meet=("01-a", "02-b"))
    monkeypatch.setattr(report.execution, "_execute", kernel)
    at_once = _run(tiny_corpus, folder, tmp_path / "concurrent", None, progress=False, cache=False, notebook_jobs=2)
    assert _snapshot(at_once) == _snapshot(one_by_one)
    # The last notebook's file wins, as when they run one after another.
    assert (at_once / "tables/shared.csv").read_text(encoding="utf-8") == "written_by\n03-c\n"
    # Each notebook wrote into a folder of its own, empty when it started; none is left behind.
    folders = [output_dir for output_dir, _ in kernel.output_dirs]
    assert len(set(folders)) == 3 and all(files == [] for _, files in kernel.output_dirs)
    assert not any(path.name == report.STAGING_DIR_NAME for path in at_once.rglob("*"))


def test_a_cached_rebuild_run_at_once_replays_each_notebooks_files_in_order(tiny_corpus, tmp_path, monkeypatch):
    folder = _three_writing_notebooks(tmp_path / "notebooks")
    monkeypatch.setattr(report.execution, "_execute", _WritingKernel(meet=("02-b", "03-c")))
    cold = _run(tiny_corpus, folder, tmp_path / "cold", tmp_path / "cache", progress=False, notebook_jobs=3)
    monkeypatch.setattr(report.execution, "_execute", None)  # nothing may run again
    warm = _run(tiny_corpus, folder, tmp_path / "warm", tmp_path / "cache", progress=False, notebook_jobs=3)
    assert _cached_flags(warm) == [True, True, True]
    cold_files, warm_files = _snapshot(cold), _snapshot(warm)
    assert cold_files.pop("manifest.json") != warm_files.pop("manifest.json")  # only the cached flags differ
    assert cold_files == warm_files


def test_when_notebooks_fail_at_once_the_first_failure_is_raised_and_the_report_kept(tiny_corpus, tmp_path, monkeypatch):
    folder = _three_writing_notebooks(tmp_path / "notebooks")
    monkeypatch.setattr(report.execution, "_execute", _WritingKernel())
    target = _run(tiny_corpus, folder, tmp_path / "out", None, progress=False, cache=False, notebook_jobs=2)
    before = _snapshot(target)
    writing = _WritingKernel(meet=("01-a", "02-b"))

    def failing(notebook_path, parameters, *, kernel):
        writing(notebook_path, parameters, kernel=kernel)
        raise report.ReportError(f"notebook {Path(notebook_path).name} failed in cell 3")

    monkeypatch.setattr(report.execution, "_execute", failing)
    with pytest.raises(report.ReportError, match=r"^notebook 01-a\.ipynb failed in cell 3$"):
        _run(tiny_corpus, folder, tmp_path / "out", None, progress=False, cache=False, notebook_jobs=2)
    assert _snapshot(target) == before
    assert [path.name for path in target.parent.iterdir() if path.name.startswith(".")] == []


def test_the_corpus_is_segmented_once_before_the_notebooks_start(tiny_corpus, tmp_path, monkeypatch):
    from analysis import tokens
    from analysis.cache import resolve_folder

    folder = _three_writing_notebooks(tmp_path / "notebooks", segmenting=True)
    calls = []
    real_cache_segments = tokens.cache_segments
    monkeypatch.setattr(tokens, "cache_segments", lambda corpus, **kw: calls.append(kw) or real_cache_segments(corpus, **kw))
    shards_seen = []
    writing = _WritingKernel()

    def segmenting(notebook_path, parameters, *, kernel):
        # Everything a notebook would segment is already in the run's segment cache when it starts.
        cache = parameters["segmentation"]["cache"]
        shards_seen.append(len(list(resolve_folder(cache).glob("*/shard-*.parquet"))))
        return writing(notebook_path, parameters, kernel=kernel)

    monkeypatch.setattr(report.execution, "_execute", segmenting)
    _run(tiny_corpus, folder, tmp_path / "out", None, progress=False, cache=False, notebook_jobs=2,
         parameters={"segmentation": {"cache": False}})
    assert len(calls) == 1 and shards_seen == [1, 1, 1]
    shards_seen.clear()
    # With every notebook reused from the notebook cache, nothing is segmented.
    _run(tiny_corpus, folder, tmp_path / "cold", tmp_path / "cache", progress=False)
    assert len(calls) == 2 and shards_seen == [1, 1, 1]
    calls.clear()
    _run(tiny_corpus, folder, tmp_path / "warm", tmp_path / "cache", progress=False)
    assert calls == []


@pytest.mark.slow
def test_notebooks_that_leave_out_procedural_texts_read_the_runners_segments(tmp_path):
    """03 and 04 leave out resolutions; segmenting that subset again cost the 40 MB report seconds."""
    import shutil

    from analysis.corpus import load_corpus
    from analysis.tokens import cache_segments

    corpus = tmp_path / "with-resolution.jsonl"
    records = [
        {"id": "r1", "title": "政府工作报告", "date": "2020-05-22", "text": "要做好“六稳”工作，落实“六保”任务。坚持稳中求进工作总基调。" * 3},
        {"id": "r2", "title": "第十三届全国人民代表大会第三次会议关于政府工作报告的决议", "date": "2020-05-28",
         "text": "会议听取和审议了国务院总理所作的政府工作报告。会议同意报告。"},
        {"id": "r3", "title": "政府工作报告", "date": "2021-03-05", "text": "坚持稳中求进，推动高质量发展，扩大内需。" * 3},
    ]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("03-term-frequency.ipynb", "04-tfidf-topics.ipynb"):
        shutil.copy(config.NOTEBOOKS_DIR / name, notebooks / name)
    _run(corpus, notebooks, tmp_path / "out", tmp_path / "cache", progress=False, pdf=False)
    written = sorted(path.name for path in tmp_path.glob("*cache/segments/*/shard-*.parquet"))
    cache_segments(load_corpus(corpus), options={"cache": tmp_path / "alone"})
    assert written == sorted(path.name for path in (tmp_path / "alone").glob("*/shard-*.parquet"))


def _kernel_processes() -> list:
    import psutil

    return [child for child in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(child.cmdline())]


@pytest.mark.slow
@pytest.mark.parametrize("fail", [False, True])
def test_kernels_started_ahead_run_the_notebooks_as_their_own_would_and_none_is_left(tiny_corpus, tmp_path, monkeypatch, fail):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for number in ("01", "02", "03"):
        _write_notebook(
            folder / f"{number}-kernel.ipynb",
            "import os, sys\nimport pandas as pd\nfrom analysis import report",
            f'report.save_table(pd.DataFrame({{"cwd": [os.path.basename(os.getcwd())], "argv": [" ".join(sys.argv[1:2])]}}), "{number}-kernel", output_dir=output_dir)',
            *(["raise RuntimeError('stop here')"] if fail and number == "02" else []),
        )
    before = {process.pid for process in _kernel_processes()}
    builds = {}
    real_execute = report.execution._execute
    kernels_given = []

    def recording(notebook_path, parameters, *, kernel):
        kernels_given.append(type(kernel).__name__)
        return real_execute(notebook_path, parameters, kernel=kernel)

    monkeypatch.setattr(report.execution, "_execute", recording)
    for ahead in (0, 1):
        kernels_given.clear()
        monkeypatch.setattr(report.execution, "KERNELS_AHEAD", ahead)
        output = tmp_path / f"ahead-{ahead}"
        if fail:
            with pytest.raises(report.ReportError, match="02-kernel"):
                report.run_report(tiny_corpus, output_dir=output, notebooks_dir=folder, progress=False, cache=False, notebook_jobs=2)
        else:
            report.run_report(tiny_corpus, output_dir=output, notebooks_dir=folder, progress=False, cache=False, notebook_jobs=2)
            builds[ahead] = {name: (output / "tables" / name).read_bytes() for name in ("01-kernel.csv", "02-kernel.csv", "03-kernel.csv")}
            assert kernels_given == (["StartedKernel"] * 3 if ahead else ["str"] * 3)
        assert {process.pid for process in _kernel_processes()} <= before, f"kernels left running (ahead={ahead})"
    if not fail:
        assert builds[1] == builds[0]
        assert b"notebooks" in builds[1]["01-kernel.csv"]  # the kernel started in the notebooks' folder


def test_the_notebooks_read_the_corpus_the_runner_loaded(tiny_corpus, tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _write_notebook(folder / "01-loads.ipynb", "docs = load_corpus(resolve_path(corpus), cache=corpus_cache)")
    notebook = nbformat.read(folder / "01-loads.ipynb", as_version=4)
    notebook.cells[1].source += "\ncorpus_cache = True"
    nbformat.write(notebook, folder / "01-loads.ipynb")
    _write_notebook(folder / "02-plain.ipynb", "docs = load_corpus(resolve_path(corpus))")
    seen = {}

    def kernel(notebook_path, parameters, *, kernel):
        seen[Path(notebook_path).name] = parameters.get("corpus_cache")
        if "corpus_cache" in parameters:
            # Stored by the runner before any notebook starts: the notebook reads it back.
            assert len(list(Path(parameters["corpus_cache"]).glob("*.parquet"))) == 1
        return nbformat.read(notebook_path, as_version=4)

    monkeypatch.setattr(report.execution, "_execute", kernel)
    target = _run(tiny_corpus, folder, tmp_path / "out", None, progress=False, cache=False)
    assert set(seen) == {"01-loads.ipynb", "02-plain.ipynb"} and seen["02-plain.ipynb"] is None
    assert not Path(seen["01-loads.ipynb"]).exists()  # this run's own, gone with the run
    assert not any(path.name == report.RUN_CACHE_DIR_NAME for path in target.rglob("*"))
    _run(tiny_corpus, folder, tmp_path / "cached", tmp_path / "cache", progress=False)
    assert Path(seen["01-loads.ipynb"]) == tmp_path / "cache" / "corpora"
    with pytest.raises(report.ReportError, match="corpus_cache"):
        _run(tiny_corpus, folder, tmp_path / "out", None, parameters={"corpus_cache": "/x"})


def test_the_notebooks_read_the_mentions_the_runner_tagged(tiny_corpus, tmp_path, monkeypatch):
    from analysis.slogans import tag_slogans, tagger

    folder = tmp_path / "notebooks"
    folder.mkdir()
    _write_notebook(folder / "01-tags.ipynb", "mentions = tag_slogans(docs, cache=mentions_cache)")
    notebook = nbformat.read(folder / "01-tags.ipynb", as_version=4)
    notebook.cells[1].source += "\ncorpus_cache = True\nmentions_cache = True"
    nbformat.write(notebook, folder / "01-tags.ipynb")
    _write_notebook(folder / "02-plain.ipynb", "docs = load_corpus(resolve_path(corpus))")
    expected = tag_slogans(load_corpus(tiny_corpus))
    seen = {}

    def no_tagging(*args, **kwargs):
        raise AssertionError("a notebook tagged the corpus again")

    def kernel(notebook_path, parameters, *, kernel):
        seen[Path(notebook_path).name] = parameters.get("mentions_cache")
        if "mentions_cache" in parameters:
            # What the notebook does, against the stores the runner filled before it started.
            with monkeypatch.context() as patch:
                patch.setattr(tagger, "_tag", no_tagging)
                docs = load_corpus(parameters["corpus"], cache=parameters["corpus_cache"])
                pd.testing.assert_frame_equal(tag_slogans(docs, cache=parameters["mentions_cache"]), expected)
        return nbformat.read(notebook_path, as_version=4)

    monkeypatch.setattr(report.execution, "_execute", kernel)
    target = _run(tiny_corpus, folder, tmp_path / "out", None, progress=False, cache=False)
    assert set(seen) == {"01-tags.ipynb", "02-plain.ipynb"} and seen["02-plain.ipynb"] is None
    assert not Path(seen["01-tags.ipynb"]).exists()  # this run's own, gone with the run
    assert not any(path.name == report.RUN_CACHE_DIR_NAME for path in target.rglob("*"))
    _run(tiny_corpus, folder, tmp_path / "cold", tmp_path / "cache", progress=False)
    assert Path(seen["01-tags.ipynb"]) == tmp_path / "cache" / "mentions"
    # Every notebook reused from the notebook cache: nothing is tagged at all.
    seen.clear()
    monkeypatch.setattr(tagger, "_tag", no_tagging)
    _run(tiny_corpus, folder, tmp_path / "warm", tmp_path / "cache", progress=False)
    assert seen == {}
    with pytest.raises(report.ReportError, match="mentions_cache"):
        _run(tiny_corpus, folder, tmp_path / "out", None, parameters={"mentions_cache": "/x"})


def _costly_notebooks(folder: Path, costs: dict[str, float]) -> Path:
    folder = _three_writing_notebooks(folder)
    for stem, cost in costs.items():
        notebook = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
        notebook.metadata["analysis"] = {report.COST_KEY: cost}
        nbformat.write(notebook, folder / f"{stem}.ipynb")
    return folder


class _StartOrder(_WritingKernel):
    def __init__(self):
        super().__init__()
        self.started: list[str] = []

    def __call__(self, notebook_path, parameters, *, kernel):
        with self.lock:
            self.started.append(Path(notebook_path).stem)
        return super().__call__(notebook_path, parameters, kernel=kernel)


def test_notebooks_at_once_start_longest_first_and_merge_in_notebook_order(tiny_corpus, tmp_path, monkeypatch):
    folder = _costly_notebooks(tmp_path / "notebooks", {"01-a": 2, "02-b": 0.5, "03-c": 9})
    monkeypatch.setattr(report.execution, "_execute", _WritingKernel())
    one_by_one = _run(tiny_corpus, folder, tmp_path / "sequential", None, progress=False, cache=False, notebook_jobs=1)
    kernel = _StartOrder()
    monkeypatch.setattr(report.execution, "_execute", kernel)
    at_once = _run(tiny_corpus, folder, tmp_path / "concurrent", tmp_path / "cache", progress=False, notebook_jobs=2)
    # With no earlier times, by the costs the notebooks declare. The first two start at once (two
    # jobs), so which of them reaches its kernel first is a race; the shortest starts last.
    assert set(kernel.started[:2]) == {"03-c", "01-a"} and kernel.started[2] == "02-b"
    assert _snapshot(at_once) == _snapshot(one_by_one)
    # The cached run recorded how long each notebook took ...
    assert set(cache.read_notebook_times(tmp_path / "cache")) == {"01-a.ipynb", "02-b.ipynb", "03-c.ipynb"}
    # ... and those times, once known for every notebook, decide, also for a --no-cache run (which records none).
    cache.write_notebook_times(tmp_path / "cache", {"01-a.ipynb": 1.0, "02-b.ipynb": 30.0, "03-c.ipynb": 2.0})
    kernel = _StartOrder()
    monkeypatch.setattr(report.execution, "_execute", kernel)
    _run(tiny_corpus, folder, tmp_path / "concurrent", tmp_path / "cache", progress=False, cache=False, notebook_jobs=2)
    assert set(kernel.started[:2]) == {"02-b", "03-c"} and kernel.started[2] == "01-a"
    assert cache.read_notebook_times(tmp_path / "cache")["02-b.ipynb"] == 30.0


def test_longest_first_orders_by_earlier_times_when_known_for_all_else_by_declared_cost(tmp_path):
    folder = _costly_notebooks(tmp_path / "notebooks", {"01-a": 2, "02-b": 0.5, "03-c": 2})
    jobs = [report.execution.NotebookJob(number, path, {}, None) for number, path in enumerate(sorted(folder.glob("*.ipynb")), 1)]
    order = lambda times: [job.path.stem for job in report.execution.longest_first(jobs, times)]  # noqa: E731
    assert order({}) == ["01-a", "03-c", "02-b"]  # ties keep notebook order
    assert order({"01-a.ipynb": 1.0, "02-b.ipynb": 30.0, "03-c.ipynb": 2.0}) == ["02-b", "03-c", "01-a"]
    assert order({"02-b.ipynb": 30.0}) == ["01-a", "03-c", "02-b"]  # not known for all: declared costs


def test_a_notebooks_declared_cost_must_be_a_number_of_seconds(tmp_path):
    folder = _costly_notebooks(tmp_path / "notebooks", {"01-a": "long"})
    with pytest.raises(report.ReportError, match=r"01-a\.ipynb: metadata analysis\.cost must be a number of seconds"):
        report.notebook_cost(folder / "01-a.ipynb")
    assert report.notebook_cost(folder / "02-b.ipynb") == 0


def test_the_kernel_imports_the_runners_package_whatever_the_pythonpath():
    import analysis

    root = str(Path(analysis.__file__).resolve().parents[1])
    environment = report.kernel_environment({"PYTHONPATH": f"src{os.pathsep}/elsewhere", "HOME": "/home/x"})
    assert environment["PYTHONPATH"] == f"{root}{os.pathsep}src{os.pathsep}/elsewhere"
    assert environment["HOME"] == "/home/x"
    assert report.kernel_environment({})["PYTHONPATH"] == root


def test_cli_passes_the_number_of_notebooks_run_at_once(monkeypatch):
    seen = {}
    monkeypatch.setattr(report.cli, "run_report", lambda corpus, **options: seen.update(options) or Path("r"))
    assert report.main(["seeds", "--quiet", "--notebook-jobs", "3"]) == 0
    assert seen["notebook_jobs"] == 3
    assert report.main(["seeds", "--quiet"]) == 0
    assert seen["notebook_jobs"] is None


@pytest.mark.slow
def test_a_report_built_from_the_cache_is_byte_identical_to_a_cold_one(tiny_corpus, notebooks_dir, tmp_path, capsys):
    _write_notebook(
        notebooks_dir / "02-second.ipynb",
        "import pandas as pd\nfrom analysis import report",
        'report.save_table(pd.DataFrame({"corpus_name": [corpus.rsplit("/", 1)[-1]]}), "02-name", output_dir=output_dir)',
        'print("second notebook ran")',
    )
    cache_dir = tmp_path / "cache"
    cold = _run(tiny_corpus, notebooks_dir, tmp_path / "cold", cache_dir)
    assert capsys.readouterr().err.count("done in") == 2
    warm = _run(tiny_corpus, notebooks_dir, tmp_path / "warm", cache_dir)
    assert capsys.readouterr().err.count("reused from cache") == 2
    assert _cached_flags(cold) == [False, False] and _cached_flags(warm) == [True, True]
    cold_files, warm_files = _snapshot(cold), _snapshot(warm)
    assert {"figures/01-terms.png", "figures/01-terms.svg", "tables/01-terms.csv", "tables/02-name.csv"} <= set(warm_files)
    assert "second notebook ran" in warm_files["02-second.html"].decode("utf-8")
    cold_manifest = json.loads(cold_files.pop("manifest.json"))
    warm_manifest = json.loads(warm_files.pop("manifest.json"))
    for notebook in (*cold_manifest["notebooks"], *warm_manifest["notebooks"]):
        assert notebook.pop("cached") in (True, False)
    assert cold_manifest == warm_manifest
    assert sorted(cold_files) == sorted(warm_files)
    assert [name for name in cold_files if cold_files[name] != warm_files[name]] == []


# --- Pages a researcher reads: language, tables, print view ------------------------------------------


def _executed_notebook(*outputs) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# 复工复产"), nbformat.v4.new_code_cell("x")]
    notebook.cells[1].outputs = list(outputs)
    return notebook


def test_notebook_pages_are_simplified_chinese_so_browsers_pick_chinese_glyphs():
    page = report.notebook_to_html(_executed_notebook(), name="02-slogans")
    assert re.search(r'<html[^>]*\blang="zh-Hans"', page)
    assert 'lang="en"' not in page
    # The page's own rules are the last styles of the head, so they win over the notebook CSS
    # (which right-aligns every table cell).
    head = page.split("</head>", 1)[0]
    assert head.rsplit("<style", 1)[1].find(".jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { text-align: left; }") > 0


def test_show_table_shows_every_row_with_the_csv_linked_and_text_left_aligned(tmp_path):
    table = pd.DataFrame({"canonical": [f"口号{i}" for i in range(71)], "mentions": range(71),
                          "first_seen": pd.to_datetime(["2025-01-01"] * 71)})
    shown = report.show_table(table, "02-slogan-lifecycle", output_dir=tmp_path).data
    assert (tmp_path / "tables/02-slogan-lifecycle.csv").is_file()
    assert shown.count("<tr>") == 72, "every row and the header"
    assert "口号70" in shown and 'href="tables/02-slogan-lifecycle.csv"' in shown
    assert 'class="report-table-wrap"' in shown
    assert '<td>口号0</td>' in shown and '<td class="num">70</td>' in shown
    assert "<td>2025</td>" in shown and "2025-01-01" not in shown


def test_a_huge_table_shows_its_first_rows_and_says_the_csv_has_all(tmp_path):
    table = pd.DataFrame({"term": [f"词{i}" for i in range(report.SHOW_MAX_ROWS + 5)]})
    shown = report.show_table(table, "04-top-tfidf-terms", output_dir=tmp_path).data
    assert shown.count("<tr>") == report.SHOW_MAX_ROWS + 1
    assert f"{report.SHOW_MAX_ROWS + 5:,} rows" in shown and "every row in the CSV" in shown
    assert len((tmp_path / "tables/04-top-tfidf-terms.csv").read_text(encoding="utf-8").splitlines()) == len(table) + 1
    assert report.show_table(table, "t", max_rows=None).data.count("<tr>") == len(table) + 1


def test_link_table_saves_the_table_and_shows_only_its_link(tmp_path):
    shown = report.link_table(pd.DataFrame({"term": ["发展"] * 3}), "03-top-terms", output_dir=tmp_path,
                              caption="Top terms").data
    assert (tmp_path / "tables/03-top-terms.csv").is_file()
    assert "<table" not in shown and 'href="tables/03-top-terms.csv"' in shown and "Top terms" in shown


def test_a_table_caption_says_whose_partners_it_holds(tmp_path):
    table = pd.DataFrame({"term": ["就业"], "count": [2]})
    table.attrs["note"] = "Partners of '六稳' by sentence."
    assert "Partners of &#x27;六稳&#x27; by sentence." in report.show_table(table, "t").data


def test_index_shows_year_only_dates_as_years():
    description = report.CorpusDescription(
        path=Path("c.jsonl"),
        summary=pd.DataFrame({"documents": [2], "first_date": pd.to_datetime(["2024-01-01"]),
                              "last_date": pd.to_datetime(["2025-01-01"])}),
        skipped=pd.DataFrame(columns=["path", "record", "reason"]),
        documents=pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2024-01-01", "2025-01-01"]),
                                "date_precision": ["year", "year"], "source": [None, None],
                                "title": ["2024年政府工作报告", "2025年政府工作报告"]}),
        fingerprint="0" * 64)
    page = report.render_index(description, name="c", pages=[], figures=[], tables=[])
    assert "<td>2025</td>" in page and "2025-01-01" not in page and "2024-01-01" not in page
    assert "<th>last_date</th><td>2025</td>" in page
    daily = report.CorpusDescription(
        path=Path("c.jsonl"), summary=pd.DataFrame({"first_date": pd.to_datetime(["2022-01-01"])}),
        skipped=description.skipped,
        documents=description.documents.assign(date_precision="day"), fingerprint="0" * 64)
    assert "<th>first_date</th><td>2022-01-01</td>" in report.render_index(daily, name="c", pages=[], figures=[],
                                                                           tables=[])
    assert "report.pdf" not in page
    assert 'href="report.pdf"' in report.render_index(description, name="c", pages=[], figures=[], tables=[],
                                                     pdf=True)


def test_the_index_top_slogan_breaks_ties_as_the_notebooks_do(tmp_path):
    # 疫情防控 sorts before 西美 by characters, but ximei before yiqingfangkong by id, as in top_slogans.
    name = _write_csv(tmp_path, "02-slogan-counts-by-form.csv",
                      "slogan_id,canonical,form,mentions\nyiqingfangkong,疫情防控,compact,6\nximei,西美,compact,6\n")
    slogans, _ = report.top_slogans_and_terms(tmp_path, [name])
    assert slogans["canonical"].tolist() == ["西美", "疫情防控"]


def _tiny_report_folder(folder: Path) -> list[str]:
    (folder / "figures").mkdir(parents=True)
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    report.save_figure(ax, "01-line", output_dir=folder)
    plt.close(figure)
    (folder / "index.html").write_text(
        '<!DOCTYPE html><html lang="zh-Hans"><head><title>i</title><style>h1 {color: #222}</style></head>'
        '<body><h1>报告 index</h1><a href="01-x.html">页</a><img src="figures/01-line.png"></body></html>',
        encoding="utf-8",
    )
    (folder / "01-x.html").write_text(
        report.notebook_to_html(_executed_notebook(nbformat.v4.new_output(
            "display_data", data={"text/html": report.show_table(pd.DataFrame({"词": ["复工复产"] * 80}), "t").data})),
            name="01-x"),
        encoding="utf-8",
    )
    return ["01-x.html"]


def test_print_view_holds_the_index_and_every_page_without_links_to_local_files(tmp_path):
    pages = _tiny_report_folder(tmp_path)
    view = report.print_view(tmp_path, pages)
    assert view.index("报告 index") < view.index("复工复产")
    assert view.count("break-before: page") == 1
    assert 'src="figures/01-line.png"' in view and "href=" not in view.split("<body>", 1)[1]
    assert 'lang="zh-Hans"' in view


def test_print_view_prints_each_figure_once_with_its_page_not_again_in_the_index_gallery(tmp_path):
    pages = _tiny_report_folder(tmp_path)
    description = _description("c")
    index = report.render_index(description, name="c", pages=[(pages[0], "x")], figures=["figures/01-line.png"], tables=[])
    assert index.count('src="figures/01-line.png"') == 1  # the gallery of the page in a browser
    (tmp_path / "index.html").write_text(index, encoding="utf-8")
    page = tmp_path / pages[0]
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", '<img src="figures/01-line.png"></body>'), encoding="utf-8")
    view = report.print_view(tmp_path, pages)
    assert view.count('src="figures/01-line.png"') == 1 and view.index("复工复产") < view.index("figures/01-line.png")
    assert report.printing.PRINT_GALLERY_NOTE in view
    assert "<h2>Tables</h2>" in view  # what follows the gallery is kept


def test_print_view_prints_the_first_rows_of_a_long_table_and_says_how_many_more(tmp_path):
    pages = _tiny_report_folder(tmp_path)  # one table of 80 rows
    short = pd.DataFrame({"词": ["六稳"] * report.PRINT_MAX_ROWS})
    (tmp_path / "02-y.html").write_text(
        report.notebook_to_html(_executed_notebook(nbformat.v4.new_output(
            "display_data", data={"text/html": report.show_table(short, "u").data})), name="02-y"),
        encoding="utf-8",
    )
    view = report.print_view(tmp_path, [*pages, "02-y.html"])
    assert view.count("<td>复工复产</td>") == report.PRINT_MAX_ROWS
    assert f"… {80 - report.PRINT_MAX_ROWS} more rows" in view and "80 rows" in view
    assert view.count("<td>六稳</td>") == report.PRINT_MAX_ROWS and view.count("more rows:") == 1
    # The pages themselves still show every row.
    assert (tmp_path / "01-x.html").read_text(encoding="utf-8").count("<td>复工复产</td>") == 80


def test_write_pdf_prints_the_report_with_chromium(tmp_path, monkeypatch):
    monkeypatch.delenv("ANALYSIS_CHROMIUM")
    executable = _chromium()
    pages = _tiny_report_folder(tmp_path)
    first = report.write_pdf(tmp_path, pages, chromium=executable)
    assert first == tmp_path.resolve() / "report.pdf"
    content = first.read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 5_000
    assert not list(tmp_path.glob(".print-*")), "the print view is removed"
    assert report.write_pdf(tmp_path, pages, chromium=executable).read_bytes() == content, "reruns are identical"


def test_write_pdf_prints_chinese_with_the_charts_font_on_a_machine_without_a_chinese_font(tmp_path, monkeypatch):
    # No tofu: a CI runner or server has no CJK font, and Chromium printed every Chinese character
    # as an empty box. The machine here has no font at all (its fontconfig names no folder), so
    # the CJK font can only come from mplfonts; Chromium embeds a subset under the font's name.
    monkeypatch.delenv("ANALYSIS_CHROMIUM")
    executable = _chromium()
    machine = tmp_path / "machine"
    machine.mkdir()
    bare = machine / "fonts.conf"
    bare.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{machine / "cache"}</cachedir></fontconfig>\n')
    monkeypatch.setenv("FONTCONFIG_FILE", str(bare))
    folder = tmp_path / "r"
    pages = _tiny_report_folder(folder)  # 报告, 复工复产
    content = report.write_pdf(folder, pages, chromium=executable).read_bytes()
    assert b"NotoSansCJKsc-Regular" in content
    assert os.environ["FONTCONFIG_FILE"] == str(bare), "only the browser's environment changes"


def test_fontconfig_file_adds_the_mplfonts_folder_to_the_system_fonts(tmp_path, monkeypatch):
    from analysis.textplot.style import chinese_font_path

    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    config = report.printing.fontconfig_file(tmp_path).read_text(encoding="utf-8")
    assert f"<dir>{chinese_font_path().parent}</dir>" in config
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in config
    # Its own cache first: fontconfig writes into the first writable cache folder, never the system's.
    assert config.index(f"<cachedir>{tmp_path / 'fontconfig-cache'}</cachedir>") < config.index("<include")


def test_pages_and_the_index_name_chinese_fonts_before_the_generic_families():
    stack = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei"'
    page = report.notebook_to_html(_executed_notebook(), name="02-slogans")
    index = report.render_index(_description("c"), name="c", pages=[], figures=[], tables=[])
    for html in (page, index):
        assert f"font-family: {stack}, system-ui," in html
    # The notebook CSS sets its fonts through JupyterLab's variables; the page's own style sets them last.
    style = page.split("</head>", 1)[0].rsplit("<style", 1)[1]
    for variable in ("--jp-ui-font-family", "--jp-content-font-family"):
        assert f"{variable}: {stack}, system-ui," in style
    assert f"--jp-code-font-family: menlo, consolas, \"DejaVu Sans Mono\", {stack}, monospace;" in style


def test_without_chromium_no_pdf_is_written_and_the_run_says_how_to_get_one(
    tiny_corpus, two_notebooks, tmp_path, fake_kernel, capsys
):
    assert report.find_chromium() is None  # ANALYSIS_CHROMIUM names no browser (autouse fixture)
    assert report.write_pdf(tmp_path, []) is None
    folder = _run(tiny_corpus, two_notebooks, tmp_path / "r", tmp_path / "cache")
    assert not (folder / "report.pdf").exists()
    message = capsys.readouterr().err
    assert "report.pdf not written" in message and "apt-get install chromium" in message
    assert "report.pdf" not in (folder / "index.html").read_text(encoding="utf-8")


# --- The report under bad input -------------------------------------------------------------------


def _write_notebook_needing(path: Path, needed: int | None, *code_cells: str) -> None:
    _write_notebook(path, *code_cells)
    if needed is not None:
        notebook = nbformat.read(path, as_version=4)
        notebook.metadata["analysis"] = {report.MIN_DOCUMENTS_KEY: needed}
        nbformat.write(notebook, path)


@pytest.fixture
def needy_notebooks(tmp_path) -> Path:
    folder = tmp_path / "needy"
    folder.mkdir()
    _write_notebook_needing(folder / "01-overview.ipynb", 0, "overview = 1")
    _write_notebook_needing(folder / "02-slogans.ipynb", None, "slogans = 1")
    _write_notebook_needing(folder / "04-topics.ipynb", 2, "topics = 1")
    return folder


@pytest.fixture
def runs(monkeypatch) -> list[str]:
    """Stands in for papermill on folder corpora: records which notebooks ran."""
    ran: list[str] = []

    def execute(notebook_path, parameters, *, kernel):
        ran.append(Path(notebook_path).name)
        return nbformat.read(notebook_path, as_version=4)

    monkeypatch.setattr(report.execution, "_execute", execute)
    return ran


def _manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_the_shipped_notebooks_declare_how_many_documents_they_need():
    needs = {path.name[:2]: report.notebook_min_documents(path) for path in config.NOTEBOOKS_DIR.glob("*.ipynb")}
    assert needs["01"] == 0 and needs["04"] == 2
    assert all(needed >= 1 for number, needed in needs.items() if number != "01")


def test_a_corpus_where_every_file_is_skipped_builds_a_report_with_the_skipped_table(tmp_path, needy_notebooks, runs):
    corpus = tmp_path / "nothing"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "scan.txt").write_bytes(b"%PDF-1.4\n")
    with pytest.warns(UserWarning, match="skipped 2"):
        folder = _run(corpus, needy_notebooks, tmp_path / "out", tmp_path / "cache", progress=False)

    assert runs == ["01-overview.ipynb"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "scan.txt" in index and "empty file" in index
    manifest = _manifest_of(folder)
    assert manifest["corpus"]["documents"] == 0 and manifest["corpus"]["skipped"] == 2
    not_run = {entry["page"]: entry.get("not_run") for entry in manifest["notebooks"]}
    assert not_run["01-overview.html"] is None
    assert "0 documents" in not_run["02-slogans.html"] and "at least 2" in not_run["04-topics.html"]
    assert "Not run: the corpus has 0 documents" in (folder / "02-slogans.html").read_text(encoding="utf-8")


def test_a_one_document_corpus_builds_a_report(tmp_path, needy_notebooks, fake_kernel):
    corpus = tmp_path / "one.jsonl"
    corpus.write_text(json.dumps({"text": "做好六稳工作。", "date": "2020-05-22"}, ensure_ascii=False) + "\n", encoding="utf-8")
    folder = _run(corpus, needy_notebooks, tmp_path / "out", tmp_path / "cache", progress=False)
    assert fake_kernel.runs == ["01-overview.ipynb", "02-slogans.ipynb"]
    assert "at least 2" in (folder / "04-topics.html").read_text(encoding="utf-8")


def test_damaged_documents_and_bad_dates_are_in_the_index_and_the_manifest(tmp_path, needy_notebooks, fake_kernel):
    corpus = tmp_path / "dates.jsonl"
    corpus.write_text(
        json.dumps({"text": "做好六稳工作。", "date": "2020-05-22"}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "落实六保任务。", "date": "去年春天"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match="could not be parsed"):
        folder = _run(corpus, needy_notebooks, tmp_path / "out", tmp_path / "cache", progress=False)
    manifest = _manifest_of(folder)
    assert manifest["corpus"]["damaged"] == 1
    assert manifest["corpus"]["damaged_documents"][0]["record"] == 2
    assert "去年春天" in manifest["corpus"]["damaged_documents"][0]["reason"]
    assert "去年春天" in (folder / "index.html").read_text(encoding="utf-8")


def test_an_unreadable_file_in_the_corpus_folder_is_skipped_not_a_crash(tmp_path, needy_notebooks, runs, monkeypatch):
    import builtins
    import io

    corpus = tmp_path / "folder"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("做好六稳工作。", encoding="utf-8")
    (corpus / "locked.txt").write_text("看不到。", encoding="utf-8")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        # chmod 000 does not stop root, who runs these tests in containers.
        if str(file).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    with pytest.warns(UserWarning, match="skipped 1"):
        folder = _run(corpus, needy_notebooks, tmp_path / "out", tmp_path / "cache", progress=False)
    skipped = _manifest_of(folder)["corpus"]["skipped_inputs"]
    assert [(Path(row["path"]).name, row["reason"]) for row in skipped] == [("locked.txt", "cannot be read: Permission denied")]


def test_the_cli_ends_every_failure_with_one_line(capsys, monkeypatch):
    assert report.main(["/", "--quiet"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("report failed: ") and "Traceback" not in error

    def broken(*args, **kwargs):
        raise KeyError("something deep inside")

    monkeypatch.setattr(report.cli, "run_report", broken)
    assert report.main(["seeds", "--quiet"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("report failed: KeyError") and error.count("\n") == 1


def test_the_swap_waits_for_a_concurrent_run_holding_the_lock(tiny_corpus, two_notebooks, tmp_path, fake_kernel):
    import threading

    target = tmp_path / "out"
    finished = threading.Event()

    def run():
        _run(tiny_corpus, two_notebooks, target, tmp_path / "cache", progress=False)
        finished.set()

    with report.publishing.publish_lock(target):
        worker = threading.Thread(target=run)
        worker.start()
        assert not finished.wait(1.0)  # blocked while another run swaps
        assert not target.exists()
    worker.join(30)
    assert finished.is_set() and (target / "manifest.json").is_file()
    assert not (target / report.BUILD_LOCK_NAME).exists()


def test_a_killed_runs_build_folder_is_removed_by_the_next_run(tiny_corpus, two_notebooks, tmp_path, fake_kernel):
    target = tmp_path / "out"
    killed = tmp_path / ".out.tmp-killed"
    killed.mkdir()
    (killed / report.BUILD_LOCK_NAME).write_bytes(b"")  # its run died, and its lock with it
    aside = tmp_path / ".out.old-killed"
    aside.mkdir()
    running = tmp_path / ".out.tmp-running"
    running.mkdir()
    with report.publishing.hold_build(running):
        _run(tiny_corpus, two_notebooks, target, tmp_path / "cache", progress=False)
    assert not killed.exists() and not aside.exists()
    assert running.exists()  # a live run's build is left alone


def test_notebook_pages_do_not_depend_on_cell_ids():
    def page(ids):
        notebook = new_notebook(cells=[new_markdown_cell("# 标题"), new_code_cell("x = 1")])
        for cell, cell_id in zip(notebook.cells, ids):
            cell["id"] = cell_id
        return report.notebook_to_html(notebook, name="x")

    assert page(["injected-3f2a", "b7c9"]) == page(["injected-91d0", "e5a1"])


# --- Notebooks that compare levels (07-diffusion) -------------------------------------------------


@pytest.fixture
def comparing_notebooks(tmp_path) -> Path:
    folder = tmp_path / "comparing-notebooks"
    folder.mkdir()
    _write_notebook(folder / "01-first.ipynb", "first = 1")
    notebook_path = folder / "02-compare.ipynb"
    _write_notebook(notebook_path, "compare = 1")
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[1].source += "\nreference = None"
    nbformat.write(notebook, notebook_path)
    return folder


def test_a_comparing_notebook_is_skipped_with_a_reason_on_a_one_level_corpus(
    tiny_corpus, comparing_notebooks, tmp_path, fake_kernel, capsys
):
    folder = _run(tiny_corpus, comparing_notebooks, tmp_path / "out", tmp_path / "cache")
    assert fake_kernel.runs == ["01-first.ipynb"]
    assert "02-compare.ipynb skipped: the corpus has no level and no reference corpus" in capsys.readouterr().err
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped_notebooks"] == [
        {"notebook": "02-compare.ipynb", "reason": report.comparison_skip_reason((), None)}
    ]
    assert not (folder / "02-compare.html").exists()


def _recorded_parameters(fake_kernel, monkeypatch) -> list[dict]:
    passed = []
    original = fake_kernel.__call__

    def recording(notebook_path, parameters, *, kernel):
        passed.append(parameters)
        return original(notebook_path, parameters, kernel=kernel)

    monkeypatch.setattr(report.execution, "_execute", recording)
    return passed


def test_a_comparing_notebook_runs_with_a_reference_corpus_or_several_levels(
    tiny_corpus, comparing_notebooks, tmp_path, fake_kernel, monkeypatch
):
    passed = _recorded_parameters(fake_kernel, monkeypatch)
    reference = tmp_path / "central.jsonl"
    reference.write_text(json.dumps({"id": "c1", "text": "六稳", "date": "2018-07-31"}) + "\n", encoding="utf-8")
    _run(tiny_corpus, comparing_notebooks, tmp_path / "out", tmp_path / "cache", reference=reference, level="county")
    assert fake_kernel.runs == ["01-first.ipynb", "02-compare.ipynb"]
    assert "reference" not in passed[0] and passed[1]["reference"] == str(reference)

    levelled = tmp_path / "levelled.jsonl"
    levelled.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
            {"id": "c1", "text": "六稳", "level": "central"}, {"id": "k1", "text": "六稳", "level": "county"},
        ]),
        encoding="utf-8",
    )
    _run(levelled, comparing_notebooks, tmp_path / "out2", tmp_path / "cache")
    assert fake_kernel.runs[2:] == ["01-first.ipynb", "02-compare.ipynb"]
    assert passed[-1]["reference"] is None


@pytest.fixture
def labelling_notebooks(comparing_notebooks) -> Path:
    notebook_path = comparing_notebooks / "02-compare.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells[1].source += '\nlevel = "county"\nregion = "郑州高新区"'
    nbformat.write(notebook, notebook_path)
    return comparing_notebooks


def test_a_corpus_without_levels_is_compared_only_with_the_level_given(
    tiny_corpus, labelling_notebooks, tmp_path, fake_kernel, monkeypatch, capsys
):
    passed = _recorded_parameters(fake_kernel, monkeypatch)
    reference = tmp_path / "central.jsonl"
    reference.write_text(json.dumps({"id": "c1", "text": "六稳", "date": "2018-07-31"}) + "\n", encoding="utf-8")
    # Not the seed page: the notebook's county default must not label this corpus, so without --level it is skipped.
    folder = _run(tiny_corpus, labelling_notebooks, tmp_path / "out", tmp_path / "cache", reference=reference)
    assert fake_kernel.runs == ["01-first.ipynb"]
    reason = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["skipped_notebooks"][0]["reason"]
    assert "carry no level" in reason and "--level" in reason
    assert "02-compare.ipynb skipped: the corpus's documents carry no level" in capsys.readouterr().err

    _run(tiny_corpus, labelling_notebooks, tmp_path / "out2", tmp_path / "cache", reference=reference,
         level="provincial", region="河南省")
    assert fake_kernel.runs[1:] == ["02-compare.ipynb"]  # 01 comes from the cache
    assert "level" not in passed[0]  # only the notebooks that declare them get them
    assert passed[-1]["level"] == "provincial" and passed[-1]["region"] == "河南省"
    with pytest.raises(ValueError, match="level must be one of"):
        _run(tiny_corpus, labelling_notebooks, tmp_path / "out3", tmp_path / "cache", level="village")


def test_on_the_seed_page_a_comparing_notebook_keeps_its_own_labels(
    tiny_corpus, labelling_notebooks, tmp_path, fake_kernel, monkeypatch
):
    from analysis import config

    passed = _recorded_parameters(fake_kernel, monkeypatch)
    monkeypatch.setattr(config, "DEFAULT_CORPUS", tiny_corpus)  # the notebooks' defaults describe it
    reference = tmp_path / "central.jsonl"
    reference.write_text(json.dumps({"id": "c1", "text": "六稳", "date": "2018-07-31"}) + "\n", encoding="utf-8")
    _run(tiny_corpus, labelling_notebooks, tmp_path / "out", tmp_path / "cache", reference=reference)
    assert fake_kernel.runs == ["01-first.ipynb", "02-compare.ipynb"]
    assert "level" not in passed[-1] and "region" not in passed[-1]


def test_on_the_seed_page_without_a_reference_the_skip_reason_names_the_seed_pages_level(
    tiny_corpus, labelling_notebooks, tmp_path, fake_kernel, monkeypatch, capsys
):
    from analysis import config

    monkeypatch.setattr(config, "DEFAULT_CORPUS", tiny_corpus)
    _run(tiny_corpus, labelling_notebooks, tmp_path / "out", tmp_path / "cache")
    assert fake_kernel.runs == ["01-first.ipynb"]
    error = capsys.readouterr().err
    assert "02-compare.ipynb skipped: the seed page has one level (set in the notebook's parameters)" in error
    assert "no level" not in error


def test_cli_passes_the_level_and_region(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(report.cli, "run_report", lambda corpus, **options: seen.update(options) or tmp_path)
    assert report.main(["news.jsonl", "--level", "provincial", "--region", "河南省", "--quiet"]) == 0
    assert seen["level"] == "provincial" and seen["region"] == "河南省"
    with pytest.raises(SystemExit):
        report.main(["news.jsonl", "--level", "village"])


def test_a_changed_reference_corpus_runs_the_comparing_notebook_again(
    tiny_corpus, comparing_notebooks, tmp_path, fake_kernel
):
    reference = tmp_path / "central.jsonl"
    reference.write_text(json.dumps({"id": "c1", "text": "六稳"}) + "\n", encoding="utf-8")
    _run(tiny_corpus, comparing_notebooks, tmp_path / "a", tmp_path / "cache", reference=reference, level="county")
    reference.write_text(json.dumps({"id": "c1", "text": "六保"}) + "\n", encoding="utf-8")
    _run(tiny_corpus, comparing_notebooks, tmp_path / "b", tmp_path / "cache", reference=reference, level="county")
    assert fake_kernel.runs == ["01-first.ipynb", "02-compare.ipynb", "02-compare.ipynb"]


def test_cli_and_make_pass_the_reference_corpus(tmp_path, monkeypatch):
    with pytest.raises(report.ReportError, match="reference corpus not found"):
        report.run_report("seeds", reference=tmp_path / "missing.jsonl", progress=False)
    seen = {}
    monkeypatch.setattr(report.cli, "run_report", lambda corpus, **options: seen.update(options) or tmp_path)
    assert report.main(["seeds", "--reference", "central.jsonl", "--quiet"]) == 0
    assert seen["reference"] == "central.jsonl"
    makefile = (config.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert '$(if $(REFERENCE),--reference "$(REFERENCE)")' in makefile


# --- The slogans page's table of candidate new slogans (analysis.report.discovery) ----------------

EMPTY_LEXICON = pd.DataFrame(columns=["id", "canonical"])


def _yearly_corpus(years, *, new_from: int | None = None) -> pd.DataFrame:
    """One report a year; from ``new_from`` on each also prints a numbered formula and a rising phrase."""
    new = "落实“六个坚持”。推进新型城镇化，坚持新型城镇化道路。新型城镇化是大事。"
    texts = ["要发展经济。" + (new if new_from is not None and year >= new_from else "") for year in years]
    return pd.DataFrame({"doc_id": [f"r{year}" for year in years], "text_clean": texts,
                         "date": pd.to_datetime([f"{year}-03-05" for year in years])})


def test_the_discovery_table_holds_both_detectors_when_the_corpus_has_a_history():
    import analysis.discovery

    table = report.discovery_table(_yearly_corpus(range(2000, 2010), new_from=2006), lexicon=EMPTY_LEXICON, period="year")
    assert list(table.columns) == analysis.discovery.DISCOVERY_COLUMNS
    assert set(zip(table["detector"], table["candidate"])) >= {("formula+phrase", "六个坚持"), ("phrase", "新型城镇化")}
    assert "note" not in table.attrs


def test_on_one_period_only_the_formula_detector_runs_and_the_note_says_why():
    import analysis.discovery

    corpus = _yearly_corpus([2020, 2020, 2020], new_from=2020).assign(doc_id=["a", "b", "c"])
    table = report.discovery_table(corpus, lexicon=EMPTY_LEXICON, period="year")
    assert set(table["detector"]) == {"formula"} and "六个坚持" in set(table["candidate"])
    assert list(table.columns) == analysis.discovery.DISCOVERY_COLUMNS
    assert table.attrs["note"].startswith("The phrase detector did not run: the corpus's dated documents fall in 1 year")


def test_an_undated_corpus_gets_the_formula_candidates_without_growth(seed_path):
    import analysis.discovery
    from analysis.corpus import load_corpus

    docs = load_corpus(seed_path.parent, cache=False)
    assert docs["date"].isna().all()
    table = report.discovery_table(docs)
    assert list(table.columns) == analysis.discovery.DISCOVERY_COLUMNS
    assert len(table) and set(table["detector"]) == {"formula"} and table["growth"].isna().all()
    for row in table.itertuples():
        text = docs.set_index("doc_id").loc[row.doc_id, "text_clean"]
        assert text[row.start : row.end] == row.candidate
    assert "no document of the corpus is dated" in table.attrs["note"]
    # The report passes a period even for an undated corpus.
    assert report.discovery_table(docs, period="year").equals(table)
    assert report.show_table(table, "02-discovery").data.count("The phrase detector did not run") == 1


def test_the_wording_of_procedural_texts_alone_is_no_candidate():
    # Each year's resolution approving the report says 批准这个报告 from 2006 on: a set phrase of
    # the procedure, which rises like a coinage. The resolutions still count as documents.
    reports = _yearly_corpus(range(2000, 2010), new_from=2006).assign(doc_type="text")
    resolutions = pd.DataFrame({
        "doc_id": [f"d{year}" for year in range(2006, 2010)],
        "text_clean": ["会议决定批准这个报告。推进新型城镇化。"] * 4,
        "date": pd.to_datetime([f"{year}-03-15" for year in range(2006, 2010)]),
        "doc_type": "procedural",
    })
    corpus = pd.concat([reports, resolutions], ignore_index=True)
    table = report.discovery_table(corpus, lexicon=EMPTY_LEXICON, period="year")
    assert not table["candidate"].str.contains("批准").any()
    assert table.set_index("candidate").loc["新型城镇化", "documents"] == 8
    as_text = report.discovery_table(corpus.assign(doc_type="text"), lexicon=EMPTY_LEXICON, period="year")
    assert as_text["candidate"].str.contains("批准这个报告").any()


def test_a_large_corpus_is_read_through_a_sample_of_every_period_and_the_note_says_so():
    corpus = pd.concat([_yearly_corpus(range(2000, 2010), new_from=2006).assign(doc_id=lambda t, k=k: t["doc_id"] + f"-{k}")
                        for k in range(4)], ignore_index=True)
    chars = int(corpus["text_clean"].str.len().sum())
    sample = report.discovery_sample(corpus, chars // 4, period="year")
    assert sample["date"].dt.year.value_counts().sort_index().tolist() == [1] * 10, "one of the four copies of each year"
    assert sample["text_clean"].str.len().sum() <= chars // 4 + corpus["text_clean"].str.len().max()
    assert list(sample.index) == sorted(sample.index), "documents keep their order"
    assert report.discovery_sample(corpus, chars // 4, period="year").equals(sample), "the same sample every run"
    assert report.discovery_sample(corpus, chars, period="year") is corpus
    assert report.discovery_sample(corpus, None) is corpus
    table = report.discovery_table(corpus, lexicon=EMPTY_LEXICON, period="year", max_chars=chars // 4)
    note = table.attrs["note"]
    assert note.startswith("To stay quick the detectors read a random sample of 10 of the 40 documents")
    assert "every year's text" in note and set(table["detector"]) == {"formula+phrase", "phrase"}
    found = table.set_index("candidate")["documents"]
    assert found["六个坚持"] == 4, "the sample's documents, one copy of each year"
