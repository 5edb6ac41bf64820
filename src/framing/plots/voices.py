"""Whose words each group carries: quoted words split by speaker type.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

from ..errors import check_option

__all__ = ["plot_voices"]

from typing import Literal

import pandas as pd

from .base import axes


def plot_voices(
    data: pd.DataFrame,
    *,
    by: str = "outlet",
    hue: str = "type",
    value: Literal["n_words", "n_quotes", "share_words"] = "share_words",
    ax=None,
    **kwargs,
):
    """Stacked horizontal bars: for each group, its quoted words split by speaker type.

    Args:
        data: from :func:`voices` (either level).
        by: the group column (one bar each).
        hue: the column that splits a bar (``"type"`` or ``"speaker"``).
        value: what the bar length shows.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.barh``.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    check_option("value", value, ("n_words", "n_quotes", "share_words"))
    ax = axes(ax)
    if data is None or len(data) == 0:
        return ax
    wide = data.pivot_table(index=by, columns=hue, values=value, aggfunc="sum", fill_value=0)
    order = wide.sum(axis=0).sort_values(ascending=False, kind="stable").index
    wide = wide[order].sort_index(ascending=False)
    cmap = plt.get_cmap("tab20" if len(order) > 10 else "tab10")
    left = pd.Series(0.0, index=wide.index)
    for i, col in enumerate(order):
        ax.barh(wide.index, wide[col], left=left, label=str(col), color=cmap(i % cmap.N), **kwargs)
        left = left + wide[col]
    labels = {"n_words": "quoted words", "n_quotes": "quotations",
              "share_words": "share of the outlet's quoted words"}  # fmt: skip
    ax.set_xlabel(labels[value])
    ax.set_ylabel(by)
    ax.legend(title=hue, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    return ax
