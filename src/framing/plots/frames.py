"""Frame rates per 1,000 words with their intervals.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_frame_rates"]

import numpy as np
import pandas as pd

from .base import axes, plot_text


def plot_frame_rates(scores: pd.DataFrame, *, by: str | None = None, ax=None, **kwargs):
    """Dot plot of frame rates per 1,000 words, one row per frame, one colour per group.

    Args:
        scores: from :func:`frame_scores`.
        by: the group column (default: the first column of ``scores``).
        ax: matplotlib Axes to draw on (default: the current one).
        **kwargs: passed to ``Axes.errorbar`` for every group.

    Returns:
        The Axes: frames on the y axis (dictionary order, top to bottom), rates on the x axis,
        the bootstrap interval as a horizontal bar through each dot.

    Note:
        Rates count dictionary words, not meanings; an interval resamples the group's articles
        then their sentences, or its sentences when it has one article (``resampled``).
    """

    ax = axes(ax)
    if scores is None or scores.empty:
        return ax
    by = scores.columns[0] if by is None else by
    if by not in scores.columns:
        raise ValueError(f"by={by!r} is not a column of scores; columns: {list(scores.columns)}")
    frames = list(dict.fromkeys(scores["frame"]))
    groups = list(dict.fromkeys(scores[by]))
    y = {f: k for k, f in enumerate(frames)}
    step = 0.8 / max(len(groups), 1)
    for g_i, g in enumerate(groups):
        d = scores[scores[by] == g]
        pos = np.array([y[f] for f in d["frame"]]) - 0.4 + step * (g_i + 0.5)
        rate = d["per_1000"].to_numpy(dtype=float)
        lo = np.clip(rate - d["ci_low"].to_numpy(dtype=float), 0, None)
        hi = np.clip(d["ci_high"].to_numpy(dtype=float) - rate, 0, None)
        xerr = None if np.isnan(lo).all() else np.nan_to_num(np.vstack([lo, hi]))
        opts = {"fmt": "o", "capsize": 2, "markersize": 4, "label": plot_text(g)} | kwargs
        ax.errorbar(rate, pos, xerr=xerr, **opts)
    ax.set_yticks(range(len(frames)), [plot_text(f) for f in frames])
    ax.set_ylim(len(frames) - 0.5, -0.5)
    ax.set_xlabel("frame terms per 1,000 words (bars: bootstrap interval over sentences)")
    ax.set_ylabel("frame")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(title=by, fontsize="small", loc="best")
    return ax
