"""Sentiment (framing.measures.sentiment) on the case study's real sentences: VADER scores,
the cache, narration and quotation spans, the summaries by group with bootstrap intervals; and
the sentiment plots (framing.plots.sentiment)."""

from __future__ import annotations

import itertools
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

import framing  # noqa: E402
from framing.cache import FrameCache, code_version  # noqa: E402
from framing.measures import sentiment as S  # noqa: E402
from framing.plots import sentiment as P  # noqa: E402
from tests.conftest import ALLSIDES, requires_allsides  # noqa: E402

PLAIN = SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def body(outlet_sents):
    """The body sentences with their article's outlet joined (framing.join_articles)."""
    return outlet_sents[outlet_sents["kind"] == "body"].reset_index(drop=True)


@pytest.fixture(scope="module")
def scored(body):
    return S.score_sentences(body, cache=False)


@pytest.fixture(scope="module")
def spans(sents, articles):
    """The spans of the keyed sentence table: keyed too (no outlet)."""
    return S.quote_spans(sents, articles)


def _sent(sents, doc_id, sent_id):
    return sents[(sents.doc_id == doc_id) & (sents.sent_id == sent_id)].iloc[0]


# ---- sentence scores ------------------------------------------------------------------------


def test_known_negative_sentence_scores_negative_with_exact_value(scored):
    row = scored[(scored.doc_id == "scmp") & (scored.sent_id == 19)].iloc[0]
    assert row.text.startswith("Xi’s visit follows Friday’s release of an arrest warrant")
    assert row.compound == -0.926
    assert row.compound < -0.05
    plain = PLAIN.polarity_scores(row.text)
    assert (row.neg, row.neu, row.pos, row.compound) == (
        plain["neg"], plain["neu"], plain["pos"], plain["compound"]
    )  # fmt: skip


def test_scores_equal_plain_vader_on_every_case_study_sentence_and_span(sents, spans):
    texts = list(sents["text"]) + list(spans["text"])
    fast = S.get_analyzer("fast")
    for t in texts:
        assert fast.polarity_scores(t) == PLAIN.polarity_scores(t), t


EDGE = [
    "",
    "   ",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "It was never so good, without doubt the least bad and no good or nor bad.",
    "He is no hero, but not the bomb either; kind of a bad ass?? Really???",
    "This is the shit — yeah right, cut the mustard",
    "😁😁 good",
]


@pytest.mark.parametrize("text", EDGE)
def test_fast_core_equals_plain_on_rule_edge_cases(text):
    assert S.get_analyzer("fast").polarity_scores(text) == PLAIN.polarity_scores(text)


@pytest.mark.parametrize("core", ["fast", "vader"])
def test_score_sentences_keeps_rows_and_offsets(body, scored, core):
    out = S.score_sentences(body, core=core, cache=False)
    assert list(out.columns) == list(body.columns) + ["neg", "neu", "pos", "compound"]
    pd.testing.assert_frame_equal(out[body.columns], body)
    pd.testing.assert_frame_equal(out, scored)
    assert out["compound"].between(-1, 1).all()


def test_parallel_path_equals_sequential(body, scored):
    out = S.score_sentences(body, cache=False, n_jobs=2, chunk_size=17, parallel_min=1)
    pd.testing.assert_frame_equal(out, scored)


def test_score_texts_shape_and_empty():
    assert S.score_texts([]).shape == (0, 4)
    got = S.score_texts(["good", "bad"])
    assert got.tolist() == [[0.0, 0.0, 1.0, 0.4404], [1.0, 0.0, 0.0, -0.5423]]


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [({"core": "nltk"}, "core"), ({"chunk_size": 0}, "chunk_size")],
)
def test_bad_options_raise(body, kwargs, arg):
    with pytest.raises(ValueError, match=arg):
        S.score_sentences(body, cache=False, **kwargs)


def test_missing_text_column_raises(body):
    with pytest.raises(ValueError, match="text"):
        S.score_sentences(body.drop(columns="text"), cache=False)


def test_get_analyzer_bad_core():
    with pytest.raises(ValueError, match="core='textblob'"):
        S.get_analyzer("textblob")


# ---- cache ------------------------------------------------------------------------------------


def test_cache_hit_is_identical_and_changed_sentence_is_rescored(
    body, scored, tmp_path, monkeypatch
):
    cache = FrameCache("vader-test", "1", root=tmp_path)
    calls = []
    real = S.score_texts

    def counting(texts, **kw):
        calls.append(list(texts))
        return real(texts, **kw)

    monkeypatch.setattr(S, "score_texts", counting)
    cold = S.score_sentences(body, cache=cache)
    assert len(calls[0]) == body["text"].nunique()
    warm = S.score_sentences(body, cache=cache)
    assert len(calls) == 1  # nothing rescored
    pd.testing.assert_frame_equal(warm, cold)
    pd.testing.assert_frame_equal(warm, scored)
    changed = body.copy()
    changed.loc[0, "text"] = "The summit was a terrible, shameful failure."
    again = S.score_sentences(changed, cache=cache)
    assert calls[1] == ["The summit was a terrible, shameful failure."]
    assert again.loc[0, "compound"] == PLAIN.polarity_scores(changed.loc[0, "text"])["compound"]
    pd.testing.assert_frame_equal(again.iloc[1:], scored.iloc[1:])


def test_default_cache_lives_under_framing_cache(body, tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path))
    S.score_sentences(body.head(3), cache=True)
    shards = list((tmp_path / "vader-sentences" / code_version()).glob("*.parquet"))
    assert len(shards) == 1


# ---- quotation spans --------------------------------------------------------------------------


def test_spans_are_exact_slices_of_the_article(spans, by_doc):
    for r in spans.itertuples(index=False):
        assert by_doc[r.doc_id].text[r.start : r.end] == r.text
    assert set(spans["voice"]) == {"narration", "quotation"}


def test_quoted_spans_split_exactly_at_curly_marks(spans, sents, by_doc):
    s = _sent(sents, "student", 4)
    got = spans[(spans.doc_id == "student") & (spans.sent_id == 4)]
    q = s.text.index("“")
    assert got["voice"].tolist() == ["narration", "quotation"]
    assert got["start"].tolist() == [s.start, s.start + q]
    assert got["end"].tolist() == [s.start + q - 1, s.end]  # the space before “ is trimmed
    assert got["text"].iloc[1].startswith("“under your strong leadership")


def test_sentence_starting_inside_an_open_quote_is_quotation(spans, sents):
    # “under your strong leadership … development. I am confident … firm support.”
    s = _sent(sents, "student", 5)
    assert not s.text.startswith("“") and s.text.endswith("”")
    got = spans[(spans.doc_id == "student") & (spans.sent_id == 5)]
    assert got["voice"].tolist() == ["quotation"]
    assert (got["start"].iloc[0], got["end"].iloc[0]) == (s.start, s.end)


def test_straight_quotes_split_where_the_marks_are(spans, sents):
    s = _sent(sents, "semafor", 38)
    got = spans[(spans.doc_id == "semafor") & (spans.sent_id == 38)]
    assert got["text"].tolist() == [
        "Speaking to reporters on Monday about the State Department's recently released 2022 "
        "human rights report, U.S. Secretary of State Anthony Blinken warned that Xi's",
        '"peace"',
        "proposals were a",
        '"stalling tactic"',
        "to help Russia gain an advantage.",
    ]
    expected = [m.start() + s.start for m in re.finditer('"', s.text)]
    quoted = got[got.voice == "quotation"]
    assert sorted([*quoted["start"], *(quoted["end"] - 1)]) == expected


def test_apostrophe_is_not_a_quote_and_single_curly_pair_is(spans):
    sid = spans[spans["text"] == "Putin hails Xi’s"]["sent_id"].iloc[0]
    head = spans[(spans.doc_id == "semafor") & (spans.sent_id == sid)]
    assert head["text"].tolist() == ["Putin hails Xi’s", "‘symbolic’", "visit"]
    assert head["voice"].tolist() == ["narration", "quotation", "narration"]


def test_counts_of_quoted_spans_match_the_marks(spans, articles):
    # every curly opening mark in the case study starts exactly one quotation span
    n_open = sum(t.count("“") for t in articles["text"])
    starts = spans[(spans.voice == "quotation") & spans["text"].str.startswith("“")]
    assert len(starts) == n_open


def test_score_spans_scores_each_span_like_plain_vader(spans):
    got = S.score_spans(spans.head(30), cache=False)
    for r in got.itertuples(index=False):
        assert r.compound == PLAIN.polarity_scores(r.text)["compound"]


# ---- summaries --------------------------------------------------------------------------------


def test_outlet_sentiment_means_shares_and_seeded_bootstrap(scored):
    a = S.outlet_sentiment(scored, seed=7)
    b = S.outlet_sentiment(scored, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = S.outlet_sentiment(scored, seed=8)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    means = scored.groupby("outlet")["compound"].mean()
    assert np.allclose(a.set_index("outlet")["mean_compound"], means)
    assert (a["ci_low"] <= a["mean_compound"]).all() and (a["mean_compound"] <= a["ci_high"]).all()
    shares = a[["share_positive", "share_neutral", "share_negative"]].sum(axis=1)
    assert np.allclose(shares, 1)
    semafor = scored[scored.outlet == "Semafor"]["compound"]
    row = a.set_index("outlet").loc["Semafor"]
    assert row.n_sentences == len(semafor)
    assert row.share_negative == (semafor <= -0.05).mean()
    assert row.share_positive == (semafor >= 0.05).mean()


def test_thresholds_are_configurable(scored):
    wide = S.outlet_sentiment(scored, thresholds=(-0.5, 0.5), n_boot=10)
    narrow = S.outlet_sentiment(scored, n_boot=10)
    assert (wide["share_neutral"] >= narrow["share_neutral"]).all()
    assert (wide["share_neutral"] > narrow["share_neutral"]).any()


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [
        ({"by": "nope"}, "by"),
        ({"thresholds": (0.1, -0.1)}, "thresholds"),
        ({"n_boot": 0}, "n_boot"),
        ({"ci": 1.5}, "ci"),
    ],
)
def test_outlet_sentiment_bad_values(scored, kwargs, arg):
    with pytest.raises(ValueError, match=arg):
        S.outlet_sentiment(scored, **kwargs)


# ---- about whom -------------------------------------------------------------------------------


def test_actor_table_spellings_resolve(scored):
    table = S.actor_sentiment(scored, n_boot=50)
    assert list(table.columns) == [
        "outlet",
        "actor",
        "n_sentences",
        "mean_compound",
        "ci_low",
        "ci_high",
        "resampled",
        "n_units",
    ]
    cells = table.set_index(["outlet", "actor"])
    # Semafor writes "Anthony Blinken", then "Blinken said": both are Antony Blinken
    blinken = scored[(scored.outlet == "Semafor") & scored.text.str.contains("Blinken")]
    assert cells.loc[("Semafor", "Antony Blinken"), "n_sentences"] == len(blinken) == 2
    zel = scored[scored.text.str.contains(r"Zelens|Zelins")]
    assert len(zel) == cells.xs("Volodymyr Zelensky", level="actor")["n_sentences"].sum()
    # "Mr Xi" (student) is Xi Jinping
    mr_xi = scored[(scored.outlet == "Student news site") & scored.text.str.contains(r"\bXi\b")]
    assert cells.loc[("Student news site", "Xi Jinping"), "n_sentences"] == len(mr_xi)


def test_actor_sentence_counts_once_per_actor_and_means_are_its_sentences(scored):
    table = S.actor_sentiment(scored, n_boot=50).set_index(["outlet", "actor"])
    putin = scored[(scored.outlet == "Semafor") & scored.text.str.contains("Putin")]
    row = table.loc[("Semafor", "Vladimir Putin")]
    assert row.n_sentences == len(putin)
    assert row.mean_compound == pytest.approx(putin["compound"].mean())


def test_actor_sentiment_bad_by(scored):
    with pytest.raises(ValueError, match="by='nope'"):
        S.actor_sentiment(scored, by="nope")


# ---- evidence ---------------------------------------------------------------------------------


def test_extreme_sentences_are_verbatim_and_ordered(scored, by_doc):
    ex = S.extreme_sentences(scored, n=2)
    scmp = ex[(ex.outlet == "South China Morning Post") & (ex.direction == "negative")]
    assert scmp["sent_id"].iloc[0] == 19 and scmp["compound"].iloc[0] == -0.926
    assert scmp["rank"].tolist() == [1, 2]
    for r in ex.itertuples(index=False):
        assert by_doc[r.doc_id].text[r.start : r.end] == r.text
    pos = ex[ex.direction == "positive"]
    assert (pos["compound"] > 0).all()
    assert ex.groupby(["outlet", "direction"]).size().max() == 2


def test_extreme_sentences_bad_n(scored):
    with pytest.raises(ValueError, match="n=0"):
        S.extreme_sentences(scored, n=0)


@pytest.mark.parametrize("bins", [1, 3, 5])
def test_position_sentiment_bins_cover_every_sentence(scored, bins):
    pos = S.position_sentiment(scored, bins=bins, n_boot=20)
    assert (
        pos.groupby("outlet")["n_sentences"].sum().to_dict()
        == scored.groupby("outlet").size().to_dict()
    )
    assert pos["bin"].between(0, bins - 1).all()
    first = scored.sort_values(["doc_id", "sent_id"]).groupby("doc_id").head(1)
    if bins == 1:
        assert np.allclose(
            pos.set_index("outlet")["mean_compound"], scored.groupby("outlet")["compound"].mean()
        )
    else:
        assert (pos[pos.bin == 0]["n_sentences"] >= 1).all() and len(first) == 4


def test_position_sentiment_bad_bins(scored):
    with pytest.raises(ValueError, match="bins=0"):
        S.position_sentiment(scored, bins=0)


# ---- plots ------------------------------------------------------------------------------------


def test_plot_actor_heatmap_shows_counts_and_greys_small_cells(scored):
    table = S.actor_sentiment(scored, n_boot=20)
    table = table[table.actor.isin(["Xi Jinping", "Vladimir Putin", "Antony Blinken"])]
    fig, ax = plt.subplots()
    out = P.plot_actor_heatmap(table, min_n=5, ax=ax)
    assert out is ax
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == 4 * 3
    totals = table.groupby("actor")["n_sentences"].sum().sort_values(ascending=False)
    assert [t.get_text() for t in ax.get_xticklabels()][0] == totals.index[0]  # most mentioned
    cell = table.set_index(["outlet", "actor"]).loc[("Semafor", "Antony Blinken")]
    assert f"n={int(cell.n_sentences)}" in labels  # fewer than 5: grey, count only
    xi = table.set_index(["outlet", "actor"]).loc[("Semafor", "Xi Jinping")]
    assert f"{xi.mean_compound:+.2f}\nn={int(xi.n_sentences)}" in labels
    plt.close(fig)


def test_plot_intervals_and_position(scored):
    summ = S.outlet_sentiment(scored, n_boot=50)
    fig, ax = plt.subplots()
    P.plot_sentiment_intervals(summ, ax=ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == sorted(summ["outlet"])
    assert "95%" in ax.get_xlabel()
    plt.close(fig)
    fig, ax = plt.subplots()
    P.plot_sentiment_position(S.position_sentiment(scored, bins=3, n_boot=20), ax=ax)
    assert len(ax.get_lines()) == 4 + 1  # one line per outlet and the zero line
    assert ax.get_xlim() == (0, 1)
    plt.close(fig)


@pytest.mark.parametrize(
    "fn", [P.plot_actor_heatmap, P.plot_sentiment_intervals, P.plot_sentiment_position]
)
def test_plots_return_early_on_empty_data(fn):
    fig, ax = plt.subplots()
    assert fn(pd.DataFrame(), ax=ax) is ax
    assert not ax.has_data()
    plt.close(fig)


def test_flat_api_exports():
    assert framing.score_sentences is S.score_sentences
    assert framing.outlet_sentiment is S.outlet_sentiment
    assert framing.plot_sentiment_intervals is P.plot_sentiment_intervals


def test_quote_spans_carry_the_other_sentence_columns(sents, articles):
    grouped = sents.assign(side=sents["doc_id"].map({"semafor": "right"}).fillna("other"))
    got = S.quote_spans(grouped, articles)
    # keyed: the keys and the span first, then the sentence table's other columns; no article
    # column that the sentence table did not carry
    assert list(got.columns) == [
        "doc_id", "sent_id", "span_id", "start", "end", "voice", "text", "para_id", "kind", "side",
    ]  # fmt: skip
    pd.testing.assert_frame_equal(got.drop(columns="side"), S.quote_spans(sents, articles))
    assert (got["side"] == np.where(got["doc_id"] == "semafor", "right", "other")).all()
    summary = S.outlet_sentiment(S.score_spans(got, cache=False), by="side", n_boot=10)
    assert summary["side"].tolist() == ["other", "right"]


def test_whole_input_key_is_unambiguous_and_storage_independent(tmp_path):
    # A rerun on the same sentences reads one frame, cached under a sha256 of the whole
    # sequence of texts (its file name): two inputs share it only when they hold the same
    # texts in the same order, however the column is stored in memory.
    roots = itertools.count()

    def key(texts: pd.Series) -> str:
        cache = FrameCache("vader-test", "1", root=tmp_path / str(next(roots)))
        S.score_sentences(pd.DataFrame({"text": texts}), cache=cache)
        (frame,) = (cache.path / "frames").glob("*.parquet")
        return frame.stem

    assert key(pd.Series(["ab", "c"])) != key(pd.Series(["a", "bc"]))
    assert key(pd.Series(["ab", "c"])) == key(pd.Series(["ab", "c"], dtype=object))
    long = pd.Series([f"sentence {i} ü" for i in range(1000)])
    assert key(long) == key(pd.concat([long.iloc[:400], long.iloc[400:]], ignore_index=True))
    assert key(long.iloc[1:].reset_index(drop=True)) != key(long)
    assert len(key(long)) == 64


def test_voice_sentiment_counts_spans_not_sentences(spans, articles):
    # issue #12.7: the narration/quotation table said n_sentences but counted spans
    spans = framing.join_articles(spans, articles)
    scored = S.score_spans(spans, cache=False)
    table = S.voice_sentiment(scored, n_boot=50)
    assert "n_sentences" not in table.columns
    assert list(table.columns[:2]) == ["outlet", "n_spans"]
    n = table.set_index(["voice", "outlet"])["n_spans"]
    deseret = spans[spans["outlet"] == "Deseret News"]
    assert n["narration", "Deseret News"] == (deseret["voice"] == "narration").sum()
    assert n["quotation", "Deseret News"] == (deseret["voice"] == "quotation").sum()
    # spans of both voices outnumber the sentences they come from
    n_sent = deseret[["doc_id", "sent_id"]].drop_duplicates().shape[0]
    assert n["narration", "Deseret News"] + n["quotation", "Deseret News"] > n_sent
    # each voice's row is outlet_sentiment of that voice's spans, column renamed, and what it
    # resampled (one article per outlet) called spans
    alone = S.outlet_sentiment(scored[scored["voice"] == "quotation"], n_boot=50)
    got = table[table["voice"] == "quotation"].drop(columns="voice").reset_index(drop=True)
    assert set(got["resampled"]) == {"spans"} and set(alone["resampled"]) == {"sentences"}
    pd.testing.assert_frame_equal(
        got.drop(columns="resampled"),
        alone.rename(columns={"n_sentences": "n_spans"}).drop(columns="resampled"),
    )


def test_voice_sentiment_needs_a_voice_column(outlet_sents):
    with pytest.raises(ValueError, match="no 'voice' column"):
        S.voice_sentiment(outlet_sents.assign(compound=0.0))


@pytest.mark.parametrize(
    "fn",
    [
        S.outlet_sentiment,
        S.voice_sentiment,
        S.actor_sentiment,
        S.extreme_sentences,
        S.position_sentiment,
    ],
)
def test_keyed_scores_need_the_group_column_joined(sents, spans, articles, fn):
    # sentences and spans are keyed: the measures that compare outlets name the missing
    # column; joined with framing.join_articles, the same scores compare the outlets
    keyed = spans if fn is S.voice_sentiment else sents[sents["kind"] == "body"]
    scored = S.score_sentences(keyed, cache=False)
    assert "outlet" not in scored.columns
    with pytest.raises(ValueError, match="by='outlet' is not a column"):
        fn(scored)
    kw = {} if fn is S.extreme_sentences else {"n_boot": 20}
    table = fn(framing.join_articles(scored, articles), **kw)
    assert set(table["outlet"]) == set(articles["outlet"])


def test_sentiment_plot_labels_are_not_mathtext():
    data = pd.DataFrame(
        {"outlet": ["$x$ Daily", "B"], "mean_compound": [0.1, 0.2], "ci_low": [0.0, 0.1],
         "ci_high": [0.2, 0.3]}
    )  # fmt: skip
    fig, ax = plt.subplots()
    P.plot_sentiment_intervals(data, ax=ax)
    labels = ax.get_yticklabels()
    assert [t._preprocess_math(t.get_text()) for t in labels] == [
        ("$x$ Daily", False),
        ("B", False),
    ]
    plt.close(fig)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_progress_bar_changes_no_score(body, capfd, n_jobs):
    # issue #12.3: a live bar in JupyterLab, nothing on stderr when progress is off
    texts = body["text"].tolist()
    opts = {"n_jobs": n_jobs, "parallel_min": 10, "chunk_size": 25}
    quiet = S.score_texts(texts, **opts)
    assert capfd.readouterr().err == ""
    shown = S.score_texts(texts, progress=True, **opts)
    err = capfd.readouterr().err
    assert "VADER scores" in err
    np.testing.assert_array_equal(quiet, shown)
    np.testing.assert_array_equal(quiet, S.score_texts(texts, n_jobs=1))


def test_score_sentences_progress_is_passed_through(body, capfd):
    quiet = S.score_sentences(body, cache=False)
    assert capfd.readouterr().err == ""
    shown = S.score_sentences(body, cache=False, progress=True)
    assert "VADER scores" in capfd.readouterr().err
    pd.testing.assert_frame_equal(quiet, shown)


def test_quote_spans_progress_bar_changes_nothing(sents, articles, spans, capfd):
    capfd.readouterr()
    assert capfd.readouterr().err == ""
    shown = S.quote_spans(sents, articles, progress=True)
    assert "quotation spans" in capfd.readouterr().err
    pd.testing.assert_frame_equal(spans, shown)
    S.quote_spans(sents, articles)
    assert capfd.readouterr().err == ""


# ---- intervals over articles (issue #17) -----------------------------------------------------

PAIRS = {"deseret": "A", "student": "A", "scmp": "C", "semafor": "D"}


@pytest.mark.parametrize(
    "fn", [S.outlet_sentiment, S.actor_sentiment, S.position_sentiment], ids=lambda f: f.__name__
)
def test_auto_resamples_articles_where_a_group_has_two(scored, fn):
    # a group of two articles (A) resamples articles then sentences; C and D have one article
    # each and keep the sentence bootstrap, exactly as units=None gives it
    paired = scored.assign(pair=scored["doc_id"].map(PAIRS))
    auto = fn(paired, by="pair", n_boot=200, seed=1)
    plain = fn(paired, by="pair", n_boot=200, seed=1, units=None)
    key = [c for c in auto.columns if c in ("pair", "actor", "bin")]
    both = auto.merge(plain, on=key, suffixes=("", "_plain"))
    assert (both["mean_compound"] == both["mean_compound_plain"]).all()
    assert set(plain["resampled"]) == {"sentences"}
    assert (plain["n_units"] == plain["n_sentences"]).all()
    c = both[both["pair"] != "A"]
    assert set(c["resampled"]) == {"sentences"}
    same = c[["ci_low", "ci_high"]].to_numpy() == c[["ci_low_plain", "ci_high_plain"]].to_numpy()
    assert same.all()
    if fn is S.outlet_sentiment:
        assert auto.set_index("pair")["resampled"].to_dict() == {
            "A": "articles", "C": "sentences", "D": "sentences"
        }  # fmt: skip
        n = paired["pair"].value_counts()  # sentences
        assert auto.set_index("pair")["n_units"].to_dict() == {"A": 2, "C": n["C"], "D": n["D"]}
        a = paired[paired["pair"] == "A"]
        want = framing.bootstrap(
            a["compound"], units=a["doc_id"].to_numpy(), n_boot=200, seed=1, label="A"
        )
        assert (
            tuple(auto.set_index("pair").loc["A", ["mean_compound", "ci_low", "ci_high"]]) == want
        )
    else:
        # a cell resamples articles exactly when its sentences come from two of them
        # a cell resamples articles only in A, and then it has both of A's articles
        arts = both[both["resampled"] == "articles"]
        assert (arts["pair"] == "A").all() and (arts["n_units"] == 2).all() and len(arts)
        if fn is S.position_sentiment:  # both articles have sentences in every fifth
            assert (both.loc[both["pair"] == "A", "resampled"] == "articles").all()


def test_bad_units_raise(scored):
    with pytest.raises(ValueError, match=r"^units='article' is not a column"):
        S.outlet_sentiment(scored, units="article")
    with pytest.raises(ValueError, match=r"^units=1 is not allowed"):
        S.position_sentiment(scored, units=1)


@requires_allsides()
def test_article_intervals_are_wider_than_sentence_intervals_on_allsides(tmp_path):
    # AllSides: outlets with many articles; sentences of one article are alike, so resampling
    # articles (then sentences) gives wider intervals than treating sentences as independent
    rows = pd.read_json(ALLSIDES, lines=True, nrows=4000)
    top = rows["source"].value_counts().index[:3]
    pick = rows[rows["source"].isin(top)].groupby("source").head(40)
    path = tmp_path / "allsides.csv"
    pick[["id", "source", "text", "title"]].to_csv(path, index=False)
    arts = framing.load_corpus(path, columns={"id": "id", "outlet": "source"}, cache=False)
    sents = framing.join_articles(framing.sentences(arts), arts)
    body = sents[sents["kind"] == "body"].reset_index(drop=True)
    tone = S.score_sentences(body, cache=False)
    auto = S.outlet_sentiment(tone, n_boot=1000).set_index("outlet")
    plain = S.outlet_sentiment(tone, n_boot=1000, units=None).set_index("outlet")
    assert (auto["resampled"] == "articles").all() and (auto["n_units"] == 40).all()
    width = auto["ci_high"] - auto["ci_low"]
    assert (width > 1.3 * (plain["ci_high"] - plain["ci_low"])).all(), width
    rates = framing.frame_scores(body, n_boot=500)
    flat = framing.frame_scores(body, n_boot=500, units=None)
    hit = rates["hits"] >= 20  # frames with enough hits for a stable comparison
    wide = (rates["ci_high"] - rates["ci_low"])[hit]
    narrow = (flat["ci_high"] - flat["ci_low"])[hit]
    assert hit.sum() >= 5 and (wide > narrow).mean() >= 0.8, (wide / narrow).describe()
