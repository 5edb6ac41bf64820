"""Notebook hygiene: committed without outputs, with a parameters cell, importing only framing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from framing.notebooks import problems, strip
from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name.startswith("00-") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    assert problems(path) == [], f"run `make strip`: {problems(path)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_takes_the_corpus_path(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    src = "".join(tagged[0]["source"])
    assert "corpus =" in src and "out_dir =" in src
    assert nb["cells"][0]["cell_type"] == "markdown"
    assert "".join(nb["cells"][0]["source"]).startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_sys_path_hacks(path):
    text = path.read_text(encoding="utf-8")
    assert "sys.path" not in text


def test_strip_removes_outputs_and_counts(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "code", "source": "1", "metadata": {"execution": {"x": 1}},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}],
             "execution_count": 3, "id": "abc"},
        ],
        "metadata": {"papermill": {}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    p = tmp_path / "x.ipynb"
    p.write_text(json.dumps(nb))
    assert set(problems(p)) == {
        "cell 0 has outputs",
        "cell 0 has an execution count",
        "cell 0 has run metadata",
        "notebook has run metadata",
    }
    assert strip(p) is True
    assert problems(p) == []
    assert json.loads(p.read_text())["cells"][0]["id"] == "abc"
    assert strip(p) is False


# Strings true only of the case study (issue #12.5): they may appear only in cells tagged
# `case-study`, which the report drops on any other corpus.
CASE_STUDY_ONLY = ["Xi–Putin", "Xi-Putin", "Moscow", "Deseret", "Semafor",
                   "South China Morning Post", "Student news site", "student-run",
                   "Four articles", "four articles", "one per outlet", "one article per outlet",
                   "Each outlet is one article"]  # fmt: skip


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_case_study_facts_only_in_case_study_cells(path):
    for i, cell in enumerate(_cells(path)):
        src = "".join(cell["source"])
        if "case-study" in cell.get("metadata", {}).get("tags", []):
            assert cell["cell_type"] == "markdown", f"cell {i}"
            assert src.startswith("**On the case study"), f"cell {i} must say it is a remark"
            continue
        found = [s for s in CASE_STUDY_ONLY if s in src]
        assert not found, f"cell {i} states case-study facts {found}: tag it or generate it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_corpus_is_described_from_the_data(path):
    # every notebook describes the articles it reads (notebook 00 all of them, as loaded; the
    # others those they compare), grouped by its `by` parameter
    code = ["".join(c["source"]) for c in _cells(path) if c["cell_type"] == "code"]
    table = "run.all_articles" if path.name.startswith("00-") else "articles"
    assert any(f"framing.describe_corpus({table}, by=by)" in c for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_styler_tables_escape_html(path):
    # a pandas Styler does not escape cell text (issue #13.1)
    for i, cell in enumerate(_cells(path)):
        src = "".join(cell["source"])
        if ".style" in src:
            assert '.style.format(escape="html")' in src, f"cell {i}"


def _many_outlets(root, n_outlets):
    """A folder corpus of ``n_outlets`` one-article outlets (issue #13.9's shape)."""
    words = ["bridge", "council", "flood", "budget", "school", "river", "mayor", "crews"]
    for i in range(n_outlets):
        d = root / f"Outlet {i:03d}"
        d.mkdir(parents=True)
        a, b = words[i % 8], words[(i * 3 + 1) % 8]
        (d / "story.txt").write_text(
            f"The {a} report number {i} was published on Tuesday. “The {b} is a serious "
            f"problem and we will fix it,” the mayor said. Crews worked near the {a} all "
            f"night, and residents praised the {b} plan in story {i}.\n",
            encoding="utf-8",
        )
    return root


def test_figures_cap_what_they_draw_with_many_outlets(tmp_path):
    import papermill
    from PIL import Image

    from framing.plots.base import MAX_HEATMAP, MAX_PANELS

    corpus = _many_outlets(tmp_path / "corpus", 120)
    for name, extra in [("01-terms", {"n_boot": 5}), ("02-sentiment", {"n_boot": 20}),
                        ("03-voices-and-frames", {"n_boot": 20})]:  # fmt: skip
        out_dir = tmp_path / name
        nb = papermill.execute_notebook(
            str(ROOT / "notebooks" / f"{name}.ipynb"),
            str(tmp_path / f"{name}.ipynb"),
            parameters={
                "corpus": str(corpus),
                "out_dir": str(out_dir),
                "progress": False,
                "top_outlets": None,
                **extra,
            },  # fmt: skip
            kernel_name="python3",
            cwd=str(ROOT / "notebooks"),
            progress_bar=False,
        )
        notes = [
            "".join(o["data"]["text/markdown"])
            for c in nb["cells"]
            for o in c.get("outputs", [])
            if "text/markdown" in o.get("data", {})
            and "".join(o["data"]["text/markdown"]).startswith("**Capped:**")
        ]
        assert notes, name
        for note in notes:
            assert f"the {MAX_PANELS} largest of 120" in note or (
                f"the {MAX_HEATMAP} largest of 120" in note
            ), note
        if name == "01-terms":
            # 120 groups > MAX_LISTED: the per-group term tables hold the groups drawn and say
            # so; the TF-IDF table (ten rows a group) still holds every group
            for table in ("log-odds-fightin-words", "keyness-lr", "term-stability"):
                held = pd.read_csv(out_dir / f"{table}.csv")["outlet"].nunique()
                assert held == MAX_PANELS, table
            assert pd.read_csv(out_dir / "tfidf-top-terms.csv")["outlet"].nunique() == 120
            assert any("computed for these alone" in n for n in notes)
        # a figure's height grows with the rows or panels it draws: drawing all 120 groups
        # makes each of them taller than 6,000 px (capped, the tallest is 01's 12 panels)
        for png in out_dir.glob("*.png"):
            assert Image.open(png).height < 5_000, png.name
