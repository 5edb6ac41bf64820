"""Plots of tone: intervals per group, the outlet-by-actor heat map, tone through the article.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_actor_heatmap", "plot_sentiment_intervals", "plot_sentiment_position"]

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .base import axes, legend_outside, plot_text


def plot_actor_heatmap(
    data: pd.DataFrame,
    *,
    by: str = "outlet",
    min_n: int = 5,
    actors: Sequence[str] | None = None,
    cmap: str = "RdBu",
    ax=None,
    **kwargs,
):
    """Outlet-by-actor heatmap of mean compound, each cell labelled with its sentence count.

    Args:
        data: from :func:`actor_sentiment`.
        by: the group column (rows of the heatmap).
        min_n: cells with fewer sentences are drawn grey and hatched, labelled
            ``n<min_n``, their mean not shown.
        actors: actors to show, in order (default: all, most mentioned first).
        cmap: a diverging colormap centred on 0 (range fixed to [-1, 1]).
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.imshow``.

    Returns:
        The Axes. Each cell reads "mean\\nn=count"; a cell resting on fewer than ``min_n``
        sentences is grey and hatched and reads "n<min_n\\nn=count" (a cell with no sentence
        reads "n=0"). The hatched cells are ``Rectangle`` patches with ``hatch="///"``.
    """
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    ax = axes(ax)
    if len(data) == 0:
        return ax
    if actors is None:
        tot = data.groupby("actor")["n_sentences"].sum()
        actors = sorted(tot.index, key=lambda a: (-tot[a], a))
    groups = sorted(data[by].unique())
    mean = data.pivot(index=by, columns="actor", values="mean_compound").reindex(
        index=groups, columns=actors
    )
    cnt = data.pivot(index=by, columns="actor", values="n_sentences").reindex(
        index=groups, columns=actors
    )
    cnt = cnt.fillna(0).astype(int)
    shown = mean.where(cnt >= min_n)
    cm = mpl.colormaps[cmap].with_extremes(bad="#d9d9d9")
    kwargs.setdefault("aspect", "auto")
    im = ax.imshow(
        np.ma.masked_invalid(shown.to_numpy(dtype=float)), cmap=cm, vmin=-1, vmax=1, **kwargs
    )
    for i in range(len(groups)):
        for j in range(len(actors)):
            c = cnt.iat[i, j]
            v = shown.iat[i, j]
            if pd.isna(v):
                label = f"n<{min_n}\nn={c}" if c else "n=0"
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///",
                                       edgecolor="#9a9a9a", linewidth=0))  # fmt: skip
            else:
                label = f"{v:+.2f}\nn={c}"
            color = "white" if not pd.isna(v) and abs(v) > 0.6 else "black"
            ax.text(j, i, label, ha="center", va="center", fontsize=7, color=color)
    ax.set_xticks(range(len(actors)), labels=[plot_text(a) for a in actors], rotation=45,
                  ha="right")  # fmt: skip
    ax.set_yticks(range(len(groups)), labels=[plot_text(g) for g in groups])
    ax.set_xlabel("actor named in the sentence")
    ax.set_ylabel(by)
    ax.figure.colorbar(im, ax=ax, label="mean VADER compound")
    ax.set_title(
        f"Tone of sentences naming each actor (hatched grey: fewer than {min_n} sentences, "
        "no mean shown)"
    )
    return ax


def plot_sentiment_intervals(
    data: pd.DataFrame, *, by: str = "outlet", x: str = "mean_compound", ax=None, **kwargs
):
    """Point and bootstrap interval per group, from :func:`outlet_sentiment`.

    Args:
        data: with columns ``by, mean_compound, ci_low, ci_high`` (and optionally ``voice``:
            one row of points per voice, offset vertically).
        by: the group column (y axis).
        x: the estimate column.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.errorbar``.

    Returns:
        The Axes.
    """
    ax = axes(ax)
    if len(data) == 0:
        return ax
    groups = sorted(data[by].unique())
    ypos = {g: i for i, g in enumerate(groups)}
    series = (
        [(None, data)] if "voice" not in data.columns else list(data.groupby("voice", sort=True))
    )
    k = len(series)
    for s, (name, d) in enumerate(series):
        off = 0 if k == 1 else (s - (k - 1) / 2) * 0.25
        y = d[by].map(ypos).to_numpy() + off
        err = np.vstack([d[x] - d["ci_low"], d["ci_high"] - d[x]])
        label = None if name is None else plot_text(name)
        ax.errorbar(d[x], y, xerr=err, fmt="o", capsize=3, label=label, **kwargs)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(range(len(groups)), labels=[plot_text(g) for g in groups])
    if not ax.yaxis_inverted():
        ax.invert_yaxis()  # first group at the top, as in the table
    ax.set_xlabel("mean VADER compound per sentence (95% bootstrap interval)")
    ax.set_ylabel(by)
    if k > 1:
        legend_outside(ax, title="voice")
    return ax


def plot_sentiment_position(
    data: pd.DataFrame,
    *,
    by: str = "outlet",
    group=None,
    ylim: tuple[float, float] | None = (-1.0, 1.0),
    ax=None,
    **kwargs,
):
    """Mean compound through the article, from :func:`position_sentiment`, each bin labelled
    with the number of sentences it holds.

    Args:
        data: with ``by, position_low, position_high, n_sentences, mean_compound, ci_low,
            ci_high``.
        by: the group column.
        group: the one group to draw (for small multiples, one panel per group, the way to
            keep four or more groups readable); None draws every group as its own line.
        ylim: y limits, the same in every panel (default the whole compound scale, −1 to 1);
            None lets the data set them.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.plot``.

    Returns:
        The Axes (x: relative position in the article, 0 = first sentence). Each point carries
        a text label ``n=…``, the sentences in its bin; with several groups the legend sits
        outside the axes.
    """
    ax = axes(ax)
    if len(data) == 0:
        return ax
    if group is not None:
        data = data[data[by].astype(str) == str(group)]
    for name, d in data.groupby(by, sort=True):
        mid = ((d["position_low"] + d["position_high"]) / 2).to_numpy(dtype=float)
        mean = d["mean_compound"].to_numpy(dtype=float)
        (line,) = ax.plot(mid, mean, marker="o", label=plot_text(name), **kwargs)
        ax.fill_between(mid, d["ci_low"], d["ci_high"], color=line.get_color(), alpha=0.15)
        if "n_sentences" in d:
            for x, y, n in zip(mid, mean, d["n_sentences"], strict=True):
                ax.annotate(f"n={int(n):,}", (x, y), xytext=(0, 7), textcoords="offset points",
                            ha="center", fontsize=7, color=line.get_color())  # fmt: skip
    ax.axhline(0, color="grey", lw=0.8, ls="--")
    ax.set_xlim(0, 1)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("relative position in the article (0 = start, 1 = end)")
    ax.set_ylabel("mean VADER compound")
    if group is not None:
        ax.set_title(plot_text(group))
    elif data[by].nunique() > 1:
        legend_outside(ax, title=by, fontsize=8)
    return ax
