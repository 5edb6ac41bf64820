"""Reading a corpus (framing.io.readers): every format, every bad-row reason, raise or drop with
the report kept."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil

import pandas as pd
import pytest

import framing
from framing import CorpusError
from framing.cache import code_version
from framing.io import load
from framing.io.readers import corpus_format
from framing.io.rows import parse_any_date
from tests.conftest import ALLSIDES, CORPUS, ROOT, requires_allsides

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
    assert corpus_format(CORPUS) == "manifest"
    assert corpus_format(CORPUS / "manifest.csv") == "manifest"


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


# ------------------------------------------ issue 13: nothing lost, nothing let in (the loader)

LOADER = ROOT / "tests" / "fixtures" / "loader"


def _rows(frame_or_report, *cols):
    return frame_or_report[list(cols)].values.tolist()


@pytest.mark.parametrize("bad", ["../SECRET.txt", "/etc/passwd", "sub/../../SECRET.txt"])
def test_table_path_column_refuses_files_outside_its_folder(tmp_path, bad):
    (tmp_path / "SECRET.txt").write_text("The secret text of another project.", encoding="utf-8")
    (tmp_path / "t" / "sub").mkdir(parents=True)
    (tmp_path / "t" / "ok.txt").write_text("A text inside the folder.", encoding="utf-8")
    table = tmp_path / "t" / "t.csv"
    table.write_text(f"path,outlet\nok.txt,X\n{bad},Y\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(table)
    assert info.value.row == 2 and info.value.reason == "path_escapes"
    assert f"path {bad!r}" in str(info.value) and "lies outside the table's folder" in str(
        info.value
    )
    df = framing.load_corpus(table, on_error="drop")
    assert df.text.tolist() == ["A text inside the folder."]
    assert _rows(framing.load_report(df), "row", "reason") == [[2, "path_escapes"]]


def test_table_path_column_refuses_a_symlink_out(tmp_path):
    (tmp_path / "SECRET.txt").write_text("The secret text of another project.", encoding="utf-8")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "link.txt").symlink_to(tmp_path / "SECRET.txt")
    (tmp_path / "t" / "ok.txt").write_text("A text inside the folder.", encoding="utf-8")
    (tmp_path / "t" / "t.csv").write_text("path,outlet\nlink.txt,X\nok.txt,Y\n", encoding="utf-8")
    df = framing.load_corpus(tmp_path / "t" / "t.csv", on_error="drop")
    assert df.text.tolist() == ["A text inside the folder."]
    assert _rows(framing.load_report(df), "row", "reason") == [[1, "path_escapes"]]


def _folder(tmp_path):
    root = tmp_path / "f"
    (root / "A").mkdir(parents=True)
    (root / "A" / "ok.txt").write_text("A good article text.", encoding="utf-8")
    return root


def test_folder_symlink_to_a_file_outside_is_refused(tmp_path):
    root = _folder(tmp_path)
    (tmp_path / "SECRET.txt").write_text("The secret text of another project.", encoding="utf-8")
    (root / "A" / "link.txt").symlink_to(tmp_path / "SECRET.txt")
    with pytest.raises(CorpusError, match=r"path escapes \(doc_id 'A/link'\)"):
        framing.load_corpus(root)
    df = framing.load_corpus(root, on_error="drop")
    assert df.doc_id.tolist() == ["A/ok"]
    rep = framing.load_report(df)
    assert _rows(rep, "row", "doc_id", "reason") == [[1, "A/link", "path_escapes"]]
    assert rep.file.tolist() == [str(root / "A" / "link.txt")]


def test_folder_symlink_to_a_file_inside_is_read(tmp_path):
    root = _folder(tmp_path)
    (root / "B").mkdir()
    (root / "B" / "alias.txt").symlink_to(root / "A" / "ok.txt")
    df = framing.load_corpus(root, on_error="drop")
    assert df.doc_id.tolist() == ["A/ok"]  # the alias is the same text, reported as such
    assert _rows(framing.load_report(df), "doc_id", "reason") == [["B/alias", "duplicate_text"]]


def test_folder_symlinked_subfolders_are_reported_not_skipped(tmp_path):
    root = _folder(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.txt").write_text("A text from elsewhere.", encoding="utf-8")
    (root / "out").symlink_to(tmp_path / "elsewhere")
    (root / "same").symlink_to(root / "A")
    with pytest.raises(CorpusError, match="symlinked sub-folder 'out'") as info:
        framing.load_corpus(root)
    assert info.value.reason == "path_escapes"
    df = framing.load_corpus(root, on_error="drop")
    assert df.text.tolist() == ["A good article text."]
    assert _rows(framing.load_report(df), "row", "doc_id", "reason") == [
        [2, "out", "path_escapes"],
        [3, "same", "symlinked_folder"],
    ]


def test_folder_named_like_a_text_file_is_not_a_file(tmp_path):
    root = _folder(tmp_path)
    (root / "A" / "x.txt").mkdir()
    with pytest.raises(CorpusError, match=r"x\.txt, row 2: is a folder, not a text file"):
        framing.load_corpus(root)
    df = framing.load_corpus(root, on_error="drop")
    assert _rows(framing.load_report(df), "doc_id", "reason") == [["A/x", "not_a_file"]]


def test_max_chars_reports_a_long_article(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame(
        {"id": ["short", "long"], "outlet": ["X", "X"], "text": ["Short.", "Long text. " * 10]}
    ).to_csv(path, index=False)
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(path, max_chars=100)
    err = info.value
    assert (err.row, err.reason, err.file) == (2, "too_long", str(path))
    assert "the text has 110 characters, more than max_chars=100" in str(err)
    df = framing.load_corpus(path, max_chars=100, on_error="drop")
    assert df.doc_id.tolist() == ["short"]
    assert _rows(framing.load_report(df), "row", "doc_id", "reason") == [[2, "long", "too_long"]]
    assert len(framing.load_corpus(path, max_chars=110)) == 2  # the limit itself is allowed
    assert len(framing.load_corpus(path, max_chars=None)) == 2
    assert framing.load_corpus.__kwdefaults__["max_chars"] == 5_000_000


@pytest.mark.parametrize("bad", [0, -1, 2.5, "100", True])
def test_bad_max_chars_is_a_value_error(bad):
    with pytest.raises(ValueError, match=re.escape(f"max_chars={bad!r} is not allowed")):
        framing.load_corpus(FIX / "articles.csv", max_chars=bad)


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("truncated.jsonl.gz", "truncated gzip file"),
        ("truncated.csv.gz", "truncated gzip file"),
        ("bitflip.jsonl.gz", "damaged gzip file: CRC check failed"),
        ("bitflip_data.jsonl.gz", "damaged gzip file: the compressed data is corrupt"),
    ],
)
@pytest.mark.parametrize("on_error", ["raise", "drop"])
def test_damaged_gzip_is_a_corpus_error(name, fragment, on_error):
    # a damaged file is never half-read: it raises in both modes, naming the file
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(LOADER / name, on_error=on_error)
    assert info.value.file == str(LOADER / name)
    assert fragment in info.value.problem


@pytest.fixture
def small_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "CACHE_MIN_BYTES", 0)  # cache even a tiny table
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _two_rows(path, second="Second text here."):
    path.write_text(f"id,outlet,text\na,X,First text here.\nb,Y,{second}\n", encoding="utf-8")


def test_load_cache_is_keyed_by_content_not_size_and_time(tmp_path, small_cache):
    import os

    path = tmp_path / "t.csv"
    _two_rows(path)
    assert framing.load_corpus(path).text.tolist()[1] == "Second text here."
    assert list((small_cache / "corpus").rglob("*.parquet"))  # it was cached
    st = path.stat()
    _two_rows(path, "Edited text here.")  # the same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same time
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert framing.load_corpus(path).text.tolist()[1] == "Edited text here."


def test_no_cache_neither_reads_nor_writes_the_load_cache(tmp_path, small_cache):
    path = tmp_path / "t.csv"
    _two_rows(path)
    framing.load_corpus(path, cache=False)
    assert not (small_cache / "corpus").exists()
    framing.load_corpus(path)  # now cached
    shards = sorted((small_cache / "corpus").rglob("*.parquet"))
    # a cached frame changed by hand is what a cached load returns: cache=False must not
    frames = small_cache / "corpus" / code_version() / "frames"
    main = next(p for p in frames.glob("*.parquet") if not p.stem.endswith("-report"))
    tampered = pd.read_parquet(main).assign(outlet="TAMPERED")
    tampered.to_parquet(main, index=False)
    assert framing.load_corpus(path).outlet.tolist() == ["TAMPERED", "TAMPERED"]
    assert framing.load_corpus(path, cache=False).outlet.tolist() == ["X", "Y"]
    assert sorted((small_cache / "corpus").rglob("*.parquet")) == shards


def test_cli_no_cache_reaches_the_loader(tmp_path, small_cache):
    from framing import cli

    path = tmp_path / "t.csv"
    _two_rows(path)
    args = ["analyze", str(path), "--out", str(tmp_path / "o"), "--steps", "sentences",
            "--format", "csv", "--no-progress", "--n-jobs", "1"]  # fmt: skip
    assert cli.main([*args, "--no-cache"]) == 0
    assert not (small_cache / "corpus").exists()
    assert cli.main(args) == 0
    assert (small_cache / "corpus").exists()


def test_a_table_naming_text_files_is_not_cached(tmp_path, small_cache):
    # its texts are not in the table's bytes: a cached load would miss an edited text file
    (tmp_path / "t.csv").write_text("id,outlet,path\na,X,a.txt\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The first version of the text.", encoding="utf-8")
    assert framing.load_corpus(tmp_path / "t.csv").text.tolist() == [
        "The first version of the text."
    ]
    (tmp_path / "a.txt").write_text("The second version of the text.", encoding="utf-8")
    assert framing.load_corpus(tmp_path / "t.csv").text.tolist() == [
        "The second version of the text."
    ]
    assert not list(small_cache.rglob("*.parquet"))


def test_unwritable_load_cache_warns_once_and_loads(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "CACHE_MIN_BYTES", 0)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("FRAMING_CACHE", str(blocker))  # mkdir fails, even for root
    path = tmp_path / "t.csv"
    _two_rows(path)
    with pytest.warns(framing.CacheWarning, match="cannot be written") as caught:
        df = framing.load_corpus(path)
    assert len([w for w in caught if "cannot be written" in str(w.message)]) == 1
    assert df.doc_id.tolist() == ["a", "b"]


def test_text_that_is_not_a_string_is_refused_in_json():
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(LOADER / "text_types.jsonl")
    assert info.value.row == 2 and "column 'text' holds a list, not a string" in str(info.value)
    df = framing.load_corpus(LOADER / "text_types.jsonl", on_error="drop")
    assert df.doc_id.tolist() == ["s"]
    assert _rows(framing.load_report(df), "row", "doc_id", "reason", "detail") == [
        [2, "l", "not_a_string", "column 'text' holds a list, not a string"],
        [3, "d", "not_a_string", "column 'text' holds an object (dict), not a string"],
        [4, "n", "not_a_string", "column 'text' holds an int, not a string"],
        [5, "t", "not_a_string", "column 'outlet' holds a list, not a string"],
        [6, "", "unreadable_row", "unreadable row: the key 'text' is given twice"],
    ]


@pytest.mark.parametrize(
    ("name", "kind"), [("text_bytes.parquet", "bytes"), ("text_list.parquet", "a list")]
)
def test_text_that_is_not_a_string_is_refused_in_parquet(name, kind):
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(LOADER / name, on_error="drop")
    # every row is bad: the error says so and carries the report
    assert "no usable articles (2 rows reported" in str(info.value)
    assert _rows(info.value.report, "row", "reason", "detail") == [
        [1, "not_a_string", f"column 'text' holds {kind}, not a string"],
        [2, "not_a_string", f"column 'text' holds {kind}, not a string"],
    ]


def test_duplicate_column_names_are_refused(tmp_path):
    with pytest.raises(CorpusError, match=r"names the columns \['text'\] more than once"):
        framing.load_corpus(LOADER / "duplicate_column.csv")
    import pyarrow as pa
    import pyarrow.parquet as pq

    twice = pa.Table.from_arrays(
        [pa.array(["One text here."]), pa.array(["Two text here."])], names=["text", "text"]
    )
    pq.write_table(twice, tmp_path / "t.parquet")
    with pytest.raises(CorpusError, match=r"t\.parquet: the file names the columns \['text'\]"):
        framing.load_corpus(tmp_path / "t.parquet")


def test_invalid_times_are_unparseable(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "id,outlet,date,text\na,X,2023-03-20T25:99,First text here.\n"
        "b,X,2023-03-20T23:59:59+05:30,Second text here.\n",
        encoding="utf-8",
    )
    df = framing.load_corpus(path, on_error="drop")
    assert df.doc_id.tolist() == ["b"]
    assert _rows(framing.load_report(df), "doc_id", "reason") == [["a", "unparseable_date"]]


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2023-03-20T25:00", "unparseable_date"),
        ("2023-03-20T23:60", "unparseable_date"),
        ("2023-03-20T23:59:60", "unparseable_date"),
        ("2023-03-20T10:00+24:00", "unparseable_date"),
        ("2023-03-20T00:00:00.5-04:00", None),
        ("2023-03-20 23:59", None),
    ],
)
def test_parse_any_date_checks_the_time(value, want):
    got = parse_any_date(value, ["iso"], latest=dt.date(2026, 1, 1))
    assert got[1] == want
    if want is None:
        assert got[0] == dt.date(2023, 3, 20)


@pytest.mark.parametrize(
    ("column", "want"),
    [
        ("date", ["2023-03-20", "2023-03-21"]),  # the local date in New York, as written
        ("date_text", ["2023-03-20", "2023-03-21"]),  # the same, written as ISO strings
        ("date_utc", ["2023-03-21", "2023-03-21"]),  # stored in UTC: 03:30 UTC on 21 March
    ],
)
def test_time_zone_timestamps_give_the_local_date(column, want):
    df = framing.load_corpus(LOADER / "tz.parquet", columns={"date": column, "text": "text"})
    assert df.published.dt.strftime("%Y-%m-%d").tolist() == want


def test_ragged_csv_rows_are_reported_as_ragged():
    with pytest.raises(CorpusError, match="ragged.csv, row 2: the row has 3 fields, the header 4"):
        framing.load_corpus(LOADER / "ragged.csv")
    df = framing.load_corpus(LOADER / "ragged.csv", on_error="drop")
    assert df.doc_id.tolist() == ["r1", "r4"]
    assert _rows(framing.load_report(df), "row", "reason", "detail") == [
        [2, "ragged_row", "the row has 3 fields, the header 4"],
        [3, "ragged_row", "the row has 5 fields, the header 4"],
    ]


def test_one_bad_byte_drops_only_its_row():
    # "Caf\xe9" in row 2: the byte 0xe9 is at offset 46 of the file
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(LOADER / "one_bad_byte.csv")
    assert info.value.row == 2 and "byte offset 46 (bytes e9 20 69 73)" in str(info.value)
    df = framing.load_corpus(LOADER / "one_bad_byte.csv", on_error="drop")
    assert df.doc_id.tolist() == ["u1", "u3"]
    assert _rows(framing.load_report(df), "row", "reason") == [[2, "not_utf8"]]


def test_csv_crlf_inside_a_quoted_field_is_one_line_break(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,outlet,title,text\r\na,X,"Title with\r\nnewline",First text here.\r\n')
    assert framing.load_corpus(path).title.tolist() == ["Title with\nnewline"]


def test_a_numeric_text_says_it_is_only_a_heading(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,outlet,text\nn,X,12345\nok,X,A real sentence.\n", encoding="utf-8")
    df = framing.load_corpus(path, on_error="drop")
    assert _rows(framing.load_report(df), "doc_id", "reason", "detail") == [
        [
            "n",
            "debris_only",
            "cleaning removed nothing, and the text is only 1 heading (short lines that do not "
            "end like a sentence): no body text",
        ]
    ]


def test_every_row_bad_attaches_the_report_to_the_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,outlet,text\na,X, \nb,X,\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"no usable articles \(2 rows reported") as info:
        framing.load_corpus(path, on_error="drop")
    assert _rows(info.value.report, "row", "doc_id", "reason") == [
        [1, "a", "empty_text"],
        [2, "b", "empty_text"],
    ]


def test_relative_paths_work_from_any_working_directory(tmp_path, monkeypatch):
    # the README's `framing analyze my-folder`, and a table naming its text files
    shutil.copytree(FIX / "folder", tmp_path / "work" / "my-folder")
    shutil.copytree(FIX, tmp_path / "work" / "import")
    monkeypatch.chdir(tmp_path / "work")
    df = framing.load_corpus("my-folder")
    assert df.doc_id.tolist() == ["daily-planet/talks", "daily-planet/xi-arrives",
                                  "gotham/summit", "loose"]  # fmt: skip
    assert df.path.tolist()[0] == str(
        tmp_path / "work" / "my-folder" / "daily-planet" / "talks.txt"
    )
    cols = {"id": "article_id", "outlet": "source", "date": "pub", "title": "headline"}
    table = framing.load_corpus("import/with_paths.csv", columns=cols, on_error="drop")
    assert table.doc_id.tolist() == ["a1", "a2", "a5", "a9"]
    assert framing.load_corpus("import/articles.toml").doc_id.tolist()[:2] == ["a1", "a2"]
    monkeypatch.chdir(tmp_path / "work" / "my-folder" / "gotham")
    assert framing.load_corpus("..").doc_id.tolist() == df.doc_id.tolist()
    assert framing.load_corpus("../../import/articles.csv", columns=MAPPING, on_error="drop")[
        "doc_id"
    ].tolist() == ["a1", "a2", "a5", "a9"]


def test_a_live_frame_keeps_its_report_after_many_loads(articles):
    # the full suite loads far more than 64 corpora; the session's case study keeps its report
    for _ in range(70):
        framing.load_corpus(FIX / "articles.csv", columns=MAPPING, on_error="drop")
    assert framing.load_report(articles).empty  # still reachable (was: "no load report")
    first = framing.load_corpus(FIX / "articles.csv", columns=MAPPING, on_error="drop")
    sub = first[first.outlet == "Daily Planet"]
    del first
    assert len(framing.load_report(sub)) == 9  # a derived frame: among the last 64


def test_load_progress_bar_changes_nothing(tmp_path, capsys):
    path = tmp_path / "t.csv"
    _two_rows(path)
    quiet = framing.load_corpus(path, cache=False)
    assert capsys.readouterr().err == ""
    shown = framing.load_corpus(path, cache=False, progress=True)
    assert "loading t.csv: " in capsys.readouterr().err
    pd.testing.assert_frame_equal(quiet, shown)


def test_a_symlink_loop_is_not_a_file(tmp_path):
    # Path.resolve raises RuntimeError on a loop: reported as the row's problem, not raised
    root = _folder(tmp_path)
    (root / "A" / "loop.txt").symlink_to(root / "A" / "loop.txt")
    with pytest.raises(CorpusError, match=r"loop\.txt, row 1: not a file \(doc_id 'A/loop'\)"):
        framing.load_corpus(root)
    df = framing.load_corpus(root, on_error="drop")
    assert df.doc_id.tolist() == ["A/ok"]
    assert _rows(framing.load_report(df), "row", "doc_id", "reason", "detail") == [
        [1, "A/loop", "not_a_file", "path 'A/loop.txt' is a symlink loop"]
    ]
    (root / "t.csv").write_text("path,outlet\nA/loop.txt,X\nA/ok.txt,Y\n", encoding="utf-8")
    df = framing.load_corpus(root / "t.csv", on_error="drop")
    assert _rows(framing.load_report(df), "row", "reason") == [[1, "not_a_file"]]


def test_folder_names_become_the_hostile_strings_the_report_escapes(tmp_path):
    # issue #13.1: a txt folder's sub-folder and file names are its outlet and doc_id strings,
    # markup included, unchanged; the report run on tests/fixtures/hostile (ids and outlets of
    # the same shape) checks that every page shows such strings escaped
    names = ["<img src=x onerror=alert(1)>", "<b onmouseover=alert(5)>Bold", "Plain & Co"]
    sources = sorted((ROOT / "tests" / "fixtures" / "report-corpus").glob("*/*.txt"))
    for i, src in enumerate(sources):
        folder = tmp_path / "names" / names[i % 3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"<i onclick=alert({i})>{src.stem}.txt").write_bytes(src.read_bytes())
    articles = framing.load_corpus(tmp_path / "names")
    assert len(articles) == len(sources) == 9
    assert sorted(set(articles["outlet"])) == sorted(names)
    first = articles[articles["doc_id"].str.contains("alert(0)", regex=False)]
    assert first["doc_id"].tolist() == [f"{names[0]}/<i onclick=alert(0)>{sources[0].stem}"]
    assert first["outlet"].tolist() == [names[0]]
