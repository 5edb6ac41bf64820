"""Saving figures with the table behind them; escaping data strings for Markdown and plots."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

__all__ = [
    "save_figure",
    "save_table",
    "escape_markdown",
    "plot_text",
    "largest_groups",
    "cap_note",
    "MAX_PANELS",
    "MAX_HEATMAP",
]

# What a figure draws when there are many groups (issue #13.9): small multiples, lines and
# legend entries show the MAX_PANELS largest groups; heat maps and one-row-per-group charts the
# MAX_HEATMAP largest. The tables written beside each figure always hold every group.
MAX_PANELS = 12
MAX_HEATMAP = 30

# Markdown's backslash-escapable punctuation (CommonMark), plus ``$`` (Jupyter reads ``$…$`` as
# math). ``&``, ``<`` and ``>`` become HTML entities instead: a backslash does not stop a
# Markdown renderer from passing a raw HTML tag through.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$\"'=:])")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(value) -> str:
    """A data string (an outlet, a term, a title …) made safe to put into generated Markdown.

    Every Markdown control character is backslash-escaped and ``&``, ``<``, ``>`` become HTML
    entities, so the rendered page shows the string as it is: ``<script>`` stays text, ``*a*``
    is not emphasis, ``$x$`` is not math, ``[a](b)`` is not a link.

    Args:
        value: any value; it is converted with ``str`` first.

    Returns:
        The escaped string, on one line (runs of white space become one space).
    """
    s = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))  # no line break inside a name
    return re.sub(r"[&<>]", lambda m: _HTML_ENTITIES[m.group(0)], s)


def plot_text(value) -> str:
    """A data string made safe for a matplotlib label: every ``$`` is escaped, so a name such
    as ``$5 News $`` is drawn as written instead of being read as mathtext."""
    return str(value).replace("$", r"\$")


def save_figure(fig, table: pd.DataFrame, name: str, *, out_dir: str | Path) -> Path:
    """Write a figure as ``NAME.png`` and the table behind it as ``NAME.csv`` side by side.

    Args:
        fig: a matplotlib Figure.
        table: the numbers the figure draws, so a reader can check them.
        name: file stem, e.g. ``"fightin-words-semafor"``.
        out_dir: folder to write to (created if missing).

    Returns:
        The path of the PNG.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png = out / f"{name}.png"
    # no timestamps in the PNG, so two runs give the same bytes
    fig.savefig(png, dpi=120, bbox_inches="tight", metadata={"Software": None})
    save_table(table, name, out_dir=out)
    return png


def save_table(table: pd.DataFrame, name: str, *, out_dir: str | Path) -> Path:
    """Write a table that has no figure as ``NAME.csv`` in ``out_dir`` (created if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    table.to_csv(path, index=False)
    return path


def largest_groups(articles: pd.DataFrame, *, by: str = "outlet", limit: int) -> list[str]:
    """The ``limit`` groups with the most articles (ties by name), largest first.

    Args:
        articles: the article table (one row per article, a ``by`` column).
        by: the group column.
        limit: how many groups to keep (:data:`MAX_PANELS` or :data:`MAX_HEATMAP`).

    Returns:
        Group names as strings; all groups when there are at most ``limit``.

    Raises:
        ValueError: ``by`` is not a column, or ``limit`` is not a positive integer.
    """
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of articles; columns: {list(articles)}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit={limit!r} is not allowed; use an integer >= 1")
    n = articles[by].astype(str).value_counts()
    order = sorted(n.index, key=lambda g: (-int(n[g]), g))
    return order[:limit]


def cap_note(shown: int, total: int, *, by: str = "outlet", table: str) -> str:
    """One Markdown sentence saying that a figure draws only some groups, and where all are.

    Args:
        shown: groups drawn.
        total: groups in the data.
        by: the group column.
        table: the CSV file that holds every group (e.g. ``"tfidf-top-terms.csv"``).

    Returns:
        The sentence, or ``""`` when every group is drawn.
    """
    if shown >= total:
        return ""
    return (
        f"**Capped:** the figure draws the {shown:,} largest of {total:,} values of "
        f"*{escape_markdown(by)}* (most articles first); the table beside it, "
        f"{escape_markdown(table)}, holds all of them."
    )
