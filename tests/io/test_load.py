"""Loading a manifest corpus (framing.io.load, framing.io.readers.read_manifest): the verbatim
corpus, the manifest, and every documented error.

A manifest's rows go through the same row checker as every table's (framing.io.rows), so its
messages read like theirs: ``<file>, row <n>: <reason in words> (doc_id '<id>'): <detail>``, and
once a row's text file has been read, its later problems name that file (the row number is the
manifest's), as for a table with a ``path`` column."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing import CorpusError
from tests.conftest import CORPUS, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


def test_articles_are_byte_for_byte_the_committed_sums():
    sums = {}
    for line in (CORPUS / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    assert len(sums) == 4
    for name, digest in sums.items():
        assert hashlib.sha256((CORPUS / "articles" / name).read_bytes()).hexdigest() == digest


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the project")
def test_articles_equal_the_shared_seeds():
    for seed in SEEDS.glob("*.txt"):
        assert (CORPUS / "articles" / seed.name).read_bytes() == seed.read_bytes()


def test_article_table(articles):
    assert list(articles.doc_id) == ["deseret", "student", "scmp", "semafor"]
    assert list(articles.outlet) == [
        "Deseret News",
        "Student news site",
        "South China Morning Post",
        "Semafor",
    ]
    assert list(articles.published.dt.strftime("%Y-%m-%d")) == [
        "2023-03-22",
        "2023-03-23",
        "2023-03-20",
        "2023-03-20",
    ]
    assert articles.provenance.str.contains("published: ").all()
    assert (
        articles.loc[3, "title"]
        == "Xi and Putin are meeting in Moscow. Here’s what you need to know"
    )
    # text_raw is the file itself
    raw = (CORPUS / "articles" / "000_ea1c2cbdf805aea4.txt").read_text(encoding="utf-8")
    assert articles.loc[0, "text_raw"] == raw


# --- errors ---------------------------------------------------------------------------------

MANIFEST_HEADER = "doc_id,path,outlet,title,published,url,byline,provenance\n"


def make_corpus(tmp_path: Path, rows: list[str], files: dict[str, bytes], header=MANIFEST_HEADER):
    root = tmp_path / "c"
    (root / "articles").mkdir(parents=True)
    (root / "manifest.csv").write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    for name, data in files.items():
        (root / "articles" / name).write_bytes(data)
    return root


BODY = b"Headline here\n\nPutin met Xi in Moscow. They talked.\n"


def test_minimal_corpus_loads(tmp_path):
    root = make_corpus(
        tmp_path, ["a,articles/a.txt,Out,Headline here,2023-03-20,,,"], {"a.txt": BODY}
    )
    df = framing.load_corpus(root)
    assert df.loc[0, "text"] == "Putin met Xi in Moscow. They talked."
    assert df.loc[0, "n_words"] == 7
    assert framing.cleaning_audit(df).rule.tolist() == ["headline"]


def test_bom_and_crlf_are_accepted(tmp_path):
    data = b"\xef\xbb\xbfHeadline here\r\n\r\nPutin met Xi in Moscow.\r\nThey talked.\r\n"
    root = make_corpus(
        tmp_path, ["a,articles/a.txt,Out,Headline here,2023-03-20,,,"], {"a.txt": data}
    )
    df = framing.load_corpus(root)
    assert df.loc[0, "text_raw"] == "Headline here\n\nPutin met Xi in Moscow.\nThey talked.\n"
    assert df.loc[0, "text"] == "Putin met Xi in Moscow.\nThey talked."


def test_manifest_with_bom_and_crlf(tmp_path):
    root = make_corpus(tmp_path, [], {"a.txt": BODY})
    (root / "manifest.csv").write_bytes(
        b"\xef\xbb\xbf" + MANIFEST_HEADER.encode().replace(b"\n", b"\r\n")
        + b"a,articles/a.txt,Out,Headline here,2023-03-20,,,\r\n"
    )  # fmt: skip
    assert framing.load_corpus(root).doc_id.tolist() == ["a"]


def _raises(root, *fragments, cls=CorpusError):
    with pytest.raises(cls) as info:
        framing.load_corpus(root)
    msg = str(info.value)
    for f in fragments:
        assert f in msg, msg
    return info.value


def test_missing_file(tmp_path):
    root = make_corpus(tmp_path, ["a,articles/nope.txt,Out,T,2023-03-20,,,"], {})
    err = _raises(root, "nope.txt", "row 1", "file not found")
    assert err.row == 1 and err.file.endswith("nope.txt")


def test_not_utf8_names_byte_offset(tmp_path):
    data = "Headline\n\nCafé".encode("latin-1")  # é is byte 0xe9 at offset 13
    root = make_corpus(tmp_path, ["a,articles/a.txt,Out,T,2023-03-20,,,"], {"a.txt": data})
    _raises(root, "a.txt", "row 1", "not valid UTF-8", "byte offset 13", "e9")


def test_empty_article(tmp_path):
    root = make_corpus(tmp_path, ["a,articles/a.txt,Out,T,2023-03-20,,,"], {"a.txt": b" \n\n"})
    _raises(root, "a.txt", "row 1", "empty text (doc_id 'a')")


def test_debris_only_article(tmp_path):
    data = "top of page\n\n• Oops!\nSomething went wrong.\n\nRelated posts\n".encode()
    root = make_corpus(tmp_path, ["a,articles/a.txt,Out,T,2023-03-20,,,"], {"a.txt": data})
    _raises(root, "a.txt", "row 1", "debris only (doc_id 'a')", "4 non-blank lines")


def test_duplicate_doc_id(tmp_path):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", "a,articles/b.txt,Out,T,2023-03-20,,,"]
    root = make_corpus(tmp_path, rows, {"a.txt": BODY, "b.txt": BODY})
    err = _raises(root, "b.txt", "row 2", "duplicate id (doc_id 'a'): first used in row 1")
    assert err.reason == "duplicate_id"


@pytest.mark.parametrize("bad", ["../outside.txt", "/etc/hostname", "articles/../../x.txt"])
def test_path_escaping_the_corpus(tmp_path, bad):
    root = make_corpus(tmp_path, [f"a,{bad},Out,T,2023-03-20,,,"], {})
    err = _raises(
        root, "row 1", f"path escapes (doc_id 'a'): path {bad!r}", "lies outside the corpus folder"
    )
    assert err.reason == "path_escapes"


def test_path_escaping_the_corpus_through_a_symlink(tmp_path):
    (tmp_path / "SECRET.txt").write_bytes(BODY)
    root = make_corpus(tmp_path, ["a,articles/a.txt,Out,T,2023-03-20,,,"], {})
    (root / "articles" / "a.txt").symlink_to(tmp_path / "SECRET.txt")
    err = _raises(root, "row 1", "path escapes (doc_id 'a')", "lies outside the corpus folder")
    assert err.reason == "path_escapes"


def test_missing_columns(tmp_path):
    root = make_corpus(
        tmp_path, ["a,articles/a.txt,Out"], {"a.txt": BODY}, header="doc_id,path,outlet\n"
    )
    _raises(root, "manifest.csv", "missing columns ['title', 'published']")


def test_unknown_columns(tmp_path):
    root = make_corpus(
        tmp_path, ["a,articles/a.txt,Out,T,2023-03-20,x"], {"a.txt": BODY},
        header="doc_id,path,outlet,title,published,sentiment\n",
    )  # fmt: skip
    _raises(root, "manifest.csv", "unknown columns ['sentiment']")


@pytest.mark.parametrize(
    "date, reason, problem",
    [
        ("20/03/2023", "unparseable_date", "date '20/03/2023' matches none of the formats"),
        ("9/6/17", "unparseable_date", "date '9/6/17' matches none of the formats ['iso']"),
        # not a real date: unparseable, as in every table (impossible_date is a real date
        # outside 1800-01-01 .. today)
        ("2023-02-30", "unparseable_date", "date '2023-02-30' matches none of the formats"),
        # a manifest requires a date, where a table keeps the row and notes missing_date
        ("", "empty_field", "column 'published' is empty (manifest.csv requires a value)"),
    ],
)
def test_unparseable_date(tmp_path, date, reason, problem):
    root = make_corpus(tmp_path, [f"a,articles/a.txt,Out,T,{date},,,"], {"a.txt": BODY})
    err = _raises(root, "a.txt", "row 1", problem)
    assert err.reason == reason


def test_no_manifest(tmp_path):
    _raises(tmp_path, "manifest.csv", "no manifest.csv")


def test_corpus_error_is_a_value_error():
    assert issubclass(CorpusError, ValueError)


def test_loading_a_copy_of_the_real_corpus_is_deterministic(tmp_path, articles):
    copy = tmp_path / "copy"
    shutil.copytree(CORPUS, copy)
    again = framing.load_corpus(copy / "manifest.csv")
    cols = ["doc_id", "outlet", "title", "published", "text_raw", "text", "n_words"]
    pd.testing.assert_frame_equal(again[cols], articles[cols])


# --- issue 13: the manifest reader follows the same rules as the table readers -------------

OTHER = b"Another headline\n\nXi met Putin in Moscow. They signed papers.\n"


def test_empty_outlet_is_an_empty_field(tmp_path):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", "b,articles/b.txt,,T,2023-03-20,,,"]
    root = make_corpus(tmp_path, rows, {"a.txt": BODY, "b.txt": OTHER})
    err = _raises(root, "b.txt", "row 2", "empty field (doc_id 'b'): column 'outlet' is empty")
    assert err.reason == "empty_field"
    df = framing.load_corpus(root, on_error="drop")
    assert df.doc_id.tolist() == ["a"]
    assert framing.load_report(df)[["row", "reason"]].values.tolist() == [[2, "empty_field"]]


@pytest.mark.parametrize(
    ("date", "fragment"),
    [("0001-11-30", "is before 1800-01-01"), ("2999-01-01", "is in the future")],
)
def test_impossible_manifest_dates_are_refused_like_the_tables(tmp_path, date, fragment):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", f"b,articles/b.txt,Out,T,{date},,,"]
    root = make_corpus(tmp_path, rows, {"a.txt": BODY, "b.txt": OTHER})
    err = _raises(root, "b.txt", "row 2", f"impossible date (doc_id 'b'): date {date}", fragment)
    assert err.reason == "impossible_date"
    df = framing.load_corpus(root, on_error="drop")
    assert df.doc_id.tolist() == ["a"]
    rep = framing.load_report(df)
    assert rep[["row", "doc_id", "reason"]].values.tolist() == [[2, "b", "impossible_date"]]


@pytest.mark.parametrize("sep", ["\u2028", "\u0085", "\x0c"])
def test_unicode_line_separators_stay_inside_a_manifest_field(tmp_path, sep):
    root = make_corpus(
        tmp_path, [f"a,articles/a.txt,Out,Before{sep}after,2023-03-20,,,"], {"a.txt": BODY}
    )
    df = framing.load_corpus(root)
    assert df.doc_id.tolist() == ["a"]
    assert df.title.tolist() == [f"Before{sep}after"]


def test_crlf_inside_a_quoted_manifest_title_is_one_line_break(tmp_path):
    root = make_corpus(tmp_path, [], {"a.txt": BODY})
    (root / "manifest.csv").write_bytes(
        MANIFEST_HEADER.encode().replace(b"\n", b"\r\n")
        + b'a,articles/a.txt,Out,"Title with\r\nnewline",2023-03-20,,,\r\n'
    )
    assert framing.load_corpus(root).title.tolist() == ["Title with\nnewline"]


def test_duplicate_texts_in_a_manifest_are_reported_like_the_tables(tmp_path):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", "b,articles/b.txt,Out,T,2023-03-20,,,"]
    root = make_corpus(tmp_path, rows, {"a.txt": BODY, "b.txt": BODY + b"\n\n"})
    _raises(root, "manifest.csv", "row 2", "duplicate text (doc_id 'b'): same text as 'a' (row 1)")
    df = framing.load_corpus(root, on_error="drop")
    assert df.doc_id.tolist() == ["a"]
    rep = framing.load_report(df)
    assert rep[["row", "doc_id", "reason"]].values.tolist() == [[2, "b", "duplicate_text"]]


def test_manifest_max_chars(tmp_path):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", "b,articles/b.txt,Out,T,2023-03-20,,,"]
    root = make_corpus(tmp_path, rows, {"a.txt": BODY, "b.txt": OTHER})
    assert len(BODY) == 52 and len(OTHER) == 62
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(root, max_chars=61)
    err = info.value
    assert (err.row, err.reason) == (2, "too_long") and err.file.endswith("b.txt")
    assert "the text has 62 characters, more than max_chars=61" in str(err)
    df = framing.load_corpus(root, max_chars=61, on_error="drop")
    assert df.doc_id.tolist() == ["a"]
    assert framing.load_report(df).reason.tolist() == ["too_long"]
    assert len(framing.load_corpus(root, max_chars=None)) == 2


def test_ragged_manifest_row_is_reported(tmp_path):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", "b,articles/b.txt,Out,T,2023-03-20"]
    root = make_corpus(tmp_path, rows, {"a.txt": BODY, "b.txt": OTHER})
    _raises(root, "manifest.csv", "row 2", "the row has 5 fields, the header 8")
    df = framing.load_corpus(root, on_error="drop")
    assert framing.load_report(df)[["row", "reason"]].values.tolist() == [[2, "ragged_row"]]


def test_manifest_row_naming_a_folder(tmp_path):
    root = make_corpus(tmp_path, ["a,articles/x.txt,Out,T,2023-03-20,,,"], {})
    (root / "articles" / "x.txt").mkdir()
    err = _raises(root, "x.txt", "row 1", "is a folder, not a text file")
    assert err.reason == "not_a_file"


def test_manifest_every_row_bad_attaches_the_report(tmp_path):
    rows = ["a,articles/a.txt,Out,T,2023-03-20,,,", "b,articles/nope.txt,Out,T,2023-03-20,,,"]
    root = make_corpus(tmp_path, rows, {"a.txt": b"  \n"})
    with pytest.raises(CorpusError, match=r"no usable articles \(2 rows reported") as info:
        framing.load_corpus(root, on_error="drop")
    assert info.value.report[["row", "doc_id", "reason"]].values.tolist() == [
        [1, "a", "empty_text"],
        [2, "b", "missing_file"],
    ]


def test_relative_manifest_path_from_another_directory(tmp_path, monkeypatch):
    root = make_corpus(tmp_path, ["a,articles/a.txt,Out,Headline here,2023-03-20,,,"],
                       {"a.txt": BODY})  # fmt: skip
    monkeypatch.chdir(root / "articles")
    df = framing.load_corpus("..")
    assert df.path.tolist() == [str(root / "articles" / "a.txt")]
    monkeypatch.chdir(tmp_path)
    assert framing.load_corpus("c/manifest.csv").text.tolist() == df.text.tolist()


# --- one loader for every reader (framing.io.load): options apply to a manifest too --------


def test_limit_reads_the_first_manifest_rows(articles):
    df = framing.load_corpus(CORPUS, limit=2)
    pd.testing.assert_frame_equal(df, articles.head(2))


def _spec(tmp_path, text):
    shutil.copytree(CORPUS, tmp_path / "c")
    spec = tmp_path / "c.toml"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_a_spec_can_name_a_manifest(tmp_path, articles):
    spec = _spec(tmp_path, 'path = "c/manifest.csv"\non_error = "drop"\n')
    df = framing.load_corpus(spec)
    cols = ["doc_id", "outlet", "title", "published", "text_raw", "text", "n_words"]
    pd.testing.assert_frame_equal(df[cols], articles[cols])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('path = "c"\non_error = "skip"\n', "on_error='skip' is not allowed"),
        ('path = "c"\nformat = "xml"\n', "format='xml' is not allowed"),
        ('path = "c"\n[columns]\nbody = "text"\n', "unknown roles ['body']"),
        ("path = 5\n", "`path` must be a string, not 5"),
        ('path = "c"\ndate_formats = "%m/%d/%y"\n', "`date_formats` must be a list of strings"),
        ('path = "c.toml"\n', "a corpus spec must name a data file, not another spec"),
        ('path = "c"\nwhere = "x"\n', "unknown keys ['where']"),
    ],
)
def test_a_bad_spec_is_a_corpus_error_naming_the_spec(tmp_path, text, fragment):
    spec = _spec(tmp_path, text)
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(spec)
    assert info.value.file.endswith("c.toml") and fragment in str(info.value)
