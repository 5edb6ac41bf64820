"""Plots of within-event contrasts and of measures over time.

Seaborn's shape: ``plot_x(data, *, ..., ax=None, **kwargs) -> Axes``, drawing on ``ax`` (the current
Axes when None), returning early on empty data, never saving or showing.
"""

from __future__ import annotations

__all__ = ["plot_event_contrasts", "plot_over_time"]

import numpy as np
import pandas as pd

from .base import axes, plot_text


def plot_event_contrasts(
    data: pd.DataFrame, *, by: str = "outlet", label: str = "value", ax=None, **kwargs
):
    """Each group's mean within-event difference with its interval over events.

    Args:
        data: from :func:`framing.summarize_contrasts` (``by, mean_difference, ci_low,
            ci_high, n_events``).
        by: the group column (y axis; each label says how many events the group covered).
        label: what the difference is a difference of, for the x axis ("tone", "war frame per
            1,000 words").
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.errorbar``.

    Returns:
        The Axes. A group without an interval (one event) is drawn as a hollow point.
    """
    ax = axes(ax)
    if len(data) == 0:
        return ax
    d = data.reset_index(drop=True)
    y = np.arange(len(d))
    has = d["ci_low"].notna().to_numpy()
    err = np.vstack([d["mean_difference"] - d["ci_low"], d["ci_high"] - d["mean_difference"]])
    kwargs.setdefault("color", "C0")
    ax.errorbar(d.loc[has, "mean_difference"], y[has], xerr=err[:, has], fmt="o", capsize=3,
                **kwargs)  # fmt: skip
    if (~has).any():
        ax.plot(d.loc[~has, "mean_difference"], y[~has], "o", mfc="white",
                color=kwargs["color"], label="one event: no interval")  # fmt: skip
        ax.legend(fontsize=8)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    names = [f"{plot_text(g)} ({n} events)" for g, n in zip(d[by], d["n_events"], strict=True)]
    ax.set_yticks(y, labels=names)
    if not ax.yaxis_inverted():
        ax.invert_yaxis()
    ax.set_xlabel(f"{plot_text(label)}: group minus the mean of the groups in the same event\n"
                  "(mean over events, 95% bootstrap interval over events)")  # fmt: skip
    ax.set_ylabel(by)
    return ax


def plot_over_time(
    data: pd.DataFrame,
    *,
    by: str = "outlet",
    y: str = "value",
    intervals: bool = True,
    label: str | None = None,
    ax=None,
    **kwargs,
):
    """One line per group through the periods, sparse periods drawn hollow.

    Args:
        data: from :func:`framing.over_time` (``by, period, value, ci_low, ci_high,
            n_articles, sparse``).
        by: the group column (one line each).
        y: the column drawn: ``"value"`` (with its interval as a band) or ``"n_articles"``.
        intervals: draw the bootstrap interval as a band (only for ``y="value"``).
        label: the y axis label (default: ``data.attrs["measure"]`` for the value).
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.plot``.

    Returns:
        The Axes. Points of periods with fewer than ``data.attrs["min_articles"]`` articles
        (the ``sparse`` column) have hollow markers, and the legend says so.
    """
    from matplotlib.lines import Line2D

    ax = axes(ax)
    if len(data) == 0:
        return ax
    handles = []
    for name, d in data.groupby(by, sort=True):
        d = d.sort_values("period")
        (line,) = ax.plot(d["period"], d[y], label=plot_text(name), **kwargs)
        color = line.get_color()
        dense = ~d["sparse"].to_numpy(dtype=bool)
        ax.plot(d["period"][dense], d[y][dense], "o", color=color, ms=5)
        ax.plot(d["period"][~dense], d[y][~dense], "o", mfc="white", mec=color, ms=5)
        if intervals and y == "value" and "ci_low" in d.columns:
            ax.fill_between(d["period"], d["ci_low"], d["ci_high"], color=color, alpha=0.15,
                            lw=0)  # fmt: skip
        handles.append(Line2D([], [], color=color, marker="o", label=plot_text(name)))
    if data["sparse"].any():
        least = data.attrs.get("min_articles")
        what = f"fewer than {least} articles" if least else "few articles"
        handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="black",
                              label=f"hollow: {what}"))  # fmt: skip
    ax.legend(handles=handles, title=by, fontsize=8)
    if y == "value":
        ax.set_ylabel(label or plot_text(data.attrs.get("measure", "value")))
        if data["value"].min() < 0 < data["value"].max():
            ax.axhline(0, color="grey", lw=0.8, ls="--")
    else:
        ax.set_ylabel(label or plot_text(y.replace("_", " ")))
    ax.set_xlabel("period")
    ax.figure.autofmt_xdate()
    return ax
