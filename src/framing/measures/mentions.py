"""How often each outlet names each actor, per 1,000 words, with a KWIC line for every count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import check_option
from ..text.words import count_words_many
from .actors import actor_mentions, load_actors

__all__ = ["mention_rates", "mention_kwic"]

RATE_COLUMNS = ["actor", "type", "mentions", "n_docs", "words", "per_1000"]


def _kept(data: pd.DataFrame, include_headings: bool) -> np.ndarray | None:
    """Which rows of ``data`` are counted (a mask; None: all): body sentences unless
    ``include_headings``. A mask, not a filtered copy: the text column is never copied."""
    check_option(
        "include_headings", include_headings, (True, False), ok=isinstance(include_headings, bool)
    )
    if "kind" in data.columns and "sent_id" in data.columns and not include_headings:
        return np.asarray(data["kind"] == "body", dtype=bool)
    return None


def _take(data: pd.DataFrame, kept: np.ndarray | None, columns: list[str]) -> pd.DataFrame:
    cols = [c for c in columns if c in data.columns]
    return data[cols] if kept is None else data.loc[kept, cols]


def _keys(data: pd.DataFrame) -> list[str]:
    # a sentence table as framing.actor_mentions reads one: sent_id and start
    sentences = "sent_id" in data.columns and "start" in data.columns
    return ["doc_id", "sent_id"] if sentences else ["doc_id"]


def _row_keys(data: pd.DataFrame, kept) -> tuple[np.ndarray, pd.MultiIndex]:
    """Each kept row's position in ``data`` and its key (the last of rows sharing a key)."""
    where = np.arange(len(data)) if kept is None else np.flatnonzero(kept)
    index = pd.MultiIndex.from_frame(_take(data, kept, _keys(data)))
    if not index.is_unique:
        last = ~index.duplicated(keep="last")
        where, index = where[last], index[last]
    return where, index


def _mentions(
    data: pd.DataFrame, kept, actors: pd.DataFrame, mentions: pd.DataFrame | None, index=None
) -> pd.DataFrame:
    """The mentions of ``actors`` in the kept rows of ``data``: ``mentions`` (found once
    already) checked to lie in them (``index``: the rows' keys, when already built), or found
    here."""
    if mentions is None:
        return actor_mentions(_take(data, kept, ["doc_id", "sent_id", "start", "text"]), actors)
    need = ["doc_id", "sent_id", "start", "end", "alias", "actor", "type"]
    missing = [c for c in need if c not in mentions.columns]
    if missing:
        raise ValueError(f"mentions has no column {missing}; pass framing.actor_mentions' table")
    keys = _keys(data)
    rows = _row_keys(data, kept)[1] if index is None else index
    inside = pd.MultiIndex.from_frame(mentions[keys]).isin(rows)
    if not inside.all():
        first = mentions[~inside].iloc[0]
        raise ValueError(
            f"mentions row {int((~inside).argmax())} (doc_id={first['doc_id']!r}"
            + (f", sent_id={first['sent_id']}" if "sent_id" in keys else "")
            + ") lies in none of the rows given; pass the mentions found in these rows"
        )
    return mentions[need].reset_index(drop=True)


def mention_rates(
    data: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    by: str = "outlet",
    include_headings: bool = False,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mentions of each actor per 1,000 words, per group.

    Args:
        data: the sentence table (``doc_id, sent_id, start, text, kind``) or the article
            table (``doc_id, text``), with the ``by`` column (:func:`framing.join_articles`).
        actors: from :func:`framing.load_actors` (default: the shipped table).
        by: the column to compare.
        include_headings: count mentions in section headings too (sentence table only;
            default: body sentences only, as the other measures).
        mentions: the mentions of ``actors`` in these rows as :func:`framing.actor_mentions`
            finds them, found once already: the analysis's ``actors`` table
            (``run.table("actors")``, body sentences: not with ``include_headings=True``).
            Each is checked to lie in a counted row; that none is missing cannot be checked
            without finding them again. None: found here.

    Returns:
        ``<by>, actor, type, mentions, n_docs, words, per_1000``: one row per group and per
        actor named at least once anywhere (zeros kept, so groups compare on the same actors),
        sorted by group, rate (descending) and name. ``words`` is the group's word count
        (:func:`framing.count_words` over the same rows), ``n_docs`` the number of its
        articles naming the actor. Every count is listed, one line per mention, by
        :func:`mention_kwic`.

    Raises:
        ValueError: ``by`` is not a column, ``include_headings`` is not a bool, or a row of
            ``mentions`` lies in none of the rows.

    Note:
        Matching is by spelling through the actor table ("Mr Xi", "Xi", "Xi Jinping" are one
        actor); pronouns and descriptions ("the Chinese leader") are not counted, so the
        rates undercount actors an outlet refers to indirectly. With four articles a rate
        is one article's habit, not an outlet's.
    """
    actors = load_actors() if actors is None else actors
    kept = _kept(data, include_headings)
    if by not in data.columns:
        raise ValueError(
            f"by={by!r} is not a column of data; add it with framing.join_articles(data, "
            f"articles, {by!r})"
        )
    groups = _take(data, kept, ["doc_id", by])
    if "sent_id" in data.columns or "n_words" not in data.columns:
        texts = data["text"]  # the kept rows' texts read one by one: no copy of the column
        n_words = count_words_many(
            texts if kept is None else (t for t, k in zip(texts, kept, strict=True) if k)
        )
    else:
        n_words = _take(data, kept, ["n_words"])["n_words"].to_numpy()
    words = pd.Series(n_words, index=groups.index).groupby(groups[by], sort=True).sum()
    m = _mentions(data, kept, actors, mentions)
    group_of = groups.drop_duplicates("doc_id").set_index("doc_id")[by]
    m = m.assign(**{by: m["doc_id"].map(group_of).to_numpy()})
    counts = m.groupby([by, "actor"]).agg(mentions=("alias", "size"), n_docs=("doc_id", "nunique"))
    named = sorted(m["actor"].unique())
    types = actors.drop_duplicates("actor").set_index("actor")["type"]
    grid = pd.MultiIndex.from_product([words.index, named], names=[by, "actor"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    out["type"] = out["actor"].map(types).fillna("")
    out["words"] = out[by].map(words).astype("int64")
    out["per_1000"] = (1000 * out["mentions"] / out["words"]).where(out["words"] > 0, 0.0)
    out = out[[by, *RATE_COLUMNS]].astype({"mentions": "int64", "n_docs": "int64"})
    out = out.sort_values("actor", kind="stable")
    out = out.sort_values("per_1000", ascending=False, kind="stable")
    return out.sort_values(by, kind="stable").reset_index(drop=True)


def mention_kwic(
    data: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    actor: str | None = None,
    include_headings: bool = False,
    width: int = 60,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every actor mention as a keyword-in-context line: the evidence behind :func:`mention_rates`.

    Args:
        data: the same sentence or article table given to :func:`mention_rates`.
        actors: from :func:`framing.load_actors` (default: the shipped table).
        actor: keep one actor's mentions (canonical name), or all when None.
        include_headings: as in :func:`mention_rates`.
        width: characters of context on each side (within the sentence, or the article).
        mentions: as in :func:`mention_rates`.

    Returns:
        ``doc_id, sent_id, start, end, actor, type, left, alias, right``: ``start`` and
        ``end`` are offsets into the article's ``text``; ``left + alias + right`` is the
        context as written (line breaks shown as spaces). Filtering this table by group and
        actor gives exactly as many rows as :func:`mention_rates` counts.

    Raises:
        ValueError: ``width`` is not a positive int, ``actor`` is not in the actor table, or a
            row of ``mentions`` lies in none of the rows.
    """
    ok = isinstance(width, int) and not isinstance(width, bool) and width >= 1
    check_option("width", width, "an integer >= 1", ok=ok)
    actors = load_actors() if actors is None else actors
    if actor is not None:
        check_option(
            "actor", actor, "an actor of the actor table", ok=actor in set(actors["actor"])
        )
    kept = _kept(data, include_headings)
    # each mention's row of data (the last of rows sharing a key); only those rows' texts
    # become Python strings
    where, index = _row_keys(data, kept)
    m = _mentions(data, kept, actors, mentions, index)
    if actor is not None:
        m = m[m["actor"] == actor]
    keys = _keys(data)
    has_sent = len(keys) == 2
    pos = index.get_indexer(pd.MultiIndex.from_frame(m[keys]))
    if (pos < 0).any():  # pragma: no cover - mentions are checked to lie in the rows
        raise ValueError("a mention lies in none of the rows given")
    at = where[pos]
    used, of = np.unique(at, return_inverse=True)
    texts = data["text"].iloc[used].tolist()
    bases = data["start"].to_numpy()[used] if has_sent else np.zeros(len(used), dtype=np.int64)
    left, right = [], []
    for i, s, e in zip(of.tolist(), m["start"].tolist(), m["end"].tolist(), strict=True):
        t, b = texts[i], int(bases[i])
        left.append(t[max(0, s - b - width) : s - b].replace("\n", " "))
        right.append(t[e - b : e - b + width].replace("\n", " "))
    out = m.assign(left=left, right=right)
    cols = [
        "doc_id",
        "sent_id",
        "start",
        "end",
        "actor",
        "type",
        "left",
        "alias",
        "right",
    ]
    return out[cols].reset_index(drop=True)
