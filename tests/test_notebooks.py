"""Notebook hygiene: committed without outputs, with a parameters cell, importing only framing."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from framing.notebooks import problems, strip

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
