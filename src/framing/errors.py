"""The one exception type that bad corpus input raises."""

from __future__ import annotations

__all__ = ["CorpusError"]

from pathlib import Path


class CorpusError(ValueError):
    """Bad corpus input: the message names the file, the row and the problem.

    Attributes:
        file: the file at fault (manifest, article or data file), or None.
        row: the 1-based data row at fault (1 = the first row after a header; JSON Lines: the
            line number; a folder: the file number in sorted order), or None when the problem
            is not one row's.
        problem: the problem in words, without the location.
        reason: the report's name for the problem (a key of :data:`framing.BAD_ROW_REASONS`),
            or None.
        doc_id: the id of the row's article when it is known, else "".
        detail: the problem as the load report's ``detail`` column gives it: without the
            reason in words and the id that a bad row's message starts with.
        report: when a load found no usable article, its load report (a DataFrame, as
            :func:`framing.load_report` returns it); else None.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        reason: str | None = None,
        doc_id: str = "",
        detail: str | None = None,
    ):
        self.file = str(file) if file is not None else None
        self.row = row
        self.problem = problem
        self.reason = reason
        self.doc_id = doc_id
        self.detail = problem if detail is None else detail
        self.report = None
        where = []
        if self.file is not None:
            where.append(self.file)
        if row is not None:
            where.append(f"row {row}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {problem}" if prefix else problem)
