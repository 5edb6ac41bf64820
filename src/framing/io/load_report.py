"""The load report: every row :func:`framing.load_corpus` dropped or noted, carried by the
articles it returned (in ``DataFrame.attrs``), not kept in a registry of the module."""

from __future__ import annotations

__all__ = ["load_report", "summarize_report", "LoadReport", "ReportRows", "REPORT_COLUMNS"]

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from ..errors import CorpusError
from .rows import BAD_ROW_REASONS, KEPT_ROW_NOTES

REPORT_COLUMNS = ["file", "row", "doc_id", "reason", "detail", "action"]
ATTRS_KEY = "framing_load_report"


class LoadReport(str):
    """The load report of one :func:`framing.load_corpus` call, in the articles'
    ``DataFrame.attrs["framing_load_report"]``.

    It travels with the frame: pandas copies ``attrs`` into every frame derived from it
    (filtering, ``copy()``, :func:`framing.select_outlets`) and pickles them with it (to another
    process, a joblib worker), so the report needs no registry and is never lost. Two choices
    keep that cheap and safe:

    - pandas deep-copies ``attrs`` on every operation: the deep copy of a report is the report
      itself (it is never changed after loading), so a large report is never copied.
    - it is a ``str``, its one-line summary: writers that store ``attrs`` in a file as JSON
      (``DataFrame.to_parquet``, pyarrow) write that line instead of failing on an object. A
      frame read back from such a file holds only the line; :func:`framing.load_report` says so.

    Attributes:
        rows: the report, one row per reported input row (see :func:`framing.load_report`).
    """

    rows: pd.DataFrame

    def __new__(cls, rows: pd.DataFrame) -> LoadReport:
        report = super().__new__(cls, _summary(rows))
        report.rows = rows
        return report

    def __copy__(self) -> LoadReport:
        return self

    def __deepcopy__(self, memo: dict) -> LoadReport:
        return self

    def __reduce__(self):
        return (LoadReport, (self.rows,))

    # A report equals only itself, not another load's report with the same summary: pandas
    # keeps attrs when it combines frames (concat, merge) only if all of them have equal attrs.
    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__


def _summary(rows: pd.DataFrame) -> str:
    dropped = int((rows["action"] == "dropped").sum())
    kept = len(rows) - dropped
    return (
        f"framing load report: {dropped:,} rows dropped, {kept:,} kept with a note "
        "(framing.load_report lists them)"
    )


def attach_report(articles: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``articles``, carrying ``rows`` as its load report."""
    articles.attrs[ATTRS_KEY] = LoadReport(rows)
    return articles


def load_report(
    articles: pd.DataFrame, *, level: Literal["rows", "reasons"] = "rows"
) -> pd.DataFrame:
    """The bad-row report of a loaded corpus: what was dropped or noted, per row or per reason.

    Args:
        articles: a frame returned by :func:`framing.load_corpus`, or derived from it:
            filtering, copying, :func:`framing.select_outlets` and pickling (to another process)
            keep the report.
        level: ``"rows"`` for one row per reported input row, ``"reasons"`` for counts.

    Returns:
        With ``level="rows"``: ``file, row, doc_id, reason, detail, action`` where ``row`` is the
        1-based data row (JSON Lines: line number; CSV: row after the header; folder: file
        number in sorted order), ``reason`` a key of :data:`BAD_ROW_REASONS` or
        :data:`KEPT_ROW_NOTES`, and ``action`` ``"dropped"`` or ``"kept"``. With
        ``level="reasons"``: ``reason, action, n_rows, doc_ids`` (ids joined by ", ", at most
        20, then "…").

    Raises:
        ValueError: ``level`` is not allowed, or ``articles`` carries no load report (it was
            not loaded by :func:`framing.load_corpus`, or was written to a file and read back).

    Note:
        A corpus loaded with ``on_error="raise"`` has no dropped rows in its report: any bad row
        would have raised. Its kept-row notes (e.g. ``missing_date``) are there.
    """
    if level not in ("rows", "reasons"):
        raise ValueError(f"level={level!r} is not allowed; use one of ('rows', 'reasons')")
    report = articles.attrs.get(ATTRS_KEY)
    if not isinstance(report, LoadReport):
        if isinstance(report, str):
            raise ValueError(
                f"articles carries no load report, only its summary ({report!r}): it was "
                "written to a file and read back; load it with framing.load_corpus"
            )
        raise ValueError("articles carries no load report: load it with framing.load_corpus")
    if level == "rows":
        return report.rows.copy()
    return summarize_report(report.rows)


def summarize_report(report: pd.DataFrame) -> pd.DataFrame:
    """Counts per reason of a row-level report (see :func:`load_report`)."""
    order = {r: i for i, r in enumerate([*BAD_ROW_REASONS, *KEPT_ROW_NOTES])}
    rows = []
    for (reason, action), grp in report.groupby(["reason", "action"], sort=False):
        ids = [str(i) for i in grp.doc_id]
        shown = ", ".join(ids[:20]) + (", …" if len(ids) > 20 else "")
        rows.append((reason, action, len(grp), shown))
    out = pd.DataFrame(rows, columns=["reason", "action", "n_rows", "doc_ids"])
    out["_o"] = out.reason.map(order)
    return out.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


class ReportRows:
    """The rows of a load report, in the order a load finds them.

    Args:
        on_error: ``"raise"``: a bad row raises its :class:`CorpusError`; ``"drop"``: it is
            listed, with ``action = "dropped"``.
    """

    def __init__(self, on_error: Literal["raise", "drop"]):
        self.raise_bad_rows = on_error == "raise"
        self.rows: list[tuple] = []

    def bad(self, err: CorpusError) -> None:
        """Raise ``err``, or list its row as dropped."""
        if self.raise_bad_rows:
            raise err
        self.rows.append((err.file, err.row, err.doc_id, err.reason, err.detail, "dropped"))

    def kept(self, notes: Iterable[tuple]) -> None:
        """List the notes of a kept row (report rows with ``action = "kept"``)."""
        self.rows.extend(notes)

    def frame(self) -> pd.DataFrame:
        """The report as a DataFrame, by file and then row."""
        report = pd.DataFrame(self.rows, columns=REPORT_COLUMNS).astype({"row": "int64"})
        return report.sort_values(["file", "row"], kind="stable").reset_index(drop=True)
