"""Events and time (issue #17) on a synthetic corpus whose answer is known.

Six events, three grim (tone -0.5) and three glad (+0.5); outlet A covers the grim ones more
(8 articles to B's 2) and the glad ones less (2 to 8). Within every event A writes 0.1 less
warmly than B (A: event tone - 0.05, B: + 0.05), and A calls things a "crisis" where B says
"update"; otherwise their sentences are the same. So the true within-event difference is -0.05
for A and +0.05 for B, while the pooled means (-0.35 and +0.35) mostly show which events each
covered. A seventh event only A covered. Dates: event k's articles are in month k of 2021.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import framing
from framing.measures import events as E

TOPICS = ["flood", "storm", "fire", "fair", "concert", "harvest", "bridge"]
TONE = [-0.5, -0.5, -0.5, 0.5, 0.5, 0.5, 0.0]
# articles per (event, outlet): A covers the grim events more; event 6 is A's alone
COVER = {"A": [8, 8, 8, 2, 2, 2, 3], "B": [2, 2, 2, 8, 8, 8, 0]}
SHIFT = {"A": -0.05, "B": 0.05}
WORD = {"A": "crisis", "B": "update"}


def _synthetic() -> pd.DataFrame:
    rows = []
    for outlet, counts in COVER.items():
        for e, n in enumerate(counts):
            for i in range(n):
                doc = f"{outlet}-{e}-{i}"
                texts = [
                    f"The {TOPICS[e]} report came out today.",
                    f"Officials called the {TOPICS[e]} a {WORD[outlet]}.",
                    f"Residents spoke about the {TOPICS[e]} again.",
                ]
                for s, text in enumerate(texts):
                    # tones spread around the article's mean so resampling has work to do
                    spread = (s - 1) * 0.02 + (i % 3 - 1) * 0.01
                    rows.append({
                        "doc_id": doc, "sent_id": s, "kind": "body", "outlet": outlet,
                        "event": f"E{e}", "topic": TOPICS[e],
                        "published": pd.Timestamp(2021, e + 1, 1 + i),
                        "compound": TONE[e] + SHIFT[outlet] + spread, "text": text,
                    })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return _synthetic()


# --- event_contrasts, summarize_contrasts, event_coverage ---------------------------------------


def test_within_event_differences_recover_the_true_difference(table):
    c = E.event_contrasts(table, by="outlet", event="event", value="compound")
    assert list(c.columns) == ["event", "outlet", "value", "event_mean", "difference", "n"]
    assert set(c["event"]) == {f"E{k}" for k in range(6)}  # E6: A only, not compared
    # the spreads cancel within an article's three sentences, and articles' spreads cancel
    # in threes: the difference is the true one wherever a group has a multiple of 3 articles
    for r in c.itertuples():
        assert r.difference == pytest.approx(SHIFT[r.outlet] - 0.0, abs=0.01)
        assert r.n == 3 * COVER[r.outlet][int(r.event[1])]
    s = E.summarize_contrasts(c, by="outlet", n_boot=500).set_index("outlet")
    assert list(s.columns) == [
        "mean_difference", "ci_low", "ci_high", "n_events", "share_events_above"
    ]  # fmt: skip
    assert s.loc["A", "mean_difference"] == pytest.approx(-0.05, abs=0.005)
    assert s.loc["B", "mean_difference"] == pytest.approx(0.05, abs=0.005)
    assert s.loc["A", "ci_high"] < 0 < s.loc["B", "ci_low"]
    assert s["n_events"].tolist() == [6, 6]
    assert s.loc["A", "share_events_above"] == 0 and s.loc["B", "share_events_above"] == 1


def test_the_pooled_comparison_is_misleading_here(table):
    # composition: A's pooled mean is mostly the grim events it covered
    pooled = framing.outlet_sentiment(table, n_boot=200).set_index("outlet")["mean_compound"]
    assert pooled["A"] < -0.2 and pooled["B"] > 0.3
    assert pooled["B"] - pooled["A"] > 5 * 0.1  # the true within-event gap is 0.1


def test_events_covered_by_one_group_are_reported(table):
    c = E.event_contrasts(table, by="outlet", event="event")
    single = c.attrs["single_group_events"]
    assert single["event"].tolist() == ["E6"] and single["only_group"].tolist() == ["A"]
    assert single["n_articles"].tolist() == [3]
    cov = E.event_coverage(table, by="outlet", event="event")
    assert list(cov.columns) == [
        "event", "n_groups", "n_rows", "n_articles", "compared", "only_group"
    ]  # fmt: skip
    assert cov.set_index("event")["compared"].to_dict() == {
        **{f"E{k}": True for k in range(6)}, "E6": False
    }  # fmt: skip
    assert cov["only_group"].isna().sum() == 6
    assert c.attrs["dropped_rows"] == 0


def test_ratio_values_and_rows_without_an_event(table):
    t = table.assign(hits=table["text"].str.contains("crisis").astype(int), words=6)
    t.loc[t.index[:3], "event"] = None  # three rows without an event
    c = E.event_contrasts(t, event="event", value="hits", denominator="words")
    assert c.attrs["dropped_rows"] == 3
    a = c[c["outlet"] == "A"]
    # A: one "crisis" sentence in three, each of 6 words: 1000 / 18 per 1,000 words
    assert np.allclose(a["value"], 1000 / 18)
    assert np.allclose(c[c["outlet"] == "B"]["value"], 0)
    assert np.allclose(a["difference"], 500 / 18)
    same = E.event_contrasts(t, event="event", value="hits", denominator="words", scale=1)
    assert np.allclose(same["value"] * 1000, c["value"])


def test_summary_of_a_single_event_has_no_interval(table):
    one = E.event_contrasts(table[table["event"] == "E0"], event="event")
    s = E.summarize_contrasts(one, n_boot=50)
    assert s["n_events"].tolist() == [1, 1] and s["ci_low"].isna().all()
    assert s["mean_difference"].notna().all()


@pytest.mark.parametrize(
    ("fn", "kwargs", "message"),
    [
        (E.event_contrasts, {"event": "story"}, "event='story' is not a column of the table"),
        (E.event_contrasts, {"value": "tone"}, "value='tone' is not a column of the table"),
        (E.event_contrasts, {"denominator": "words"}, "denominator='words' is not a column"),
        (E.event_contrasts, {"denominator": "sent_id", "scale": 0}, "scale=0 is not allowed"),
        (E.event_coverage, {"by": "source"}, "by='source' is not a column of the table"),
        (E.date_events, {"freq": "M"}, "freq='M' is not allowed; use one of ['D', 'W', 'MS'"),
        (E.date_events, {"within": "story"}, "within='story' is not a column"),
        (E.over_time, {"freq": "week"}, "freq='week' is not allowed"),
        (E.over_time, {"n_boot": 0}, "n_boot=0 is not allowed; use an integer >= 1"),
        (E.over_time, {"min_articles": 0}, "min_articles=0 is not allowed"),
        (E.over_time, {"ci": 2}, "ci=2 is not allowed"),
        (E.over_time, {"units": "story"}, "units='story' is not a column"),
        (E.over_time, {"date": "when"}, "date='when' is not a column"),
    ],
)
def test_bad_options_raise(table, fn, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        fn(table, **kwargs)


def test_bad_summary_options_raise(table):
    c = E.event_contrasts(table, event="event")
    with pytest.raises(ValueError, match=re.escape("n_boot=0 is not allowed")):
        E.summarize_contrasts(c, n_boot=0)
    with pytest.raises(ValueError, match=re.escape("ci=1 is not allowed")):
        E.summarize_contrasts(c, ci=1)
    with pytest.raises(ValueError, match=re.escape("contrasts='difference' is not a column")):
        E.summarize_contrasts(table)


# --- date windows -------------------------------------------------------------------------------


def test_date_events_make_windows_and_leave_undated_rows_without_one(table):
    t = table.copy()
    t.loc[t.index[0], "published"] = pd.NaT
    w = E.date_events(t, freq="MS")
    assert w.loc[w.index[1], "event"] == "2021-01" and pd.isna(w.loc[w.index[0], "event"])
    weeks = E.date_events(t, freq="W", within="topic", name="story")
    # 2021-01-04 is a Monday: its week runs to Sunday the 10th
    row = weeks[(weeks["published"] == "2021-01-05") & (weeks["topic"] == "flood")].iloc[0]
    assert row["story"] == "flood | 2021-01-04/2021-01-10"
    assert list(weeks.columns[:-1]) == list(t.columns)


# --- within-event log-odds ----------------------------------------------------------------------


def test_within_event_log_odds_remove_the_topic_words(table):
    pooled = framing.log_odds(table, by="outlet").set_index(["outlet", "term"])
    within = framing.log_odds(table, by="outlet", event="event")
    assert list(within.columns) == [
        "outlet", "term", "count_in", "count_out", "log_odds", "z", "n_events"
    ]  # fmt: skip
    w = within.set_index(["outlet", "term"])
    # pooled: A "leans on" the grim events' words because it covered those events more
    for a, b in [("A", t) for t in TOPICS[:3]] + [("B", t) for t in TOPICS[3:6]]:
        assert pooled.loc[(a, b), "z"] > 1.5
    # within events both outlets use the topic words alike: nothing left
    for topic in TOPICS[:6]:
        assert abs(w.loc[("A", topic), "z"]) < 0.5
    # the real difference survives, and tops each outlet's list
    assert within.groupby("outlet").head(1).set_index("outlet")["term"].to_dict() == {
        "A": "crisis", "B": "update"
    }  # fmt: skip
    assert w.loc[("A", "crisis"), "n_events"] == 6  # E6, A's alone, contributes nothing
    assert w.loc[("A", "crisis"), "count_in"] == sum(COVER["A"][:6])
    assert within.attrs["single_group_events"]["event"].tolist() == ["E6"]


def test_within_event_log_odds_pool_the_events_by_inverse_variance(table):
    # one event alone gives the plain log-odds of that event's rows
    one = table[table["event"] == "E0"]
    plain = framing.log_odds(one, by="outlet").set_index(["outlet", "term"])
    within = framing.log_odds(one, by="outlet", event="event").set_index(["outlet", "term"])
    joined = within.join(plain, suffixes=("", "_plain"))
    assert np.allclose(joined["log_odds"], joined["log_odds_plain"])
    assert np.allclose(joined["z"], joined["z_plain"])


def test_within_event_log_odds_need_the_table(table):
    with pytest.raises(ValueError, match=re.escape("event='story' is not a column")):
        framing.log_odds(table, event="story")
    counts = framing.term_counts(table)
    with pytest.raises(ValueError, match="needs the table"):
        framing.log_odds(counts, event="event")


# --- over time ----------------------------------------------------------------------------------


def test_over_time_means_counts_and_sparse_points(table):
    t = table.copy()
    t.loc[t.index[:3], "published"] = pd.NaT  # one article without a date
    got = E.over_time(t, by="outlet", freq="MS", n_boot=200, min_articles=3)
    assert list(got.columns) == [
        "outlet", "period", "value", "ci_low", "ci_high", "n_articles", "n_rows", "resampled",
        "n_units", "sparse",
    ]  # fmt: skip
    dated = t[t["published"].notna()]
    want = dated.groupby(["outlet", dated["published"].dt.to_period("M").dt.start_time])
    means = want["compound"].mean()
    assert np.allclose(got.set_index(["outlet", "period"])["value"], means)
    arts = want["doc_id"].nunique().to_numpy()
    assert (got["n_articles"].to_numpy() == arts).all()
    assert (got["sparse"] == (got["n_articles"] < 3)).all()
    assert set(got.loc[got["n_articles"] >= 2, "resampled"]) == {"articles"}
    assert (got["ci_low"] <= got["value"]).all() and (got["value"] <= got["ci_high"]).all()
    assert got.attrs["undated_rows"] == 3 and got.attrs["undated_articles"] == 1
    assert got.attrs["min_articles"] == 3 and got.attrs["measure"] == "compound"
    # B never covered E6 (July): the month is absent for B, not zero
    assert not ((got["outlet"] == "B") & (got["period"] == "2021-07-01")).any()


def test_over_time_term_rate(table):
    got = E.over_time(table, freq="MS", term="Crisis", n_boot=100)
    assert got.attrs["measure"] == "'crisis' per 1,000 words"
    # A: one "crisis" in every article of three six-word sentences
    a = got[got["outlet"] == "A"]
    assert np.allclose(a["value"], 1000 / 18) and np.allclose(got[got.outlet == "B"]["value"], 0)
    rows = framing.term_columns(table, ["crisis"])
    by_hand = E.over_time(rows, freq="MS", value="crisis", denominator="words", n_boot=100)
    pd.testing.assert_frame_equal(by_hand, got)


def test_over_time_weekly_periods_start_on_monday(table):
    got = E.over_time(table, freq="W", n_boot=50)
    assert (got["period"].dt.day_of_week == 0).all()


def test_pooled_differences_show_the_composition(table):
    pooled = E.pooled_differences(table).set_index("outlet")
    assert list(pooled.columns) == ["pooled_value", "pooled_difference", "n"]
    means = table.groupby("outlet")["compound"].mean()
    assert np.allclose(pooled["pooled_value"], means)
    assert np.allclose(pooled["pooled_difference"], means - means.mean())
    # pooled, A sits far below B; within events the gap is the true 0.1
    c = E.summarize_contrasts(E.event_contrasts(table, event="event"), n_boot=100)
    gap_within = c.set_index("outlet")["mean_difference"].diff().iloc[-1]
    gap_pooled = pooled["pooled_difference"].diff().iloc[-1]
    assert gap_within == pytest.approx(0.1, abs=0.01) and gap_pooled > 0.5
