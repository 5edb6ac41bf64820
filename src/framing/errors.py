"""The one exception type for bad data files, and the one checker for option values."""

from __future__ import annotations

__all__ = ["CorpusError", "check_option", "check_column"]

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


def check_option(name: str, value, allowed, *, ok: bool | None = None):
    """Check one option's value; the one message shape for a bad value everywhere.

    Args:
        name: the argument's name, as the caller wrote it (``"n_boot"``).
        value: the value given.
        allowed: the values allowed (a tuple, list or set), or, with ``ok``, a short
            description of them (``"an integer >= 1"``).
        ok: whether ``value`` is allowed, when ``allowed`` is a description; by default
            ``value in allowed``.

    Returns:
        ``value``, when it is allowed.

    Raises:
        ValueError: ``"{name}={value!r} is not allowed; use one of [...]"`` (or ``"; use
            {description}"``).
    """
    if ok is None:
        try:
            ok = value in allowed
        except TypeError:  # an unhashable value is never among hashable choices
            ok = False
        what = f"one of {list(allowed)}"
    else:
        what = str(allowed)
    if not ok:
        raise ValueError(f"{name}={value!r} is not allowed; use {what}")
    return value


def check_column(data, column: str, *, arg: str = "by", of: str = "the table", hint: str = ""):
    """Check that a table has the column an option names; the one message shape for a
    missing column.

    Raises:
        ValueError: ``"{arg}={column!r} is not a column of {of}; its columns are [...]"``, then
            ``hint`` (e.g. how to add it) when given.
    """
    if column not in data.columns:
        more = f"; {hint}" if hint else ""
        raise ValueError(
            f"{arg}={column!r} is not a column of {of}; its columns are {list(data.columns)}{more}"
        )
    return column
