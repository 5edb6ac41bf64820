"""Texts of one line (headlines, posts) are their own body, on real AllSides titles (#15.4)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import framing
from framing.text.cleaning import clean_text, generic_rules
from tests.conftest import ALLSIDES, ROOT, requires_allsides

TITLES = ROOT / "tests" / "fixtures" / "boilerplate" / "titles.jsonl"
HEADLINE = "Trump hails ‘new American moment’ in first State of the Union address"


def test_a_one_line_text_is_body_whatever_its_punctuation():
    out = clean_text(HEADLINE, generic_rules())
    assert out.text == HEADLINE and out.removed == []
    assert out.paragraphs == [(0, len(HEADLINE), False, 1)]  # not a heading


def test_a_one_line_text_equal_to_its_title_is_kept():
    out = clean_text(f"\n{HEADLINE}\n", generic_rules(), title=HEADLINE)
    assert out.text == HEADLINE and out.removed == []
    # with more lines, the title line is the headline, removed as before
    two = clean_text(f"{HEADLINE}\n\nThe president spoke for 80 minutes.", generic_rules(),
                     title=HEADLINE)  # fmt: skip
    assert [r[2] for r in two.removed] == ["headline"]


def test_several_lines_of_headings_are_still_no_body():
    out = clean_text("Prayer and politics in Congress\n\nAgainst the New Nationalism", ())
    assert [heading for *_, heading, _ in out.paragraphs] == [True, True]
    # and a lone number is not a text
    assert clean_text("12345", ()).paragraphs == [(0, 5, True, 1)]


def test_sentences_of_a_one_paragraph_text_are_body():
    df = pd.DataFrame({"doc_id": ["a", "b"], "text": [HEADLINE, f"{HEADLINE}\n\nIt ran late."]})
    got = framing.sentences(df)
    assert got[["doc_id", "kind"]].values.tolist() == [["a", "body"], ["b", "heading"],
                                                        ["b", "body"]]  # fmt: skip


@pytest.mark.parametrize("columns", [{"text": "title"}, {"text": "title", "title": "title"}])
def test_a_corpus_of_headlines_loads(columns):
    rows = [json.loads(line) for line in TITLES.read_text(encoding="utf-8").splitlines()]
    titles = [r["title"] for r in rows]
    # before, 35 of these 40 one-line texts were only a heading: debris_only, dropped
    assert sum(framing.text.cleaning.is_heading(t) for t in titles) == 35
    df = framing.load_corpus(TITLES, columns=columns, on_error="drop", cache=False)
    assert df.text.tolist() == [t.strip() for t in titles]
    assert framing.load_report(df).reason.value_counts().to_dict() == {"missing_date": 2}
    sents = framing.sentences(df)
    assert set(sents.kind) == {"body"} and sents.doc_id.nunique() == 40
    assert framing.cleaning_audit(df).empty


@requires_allsides()
def test_allsides_titles_as_texts_load():
    df = framing.load_corpus(
        ALLSIDES,
        columns={"text": "title", "outlet": "source"},
        date_formats=["iso", "%m/%d/%y"],
        on_error="drop",
        limit=5000,
        cache=False,
        boilerplate=False,
    )
    reasons = framing.load_report(df, level="reasons").set_index("reason").n_rows.to_dict()
    assert "debris_only" not in reasons
    assert (
        len(df)
        + reasons.get("duplicate_text", 0)
        + reasons.get("unparseable_date", 0)
        + (reasons.get("impossible_date", 0) + reasons.get("empty_text", 0))
        == 5000
    )
    assert (framing.sentences(df).kind == "body").all()
