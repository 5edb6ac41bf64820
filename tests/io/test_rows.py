"""The one row checker (framing.io.rows): a row with several problems is reported for the
first of them in the order of BAD_ROW_REASONS, whichever reader it comes from."""

from __future__ import annotations

import json

import pytest

import framing
from framing import BAD_ROW_REASONS, CorpusError

GOOD = {"id": "a", "outlet": "X", "date": "2023-03-20", "text": "A good first article here."}
LONG = "A long text, longer than the limit. " * 3


@pytest.mark.parametrize(
    ("second", "reason", "later"),
    [
        ({"outlet": ["X", "Y"], "text": LONG}, "not_a_string", "too_long"),
        ({"outlet": ["X", "Y"], "date": "9/6/17"}, "not_a_string", "unparseable_date"),
        ({"id": "", "text": LONG}, "too_long", "empty_id"),
        ({"id": "", "text": "  "}, "empty_text", "empty_id"),
        ({"id": "", "date": "9/6/17"}, "empty_id", "unparseable_date"),
        ({"id": "a", "date": "9/6/17"}, "duplicate_id", "unparseable_date"),
        ({"id": "a", "text": GOOD["text"]}, "duplicate_id", "duplicate_text"),
        ({"date": "9/6/17", "text": GOOD["text"]}, "unparseable_date", "duplicate_text"),
        ({"date": "0001-11-30", "text": GOOD["text"]}, "impossible_date", "duplicate_text"),
    ],
)
def test_the_first_problem_in_the_documented_order_is_reported(tmp_path, second, reason, later):
    order = list(BAD_ROW_REASONS)
    assert order.index(reason) < order.index(later)
    row = {**GOOD, "id": "b", "text": "Another text entirely.", **second}
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        framing.load_corpus(path, max_chars=60)
    assert (info.value.row, info.value.reason) == (2, reason)
    df = framing.load_corpus(path, max_chars=60, on_error="drop")
    assert framing.load_report(df)[["row", "reason"]].values.tolist() == [[2, reason]]


def test_every_reason_is_documented_and_a_manifest_requires_outlet_and_date():
    assert list(BAD_ROW_REASONS)[:2] == ["unreadable_row", "ragged_row"]
    assert list(BAD_ROW_REASONS)[-1] == "debris_only"  # found by the cleaning pass, last
    assert "empty_field" in BAD_ROW_REASONS and "bad_manifest_row" not in BAD_ROW_REASONS
