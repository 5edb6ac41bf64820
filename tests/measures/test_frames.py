"""Frames (framing.measures.frames): the dictionary, every hit with its offsets, rates with
bootstrap intervals; and their plot (framing.plots.frames)."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import framing
from framing import frame_hits, frame_scores, load_frames, plot_frame_rates
from framing.errors import CorpusError
from framing.measures import frames

GENERIC = ["conflict", "human interest", "economic consequences", "morality", "responsibility"]
ISSUE = [
    "peace and negotiation",
    "war and military",
    "international law and the ICC",
    "energy and trade",
    "alliance and world order",
]


@pytest.fixture(scope="module")
def hits(sents):
    """The hits of the keyed sentence table: keyed too (no outlet)."""
    return frame_hits(sents)


@pytest.fixture(scope="module")
def scores(outlet_sents):
    return frame_scores(outlet_sents, n_boot=200, seed=0)


def _frames(**terms: list[str]) -> pd.DataFrame:
    rows = [(f, "custom", t, "") for f, ts in terms.items() for t in ts]
    return pd.DataFrame(rows, columns=["frame", "kind", "term", "description"])


def _sentences(*texts: str) -> pd.DataFrame:
    """A sentence table of one article whose sentences are ``texts`` separated by one space."""
    rows, pos = [], 0
    for i, t in enumerate(texts):
        rows.append(("d", "O", 0, i, pos, pos + len(t), t, "body"))
        pos += len(t) + 1
    cols = ["doc_id", "outlet", "para_id", "sent_id", "start", "end", "text", "kind"]
    return pd.DataFrame(rows, columns=cols)


# --- the dictionary --------------------------------------------------------------------------


def test_shipped_dictionary_has_the_ten_frames():
    f = load_frames()
    assert list(f.columns) == ["frame", "kind", "term", "description"]
    assert list(dict.fromkeys(f["frame"])) == GENERIC + ISSUE
    assert set(f.loc[f["frame"].isin(GENERIC), "kind"]) == {"generic"}
    assert set(f.loc[f["frame"].isin(ISSUE), "kind"]) == {"issue"}
    assert (f.groupby("frame")["term"].size() >= 15).all()
    assert (f["description"].str.len() > 10).all()


def test_csv_dictionary_reads_like_the_toml(tmp_path):
    f = load_frames()
    p = tmp_path / "frames.csv"
    f.to_csv(p, index=False)
    pd.testing.assert_frame_equal(load_frames(p), f)


def test_user_toml_dictionary(tmp_path, sents):
    p = tmp_path / "mine.toml"
    p.write_text(
        '[[frame]]\nframe = "ice"\nkind = "mine"\ndescription = "x"\n'
        'terms = ["freeze", "frozen"]\n',
        encoding="utf-8",
    )
    f = load_frames(p)
    assert f["term"].tolist() == ["freeze", "frozen"]
    h = frame_hits(sents, p)
    # "to freeze the war on its own terms", in the Blinken quote of student, scmp and semafor
    assert sorted(h["doc_id"]) == ["scmp", "semafor", "student"]
    assert set(h["match"]) == {"freeze"}


BAD_TOML = {
    "not toml": ("[[frame]\nframe = 1", "not valid TOML"),
    "no frames": ('title = "x"\n', "no [[frame]]"),
    "no name": ('[[frame]]\nterms = ["a"]\n', "lacks a 'frame' name"),
    "no terms": ('[[frame]]\nframe = "a"\n', "lacks a non-empty list 'terms'"),
    "empty terms": ('[[frame]]\nframe = "a"\nterms = []\n', "lacks a non-empty list 'terms'"),
    "unknown field": ('[[frame]]\nframe = "a"\nterm = ["x"]\nterms = ["x"]\n', "unknown fields"),
    "inner star": ('[[frame]]\nframe = "a"\nterms = ["sanc*tion"]\n', "does not end a word"),
    "empty term": ('[[frame]]\nframe = "a"\nterms = ["  "]\n', "empty term"),
    "not a string": ('[[frame]]\nframe = "a"\nterms = [3]\n', "is not a string"),
    "bad start": ('[[frame]]\nframe = "a"\nterms = ["-ism"]\n', "does not start with"),
    "duplicate": ('[[frame]]\nframe = "a"\nterms = ["war", "War"]\n', "listed twice"),
}


@pytest.mark.parametrize("case", sorted(BAD_TOML))
def test_bad_dictionary_raises_naming_file_and_problem(tmp_path, case):
    text, problem = BAD_TOML[case]
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as e:
        load_frames(p)
    assert str(p) in str(e.value)
    assert problem in str(e.value)


def test_bad_dictionary_files(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        load_frames(tmp_path / "missing.toml")
    p = tmp_path / "frames.json"
    p.write_text("{}", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"must be \.toml or \.csv"):
        load_frames(p)
    p = tmp_path / "frames.csv"
    p.write_text("name,term\na,b\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"frames\.csv: frame dictionary lacks columns"):
        load_frames(p)
    with pytest.raises(ValueError, match="frames lacks columns"):
        frame_hits(_sentences("x"), pd.DataFrame({"term": ["x"]}))
    with pytest.raises(ValueError, match="frames=list is not allowed"):
        frame_hits(_sentences("x"), ["war"])


# --- hits ------------------------------------------------------------------------------------


def test_hits_point_into_the_article_text(hits, by_doc, sents):
    assert list(hits.columns) == [
        "doc_id", "sent_id", "start", "end", "frame", "term", "text", "match",
    ]  # fmt: skip
    for r in hits.itertuples():
        assert by_doc[r.doc_id].text[r.start : r.end] == r.match
        s = sents[(sents.doc_id == r.doc_id) & (sents.sent_id == r.sent_id)].iloc[0]
        assert s.text == r.text and s.kind == "body"
        assert s.start <= r.start < r.end <= s.end


def test_deseret_peace_and_negotiation_by_hand(hits):
    # Read off the Deseret News body, in order: "peace plans", "Xi-Putin talks", "China’s peace
    # proposal that calls for a ceasefire and negotiations", "a political settlement",
    # "12-point peace plan", "diplomatic cover" twice in Blinken's quote. The heading "China’s
    # peace plan for Ukraine is a nonstarter" is a heading, not a body sentence.
    d = hits[(hits.doc_id == "deseret") & (hits.frame == "peace and negotiation")]
    assert d["match"].tolist() == [
        "peace", "talks", "peace", "proposal", "ceasefire", "negotiations", "settlement",
        "peace", "diplomatic", "diplomatic",
    ]  # fmt: skip
    assert d["term"].tolist()[:4] == ["peace*", "talks", "peace*", "proposal*"]


def test_wildcard_counts_in_two_frames(hits):
    # "unilateral sanctions" (student), "unilateral sanctions" and "Russian sanctions" (semafor)
    s = hits[hits.term == "sanction*"]
    assert s.groupby("doc_id").size().to_dict() == {"semafor": 4, "student": 2}
    assert set(s.frame) == {"economic consequences", "energy and trade"}
    assert set(s.match) == {"sanctions"}


def test_whole_words_only(hits):
    war = hits[hits.term == "war"]
    assert set(war["match"].str.lower()) == {"war"}  # never "warrant", "award", "warned"
    assert not hits["match"].str.lower().eq("investigate").any()  # "invest*" is not a term


def test_curly_and_straight_apostrophes_match_alike(sents):
    f = _frames(names=["Xi's", "Beijing's", "China's"])
    h = frame_hits(sents, f)
    sem = h[h.doc_id == "semafor"]
    # Semafor body: Xi’s ×4 curly ("Xi’s trip", "Xi’s current visit", "Xi’s initiatives",
    # "Xi’s “peacemaking”") and Xi's ×2 straight ("Xi's true nature", "Xi's "peace""),
    # Beijing's ×1 straight, China’s ×1 ("China’s foreign ministry"; "China’s peace plan to be
    # discussed" is a heading).
    assert sem.groupby("term").size().to_dict() == {"Xi's": 6, "Beijing's": 1, "China's": 1}
    assert set(sem["match"]) >= {"Xi’s", "Xi's"}


def test_phrases_longest_first_and_never_across_sentences():
    f = _frames(peace=["peace", "peace talks"], other=["talks"])
    h = frame_hits(_sentences("They want PEACE\n talks now.", "No peace.", "Talks end."), f)
    assert list(zip(h.frame, h.match, h.start, strict=True)) == [
        ("peace", "PEACE\n talks", 10),
        ("other", "talks", 17),
        ("peace", "peace", 31),
        ("other", "Talks", 38),
    ]
    h = frame_hits(_sentences("for peace", "talks"), _frames(p=["peace talks"]))
    assert h.empty


def test_wildcard_does_not_cut_a_longer_phrase_short():
    # found on AllSides: "militar*" must not stop at "military" when "military drill*" matches
    f = _frames(w=["militar*", "military", "military drill*", "war", "war crime*"])
    h = frame_hits(_sentences("Joint military drills and militarised war crimes, war."), f)
    assert h["match"].tolist() == ["military drills", "militarised", "war crimes", "war"]
    assert h["term"].tolist() == ["military drill*", "militar*", "war crime*", "war"]


def test_chunked_scan_gives_the_same_hits(sents, hits, monkeypatch):
    # sentences are scanned in chunks of characters; tiny chunks must change nothing
    monkeypatch.setattr(frames, "CHUNK_CHARS", 150)
    pd.testing.assert_frame_equal(frame_hits(sents), hits)


def test_headings_are_not_counted(sents, hits):
    heads = sents[sents.kind == "heading"]
    for r in heads.itertuples():
        inside = hits[(hits.doc_id == r.doc_id) & (hits.start >= r.start) & (hits.end <= r.end)]
        assert inside.empty


def test_hits_equal_a_plain_regex_per_frame(sents, hits):
    """Independent implementation: one case-insensitive alternation per frame, longest term
    first, run sentence by sentence with ``finditer``."""
    apos = "'’‘ʼ"

    def rx(term):
        words = []
        for w in term.split():
            star = w.endswith("*")
            core = "".join(
                f"[{apos}]" if c in apos else "[-‐‑]" if c == "-" else re.escape(c)
                for c in w.rstrip("*")
            )
            words.append(core + (r"\w*" if star else ""))
        return r"\s+".join(words)

    ref = []
    body = sents[sents.kind == "body"]
    for frame, terms in load_frames().groupby("frame", sort=False)["term"]:
        alts = "|".join(rx(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
        pat = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        for r in body.itertuples():
            ref += [(r.doc_id, r.start + m.start(), r.start + m.end(), frame) for m in pat.finditer(r.text)]  # fmt: skip
    got = list(zip(hits.doc_id, hits.start, hits.end, hits.frame, strict=True))
    assert sorted(got) == sorted(ref)
    assert len(got) == 256


# --- scores ----------------------------------------------------------------------------------


def test_scores_by_hand(scores):
    assert list(scores.columns) == [
        "outlet", "frame", "hits", "words", "per_1000", "ci_low", "ci_high", "resampled",
        "n_units",
    ]  # fmt: skip
    # one article per outlet: the sentence bootstrap, and how many sentences it resampled
    assert set(scores["resampled"]) == {"sentences"}
    assert len(scores) == 4 * 10  # zeros kept
    d = scores[(scores.outlet == "Deseret News") & (scores.frame == "peace and negotiation")]
    d = d.iloc[0]
    # Deseret News: 355 words in all, minus its three headings (8 + 11 + 7 words)
    assert d.words == 355 - 26 == 329
    assert d.hits == 10
    assert d.per_1000 == pytest.approx(1000 * 10 / 329)
    zero = scores[(scores.outlet == "South China Morning Post") & (scores.frame == "morality")]
    assert zero[["hits", "per_1000", "ci_low", "ci_high"]].iloc[0].tolist() == [0, 0, 0, 0]


def test_scores_agree_with_hits(scores, hits, articles):
    n = framing.join_articles(hits, articles).groupby(["outlet", "frame"]).size()
    for r in scores.itertuples():
        assert r.hits == n.get((r.outlet, r.frame), 0)
        assert r.ci_low <= r.ci_high
        assert r.ci_low >= 0


def test_bootstrap_is_seeded(outlet_sents, scores):
    again = frame_scores(outlet_sents, n_boot=200, seed=0)
    pd.testing.assert_frame_equal(again, scores)
    other = frame_scores(outlet_sents, n_boot=200, seed=1)
    assert not np.allclose(other["ci_high"], scores["ci_high"])
    pd.testing.assert_series_equal(other["per_1000"], scores["per_1000"])


def test_bootstrap_agrees_with_a_plain_resampling(sents, outlet_sents):
    """Independent bootstrap (np.random.choice of sentence indices, another generator): the
    percentile intervals of 2,000 replicates agree within a few hits per 1,000 words."""
    s = frame_scores(sents, n_boot=2000, seed=0, by="doc_id")
    body = outlet_sents[(outlet_sents.kind == "body") & (outlet_sents.doc_id == "semafor")]
    words = body["text"].map(framing.count_words).to_numpy()
    one = frame_hits(body, _frames(w=["war"]))
    counts = one.groupby("sent_id").size().reindex(body["sent_id"], fill_value=0).to_numpy()
    rng = np.random.RandomState(12345)
    reps = []
    for _ in range(2000):
        i = rng.choice(len(words), len(words), replace=True)
        reps.append(1000 * counts[i].sum() / words[i].sum())
    lo, hi = np.quantile(reps, [0.025, 0.975])
    mine = frame_scores(body, _frames(w=["war"]), n_boot=2000, seed=0).iloc[0]
    assert mine.hits == counts.sum() == 7
    assert mine.ci_low == pytest.approx(lo, abs=2.5)
    assert mine.ci_high == pytest.approx(hi, abs=2.5)
    assert set(s["doc_id"]) == {"deseret", "scmp", "semafor", "student"}


def test_scores_from_precomputed_hits(outlet_sents, hits, scores):
    # the keyed hits are joined to the sentences by doc_id and sent_id: no outlet needed
    again = frame_scores(outlet_sents, n_boot=200, seed=0, hits=hits)
    pd.testing.assert_frame_equal(again, scores)
    with pytest.raises(ValueError, match="hits do not belong"):
        frame_scores(outlet_sents, hits=hits.assign(sent_id=hits["sent_id"] + 1000))


def test_a_groups_interval_does_not_depend_on_the_others(outlet_sents, scores):
    alone = frame_scores(outlet_sents[outlet_sents.outlet == "Semafor"], n_boot=200, seed=0)
    both = scores[scores.outlet == "Semafor"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, both)


def test_multinomial_bootstrap_on_many_repeated_sentences():
    """With many sentences and few distinct (hits, words) rows the bootstrap draws how often
    each distinct row is picked; its interval must agree with drawing sentences directly."""
    texts = ["war is here now."] * 30 + ["nothing to see here at all."] * 170
    sents = _sentences(*texts)
    f = _frames(w=["war"])
    s = frame_scores(sents, f, n_boot=4000, seed=0).iloc[0]
    assert s.hits == 30 and s.words == 30 * 4 + 170 * 6
    rng = np.random.default_rng(7)
    hits = np.array([1] * 30 + [0] * 170)
    words = np.array([4] * 30 + [6] * 170)
    idx = rng.integers(0, 200, size=(4000, 200))
    reps = 1000 * hits[idx].sum(axis=1) / words[idx].sum(axis=1)
    lo, hi = np.quantile(reps, [0.025, 0.975])
    assert s.ci_low == pytest.approx(lo, abs=2.0)
    assert s.ci_high == pytest.approx(hi, abs=2.0)
    assert s.ci_low < s.per_1000 < s.ci_high


def test_no_bootstrap_gives_nan(outlet_sents):
    s = frame_scores(outlet_sents, n_boot=0)
    assert s["ci_low"].isna().all() and s["ci_high"].isna().all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "leaning"}, "by='leaning' is not a column"),
        ({"n_boot": -1}, "n_boot=-1 is not allowed; use an integer >= 0"),
        ({"n_boot": 1.5}, "n_boot=1.5 is not allowed; use an integer >= 0"),
        ({"ci": 1.0}, "ci=1.0 is not allowed; use a number between 0 and 1"),
        ({"ci": 0}, "ci=0 is not allowed; use a number between 0 and 1"),
    ],
)
def test_bad_options_raise(outlet_sents, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        frame_scores(outlet_sents, **kwargs)


def test_keyed_sentences_need_the_outlet_joined(sents, articles, scores):
    with pytest.raises(ValueError, match=re.escape("by='outlet' is not a column of sentences")):
        frame_scores(sents, n_boot=0)
    joined = frame_scores(framing.join_articles(sents, articles), n_boot=200, seed=0)
    pd.testing.assert_frame_equal(joined, scores)


@pytest.mark.parametrize("by", ["outlet", "doc_id"])
def test_by_column(outlet_sents, by):
    s = frame_scores(outlet_sents, n_boot=10, by=by)
    assert s.columns[0] == by
    assert s.groupby(by)["words"].first().sum() == 329 + 908 + 589 + 679


def test_plot_frame_rates(scores):
    fig, ax = plt.subplots()
    out = plot_frame_rates(scores, ax=ax)
    assert out is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == GENERIC + ISSUE
    assert len(ax.containers) == 4  # one errorbar per outlet
    xs = ax.containers[0].lines[0].get_xdata()
    first = scores[scores.outlet == scores.outlet.iloc[0]]["per_1000"].to_numpy()
    np.testing.assert_allclose(xs, first)
    plt.close(fig)
    fig, ax = plt.subplots()
    assert plot_frame_rates(scores.iloc[:0], ax=ax) is ax
    assert not ax.containers
    plt.close(fig)


def test_one_frame_bootstrap_default_everywhere():
    # issue #12.7: framing analyze (200) and the notebooks (1000) gave different intervals
    import inspect

    assert inspect.signature(frame_scores).parameters["n_boot"].default == framing.FRAME_N_BOOT
    analyze = inspect.signature(framing.analyze_corpus).parameters["n_boot"].default
    assert analyze == framing.FRAME_N_BOOT


def test_frame_scores_progress_bar_changes_nothing(outlet_sents, capfd):
    # issue #12.3: a bar in JupyterLab, nothing on stderr in headless runs
    quiet = frame_scores(outlet_sents, n_boot=50, seed=0)
    assert capfd.readouterr().err == ""
    shown = frame_scores(outlet_sents, n_boot=50, seed=0, progress=True)
    err = capfd.readouterr().err
    assert "frame rates" in err and "4/4" in err  # one step per outlet
    pd.testing.assert_frame_equal(quiet, shown)


def test_auto_resamples_articles_where_a_group_has_two(outlet_sents, scores):
    # issue #17: a group of two articles resamples articles then sentences; a group of one
    # keeps the sentence bootstrap of units=None, value for value
    pair = (
        outlet_sents["doc_id"].map({"deseret": "A", "student": "A"}).fillna(outlet_sents["outlet"])
    )
    paired = outlet_sents.assign(pair=pair)
    auto = frame_scores(paired, by="pair", n_boot=200, seed=0)
    plain = frame_scores(paired, by="pair", n_boot=200, seed=0, units=None)
    a = auto[auto["pair"] == "A"]
    assert set(a["resampled"]) == {"articles"} and set(a["n_units"]) == {2}
    rest = auto["pair"] != "A"
    assert set(auto.loc[rest, "resampled"]) == {"sentences"}
    pd.testing.assert_frame_equal(auto[rest], plain[rest])
    pd.testing.assert_series_equal(auto["per_1000"], plain["per_1000"])
    alone = scores[scores["outlet"] == "Semafor"].drop(columns="outlet").reset_index(drop=True)
    got = auto[auto["pair"] == "Semafor"].drop(columns="pair").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, alone)
    with pytest.raises(ValueError, match=r"^units='article' is not a column of sentences"):
        frame_scores(paired, units="article")


def test_frame_columns_give_frame_scores_rates(outlet_sents, hits, scores):
    cols = framing.frame_columns(outlet_sents, hits=hits)
    body = outlet_sents[outlet_sents["kind"] == "body"]
    assert len(cols) == len(body)
    names = list(dict.fromkeys(load_frames()["frame"]))
    assert list(cols.columns) == [*outlet_sents.columns, *names, "words"]
    assert cols[names].sum().sum() == len(hits)
    again = framing.frame_columns(outlet_sents)  # matched here: the same counts
    pd.testing.assert_frame_equal(again, cols)
    sums = cols.groupby("outlet")[[*names, "words"]].sum()
    for r in scores.itertuples():
        assert r.hits == sums.loc[r.outlet, r.frame] and r.words == sums.loc[r.outlet, "words"]
    with pytest.raises(ValueError, match="would overwrite the columns"):
        framing.frame_columns(cols)
