"""What the notebooks write and read back: each figure with the table behind it, and tables
that one page reads from another instead of computing them again."""

from __future__ import annotations

__all__ = ["save_figure", "save_table", "read_saved_table", "show_table", "SHOWN_ROWS"]

from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def save_figure(fig, table: pd.DataFrame, name: str, *, out_dir: str | Path) -> Path:
    """Write a figure as ``NAME.png`` and the table behind it as ``NAME.csv`` side by side.

    Args:
        fig: a matplotlib Figure.
        table: the numbers the figure draws, so a reader can check them.
        name: file stem, e.g. ``"fightin-words-semafor"``.
        out_dir: folder to write to (created if missing).

    Returns:
        The path of the PNG.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png = out / f"{name}.png"
    # no timestamps in the PNG, so two runs give the same bytes
    fig.savefig(png, dpi=120, bbox_inches="tight", metadata={"Software": None})
    save_table(table, name, out_dir=out)
    return png


def save_table(table: pd.DataFrame, name: str, *, out_dir: str | Path) -> Path:
    """Write a table that has no figure as ``NAME.csv`` in ``out_dir`` (created if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    table.to_csv(path, index=False)
    return path


#: rows a page shows of a long table; the whole table is its CSV file, linked under it
SHOWN_ROWS = 12


def show_table(
    table: pd.DataFrame, name: str, *, out_dir: str | Path, rows: int = SHOWN_ROWS
) -> None:
    """Show the head of a table in a notebook, with a link to the whole table's CSV file.

    The page shows at most ``rows`` rows; when the table is longer, a line under it says how
    many rows it has and links ``NAME.csv`` in the page's folder of tables (the link is relative
    to the report page, ``<notebook>/NAME.csv``, as the report runner lays pages out). The CSV
    must have been written (:func:`save_table` or :func:`save_figure`).

    Args:
        table: the table (already written as ``NAME.csv`` in ``out_dir``).
        name: its file stem.
        out_dir: the notebook's output folder.
        rows: rows shown.
    """
    from IPython.display import Markdown, display

    from .describe import escape_markdown

    display(table.head(rows))
    href = f"{Path(out_dir).name}/{name}.csv"
    if len(table) > rows:
        note = f"Showing the first {rows:,} of {len(table):,} rows; the whole table: "
    else:
        note = "The table as a file: "
    display(Markdown(f"{note}[{escape_markdown(name)}.csv]({href})."))


def _reads_back(vals: pd.Series) -> bool:
    """Whether every value reads as a number written exactly as it stands."""
    num = pd.to_numeric(vals, errors="coerce")
    return bool(num.notna().all() and (num.map(str) == vals).all())


def read_saved_table(
    out_dir: str | Path,
    page: str,
    name: str,
    *,
    by: str | None = None,
    groups: Sequence | None = None,
) -> pd.DataFrame | None:
    """A table another notebook of the same report saved (:func:`save_table`), read back as
    written, or None when it is not there or is not for these groups.

    Notebook 04 reports the numbers of notebooks 01–03 from their tables (term stability,
    sentiment per group, frame rates, shared passages) instead of computing them again with
    other settings, so the report gives one value for one number.

    Args:
        out_dir: the calling notebook's output folder (``reports/<corpus>/04-…``); the table is
            looked for beside it, in ``../<page>/<name>.csv``.
        page: the notebook that wrote it, e.g. ``"01-terms"``.
        name: the table's name, e.g. ``"term-stability"``.
        by: the grouping column the table was made with (read as text, as written).
        groups: the groups the caller compares; a table for other groups (a stale file from
            another corpus or selection) is not used.

    Returns:
        The table, every value as written: a column is read as numbers only when each of its
        values reads back exactly as written (so an id "007" or a term *nan* stays text); an
        empty cell is missing. None when there is no such table, or it is for other groups.
    """
    path = Path(out_dir).parent / page / f"{name}.csv"
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for col in table.columns:
        if col == by:
            continue
        # a column is numbers when every value reads back exactly as written: "0.25" is, an
        # id "007" or a term "nan" is not (they stay text)
        vals = table[col].dropna()
        # a text column fails on its first values: no need to read it all
        if len(vals) and _reads_back(vals.iloc[:100]) and _reads_back(vals):
            table[col] = pd.to_numeric(table[col])
    if by is not None and by not in table.columns:
        return None
    if (
        groups is not None
        and by is not None
        and set(table[by].dropna().astype(str)) != {str(g) for g in groups}
    ):
        return None
    return table
