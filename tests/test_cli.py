"""The `framing` command: analyze writes every table, report passes its parameters, cache clears."""

from __future__ import annotations

from importlib.metadata import entry_points

import pandas as pd
import pytest
from conftest import CORPUS, ROOT

from framing import cli, report

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
    for table in ["articles", "load_report", "audit", "sentences", "actors", "quotes",
                  "frame_hits", "frames", "terms", "log_odds"]:  # fmt: skip
        assert {f"{table}.parquet", f"{table}.csv"} <= names, table
    printed = capsys.readouterr().out
    assert "wrote 10 tables" in printed
    assert "duplicate_text     dropped         1" in printed
    rep = pd.read_csv(out / "load_report.csv")
    assert rep.reason.value_counts()["unparseable_date"] == 1  # a11; a3 read as %m/%d/%y
    sents = pd.read_parquet(out / "sentences.parquet")
    assert {"neg", "neu", "pos", "compound"} <= set(sents.columns)


def test_analyze_case_study_csv_only(tmp_path):
    out = tmp_path / "t"
    args = ["analyze", str(CORPUS), "--out", str(out), "--format", "csv", "--no-progress",
            "--steps", "sentences,sentiment", "--n-jobs", "1"]  # fmt: skip
    assert cli.main(args) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "articles.csv",
        "load_report.csv",
        "sentences.csv",
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
            "--outlets", "left, right", "--only", "01"]  # fmt: skip
    assert cli.main(args) == 0
    assert seen == {
        "corpus": "corpus/allsides.toml",
        "out": "r",
        "parameters": {"by": "bias_text", "top_outlets": 8, "outlets": ["left", "right"]},
        "only": "01",
        "reports": "reports",
        "columns": None,
        "date_formats": None,
    }
    assert "index.html" in capsys.readouterr().out


def test_report_failure_exits_1(monkeypatch, capsys):
    def fail(*a, **k):
        raise report.ReportError("notebook 01-terms failed at cell 3")

    monkeypatch.setattr(report, "run_report", fail)
    assert cli.main(["report", str(CORPUS)]) == 1
    assert "01-terms failed at cell 3" in capsys.readouterr().err


def test_cache_clear_and_info(cache_root, tmp_path, capsys):
    (cache_root / "vader-sentences" / "v1").mkdir(parents=True)
    (cache_root / "vader-sentences" / "v1" / "a.parquet").write_bytes(b"x" * 1000)
    (cache_root / "rows-quotes").mkdir()
    assert cli.main(["cache", "info"]) == 0
    assert "vader-sentences" in capsys.readouterr().out
    assert cli.main(["cache", "clear", "rows-quotes"]) == 0
    assert not (cache_root / "rows-quotes").exists() and (cache_root / "vader-sentences").exists()
    assert cli.main(["cache", "clear"]) == 0
    assert not cache_root.exists()


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
