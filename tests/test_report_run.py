"""Every notebook, headless, through the real report runner, as `make report` runs them.

Marked ``notebooks`` (``pytest -m notebooks`` runs them alone; ``-m "not notebooks"`` skips
them). Three corpora: the case study, a small folder corpus that is not the case study
(``tests/fixtures/report-corpus``) and the same articles with hostile ids, outlet names, titles
and texts (``tests/fixtures/hostile``). A txt folder whose sub-folder and file names hold markup
only yields ``outlet`` and ``doc_id`` strings of that kind, unchanged
(``tests/io/test_readers.py::test_folder_names_become_the_hostile_strings_the_report_escapes``);
the pages escape a column's strings whatever reader made them, so one hostile report serves. Each report runs once, in a subprocess, with
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


@pytest.fixture(scope="module", params=["case-study", "fixture", "hostile"])
def run(request, tmp_path_factory):
    corpus = {
        "case-study": lambda: CORPUS,
        "fixture": lambda: FIXTURES / "report-corpus",
        "hostile": lambda: FIXTURES / "hostile" / "articles.csv",
    }[request.param]()
    out = tmp_path_factory.mktemp(request.param) / "report"
    done = _report(corpus, out)
    return request.param, out, done


def _pages(out: Path) -> dict[str, str]:
    """Every page by name: ``01-terms`` (code hidden), ``01-terms.code`` (with code), ``index``,
    ``explorer``."""
    return {p.name.removesuffix(".html"): p.read_text(encoding="utf-8")
            for p in sorted(out.glob("*.html"))}  # fmt: skip


def test_exit_0_and_two_pages_per_notebook(run):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    names = [*NOTEBOOKS, *(f"{n}.code" for n in NOTEBOOKS), "index", "explorer"]
    assert sorted(_pages(out)) == sorted(names)
    assert "without encryption" not in done.stderr


def test_shared_pages_hide_code_and_their_twins_show_it(run):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    pages = _pages(out)
    index = pages["index"]
    assert 'href="explorer.html"' in index
    for name in NOTEBOOKS:
        assert "hl-ipython3" not in pages[name], f"{name}.html shows code"
        assert "hl-ipython3" in pages[f"{name}.code"]
        assert f'href="{name}.code.html"' in pages[name] and f'href="{name}.code.html"' in index
        assert 'href="index.html"' in pages[name]
    # long tables are trimmed and link their CSV file
    assert re.search(
        r'Showing the first 12 of [\d,]+ rows; the whole table: <a href="01-terms/',
        pages["01-terms"],
    )
    assert (out / "explorer.html").stat().st_size < 10_000_000


def test_each_page_embeds_every_figure_its_notebook_saved(run):
    _, out, done = run
    assert done.returncode == 0, done.stderr[-3000:]
    for name, page in _pages(out).items():
        if name in ("index", "explorer"):
            continue
        saved = len(list((out / name.removesuffix(".code")).glob("*.png")))
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
        # a JSON block (the explorer's data) is never run; every other script is
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"
        for k, v in attrs:
            v = v or ""
            # a data string in an attribute is live only as a handler, a javascript: URL or
            # markup; URL-encoded in a link (the findings page's evidence links) it is not
            if k.startswith("on") or ("alert" in v and ("<" in v or "javascript:" in v)):
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
    if which != "hostile":
        pytest.skip("only the hostile corpus holds markup")
    assert done.returncode == 0, done.stderr[-3000:]
    for name, page in _pages(out).items():
        parser = _LiveMarkup()
        parser.feed(page)
        assert not parser.live, f"{name} holds live markup from the data: {parser.live[:5]}"
    # the names and ids are there, escaped, so a reader sees them
    corpus_page = _pages(out)["00-corpus"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in corpus_page  # an outlet
    assert "&lt;img src=x onerror=alert(1)&gt;" in corpus_page  # another outlet
    assert "&lt;i onclick=alert(0)&gt;h0" in corpus_page  # a doc_id


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
    # under each interval table of notebook 02: tone per group, per voice, per actor (the
    # fixture corpus's own table, built from it, names its people), by position
    tables = {"case-study": 4, "fixture": 4}[which]
    assert _pages(out)["02-sentiment"].count("<strong>Intervals:</strong>") == tables
