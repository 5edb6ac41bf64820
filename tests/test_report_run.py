"""Every notebook, headless, through the real report runner, as `make report` runs them.

Marked ``notebooks`` (``pytest -m notebooks`` runs them alone; ``-m "not notebooks"`` skips
them). Three corpora: the case study, a small folder corpus that is not the case study
(``tests/fixtures/report-corpus``) and the same articles with hostile outlet names, titles and
texts (``tests/fixtures/hostile``). Each report runs once, in a subprocess, with
``MPLBACKEND=Agg`` set as `make` used to set it, so a page that lost its figures fails here.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.notebooks

FIXTURES = ROOT / "tests" / "fixtures"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
#: sentences and names true only of the Xi–Putin case study (case-sensitive)
CASE_STUDY_PHRASES = [
    "Xi–Putin", "Xi-Putin", "Moscow", "Deseret", "Semafor", "South China Morning Post",
    "Student news site", "student-run", "Four articles", "four articles", "one per outlet",
    "one article per outlet", "Each outlet is one article",
]  # fmt: skip


def _report(corpus: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    cmd = [sys.executable, "-m", "framing.report", "--corpus", str(corpus), "--out", str(out)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)


def _hostile_folder(root: Path) -> Path:
    """The fixture's articles in a folder corpus whose sub-folder (outlet) and file (doc_id)
    names hold HTML, as a user's txt folder may."""
    names = ["<img src=x onerror=alert(1)>", "<b onmouseover=alert(5)>Bold", "Plain & Co"]
    for i, src in enumerate(sorted((FIXTURES / "report-corpus").glob("*/*.txt"))):
        folder = root / names[i % 3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"<i onclick=alert({i})>{src.stem}.txt").write_bytes(src.read_bytes())
    return root


@pytest.fixture(scope="module", params=["case-study", "fixture", "hostile", "hostile-folder"])
def run(request, tmp_path_factory):
    corpus = {
        "case-study": lambda: CORPUS,
        "fixture": lambda: FIXTURES / "report-corpus",
        "hostile": lambda: FIXTURES / "hostile" / "articles.csv",
        "hostile-folder": lambda: _hostile_folder(tmp_path_factory.mktemp("corpus") / "names"),
    }[request.param]()
    out = tmp_path_factory.mktemp(request.param) / "report"
    done = _report(corpus, out)
    return request.param, out, done


def _pages(out: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.html"))}


def test_exit_0_and_one_page_per_notebook(run):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(_pages(out)) == sorted([*NOTEBOOKS, "index"])
    assert "without encryption" not in done.stderr


def test_each_page_embeds_every_figure_its_notebook_saved(run):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    for name, page in _pages(out).items():
        if name == "index":
            continue
        saved = len(list((out / name).glob("*.png")))
        shown = len(re.findall(r'<img\b[^>]*\bsrc="data:image/png', page))
        assert shown == saved, f"{name}: {shown} figures in the page, {saved} PNG files"
    assert sum(len(list((out / n).glob("*.png"))) for n in NOTEBOOKS) >= 10


def test_no_absolute_local_path_in_any_page(run, tmp_path_factory):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    local = {str(ROOT), str(ROOT.parent), str(out), str(Path.home()), str(out.parent.parent)}
    for name, page in _pages(out).items():
        for path in local:
            assert path not in page, f"{name} shows the local path {path}"


def test_other_corpora_show_no_case_study_sentence(run):
    which, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    if which == "case-study":
        assert "Xi–Putin" in _pages(out)["00-corpus"]  # the phrases do mark the case study
        return
    for name, page in _pages(out).items():
        found = [p for p in CASE_STUDY_PHRASES if p in page]
        assert not found, f"{name} says {found} about a corpus that is not the case study"


class _LiveMarkup(html.parser.HTMLParser):
    """Collects tags and handler attributes that came from the data (they hold 'alert')."""

    def __init__(self):
        super().__init__()
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for k, v in attrs:
            if k.startswith("on") or "alert" in (v or ""):
                self.live.append(f"<{tag} {k}={v!r}>")
        if tag in ("b", "i") or (tag == "img" and dict(attrs).get("src") == "x"):
            self.live.append(f"<{tag}>")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.live.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag):
        self._in_script = False


def test_hostile_names_are_shown_escaped(run):
    which, out, done = run
    if not which.startswith("hostile"):
        pytest.skip("only the hostile corpora hold markup")
    assert done.returncode == 0, done.stderr[-3000:]
    for name, page in _pages(out).items():
        parser = _LiveMarkup()
        parser.feed(page)
        assert not parser.live, f"{name} holds live markup from the data: {parser.live[:5]}"
    # the names are there, escaped, so a reader sees them
    shown = (
        "&lt;script&gt;alert(1)&lt;/script&gt;" if which == "hostile" else "onerror=alert(1)&gt;"
    )
    assert shown in _pages(out)["00-corpus"]


def test_the_report_records_what_it_wrote(run):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads((out / ".framing-report.json").read_text())
    on_disk = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert sorted([*record["files"], ".framing-report.json"]) == on_disk


def test_events_page_says_why_the_case_study_supports_none_of_it(run):
    # issue #17.5: four articles on one event, one per outlet, all in one month: notebook 06
    # draws nothing and says why, section by section
    which, out, done = run
    if which != "case-study":
        pytest.skip("only the case study lacks events, articles and months")
    assert done.returncode == 0, done.stderr[-3000:]
    page = _pages(out)["06-events-and-time"]
    one_event = "Not drawn: the articles have no event column, so the corpus is one event"
    assert page.count(one_event) == 3  # tone, frames and words within events
    assert page.count("Not drawn: the dated articles fall in one month: no time series.") == 2
    assert (
        "Not tested: with 4 articles the smallest p a permutation of the articles can give is "
        "0.25, so no term can pass." in page
    )
    assert not list((out / "06-events-and-time").glob("*.png"))


def test_pages_say_what_each_interval_resampled(run):
    # issue #17.2: the page says which unit was resampled and how many; on the case study each
    # outlet is one article, so its sentences (12 to 39 body sentences per article); the
    # fixture corpus has three articles in each of its three outlets
    which, out, done = run
    said = {
        "case-study": "the interval resamples sentences (12–39 per interval)",
        "fixture": "for 3 groups the interval resamples articles, then their sentences "
        "(3 articles per interval)",
    }.get(which)
    if said is None:
        pytest.skip("counted for the case study and the fixture corpus")
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("02-sentiment", "03-voices-and-frames"):
        assert said in _pages(out)[name], name
