"""What pairs of groups carry word for word, as a heat map.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

from ..errors import check_option

__all__ = ["plot_shared"]


import numpy as np
import pandas as pd

from ..measures.shared import SHARED_VALUES, Value, shared_matrix
from .base import axes, plot_text


def plot_shared(
    shared: pd.DataFrame,
    *,
    outlets: list[str] | None = None,
    value: Value = "words",
    ax=None,
    **kwargs,
):
    """Heatmap of what each pair of outlets shares: words (or passages) carried by both.

    Args:
        shared: from :func:`shared_passages`.
        outlets: outlets to show, in order (default: those in ``shared``).
        value: ``"words"`` or ``"passages"``.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.imshow``.

    Returns:
        The Axes, with one labelled cell per pair of outlets (the diagonal left blank).
    """

    check_option("value", value, SHARED_VALUES)
    ax = axes(ax)
    if shared is None or (shared.empty and not outlets):
        return ax
    table = shared_matrix(shared, outlets=outlets, value=value)
    names = outlets or sorted(set(table["outlet_a"]))
    mat = (
        table.pivot(index="outlet_a", columns="outlet_b", values="value")
        .reindex(index=names, columns=names)
        .to_numpy(dtype=float)
    )
    opts = {"cmap": "Blues", "vmin": 0} | kwargs
    im = ax.imshow(np.ma.masked_invalid(mat), **opts)
    top = np.nanmax(mat) if np.isfinite(mat).any() else 0
    for i in range(len(names)):
        for j in range(len(names)):
            if i != j:
                v = int(mat[i, j])
                colour = "white" if top and v > top / 2 else "black"
                ax.text(j, i, str(v), ha="center", va="center", color=colour, fontsize=9)
    ax.set_xticks(range(len(names)), [plot_text(g) for g in names], rotation=30, ha="right")
    ax.set_yticks(range(len(names)), [plot_text(g) for g in names])
    ax.set_xlabel("outlet")
    ax.set_ylabel("outlet")
    label = "words in shared passages" if value == "words" else "shared passages"
    ax.figure.colorbar(im, ax=ax, label=label, shrink=0.8)
    return ax
