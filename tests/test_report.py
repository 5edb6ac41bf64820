"""The report runner: executes notebooks with parameters, fails loudly naming notebook and cell."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from framing import report
from framing.report import ReportError, main, run_report
from tests.conftest import CORPUS as CASE_STUDY
from tests.conftest import ROOT

#: a figure embedded in a page, as the browser shows it: the PNG inside the page itself
EMBEDDED_FIGURE = re.compile(r"<img\b[^>]*\bsrc=\"data:image/")


@pytest.fixture
def tiny_corpus(tmp_path):
    """A folder corpus of two outlets, one short article each."""
    for outlet, text in [("A", "One short text. It says little."), ("B", "Another text here.")]:
        (tmp_path / "corp" / outlet).mkdir(parents=True)
        (tmp_path / "corp" / outlet / "x.txt").write_text(text + "\n", encoding="utf-8")
    return tmp_path / "corp"


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny\nA test notebook.")]
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'corpus = "x"\nout_dir = "y"\nprogress = True', metadata={"tags": ["parameters"]}
        )
    )
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def test_failing_cell_is_named_and_exit_is_nonzero(tiny_corpus, tmp_path, capsys):
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(books / "01-ok.ipynb", "x = 1")
    _notebook(books / "02-bad.ipynb", "y = 2", "raise RuntimeError('boom in cell')")
    with pytest.raises(ReportError) as info:
        run_report(tiny_corpus, tmp_path / "out", notebooks=books)
    msg = str(info.value)
    assert "02-bad" in msg and "boom in cell" in msg
    # the fourth cell of the source notebook: markdown, parameters, y = 2, raise
    assert "cell 4 (first line: \"raise RuntimeError('boom in cell')\")" in msg
    assert (tmp_path / "out.failed" / "02-bad.failed.ipynb").exists()
    assert not (tmp_path / "out").exists()
    code = main(
        ["--corpus", str(tiny_corpus), "--out", str(tmp_path / "out2"), "--notebooks", str(books)]
    )
    assert code == 1
    assert "02-bad" in capsys.readouterr().err


def test_parameters_are_injected_and_index_written(tiny_corpus, tmp_path):
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(
        books / "00-params.ipynb",
        "import pathlib\npathlib.Path(out_dir).mkdir(parents=True)\n"
        "pathlib.Path(out_dir, 'seen.txt').write_text(f'{corpus}|{progress}|{extra}')",
    )
    index = run_report(tiny_corpus, tmp_path / "out", notebooks=books, parameters={"extra": 7})
    seen = (tmp_path / "out" / "00-params" / "seen.txt").read_text()
    assert seen == f"{tiny_corpus.resolve()}|False|7"
    page = index.read_text()
    assert '<a href="00-params.html">Tiny</a>' in page
    assert (tmp_path / "out" / "00-params.html").read_text().count("<html") == 1


def _two_books(tmp_path, second="x = 2"):
    books = tmp_path / "nb"
    books.mkdir(exist_ok=True)
    _notebook(
        books / "00-a.ipynb",
        "import pathlib\npathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)\n"
        "pathlib.Path(out_dir, 'a.csv').write_text('a')",
    )
    _notebook(books / "01-b.ipynb", second)
    return books


def test_rerun_replaces_own_files_and_never_touches_others(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    (out / "my-notes.txt").write_text("mine")
    (out / "00-a" / "mine.csv").write_text("mine too")
    # the second run no longer writes notebook 01-b nor a.csv's sibling: its old files go
    (books / "01-b.ipynb").unlink()
    run_report(tiny_corpus, out, notebooks=books)
    assert not (out / "01-b.html").exists() and not (out / "01-b.ipynb").exists()
    assert (out / "00-a.html").exists() and (out / "00-a" / "a.csv").read_text() == "a"
    assert (out / "my-notes.txt").read_text() == "mine"
    assert (out / "00-a" / "mine.csv").read_text() == "mine too"
    record = json.loads((out / ".framing-report.json").read_text())
    assert "my-notes.txt" not in record["files"] and "00-a/a.csv" in record["files"]
    assert not list(tmp_path.glob(".rep.building-*"))  # nothing left aside


def test_a_file_the_runner_did_not_write_is_never_overwritten(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    out.mkdir()
    (out / "00-a.html").write_text("a page of my own")
    with pytest.raises(ReportError, match="00-a.html"):
        run_report(tiny_corpus, out, notebooks=books)
    assert (out / "00-a.html").read_text() == "a page of my own"


def test_failed_rerun_leaves_the_old_report_whole(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _notebook(books / "01-b.ipynb", "raise ValueError('second run fails')")
    with pytest.raises(ReportError, match="second run fails"):
        run_report(tiny_corpus, out, notebooks=books)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    failed = tmp_path / "rep.failed"
    assert (failed / "01-b.failed.ipynb").exists() and (failed / "00-a.html").exists()
    assert not (failed / "index.html").exists()


def _default_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupted_run_leaves_the_old_report_whole(tiny_corpus, tmp_path):
    # Ctrl-C while the second notebook runs: the runner (`python -m framing.report`, as make
    # runs it) gets SIGINT, here sent by that notebook's kernel to its parent, the runner
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    index = (out / "index.html").read_bytes()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _notebook(
        books / "01-b.ipynb",
        "import os, signal, time\nos.kill(os.getppid(), signal.SIGINT)\ntime.sleep(20)",
    )
    cmd = [sys.executable, "-m", "framing.report", "--corpus", str(tiny_corpus), "--out",
           str(out), "--notebooks", str(books)]  # fmt: skip
    env = {**os.environ, "MPLBACKEND": "Agg"}
    # as from a terminal: a test run started in the background (`make test &`, CI) inherits
    # SIGINT ignored, and so would the runner; Ctrl-C reaches a runner started in a terminal
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                          preexec_fn=_default_sigint)  # fmt: skip
    assert done.returncode != 0
    assert "KeyboardInterrupt" in done.stderr, done.stderr[-2000:]
    assert f"[report] stopped; {out} is unchanged" in done.stderr
    assert (out / "index.html").read_bytes() == index
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert (tmp_path / "rep.failed" / "00-a.html").exists()
    assert not list(tmp_path.glob(".rep.building-*"))  # the run is kept aside, not left behind


def test_missing_or_bad_corpus_fails_before_any_notebook(tmp_path):
    books = _two_books(tmp_path)
    with pytest.raises(ReportError, match=r"corpus not found: .*does-not-exist"):
        run_report(tmp_path / "does-not-exist", tmp_path / "r", notebooks=books)
    bad = tmp_path / "bad.csv"
    bad.write_text("headline,remarks\nA,b\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"bad\.csv.*no text column"):
        run_report(bad, tmp_path / "r", notebooks=books)
    assert not (tmp_path / "r").exists() and not (tmp_path / "r.failed").exists()


def test_default_folder_is_named_after_the_corpus(tmp_path):
    assert report.corpus_name("corpus/allsides.toml") == "allsides"
    assert report.corpus_name("data/articles.jsonl.gz") == "articles"
    assert report.corpus_name("corpus/xi-putin-moscow-2023") == "xi-putin-moscow-2023"
    assert report.corpus_name("corpus/xi-putin-moscow-2023/manifest.csv") == "xi-putin-moscow-2023"
    assert report.report_folder("my.corpus/x.csv", "out") == Path("out") / "x"


def test_case_study_cells_are_left_out_on_another_corpus(tiny_corpus, tmp_path):
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(books / "00-a.ipynb", "x = 1")
    nb = nbformat.read(books / "00-a.ipynb", as_version=4)
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            "On the case study: four articles.", metadata={"tags": ["case-study"]}
        )
    )
    nb.cells.append(nbformat.v4.new_code_cell("print('after the case-study cell')"))
    nbformat.write(nb, books / "00-a.ipynb")
    page = run_report(tiny_corpus, tmp_path / "other", notebooks=books).with_name("00-a.html")
    assert (
        "four articles" not in page.read_text() and "after the case-study cell" in page.read_text()
    )
    page = run_report(CASE_STUDY, tmp_path / "case", notebooks=books).with_name("00-a.html")
    assert "On the case study: four articles." in page.read_text()


def test_columns_and_date_formats_reach_the_notebooks(tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text(
        "article_text,source,when\nA first text. It is short.,Left Post,9/6/17\n"
        "A second text. Also short.,Right Times,12/31/17\n",
        encoding="utf-8",
    )
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(
        books / "00-a.ipynb",
        "import framing, pathlib\na = framing.load_corpus(corpus)\n"
        "pathlib.Path(out_dir).mkdir(parents=True)\n"
        "pathlib.Path(out_dir, 'seen.txt').write_text("
        "','.join(a.outlet) + '|' + ','.join(a.published.dt.strftime('%Y-%m-%d')))",
    )
    code = main(["--corpus", str(data), "--reports", str(tmp_path / "reports"),
                 "--notebooks", str(books), "--columns", "text=article_text,outlet=source",
                 "--columns", "date=when", "--date-format", "%m/%d/%y"])  # fmt: skip
    assert code == 0
    out = tmp_path / "reports" / "mine"
    assert (out / "00-a" / "seen.txt").read_text() == "Left Post,Right Times|2017-09-06,2017-12-31"
    spec = (out / "corpus.toml").read_text()
    assert 'path = "../../mine.csv"' in spec and 'text = "article_text"' in spec
    assert main(["--corpus", str(data), "--columns", "text"]) == 1


def test_pages_show_no_local_path_and_embed_every_figure(tiny_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")  # what `make` used to export: no figure in pages
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(
        books / "00-fig.ipynb",
        "import matplotlib.pyplot as plt, framing\nfig, ax = plt.subplots()\nax.plot([1, 2])\n"
        "framing.save_figure(fig, __import__('pandas').DataFrame({'x': [1]}), 'line', "
        "out_dir=out_dir)\nplt.show()\nprint(corpus, out_dir)",
    )
    out = tmp_path / "out"
    page = run_report(tiny_corpus, out, notebooks=books).with_name("00-fig.html").read_text()
    assert len(EMBEDDED_FIGURE.findall(page)) == 1
    code = (out / "00-fig.code.html").read_text()  # the twin with code: the same figures
    assert len(EMBEDDED_FIGURE.findall(code)) == 1
    assert "hl-ipython3" in code and "hl-ipython3" not in page  # highlighted code cells
    for local in (str(tmp_path), str(Path.home()), str(ROOT)):
        assert local not in page
    ran = nbformat.read(out / "00-fig.ipynb", as_version=4)
    injected = next(c for c in ran.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "corpus = '" in injected.source and str(tmp_path) not in injected.source
    # a figure saved but not shown is an error, not a page without it
    _notebook(
        books / "00-fig.ipynb",
        "import matplotlib.pyplot as plt, framing\nfig, ax = plt.subplots()\n"
        "framing.save_figure(fig, __import__('pandas').DataFrame({'x': [1]}), 'line', "
        "out_dir=out_dir)\nplt.close(fig)",
    )
    with pytest.raises(ReportError, match="saved 1 figures but its page 00-fig.html shows 0"):
        run_report(tiny_corpus, out, notebooks=books)


def test_a_crafted_record_cannot_make_the_runner_delete_outside_its_files(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    record = json.loads((out / ".framing-report.json").read_text())
    sha = record["files"]["00-a.html"]
    record["files"].update({"../victim.txt": sha, str(victim): sha, "mine.txt": "0" * 64})
    (out / "mine.txt").write_text("edited by me")
    (out / ".framing-report.json").write_text(json.dumps(record))
    run_report(tiny_corpus, out, notebooks=books)
    assert victim.read_text() == "keep me"
    assert (out / "mine.txt").read_text() == "edited by me"  # its hash is not the record's


def test_a_clash_inside_a_figure_folder_stops_before_anything_moves(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    out.mkdir()
    (out / "00-a").write_text("a file where the runner puts a folder")
    with pytest.raises(ReportError, match="did not write: 00-a/a.csv"):
        run_report(tiny_corpus, out, notebooks=books)
    assert sorted(p.name for p in out.iterdir()) == ["00-a"]


def test_only_keeps_the_pages_of_the_other_notebooks(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    run_report(tiny_corpus, out, notebooks=books, only="01")
    assert (out / "00-a.html").exists() and (out / "00-a" / "a.csv").exists()
    index = (out / "index.html").read_text()
    assert 'href="00-a.html"' in index and 'href="01-b.html"' in index
    assert "00-a/a.csv" in json.loads((out / ".framing-report.json").read_text())["files"]


def test_runner_refuses_what_would_mix_its_files_with_the_corpus(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    with pytest.raises(ReportError, match="inside the report folder"):
        run_report(tiny_corpus, tiny_corpus.parent, notebooks=books)
    with pytest.raises(ReportError, match=r"\['out_dir'\] are set by the runner"):
        run_report(tiny_corpus, tmp_path / "r", notebooks=books, parameters={"out_dir": "x"})
    # two corpora with the same name do not share a default folder silently
    other = tmp_path / "elsewhere" / "corp"
    (other / "C").mkdir(parents=True)
    (other / "C" / "y.txt").write_text("A third text.\n")
    run_report(tiny_corpus, notebooks=books, reports=tmp_path / "reports")
    with pytest.raises(ReportError, match="another corpus named 'corp'"):
        run_report(other, notebooks=books, reports=tmp_path / "reports")


def test_scrubbing_paths_leaves_figures_urls_and_words_alone(tiny_corpus, tmp_path):
    # the corpus lies outside the project: pages name it by its folder name, but only where a
    # path starts and ends; a URL holding the same characters, a longer word and an image (a
    # figure shown as SVG whose title names the file) are left as they are
    books = tmp_path / "nb"
    books.mkdir()
    _notebook(
        books / "00-s.ipynb",
        "import io, pandas as pd, matplotlib.pyplot as plt, framing\n"
        "from IPython.display import display\n"
        "plt.rcParams['svg.fonttype'] = 'none'  # the title stays text in the SVG\n"
        "fig, ax = plt.subplots()\nax.set_title(f'read {corpus}/a.txt')\n"
        "framing.save_figure(fig, pd.DataFrame({'x': [1]}), 'titled', out_dir=out_dir)\n"
        "svg = io.StringIO()\nfig.savefig(svg, format='svg')\nplt.close(fig)\n"
        "display({'image/svg+xml': svg.getvalue(), 'text/plain': f'read {corpus}/a.txt'}, "
        "raw=True)\n"
        "print(f'see https://example.com{corpus}/2023 and {corpus}/x and {corpus}x')",
    )
    out = tmp_path / "out"
    run_report(tiny_corpus, out, notebooks=books)
    local = str(tiny_corpus.resolve())
    ran = nbformat.read(out / "00-s.ipynb", as_version=4)
    outputs = ran.cells[-1].outputs
    shown = next(o for o in outputs if o.output_type == "display_data").data
    assert f"read {local}/a.txt</text>" in shown["image/svg+xml"]  # never inside images
    assert shown["text/plain"] == "read corp/a.txt"
    printed = next(o for o in outputs if o.output_type == "stream").text
    assert printed == f"see https://example.com{local}/2023 and corp/x and {local}x\n"
    page = (out / "00-s.html").read_text()
    assert f"see https://example.com{local}/2023 and corp/x and {local}x" in page
    assert len(EMBEDDED_FIGURE.findall(page)) == 1


def test_clean_reports_removes_only_what_the_runner_wrote(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    reports = tmp_path / "reports"
    run_report(tiny_corpus, notebooks=books, reports=reports)
    run_report(tiny_corpus, reports / "second", notebooks=books)
    (reports / "second" / "notes.txt").write_text("mine")
    (reports / "other.txt").write_text("mine too")
    assert report.clean_reports(reports) == [reports / "corp"]
    assert sorted(p.name for p in reports.iterdir()) == ["other.txt", "second"]
    assert sorted(p.name for p in (reports / "second").iterdir()) == ["notes.txt"]


def test_a_killed_runs_build_folder_is_removed_and_a_live_ones_kept(tiny_corpus, tmp_path):
    import os
    import subprocess
    import sys

    books = _two_books(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    (tmp_path / f".rep.building-{dead}-abc").mkdir()
    (tmp_path / f".rep.building-{os.getpid()}-live").mkdir()
    run_report(tiny_corpus, tmp_path / "rep", notebooks=books)
    assert not (tmp_path / f".rep.building-{dead}-abc").exists()
    assert (tmp_path / f".rep.building-{os.getpid()}-live").exists()


def test_kernels_start_in_their_folder_without_moving_the_runner(tmp_path, monkeypatch):
    """Two notebooks ran at once and papermill's ``cwd=`` moved the runner's own working folder
    (``os.chdir``) for each: one finishing put the old folder back while the other's kernel
    started, which then looked for ``../corpus/…`` from the wrong place (CI, notebook 05).
    Each kernel starts in its folder and the runner's folder never moves, with two at once."""
    from concurrent.futures import ThreadPoolExecutor

    start = os.getcwd()
    chdir = os.chdir

    def moved(path):  # papermill's file reads step into the folder they were in: allowed
        if os.path.realpath(path) != os.path.realpath(start):
            raise AssertionError(f"the runner changed its working folder to {path}")
        chdir(path)

    runs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        _notebook(tmp_path / name / "nb.ipynb", "import os\nprint(os.getcwd())")
        runs.append((tmp_path / name / "nb.ipynb", tmp_path / name / "ran.ipynb"))
    monkeypatch.setattr(report._ipc_kernel_manager(), "socket_dir", str(tmp_path))
    monkeypatch.setattr(os, "chdir", moved)
    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(report._run_one, nb, ran, {}, 60, nb.parent) for nb, ran in runs]:
            done.result()
    assert os.getcwd() == start
    for nb, ran in runs:
        printed = nbformat.read(ran, as_version=4).cells[-1].outputs[0]["text"].strip()
        assert printed == str(nb.parent)


# ------------------------------------------------ a notebook's run reused on unchanged inputs

_DRAW = (
    "import pathlib, random\npathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)\n"
    "n = random.random()\npathlib.Path(out_dir, 'n.txt').write_text(str(n))\nprint('drew', n)"
)


def _draw_books(tmp_path, extra_a: str = "", extra_b: str = "") -> Path:
    """00-a draws a random number (a new run draws a new one; a reused run shows the old one);
    01-b reads 00-a's table (its metadata ``framing.after``, as notebook 04 reads 01-03)."""
    books = tmp_path / "draw"
    books.mkdir(exist_ok=True)
    _notebook(books / "00-a.ipynb", _DRAW + extra_a)
    _notebook(books / "01-b.ipynb", _DRAW + extra_b)
    nb = nbformat.read(books / "01-b.ipynb", as_version=4)
    nb.metadata["framing"] = {"after": ["00-a"]}
    nbformat.write(nb, books / "01-b.ipynb")
    return books


def _draws(out: Path) -> dict[str, str]:
    return {n: (out / n / "n.txt").read_text() for n in ("00-a", "01-b")}


def _reused(err: str) -> set[str]:
    return set(re.findall(r"\[report\] (\S+): inputs unchanged, its earlier run reused", err))


def test_a_report_run_again_on_unchanged_inputs_reuses_each_notebook(
    tiny_corpus, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    books, out = _draw_books(tmp_path), tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    first = _draws(out)
    assert first["00-a"] != first["01-b"]  # two draws
    assert _reused(capsys.readouterr().err) == set()

    run_report(tiny_corpus, out, notebooks=books)  # nothing changed: nothing runs
    assert _reused(capsys.readouterr().err) == {"00-a", "01-b"}
    assert _draws(out) == first
    page = (out / "00-a.html").read_text(encoding="utf-8")
    assert f"drew {first['00-a']}" in page  # the page is the kept run's
    for p in out.rglob("*"):  # the kept run's build folder is this run's in every file
        if p.is_file() and p.suffix in (".html", ".ipynb"):
            text = p.read_text(encoding="utf-8")
            assert ".building-" not in text and "FRAMING-BUILD" not in text, p.name

    run_report(tiny_corpus, out, notebooks=books, rerun=True)  # asked to run again
    assert _reused(capsys.readouterr().err) == set()
    again = _draws(out)
    assert again["00-a"] != first["00-a"] and again["01-b"] != first["01-b"]
    run_report(tiny_corpus, out, notebooks=books)  # the rerun's runs are the ones kept now
    assert _reused(capsys.readouterr().err) == {"00-a", "01-b"}
    assert _draws(out) == again

    # a file a parameter names is an input: changed, the notebooks run again
    (tmp_path / "extra.txt").write_text("one", encoding="utf-8")
    extra = {"extra": str(tmp_path / "extra.txt")}
    _notebook(books / "00-a.ipynb", _DRAW + "\nextra = None")  # takes the parameter
    run_report(tiny_corpus, out, notebooks=books, parameters=extra)
    capsys.readouterr()
    run_report(tiny_corpus, out, notebooks=books, parameters=extra)
    assert _reused(capsys.readouterr().err) == {"00-a", "01-b"}
    (tmp_path / "extra.txt").write_text("two", encoding="utf-8")
    run_report(tiny_corpus, out, notebooks=books, parameters=extra)
    assert _reused(capsys.readouterr().err) == set()


def test_a_changed_corpus_or_notebook_runs_what_depends_on_it(
    tiny_corpus, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=_draw_books(tmp_path))
    first = _draws(out)
    capsys.readouterr()

    # 01-b changed: 00-a is reused, 01-b runs
    run_report(tiny_corpus, out, notebooks=_draw_books(tmp_path, extra_b="\nx = 1"))
    assert _reused(capsys.readouterr().err) == {"00-a"}
    second = _draws(out)
    assert second["00-a"] == first["00-a"] and second["01-b"] != first["01-b"]

    # 00-a changed: 01-b reads its tables, so both run
    run_report(tiny_corpus, out, notebooks=_draw_books(tmp_path, "\nx = 1", "\nx = 1"))
    assert _reused(capsys.readouterr().err) == set()

    # one word of the corpus changed: every notebook runs
    books = _draw_books(tmp_path)
    run_report(tiny_corpus, out, notebooks=books)
    capsys.readouterr()
    (tiny_corpus / "A" / "x.txt").write_text("One short text. It says a lot.\n", encoding="utf-8")
    run_report(tiny_corpus, out, notebooks=books)
    assert _reused(capsys.readouterr().err) == set()
    # the store keeps one run per notebook of this report folder, the newest
    kept = list((tmp_path / "cache" / "report-notebooks").glob("*/complete.json"))
    assert sorted(json.loads(k.read_text())["notebook"] for k in kept) == ["00-a", "01-b"]


def _command_line(corpus: Path, out: Path, books: Path) -> subprocess.CompletedProcess:
    """``python -m framing.report`` as ``make report`` runs it, with the corpus counted large
    (its notebooks then run one at a time, as a large corpus's first report's do)."""
    code = (
        "import sys\nimport framing.report as r\nr.SMALL_CORPUS_CHARS = 0\n"
        f"sys.exit(r.main(['--corpus', {str(corpus)!r}, '--out', {str(out)!r}, "
        f"'--notebooks', {str(books)!r}]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_a_notebook_failing_on_the_command_line_is_reported_and_kept(tiny_corpus, tmp_path):
    books = _two_books(tmp_path)
    out = tmp_path / "rep"
    run_report(tiny_corpus, out, notebooks=books)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _notebook(books / "01-b.ipynb", "raise ValueError('fails after the analysis')")
    done = _command_line(tiny_corpus, out, books)
    assert done.returncode == 1
    assert done.stderr.count("[report] analysis …") == 1
    assert "error:" in done.stderr and "fails after the analysis" in done.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert (tmp_path / "rep.failed" / "01-b.failed.ipynb").exists()


def test_the_runner_holds_no_corpus_pandas_or_numba_while_the_worker_reads_and_analyses(
    tiny_corpus, tmp_path
):
    # the corpus is read and analysed in the worker (a spawned process); the runner, a process
    # beside it the whole time, adds to the report's memory only what it imports itself
    books = _two_books(tmp_path)
    code = (
        "import sys\nimport framing.report as r\nseen = []\nbefore = r._Worker.call\n"
        "def call(self, fn, *args):\n"
        "    heavy = [m for m in ('pandas', 'numpy', 'numba', 'pyarrow') if m in sys.modules]\n"
        "    seen.append((fn.__name__, heavy))\n"
        "    return before(self, fn, *args)\n"
        "r._Worker.call = call\n"
        f"r.run_report({str(tiny_corpus)!r}, {str(tmp_path / 'rep')!r}, notebooks={str(books)!r})\n"
        "print(seen)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('_prepare', []), ('_warm_analysis_quiet', [])]"
    assert (tmp_path / "rep" / "index.html").is_file()


def test_an_unreadable_corpus_is_named_by_the_worker_before_any_notebook(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,date\nno text column,2023-03-20\n", encoding="utf-8")
    with pytest.raises(ReportError, match="cannot read the corpus .*bad.csv"):
        run_report(bad, tmp_path / "rep", notebooks=_two_books(tmp_path))
    assert not (tmp_path / "rep").exists()
    assert not list(tmp_path.glob(".rep.building-*"))
