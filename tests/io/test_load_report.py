"""The load report (framing.io.load_report) travels with the articles: through filtering,
copies, select_outlets, pickling to another process and a joblib worker, with no registry."""

from __future__ import annotations

import copy
import pickle

import pandas as pd
import pytest

import framing
from framing.io.load_report import ATTRS_KEY, LoadReport
from tests.conftest import ROOT

FIX = ROOT / "tests" / "fixtures" / "import"
MAPPING = {
    "id": "article_id",
    "text": "body",
    "outlet": "source",
    "date": "pub",
    "title": "headline",
}


@pytest.fixture
def loaded():
    return framing.load_corpus(FIX / "articles.csv", columns=MAPPING, on_error="drop")


def _reports_equal(frame, report):
    pd.testing.assert_frame_equal(framing.load_report(frame), report)


def test_report_is_carried_by_the_frame_itself(loaded):
    report = loaded.attrs[ATTRS_KEY]
    assert isinstance(report, LoadReport)
    assert len(report.rows) == 9
    assert str(report) == (
        "framing load report: 7 rows dropped, 2 kept with a note (framing.load_report lists them)"
    )


def test_report_survives_filtering_copies_and_select_outlets(loaded):
    report = framing.load_report(loaded)
    _reports_equal(loaded[loaded.outlet == "Daily Planet"], report)
    _reports_equal(loaded.copy(), report)
    _reports_equal(loaded.copy(deep=True), report)
    _reports_equal(copy.deepcopy(loaded), report)
    _reports_equal(loaded[["doc_id", "text"]].head(1), report)
    _reports_equal(framing.select_outlets(loaded, top_outlets=1), report)


def test_deep_copies_share_the_report_instead_of_copying_it(loaded):
    # pandas deep-copies attrs on every operation: a large report must not be copied each time
    report = loaded.attrs[ATTRS_KEY]
    assert copy.deepcopy(report) is report
    assert loaded[loaded.outlet != ""].attrs[ATTRS_KEY] is report
    assert copy.deepcopy(loaded).attrs[ATTRS_KEY] is report


def test_report_survives_pickling(loaded):
    again = pickle.loads(pickle.dumps(loaded))
    _reports_equal(again, framing.load_report(loaded))
    assert framing.load_report(again, level="reasons").n_rows.sum() == 9


def test_report_reaches_a_joblib_worker(loaded):
    # each part is pickled to a worker process, which reads the report from the part alone
    from joblib import Parallel, delayed

    parts = [loaded.iloc[:2], loaded.iloc[2:]]
    reports = Parallel(n_jobs=2, backend="loky")(
        delayed(framing.load_report)(part) for part in parts
    )
    for report in reports:
        pd.testing.assert_frame_equal(report, framing.load_report(loaded))


def test_frames_of_two_loads_combined_carry_no_report(loaded):
    other = framing.load_corpus(FIX / "articles.csv", columns=MAPPING, on_error="drop")
    assert str(other.attrs[ATTRS_KEY]) == str(loaded.attrs[ATTRS_KEY])  # the same summary
    with pytest.raises(ValueError, match="no load report"):
        framing.load_report(pd.concat([loaded, other]))
    _reports_equal(pd.concat([loaded, loaded]), framing.load_report(loaded))


def test_a_frame_written_to_parquet_and_read_back_says_it_lost_the_report(loaded, tmp_path):
    # pandas writes attrs into the file as JSON: the report writes its one-line summary
    loaded.to_parquet(tmp_path / "a.parquet")
    back = pd.read_parquet(tmp_path / "a.parquet")
    assert back.attrs[ATTRS_KEY] == str(loaded.attrs[ATTRS_KEY])
    with pytest.raises(ValueError, match="no load report, only its summary"):
        framing.load_report(back)
