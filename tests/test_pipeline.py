"""The whole analysis as tables: equal whatever the backend, the chunking or the cache state."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal as signal_mod
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing import pipeline
from framing.cache import code_version
from framing.pipeline import analyze_corpus, write_tables
from tests.conftest import ROOT, requires_allsides

FIX = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture()
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def serial(articles):
    return analyze_corpus(articles, backend="serial", cache=False)


def _equal(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], obj=k)


def test_tables_and_their_sources(serial, articles, sents):
    assert set(serial) == set(pipeline.TABLES)
    # the sentence table is framing.sentences plus VADER's scores, row for row
    s = serial["sentences"]
    pd.testing.assert_frame_equal(s[list(sents.columns)], sents)
    scored = framing.score_sentences(sents, cache=False)
    assert s.compound.tolist() == scored.compound.tolist()
    pd.testing.assert_frame_equal(serial["audit"], framing.cleaning_audit(articles))
    pd.testing.assert_frame_equal(serial["quotes"], framing.find_quotes(articles))
    pd.testing.assert_frame_equal(  # find_quotes reads doc_id and text only
        serial["quotes"], framing.find_quotes(articles[["doc_id", "text"]])
    )
    body = sents[sents.kind == "body"]
    pd.testing.assert_frame_equal(
        serial["actors"], framing.actor_mentions(body).reset_index(drop=True)
    )
    hits = framing.frame_hits(sents).drop(columns="text")  # the sentence text is not repeated
    pd.testing.assert_frame_equal(serial["frame_hits"], hits)
    # the spans: the body sentences cut at quotation marks, each span scored on its own words
    spans = framing.score_spans(framing.quote_spans(body, articles), cache=False)
    pd.testing.assert_frame_equal(serial["spans"], spans)
    assert serial["spans"].voice.value_counts().to_dict() == {"narration": 134, "quotation": 62}
    text = dict(zip(articles.doc_id, articles.text, strict=True))
    sp = serial["spans"]
    assert all(
        text[d][a:b] == t for d, a, b, t in zip(sp.doc_id, sp.start, sp.end, sp.text, strict=True)
    )
    assert "text_raw" not in serial["articles"] and len(serial["articles"]) == 4
    # per-article tables carry keys, not the article's columns (join_articles adds them)
    keys = {
        "audit": ["doc_id", "line_no"],
        "sentences": ["doc_id", "para_id", "sent_id", "start", "end"],
        "spans": ["doc_id", "sent_id", "span_id", "start", "end"],
        "actors": ["doc_id", "sent_id", "start", "end"],
        "quotes": ["doc_id", "start", "end"],
        "frame_hits": ["doc_id", "sent_id", "start", "end"],
    }
    for name, first in keys.items():
        assert list(serial[name].columns[: len(first)]) == first, name
        assert "outlet" not in serial[name] and "title" not in serial[name], name
    # every group comparison covers the four outlets
    assert set(serial["terms"].outlet) == set(articles.outlet)
    assert set(serial["log_odds"].outlet) == set(articles.outlet)
    assert serial["log_odds"].groupby("outlet").size().max() <= 50
    assert set(serial["frames"].outlet) == set(articles.outlet)
    # the rates are counted from the frame hits, and equal matching the sentences again
    pd.testing.assert_frame_equal(
        serial["frames"],
        framing.frame_scores(framing.join_articles(s, articles), n_boot=framing.FRAME_N_BOOT),
    )


def test_joblib_chunks_give_the_same_tables(serial, articles):
    _equal(serial, analyze_corpus(articles, backend="joblib", n_jobs=2, chunk_size=1, cache=False))


def _spy_chunks(monkeypatch) -> list[list[str]]:
    """The doc_ids of every chunk of articles the per-article steps compute, in order: each
    chunk's sentences are split once, by ``framing.sentences`` as the pipeline calls it."""
    seen: list[list[str]] = []
    real = pipeline.sentences

    def spy(chunk, *args, **kwargs):
        seen.append(list(chunk.doc_id))
        return real(chunk, *args, **kwargs)

    monkeypatch.setattr(pipeline, "sentences", spy)
    return seen


def test_cache_rerun_equal_and_a_changed_article_alone_recomputed(
    articles, serial, cache_root, monkeypatch, capsys
):
    seen = _spy_chunks(monkeypatch)
    cold = analyze_corpus(articles, backend="serial", chunk_size=2)
    assert seen == [["deseret", "student"], ["scmp", "semafor"]]
    assert "per-article steps on 4 of 4 articles (0 from the cache)" in capsys.readouterr().err
    _equal(cold, serial)
    # one version for every cache: the whole run and the group comparisons are stored under it
    assert (cache_root / "runs" / code_version()).is_dir()
    assert (cache_root / "groups" / code_version()).is_dir()
    seen.clear()
    warm = analyze_corpus(articles, backend="serial", chunk_size=2)
    assert seen == []  # the whole run read from the cache
    _equal(warm, serial)
    assert framing.clear_cache("runs") == ["runs"]
    warm = analyze_corpus(articles, backend="serial", chunk_size=2)
    assert seen == []  # every article's rows read from the per-article cache
    _equal(warm, serial)
    capsys.readouterr()
    changed = articles.copy()
    changed.loc[2, "text"] = changed.loc[2, "text"] + "\n\nA new closing sentence."
    seen.clear()
    again = analyze_corpus(changed, backend="serial", chunk_size=2)
    assert seen == [["scmp"]]
    assert "per-article steps on 1 of 4 articles (3 from the cache)" in capsys.readouterr().err
    fresh = analyze_corpus(changed, backend="serial", cache=False)
    _equal(again, fresh)
    assert (again["sentences"].doc_id == "scmp").sum() == (
        serial["sentences"].doc_id == "scmp"
    ).sum() + 1


def test_a_cached_run_reads_each_table_when_first_asked(small, small_tables, cache_root):
    analyze_corpus(small, backend="serial")
    warm = analyze_corpus(small, backend="serial")
    assert isinstance(warm, pipeline.RunTables)
    assert list(warm) == list(small_tables)  # every name, in the run's order
    # nothing else read yet (the actor table is computed, or read from the cache, first)
    assert warm.read == ["articles", "load_report", "actor_table"]
    pd.testing.assert_frame_equal(warm["quotes"], small_tables["quotes"])
    assert warm.read == ["articles", "load_report", "actor_table", "quotes"]
    _equal(dict(warm.items()), small_tables)
    # written over, added, removed: a mapping like any other
    warm["terms"] = small_tables["terms"].head(1)
    assert len(warm["terms"]) == 1
    del warm["frames"]
    assert "frames" not in warm and len(warm) == len(small_tables) - 1
    # a table whose cache file vanished is an error naming it, never a missing table
    again = analyze_corpus(small, backend="serial")
    framing.clear_cache("runs")
    with pytest.raises(RuntimeError, match="the table 'sentences' of this run is no longer"):
        again["sentences"]


def test_analysis_body_and_row_counts_without_holding_the_sentences(cache_root):
    corpus = ROOT / "corpus" / "xi-putin-moscow-2023"
    framing.analysis(corpus)
    run = framing.analysis(corpus)  # read back: a RunTables
    sents = framing.analyze_corpus(run.articles, cache=False)["sentences"]
    assert run.n_rows("sentences") == len(sents) and "sentences" not in run.tables.read
    body = run.body
    assert "sentences" not in run.tables.read  # derived, not held
    joined = framing.join_articles(sents, run.articles, "outlet")
    want = joined[joined["kind"] == "body"].reset_index(drop=True)
    pd.testing.assert_frame_equal(body, want)
    with pytest.raises(ValueError, match="name='nope' is not a table here"):
        run.n_rows("nope")


def test_dask_cluster_at_an_address_gives_the_same_tables(serial, articles):
    # a scheduler address, as for a real cluster; in-process workers keep the test quick
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        got = analyze_corpus(
            articles, backend="dask", scheduler=cluster.scheduler_address, chunk_size=1, cache=False
        )
    _equal(serial, got)


def test_steps_subset(articles, sents):
    assert pipeline.PIPELINE_STEPS == (
        "audit", "sentences", "sentiment", "actors", "quotes", "frames", "terms",
    )  # fmt: skip
    got = analyze_corpus(articles, backend="serial", cache=False, steps=["sentences"])
    assert set(got) == {"articles", "load_report", "sentences"}
    assert "compound" not in got["sentences"]
    pd.testing.assert_frame_equal(got["sentences"], sents)
    # the sentiment step scores the sentences and adds the spans; "sentences" always runs
    got = analyze_corpus(articles, backend="serial", cache=False, steps=("sentiment",))
    assert set(got) == {"articles", "load_report", "sentences", "spans"}
    assert {"neg", "neu", "pos", "compound"} <= set(got["spans"].columns)


def test_grouping_column_and_selection():
    df = framing.load_corpus(FIX / "articles.toml")
    got = analyze_corpus(df, backend="serial", cache=False, by="bias_text", top_outlets=None)
    # a9 has no bias_text: its own group "" (select_outlets calls it "(none)" in its table)
    assert set(got["frames"].bias_text) == {"left", "right", "center", ""}
    one = analyze_corpus(df, backend="serial", cache=False, outlets=["Daily Planet"])
    assert set(one["terms"].outlet) == {"Daily Planet"}
    assert len(one["sentences"]) == len(got["sentences"])  # per-article tables cover everything
    assert len(got["load_report"]) == 9


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"steps": ["vader"]}, "steps=['vader']"),
        ({"backend": "spark"}, "backend='spark'"),
        ({"chunk_size": 0}, "chunk_size=0"),
        ({"by": "nope"}, "by='nope'"),
    ],
)
def test_bad_options(articles, kwargs, fragment):
    with pytest.raises(ValueError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        analyze_corpus(articles, **{"backend": "serial", "cache": False, **kwargs})


def test_write_tables_round_trip(serial, tmp_path):
    files = write_tables(serial, tmp_path)
    assert len(files) == 2 * len(serial)
    back = pd.read_parquet(tmp_path / "quotes.parquet")
    pd.testing.assert_frame_equal(back, serial["quotes"], check_dtype=False)
    csv = pd.read_csv(tmp_path / "sentences.csv")
    assert csv.compound.round(4).tolist() == serial["sentences"].compound.round(4).tolist()


def test_mention_measures_read_the_analysis_mentions_as_found_again(cache_root):
    # notebook 03 passes the analysis's mentions (found once) instead of matching every actor
    # in every sentence again: the rates and the KWIC lines must be those found afresh
    run = framing.analysis(ROOT / "corpus" / "xi-putin-moscow-2023")
    sents, actors, found = run.table("sentences"), run.actors, run.table("actors")
    rates = framing.mention_rates(sents, actors, mentions=found)
    pd.testing.assert_frame_equal(rates, framing.mention_rates(sents, actors))
    kwic = framing.mention_kwic(sents, actors, mentions=found)
    pd.testing.assert_frame_equal(kwic, framing.mention_kwic(sents, actors))
    assert len(kwic) == rates["mentions"].sum() > 200  # the case study's 254 mentions
    xi = rates[(rates["outlet"] == "Semafor") & (rates["actor"] == "Xi Jinping")]
    assert xi["mentions"].item() == len(
        kwic[(kwic["doc_id"] == "semafor") & (kwic["actor"] == "Xi Jinping")]
    )
    # an article table (one key column): mentions found in the articles, passed back
    arts = run.articles
    in_arts = framing.actor_mentions(arts, actors)
    pd.testing.assert_frame_equal(
        framing.mention_kwic(arts, actors, mentions=in_arts), framing.mention_kwic(arts, actors)
    )
    pd.testing.assert_frame_equal(
        framing.mention_rates(arts, actors, mentions=in_arts), framing.mention_rates(arts, actors)
    )
    # mentions from other rows are refused, naming the first such row
    one = sents[sents["doc_id"] == "scmp"]
    with pytest.raises(
        ValueError, match=r"mentions row 0 \(doc_id='deseret', sent_id=\d+\) lies in none"
    ):
        framing.mention_rates(one, actors, mentions=found)
    with pytest.raises(ValueError, match="mentions has no column"):
        framing.mention_kwic(sents, actors, mentions=found.drop(columns="alias"))


def test_analysis_of_the_tiny_corpus_keeps_the_compared_outlets(
    tiny_csv, tiny, cache_root, monkeypatch
):
    seen = _spy_chunks(monkeypatch)
    # with the shipped actor table (the default for a corpus that is not the case study is one
    # built from it: tests/measures/test_actors.py)
    got = framing.analysis(tiny_csv, outlets=["North Herald"], actors=framing.load_actors())
    assert isinstance(got, framing.Analysis)
    assert seen == [["n1", "n2"]]  # only the compared articles are analysed
    assert got.all_articles.doc_id.tolist() == ["n1", "n2", "s1"]
    assert got.articles.doc_id.tolist() == ["n1", "n2"]
    assert got.groups == ["North Herald"] and got.by == "outlet"
    assert got.selection_note.startswith(
        "Comparing 1 of 2 values of outlet (chosen): 2 of 3 articles; 1 groups with 1 articles "
        "are left out."
    )
    # per-article tables are keyed; table() joins the group column right after doc_id
    assert "outlet" not in got.tables["sentences"]
    sents = got.table("sentences")
    assert list(sents.columns[:3]) == ["doc_id", "outlet", "para_id"]
    assert sents.text.tolist() == [
        "Xi Jinping arrived in Moscow on Monday.",
        "Vladimir Putin met him at the Kremlin.",
        "“We are old friends,” Putin said.",
        "The talks went on for hours.",
        "The peace plan was discussed.",
    ]
    assert set(sents.outlet) == {"North Herald"} and len(got.body) == 5
    assert got.table("sentences", columns=["title"]).title.tolist() == (
        ["Leaders meet"] * 3 + ["Talks go on"] * 2
    )
    quotes = got.table("quotes")
    assert quotes[["doc_id", "outlet", "start", "end", "quote", "speaker"]].values.tolist() == [
        ["n1", "North Herald", 81, 100, "We are old friends,", "Vladimir Putin"]
    ]
    assert got.tables["actors"][["doc_id", "sent_id", "actor"]].values.tolist() == [
        ["n1", 0, "Xi Jinping"], ["n1", 1, "Vladimir Putin"], ["n1", 2, "Vladimir Putin"],
    ]  # fmt: skip
    hits = got.tables["frame_hits"]
    assert hits[["doc_id", "sent_id", "frame", "match"]].values.tolist() == [
        ["n1", 2, "human interest", "friends"],
        ["n2", 0, "peace and negotiation", "talks"],
        ["n2", 1, "peace and negotiation", "peace"],
    ]
    # the group tables: rates per 1,000 of the group's 31 words (n1: 20, n2: 11)
    assert tiny.set_index("doc_id").n_words.to_dict() == {"n1": 20, "n2": 11, "s1": 10}
    frames = got.table("frames").set_index("frame")
    assert set(frames.outlet) == {"North Herald"} and set(frames.words) == {31}
    assert frames.hits[frames.hits > 0].to_dict() == {"human interest": 1,
                                                      "peace and negotiation": 2}  # fmt: skip
    assert frames.loc["peace and negotiation", "per_1000"] == pytest.approx(1000 * 2 / 31)
    assert got.table("terms").query("term == 'putin'")["count"].tolist() == [2]
    with pytest.raises(ValueError, match="name='nope' is not a table here"):
        got.table("nope")
    # the next notebook's analysis reads the same tables back from the cache
    seen.clear()
    again = framing.analysis(tiny_csv, outlets=["North Herald"], actors=framing.load_actors())
    assert seen == []
    _equal(again.tables, got.tables)
    # and the tables are those of analyze_corpus on the compared articles
    fresh = analyze_corpus(
        got.articles, backend="serial", cache=False, actors=framing.load_actors()
    )
    _equal(got.tables, fresh)


@requires_allsides()
def test_allsides_sample_by_leaning():
    df = framing.load_corpus(ROOT / "corpus" / "allsides.toml", limit=150)
    got = analyze_corpus(df, backend="serial", cache=False, by="bias_text", top_outlets=None)
    assert set(got["terms"].bias_text) == {"left", "center", "right"}
    assert got["sentences"].doc_id.nunique() == len(df)
    s = got["sentences"].merge(df[["doc_id", "text"]], on="doc_id", suffixes=("", "_article"))
    assert all(
        t[a:b] == x for t, a, b, x in zip(s.text_article, s.start, s.end, s.text, strict=True)
    )


# ------------------------------------------------------------------ outputs (issue #13)

OUTFIX = ROOT / "tests" / "fixtures" / "outputs"


@pytest.fixture(scope="module")
def small():
    """Four short articles: two with quotes, actors and frame terms, two with none."""
    return framing.load_corpus(OUTFIX / "articles.csv")


@pytest.fixture(scope="module")
def small_tables(small):
    return analyze_corpus(small, backend="serial", cache=False)


@pytest.mark.parametrize("namespace", ["rows-quotes", "rows-sentences", "rows-audit"])
def test_cleared_step_namespace_is_recomputed(
    small, small_tables, cache_root, monkeypatch, namespace
):
    seen = _spy_chunks(monkeypatch)
    _equal(analyze_corpus(small, backend="serial", chunk_size=2), small_tables)
    assert seen == [["o1", "o2"], ["o3", "o4"]]
    seen.clear()
    _equal(analyze_corpus(small, backend="serial", chunk_size=2), small_tables)
    assert seen == []  # the whole run from the cache
    assert framing.clear_cache("runs") == ["runs"]
    _equal(analyze_corpus(small, backend="serial", chunk_size=2), small_tables)
    assert seen == []  # all from the per-article cache, the empty audit of o2-o4 included
    removed = framing.clear_cache(namespace)
    assert removed == [namespace]
    _equal(analyze_corpus(small, backend="serial", chunk_size=2), small_tables)
    assert seen == []  # the whole run, cached again by the last run, needs no step
    assert framing.clear_cache("runs") == ["runs"]
    # before: quotes vanished from the tables, or a KeyError on "sentences"
    _equal(analyze_corpus(small, backend="serial", chunk_size=2), small_tables)
    assert seen == [["o1", "o2"], ["o3", "o4"]]


def test_unwritable_cache_degrades_to_no_cache_with_one_warning(small, small_tables, monkeypatch,
                                                                tmp_path):  # fmt: skip
    blocker = tmp_path / "a-file"  # a new path: no warning about it yet in this process
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("FRAMING_CACHE", str(blocker / "cache"))  # mkdir fails: NotADirectoryError
    with pytest.warns(framing.CacheWarning) as caught:
        got = analyze_corpus(small, backend="serial", chunk_size=1)
    _equal(got, small_tables)
    assert len(caught) == 1, [str(w.message) for w in caught]
    assert f"cache {blocker / 'cache'} cannot be written (NotADirectoryError" in str(
        caught[0].message
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_is_read_and_not_written(small, small_tables, cache_root):
    import warnings

    _equal(analyze_corpus(small, backend="serial"), small_tables)
    stored = sorted(cache_root.rglob("*"))
    for d in [cache_root, *cache_root.rglob("*")]:
        if d.is_dir():
            d.chmod(0o555)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", framing.CacheWarning)  # a pure read writes nothing
            got = analyze_corpus(small, backend="serial", chunk_size=1)
        _equal(got, small_tables)
        changed = small.copy()  # new keys: o3's rows, the run's and the groups' are computed
        changed.loc[2, "text"] = changed.loc[2, "text"] + " Rain came."
        with pytest.warns(framing.CacheWarning, match="cannot be written") as caught:
            got = analyze_corpus(changed, backend="serial", chunk_size=1)
        assert len(caught) == 1
        _equal(got, analyze_corpus(changed, backend="serial", cache=False))
        assert sorted(cache_root.rglob("*")) == stored
    finally:
        for d in [cache_root, *cache_root.rglob("*")]:
            if d.is_dir():
                d.chmod(0o755)


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_same_input_gives_the_same_bytes_cold_warm_cold(cache_root, tmp_path):
    # issue #13, item 14: articles.parquet carried a per-process uuid, and a chunk without rows
    # turned string columns to object, so sentences/quotes.parquet depended on cache and chunks
    from framing import cli

    def run(out, *extra):
        args = ["analyze", str(OUTFIX / "articles.csv"), "--out", str(tmp_path / out),
                "--no-progress", "--n-jobs", "1", *extra]  # fmt: skip
        assert cli.main(args) == 0
        return _files(tmp_path / out)

    cold = run("cold", "--chunk-size", "1")
    warm = run("warm", "--chunk-size", "3")
    framing.clear_cache()
    again = run("again")
    assert len(cold) == 2 * 12 + 1  # twelve tables as Parquet and CSV, and the run record
    for name in cold:
        assert cold[name] == warm[name] == again[name], name
    assert pd.read_parquet(tmp_path / "cold" / "quotes.parquet").speaker.dtype == "str"


def test_write_tables_records_the_run_and_read_tables_checks_it(small_tables, tmp_path):
    out = tmp_path / "t"
    files = write_tables(small_tables, out)
    record = json.loads((out / "framing-run.json").read_text(encoding="utf-8"))
    assert record["state"] == "complete" and len(record["run"]) == 16
    assert sorted(record["files"]) == sorted(p.name for p in files)
    entry = record["files"]["sentences.csv"]
    data = (out / "sentences.csv").read_bytes()
    assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    back = pipeline.read_tables(out)
    assert list(back) == [t for t in pipeline.TABLES if t in small_tables]
    pd.testing.assert_frame_equal(back["quotes"], small_tables["quotes"])
    # a table edited by hand, and a folder of tables framing did not write, are refused
    (out / "quotes.parquet").write_bytes(b"PAR1")
    with pytest.raises(pipeline.OutputError, match=r"quotes.parquet: changed since run"):
        pipeline.read_tables(out)
    (out / "framing-run.json").unlink()
    with pytest.raises(pipeline.OutputError, match="no framing-run.json"):
        pipeline.read_tables(out)


def test_a_smaller_run_removes_the_earlier_runs_tables(small, small_tables, tmp_path):
    # issue #13, item 5: `--steps sentiment` left 14 stale files beside 6 new ones
    out = tmp_path / "t"
    write_tables(small_tables, out)
    fewer = analyze_corpus(small, backend="serial", cache=False, steps=["sentiment"])
    write_tables(fewer, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "articles.csv", "articles.parquet", "framing-run.json", "load_report.csv",
        "load_report.parquet", "sentences.csv", "sentences.parquet", "spans.csv",
        "spans.parquet",
    ]  # fmt: skip
    assert set(pipeline.read_tables(out)) == {"articles", "load_report", "sentences", "spans"}


_PAUSING_RUN = r"""
import os, sys, time
from pathlib import Path
from framing import cli

out, phase, signal = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
def pause():
    signal.write_text("paused", encoding="utf-8")
    time.sleep(600)
if phase == "tables":  # while the tables are written, after the third file
    import pandas as pd
    real, n = pd.DataFrame.to_parquet, [0]
    def slow(frame, path, *args, **kwargs):
        real(frame, path, *args, **kwargs)
        if Path(path).parent.name.startswith(".framing-tmp-"):  # a table, not a cache shard
            n[0] += 1
            if n[0] == 2:  # articles.parquet, articles.csv, load_report.parquet written
                pause()
    pd.DataFrame.to_parquet = slow
else:  # while they are moved into place, after the first
    real_replace = os.replace
    def slow_replace(src, dst):
        real_replace(src, dst)
        if Path(dst).parent == out and Path(dst).suffix in (".csv", ".parquet"):
            pause()
    os.replace = slow_replace
sys.exit(cli.main(["analyze", sys.argv[4], "--out", str(out), "--no-progress", "--n-jobs", "1"]))
"""


@pytest.mark.parametrize("phase", ["tables", "moves"])
def test_kill_during_write_leaves_the_previous_run_or_a_marked_one(
    phase, cache_root, tmp_path
):  # fmt: skip
    from framing import cli

    first = tmp_path / "first.csv"
    first.write_bytes((OUTFIX / "articles.csv").read_bytes())
    out = tmp_path / "t"
    assert (
        cli.main(["analyze", str(first), "--out", str(out), "--no-progress", "--n-jobs", "1"]) == 0
    )
    before = _files(out)
    changed = tmp_path / "changed.csv"  # another run: o3 gets a sentence more
    changed.write_text(
        first.read_text(encoding="utf-8").replace("north fields.", "north fields. Rain came."),
        encoding="utf-8",
    )
    signal = tmp_path / "paused"
    script = tmp_path / "run.py"
    script.write_text(_PAUSING_RUN, encoding="utf-8")
    env = {**os.environ, "FRAMING_CACHE": str(cache_root)}
    cmd = [sys.executable, str(script), str(out), phase, str(signal), str(changed)]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not signal.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal_mod.SIGKILL)
    proc.wait()
    proc.stderr.close()
    left = sorted(p.name for p in out.iterdir())
    if phase == "tables":
        # the previous complete run, untouched; the new tables only in the hidden temporary
        # folder, which the next write removes
        assert _files(out) == before
        assert [n for n in left if n not in before] == [
            next(n for n in left if n.startswith(".framing-tmp-"))
        ]
        assert len(pipeline.read_tables(out)["sentences"]) == 10
    else:
        # files of two runs side by side, and the record says so: read_tables refuses them
        record = json.loads((out / "framing-run.json").read_text(encoding="utf-8"))
        assert record["state"] == "writing"
        assert _files(out) != before
        with pytest.raises(pipeline.OutputError, match="was interrupted while writing"):
            pipeline.read_tables(out)
    assert (
        cli.main(["analyze", str(changed), "--out", str(out), "--no-progress", "--n-jobs", "1"])
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(before)  # no temporary folder left
    assert len(pipeline.read_tables(out)["sentences"]) == 11


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid``, read from /proc (no psutil here)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_workers_stop_when_analyze_is_killed(tmp_path):
    # issue #13, item 7: after a SIGKILL of `framing analyze`, two loky workers and two
    # resource trackers stayed alive for minutes
    texts = pd.read_csv(OUTFIX / "articles.csv").text.tolist()
    rows = [{"id": f"n{i}", "outlet": f"Outlet {i % 3}", "text": f"{texts[i % 4]} Item {i}."}
            for i in range(60)]  # fmt: skip
    corpus = tmp_path / "many.csv"
    pd.DataFrame(rows).to_csv(corpus, index=False)
    cache = tmp_path / "cache"
    env = {**os.environ, "FRAMING_CACHE": str(cache)}
    cmd = [sys.executable, "-m", "framing.cli", "analyze", str(corpus), "--out",
           str(tmp_path / "t"), "--no-progress", "--n-jobs", "2", "--chunk-size", "2"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    kids: set[int] = set()
    try:
        # in the parallel step: the workers have sent back chunks (written to the cache)
        deadline = time.monotonic() + 120
        while not list(cache.glob("rows-sentences/*/*.parquet")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        kids = _children(proc.pid)
        cmdlines = [Path(f"/proc/{k}/cmdline").read_bytes() for k in kids if _alive(k)]
        assert sum(b"popen_loky" in c for c in cmdlines) == 2, cmdlines
        assert proc.poll() is None, "the run ended before its workers were seen"
        proc.send_signal(signal_mod.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {k: Path(f"/proc/{k}/cmdline").read_bytes()[:80] for k in kids if _alive(k)}
        assert left == {}
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for k in kids:  # on failure, do not leave this test's own processes behind
            if _alive(k):
                with contextlib.suppress(OSError):
                    os.kill(k, signal_mod.SIGKILL)


@pytest.fixture(scope="module")
def fewer_tables(small):
    return analyze_corpus(small, backend="serial", cache=False, steps=["sentiment"])


def test_a_run_never_deletes_or_overwrites_its_input(small_tables, fewer_tables, tmp_path):
    # review 1.2: the earlier run's articles.csv, given as the input, was unlinked as stale
    out = tmp_path / "t"
    write_tables(fewer_tables, out)
    before = _files(out)
    src = out / "articles.csv"
    for call in (
        lambda: pipeline.check_output(out, formats=("parquet",), inputs=[src]),
        lambda: write_tables(fewer_tables, out, formats=("parquet",), inputs=[src]),
    ):
        with pytest.raises(pipeline.OutputError, match=r"is the input .* would delete it"):
            call()
    with pytest.raises(pipeline.OutputError, match=r"is the input .* would overwrite it"):
        write_tables(fewer_tables, out, formats=("csv",), inputs=[src])
    assert _files(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(before)  # no temporary folder left


def _victim(tmp_path) -> tuple[Path, dict]:
    # a record entry (size and sha256) that matches the file: as framing records its own
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's\n", encoding="utf-8")
    data = victim.read_bytes()
    return victim, {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _edit_record(out: Path, **changes) -> None:
    path = out / "framing-run.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(json.dumps(record), encoding="utf-8")


def test_a_crafted_record_cannot_name_files_outside_the_folder(
    small_tables, fewer_tables, tmp_path
):  # fmt: skip
    # review 1.3: record entries were unlinked as given: out / "../x", out / "/abs/path"
    out = tmp_path / "t"
    write_tables(small_tables, out)
    victim, entry = _victim(tmp_path)
    record = json.loads((out / "framing-run.json").read_text(encoding="utf-8"))
    _edit_record(
        out,
        state="writing",
        files={**record["files"], "../victim.txt": entry, str(victim): entry},
        previous_files={"../victim.txt": entry, str(victim): entry, "x/../../victim.txt": entry},
    )
    write_tables(fewer_tables, out)
    assert victim.read_text(encoding="utf-8") == "the user's\n"
    assert set(pipeline.read_tables(out)) == {"articles", "load_report", "sentences", "spans"}
    assert len(list(out.iterdir())) == 9  # the eight table files and the record


@pytest.mark.parametrize("field", ["files", "previous_files"])
def test_a_record_listing_a_string_deletes_nothing(small_tables, fewer_tables, tmp_path, field):
    # review 1.3: "files": "abc" became the names a, b, c
    out = tmp_path / "t"
    write_tables(small_tables, out)
    for name in "abc":
        (out / name).write_text(name, encoding="utf-8")
    _edit_record(out, **{field: "abc"})
    if field == "files":  # not a record: nothing written, nothing removed
        with pytest.raises(pipeline.OutputError, match="not a framing run record"):
            write_tables(fewer_tables, out)
        assert len(list(out.iterdir())) == 2 * 12 + 1 + 3  # tables, record, a b c
    else:  # a list or a string of names is not trusted: only "files" entries are framing's
        write_tables(fewer_tables, out)
        assert sorted(p.name for p in out.iterdir() if len(p.name) == 1) == ["a", "b", "c"]
    assert [(out / n).read_text(encoding="utf-8") for n in "abc"] == ["a", "b", "c"]


def test_an_edited_table_and_a_symlink_are_the_users(small_tables, fewer_tables, tmp_path):
    # review 1.3: delete or overwrite only files whose size and sha256 still match the record
    out = tmp_path / "t"
    write_tables(small_tables, out)
    victim, entry = _victim(tmp_path)
    with open(out / "quotes.csv", "a", encoding="utf-8") as f:
        f.write("my,own,row\n")
    edited = (out / "quotes.csv").read_bytes()
    (out / "actors.csv").unlink()
    (out / "actors.csv").symlink_to(victim)
    record = json.loads((out / "framing-run.json").read_text(encoding="utf-8"))
    _edit_record(out, files={**record["files"], "actors.csv": entry})  # even if it matches
    write_tables(fewer_tables, out)  # they stay, beside the new run's tables
    assert (out / "quotes.csv").read_bytes() == edited
    assert (out / "actors.csv").is_symlink() and victim.read_text(
        encoding="utf-8"
    ) == "the user's\n"
    assert not (out / "quotes.parquet").exists() and not (out / "actors.parquet").exists()
    record = json.loads((out / "framing-run.json").read_text(encoding="utf-8"))
    assert sorted(record["files"]) == [
        "articles.csv", "articles.parquet", "load_report.csv", "load_report.parquet",
        "sentences.csv", "sentences.parquet", "spans.csv", "spans.parquet",
    ]  # fmt: skip
    with pytest.raises(pipeline.OutputError, match="holds actors.csv, quotes.csv, not written"):
        write_tables(small_tables, out)
    assert (out / "quotes.csv").read_bytes() == edited


def test_a_live_writers_temporary_folder_survives_another_write(small_tables, tmp_path):
    # review 1.7: every .framing-tmp-* was removed, a concurrent run's live folder too
    out = tmp_path / "t"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    live = out / f".framing-tmp-{os.getpid()}-abc123"
    gone = out / f".framing-tmp-{int(dead.stdout)}-abc123"
    old_style = out / ".framing-tmp-k2j4_x9q"  # a framing before pids: its run is over
    for folder in (live, gone, old_style):
        folder.mkdir()
        (folder / "sentences.csv").write_text("half\n", encoding="utf-8")
    write_tables(small_tables, out)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [live.name]
    assert (live / "sentences.csv").read_text(encoding="utf-8") == "half\n"
    assert len(pipeline.read_tables(out)["sentences"]) == 10


def test_two_writers_into_one_folder_take_turns(small_tables, tmp_path):
    import fcntl
    import threading

    out = tmp_path / "t"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another writer holds the folder
    done: list[object] = []
    writer = threading.Thread(target=lambda: done.append(write_tables(small_tables, out)))
    writer.start()
    try:
        time.sleep(1.0)
        assert writer.is_alive() and done == []
        assert list(out.iterdir()) == []  # waiting: not even a temporary folder yet
    finally:
        os.close(fd)
    writer.join(60)
    assert len(done) == 1 and len(pipeline.read_tables(out)["sentences"]) == 10


def test_a_full_disk_while_writing_leaves_the_folder_as_it_was(small_tables, tmp_path, monkeypatch):
    # (seen in a benchmark: `framing analyze` ended in a raw pyarrow OSError traceback when the
    # disk filled while it wrote articles.parquet)
    out = tmp_path / "t"
    write_tables(small_tables, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = pipeline._write_table

    def fill_up(frame, path, ext):
        if path.name == "quotes.parquet":
            raise OSError(28, "No space left on device")
        real(frame, path, ext)

    monkeypatch.setattr(pipeline, "_write_table", fill_up)
    with pytest.raises(pipeline.OutputError, match=r"cannot write quotes.parquet \(No space"):
        write_tables(small_tables, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # the command line says it in one line, no traceback
    from framing import cli

    code = cli.main(["analyze", str(OUTFIX / "articles.csv"), "--out", str(tmp_path / "cli"),
                     "--no-progress", "--n-jobs", "1", "--no-cache"])  # fmt: skip
    assert code == 2


def test_tables_not_held_are_the_held_ones_read_back(small, small_tables, cache_root, monkeypatch):
    # hold_tables=False (the report's analysis step, which only fills the cache): the
    # per-article tables the group comparisons do not read go to the cache before those run and
    # are let go; the tables come back read from the cache when asked for, the very same
    seen = {}
    real = pipeline._compute

    def spy(*args, **kw):
        out = real(*args, **kw)
        seen.update({n: f is None for n, f in out.items()})
        return out

    monkeypatch.setattr(pipeline, "_compute", spy)
    light = analyze_corpus(small, backend="serial", hold_tables=False)
    assert isinstance(light, pipeline.RunTables)
    spilled = {n for n, gone in seen.items() if gone}
    assert spilled == {"audit", "spans", "actors", "quotes"}  # let go before the comparisons
    assert not set(light.read) & set(seen)  # none of the computed tables is held now
    assert list(light) == list(small_tables)
    for name in small_tables:
        pd.testing.assert_frame_equal(light[name], small_tables[name], check_like=False)


def test_tables_not_held_stay_held_where_the_cache_cannot_take_them(small, small_tables, cache_root,
                                                                     monkeypatch):  # fmt: skip
    # (a review found them lost: a write the cache refused was taken as done)
    from framing.cache import FrameCache

    real = FrameCache.put_frame

    def refuse(self, key, frame):
        if key.endswith(("-quotes", "-terms")):
            return None  # as a full or foreign cache folder does, with one warning
        return real(self, key, frame)

    monkeypatch.setattr(FrameCache, "put_frame", refuse)
    light = analyze_corpus(small, backend="serial", hold_tables=False)
    assert {"quotes", "terms"} <= set(light.read)  # held: the cache does not have them
    assert list(light) == list(small_tables)
    for name in small_tables:
        pd.testing.assert_frame_equal(light[name], small_tables[name])
