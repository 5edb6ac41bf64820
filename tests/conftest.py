"""Shared fixtures: the real case-study corpus, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import framing

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "xi-putin-moscow-2023"
SHARED_DATA = ROOT.parent / "shared" / "data"
ALLSIDES = SHARED_DATA / "allsides" / "articles.jsonl.gz"


@pytest.fixture(scope="session")
def articles() -> pd.DataFrame:
    """The four case-study articles, loaded and cleaned."""
    return framing.load_corpus(CORPUS)


@pytest.fixture(scope="session")
def sents(articles) -> pd.DataFrame:
    """The sentence table of the case study."""
    return framing.sentences(articles)


@pytest.fixture(scope="session")
def by_doc(articles) -> dict[str, pd.Series]:
    """Articles by doc_id: deseret, student, scmp, semafor."""
    return {row.doc_id: row for row in articles.itertuples(index=False)}


def requires_allsides():
    """Skip a test cleanly when the shared AllSides corpus is not beside the project."""
    return pytest.mark.skipif(not ALLSIDES.exists(), reason=f"shared corpus absent: {ALLSIDES}")
