"""Tone aimed at an actor (issue #16): the rule on real case-study sentences, and VADER's scores."""

from __future__ import annotations

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import framing


@pytest.fixture(scope="module")
def units(sents):
    """Body sentences of the case study naming an actor, each with its first-named actor."""
    body = sents[sents["kind"] == "body"]
    m = framing.actor_mentions(body).sort_values("start", kind="stable")
    first = m.groupby(["doc_id", "sent_id"]).first().reset_index()
    first = first.rename(columns={"start": "mention_start", "end": "mention_end"})
    return body.merge(first[["doc_id", "sent_id", "actor", "mention_start", "mention_end"]])


@pytest.fixture(scope="module")
def aimed(units, articles):
    return framing.aimed_tone(units, articles).merge(units[["doc_id", "sent_id", "text"]])


def _row(aimed, doc_id, sent_id):
    return aimed[(aimed["doc_id"] == doc_id) & (aimed["sent_id"] == sent_id)].iloc[0]


def test_whole_sentences_score_exactly_as_vadersentiment(aimed):
    vader = SentimentIntensityAnalyzer()
    assert len(aimed) == 88
    for text, whole, label in aimed[["text", "whole", "tone_whole"]].itertuples(index=False):
        c = vader.polarity_scores(text)["compound"]
        assert whole == c
        assert label == (1 if c >= 0.05 else -1 if c <= -0.05 else 0)
    for text, score in aimed[["aimed_text", "aimed"]].itertuples(index=False):
        assert score == vader.polarity_scores(text)["compound"]


def test_the_actors_own_quotation_is_removed(aimed):
    # student 4: Xi's own praise of Russia is Xi's words about Russia, not tone toward Xi
    r = _row(aimed, "student", 4)
    assert r["actor"] == "Xi Jinping" and r["quotes_removed"] == 1
    assert r["text"].startswith("As a response, Mr Xi replied by stating that “under your strong")
    assert r["aimed_text"] == "As a response, Mr Xi replied by stating that"
    assert r["whole"] == pytest.approx(0.8885) and r["aimed"] == 0.0
    assert (r["tone_whole"], r["tone_aimed"]) == (1, 0)


def test_other_peoples_quotations_about_the_actor_stay(aimed):
    # deseret 14: Blinken's quoted words about Xi are tone toward Xi and stay; the clause ends
    # at the comma before "and instead"
    r = _row(aimed, "deseret", 14)
    assert r["actor"] == "Xi Jinping" and r["quotes_removed"] == 0 and r["rule_used"] == "clause"
    assert r["aimed_text"] == (
        "“That President Xi is traveling to Russia days after the International Criminal Court "
        "issued an arrest warrant for President Putin suggests that China feels no "
        "responsibility to hold the Kremlin accountable for the atrocities committed in Ukraine"
    )


@pytest.mark.parametrize(
    "doc_id, sent_id, clause",
    [
        # ", because" closes the clause about China's plan
        ("deseret", 7, "China’s 12-point peace plan, however, has been criticized by Ukraine and the West"),
        # ", which" opens a relative clause about the court, not about Xi
        ("scmp", 19, "Xi’s visit follows Friday’s release of an arrest warrant for Putin by the International Criminal Court"),
        # ", while" closes the clause about Washington's dismissal of China's plan
        ("scmp", 7, "Washington has largely dismissed China’s recent 12-point peace plan as one-sided, unworkable and a rehash of past ideas"),
    ],
)  # fmt: skip
def test_the_clause_naming_the_actor(aimed, doc_id, sent_id, clause):
    r = _row(aimed, doc_id, sent_id)
    assert r["rule_used"] == "clause" and r["aimed_text"] == clause


def test_window_rule(units, articles):
    one = units[(units["doc_id"] == "scmp") & (units["sent_id"] == 19)]
    got = framing.aimed_tone(one, articles, rule="window", window=3).iloc[0]
    # three words on each side of "Xi’s" (the first word): "Xi’s visit follows Friday’s"
    assert got["aimed_text"] == "Xi’s visit follows Friday’s" and got["rule_used"] == "window"
    # without mention offsets the actor's first spelling in the sentence is found
    found = framing.aimed_tone(one.drop(columns=["mention_start", "mention_end"]), articles)
    assert found.loc[0, "mention_start"] == one["mention_start"].iloc[0]


@pytest.mark.parametrize(
    "kwargs, message",
    [({"rule": "sentence"}, r"rule='sentence' is not allowed; expected one of \['clause', 'window'\]"),
     ({"window": 0}, "window=0 is not allowed")],
)  # fmt: skip
def test_bad_options(units, articles, kwargs, message):
    with pytest.raises(ValueError, match=message):
        framing.aimed_tone(units.head(1), articles, **kwargs)


def test_tone_label_cutoffs():
    got = framing.tone_label(pd.Series([-0.05, -0.0499, 0.0, 0.0499, 0.05]))
    assert got.tolist() == [-1, 0, 0, 0, 1]
