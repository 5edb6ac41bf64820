"""The actor table (who is who, under which spellings) and actor mentions with offsets."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import CorpusError

__all__ = ["load_actors", "actor_mentions", "actor_pattern", "corpus_actors"]

ACTOR_COLUMNS = ["actor", "type", "kind", "aliases", "note"]
MENTION_COLUMNS = ["doc_id", "sent_id", "start", "end", "alias", "actor", "type"]


def load_actors(path: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read an actor table: one row per actor with its canonical name, type and spellings.

    Args:
        path: a CSV with columns ``actor, type, kind, aliases, note`` (``aliases`` separated by
            ``|``; more columns, such as the counts :func:`framing.build_actors` adds, are
            ignored), or such a table already read (a DataFrame, e.g. from
            :func:`framing.build_actors` or :func:`framing.corpus_actors`, or one row per
            alias as this function returns); the default is the table shipped for the case
            study, ``framing/data/actors.csv``.

    Returns:
        One row per (actor, alias): ``actor, type, kind, alias, note``. Aliases are matched
        case-sensitively as whole words, longest first, so "Mr Xi" wins over "Xi" and
        "China’s foreign ministry" over "China".

    Raises:
        CorpusError: a column is missing, an actor is listed twice, or one alias names two
            actors (the message names the file).
    """
    if isinstance(path, pd.DataFrame):
        table, where = path, "the actor table given"
        if "alias" in table.columns and "aliases" not in table.columns:  # one row per alias
            table = one_row_per_actor(table)
        table = table.astype({"aliases": str})
    else:
        table = read_actor_table(path)
        where = "framing/data/actors.csv" if path is None else str(path)
    missing = [c for c in ("actor", "type", "aliases") if c not in table.columns]
    if missing:
        raise CorpusError(f"the actor table lacks columns {missing}", file=where)
    table = table.copy()
    for col in ("kind", "note"):
        if col not in table.columns:
            table[col] = ""
    dup = table["actor"][table["actor"].duplicated()].tolist()
    if dup:
        raise CorpusError(f"actors listed twice: {dup}", file=where)
    long = table.assign(alias=table["aliases"].str.split("|")).explode("alias")
    long["alias"] = long["alias"].str.strip()
    long = long[long["alias"].notna() & (long["alias"] != "")]
    clash = long[long["alias"].duplicated(keep=False)]
    if len(clash):
        pairs = clash.groupby("alias")["actor"].apply(list).to_dict()
        raise CorpusError(f"an alias names two actors: {pairs}", file=where)
    return long[["actor", "type", "kind", "alias", "note"]].reset_index(drop=True)


def one_row_per_actor(long: pd.DataFrame) -> pd.DataFrame:
    """A table of one row per alias (``actor, alias`` and more, as :func:`load_actors` gives
    it) as one row per actor: ``actor, aliases`` (joined by ``|``, in table order) and the
    other columns of each actor's first row."""
    joined = long.groupby("actor", sort=False)["alias"].agg("|".join)
    return (
        joined.rename("aliases")
        .reset_index()
        .merge(long.drop(columns="alias").drop_duplicates("actor"))
    )


def read_actor_table(path: str | Path | None = None) -> pd.DataFrame:
    """An actor table CSV as written, one row per actor (``aliases`` joined by ``|``; every
    column text): ``path``, or the case study's shipped ``framing/data/actors.csv``."""
    if path is not None:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    src = resources.files("framing").joinpath("data/actors.csv")
    with resources.as_file(src) as p:
        return pd.read_csv(p, dtype=str, keep_default_na=False)


def corpus_actors(
    articles: pd.DataFrame, *, cache: bool = True, progress: bool = False
) -> pd.DataFrame:
    """The actor table a corpus is read with when none is given: the shipped table for the case
    study (:func:`framing.is_case_study`), written by hand for it; for any other corpus the
    table :func:`framing.build_actors` proposes from the corpus itself (built once, kept in the
    disk cache with ``cache``). Pass it, or an edited copy, to :func:`load_actors`.

    Returns:
        The table one row per actor (``actor, type, kind, aliases, note``, and the counts for
        a built one); ``attrs["source"]`` says which it is (``"shipped"`` or ``"built"``).
    """
    from ..describe import is_case_study
    from .actor_table import build_actors

    if is_case_study(articles):
        table = read_actor_table()
        table.attrs["source"] = "shipped"
        return table
    texts = articles[["doc_id", "text"]].reset_index(drop=True)
    if cache:
        from ..cache import cached

        table = cached(build_actors, texts, progress=progress)
    else:
        table = build_actors(texts, progress=progress)
    table.attrs["source"] = "built"
    return table


@lru_cache(maxsize=8)
def _compiled(aliases: tuple[str, ...]) -> re.Pattern:
    # the aliases as a trie (framing.frames._trie_regex): the same matches as the alternation
    # sorted longest first, found several times faster
    from ..text.tries import trie_regex as _trie_regex

    if not aliases:
        return re.compile(r"(?!)")  # an empty table names no one
    entries = [[re.escape(c) for c in a] for a in aliases]
    return re.compile(rf"(?<!\w)(?:{_trie_regex(entries)})(?!\w)")


def actor_pattern(actors: pd.DataFrame) -> re.Pattern:
    """One compiled regex matching every alias of ``actors`` as a whole word, longest first."""
    return _compiled(tuple(actors["alias"]))


def actor_mentions(data: pd.DataFrame, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every mention of every actor, with its offsets.

    Args:
        data: the sentence table (``doc_id, sent_id, start, text``) or the article table
            (``doc_id, text``).
        actors: from :func:`load_actors` (default: the shipped table).

    Returns:
        ``doc_id, sent_id, start, end, alias, actor, type``: ``start``/``end`` are
        offsets into the article's ``text`` (for a sentence table, the sentence's ``start``
        plus the offset inside it), so ``text[start:end] == alias``. ``sent_id`` is -1 for an
        article table.

    Note:
        Matching is by spelling only: "Xi" is always Xi Jinping, "Washington" is not mapped to
        the United States (a place and a government are told apart by a reader, not a regex).
    """
    actors = load_actors() if actors is None else actors
    pat = actor_pattern(actors)
    lookup = actors.set_index("alias")[["actor", "type"]].to_dict("index")
    has_sent = "sent_id" in data.columns and "start" in data.columns
    cols = ["doc_id", "text"] + (["sent_id", "start"] if has_sent else [])
    rows = []
    for rec in data[cols].itertuples(index=False):
        base = rec.start if has_sent else 0
        sid = rec.sent_id if has_sent else -1
        for m in pat.finditer(rec.text):
            a = lookup[m.group()]
            rows.append(
                (rec.doc_id, sid, base + m.start(), base + m.end(), m.group(),
                 a["actor"], a["type"])
            )  # fmt: skip
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})
