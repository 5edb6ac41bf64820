"""framing.groups: choosing outlets for the notebooks (a list, the top N by size, or a grouping
column), the largest groups a capped figure draws, and join_articles, the one join that puts an
article column (outlet, a leaning …) into a keyed table for the measures to compare."""

from __future__ import annotations

import pandas as pd
import pytest

import framing
from framing.groups import largest_groups
from tests.conftest import ROOT

FIX = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture()
def many() -> pd.DataFrame:
    # five outlets of sizes 4, 3, 3, 1, 1 with a left/right grouping column
    outlets = ["A"] * 4 + ["B"] * 3 + ["C"] * 3 + ["D", "E"]
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(12)],
            "outlet": outlets,
            "n_words": [10, 10, 10, 10, 5, 5, 5, 9, 9, 9, 1, 1],
            "bias_text": ["left"] * 7 + ["right"] * 5,
        }
    )


def test_top_n_by_articles_ties_by_words(many):
    t = framing.outlet_table(many, top_outlets=2)
    assert t.group.tolist() == ["A", "C", "B", "D", "E"]  # C (27 words) before B (15)
    assert t.kept.tolist() == [True, True, False, False, False]
    assert t.why.tolist()[:3] == ["top 2 by articles", "top 2 by articles", "beyond top 2"]
    sel = framing.select_outlets(many, top_outlets=2)
    assert sel.outlet.tolist() == ["A"] * 4 + ["C"] * 3


@pytest.mark.parametrize("outlets", [["B", "E"], "B, E", ("E", "B")])
def test_chosen_list_or_comma_string(many, outlets):
    sel = framing.select_outlets(many, outlets=outlets, top_outlets=1)
    assert sel.outlet.tolist() == ["B", "B", "B", "E"]


def test_grouping_column(many):
    t = framing.outlet_table(many, by="bias_text")
    assert t[["group", "n_articles", "why"]].values.tolist() == [
        ["left", 7, "all groups"],
        ["right", 5, "all groups"],
    ]
    assert len(framing.select_outlets(many, by="bias_text", top_outlets=None)) == 12


def test_note_says_what_is_left_out(many):
    assert framing.selection_note(many, top_outlets=2) == (
        "Comparing 2 of 5 values of outlet (top 2 by articles): 7 of 12 articles; "
        "3 groups with 5 articles are left out."
    )
    one = framing.selection_note(many, outlets=["A"])
    assert one.endswith("Only one outlet is kept: comparisons between groups are not possible.")


def test_case_study_keeps_all_four(articles):
    assert framing.select_outlets(articles).doc_id.tolist() == list(articles.doc_id)
    assert framing.selection_note(articles).endswith("nothing is left out.")


def test_selection_keeps_the_load_report():
    df = framing.load_corpus(FIX / "articles.toml")
    sel = framing.select_outlets(df, outlets=["Daily Planet"])
    assert framing.load_report(sel).equals(framing.load_report(df))


def test_join_articles_inserts_the_columns_after_doc_id(articles, sents):
    out = framing.join_articles(sents, articles)
    assert list(out.columns) == ["doc_id", "outlet", *list(sents.columns)[1:]]
    # every row and its order kept, the other columns untouched
    assert out.index.equals(sents.index)
    pd.testing.assert_frame_equal(out.drop(columns="outlet"), sents)
    expected = sents["doc_id"].map(dict(zip(articles["doc_id"], articles["outlet"], strict=True)))
    assert out["outlet"].tolist() == expected.tolist()
    assert out.groupby("outlet").size().to_dict() == {
        "Deseret News": 15, "Semafor": 40, "South China Morning Post": 22, "Student news site": 39,
    }  # fmt: skip
    assert "outlet" not in sents.columns  # a copy: the input is not changed


def test_join_articles_several_columns_in_the_order_given(articles, sents):
    hits = framing.frame_hits(sents)  # another keyed table, sent_id and offsets after doc_id
    out = framing.join_articles(hits, articles, ["title", "outlet", "published"])
    assert list(out.columns[:4]) == ["doc_id", "title", "outlet", "published"]
    assert list(out.columns[4:]) == list(hits.columns[1:])
    by_doc = articles.set_index("doc_id")
    for col in ("title", "outlet", "published"):
        assert out[col].tolist() == by_doc.loc[hits["doc_id"], col].tolist()
    pd.testing.assert_frame_equal(out[hits.columns], hits)


def test_join_articles_keeps_a_column_already_there(articles, sents):
    once = framing.join_articles(sents, articles, "title")
    mine = once.assign(title="my own title")
    again = framing.join_articles(mine, articles, ["title", "outlet"])
    assert (again["title"] == "my own title").all()  # the table's own column is kept as it is
    assert list(again.columns) == ["doc_id", "outlet", "title", *list(sents.columns)[1:]]
    pd.testing.assert_frame_equal(framing.join_articles(once, articles, "title"), once)
    # asking for doc_id itself adds nothing
    pd.testing.assert_frame_equal(framing.join_articles(sents, articles, "doc_id"), sents)


def test_join_articles_refuses_unknown_columns_and_tables_without_doc_id(articles, sents):
    with pytest.raises(ValueError, match=r"columns='bias' is not a column of the articles"):
        framing.join_articles(sents, articles, "bias")
    with pytest.raises(ValueError, match=r"columns='bias' is not a column"):
        framing.join_articles(sents, articles, ["outlet", "bias"])
    with pytest.raises(ValueError, match=r"table has no 'doc_id' column"):
        framing.join_articles(sents.drop(columns="doc_id"), articles)


def test_largest_groups_most_articles_first_ties_by_name():
    a = pd.DataFrame({"outlet": ["b", "a", "c", "c", "b", "d", "c"]})
    assert largest_groups(a, limit=3) == ["c", "b", "a"]  # c 3, b 2, then a before d (1 each)
    assert largest_groups(a, limit=10) == ["c", "b", "a", "d"]
    with pytest.raises(ValueError, match="limit=0"):
        largest_groups(a, limit=0)
    with pytest.raises(ValueError, match="by='bias'"):
        largest_groups(a, by="bias", limit=2)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"by": "nope"}, "by='nope' is not a column"),
        ({"top_outlets": 0}, "top_outlets=0"),
        ({"top_outlets": "3"}, "top_outlets='3'"),
        ({"outlets": ["A", "Z"]}, "outlets=['Z'] do not occur in column 'outlet'"),
    ],
)
def test_bad_values_raise(many, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        framing.select_outlets(many, **kwargs)
