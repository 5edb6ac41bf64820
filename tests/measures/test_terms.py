"""Terms (framing.measures.terms): log-odds checked by hand and by an independent Counter
recount, TF-IDF against scikit-learn's TfidfVectorizer, keyness against scipy, KWIC against the
counts, the bootstrap; and the plots of terms (framing.plots.terms). The counting engine
underneath is tested in tests/text/test_counting.py."""

from __future__ import annotations

import math
import re
from collections import Counter

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

import framing
from framing import (
    Analyzer,
    keyness,
    kwic,
    log_odds,
    ngram_terms,
    plot_log_odds,
    plot_similarity,
    plot_stability,
    plot_top_terms,
    term_counts,
    term_stability,
    tfidf_similarity,
    tfidf_terms,
    token_summary,
)
from framing.measures import terms
from framing.measures.terms import top_per_group
from framing.stats import resample_strata
from framing.text.counting import group_matrix
from framing.text.tokens import scan_words

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OUTLETS = ["Deseret News", "Semafor", "South China Morning Post", "Student news site"]


@pytest.fixture(scope="module")
def three_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {"outlet": ["A", "A", "B"], "text": ["apple apple", "banana", "banana cherry"]}
    )


@pytest.fixture(scope="module")
def body(outlet_sents) -> pd.DataFrame:
    return outlet_sents[outlet_sents["kind"] == "body"]


def _row(table, outlet, term):
    r = table[(table["outlet"] == outlet) & (table["term"] == term)]
    assert len(r) == 1, (outlet, term)
    return r.iloc[0]


# ---------------------------------------------------------------- log-odds


def test_log_odds_by_hand(three_rows):
    # A: apple 2, banana 1 (n_A = 3); B: banana 1, cherry 1 (n_B = 2); N = 5; prior a_w = y_w.
    lo = log_odds(three_rows, ngram_range=(1, 1), prior_scale=1.0)
    # A, apple: a = 2, a0 = 5: log(4 / (3+5-2-2)) - log(2 / (2+5-0-2)) = log(1) - log(2/5)
    r = _row(lo, "A", "apple")
    assert (r.count_in, r.count_out) == (2, 0)
    assert r.log_odds == pytest.approx(math.log(5 / 2), rel=1e-12)
    assert r.z == pytest.approx(math.log(5 / 2) / math.sqrt(1 / 4 + 1 / 2), rel=1e-12)
    # A, banana: a = 2: log(3/5) - log(3/4) = log(4/5); var = 1/3 + 1/3
    r = _row(lo, "A", "banana")
    assert r.log_odds == pytest.approx(math.log(4 / 5), rel=1e-12)
    assert r.z == pytest.approx(math.log(4 / 5) / math.sqrt(2 / 3), rel=1e-12)
    # B, cherry: a = 1: log(2 / (2+5-1-1)) - log(1 / (3+5-0-1)) = log(14/5); var = 1/2 + 1
    r = _row(lo, "B", "cherry")
    assert r.log_odds == pytest.approx(math.log(14 / 5), rel=1e-12)
    assert r.z == pytest.approx(0.8406807337852137, rel=1e-12)
    assert list(lo.columns) == ["outlet", "term", "count_in", "count_out", "log_odds", "z"]
    assert len(lo) == 4  # terms a group never uses are not listed
    assert list(lo["term"]) == ["apple", "banana", "cherry", "banana"]  # by group, z desc


def test_log_odds_prior_scale_by_hand(three_rows):
    # prior_scale 0.5: a = 1 for apple, a0 = 2.5
    lo = log_odds(three_rows, ngram_range=(1, 1), prior_scale=0.5)
    d = math.log(3 / (3 + 2.5 - 3)) - math.log(1 / (2 + 2.5 - 1))
    r = _row(lo, "A", "apple")
    assert r.log_odds == pytest.approx(d, rel=1e-12)
    assert r.z == pytest.approx(d / math.sqrt(1 / 3 + 1 / 1), rel=1e-12)


def _counter_log_odds(body, prior_scale=1.0):
    # An independent recount: Python Counters per outlet and the formula term by term.
    per = {o: Counter() for o in sorted(body["outlet"].unique())}
    for o, text in zip(body["outlet"], body["text"], strict=True):
        per[o].update(ngram_terms(text))
    total = Counter()
    for c in per.values():
        total.update(c)
    N = sum(total.values())
    rows = []
    for o, c in per.items():
        n_in = sum(c.values())
        for w, y_in in c.items():
            a = prior_scale * total[w]
            a0 = prior_scale * N
            y_out = total[w] - y_in
            d = math.log((y_in + a) / (n_in + a0 - y_in - a)) - math.log(
                (y_out + a) / (N - n_in + a0 - y_out - a)
            )
            rows.append((o, w, y_in, y_out, d, d / math.sqrt(1 / (y_in + a) + 1 / (y_out + a))))
    return pd.DataFrame(rows, columns=["outlet", "term", "count_in", "count_out", "lo", "z"])


@pytest.mark.parametrize("prior_scale", [1.0, 0.1])
def test_log_odds_matches_counter_recount_on_case_study(outlet_sents, body, prior_scale):
    ours = log_odds(outlet_sents, prior_scale=prior_scale)  # headings left out by itself
    ref = _counter_log_odds(body, prior_scale)
    m = ours.merge(ref, on=["outlet", "term"], how="outer", validate="1:1", indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["count_in_x"] == m["count_in_y"]).all()
    assert (m["count_out_x"] == m["count_out_y"]).all()
    np.testing.assert_allclose(m["log_odds"], m["lo"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m["z_x"], m["z_y"], rtol=1e-12, atol=1e-12)


def test_log_odds_counts_checked_by_regex(body, outlet_sents):
    lo = log_odds(outlet_sents)
    # "china", "China’s", "China's" as whole words (not "China-brokered"), body sentences only
    rx = re.compile(r"(?<![\w'’-])china(?:['’]s)?(?![\w'’-])", re.I)
    by_outlet = body.groupby("outlet")["text"].apply(lambda s: sum(len(rx.findall(t)) for t in s))
    assert by_outlet.to_dict() == {
        "Deseret News": 7,
        "Semafor": 6,
        "South China Morning Post": 15,
        "Student news site": 13,
    }
    for o, n in by_outlet.items():
        r = _row(lo, o, "china")
        assert r.count_in == n and r.count_out == 41 - n
    # "Mr" is the student site's style (8 times, no other outlet): its top term
    top = lo.groupby("outlet").head(1).set_index("outlet")["term"]
    assert top["Student news site"] == "mr"
    assert _row(lo, "Student news site", "mr").count_out == 0


@pytest.mark.parametrize("fn", [log_odds, keyness])
def test_rows_ordered_by_group_score_then_term(outlet_sents, fn):
    t = fn(outlet_sents)
    score = "z" if fn is log_odds else "chi2"
    expected = t.sort_values(
        ["outlet", score, "term"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
    pd.testing.assert_frame_equal(t, expected)


def test_top_per_group_general_order_equals_lexsort():
    rng = np.random.default_rng(0)
    g = rng.integers(0, 4, 300)
    w = rng.integers(0, 50, 300)
    s = rng.integers(0, 5, 300).astype(float)  # many ties
    for gg, ww, ss in [(g, w, s), *[(np.sort(g), w[np.lexsort((w, g))], s)]]:
        idx, _ = top_per_group(gg, ss, ww, None)
        np.testing.assert_array_equal(idx, np.lexsort((ww, -ss, gg)))


def test_log_odds_accepts_articles_and_term_counts(articles, outlet_sents):
    tc = term_counts(outlet_sents)
    pd.testing.assert_frame_equal(log_odds(tc), log_odds(outlet_sents))
    # articles include headings, so counts can only grow
    la = log_odds(articles).set_index(["outlet", "term"])["count_in"]
    ls = log_odds(outlet_sents).set_index(["outlet", "term"])["count_in"]
    assert (la.reindex(ls.index) >= ls).all()


def test_log_odds_min_count(outlet_sents):
    full = log_odds(outlet_sents)
    kept = log_odds(outlet_sents, min_count=3)
    assert ((kept["count_in"] + kept["count_out"]) >= 3).all()
    both = full[(full["count_in"] + full["count_out"]) >= 3].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, both)


def test_log_odds_any_grouping_column(outlet_sents):
    s = outlet_sents.assign(side=np.where(outlet_sents["outlet"].isin(OUTLETS[:2]), "x", "y"))
    lo = log_odds(s, by="side")
    assert list(lo.columns)[0] == "side" and set(lo["side"]) == {"x", "y"}
    # with two groups, each group's log-odds for a shared term is the other's negative
    r = lo[lo["term"] == "china"].set_index("side")["log_odds"]
    assert r["x"] == pytest.approx(-r["y"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"prior_scale": 0}, "prior_scale"),
        ({"prior_scale": -1.0}, "prior_scale"),
        ({"prior_scale": float("nan")}, "prior_scale"),
        ({"prior_scale": "1"}, "prior_scale"),
        ({"min_count": 0}, "min_count"),
        ({"ngram_range": (1, 3)}, "ngram_range"),
        ({"by": "bias"}, "by='bias'"),
    ],
)
def test_log_odds_bad_values(outlet_sents, kwargs, match):
    with pytest.raises(ValueError, match=match):
        log_odds(outlet_sents, **kwargs)


@pytest.mark.parametrize("fn", [log_odds, keyness, tfidf_terms, tfidf_similarity, token_summary])
def test_keyed_sentences_need_the_group_column_joined(sents, articles, outlet_sents, fn):
    # the sentence table carries keys only: a measure that compares outlets says which column
    # is missing, and the table joined with framing.join_articles gives the outlets' result
    assert "outlet" not in sents.columns
    with pytest.raises(ValueError, match="by='outlet': data has no column 'outlet'"):
        fn(sents)
    joined = fn(framing.join_articles(sents, articles))
    pd.testing.assert_frame_equal(joined, fn(outlet_sents))
    assert set(joined.iloc[:, 0]) >= set(OUTLETS)


# ---------------------------------------------------------------- TF-IDF


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2)])
@pytest.mark.parametrize("sublinear_tf", [False, True])
def test_tfidf_equals_tfidfvectorizer(body, outlet_sents, ngram_range, sublinear_tf):
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = body.groupby("outlet")["text"].apply(lambda s: "\n\n".join(s))
    vec = TfidfVectorizer(analyzer=Analyzer(ngram_range), sublinear_tf=sublinear_tf)
    M = vec.fit_transform(docs.tolist()).toarray()
    names = vec.get_feature_names_out()
    ours = tfidf_terms(outlet_sents, top=None, ngram_range=ngram_range, sublinear_tf=sublinear_tf)
    for i, o in enumerate(docs.index):
        sub = ours[ours["outlet"] == o]
        expected = dict(zip(names[M[i] > 0], M[i][M[i] > 0], strict=True))
        got = dict(zip(sub["term"], sub["tfidf"], strict=True))
        assert got.keys() == expected.keys()
        np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-12)
    sim = tfidf_similarity(outlet_sents, ngram_range=ngram_range, sublinear_tf=sublinear_tf)
    S = sim.pivot(index="outlet_a", columns="outlet_b", values="cosine").to_numpy()
    np.testing.assert_allclose(S, M @ M.T, rtol=1e-12)


def test_tfidf_top_and_rank(outlet_sents):
    t = tfidf_terms(outlet_sents, top=5)
    assert list(t.columns) == ["outlet", "term", "tfidf", "count", "rank"]
    assert t.groupby("outlet").size().to_dict() == dict.fromkeys(OUTLETS, 5)
    assert all(list(r) == [1, 2, 3, 4, 5] for _, r in t.groupby("outlet")["rank"])
    # SCMP's top term is "china", 15 times in its body sentences
    r = t[(t["outlet"] == "South China Morning Post") & (t["rank"] == 1)].iloc[0]
    assert (r.term, r["count"]) == ("china", 15)


def test_tfidf_similarity_is_symmetric_with_unit_diagonal(outlet_sents):
    S = tfidf_similarity(outlet_sents).pivot(index="outlet_a", columns="outlet_b", values="cosine")
    np.testing.assert_allclose(np.diag(S), 1.0)
    np.testing.assert_allclose(S.to_numpy(), S.to_numpy().T)
    assert ((S.to_numpy() > 0) & (S.to_numpy() <= 1 + 1e-12)).all()


@pytest.mark.parametrize("top", [0, -1, 2.5, "5"])
def test_tfidf_bad_top(outlet_sents, top):
    with pytest.raises(ValueError, match="top"):
        tfidf_terms(outlet_sents, top=top)


# ---------------------------------------------------------------- keyness


@pytest.mark.parametrize(
    ("measure", "correction"), [("chi2", "default"), ("chi2", "none"), ("lr", "none")]
)
def test_keyness_matches_scipy(outlet_sents, measure, correction):
    k = keyness(outlet_sents, measure=measure, correction=correction)
    tc = term_counts(outlet_sents)
    n = np.asarray(tc.counts.sum(axis=1)).ravel()
    N = n.sum()
    for outlet, term in [("Student news site", "mr"), ("South China Morning Post", "china")]:
        r = _row(k, outlet, term)
        i = list(tc.groups).index(outlet)
        table = [[r.count_in, n[i] - r.count_in], [r.count_out, N - n[i] - r.count_out]]
        lam = "log-likelihood" if measure == "lr" else None
        stat = chi2_contingency(table, correction=correction == "default", lambda_=lam)[0]
        assert abs(r[measure]) == pytest.approx(stat, rel=1e-9)
    assert _row(k, "Student news site", "mr")[measure] > 0


def test_keyness_williams_by_hand(outlet_sents):
    g = _row(keyness(outlet_sents, measure="lr", correction="none"), "Student news site", "mr")
    w = _row(keyness(outlet_sents, measure="lr"), "Student news site", "mr")
    tc = term_counts(outlet_sents)
    n = np.asarray(tc.counts.sum(axis=1)).ravel()
    N = n.sum()
    n_in = n[list(tc.groups).index("Student news site")]
    r1, r2 = 8, N - 8  # mr: 8 in the target, 0 elsewhere
    q = 1 + (N / n_in + N / (N - n_in) - 1) * (N / r1 + N / r2 - 1) / (6 * N)
    assert w.lr == pytest.approx(g.lr / q, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"measure": "pmi"}, "measure"), ({"correction": "yates"}, "correction")],
)
def test_keyness_bad_values(outlet_sents, kwargs, match):
    with pytest.raises(ValueError, match=match):
        keyness(outlet_sents, **kwargs)


# ---------------------------------------------------------------- KWIC


@pytest.mark.parametrize("term", ["china", "peace plan", "mr xi", "u.s", "xi", "cross-border"])
def test_kwic_lines_equal_the_counts(outlet_sents, articles, term):
    lo = log_odds(outlet_sents)
    counts = lo[lo["term"] == term].set_index("outlet")["count_in"]
    k = kwic(outlet_sents, term)
    assert k.groupby("outlet").size().sort_index().to_dict() == counts.sort_index().to_dict()
    text = dict(zip(articles["doc_id"], articles["text"], strict=True))
    for r in k.itertuples():
        assert text[r.doc_id][r.start : r.end] == r.match
        assert ngram_terms(r.match, ngram_range=(1, 1)) == term.split()


def test_kwic_on_articles_finds_curly_possessive(articles, by_doc):
    k = kwic(articles, "china", window=3)
    assert list(k.columns) == ["doc_id", "outlet", "left", "match", "right", "start", "end"]
    assert set(k["match"]) == {"China", "China’s"}
    first = k[k["doc_id"] == "deseret"].iloc[0]
    assert (first.left, first.match, first.right) == (
        "between Russia and",
        "China",
        ", CNN reported. Here",  # context runs on across the paragraph break
    )
    assert by_doc["deseret"].text[first.start : first.end] == "China"
    # headings count in the article table (2 more than the body sentences' 41)
    assert len(k) == 43


def test_kwic_window_zero_and_regex(articles):
    k = kwic(articles, "mr", window=0)
    assert (k["left"] == "").all() and (k["right"] == "").all() and len(k) == 8
    r = kwic(articles, r"\bpeace (?:plan|proposal)s?\b", regex=True, window=2)
    assert len(r) > 0
    assert r["match"].str.lower().str.startswith("peace").all()
    text = dict(zip(articles["doc_id"], articles["text"], strict=True))
    assert all(text[x.doc_id][x.start : x.end] == x.match for x in r.itertuples())


@pytest.mark.parametrize(
    ("pattern", "kwargs", "match"),
    [
        ("", {}, "pattern"),
        ("2023", {}, "pattern"),
        ("peace, plan", {}, "pattern"),
        ("(", {"regex": True}, "regular expression"),
        ("china", {"window": -1}, "window"),
    ],
)
def test_kwic_bad_values(articles, pattern, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kwic(articles, pattern, **kwargs)


def test_kwic_top_terms_found_equals_count(outlet_sents):
    lo = log_odds(outlet_sents)
    ev = framing.kwic_top_terms(outlet_sents, lo, terms=3, lines=2)
    cols = ["outlet", "rank", "term", "count_in", "found", "doc_id", "left", "match", "right"]
    assert list(ev.columns) == [*cols, "start", "end"]
    assert (ev["found"] == ev["count_in"]).all()
    assert ev.groupby(["outlet", "term"]).size().max() == 2
    first = ev[ev["outlet"] == "Student news site"].iloc[0]
    assert (first.term, first["count_in"], first.match) == ("mr", 8, "Mr")


# ---------------------------------------------------------------- bootstrap


def test_stability_is_seeded(outlet_sents):
    a = term_stability(outlet_sents, top=3, n_boot=30, seed=1)
    b = term_stability(outlet_sents, top=3, n_boot=30, seed=1)
    c = term_stability(outlet_sents, top=3, n_boot=30, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a["top_share"].equals(c["top_share"])
    cols = ["outlet", "term", "rank", "count_in", "z", "top_share", "z_lo", "z_hi", "n_boot"]
    assert list(a.columns) == cols
    assert a["top_share"].between(0, 1).all() and (a["z_lo"] <= a["z_hi"]).all()
    # the full-data z and ranks are log_odds' own
    lo = log_odds(outlet_sents).groupby("outlet").head(3).reset_index(drop=True)
    np.testing.assert_array_equal(a["z"], lo["z"])


def test_stability_equals_a_straightforward_bootstrap(outlet_sents):
    # the compiled replicate (columns renumbered by frequency, counts summed row by row, z
    # memoised, a heap of the top) against the formula in numpy on the same draws: each
    # replicate's group sums as a sparse product, every z, each group's top by (z desc, term)
    tc = term_counts(outlet_sents)
    top, n_boot, seed, scale, min_count = 5, 30, 3, 0.5, 2
    st = term_stability(
        tc, top=top, n_boot=n_boot, seed=seed, prior_scale=scale, min_count=min_count, cache=False
    )
    y_total = np.asarray(tc.counts.sum(axis=0)).ravel().astype(float)
    a, a0 = scale * y_total, scale * y_total.sum()
    gi = pd.Index(tc.groups).get_indexer(st["outlet"])
    wi = pd.Index(tc.vocab).get_indexer(st["term"])
    zs, inside = np.empty((n_boot, len(st))), np.zeros((n_boot, len(st)), dtype=bool)
    draws = resample_strata(tc.codes, n_boot, np.random.default_rng(seed))
    for b, w in enumerate(draws):
        C = (group_matrix(tc.codes, len(tc.groups), weights=w) @ tc.doc_term).toarray()
        yw, ni = C.sum(axis=0), C.sum(axis=1, keepdims=True)
        N = yw.sum()
        yo, no = yw - C, N - ni
        d = np.log(C + a) - np.log(ni + a0 - C - a) - (np.log(yo + a) - np.log(no + a0 - yo - a))
        z = d / np.sqrt(1 / (C + a) + 1 / (yo + a))
        zs[b] = z[gi, wi]
        for g in range(len(tc.groups)):
            ok = np.flatnonzero((C[g] > 0) & (y_total >= min_count))
            best = ok[np.lexsort((ok, -z[g, ok]))][:top]
            rows = np.flatnonzero(gi == g)
            inside[b, rows] = np.isin(wi[rows], best)
    np.testing.assert_allclose(st["z_lo"], np.quantile(zs, 0.025, axis=0), rtol=1e-12)
    np.testing.assert_allclose(st["z_hi"], np.quantile(zs, 0.975, axis=0), rtol=1e-12)
    np.testing.assert_array_equal(st["top_share"], inside.mean(axis=0))
    assert 0 < st["top_share"].mean() < 1  # terms that drop out and terms that stay


def test_stability_term_in_every_sentence_always_stays():
    # group A: "alpha" is in every sentence, its other words are B's too; B never says "alpha"
    d = pd.DataFrame(
        {
            "outlet": ["A"] * 4 + ["B"] * 4,
            "text": ["alpha beta", "alpha gamma", "alpha beta", "alpha gamma"] + ["beta gamma"] * 4,
        }
    )
    st = term_stability(d, top=1, n_boot=50, ngram_range=(1, 1))
    r = st[st["outlet"] == "A"].iloc[0]
    assert r.term == "alpha" and r.top_share == 1.0
    assert r.z_lo == pytest.approx(r.z) == pytest.approx(r.z_hi)  # 4 of 4 sentences each time


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_boot": 0}, "n_boot"),
        ({"level": 1.0}, "level"),
        ({"level": 95}, "level"),
        ({"top": 0}, "top"),
        ({"prior_scale": 0.0}, "prior_scale"),
    ],
)
def test_stability_bad_values(outlet_sents, kwargs, match):
    with pytest.raises(ValueError, match=match):
        term_stability(outlet_sents, **kwargs)


# ---------------------------------------------------------------- counts at each step


def test_token_summary_adds_up(outlet_sents, body):
    t = token_summary(outlet_sents).set_index("outlet")
    # the Student news site's words counted word by word with the Python tokenizer (the
    # former implementation; 907 words, 23 numbers or single letters, 399 stop words)
    stop = framing.load_stopwords()
    words = short = stopped = 0
    rows = outlet_sents[outlet_sents["kind"] == "body"]
    student = rows.loc[rows["outlet"] == "Student news site", "text"]
    for text in student:
        for kind, w, _, _ in scan_words(text, frozenset()):
            if kind == "word":
                words += 1
                short += w is None
                stopped += w is not None and w in stop
    row = t.loc["Student news site"]
    assert (row["words"], row["numbers_or_short"], row["stop_words"]) == (words, short, stopped)
    assert (words, short, stopped) == (907, 23, 399)
    assert t.loc["all", "rows"] == len(body)
    assert (t["words"] == t["numbers_or_short"] + t["stop_words"] + t["terms"]).all()
    # every word the tokenizer keeps is a unigram term of log_odds
    lo = log_odds(outlet_sents, ngram_range=(1, 1))
    assert lo.groupby("outlet")["count_in"].sum().to_dict() == t["terms"].drop("all").to_dict()
    lo2 = log_odds(outlet_sents, ngram_range=(2, 2))
    assert lo2["count_in"].sum() == t.loc["all", "bigrams"]


# ---------------------------------------------------------------- plots


def test_plot_top_terms(outlet_sents):
    lo = log_odds(outlet_sents)
    fig, ax = plt.subplots()
    out = plot_top_terms(lo, group="Student news site", top=4, ax=ax)
    assert out is ax
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=False))
    expected = lo[lo["outlet"] == "Student news site"].head(4)
    # the top-ranked bar is drawn at the top (highest y)
    assert [label for _, label in ticks][::-1] == list(expected["term"])
    heights = sorted((p.get_y(), p.get_width()) for p in ax.patches)
    assert [w for _, w in heights][::-1] == pytest.approx(list(expected["z"]))
    plt.close(fig)


def test_plot_log_odds_and_similarity(outlet_sents):
    lo = log_odds(outlet_sents)
    fig, ax = plt.subplots()
    plot_log_odds(lo, group="Semafor", label=4, ax=ax)
    texts = [t.get_text() for t in ax.texts]
    assert texts[:2] == list(lo[lo["outlet"] == "Semafor"]["term"].head(2))
    # "speaking" and "u.k" have the same counts (3 vs 0): one point, one label
    assert texts[2] == "speaking, u.k"
    assert ax.get_xscale() == "log"
    plt.close(fig)
    fig, ax = plt.subplots()
    plot_similarity(tfidf_similarity(outlet_sents), ax=ax)
    assert ax.images[0].get_array().shape == (4, 4)
    assert len(ax.texts) == 16
    plt.close(fig)


def test_plot_stability(outlet_sents):
    st = term_stability(outlet_sents, top=4, n_boot=20)
    fig, ax = plt.subplots()
    plot_stability(st, group="Student news site", ax=ax)
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    sub = st[st["outlet"] == "Student news site"]
    expected = [f"{t}  ({s:.0%})" for t, s in zip(sub["term"], sub["top_share"], strict=True)]
    assert [label for _, label in ticks][::-1] == expected
    plt.close(fig)


def test_plots_return_early_on_empty(outlet_sents):
    lo = log_odds(outlet_sents)
    fig, ax = plt.subplots()
    assert plot_log_odds(lo, group="nobody", ax=ax) is ax
    assert plot_top_terms(lo, group="nobody", ax=ax) is ax
    assert plot_similarity(tfidf_similarity(outlet_sents).iloc[:0], ax=ax) is ax
    assert (
        plot_stability(term_stability(outlet_sents, top=2, n_boot=2), group="nobody", ax=ax) is ax
    )
    assert not ax.patches and not ax.collections
    plt.close(fig)


def test_plot_bad_score(outlet_sents):
    with pytest.raises(ValueError, match="score"):
        plot_top_terms(log_odds(outlet_sents), group="Semafor", score="nope")


def test_flat_api():
    assert framing.log_odds is terms.log_odds and framing.kwic is terms.kwic
    assert framing.term_counts is framing.text.counting.term_counts


def test_plots_draw_dollar_names_as_written(outlet_sents):
    s = outlet_sents.assign(outlet=outlet_sents["outlet"].replace({"Semafor": "$x$ Daily"}))
    tc = term_counts(s)
    fig, axes = plt.subplots(1, 3)
    plot_top_terms(log_odds(tc), group="$x$ Daily", ax=axes[0])
    plot_similarity(tfidf_similarity(tc), ax=axes[1])
    plot_stability(term_stability(tc, top=2, n_boot=2), group="$x$ Daily", ax=axes[2])
    fig.canvas.draw()
    title = axes[0].title
    assert title._preprocess_math(title.get_text()) == ("$x$ Daily", False)
    ticks = [t for t in axes[1].get_yticklabels() if "Daily" in t.get_text()]
    assert [t._preprocess_math(t.get_text()) for t in ticks] == [("$x$ Daily", False)]
    t2 = axes[2].title
    assert t2._preprocess_math(t2.get_text())[0].startswith("$x$ Daily: share")
    plt.close(fig)


def test_term_stability_progress_bar_changes_nothing(outlet_sents, capfd):
    quiet = term_stability(outlet_sents, top=3, n_boot=20, seed=3, cache=False)
    out, err = capfd.readouterr()
    assert err == "" and out == ""  # progress=False (the default): nothing written
    shown = term_stability(outlet_sents, top=3, n_boot=20, seed=3, progress=True, cache=False)
    _, err = capfd.readouterr()
    assert "term stability" in err and "20/20" in err
    pd.testing.assert_frame_equal(quiet, shown)


# ---- document-level keyness (issue #17) -------------------------------------------------------


def _bursty(n_docs: int = 10) -> pd.DataFrame:
    """Two groups of ``n_docs`` articles of the same words; in X one article says "zyx" 30
    times (frequent in one article only), and every X article says "harbor" twice (spread)."""
    rows = []
    for group in ("X", "Y"):
        for i in range(n_docs):
            text = "the council met today about roads and schools. residents asked questions."
            if group == "X":
                text += " the harbor harbor plan was read."
                if i == 0:
                    text += " zyx" * 30
            else:
                text += " the budget budget plan was read."
            rows.append((f"{group}{i}", group, text))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


def _straightforward_p(table, measure, n_perm, seed, terms_tested):
    """The permutation p of each (group, term) by a plain loop: the same permutations of the
    articles' groups, group sums with a sparse indicator, the statistic in numpy."""
    from scipy import sparse

    tc = framing.term_counts(table)
    docs, codes = table["doc_id"].to_numpy(), tc.codes
    X = tc.doc_term
    col = pd.Index(tc.vocab).get_indexer(terms_tested)
    n_tokens = np.asarray(X.sum(axis=1)).ravel()
    y_w, N = np.asarray(X.sum(axis=0)).ravel()[col].astype(float), float(n_tokens.sum())

    def stat(labels):
        ind = sparse.csr_matrix((np.ones(len(docs)), (labels, np.arange(len(docs)))))
        sums = (ind @ X[:, col]).toarray()
        n_in = ind @ n_tokens
        out = np.empty_like(sums)
        for g in range(sums.shape[0]):
            s, _, _ = terms._keyness_cells(sums[g], n_in[g], y_w, N, measure, "default")
            out[g] = np.abs(s)
        return out

    observed = stat(codes)
    rng = np.random.default_rng(seed)
    exceed = sum(stat(rng.permutation(codes)) >= observed * (1 - 1e-12) for _ in range(n_perm))
    return (1 + exceed) / (1 + n_perm), tc.groups


@pytest.mark.parametrize("measure", ["chi2", "lr"])
def test_permutation_p_equals_a_plain_loop_and_q_is_bh(measure):
    from scipy.stats import false_discovery_control

    table = _bursty()
    got = framing.keyness(table, measure=measure, test="permutation", n_perm=60, seed=3)
    tested = sorted(set(got["term"]))
    p, groups = _straightforward_p(table, measure, 60, 3, tested)
    want = pd.DataFrame(p, index=groups, columns=tested).stack()
    keyed = got.set_index(["outlet", "term"])["p_perm"]
    assert np.allclose(keyed, want.loc[keyed.index])
    for _, g in got.groupby("outlet"):
        assert np.allclose(g["q"], false_discovery_control(g["p_perm"].to_numpy(), method="bh"))
    assert (got["n_tested"] == len(tested)).all() and got.attrs["n_tested"] == len(tested)
    assert got.attrs["n_perm"] == 60 and got.attrs["n_documents"] == 20


def test_a_word_frequent_in_one_article_is_not_key_at_the_document_level():
    # Lijffijt et al. (2016): the word-level test calls "zyx" key (30 uses, all in X); among
    # documents it is one article of ten, which a random split puts in X half the time
    table = _bursty()
    word = framing.keyness(table).set_index(["outlet", "term"])
    assert word.loc[("X", "zyx"), "p"] < 1e-4
    doc = framing.keyness(table, test="permutation", n_perm=400, seed=0)
    d = doc.set_index(["outlet", "term"])
    assert d.loc[("X", "zyx"), "p_perm"] > 0.3
    assert d.loc[("X", "zyx"), "q"] > 0.3
    # a word every X article uses is key at both levels
    assert d.loc[("X", "harbor"), "p_perm"] < 0.02
    assert d.loc[("X", "harbor"), "q"] < 0.05 and d.loc[("X", "harbor"), "log_odds"] > 0
    # every tested term is listed for every group, a term a group never uses included
    assert d.loc[("Y", "harbor"), "count_in"] == 0
    assert len(doc) == 2 * doc.attrs["n_tested"]
    # the word-level columns are those of keyness() without the test
    both = d.join(word, suffixes=("", "_word"), how="inner")
    assert np.allclose(both["chi2"], both["chi2_word"]) and np.allclose(both["p"], both["p_word"])


def test_permutation_test_top_terms_and_seed():
    table = _bursty()
    few = framing.keyness(table, test="permutation", n_perm=30, top_terms=3)
    # the most frequent: "zyx" (30), "zyx zyx" (29), then of the terms used 20 times the first
    assert few.attrs["n_tested"] == 3 and set(few["term"]) == {"zyx", "zyx zyx", "asked"}
    again = framing.keyness(table, test="permutation", n_perm=30, top_terms=3)
    pd.testing.assert_frame_equal(few, again)
    every = framing.keyness(table, test="permutation", n_perm=30, top_terms=None)
    assert every.attrs["n_tested"] == len(framing.term_counts(table).vocab)
    # words drawn at random: the permutation p depends on the seed
    rng = np.random.default_rng(0)
    vocab = ["river", "bridge", "council", "budget", "school", "harbor", "mayor", "storm"]
    noisy = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(30)],
        "outlet": ["X"] * 15 + ["Y"] * 15,
        "text": [". ".join(rng.choice(vocab, 12)) for _ in range(30)],
    })  # fmt: skip
    one = framing.keyness(noisy, test="permutation", n_perm=50, top_terms=None)
    other = framing.keyness(noisy, test="permutation", n_perm=50, top_terms=None, seed=1)
    assert not np.allclose(one["p_perm"], other["p_perm"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"test": "perm"}, "test='perm' is not allowed; use one of [None, 'permutation']"),
        ({"test": "permutation", "n_perm": 0}, "n_perm=0 is not allowed; use an integer >= 1"),
        ({"test": "permutation", "seed": -1}, "seed=-1 is not allowed"),
        ({"test": "permutation", "top_terms": 0}, "top_terms=0 is not allowed"),
    ],
)
def test_permutation_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        framing.keyness(_bursty(), **kwargs)


def test_permutation_needs_articles():
    table = _bursty()
    with pytest.raises(ValueError, match="needs a 'doc_id' column"):
        framing.keyness(table.drop(columns="doc_id"), test="permutation")
    with pytest.raises(ValueError, match="not TermCounts"):
        framing.keyness(framing.term_counts(table), test="permutation")
    mixed = table.assign(doc_id=table["doc_id"].str[1:])  # X0 and Y0 are one "article"
    with pytest.raises(ValueError, match="has rows in two groups"):
        framing.keyness(mixed, test="permutation")


def test_stability_rerun_reads_the_cache_and_gives_the_same_table(
    outlet_sents, tmp_path, monkeypatch
):
    from framing.text import kernels

    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    kw = {"top": 5, "n_boot": 30, "seed": 3}
    fresh = framing.term_stability(outlet_sents, cache=False, **kw)
    first = framing.term_stability(outlet_sents, **kw)  # computed and stored
    pd.testing.assert_frame_equal(first, fresh)

    def refuse(*a, **k):
        raise AssertionError("recomputed a replicate instead of reading the cache")

    monkeypatch.setattr(kernels, "stability_replicate", refuse)
    again = framing.term_stability(outlet_sents, **kw)
    pd.testing.assert_frame_equal(again, fresh)
    # another seed, or other counts, is another entry: computed, not read
    with pytest.raises(AssertionError, match="recomputed"):
        framing.term_stability(outlet_sents, **{**kw, "seed": 4})
    with pytest.raises(AssertionError, match="recomputed"):
        framing.term_stability(outlet_sents.iloc[1:], **kw)


def _four_groups() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    vocab = ["river", "bridge", "council", "budget", "school", "harbor", "mayor", "storm"]
    return pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(24)],
        "outlet": [f"O{i % 4}" for i in range(24)],
        "text": [". ".join(rng.choice(vocab[: 4 + i % 4], 10)) for i in range(24)],
    })  # fmt: skip


def test_permutation_groups_tests_a_few_groups_with_the_whole_tests_rows():
    # two of four groups tested: each against all the others, with the same permutations, so
    # their rows (p_perm, q and all) are those of the whole test
    table = _four_groups()
    whole = framing.keyness(table, test="permutation", n_perm=200, seed=5, top_terms=None)
    few = framing.keyness(
        table, test="permutation", n_perm=200, seed=5, top_terms=None, groups=["O3", "O1"]
    )
    want = whole[whole["outlet"].isin(["O1", "O3"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(few, want)
    assert few.attrs == whole.attrs
    # a group with no rows is left out, as the whole table leaves it out; naming none is an error
    pd.testing.assert_frame_equal(
        framing.keyness(
            table,
            test="permutation",
            n_perm=200,
            seed=5,
            top_terms=None,
            groups=pd.Series(["O1", "O9", "O3"]),
        ),  # fmt: skip
        want,
    )
    with pytest.raises(ValueError, match=r"groups=\['O9'\]: none of them has counted rows"):
        framing.keyness(table, test="permutation", n_perm=5, groups=["O9"])
    with pytest.raises(ValueError, match=r"groups=\[\] names no group"):
        framing.keyness(table, test="permutation", n_perm=5, groups=[])
    # the word-level table too
    word = framing.keyness(table, measure="lr")
    pd.testing.assert_frame_equal(
        framing.keyness(table, measure="lr", groups=["O1"]),
        word[word["outlet"] == "O1"].reset_index(drop=True),
    )


def test_log_odds_groups_lists_a_few_groups_with_the_whole_tables_rows():
    table = _four_groups().assign(topic=[f"t{i % 3}" for i in range(24)])
    # O1 has no event: the within-event table leaves it out, so groups= does too
    table.loc[table["outlet"] == "O1", "topic"] = None
    for kw in ({}, {"event": "topic"}):
        whole = log_odds(table, **kw)
        few = log_odds(table, groups=["O0", "O2", "O1"], **kw)
        kept = ["O0", "O2", "O1"] if not kw else ["O0", "O2"]
        want = whole[whole["outlet"].isin(kept)].reset_index(drop=True)
        pd.testing.assert_frame_equal(few, want, obj=str(kw))
        assert few["outlet"].nunique() == len(kept)


def test_groups_match_by_value_as_well_as_by_text():
    # dates and numbers as groups: a Timestamp names its date, 1 names 1.0
    base = _four_groups()
    days = {f"O{i}": pd.Timestamp(f"2020-01-0{i + 1}") for i in range(4)}
    for groups, named in (
        (base["outlet"].map(days), [pd.Timestamp("2020-01-02")]),
        (base["outlet"].str[1].astype(float), [1]),
    ):
        table = base.assign(outlet=groups)
        whole = log_odds(table)
        few = log_odds(table, groups=named)
        assert len(few) and few["outlet"].nunique() == 1
        pd.testing.assert_frame_equal(
            few, whole[whole["outlet"] == whole["outlet"].unique()[1]].reset_index(drop=True)
        )


def test_stability_groups_follows_a_few_groups_with_the_whole_tables_rows():
    table = _four_groups()
    whole = term_stability(table, top=3, n_boot=40, seed=2, cache=False)
    few = term_stability(table, top=3, n_boot=40, seed=2, cache=False, groups=["O2"])
    want = whole[whole["outlet"] == "O2"].reset_index(drop=True)
    pd.testing.assert_frame_equal(few.reset_index(drop=True), want)
    with pytest.raises(ValueError, match="not allowed; use a list of groups"):
        term_stability(table, top=3, n_boot=5, cache=False, groups="O2")
