"""The corpus: words kept and removed by cleaning, per article.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_cleaning"]


import pandas as pd

from .base import axes, plot_text


def plot_cleaning(table: pd.DataFrame, *, ax=None, **kwargs):
    """Horizontal bars per article: words kept and words removed as page debris.

    Args:
        table: from :func:`article_table` (``outlet, words_raw, words``).
        ax: axes to draw on (default: the current axes).
        **kwargs: passed to ``Axes.barh``.
    """
    ax = axes(ax)
    if table.empty:
        return ax
    labels = table["outlet"].astype(str)
    if labels.duplicated().any():  # several articles per outlet: name each one
        labels = labels + " · " + table["doc_id"].astype(str)
    labels = [plot_text(s) for s in labels]
    kept = table["words"].to_numpy()
    removed = (table["words_raw"] - table["words"]).clip(lower=0).to_numpy()
    ax.barh(labels, kept, label="kept (body and headings)", color="#4c72b0", **kwargs)
    ax.barh(labels, removed, left=kept, label="removed as page debris", color="#dd8452", **kwargs)
    ax.invert_yaxis()
    ax.set_xlabel("words")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, frameon=False)
    return ax
