import ast
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

from pathlib import Path

import nbformat
import pytest

from analysis import config, report

EXPECTED_NOTEBOOKS = [
    "01-corpus-overview.ipynb",
    "02-slogans.ipynb",
    "03-term-frequency.ipynb",
    "04-tfidf-topics.ipynb",
    "05-cooccurrence.ipynb",
    "06-explore.ipynb",
    "07-diffusion.ipynb",
    "08-workreport.ipynb",
]
# Compares levels: the report runs it only with several levels or a reference corpus.
DIFFUSION_NOTEBOOK = "07-diffusion.ipynb"
# corpus_cache: where load_corpus keeps the loaded corpus; the report passes its own (one load for all notebooks).
PARAMETER_NAMES = ["corpus", "output_dir", "top_n", "random_state", "corpus_cache"]
# The explorer alone takes `interactive`: the report runner sets it False (no widget frontend).
EXPLORER_NOTEBOOK = "06-explore.ipynb"
SEGMENTATION_PARAMETERS = ["period", "segmentation"]
# mentions_cache: where tag_slogans keeps the corpus's mentions; the report passes its own (one tagging for all
# notebooks that count or show slogans).
MENTIONS_CACHE = ["mentions_cache"]
EXTRA_PARAMETERS = {
    "01-corpus-overview.ipynb": ["period"],
    # 02 also bounds the text its table of candidate new slogans reads (analysis.report.discovery_table).
    "02-slogans.ipynb": MENTIONS_CACHE + ["period", "discovery_max_chars", "discovery_since"],
    EXPLORER_NOTEBOOK: MENTIONS_CACHE + ["interactive", "period", "segmentation"],
    # The notebooks that segment take the period and tokenize's speed options, both decided by the report runner;
    # the topic and keyness notebooks also leave procedural texts out by default.
    "03-term-frequency.ipynb": SEGMENTATION_PARAMETERS + ["exclude_procedural"],
    "04-tfidf-topics.ipynb": SEGMENTATION_PARAMETERS + ["exclude_procedural", "max_terms"],
    # 05 also takes the slogan whose partners it lists (None: the report's top slogan).
    "05-cooccurrence.ipynb": MENTIONS_CACHE + SEGMENTATION_PARAMETERS + ["slogan"],
    # The reference corpus (set by the report) and what the corpus's own data may not say.
    DIFFUSION_NOTEBOOK: ["period", "reference", "reference_level", "level", "region", "dates"],
    "08-workreport.ipynb": MENTIONS_CACHE,
}
# report's functions that save a table: save_table, and show_table/link_table, which also display it.
TABLE_FUNCTIONS = ("save_table", "show_table", "link_table")
KERNEL_DISPLAY_NAME = "Python (analysis)"
# Executed both ways (plain kernel as in JupyterLab, and through the report runner) to compare tables.
ROUND_TRIP_NOTEBOOK = "01-corpus-overview.ipynb"
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


def test_the_report_notebooks_are_there():
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
    assert list(values) == PARAMETER_NAMES + EXTRA_PARAMETERS.get(path.name, [])
    assert report.notebook_parameters(path) == list(values)
    if "interactive" in values:
        assert values["interactive"] is True, "opened in JupyterLab the explorer must be interactive"
    assert values["corpus"] == "../seeds"  # opened in JupyterLab the working directory is notebooks/
    assert (path.parent / values["corpus"]).is_dir()
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
        outputs = [call for name in (*TABLE_FUNCTIONS, "save_figure") for call in _calls(tree, name)]
        saved += len(outputs)
        if outputs:
            preceding = [c for c in notebook.cells[:index] if c.cell_type == "markdown"]
            assert preceding, f"{path.name}: cell {index + 1} saves output with no markdown before it"
            for call in outputs:
                assert any(k.arg == "output_dir" for k in call.keywords), (
                    f"{path.name}: cell {index + 1} saves without output_dir=output_dir"
                )
    if path.name != EXPLORER_NOTEBOOK:
        assert saved >= 2, f"{path.name}: expected at least one table and one figure or two tables"


@NOTEBOOKS
def test_notebook_opens_on_the_project_kernel(path):
    kernelspec = nbformat.read(path, as_version=4).metadata.get("kernelspec", {})
    assert kernelspec.get("name") == report.KERNEL_NAME, (
        f"{path.name}: metadata.kernelspec names {kernelspec.get('name')!r}, not the project kernel"
    )
    assert kernelspec.get("display_name") == KERNEL_DISPLAY_NAME
    assert kernelspec.get("language") == "python"


def test_make_setup_registers_the_kernel_that_the_notebooks_and_the_report_name():
    makefile = (config.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^KERNEL_NAME\s*:?=\s*{report.KERNEL_NAME}\s*$", makefile, re.M)
    assert re.search(rf"^KERNEL_DISPLAY\s*:?=\s*{re.escape(KERNEL_DISPLAY_NAME)}\s*$", makefile, re.M)
    setup_recipe = makefile.split("$(STAMP): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "ipykernel install --sys-prefix --name $(KERNEL_NAME)" in setup_recipe
    assert re.search(r"^lab: \$\(STAMP\)\n\t.*jupyter lab --notebook-dir=notebooks", makefile, re.M)


def test_the_project_kernel_runs_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if report.KERNEL_NAME not in specs:
        message = f"kernel {report.KERNEL_NAME!r} not registered: run `make setup` (found {sorted(specs)})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    spec = KernelSpecManager().get_kernel_spec(report.KERNEL_NAME)
    assert spec.display_name == KERNEL_DISPLAY_NAME
    assert os.path.realpath(spec.argv[0]) == os.path.realpath(sys.executable)
    assert report.kernel_name() == report.KERNEL_NAME


def test_the_explorer_notebook_only_builds_the_explorer():
    notebook = nbformat.read(config.NOTEBOOKS_DIR / EXPLORER_NOTEBOOK, as_version=4)
    calls = [
        node
        for cell in _code_cells(notebook)
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call)
    ]
    explorer_calls = [call for call in calls if getattr(call.func, "attr", None) == "explorer"]
    assert len(explorer_calls) == 1
    keywords = {keyword.arg: keyword.value for keyword in explorer_calls[0].keywords}
    assert isinstance(keywords.get("interactive"), ast.Name) and keywords["interactive"].id == "interactive"
    last = ast.parse(_code_cells(notebook)[-1].source).body[-1]
    assert isinstance(last, ast.Expr) and ast.dump(last.value) == ast.dump(explorer_calls[0]), (
        "the explorer must be the last expression, so the cell displays it"
    )


def _saved_names(*function_names):
    names = []
    for path in _notebook_paths():
        for cell in _code_cells(nbformat.read(path, as_version=4)):
            for function_name in function_names:
                for call in _calls(ast.parse(cell.source), function_name):
                    names.append(ast.literal_eval(call.args[1]))
    return names


def test_output_names_are_unique_and_prefixed_by_their_notebook():
    for function_names in (TABLE_FUNCTIONS, ("save_figure",)):
        names = _saved_names(*function_names)
        assert len(names) == len(set(names)), f"duplicate {function_names} names: {names}"
        assert all(re.fullmatch(r"0[1-9]-[a-z0-9-]+", name) for name in names), names
        assert all(name.startswith("07-diffusion") for name in names if name.startswith("07-")), names


@pytest.mark.slow
def test_report_on_the_seed_corpus(seed_path, tmp_path):
    output = tmp_path / "seeds"
    # cache=False: this test is about executing every notebook, not reusing a previous run.
    folder = report.run_report(seed_path.parent, output_dir=output, progress=False, cache=False)
    assert folder == output
    assert (output / "index.html").is_file()
    assert (output / "manifest.json").is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["seeds"], "temporary folders left behind"

    pages = sorted(path.name for path in output.glob("[0-9][0-9]-*.html"))
    # The seed page alone has one level and no reference: the diffusion page is skipped, and says why.
    assert pages == [name.replace(".ipynb", ".html") for name in EXPECTED_NOTEBOOKS if name != DIFFUSION_NOTEBOOK]
    skipped = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["skipped_notebooks"]
    assert [entry["notebook"] for entry in skipped] == [DIFFUSION_NOTEBOOK]
    assert "no reference corpus" in skipped[0]["reason"]
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

    # A skipped notebook writes nothing: its outputs are checked by the diffusion test below.
    ran = [name for name in _saved_names("save_figure") if not name.startswith("07-")]
    for name in ran:
        for suffix in (".png", ".svg"):
            figure = output / "figures" / f"{name}{suffix}"
            assert figure.is_file() and figure.stat().st_size > 0, figure
        assert (output / "figures" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f'src="figures/{name}.png"' in index
    for name in _saved_names(*TABLE_FUNCTIONS):
        assert (output / "tables" / f"{name}.csv").is_file() != name.startswith("07-"), name

    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["report"] == "seeds"
    assert [entry["page"] for entry in manifest["notebooks"]] == pages
    assert len(manifest["corpus"]["fingerprint"]) == 64

    _check_what_a_researcher_reads(output, pages)


SCREENSHOT_DIR = Path(__file__).parent / "output"
SCREENSHOT_PAGES = {"index.html": "seed-index.png", "02-slogans.html": "seed-slogans.png",
                    "05-cooccurrence.html": "seed-cooccurrence.png"}


def _check_what_a_researcher_reads(output: Path, pages: list[str]) -> None:
    """The seed report's pages: language, whole tables, labels, no segmentation junk, PDF, screenshots."""
    import csv
    import shutil

    for page in ["index.html", *pages]:
        text = (output / page).read_text(encoding="utf-8")
        assert re.search(r'<html[^>]*lang="zh-Hans"', text), page
        # Every table goes through the report's own markup (left-aligned Chinese, no index column).
        assert 'class="dataframe' not in text, f"{page} shows a raw pandas table"
    slogans_page = (output / "02-slogans.html").read_text(encoding="utf-8")
    with open(output / "tables" / "02-slogan-lifecycle.csv", encoding="utf-8") as handle:
        lifecycle = list(csv.DictReader(handle))
    shown = re.search(r'02-slogan-lifecycle\.csv.*?<tbody>(.*?)</tbody>', slogans_page, flags=re.S)
    assert shown and shown.group(1).count("<tr>") == len(lifecycle) > 10, "the life-cycle table is shown whole"
    assert "report-table-wrap" in slogans_page and "text-align: left" in slogans_page
    # Both discovery detectors' candidates in one table with a detector column (issue 11); the seed page is
    # undated, so the phrase detector did not run, and the page says why.
    with open(output / "tables" / "02-discovery.csv", encoding="utf-8") as handle:
        discovery = list(csv.DictReader(handle))
    assert discovery and {"detector", "first_seen", "documents", "growth", "example"} <= set(discovery[0])
    assert {row["detector"] for row in discovery} == {"formula"}
    shown = re.search(r'<p class="report-table-caption">([^<]*)·[^<]*<a href="tables/02-discovery\.csv"', slogans_page)
    assert shown and "The phrase detector did not run: no document of the corpus is dated" in shown.group(1)
    assert "<th>detector</th>" in slogans_page
    # The top slogan of the index is the one whose partners 05 lists, and the page says so.
    index = (output / "index.html").read_text(encoding="utf-8")
    top = re.search(r"<h2>Top slogans</h2>\s*<table><thead>.*?</thead><tbody><tr><td>(.*?)</td>", index, flags=re.S)
    cooccurrence_page = (output / "05-cooccurrence.html").read_text(encoding="utf-8")
    assert top and re.search(f"Partners of (&#x27;|'){re.escape(top.group(1))}(&#x27;|')", cooccurrence_page)
    with open(output / "tables" / "05-slogan-partners.csv", encoding="utf-8") as handle:
        partner_terms = [row["term"] for row in csv.DictReader(handle)]
    assert partner_terms and all(len(term) >= 2 for term in partner_terms)
    assert not {"张", "红军", "张红军", "王新亭"} & set(partner_terms)
    with open(output / "tables" / "04-topic-terms.csv", encoding="utf-8") as handle:
        topic_terms = {row["term"] for row in csv.DictReader(handle)}
    assert not {"张", "红军", "张红军", "王新亭"} & topic_terms, "names stay whole and out of the topics"
    assert (output / "figures" / "02-slogan-heatmap.png").is_file()

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        assert not (output / "report.pdf").exists()
        return
    assert (output / "report.pdf").read_bytes().startswith(b"%PDF")
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    for page, picture in SCREENSHOT_PAGES.items():
        target = SCREENSHOT_DIR / picture
        target.unlink(missing_ok=True)
        subprocess.run(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={output.parent / 'chromium-profile'}", "--window-size=1280,2400",
             f"--screenshot={target}", (output / page).as_uri()],
            check=True, capture_output=True, timeout=180,
        )
        assert target.read_bytes().startswith(b"\x89PNG"), picture


def _tiny_corpus(folder):
    path = folder / "tiny.jsonl"
    records = [
        {"id": "a1", "title": "做好六稳", "date": "2020-06-01", "text": "要做好“六稳”工作，落实“六保”任务。"},
        {"id": "a2", "title": "稳中求进", "date": "2021-03-05", "text": "坚持稳中求进工作总基调，做好“六稳”。"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _with_parameters(notebook, **values):
    """Edit the parameters cell the way a researcher would, instead of papermill's injected cell."""
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    lines = []
    for line in cell.source.splitlines():
        name = line.split("=", 1)[0].strip()
        lines.append(f"{name} = {values[name]!r}" if name in values else line)
    cell.source = "\n".join(lines)
    return notebook


@pytest.mark.slow
def test_a_notebook_run_top_to_bottom_gives_the_same_tables_as_the_report(tmp_path):
    from nbclient import NotebookClient

    corpus = _tiny_corpus(tmp_path)
    headless = report.run_report(
        corpus, notebooks=[ROUND_TRIP_NOTEBOOK], output_dir=tmp_path / "headless", progress=False, cache=False
    )

    by_hand = tmp_path / "by-hand"
    notebook = _with_parameters(
        nbformat.read(config.NOTEBOOKS_DIR / ROUND_TRIP_NOTEBOOK, as_version=4),
        corpus=str(corpus),
        output_dir=str(by_hand),
    )
    NotebookClient(
        notebook, kernel_name=report.kernel_name(), timeout=600,
        resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}},
    ).execute()
    assert not any("papermill" in cell.metadata for cell in notebook.cells)

    headless_tables = sorted(path.name for path in (headless / "tables").glob("*.csv"))
    by_hand_tables = sorted(path.name for path in (by_hand / "tables").glob("*.csv"))
    assert headless_tables and headless_tables == by_hand_tables
    for name in headless_tables:
        assert (headless / "tables" / name).read_bytes() == (by_hand / "tables" / name).read_bytes(), name


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _LoopbackServer:
    """Requests to a Jupyter server on 127.0.0.1, never through a proxy."""

    def __init__(self, port: int, token: str):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method: str, path: str, body=None, *, timeout: float = 30):
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        assert request.host == f"127.0.0.1:{self.base.rsplit(':', 1)[1]}"
        with self.opener.open(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None


def _kernel_message(kind: str, content: dict, *, channel: str = "shell") -> tuple[str, str]:
    message_id = uuid.uuid4().hex
    return message_id, json.dumps({
        "header": {"msg_id": message_id, "msg_type": kind, "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": channel, "content": content,
    })


def _receive(connection, deadline: float):
    """The next message, or None when nothing came for a few seconds (so the caller checks its deadline).

    The server pings the socket every half minute; websocket-client answers pings inside recv(), so one
    recv() with a long timeout could wait forever. Short timeouts give control back between frames.
    """
    import websocket

    connection.settimeout(max(0.1, min(5.0, deadline - time.monotonic())))
    try:
        return json.loads(connection.recv())
    except websocket.WebSocketTimeoutException:
        return None


def _execute_in_kernel(port: int, token: str, kernel_id: str, code: str, *, timeout: float = 120) -> dict:
    import websocket

    deadline = time.monotonic() + timeout
    connection = websocket.create_connection(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?token={token}",
        timeout=timeout, http_no_proxy=["127.0.0.1"], http_proxy_host=None,
    )
    outcome = {"stdout": "", "error": None, "status": None}
    try:
        # A request sent before the kernel is connected can be lost under load: ask for kernel_info until
        # one is answered, as Jupyter's own clients do, and only then send the code.
        ready = False
        while not ready and time.monotonic() < deadline:
            info_id, info = _kernel_message("kernel_info_request", {})
            connection.send(info)
            until = min(deadline, time.monotonic() + 5)
            while time.monotonic() < until:
                message = _receive(connection, until)
                if message and message.get("parent_header", {}).get("msg_id") == info_id:
                    ready = message["header"]["msg_type"] == "kernel_info_reply"
                    if ready:
                        break
        assert ready, "the kernel did not answer kernel_info within the timeout"
        message_id, request = _kernel_message("execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True,
        })
        connection.send(request)
        idle = False
        while time.monotonic() < deadline:
            message = _receive(connection, deadline)
            if message is None or message.get("parent_header", {}).get("msg_id") != message_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "stream" and message["content"]["name"] == "stdout":
                outcome["stdout"] += message["content"]["text"]
            elif kind == "error":
                outcome["error"] = f"{message['content']['ename']}: {message['content']['evalue']}"
            elif kind == "execute_reply":
                outcome["status"] = message["content"]["status"]
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            # The reply (shell) and the idle status (iopub) may arrive in either order.
            if idle and outcome["status"]:
                break
    finally:
        connection.close()
    return outcome


@pytest.mark.slow
def test_a_real_jupyter_server_lists_the_notebooks_and_runs_analysis_on_the_project_kernel(tmp_path, monkeypatch):
    for variable in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    port, token = _free_loopback_port(), secrets.token_hex(24)
    environment = {
        **os.environ,
        # Keep the server's runtime files and config out of the user's home.
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces"),
    }
    log = (tmp_path / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={config.NOTEBOOKS_DIR}",
            # CI containers run as root; nothing in the server may reach beyond loopback.
            "--ServerApp.allow_root=True", "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=",
        ],
        env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    api = _LoopbackServer(port, token)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text(encoding="utf-8")
            try:
                api.request("GET", "/api/status", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert time.monotonic() < deadline, "the Jupyter server did not answer within 120 s"
                time.sleep(0.5)

        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                f"http://127.0.0.1:{port}/api/contents", timeout=10
            )
        assert refused.value.code == 403, "the server must require its token"

        listing = api.request("GET", "/api/contents/")
        notebooks = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
        assert set(EXPECTED_NOTEBOOKS) <= set(notebooks)

        kernelspecs = api.request("GET", "/api/kernelspecs")["kernelspecs"]
        assert kernelspecs[report.KERNEL_NAME]["spec"]["display_name"] == KERNEL_DISPLAY_NAME

        kernel = api.request("POST", "/api/kernels", {"name": report.KERNEL_NAME, "path": ""})
        assert kernel["name"] == report.KERNEL_NAME
        outcome = _execute_in_kernel(
            port, token, kernel["id"],
            "import sys, analysis\n"
            "from analysis.slogans import tag_slogans\n"
            "print(sys.executable)\n"
            "print(analysis.__file__)\n"
            "print(tag_slogans('要做好“六稳”工作，落实“六保”任务。')['canonical'].tolist())",
        )
        assert outcome["error"] is None and outcome["status"] == "ok", outcome
        executable, package_file, canonical = outcome["stdout"].strip().splitlines()
        assert os.path.realpath(executable) == os.path.realpath(sys.executable)
        assert package_file.startswith(str(config.PROJECT_ROOT / "src" / "analysis"))
        assert canonical == "['六稳', '六保']"

        api.request("DELETE", f"/api/kernels/{kernel['id']}")
        assert api.request("GET", "/api/kernels") == []
        api.request("POST", "/api/shutdown")
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        log.close()


@pytest.mark.parametrize(
    "name", [name for name, extra in EXTRA_PARAMETERS.items() if "segmentation" in extra]
)
def test_segmenting_notebooks_pass_the_speed_options_to_tokenize(name):
    notebook = nbformat.read(config.NOTEBOOKS_DIR / name, as_version=4)
    calls = [
        node
        for cell in _code_cells(notebook)
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tokenize"
    ]
    assert calls, f"{name} does not segment"
    for call in calls:
        passed = {keyword.arg: getattr(keyword.value, "id", None) for keyword in call.keywords}
        assert passed.get("options") == "segmentation", f"{name}: tokenize(...) does not pass options=segmentation"


# The package functions that tag the corpus themselves unless given the mentions a notebook already holds.
TAGGING_FUNCTIONS = ("kwic", "explore_view", "default_query", "slogan_options", "explorer")


@NOTEBOOKS
def test_a_notebook_tags_the_corpus_once_through_the_runners_mentions_cache(path):
    """02, 05, 06 and 08 each tagged the corpus again (06 twice): ~2 s each on 40 MB.

    The report tags its corpus (``docs`` in every notebook) once; 07 tags the corpus combined with a
    reference corpus, which the report does not tag, and is left to its own notebook cache.
    """
    notebook = nbformat.read(path, as_version=4)
    calls = [
        node
        for cell in _code_cells(notebook)
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call)
    ]

    def name(call):
        return getattr(call.func, "id", None) or getattr(call.func, "attr", None)

    def keyword(call, wanted):
        return next((getattr(k.value, "id", None) for k in call.keywords if k.arg == wanted), None)

    def of_docs(call):
        return bool(call.args) and getattr(call.args[0], "id", None) == "docs"

    tagging = [call for call in calls if name(call) == "tag_slogans" and of_docs(call)]
    assert len(tagging) <= 1, f"{path.name} tags the corpus {len(tagging)} times"
    declared = report.notebook_parameters(path)
    for call in tagging:
        assert "mentions_cache" in declared and keyword(call, "cache") == "mentions_cache", (
            f"{path.name}: tag_slogans(docs) does not read the report's mentions (cache=mentions_cache)"
        )
    for call in calls:
        if name(call) in TAGGING_FUNCTIONS and of_docs(call):
            assert keyword(call, "mentions") == "mentions", f"{path.name}: {name(call)}(docs, ...) tags the corpus again"


@pytest.mark.slow
def test_the_diffusion_page_on_the_seed_with_the_work_reports_as_reference(seed_path, gov_reports_path, tmp_path):
    import pandas as pd

    output = tmp_path / "seeds"
    report.run_report(
        seed_path.parent, output_dir=output, notebooks=["07"], reference=gov_reports_path, progress=False, cache=False
    )
    assert (output / "07-diffusion.html").is_file()
    lags = pd.read_csv(output / "tables" / "07-diffusion-lags.csv").set_index(["slogan_id", "level"])
    for slogan_id in ("liuwen", "liubao"):
        county = lags.loc[(slogan_id, "county")]
        assert county["first_date"] == "2020-06-01" and county["lag_days"] > 0
        assert county["status"] == "left-censored"
    formulas = pd.read_csv(output / "tables" / "07-diffusion-local-formulas.csv")
    coined = formulas[formulas["formula"] == "控保稳进抬扛"]
    assert sorted(coined["closest"]) == ["六保", "六稳"]
