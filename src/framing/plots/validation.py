"""Validation checks as shares between 0 and 1, each with the number it rests on.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_validation", "plot_agreement", "plot_prevalence"]

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


def plot_agreement(table: pd.DataFrame, *, ax=None, **kwargs):
    """Krippendorff's alpha of each code with its interval, against the usual thresholds.

    Args:
        table: from :func:`framing.agreement` (``code, alpha, ci_low, ci_high``), or any table
            with those columns (e.g. :func:`framing.agreement_with` renamed).
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.errorbar``.

    Returns:
        The Axes: one row per code (table order, top to bottom), alpha as a dot, the interval
        as a bar, dashed lines at 0.667 and 0.8 (Krippendorff's thresholds for tentative and
        reliable conclusions).
    """
    ax = axes(ax)
    if table is None or table.empty:
        return ax
    y = np.arange(len(table))
    a = table["alpha"].to_numpy(dtype=float)
    lo = np.clip(a - table["ci_low"].to_numpy(dtype=float), 0, None)
    hi = np.clip(table["ci_high"].to_numpy(dtype=float) - a, 0, None)
    xerr = np.nan_to_num(np.vstack([lo, hi]))
    ax.errorbar(a, y, xerr=xerr, **({"fmt": "o", "capsize": 3, "color": "#4c72b0"} | kwargs))
    for v in (0.667, 0.8):
        ax.axvline(v, color="grey", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, [plot_text(c) for c in table["code"]])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlim(
        min(0.0, float(np.nanmin(table["ci_low"])) - 0.05) if table["ci_low"].notna().any() else 0,
        1.02,
    )
    ax.set_xlabel("Krippendorff's alpha (bars: bootstrap interval over units; lines: 0.667, 0.8)")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_prevalence(table: pd.DataFrame, *, by: str | None = None, ax=None, **kwargs):
    """Dot plot of frame prevalence per group with intervals, one row per frame.

    Args:
        table: from :func:`framing.frame_prevalence`.
        by: the group column (default: the first column).
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.errorbar`` for every group.

    Returns:
        The Axes: frames on the y axis, the share of sentences in the frame on the x axis
        (0 to 1), the bootstrap interval as a bar.
    """
    from .frames import plot_frame_rates

    ax = axes(ax)
    if table is None or table.empty:
        return ax
    plot_frame_rates(table.rename(columns={"prevalence": "per_1000"}), by=by, ax=ax, **kwargs)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of sentences in the frame (bars: interval with the classifier's error)")
    return ax
