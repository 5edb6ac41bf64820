"""Sentence splitting: offsets always exact, abbreviations, quotations and ellipses handled."""

from __future__ import annotations

import pandas as pd
import pytest

import framing
from framing.text.segment import paragraph_spans, split_sentences


def _split(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_offsets_always_point_into_the_article(articles, sents):
    text = dict(zip(articles.doc_id, articles.text, strict=True))
    for r in sents.itertuples():
        assert text[r.doc_id][r.start : r.end] == r.text
        assert r.text == r.text.strip() and r.text
    # keyed by doc_id and sent_id: article columns (outlet …) are joined with join_articles
    assert list(sents.columns) == [
        "doc_id",
        "para_id",
        "sent_id",
        "start",
        "end",
        "text",
        "kind",
    ]


def test_sentence_counts_checked_by_reading(sents):
    # read sentence by sentence from the cleaned articles (see notebooks/00-corpus.ipynb)
    body = sents[sents.kind == "body"].groupby("doc_id").size().to_dict()
    assert body == {"deseret": 12, "student": 39, "scmp": 22, "semafor": 31}


def test_sent_ids_are_consecutive_per_article(sents):
    for _, g in sents.groupby("doc_id"):
        assert g.sent_id.tolist() == list(range(len(g)))
        assert g.start.is_monotonic_increasing


@pytest.mark.parametrize(
    "text, expected",
    [
        # abbreviations and titles do not end sentences
        ("On Monday, U.S. Secretary of State Antony Blinken spoke.", 1),
        ("A spokesperson for U.K. Prime Minister Rishi Sunak agreed.", 1),
        ("Mr Xi met Mr. Putin and Dr. Smith. They talked.", 2),
        ("They met at 9 a.m. Tuesday in Moscow.", 1),
        ("George W. Bush spoke. Then he left.", 2),
        ("It was Mar. 20 in Moscow.", 1),
        # a dotted abbreviation at a sentence end still ends it when a sentence follows
        ("He flew to the U.S. The talks ended.", 2),
        # quotations ending in ." or .” end the sentence with the quote
        ("He said “no.” Then he left.", 2),
        ('He said "no." Then he left.', 2),
        ("He said “no,” and left.", 1),
        # ellipses
        ("China has not stood idly by ... or taken the opportunity.", 1),
        ("It highlighted “respecting the sovereignty of all countries… all parties must stay rational”.", 1),
        ("He paused... Then he spoke.", 2),
        ("Is it over? Yes! It is.", 3),
    ],
)  # fmt: skip
def test_split(text, expected):
    out = _split(text)
    assert len(out) == expected, out
    assert "".join(out).replace(" ", "") == text.replace(" ", "")


def test_real_quotation_sentences(sents):
    texts = sents.text.tolist()
    assert (
        "“We expect Beijing to use its influence on Moscow to make it put an end to the aggressive "
        "war against Ukraine,” Nikolenko said."
    ) in texts
    assert (
        "Mr Putin praised China’s leadership, as it is “overserving the principles of justice” and "
        "fighting for “undivided security for every country.”"
    ) in texts
    # the Deseret ellipsis inside the Wang Wenbin quote does not split the sentence
    wang = [t for t in texts if t.startswith("Chinese Foreign Ministry spokesperson Wang Wenbin")]
    assert len(wang) == 1 and wang[0].endswith("per The Associated Press.")


def test_leading_and_trailing_space_is_not_part_of_a_sentence():
    text = "  First one.   Second one.  "
    assert [text[a:b] for a, b in split_sentences(text)] == ["First one.", "Second one."]
    assert split_sentences("   ") == []


def test_sentences_of_an_article_table_without_headings():
    df = pd.DataFrame({"doc_id": ["x"], "outlet": ["o"], "text": ["Short title\n\nOne. Two."]})
    out = framing.sentences(df)
    assert out.kind.tolist() == ["heading", "body", "body"]
    assert out.para_id.tolist() == [0, 1, 1]
    assert "outlet" not in out  # the table is keyed; only doc_id and text are read
    # doc_id and text are all it needs
    pd.testing.assert_frame_equal(framing.sentences(df[["doc_id", "text"]]), out)


def test_sentences_of_the_tiny_corpus_and_their_outlets(tiny):
    out = framing.sentences(tiny)
    assert out.text.tolist() == [
        "Xi Jinping arrived in Moscow on Monday.",
        "Vladimir Putin met him at the Kremlin.",
        "“We are old friends,” Putin said.",
        "The talks went on for hours.",
        "The peace plan was discussed.",
        "Farmers planted corn in the valley.",
        "The rain came late.",
    ]
    assert out.doc_id.tolist() == ["n1"] * 3 + ["n2"] * 2 + ["s1"] * 2
    assert out.para_id.tolist() == [0, 0, 1, 0, 0, 0, 0]
    assert out.sent_id.tolist() == [0, 1, 2, 0, 1, 0, 1]
    assert out[["start", "end"]].values.tolist()[:3] == [[0, 39], [40, 78], [80, 113]]
    assert set(out.kind) == {"body"}
    # the outlet comes from the article table, joined on doc_id right after it
    joined = framing.join_articles(out, tiny)
    assert list(joined.columns[:3]) == ["doc_id", "outlet", "para_id"]
    assert joined.groupby("outlet").size().to_dict() == {"North Herald": 5, "South Ledger": 2}


def test_paragraph_spans():
    text = "  First para.\n\nSecond\nstill second.  \n\n\n\nThird."
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["First para.", "Second\nstill second.", "Third."]
    assert paragraph_spans("") == [] and paragraph_spans("\n\n \n\n") == []


def test_sentences_progress_bar_changes_nothing(articles, capsys):
    quiet = framing.sentences(articles)
    assert capsys.readouterr().err == ""
    shown = framing.sentences(articles, progress=True)
    assert "sentences: 100%" in capsys.readouterr().err
    pd.testing.assert_frame_equal(quiet, shown)
