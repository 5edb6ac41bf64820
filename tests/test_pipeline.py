"""The whole analysis as tables: equal whatever the backend, the chunking or the cache state."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, requires_allsides

import framing
from framing import pipeline
from framing.pipeline import analyze, write_tables

FIX = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture()
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def serial(articles):
    return analyze(articles, backend="serial", cache=False)


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
    pd.testing.assert_frame_equal(serial["quotes"], framing.quotes(articles))
    pd.testing.assert_frame_equal(
        serial["actors"], framing.actor_mentions(sents[sents.kind == "body"]).reset_index(drop=True)
    )
    hits = framing.frame_hits(sents).drop(columns="text")  # the sentence text is not repeated
    pd.testing.assert_frame_equal(serial["frame_hits"], hits)
    assert "text_raw" not in serial["articles"] and len(serial["articles"]) == 4
    # every group comparison covers the four outlets
    assert set(serial["terms"].outlet) == set(articles.outlet)
    assert set(serial["log_odds"].outlet) == set(articles.outlet)
    assert serial["log_odds"].groupby("outlet").size().max() <= 50
    assert set(serial["frames"].outlet) == set(articles.outlet)
    # the rates are counted from the frame hits, and equal matching the sentences again
    pd.testing.assert_frame_equal(
        serial["frames"], framing.frame_scores(s, n_boot=framing.FRAME_N_BOOT)
    )


def test_joblib_chunks_give_the_same_tables(serial, articles):
    _equal(serial, analyze(articles, backend="joblib", n_jobs=2, chunk_size=1, cache=False))


def test_cache_rerun_equal_and_a_changed_article_alone_recomputed(
    articles, serial, cache_root, monkeypatch
):
    seen: list[list[str]] = []
    real = pipeline._article_tables

    def spy(chunk, steps):
        seen.append(list(chunk.doc_id))
        return real(chunk, steps)

    monkeypatch.setattr(pipeline, "_article_tables", spy)
    cold = analyze(articles, backend="serial", chunk_size=2)
    assert seen == [["deseret", "student"], ["scmp", "semafor"]]
    _equal(cold, serial)
    seen.clear()
    warm = analyze(articles, backend="serial", chunk_size=2)
    assert seen == []  # everything read from the cache
    _equal(warm, serial)
    changed = articles.copy()
    changed.loc[2, "text"] = changed.loc[2, "text"] + "\n\nA new closing sentence."
    seen.clear()
    again = analyze(changed, backend="serial", chunk_size=2)
    assert seen == [["scmp"]]
    fresh = analyze(changed, backend="serial", cache=False)
    _equal(again, fresh)
    assert (again["sentences"].doc_id == "scmp").sum() == (
        serial["sentences"].doc_id == "scmp"
    ).sum() + 1


def test_dask_cluster_at_an_address_gives_the_same_tables(serial, articles):
    # a scheduler address, as for a real cluster; in-process workers keep the test quick
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        got = analyze(
            articles, backend="dask", scheduler=cluster.scheduler_address, chunk_size=1, cache=False
        )
    _equal(serial, got)


def test_missing_step_is_skipped_with_a_message(articles, monkeypatch, capsys):
    monkeypatch.delattr(framing, "quotes")
    got = analyze(articles, backend="serial", cache=False, steps=["sentences", "quotes"])
    assert "quotes" not in got and "sentences" in got
    assert "step 'quotes' skipped: framing has no quotes yet" in capsys.readouterr().err


def test_steps_subset(articles):
    got = analyze(articles, backend="serial", cache=False, steps=["sentences"])
    assert set(got) == {"articles", "load_report", "sentences"}
    assert "compound" not in got["sentences"]


def test_grouping_column_and_selection():
    df = framing.load_corpus(FIX / "articles.toml")
    got = analyze(df, backend="serial", cache=False, by="bias_text", top_outlets=None)
    # a9 has no bias_text: its own group "" (select_outlets calls it "(none)" in its table)
    assert set(got["frames"].bias_text) == {"left", "right", "center", ""}
    one = analyze(df, backend="serial", cache=False, outlets=["Daily Planet"])
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
        analyze(articles, **{"backend": "serial", "cache": False, **kwargs})


def test_write_tables_round_trip(serial, tmp_path):
    files = write_tables(serial, tmp_path)
    assert len(files) == 2 * len(serial)
    back = pd.read_parquet(tmp_path / "quotes.parquet")
    pd.testing.assert_frame_equal(back, serial["quotes"], check_dtype=False)
    csv = pd.read_csv(tmp_path / "sentences.csv")
    assert csv.compound.round(4).tolist() == serial["sentences"].compound.round(4).tolist()


def test_code_version_changes_with_the_files():
    assert pipeline.code_version("sentences") != pipeline.code_version("quotes")
    assert len(pipeline.code_version("sentiment")) == 16


@requires_allsides()
def test_allsides_sample_by_leaning():
    df = framing.load_corpus(ROOT / "corpus" / "allsides.toml", limit=150)
    got = analyze(df, backend="serial", cache=False, by="bias_text", top_outlets=None)
    assert set(got["terms"].bias_text) == {"left", "center", "right"}
    assert got["sentences"].doc_id.nunique() == len(df)
    s = got["sentences"].merge(df[["doc_id", "text"]], on="doc_id", suffixes=("", "_article"))
    assert all(
        t[a:b] == x for t, a, b, x in zip(s.text_article, s.start, s.end, s.text, strict=True)
    )
