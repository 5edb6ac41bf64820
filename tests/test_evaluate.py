"""Validation helpers of notebook 04: splitter agreement, shared-passage check, design, terms."""

from __future__ import annotations

import pandas as pd
import pytest

import framing
from framing.methods import (
    design_summary,
    frame_terms,
    shared_check,
    splitter_agreement,
    splitter_disagreements,
)

pytest.importorskip("pysbd")


def test_splitter_agreement_on_the_case_study(articles, sents):
    t = splitter_agreement(articles)
    assert t["doc_id"].tolist() == ["deseret", "student", "scmp", "semafor", "all"]
    ours = sents[sents.kind == "body"].groupby("doc_id").size()
    for r in t.iloc[:-1].itertuples():
        assert r.sentences == ours[r.doc_id]
    total = t.iloc[-1]
    assert total.sentences == 12 + 39 + 22 + 31
    # read by hand: the one boundary pySBD does not make is inside Xi's two-sentence quote in
    # the student article ("… prosperous development. I am confident …")
    assert total.boundaries - total.agreed == 1
    assert total.boundaries_ref == total.agreed
    assert total.precision == pytest.approx(total.agreed / total.boundaries)
    d = splitter_disagreements(articles)
    assert d[["doc_id", "only_in"]].values.tolist() == [["student", "ours"]]
    text = dict(zip(articles.doc_id, articles.text, strict=True))["student"]
    off = d.offset.iloc[0]
    assert text[off - 12 : off] == "development."


def test_splitter_agreement_samples(articles):
    t = splitter_agreement(articles, max_articles=2, seed=0)
    assert len(t) == 3


def test_shared_check(articles):
    sh = framing.shared_passages(articles)
    c = shared_check(sh, articles)
    assert c["equal"].all()
    assert c["words_a"].tolist() == [27, 27, 27, 23]
    bad = sh.assign(end_b=sh["end_b"] - 6)
    assert not shared_check(bad, articles)["equal"].any()


def test_design_summary(articles):
    d = design_summary(articles).set_index("measure")["value"]
    assert d["articles"] == 4
    assert d["values of outlet with a single article"] == 4
    # the manifest marks three dates "published: inferred" (only Semafor prints its date)
    assert d["articles with a date the manifest calls inferred"] == 3
    assert d["dates"] == "2023-03-20 to 2023-03-23"
    with pytest.raises(ValueError, match="by='leaning' is not a column"):
        design_summary(articles, by="leaning")


@pytest.mark.parametrize("by", [None, "outlet"])
def test_frame_terms(sents, by):
    hits = framing.frame_hits(sents)
    t = frame_terms(hits, by=by)
    assert t["hits"].sum() == len(hits)
    keys = ([by] if by else []) + ["frame"]
    assert t.groupby(keys)["share"].sum().round(12).eq(1).all()
    if by is None:
        peace = t[t.frame == "peace and negotiation"].iloc[0]
        # "peace*" hits: deseret 3, student 3, scmp 6, semafor 4 (see test_frames)
        assert (peace.term, peace.hits) == ("peace*", 16)
    assert isinstance(t, pd.DataFrame)


def test_offsets_exact(articles, sents):
    assert framing.offsets_exact(sents, articles) == len(sents)
    hits = framing.frame_hits(sents)
    assert framing.offsets_exact(hits, articles, column="match") == len(hits)
    shifted = sents.assign(start=sents["start"] + 1)
    assert framing.offsets_exact(shifted, articles) == 0


def test_plot_validation():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"check": ["a", "b"], "value": [1.0, 0.5], "n": [10, 4]})
    fig, ax = plt.subplots()
    assert framing.plot_validation(table, ax=ax) is ax
    assert [p.get_width() for p in ax.patches] == [1.0, 0.5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.texts] == ["1.000  (n=10)", "0.500  (n=4)"]
    plt.close(fig)
    fig, ax = plt.subplots()
    assert framing.plot_validation(table.iloc[:0], ax=ax) is ax and not ax.patches
    plt.close(fig)
