"""Importing a corpus: every format, every bad-row reason, raise or drop with the report kept."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil

import pandas as pd
import pytest
from conftest import ALLSIDES, CORPUS, ROOT, requires_allsides

import framing
from framing import CorpusError
from framing.imports import parse_any_date

FIX = ROOT / "tests" / "fixtures" / "import"
MAPPING = {
    "id": "article_id",
    "text": "body",
    "outlet": "source",
    "date": "pub",
    "title": "headline",
}
TABLES = ["articles.csv", "articles.jsonl", "articles.jsonl.gz", "articles.parquet"]

# What the fixture table holds, row by row (tests/fixtures/import/articles.csv).
DROPPED = {
    ("a3", 3): "unparseable_date",  # 9/6/17 with ISO only
    ("a4", 4): "impossible_date",  # 0001-11-30
    ("a6", 6): "empty_text",
    ("a2", 7): "duplicate_id",
    ("a8", 8): "duplicate_text",
    ("a10", 10): "debris_only",  # "Title icon" and "Top of page" only
    ("a11", 11): "unparseable_date",  # "24 March 2023"
}
KEPT = {("a5", 5): "missing_date", ("a9", 9): "missing_outlet"}


def _report_dict(articles, action):
    rep = framing.load_report(articles)
    rep = rep[rep.action == action]
    return {(d, r): reason for d, r, reason in zip(rep.doc_id, rep.row, rep.reason, strict=True)}


@pytest.mark.parametrize("name", TABLES)
def test_every_table_format_gives_the_same_articles_and_report(name):
    df = framing.load_corpus(FIX / name, columns=MAPPING, on_error="drop")
    assert df.doc_id.tolist() == ["a1", "a2", "a5", "a9"]
    assert df.outlet.tolist() == ["Daily Planet", "Gotham Gazette", "Central Post", "(unknown)"]
    assert df.title.tolist()[:2] == ["Xi arrives in Moscow", "Talks end"]
    assert df.published.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2023-03-20", "2023-03-21"]
    assert df.published.isna().tolist() == [False, False, True, False]
    assert df.loc[0, "text"] == (
        "Xi Jinping arrived in Moscow on Monday. He was met by Vladimir Putin.\n\n"
        "The two leaders spoke for hours."
    )
    assert df.loc[0, "n_words"] == 19
    assert df.loc[0, "provenance"] == f"{name} row 1"
    assert df.bias_text.tolist() == ["left", "right", "center", ""]  # unmapped column kept
    assert _report_dict(df, "dropped") == DROPPED
    assert _report_dict(df, "kept") == KEPT


def test_report_counts_per_reason():
    df = framing.load_corpus(FIX / "articles.csv", columns=MAPPING, on_error="drop")
    counts = framing.load_report(df, level="reasons").set_index("reason")
    assert counts.n_rows.to_dict() == {
        "empty_text": 1,
        "duplicate_id": 1,
        "unparseable_date": 2,
        "impossible_date": 1,
        "duplicate_text": 1,
        "debris_only": 1,
        "missing_date": 1,
        "missing_outlet": 1,
    }
    assert counts.loc["unparseable_date", "doc_ids"] == "a3, a11"


def test_report_survives_filtering_and_copies():
    df = framing.load_corpus(FIX / "articles.csv", columns=MAPPING, on_error="drop")
    sub = df[df.outlet == "Daily Planet"].copy()
    assert len(framing.load_report(sub)) == len(framing.load_report(df)) == 9


def test_us_date_needs_an_explicit_format():
    df = framing.load_corpus(
        FIX / "articles.csv", columns=MAPPING, on_error="drop", date_formats=["iso", "%m/%d/%y"]
    )
    a3 = df.set_index("doc_id").loc["a3"]
    assert a3.published == pd.Timestamp("2017-09-06")
    rep = framing.load_report(df)
    assert rep.loc[rep.doc_id == "a3", ["reason", "action"]].values.tolist() == [
        ["nonstandard_date", "kept"]
    ]


def test_raise_names_file_row_and_problem():
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(FIX / "articles.csv", columns=MAPPING)
    err = info.value
    assert err.row == 3 and err.file.endswith("articles.csv")
    assert "unparseable date (doc_id 'a3')" in str(err) and "'9/6/17'" in str(err)


def _one_bad_row(tmp_path, body, date="2023-03-20", ident="b", extra_first=True):
    rows = [{"id": "a", "outlet": "X", "date": "2023-03-20", "text": "A good first article."}]
    rows.append({"id": ident, "outlet": "X", "date": date, "text": body})
    path = tmp_path / "t.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("body", "date", "ident", "fragment"),
    [
        ("  ", "2023-03-20", "b", "empty text (doc_id 'b')"),
        ("Fine text.", "9/6/17", "b", "unparseable date"),
        (
            "Fine text.",
            "0001-11-30",
            "b",
            "impossible date (doc_id 'b'): date 0001-11-30 is before",
        ),
        ("Fine text.", "2023-02-30", "b", "unparseable date"),
        ("Fine text.", "2999-01-01", "b", "is in the future"),
        ("Fine text.", "2023-03-20", "a", "duplicate id (doc_id 'a'): first used in row 1"),
        (
            "A good first article.",
            "2023-03-20",
            "b",
            "duplicate text (doc_id 'b'): same text as 'a'",
        ),
        ("Title icon", "2023-03-20", "b", "debris only (doc_id 'b')"),
    ],
)
def test_each_reason_raises_with_row_two(tmp_path, body, date, ident, fragment):
    path = _one_bad_row(tmp_path, body, date, ident)
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(path)
    assert info.value.row == 2 and "t.csv" in str(info.value)
    assert fragment in str(info.value)
    df = framing.load_corpus(path, on_error="drop")
    assert df.doc_id.tolist() == ["a"]
    assert framing.load_report(df).row.tolist() == [2]


def test_empty_id_is_reported(tmp_path):
    path = _one_bad_row(tmp_path, "Fine text.", ident="")
    df = framing.load_corpus(path, on_error="drop")
    assert framing.load_report(df).reason.tolist() == ["empty_id"]


def test_malformed_json_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "One.", "outlet": "X"}\n{"text": oops\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.jsonl, row 2: unreadable row"):
        framing.load_corpus(path)
    df = framing.load_corpus(path, on_error="drop")
    assert df.doc_id.tolist() == ["row-1"]
    assert framing.load_report(df).reason.tolist() == ["unreadable_row"]


def test_table_not_utf8_names_byte_offset(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"text,outlet\ncaf\xe9,X\n")
    with pytest.raises(CorpusError, match="byte offset 15"):
        framing.load_corpus(path)


def test_table_with_paths_reads_text_files():
    cols = {"id": "article_id", "outlet": "source", "date": "pub", "title": "headline"}
    df = framing.load_corpus(FIX / "with_paths.csv", columns=cols, on_error="drop")
    assert df.doc_id.tolist() == ["a1", "a2", "a5", "a9"]
    assert df.loc[1, "text_raw"] == (FIX / "texts" / "1.txt").read_text(encoding="utf-8")
    assert df.loc[1, "path"] == str((FIX / "texts" / "1.txt").resolve())


def test_table_with_a_missing_text_file(tmp_path):
    (tmp_path / "t.csv").write_text("path,outlet\nnope.txt,X\nok.txt,X\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Fine.", encoding="utf-8")
    with pytest.raises(CorpusError, match="nope.txt, row 1: file not found"):
        framing.load_corpus(tmp_path / "t.csv")
    df = framing.load_corpus(tmp_path / "t.csv", on_error="drop")
    assert framing.load_report(df).reason.tolist() == ["missing_file"]


def test_folder_of_text_files():
    df = framing.load_corpus(FIX / "folder")
    assert df.doc_id.tolist() == [
        "daily-planet/talks",
        "daily-planet/xi-arrives",
        "gotham/summit",
        "loose",
    ]
    assert df.outlet.tolist() == ["daily-planet", "daily-planet", "gotham", "(unknown)"]
    assert df.loc[0, "text"] == "The talks went on.\n\nThey ended late."
    assert df.published.isna().all()
    rep = framing.load_report(df)
    assert rep.reason.tolist() == ["missing_outlet"] and rep.doc_id.tolist() == ["loose"]
    sents = framing.sentences(df)
    assert sents.groupby("doc_id").size().to_dict() == {
        "daily-planet/talks": 2,
        "daily-planet/xi-arrives": 2,
        "gotham/summit": 1,
        "loose": 1,
    }


def test_folder_with_a_bad_file(tmp_path):
    shutil.copytree(FIX / "folder", tmp_path / "f")
    (tmp_path / "f" / "gotham" / "bad.txt").write_bytes(b"caf\xe9")
    (tmp_path / "f" / "gotham" / "empty.txt").write_bytes(b"\n")
    with pytest.raises(CorpusError, match="bad.txt, row 3: not valid UTF-8: byte offset 3"):
        framing.load_corpus(tmp_path / "f")
    df = framing.load_corpus(tmp_path / "f", on_error="drop")
    rep = framing.load_report(df)
    assert rep[rep.action == "dropped"].reason.tolist() == ["not_utf8", "empty_text"]


def test_spec_file_reads_its_table_with_its_options():
    df = framing.load_corpus(FIX / "articles.toml")
    assert df.doc_id.tolist() == ["a1", "a2", "a3", "a5", "a9"]
    # an explicit argument wins over the spec
    with pytest.raises(CorpusError):
        framing.load_corpus(FIX / "articles.toml", on_error="raise")


def test_limit_reads_the_first_rows():
    df = framing.load_corpus(FIX / "articles.jsonl", columns=MAPPING, on_error="drop", limit=2)
    assert df.doc_id.tolist() == ["a1", "a2"]


def test_manifest_corpus_unchanged_and_its_report_empty(articles):
    assert framing.load_report(articles).empty
    assert framing.corpus_format(CORPUS) == "manifest"
    assert framing.corpus_format(CORPUS / "manifest.csv") == "manifest"


def test_manifest_drop_mode_keeps_good_rows(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "c")
    (tmp_path / "c" / "articles" / "002_2e2360023d3653eb.txt").unlink()
    with pytest.raises(CorpusError, match="file not found"):
        framing.load_corpus(tmp_path / "c")
    df = framing.load_corpus(tmp_path / "c", on_error="drop")
    assert df.doc_id.tolist() == ["deseret", "student", "semafor"]
    rep = framing.load_report(df)
    assert rep[["doc_id", "row", "reason"]].values.tolist() == [["scmp", 3, "missing_file"]]


def test_missing_mapped_column_is_named():
    with pytest.raises(CorpusError, match="columns maps 'text' to 'nope'"):
        framing.load_corpus(FIX / "articles.csv", columns={"text": "nope"})


def test_no_text_column(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no text column"):
        framing.load_corpus(tmp_path / "t.csv")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"on_error": "skip"}, "on_error='skip'"),
        ({"format": "xml"}, "format='xml'"),
        ({"columns": {"body": "text"}}, "unknown roles ['body']"),
        ({"date_formats": "%m/%d/%y"}, "date_formats='%m/%d/%y'"),
        ({"limit": 0}, "limit=0"),
    ],
)
def test_bad_options_raise_value_error(kwargs, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        framing.load_corpus(FIX / "articles.csv", **kwargs)


def test_bad_report_level(articles):
    with pytest.raises(ValueError, match="level='all'"):
        framing.load_report(articles, level="all")
    with pytest.raises(ValueError, match="no load report"):
        framing.load_report(pd.DataFrame({"doc_id": []}))


@pytest.mark.parametrize(
    ("value", "formats", "want"),
    [
        ("2023-03-20", ["iso"], (dt.date(2023, 3, 20), None, "iso")),
        ("2023-03-20T10:15:00Z", ["iso"], (dt.date(2023, 3, 20), None, "iso")),
        ("9/6/17", ["iso"], (None, "unparseable_date")),
        ("9/6/17", ["iso", "%m/%d/%y"], (dt.date(2017, 9, 6), None, "%m/%d/%y")),
        ("9/6/17", ["iso", "%d/%m/%y"], (dt.date(2017, 6, 9), None, "%d/%m/%y")),
        ("0001-11-30", ["iso"], (None, "impossible_date")),
        ("", ["iso"], (None, "missing_date", "")),
        (None, ["iso"], (None, "missing_date", "")),
        (pd.Timestamp("2020-01-02 13:00"), ["iso"], (dt.date(2020, 1, 2), None, "iso")),
    ],
)
def test_parse_any_date(value, formats, want):
    got = parse_any_date(value, formats, latest=dt.date(2026, 1, 1))
    assert got[: len(want)] == want


# ------------------------------------------------------------------ the shared AllSides corpus


@requires_allsides()
def test_allsides_spec_on_its_first_3000_rows():
    df = framing.load_corpus(ROOT / "corpus" / "allsides.toml", limit=3000)
    assert {"bias_text", "topic"} <= set(df.columns)
    assert set(df.bias_text) == {"left", "center", "right"}
    rep = framing.load_report(df)
    dup = rep[rep.reason == "duplicate_text"]
    # row 2833 repeats row 2805's text word for word
    assert dup[["doc_id", "row"]].values.tolist() == [["4f9T7EOWoKACQEX2", 2833]]
    assert len(df) + (rep.action == "dropped").sum() == 3000
    assert (rep.reason == "missing_date").sum() == df.published.isna().sum() > 0
    assert (rep.reason == "nonstandard_date").sum() > 0


@requires_allsides()
def test_allsides_us_dates_agree_with_their_urls():
    # every US-style date (e.g. 9/6/17) read as %m/%d/%y equals the date in its article's URL
    # (35 of the 37 URLs carry a full date),
    # which is why the spec accepts that format; 0001-11-30 and 2050-09-30 are impossible
    url_date = re.compile(r"/(20\d\d)/(\d\d?|[a-z]{3})/(\d\d?)/")
    months = {
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    }
    checked, impossible = 0, []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            got = parse_any_date(d["date"], ["iso", "%m/%d/%y"], latest=dt.date(2026, 1, 1))
            if got[1] == "impossible_date":
                impossible.append(d["date"])
            if "/" not in d["date"]:
                continue
            m = url_date.search(d["url"])
            if not m:  # two URLs carry no full date
                continue
            month = int(m[2]) if m[2].isdigit() else months[m[2]]
            assert got[0] == dt.date(int(m[1]), month, int(m[3])), (d["date"], d["url"])
            checked += 1
    assert checked == 35
    assert sorted(impossible) == ["0001-11-30", "0001-11-30", "2050-09-30"]


@requires_allsides()
def test_allsides_second_load_reads_the_cache_and_is_equal(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    first = framing.load_corpus(ROOT / "corpus" / "allsides.toml", limit=300)
    assert list((tmp_path / "cache" / "corpus").rglob("*.parquet"))
    again = framing.load_corpus(ROOT / "corpus" / "allsides.toml", limit=300)
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(framing.load_report(first), framing.load_report(again))
    other = framing.load_corpus(ROOT / "corpus" / "allsides.toml", limit=200)
    assert len(other) < len(first)
