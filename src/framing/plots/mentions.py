"""Who each group names: mentions per 1,000 words as a heat map.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

from ..errors import check_option

__all__ = ["plot_mention_rates"]

import pandas as pd

from .base import axes, plot_text


def plot_mention_rates(
    data: pd.DataFrame,
    *,
    by: str = "outlet",
    top: int = 15,
    annotate: bool = True,
    ax=None,
    **kwargs,
):
    """Heat map of mentions per 1,000 words: groups in rows, the most-named actors in columns.

    Args:
        data: from :func:`mention_rates`.
        by: the group column.
        top: keep the actors with the most mentions overall (ties by name).
        annotate: write the rate and, in brackets, the raw count in each cell.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.imshow`` (e.g. ``cmap``).

    Returns:
        The Axes.

    Raises:
        ValueError: ``top`` is not a positive int.
    """

    ok = isinstance(top, int) and not isinstance(top, bool) and top >= 1
    check_option("top", top, "an integer >= 1", ok=ok)
    ax = axes(ax)
    if data is None or len(data) == 0:
        return ax
    total = data.groupby("actor")["mentions"].sum().reset_index()
    total = total.sort_values("actor", kind="stable").sort_values(
        "mentions", ascending=False, kind="stable"
    )
    keep = list(total["actor"].head(top))
    rate = data.pivot_table(index=by, columns="actor", values="per_1000", aggfunc="sum")[keep]
    count = data.pivot_table(index=by, columns="actor", values="mentions", aggfunc="sum")[keep]
    kwargs.setdefault("cmap", "Blues")
    im = ax.imshow(rate.to_numpy(dtype=float), aspect="auto", **kwargs)
    ax.set_xticks(range(len(keep)), [plot_text(a) for a in keep], rotation=45, ha="right")
    ax.set_yticks(range(len(rate.index)), [plot_text(i) for i in rate.index])
    ax.set_xlabel("actor (mentions per 1,000 words; raw count in brackets)")
    ax.set_ylabel(by)
    if annotate:
        vmax = float(rate.to_numpy().max()) or 1.0
        for i in range(rate.shape[0]):
            for j in range(rate.shape[1]):
                v = rate.iat[i, j]
                ax.text(j, i, f"{v:.1f}\n({int(count.iat[i, j])})", ha="center", va="center",
                        fontsize=7, color="white" if v > 0.6 * vmax else "black")  # fmt: skip
    ax.figure.colorbar(im, ax=ax, label="mentions per 1,000 words")
    return ax
