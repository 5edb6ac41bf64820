"""Shared fixtures: the real case-study corpus, loaded once per test session, and a tiny
synthetic corpus built in code.

Test modules import the constants as ``from tests.conftest import ROOT, CORPUS, ALLSIDES,
requires_allsides`` (``tests`` is a package, so test files in ``tests/io``, ``tests/text``,
``tests/measures`` and ``tests/plots`` may share names).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import framing

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "xi-putin-moscow-2023"
SHARED_DATA = ROOT.parent / "shared" / "data"
ALLSIDES = SHARED_DATA / "allsides" / "articles.jsonl.gz"

# A tiny corpus of two outlets, written out in full so every count can be checked by reading:
# (doc_id, outlet, date, title, text).
TINY_ROWS = [
    (
        "n1",
        "North Herald",
        "2023-03-20",
        "Leaders meet",
        "Xi Jinping arrived in Moscow on Monday. Vladimir Putin met him at the Kremlin.\n\n"
        "“We are old friends,” Putin said.",
    ),
    (
        "n2",
        "North Herald",
        "2023-03-21",
        "Talks go on",
        "The talks went on for hours. The peace plan was discussed.",
    ),
    (
        "s1",
        "South Ledger",
        "2023-03-21",
        "Farm news",
        "Farmers planted corn in the valley. The rain came late.",
    ),
]


def requires_allsides():
    """Skip a test cleanly when the shared AllSides corpus is not beside the project."""
    return pytest.mark.skipif(not ALLSIDES.exists(), reason=f"shared corpus absent: {ALLSIDES}")


@pytest.fixture(scope="session")
def articles() -> pd.DataFrame:
    """The four case-study articles, loaded and cleaned."""
    return framing.load_corpus(CORPUS)


@pytest.fixture(scope="session")
def sents(articles) -> pd.DataFrame:
    """The sentence table of the case study (keyed: ``doc_id``, no article columns)."""
    return framing.sentences(articles)


@pytest.fixture(scope="session")
def by_doc(articles) -> dict[str, pd.Series]:
    """Articles by doc_id: deseret, student, scmp, semafor."""
    return {row.doc_id: row for row in articles.itertuples(index=False)}


@pytest.fixture(scope="session")
def tiny_csv(tmp_path_factory) -> Path:
    """:data:`TINY_ROWS` as a CSV table (columns ``id, outlet, date, title, text``)."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.csv"
    frame = pd.DataFrame(TINY_ROWS, columns=["id", "outlet", "date", "title", "text"])
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def tiny(tiny_csv) -> pd.DataFrame:
    """Three short articles of two outlets (North Herald: n1, n2; South Ledger: s1), loaded
    by :func:`framing.load_corpus` (without the disk cache)."""
    return framing.load_corpus(tiny_csv, cache=False)
