"""Saving figures with the table behind them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["save_figure", "save_table"]


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
