"""Which groups are compared, what is left out, and the one join that puts a group column on a table.

Every notebook has the parameters ``by``, ``outlets`` and ``top_outlets``; it calls
:func:`select_outlets` with them and shows :func:`selection_note` and :func:`outlet_table`, so a
reader always knows which outlets a figure covers and which were set aside.
"""

from __future__ import annotations

__all__ = ["select_outlets", "outlet_table", "selection_note", "join_articles", "largest_groups"]

from collections.abc import Sequence

import pandas as pd

from .errors import check_column, check_option

OUTLET_TABLE_COLUMNS = ["group", "n_articles", "n_words", "rank", "kept", "why"]


def _parse_outlets(outlets: str | Sequence[str] | None) -> list[str] | None:
    if outlets is None:
        return None
    if isinstance(outlets, str):  # from the command line: "A,B" (make report OUTLETS="A,B")
        items = [o.strip() for o in outlets.split(",")]
    else:
        items = [str(o).strip() for o in outlets]
    items = [o for o in items if o]
    return items or None


def _check(articles: pd.DataFrame, by: str, top_outlets: int | None) -> None:
    if not isinstance(by, str):
        check_option("by", by, "a column name", ok=False)
    check_column(articles, by, of="the articles")
    ok = top_outlets is None or (
        isinstance(top_outlets, int) and not isinstance(top_outlets, bool) and top_outlets >= 1
    )
    check_option("top_outlets", top_outlets, "an integer >= 1 or None", ok=ok)


def outlet_table(
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    outlets: str | Sequence[str] | None = None,
    top_outlets: int | None = 8,
) -> pd.DataFrame:
    """Every group of ``by`` with its size, and whether the selection keeps it and why.

    Args:
        articles: the article table (from :func:`framing.load_corpus`).
        by: the column whose values are compared: ``"outlet"``, or a grouping column such as
            AllSides' ``"bias_text"`` (left / center / right).
        outlets: the values of ``by`` to keep, as a list or a comma-separated string; ``None``
            keeps the ``top_outlets`` largest.
        top_outlets: with ``outlets=None``, keep this many groups, the largest by article count
            (ties: more words first, then by name); ``None`` keeps all.

    Returns:
        ``group, n_articles, n_words, rank, kept, why``, largest group first; ``why`` is
        ``"chosen"``, ``"not chosen"``, ``"top N by articles"``, ``"beyond top N"`` or
        ``"all groups"``. Rows with an empty group value count as the group ``"(none)"``.

    Raises:
        ValueError: ``by`` is not a column, ``top_outlets`` is not a positive int or None, or an
            outlet in ``outlets`` does not occur (the message lists those that do).
    """
    _check(articles, by, top_outlets)
    chosen = _parse_outlets(outlets)
    groups = articles[by].astype(str).replace("", "(none)")
    words = articles["n_words"] if "n_words" in articles.columns else pd.Series(0, articles.index)
    table = (
        pd.DataFrame({"group": groups.to_numpy(), "n_words": words.to_numpy()})
        .groupby("group", sort=True)
        .agg(n_articles=("n_words", "size"), n_words=("n_words", "sum"))
        .reset_index()
    )
    table = table.sort_values(
        ["n_articles", "n_words", "group"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    table["rank"] = range(1, len(table) + 1)
    if chosen is not None:
        missing = [o for o in chosen if o not in set(table.group)]
        if missing:
            shown = table.group.tolist()[:30]
            more = f" (and {len(table) - 30} more)" if len(table) > 30 else ""
            raise ValueError(
                f"outlets={missing!r} do not occur in column {by!r}; the values are {shown}{more}"
            )
        table["kept"] = table.group.isin(chosen)
        table["why"] = table.kept.map({True: "chosen", False: "not chosen"})
    elif top_outlets is None or top_outlets >= len(table):
        table["kept"] = True
        table["why"] = "all groups"
    else:
        table["kept"] = table["rank"] <= top_outlets
        table["why"] = table.kept.map(
            {True: f"top {top_outlets} by articles", False: f"beyond top {top_outlets}"}
        )
    return table[OUTLET_TABLE_COLUMNS]


def select_outlets(
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    outlets: str | Sequence[str] | None = None,
    top_outlets: int | None = 8,
) -> pd.DataFrame:
    """The articles of the chosen outlets (or groups), in their original order.

    Args:
        articles: the article table (from :func:`framing.load_corpus`).
        by: the column to compare (see :func:`outlet_table`).
        outlets: values of ``by`` to keep (list or "A,B"), or ``None``.
        top_outlets: with ``outlets=None``, keep the largest this many groups; ``None``: all.

    Returns:
        A copy of the kept rows; the load report stays attached (:func:`framing.load_report`).

    Raises:
        ValueError: as :func:`outlet_table`.

    Note:
        The groups left out are listed by :func:`outlet_table`; say so where results are shown.
    """
    table = outlet_table(articles, by=by, outlets=outlets, top_outlets=top_outlets)
    kept = set(table.group[table.kept])
    groups = articles[by].astype(str).replace("", "(none)")
    mask = groups.isin(kept).to_numpy()
    if mask.all():  # every row kept: a copy that shares the columns until one is written
        return articles.copy(deep=False)  # (pandas' copy-on-write), not a second corpus
    return articles[mask].copy()


def selection_note(
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    outlets: str | Sequence[str] | None = None,
    top_outlets: int | None = 8,
) -> str:
    """One sentence saying which groups are compared and what is left out, with counts.

    Args:
        articles: the full article table (before selection).
        by, outlets, top_outlets: as :func:`select_outlets`.

    Returns:
        E.g. ``"Comparing 8 of 491 values of outlet (top 8 by articles): 9,581 of 37,544
        articles; 483 groups with 27,963 articles are left out."``
    """
    t = outlet_table(articles, by=by, outlets=outlets, top_outlets=top_outlets)
    k = t[t.kept]
    how = k.why.iloc[0] if len(k) else "none"
    note = (
        f"Comparing {len(k)} of {len(t)} values of {by} ({how}): {k.n_articles.sum():,} of "
        f"{t.n_articles.sum():,} articles"
    )
    left = t[~t.kept]
    if len(left):
        note += f"; {len(left)} groups with {left.n_articles.sum():,} articles are left out."
    else:
        note += "; nothing is left out."
    if len(k) == 1:
        note += f" Only one {by} is kept: comparisons between groups are not possible."
    return note


def join_articles(
    table: pd.DataFrame, articles: pd.DataFrame, columns: str | Sequence[str] = "outlet"
) -> pd.DataFrame:
    """Add article columns (``outlet``, ``bias_text``, an event, a date …) to a table keyed by
    ``doc_id``: the one join every measure's input goes through.

    Derived tables (sentences, spans, quotes, actor mentions, frame hits, the cleaning audit)
    carry only their keys, ``doc_id`` and, where they have them, ``sent_id``, ``start`` and
    ``end``; a measure compares groups of a column that this join puts in (its ``by=``).

    Args:
        table: any table with a ``doc_id`` column.
        articles: the article table holding ``doc_id`` and the columns.
        columns: one column name or several.

    Returns:
        A copy of ``table`` with the columns inserted right after ``doc_id``, in the order
        given (rows and their order unchanged); a column ``table`` already has is kept as it is.

    Raises:
        ValueError: a column is not a column of ``articles``, or ``table`` has no ``doc_id``.
    """
    names = [columns] if isinstance(columns, str) else list(columns)
    for name in names:
        if name not in articles.columns:
            raise ValueError(
                f"columns={name!r} is not a column of the articles; use one of "
                f"{list(articles.columns)}"
            )
    if "doc_id" not in table.columns:
        raise ValueError(f"table has no 'doc_id' column; its columns are {list(table.columns)}")
    names = [n for n in names if n not in table.columns and n != "doc_id"]
    out = table.copy()
    if not names:
        return out
    lookup = articles.drop_duplicates("doc_id").set_index("doc_id")
    at = list(out.columns).index("doc_id") + 1
    for k, name in enumerate(names):
        out.insert(at + k, name, out["doc_id"].map(lookup[name]).to_numpy())
    return out


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
    check_column(articles, by, of="articles")
    ok = isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1
    check_option("limit", limit, "an integer >= 1", ok=ok)
    n = articles[by].astype(str).value_counts()
    order = sorted(n.index, key=lambda g: (-int(n[g]), g))
    return order[:limit]
