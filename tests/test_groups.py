"""Choosing outlets for the notebooks: a list, the top N by size, or a grouping column."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT

import framing

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


def test_add_group(many, articles, sents):
    out = framing.add_group(sents, articles, by="title")
    assert (out.title == out.doc_id.map(articles.set_index("doc_id").title)).all()
    assert framing.add_group(out, articles, by="title") is out


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
