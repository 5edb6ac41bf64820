"""Validation checks as shares between 0 and 1, each with the number it rests on.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_validation"]

import numpy as np
import pandas as pd

from .base import axes, plot_text


def plot_validation(table: pd.DataFrame, *, ax=None, **kwargs):
    """Horizontal bars of validation measures on a 0–1 scale, each labelled with its value.

    Args:
        table: ``check, value`` (a share between 0 and 1), one row per measure, drawn top to
            bottom in table order; an optional ``n`` column is printed beside the value.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.barh``.

    Returns:
        The Axes.
    """

    ax = axes(ax)
    if table is None or table.empty:
        return ax
    y = np.arange(len(table))
    vals = table["value"].to_numpy(dtype=float)
    ax.barh(y, vals, **({"color": "#4c72b0"} | kwargs))
    ns = table["n"].tolist() if "n" in table.columns else [None] * len(table)
    for yi, v, n in zip(y, vals, ns, strict=True):
        label = f"{v:.3f}" + (f"  (n={n:,})" if n is not None and n == n else "")
        ax.text(min(v, 1.0) + 0.01, yi, label, va="center", fontsize=8)
    ax.set_yticks(y, [plot_text(c) for c in table["check"]])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlim(0, 1.3)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("share (1 = every case checked agrees)")
    ax.grid(axis="x", alpha=0.3)
    return ax
