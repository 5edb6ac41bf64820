"""Actor mentions per 1,000 words and their KWIC evidence (framing.measures.mentions), on the
real articles; and their plot (framing.plots.mentions)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from framing import count_words, mention_kwic, mention_rates, plot_mention_rates  # noqa: E402


@pytest.fixture(scope="module")
def rates(outlet_sents):
    return mention_rates(outlet_sents)


def test_rates_by_hand(rates, sents, by_doc):
    body = sents[(sents["doc_id"] == "deseret") & (sents["kind"] == "body")]
    words = sum(count_words(t) for t in body["text"])
    # Wang Wenbin: "Wang Wenbin said" and "Wang stated", both in body sentences
    wang = rates[(rates["outlet"] == "Deseret News") & (rates["actor"] == "Wang Wenbin")].iloc[0]
    assert (wang["mentions"], wang["n_docs"], wang["words"]) == (2, 1, words)
    assert wang["per_1000"] == pytest.approx(2000 / words)
    assert by_doc["deseret"].text.count("Wang") == 2


def test_every_count_has_its_evidence(rates, sents, articles):
    kwic = mention_kwic(sents)  # keyed: the evidence of every group, the outlet joined after
    assert list(kwic.columns) == [
        "doc_id", "sent_id", "start", "end", "actor", "type", "left", "alias", "right",
    ]  # fmt: skip
    assert len(kwic) == rates["mentions"].sum()
    per = framing.join_articles(kwic, articles).groupby(["outlet", "actor"]).size()
    nz = rates[rates["mentions"] > 0].set_index(["outlet", "actor"])["mentions"]
    assert per.reindex(nz.index).eq(nz).all()


def test_kwic_offsets(sents, by_doc):
    kwic = mention_kwic(sents, actor="Antony Blinken", width=20)
    assert len(kwic) and set(kwic["actor"]) == {"Antony Blinken"}
    for r in kwic.itertuples(index=False):
        text = by_doc[r.doc_id].text
        assert text[r.start : r.end] == r.alias
        assert text[r.start - len(r.left) : r.start].replace("\n", " ") == r.left
        assert len(r.left) <= 20 and len(r.right) <= 20
    assert "Anthony Blinken" in set(kwic["alias"])


def test_zero_rows_kept_and_grid_complete(rates):
    n_out = rates["outlet"].nunique()
    assert rates.groupby("actor").size().eq(n_out).all()
    assert (rates["mentions"] == 0).any()


@pytest.mark.parametrize("include_headings", [False, True])
def test_headings_option(outlet_sents, include_headings):
    sents = outlet_sents
    r = mention_rates(sents, include_headings=include_headings)
    rows = sents if include_headings else sents[sents["kind"] == "body"]
    assert r.drop_duplicates("outlet")["words"].sum() == sum(count_words(t) for t in rows["text"])


def test_article_table_and_other_grouping(articles, outlet_sents):
    r = mention_rates(articles)
    assert r.drop_duplicates("outlet")["words"].sum() == articles["n_words"].sum()
    arts = articles.assign(group=["A", "A", "B", "B"])
    # sentences are keyed: the group is joined from the articles (mention_rates(articles=) is
    # gone); each group's counts are its outlets' together
    g = mention_rates(framing.join_articles(framing.sentences(arts), arts, "group"), by="group")
    assert set(g["group"]) == {"A", "B"}
    o = mention_rates(outlet_sents).assign(
        group=lambda t: t["outlet"].map(dict(zip(arts["outlet"], arts["group"], strict=True)))
    )
    for col in ("mentions", "n_docs"):
        assert (
            g.groupby(["group", "actor"])[col]
            .sum()
            .equals(o.groupby(["group", "actor"])[col].sum())
        )
    with pytest.raises(ValueError, match="add it with framing.join_articles"):
        mention_rates(framing.sentences(arts), by="group")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"by": "nope"}, "by="), ({"include_headings": "yes"}, "include_headings")],
)
def test_rates_bad_values(outlet_sents, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mention_rates(outlet_sents, **kwargs)


def test_keyed_sentences_need_the_outlet_joined(sents):
    with pytest.raises(ValueError, match="by='outlet' is not a column of data"):
        mention_rates(sents)


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"width": 0}, "width"), ({"actor": "Nobody"}, "actor")]
)
def test_kwic_bad_values(sents, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mention_kwic(sents, **kwargs)


@pytest.mark.parametrize("top", [1, 5])
def test_plot_mention_rates(rates, top):
    fig, ax = plt.subplots()
    assert plot_mention_rates(rates, top=top, ax=ax) is ax
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == top
    assert labels[0] == rates.groupby("actor")["mentions"].sum().idxmax()
    plt.close(fig)


def test_plot_mention_rates_empty_and_bad(rates):
    fig, ax = plt.subplots()
    assert plot_mention_rates(rates.iloc[:0], ax=ax) is ax
    assert not ax.images
    with pytest.raises(ValueError, match="top"):
        plot_mention_rates(rates, top=0, ax=ax)
    plt.close(fig)
