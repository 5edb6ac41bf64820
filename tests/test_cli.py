"""The `framing` command: analyze writes every table, report passes its parameters, cache clears."""

from __future__ import annotations

from importlib.metadata import entry_points

import pandas as pd
import pytest

from framing import cli, report
from tests.conftest import CORPUS, ROOT

FIX = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture(autouse=True)
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_entry_point_is_declared():
    eps = entry_points(group="console_scripts", name="framing")
    assert [e.value for e in eps] == ["framing.cli:main"]


def test_analyze_writes_every_table_and_a_summary(tmp_path, capsys):
    out = tmp_path / "tables"
    assert (
        cli.main(["analyze", str(FIX / "articles.toml"), "--out", str(out), "--no-progress"]) == 0
    )
    names = {p.name for p in out.iterdir()}
    tables = ["articles", "load_report", "audit", "sentences", "spans", "actor_table", "actors",
              "quotes", "frame_hits", "frames", "terms", "log_odds"]  # fmt: skip
    assert names == {f"{t}.{ext}" for t in tables for ext in ("parquet", "csv")} | {
        "framing-run.json"
    }
    printed = capsys.readouterr().out
    assert "wrote 12 tables" in printed
    # not the case study: the actor table is built from the corpus, and passed back it is used
    built = pd.read_csv(out / "actor_table.csv", keep_default_na=False)
    assert list(built.columns[:5]) == ["actor", "type", "kind", "aliases", "note"]
    edited = pd.DataFrame(  # an edited table: one made-up actor
        {"actor": ["Nobody Here"], "type": ["person"], "kind": ["person"],
         "aliases": ["Nobody Here"], "note": [""]}
    )  # fmt: skip
    edited.to_csv(tmp_path / "mine.csv", index=False)
    again = tmp_path / "again"
    args = ["analyze", str(FIX / "articles.toml"), "--out", str(again), "--no-progress",
            "--actors", str(tmp_path / "mine.csv")]  # fmt: skip
    assert cli.main(args) == 0
    assert pd.read_csv(again / "actor_table.csv")["actor"].tolist() == ["Nobody Here"]
    assert len(pd.read_csv(again / "actors.csv")) == 0
    assert "duplicate_text     dropped         1" in printed
    rep = pd.read_csv(out / "load_report.csv")
    assert rep.reason.value_counts()["unparseable_date"] == 1  # a11; a3 read as %m/%d/%y
    sents = pd.read_parquet(out / "sentences.parquet")
    assert {"neg", "neu", "pos", "compound"} <= set(sents.columns)
    assert "outlet" not in sents  # keyed by doc_id: the articles table holds the outlet
    spans = pd.read_parquet(out / "spans.parquet")
    assert set(spans.voice) == {"narration", "quotation"}
    assert {"neg", "neu", "pos", "compound"} <= set(spans.columns)


def test_analyze_case_study_csv_only(tmp_path):
    out = tmp_path / "t"
    args = ["analyze", str(CORPUS), "--out", str(out), "--format", "csv", "--no-progress",
            "--steps", "sentences,sentiment", "--n-jobs", "1"]  # fmt: skip
    assert cli.main(args) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "articles.csv",
        "framing-run.json",  # the run record: what framing wrote here, and that it finished
        "load_report.csv",
        "sentences.csv",
        "spans.csv",  # the sentiment step scores the narration and quotation spans too
    ]


def test_analyze_bad_input_exits_1(tmp_path, capsys):
    bad = tmp_path / "t.csv"
    bad.write_text("text,outlet\n,X\n", encoding="utf-8")
    assert cli.main(["analyze", str(bad), "--out", str(tmp_path / "o")]) == 1
    assert "row 1: empty text" in capsys.readouterr().err
    assert cli.main(["analyze", str(bad), "--out", str(tmp_path / "o"), "--on-error", "drop"]) == 1


def test_analyze_bad_option_exits_2(tmp_path, capsys):
    args = ["analyze", str(CORPUS), "--out", str(tmp_path / "o"), "--steps", "vader"]
    assert cli.main(args) == 2
    assert "steps=['vader']" in capsys.readouterr().err


def test_report_passes_parameters(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake(corpus, out, *, parameters=None, only=None, **kw):
        seen.update(corpus=corpus, out=out, parameters=parameters, only=only, **kw)
        return tmp_path / "index.html"

    monkeypatch.setattr(report, "run_report", fake)
    args = ["report", "corpus/allsides.toml", "--out", "r", "--by", "bias_text",
            "--outlets", "left, right", "--only", "01", "--rerun"]  # fmt: skip
    assert cli.main(args) == 0
    assert seen == {
        "corpus": "corpus/allsides.toml",
        "out": "r",
        "parameters": {"by": "bias_text", "top_outlets": 8, "outlets": ["left", "right"]},
        "only": "01",
        "reports": "reports",
        "columns": None,
        "date_formats": None,
        "boilerplate": None,
        "rerun": True,
    }
    assert "index.html" in capsys.readouterr().out


def test_report_failure_exits_1(monkeypatch, capsys):
    def fail(*a, **k):
        raise report.ReportError("notebook 01-terms failed at cell 3")

    monkeypatch.setattr(report, "run_report", fail)
    assert cli.main(["report", str(CORPUS)]) == 1
    assert "01-terms failed at cell 3" in capsys.readouterr().err


def _cache_frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"compound": [0.5] * n}, index=pd.Index([f"k{i}" for i in range(n)]))


def test_cache_clear_and_info(cache_root, tmp_path, capsys):
    from framing.cache import FrameCache

    FrameCache("vader-sentences", "v1").put(_cache_frame(3))
    FrameCache("rows-quotes", "v1").put(_cache_frame(1))
    assert cli.main(["cache", "info"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == ["rows-quotes", "vader-sentences"]
    assert cli.main(["cache", "clear", "rows-quotes"]) == 0
    assert not (cache_root / "rows-quotes").exists() and (cache_root / "vader-sentences").exists()
    assert cli.main(["cache", "clear"]) == 0
    assert not cache_root.exists()  # nothing but the cache's own folders was in it


def test_cache_clear_keeps_what_the_cache_did_not_write(cache_root, capsys):
    # FRAMING_CACHE pointed at a folder that holds the user's own files (issue #13, item 4)
    from framing.cache import FrameCache

    (cache_root / "thesis").mkdir(parents=True)
    (cache_root / "thesis" / "draft.txt").write_text("chapter 1", encoding="utf-8")
    (cache_root / "notes.md").write_text("keep me", encoding="utf-8")
    FrameCache("groups", "v1").put_frame("k", pd.DataFrame({"a": [1]}))
    assert cli.main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert out.split() == ["groups", "0.0", "MB"]  # the user's folder is not a namespace
    assert cli.main(["cache", "clear", "thesis"]) == 2
    assert "not written by the framing cache" in capsys.readouterr().err
    assert cli.main(["cache", "clear"]) == 0
    printed = capsys.readouterr().out
    assert (
        "groups" in printed and "left 2 entries framing did not write: notes.md, thesis" in printed
    )
    assert (cache_root / "thesis" / "draft.txt").read_text(encoding="utf-8") == "chapter 1"
    assert (cache_root / "notes.md").read_text(encoding="utf-8") == "keep me"
    assert not (cache_root / "groups").exists()


def test_unknown_command_exits_with_usage():
    with pytest.raises(SystemExit) as info:
        cli.main(["frobnicate"])
    assert info.value.code == 2


def test_columns_and_date_format_on_the_command_line(tmp_path, capsys):
    data = tmp_path / "mine.csv"
    data.write_text(
        "article_text,source,when\nA first text. It is short.,Left Post,9/6/17\n"
        "A second text. Also short.,Right Times,12/31/17\n",
        encoding="utf-8",
    )
    out = tmp_path / "t"
    args = ["analyze", str(data), "--out", str(out), "--steps", "sentences", "--no-progress"]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    # the fix is given as the option to type, not as Python
    assert "--columns text=COLUMN" in err and "{" not in err and "article_text" in err
    assert cli.main([*args, "--columns", "text=article_text,outlet=source", "--columns",
                     "date=when"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "'9/6/17'" in err and "--date-format %m/%d/%y" in err
    good = [*args, "--columns", "text=article_text,outlet=source,date=when",
            "--date-format", "%m/%d/%y"]  # fmt: skip
    assert cli.main(good) == 0
    arts = pd.read_csv(out / "articles.csv")
    assert arts.outlet.tolist() == ["Left Post", "Right Times"]
    assert arts.published.str[:10].tolist() == ["2017-09-06", "2017-12-31"]
    assert cli.main([*args, "--columns", "text"]) == 1
    assert "write ROLE=COLUMN" in capsys.readouterr().err


OUTFIX = ROOT / "tests" / "fixtures" / "outputs"


def test_analyze_refuses_to_overwrite_its_input(tmp_path, capsys):
    # issue #13, item 3: `framing analyze data/articles.csv --out data` replaced the input
    data = tmp_path / "data"
    data.mkdir()
    src = data / "articles.csv"
    src.write_bytes((OUTFIX / "articles.csv").read_bytes())
    assert cli.main(["analyze", str(src), "--out", str(data), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"{data / 'articles.csv'}: is the input ({src})" in err
    assert "loading" not in err  # refused before any work
    assert src.read_bytes() == (OUTFIX / "articles.csv").read_bytes()
    assert sorted(p.name for p in data.iterdir()) == ["articles.csv"]
    # the same through a corpus spec naming the file
    spec = data / "corpus.toml"
    spec.write_text('path = "articles.csv"\n', encoding="utf-8")
    assert cli.main(["analyze", str(spec), "--out", str(data), "--format", "csv"]) == 2
    assert src.read_bytes() == (OUTFIX / "articles.csv").read_bytes()


def test_analyze_out_naming_a_file_is_an_error_before_any_work(tmp_path, capsys):
    out = tmp_path / "tables.csv"
    out.write_text("mine\n", encoding="utf-8")
    args = ["analyze", str(OUTFIX / "articles.csv"), "--out", str(out), "--no-progress"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert f"error: --out {out}: {out}: is an existing file, not a folder" in err
    assert "loading" not in err
    args[3] = str(out / "sub")
    assert cli.main(args) == 2
    assert f"cannot be a folder: {out} is a file" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_analyze_never_overwrites_a_file_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "t"
    out.mkdir()
    (out / "terms.csv").write_text("my own terms\n", encoding="utf-8")
    args = ["analyze", str(OUTFIX / "articles.csv"), "--out", str(out), "--no-progress",
            "--n-jobs", "1"]  # fmt: skip
    assert cli.main(args) == 2
    assert "holds terms.csv, not written by framing" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["terms.csv"]
    (out / "terms.csv").unlink()
    assert cli.main(args) == 0
    assert cli.main(args) == 0  # its own files it overwrites
    assert "terms.csv" in {p.name for p in out.iterdir()}


def test_analyze_with_an_unwritable_cache_warns_once_and_succeeds(tmp_path, monkeypatch):
    # issue #13, item 10: a read-only or full cache gave a raw OSError traceback
    from framing import cache as cache_mod

    blocker = tmp_path / "file"  # a new path: no warning about it yet in this process
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FRAMING_CACHE", str(blocker / "cache"))
    out = tmp_path / "t"
    args = ["analyze", str(OUTFIX / "articles.csv"), "--out", str(out), "--no-progress",
            "--n-jobs", "1"]  # fmt: skip
    with pytest.warns(cache_mod.CacheWarning) as caught:
        assert cli.main(args) == 0
    assert len(caught) == 1
    assert len(pd.read_parquet(out / "sentences.parquet")) == 10


def test_analyze_shows_a_bar_for_each_stage_unless_told_not_to(tmp_path, capsys):
    args = ["analyze", str(OUTFIX / "articles.csv"), "--n-jobs", "1"]
    assert cli.main([*args, "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    for bar in ("per-article steps (audit, sentences", "group comparisons", "writing tables"):
        assert f"{bar}" in err and "100%" in err, bar
    assert cli.main([*args, "--out", str(tmp_path / "b"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "%|" not in err and "writing tables" not in err


def test_cache_clear_keeps_a_users_folder_named_groups_and_the_root(tmp_path, monkeypatch, capsys):
    # review 1.1: P/groups was claimed as the cache's; `cache clear` deleted it, then P
    from framing import cache as cache_mod

    root = tmp_path / "P"  # a new folder: no warning about it yet in this process
    (root / "groups").mkdir(parents=True)
    (root / "groups" / "notes.txt").write_text("notes\n", encoding="utf-8")
    monkeypatch.setenv("FRAMING_CACHE", str(root))
    args = ["analyze", str(OUTFIX / "articles.csv"), "--out", str(tmp_path / "T"),
            "--n-jobs", "1", "--no-progress"]  # fmt: skip
    with pytest.warns(cache_mod.CacheWarning, match="groups exists and was not written") as caught:
        assert cli.main(args) == 0
    assert len(caught) == 1
    assert (
        not (root / "CACHEDIR.TAG").exists()
        and not (root / "groups" / ".framing-namespace").exists()
    )
    assert "groups" not in cache_mod.cache_namespaces(root)
    assert cli.main(["cache", "clear"]) == 0
    assert "left 1 entry framing did not write: groups" in capsys.readouterr().out
    assert sorted(p.name for p in root.iterdir()) == ["groups"]
    assert (root / "groups" / "notes.txt").read_text(encoding="utf-8") == "notes\n"


def test_analyze_refuses_an_out_that_would_delete_its_input(tmp_path, capsys):
    # review 1.2: the second run unlinked t/articles.csv, its own input, as a stale table
    out = tmp_path / "t"
    src = tmp_path / "in.csv"
    src.write_bytes((OUTFIX / "articles.csv").read_bytes())
    common = ["--out", str(out), "--steps", "sentences", "--n-jobs", "1", "--no-progress"]
    assert cli.main(["analyze", str(src), *common]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert cli.main(["analyze", str(out / "articles.csv"), *common, "--format", "parquet"]) == 2
    err = capsys.readouterr().err
    assert "is the input" in err and "would delete it" in err
    assert "loading" not in err  # refused before any work
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
