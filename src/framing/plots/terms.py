"""Plots of the term measures: top terms, Fightin' Words, similarity, stability.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_log_odds", "plot_top_terms", "plot_similarity", "plot_stability"]

import numpy as np
import pandas as pd

from .base import axes, plot_text


def plot_log_odds(
    data: pd.DataFrame,
    *,
    group: str,
    by: str = "outlet",
    label: int = 12,
    ax=None,
    **kwargs,
):
    """A Fightin'-Words plot: each term's z-score against its corpus frequency, for one group.

    Args:
        data: the output of :func:`log_odds`.
        group: the group to draw (a value of the ``by`` column).
        by: grouping column.
        label: the number of highest-z terms written next to their point (and drawn in
            colour); the lowest-z third as many are labelled too when they are negative.
            Terms on the same point (same counts) share one label under the point, at most
            three names and "+N" for the rest.
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.scatter`` for the grey points.

    Returns:
        The Axes. x is ``count_in + count_out`` on a log scale, y is ``z``; the dashed lines
        are z = ±1.96.
    """
    ax = axes(ax)
    d = data[data[by] == group]
    if d.empty:
        return ax
    freq = d["count_in"] + d["count_out"]
    kw = {"s": 8, "color": "0.7", "linewidths": 0, **kwargs}
    ax.scatter(freq, d["z"], **kw)
    hi = d.nlargest(label, "z", keep="first")
    lo = d[d["z"] < 0].nsmallest(label // 3, "z", keep="first")
    for sub, color in ((hi, "C3"), (lo, "C0")):
        f = sub["count_in"] + sub["count_out"]
        ax.scatter(f, sub["z"], s=14, color=color, zorder=3)
        # terms with the same counts sit on the same point: one label lists them all
        pts = pd.DataFrame({"x": f.to_numpy(), "y": sub["z"].round(9).to_numpy()})
        pts["term"] = sub["term"].astype(str).to_numpy()
        for (x, y), same in pts.groupby(["x", "y"], sort=False):
            names = same["term"].tolist()
            text = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
            text = plot_text(text)
            # a shared label is long: put it under the point, clear of single labels above
            off = (4, -10) if len(names) > 1 else (3, 2)
            ax.annotate(text, (x, y), xytext=off, textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    for y in (1.96, -1.96):
        ax.axhline(y, color="0.5", lw=0.8, ls="--")
    ax.set_xlabel("frequency in the whole corpus (log scale)")
    ax.set_ylabel("z-score of log-odds (this group vs the rest)")
    ax.set_title(plot_text(group))
    return ax


def plot_top_terms(
    data: pd.DataFrame,
    *,
    group: str,
    by: str = "outlet",
    score: str = "z",
    top: int = 15,
    ax=None,
    **kwargs,
):
    """Ranked horizontal bars of one group's top terms by ``score``.

    Args:
        data: the output of :func:`log_odds` (``score="z"`` or ``"log_odds"``),
            :func:`tfidf_terms` (``"tfidf"``) or :func:`keyness`.
        group: the group to draw.
        by: grouping column.
        score: the column that sets bar length and order.
        top: number of bars (highest first, at the top).
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.barh``.

    Returns:
        The Axes; the bar labels are the terms, top to bottom by rank.
    """
    if score not in data.columns:
        raise ValueError(f"score={score!r} is not a column; columns are {list(data.columns)}")
    ax = axes(ax)
    d = data[data[by] == group]
    if d.empty:
        return ax
    d = d.sort_values([score, "term"], ascending=[False, True], kind="stable").head(top)
    ax.barh(np.arange(len(d))[::-1], d[score], **{"color": "C0", **kwargs})
    ax.set_yticks(np.arange(len(d))[::-1], labels=d["term"].map(plot_text))
    ax.set_xlabel(_SCORE_LABELS.get(score, score))
    ax.set_title(plot_text(group))
    return ax


def plot_similarity(data: pd.DataFrame, *, by: str = "outlet", ax=None, **kwargs):
    """Heatmap of :func:`tfidf_similarity`, with the cosine written in each cell.

    Args:
        data: the output of :func:`tfidf_similarity`.
        by: grouping column (the table has ``<by>_a`` and ``<by>_b``).
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.imshow`` (e.g. ``cmap``).

    Returns:
        The Axes.
    """
    ax = axes(ax)
    if data.empty:
        return ax
    m = data.pivot(index=f"{by}_a", columns=f"{by}_b", values="cosine")
    im = ax.imshow(m.to_numpy(), **{"cmap": "Blues", "vmin": 0, "vmax": 1, **kwargs})
    ax.set_xticks(range(m.shape[1]), labels=[plot_text(c) for c in m.columns], rotation=30,
                  ha="right")  # fmt: skip
    ax.set_yticks(range(m.shape[0]), labels=[plot_text(i) for i in m.index])
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            v = m.iat[i, j]
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", color="w" if v > 0.6 else "k")
    ax.figure.colorbar(im, ax=ax, label="cosine similarity of TF-IDF vectors")
    return ax


def plot_stability(data: pd.DataFrame, *, group: str, by: str = "outlet", ax=None, **kwargs):
    """One group's top terms with the bootstrap interval of their z-score and how often they
    stay in the top k (the output of :func:`term_stability`).

    Args:
        data: the output of :func:`term_stability`.
        group: the group to draw.
        by: grouping column.
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.errorbar``.

    Returns:
        The Axes: one row per term (rank 1 at the top), a dot at the full-data z, a line from
        ``z_lo`` to ``z_hi``; the label gives the term and its ``top_share`` as a percentage.
    """
    ax = axes(ax)
    d = data[data[by] == group].sort_values("rank", kind="stable")
    if d.empty:
        return ax
    y = np.arange(len(d))[::-1]
    err = np.vstack([d["z"] - d["z_lo"], d["z_hi"] - d["z"]]).clip(min=0)
    ax.errorbar(d["z"], y, xerr=err, **{"fmt": "o", "color": "C0", "capsize": 2, **kwargs})
    labels = [plot_text(f"{t}  ({s:.0%})") for t, s in zip(d["term"], d["top_share"], strict=True)]
    ax.set_yticks(y, labels=labels)
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_xlabel("z-score: full data (dot) and bootstrap interval (line)")
    ax.set_title(plot_text(f"{group}: share of resamples still in the top {len(d)}"))
    return ax


_SCORE_LABELS = {
    "z": "z-score of log-odds (this group vs the rest)",
    "log_odds": "log-odds ratio (this group vs the rest)",
    "tfidf": "TF-IDF (group's text as one document)",
    "chi2": "signed chi-square (this group vs the rest)",
    "lr": "signed log-likelihood G² (this group vs the rest)",
}
