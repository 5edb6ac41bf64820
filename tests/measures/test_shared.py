"""Shared passages (framing.measures.shared): word-for-word runs carried by more than one
outlet, offsets on both sides; and their plot (framing.plots.shared)."""

from __future__ import annotations

import gzip
import itertools
import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import framing
from framing import plot_shared, shared_matrix, shared_passages
from framing.measures import shared as shared_module
from tests.conftest import ALLSIDES, requires_allsides

BLINKEN = (
    "The world should not be fooled by any tactical move by Russia, supported by China or any "
    "other country, to freeze the war on its own terms"
)
ENERGY = (
    "will build a closer energy partnership, supporting companies from both countries in "
    "advancing cooperation projects in oil, gas, coal, electricity and nuclear energy"
)
OUTLETS = ["Deseret News", "Semafor", "South China Morning Post", "Student news site"]


def _words(text: str) -> list[str]:
    """An independent tokenizer: what must be equal on both sides of a shared passage."""
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text.lower().replace("’", "'"))


def _articles(**docs: tuple[str, str]) -> pd.DataFrame:
    rows = [(d, outlet, text) for d, (outlet, text) in docs.items()]
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


@pytest.fixture(scope="module")
def shared(articles):
    return shared_passages(articles)


def test_case_study_shares_two_passages(shared):
    assert list(shared.columns) == [
        "doc_id_a", "outlet_a", "start_a", "end_a",
        "doc_id_b", "outlet_b", "start_b", "end_b",
        "text", "n_words",
    ]  # fmt: skip
    # the Blinken sentence in three outlets (three pairs) and the joint statement on energy
    assert len(shared) == 4
    assert shared["n_words"].tolist() == [27, 27, 27, 23]


def test_blinken_sentence_in_exactly_three_outlets(shared, by_doc):
    rows = shared[shared["text"].str.contains("tactical move")]
    pairs = {frozenset(p) for p in zip(rows.doc_id_a, rows.doc_id_b, strict=True)}
    assert pairs == {
        frozenset({"student", "scmp"}),
        frozenset({"student", "semafor"}),
        frozenset({"scmp", "semafor"}),
    }
    for r in rows.itertuples():
        for doc, s, e in ((r.doc_id_a, r.start_a, r.end_a), (r.doc_id_b, r.start_b, r.end_b)):
            text = by_doc[doc].text
            # found by hand: the quote's first letter is where a case-insensitive search lands
            assert s == text.lower().find(BLINKEN.lower())
            assert text[s:e].lower() == BLINKEN.lower()
        assert r.text == by_doc[r.doc_id_a].text[r.start_a : r.end_a]


def test_energy_quote_in_deseret_and_student(shared, by_doc):
    rows = shared[shared["text"].str.contains("energy partnership")]
    assert len(rows) == 1
    r = rows.iloc[0]
    assert {r.doc_id_a, r.doc_id_b} == {"deseret", "student"}
    sides = {r.doc_id_a: (r.start_a, r.end_a), r.doc_id_b: (r.start_b, r.end_b)}
    assert by_doc["deseret"].text[slice(*sides["deseret"])] == ENERGY
    # the student site has a serial comma: "electricity, and nuclear energy"
    assert by_doc["student"].text[slice(*sides["student"])] == ENERGY.replace(
        "electricity and", "electricity, and"
    )
    assert r.n_words == 23


def test_every_shared_ngram_is_covered_and_nothing_else(articles, shared):
    """Independent check: all pairs of articles, Python sets of 8-word tuples."""
    toks = {r.doc_id: _words(r.text) for r in articles.itertuples()}
    outlet = dict(zip(articles.doc_id, articles.outlet, strict=True))
    want = set()
    for a, b in itertools.combinations(toks, 2):
        if outlet[a] == outlet[b]:
            continue
        grams_b = {tuple(toks[b][i : i + 8]) for i in range(len(toks[b]) - 7)}
        for i in range(len(toks[a]) - 7):
            g = tuple(toks[a][i : i + 8])
            if g in grams_b:
                want.add((frozenset({a, b}), g))
    got = set()
    for r in shared.itertuples():
        w = _words(r.text)
        for i in range(len(w) - 7):
            got.add((frozenset({r.doc_id_a, r.doc_id_b}), tuple(w[i : i + 8])))
    assert got == want


def test_shorter_shingles_find_shorter_passages(articles):
    s = shared_passages(articles, n=5)
    saudi = s[s["text"] == "between Saudi Arabia and Iran"]
    assert {frozenset(p) for p in zip(saudi.doc_id_a, saudi.doc_id_b, strict=True)} == {
        frozenset({"student", "scmp"}),
        frozenset({"student", "semafor"}),
        frozenset({"scmp", "semafor"}),
    }
    assert len(s) > 4


@pytest.mark.parametrize("by", ["outlet", "doc_id"])
def test_same_outlet_is_not_shared(by):
    text = "one two three four five six seven eight nine"
    arts = _articles(a=("X", text), b=("X", "Zero " + text), c=("Y", "unrelated words here"))
    s = shared_passages(arts, by=by)
    if by == "outlet":
        assert s.empty
    else:
        assert len(s) == 1
        r = s.iloc[0]
        assert (r.doc_id_a, r.start_a, r.end_a, r.doc_id_b, r.start_b, r.end_b) == (
            "a",
            0,
            len(text),
            "b",
            5,
            5 + len(text),
        )
        assert r.n_words == 9


def test_repeated_passage_and_normalisation():
    q = "We are always open to negotiations with anyone, Putin said"
    a = f'“{q}.” Later: "{q.upper()}" again.'
    b = f"He said: ‘{q.replace('always', 'ALWAYS')}’"
    s = shared_passages(_articles(a=("X", a), b=("Y", b)))
    assert len(s) == 2  # both copies in a pair with the one in b
    for r in s.itertuples():
        assert _words(a[r.start_a : r.end_a]) == _words(q)
        assert _words(b[r.start_b : r.end_b]) == _words(q)
    assert sorted(s["start_a"]) == [1, a.index(q.upper())]


def test_apostrophes_alike():
    text = "China’s peace plan doesn’t include a Russian withdrawal from occupied land"
    s = shared_passages(_articles(a=("X", text), b=("Y", text.replace("’", "'"))))
    assert len(s) == 1 and s.iloc[0].n_words == 11


def test_max_docs_drops_boilerplate():
    line = "Sign up for our newsletter to get the news every day"
    arts = _articles(**{f"d{i}": (f"O{i}", f"Story {i}. {line}") for i in range(4)})
    assert len(shared_passages(arts, max_docs=None)) == 6  # every pair of four outlets
    assert shared_passages(arts, max_docs=3).empty
    assert len(shared_passages(arts, max_docs=4)) == 6


def test_hash_collisions_cannot_make_passages(articles, monkeypatch):
    # every shingle gets the same hash: all windows collide, and the word-by-word check must
    # reject every run that is not really shared
    calls = []

    def colliding(ids, n):
        calls.append(n)
        return np.zeros(len(ids) - n + 1, dtype=np.uint64)

    monkeypatch.setattr(shared_module, "shingle_hashes", colliding)
    s = shared_passages(articles.iloc[:2], max_docs=None)
    assert calls  # the shingles were hashed by the colliding function
    for r in s.itertuples():
        ta = articles.set_index("doc_id").text
        assert _words(ta[r.doc_id_a][r.start_a : r.end_a]) == _words(
            ta[r.doc_id_b][r.start_b : r.end_b]
        )


def test_nothing_shared():
    assert shared_passages(_articles(a=("X", "one two"), b=("Y", "three four"))).empty
    assert shared_passages(_articles(a=("X", "only one article here at all"))).empty


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n=1 is not allowed; use an integer >= 2"),
        ({"n": "8"}, "n='8' is not allowed; use an integer >= 2"),
        ({"by": "leaning"}, "by='leaning' is not a column"),
        ({"max_docs": 1}, "max_docs=1 is not allowed; use an integer >= 2 or None"),
    ],
)
def test_bad_options_raise(articles, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        shared_passages(articles, **kwargs)


@pytest.mark.parametrize("value", ["words", "passages"])
def test_matrix(shared, value):
    m = shared_matrix(shared, outlets=OUTLETS, value=value)
    assert len(m) == 12  # 4 × 3 ordered pairs
    piv = m.pivot(index="outlet_a", columns="outlet_b", values="value")
    assert (piv.fillna(-1) == piv.T.fillna(-1)).all().all()
    expect = {"words": (27, 23, 0), "passages": (1, 1, 0)}[value]
    assert piv.loc["Semafor", "Student news site"] == expect[0]
    assert piv.loc["Deseret News", "Student news site"] == expect[1]
    assert piv.loc["Deseret News", "Semafor"] == expect[2]


def test_bad_value_raises(shared):
    with pytest.raises(ValueError, match=r"value='chars' is not allowed"):
        shared_matrix(shared, value="chars")
    with pytest.raises(ValueError, match=r"value='chars' is not allowed"):
        plot_shared(shared, value="chars")


def test_plot_shared(shared):
    fig, ax = plt.subplots()
    assert plot_shared(shared, outlets=OUTLETS, ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == OUTLETS
    cells = sorted(t.get_text() for t in ax.texts)
    assert cells == sorted(["0"] * 4 + ["23"] * 2 + ["27"] * 6)
    plt.close(fig)
    fig, ax = plt.subplots()
    assert plot_shared(shared.iloc[:0], ax=ax) is ax
    assert not ax.images
    plt.close(fig)


@requires_allsides()
def test_allsides_sample_offsets_match_on_both_sides():
    rows = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 400):
            d = json.loads(line)
            rows.append((d["id"], d["source"], d["text"] or ""))
    arts = pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])
    s = shared_passages(arts)
    assert len(s) > 0
    text = dict(zip(arts.doc_id, arts.text, strict=True))
    out = dict(zip(arts.doc_id, arts.outlet, strict=True))
    for r in s.itertuples():
        assert out[r.doc_id_a] != out[r.doc_id_b]
        wa = _words(text[r.doc_id_a][r.start_a : r.end_a])
        assert wa == _words(text[r.doc_id_b][r.start_b : r.end_b])
        assert len(wa) >= 8


def test_shared_passages_progress_bar_changes_nothing(articles, capfd):
    # issue #12.3
    quiet = framing.shared_passages(articles)
    assert capfd.readouterr().err == ""
    shown = framing.shared_passages(articles, progress=True)
    err = capfd.readouterr().err
    assert "shared passages: words" in err and "shared passages: shingles" in err
    pd.testing.assert_frame_equal(quiet, shown)
    assert len(quiet) > 0
