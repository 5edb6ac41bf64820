"""What every figure shares: the Axes to draw on, data strings made safe for labels, caps on how
many groups a figure draws, and a grid of small multiples."""

from __future__ import annotations

from ..describe import escape_markdown

__all__ = [
    "axes",
    "legend_outside",
    "small_multiples",
    "plot_text",
    "cap_note",
    "MAX_PANELS",
    "MAX_HEATMAP",
    "MAX_LISTED",
]

# What a figure draws when there are many groups (issue #13.9): small multiples, lines and
# legend entries show the MAX_PANELS largest groups; heat maps and one-row-per-group charts the
# MAX_HEATMAP largest. The tables written beside each figure hold every group, except that with
# more than MAX_LISTED groups the per-group term tables (a row per group and term: log-odds,
# keyness, term stability, the permutation test) hold the groups drawn, and say so.
MAX_PANELS = 12
MAX_HEATMAP = 30
MAX_LISTED = 100


def plot_text(value) -> str:
    """A data string made safe for a matplotlib label: every ``$`` is escaped, so a name such
    as ``$5 News $`` is drawn as written instead of being read as mathtext."""
    return str(value).replace("$", r"\$")


def cap_note(
    shown: int, total: int, *, by: str = "outlet", table: str, computed_for_all: bool = True
) -> str:
    """One Markdown sentence saying that a figure draws only some groups, and where all are.

    Args:
        shown: groups drawn.
        total: groups in the data.
        by: the group column.
        table: the CSV file that holds every group (e.g. ``"tfidf-top-terms.csv"``).
        computed_for_all: False when the table, too, holds only the groups drawn (a
            resampling or permutation computed for them alone); the sentence then says so.

    Returns:
        The sentence, or ``""`` when every group is drawn.
    """
    if shown >= total:
        return ""
    if not computed_for_all:
        return (
            f"**Capped:** the figure and its table, {escape_markdown(table)}, hold the "
            f"{shown:,} largest of {total:,} values of *{escape_markdown(by)}* (most articles "
            "first): they were computed for these alone (a row per group and term for every "
            "group would need more time and memory than the whole analysis). Each is still "
            "compared with all the others."
        )
    return (
        f"**Capped:** the figure draws the {shown:,} largest of {total:,} values of "
        f"*{escape_markdown(by)}* (most articles first); the table beside it, "
        f"{escape_markdown(table)}, holds all of them."
    )


def legend_outside(ax, **kwargs):
    """A legend beside the axes, right of the data, never over it (``kwargs`` go to
    ``Axes.legend``: ``title``, ``fontsize`` …). Returns the Legend, or None with nothing
    labelled."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    opts = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0,
            "frameon": False} | kwargs  # fmt: skip
    return ax.legend(handles, labels, **opts)


def axes(ax=None):
    """``ax``, or the current matplotlib Axes when ``ax`` is None (seaborn's convention)."""
    import matplotlib.pyplot as plt

    return plt.gca() if ax is None else ax


def small_multiples(
    groups,
    draw,
    *,
    ncol: int = 2,
    panel=(5.5, 3.2),
    title: str | None = None,
    sharex: bool = False,
    sharey: bool = False,
):
    """One panel per group in a grid, drawn by ``draw(group, ax)``; unused panels hidden.

    Args:
        groups: the groups to draw, in order (at most :data:`MAX_PANELS` is the report's rule).
        draw: called as ``draw(group, ax)`` for each group.
        ncol: panels per row.
        panel: width and height of one panel, in inches.
        title: the figure's title.
        sharex, sharey: give every panel the same x (y) scale, so that panels comparing groups
            on one score cannot mislead by each having its own range. The shared limits cover
            every panel's data; tick labels stay on every panel.

    Returns:
        The Figure (laid out tight).
    """
    import matplotlib.pyplot as plt

    groups = list(groups)
    nrow = max(1, -(-len(groups) // ncol))
    fig, axs = plt.subplots(nrow, ncol, figsize=(panel[0] * ncol, panel[1] * nrow), squeeze=False,
                            sharex=sharex, sharey=sharey)  # fmt: skip
    for ax, g in zip(axs.flat, groups, strict=False):
        draw(g, ax)
        if sharex:
            ax.tick_params(axis="x", labelbottom=True)
        if sharey:
            ax.tick_params(axis="y", labelleft=True)
    for ax in list(axs.flat)[len(groups) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
