"""Tone aimed at an actor: VADER on the part of a sentence that is about the actor.

Beside the tone of a whole sentence that names an actor (:func:`framing.actor_sentiment`),
:func:`aimed_tone` scores the words about the actor: the clause that names them, or a window of
words around the name, without the quotations the actor speaks.
"""

from __future__ import annotations

__all__ = ["aimed_tone", "tone_label", "AIMED_COLUMNS"]

import re
from typing import Literal

import numpy as np
import pandas as pd

from .actors import load_actors
from .quotes import find_quotes
from .sentiment import score_texts

AIMED_COLUMNS = [
    "doc_id", "sent_id", "start", "end", "actor", "mention_start", "mention_end",
    "whole", "aimed", "rule_used", "quotes_removed", "aimed_text", "tone_whole", "tone_aimed",
]  # fmt: skip
Rule = Literal["clause", "window"]
_RULES = ("clause", "window")
_CUT = "\x00"  # stands for a character removed (a quotation the actor speaks)

# Where a clause ends: ; : ( ) [ ] and dashes set off by spaces; a comma before a conjunction
# or a relative word; and "but", "while", "whereas", "although", "though", "because" even
# without a comma.
_LINKS = (
    "and|but|or|nor|while|whereas|although|though|because|since|as|after|before|when|"
    "which|who|whom|whose|where|if|unless|until|yet|so|even though|despite"
)
_BOUNDARY = re.compile(
    rf"[;:()\[\]]|\s[—–-]{{1,2}}\s|—|,\s+(?=(?:{_LINKS})\b)"
    r"|\s(?=(?:but|while|whereas|although|though|because)\b)",
    re.IGNORECASE,
)
_QUOTE_MARKS = '"“”«»„‘’'


def tone_label(compound, thresholds: tuple[float, float] = (-0.05, 0.05)) -> np.ndarray:
    """-1, 0 or 1 from VADER compound scores: ``<= neg`` is -1, ``>= pos`` is 1 (VADER's
    documented cut-offs are ±0.05)."""
    lo, hi = thresholds
    c = np.asarray(compound, dtype=float)
    return np.where(c >= hi, 1, np.where(c <= lo, -1, 0)).astype("int64")


def _actor_quotes(quotes: pd.DataFrame, doc_id, actor: str, s0: int, s1: int, text: str):
    """Article offsets of the quotations ``actor`` speaks that overlap the sentence, widened
    to their quotation marks."""
    q = quotes[(quotes["doc_id"] == doc_id) & (quotes["kind"] == "quote")]
    q = q[(q["speaker"] == actor) & (q["start"] < s1) & (q["end"] > s0)]
    spans = []
    for a, b in q[["start", "end"]].itertuples(index=False):
        while a > 0 and text[a - 1] in _QUOTE_MARKS:
            a -= 1
        while b < len(text) and text[b] in _QUOTE_MARKS + ",.":
            b += 1
        spans.append((max(a, s0), min(b, s1)))
    return spans


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s\x00]+", text)]


def _clean(piece: str) -> str:
    return " ".join(piece.replace(_CUT, " ").split())


def _aim(masked: str, m0: int, m1: int, rule: str, window: int) -> tuple[str, str]:
    """(aimed text, rule used) for a sentence with the actor's quotations masked out and the
    mention at ``masked[m0:m1]``."""
    if rule == "clause":
        cuts = [0]
        for b in _BOUNDARY.finditer(masked):
            if b.end() <= m0 or b.start() >= m1:
                cuts.append(b.end() if b.end() <= m0 else b.start())
        lo = max((c for c in cuts if c <= m0), default=0)
        ends = [b.start() for b in _BOUNDARY.finditer(masked) if b.start() >= m1]
        hi = min(ends, default=len(masked))
        clause = masked[lo:hi]
        others = len(_words(masked[lo:m0] + " " + masked[m1:hi]))
        if others >= 3:
            return _clean(clause), "clause"
    words = _words(masked)
    at = [i for i, (a, b) in enumerate(words) if a < m1 and b > m0]
    if not at:
        return _clean(masked[m0:m1]), "window"
    i0, i1 = max(0, at[0] - window), min(len(words), at[-1] + window + 1)
    return _clean(masked[words[i0][0] : words[i1 - 1][1]]), "window"


def aimed_tone(
    units: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    actors: pd.DataFrame | None = None,
    rule: Rule = "clause",
    window: int = 6,
    quotes: pd.DataFrame | None = None,
    thresholds: tuple[float, float] = (-0.05, 0.05),
) -> pd.DataFrame:
    """VADER tone of whole sentences naming an actor, and of the part aimed at the actor.

    Args:
        units: one row per (sentence, actor): ``doc_id, sent_id, start, end, text`` and
            ``actor`` (the canonical name, as in ``actors``); ``mention_start`` /
            ``mention_end`` (article offsets of the words naming the actor) when known, else
            the actor's first mention in the sentence is found with ``actors``. A
            ``unit_id`` column is kept. E.g. the sample of :func:`framing.coding_sample`.
        articles: ``doc_id, text`` of the units' articles (quotations are found in the whole
            article, so one opened in an earlier sentence is seen).
        actors: the actor table (:func:`framing.load_actors`; default the shipped one): the
            spellings of each actor, and the speakers of quotations.
        rule: ``"clause"`` (the clause naming the actor, or the window when that clause has
            fewer than three other words) or ``"window"`` (always the window).
        window: words kept on each side of the mention by the window rule.
        quotes: :func:`framing.find_quotes` of ``articles`` with the same ``actors``, when
            already computed.
        thresholds: ``(neg, pos)`` cut-offs turning compound scores into -1/0/1 labels.

    Returns:
        ``[unit_id,] doc_id, sent_id, start, end, actor, mention_start, mention_end, whole,
        aimed, rule_used, quotes_removed, aimed_text, tone_whole, tone_aimed``: ``whole`` is
        the VADER compound of the whole sentence (exactly vaderSentiment's), ``aimed`` that of
        ``aimed_text``; ``tone_*`` their -1/0/1 labels; ``quotes_removed`` counts the actor's
        own quotations taken out; ``rule_used`` says which rule gave the aimed text.

    Note:
        The rule, in order. (1) Quotations the actor speaks (:func:`framing.find_quotes` with
        ``actors``: quotation spans, from :mod:`framing.text.quotemarks`, attributed to the
        actor) are removed from the sentence with their marks: the actor's words about others
        are not tone toward the actor, while other people's quoted words about the actor stay.
        (2) The clause is the stretch of the sentence around the mention between two clause
        boundaries: ``; : ( ) [ ]``, a dash set off by spaces, a comma followed by a
        conjunction or relative word (and, but, while, which, who, because …), or "but",
        "while", "whereas", "although", "though", "because" on their own. (3) When that
        clause holds fewer than three words besides the mention ("Trump, who …"), or with
        ``rule="window"``, the aimed text is ``window`` words on each side of the mention
        within the sentence. (4) VADER scores the aimed text (:func:`framing.score_texts`).
        A shorter text scores closer to 0 than the whole sentence (VADER's compound is a
        normalised sum), so compare labels and their agreement with coders, not raw means.

    References:
        Hutto & Gilbert (2014), VADER.
    """
    if rule not in _RULES:
        raise ValueError(f"rule={rule!r} is not allowed; expected one of {list(_RULES)}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window={window!r} is not allowed; expected an integer >= 1")
    need = ["doc_id", "sent_id", "start", "end", "text", "actor"]
    missing = [c for c in need if c not in units.columns]
    if missing:
        raise ValueError(f"units lacks columns {missing}")
    actors = load_actors() if actors is None else actors
    texts = articles.drop_duplicates("doc_id").set_index("doc_id")["text"]
    absent = sorted(set(units["doc_id"]) - set(texts.index))
    if absent:
        raise ValueError(f"articles lacks the units' articles {absent[:5]}")
    if quotes is None:
        docs = articles[articles["doc_id"].isin(set(units["doc_id"]))]
        quotes = find_quotes(docs[["doc_id", "text"]].drop_duplicates("doc_id"), actors=actors)
    has_mention = {"mention_start", "mention_end"} <= set(units.columns)
    spellings = actors.groupby("actor")["alias"].apply(
        lambda a: re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(a, key=len, reverse=True))) + r")(?!\w)"
        )
    )
    rows = []
    for r in units.itertuples(index=False):
        art = texts[r.doc_id]
        s0, s1 = int(r.start), int(r.end)
        if has_mention:
            m0, m1 = int(r.mention_start), int(r.mention_end)
        else:
            if r.actor not in spellings.index:
                raise ValueError(f"actor {r.actor!r} is not in the actor table")
            m = spellings[r.actor].search(art, s0, s1)
            if m is None:
                raise ValueError(f"the sentence {r.doc_id!r}/{r.sent_id} does not name {r.actor!r}")
            m0, m1 = m.start(), m.end()
        cut = _actor_quotes(quotes, r.doc_id, r.actor, s0, s1, art)
        chars = list(art[s0:s1])
        for a, b in cut:
            if a <= m0 < b:  # the mention inside its own quotation: keep the mention
                continue
            chars[a - s0 : b - s0] = _CUT * (b - a)
        masked = "".join(chars)
        aimed_text, used = _aim(masked, m0 - s0, m1 - s0, rule, window)
        rows.append((r.doc_id, r.sent_id, s0, s1, r.actor, m0, m1, used, len(cut), aimed_text))
    out = pd.DataFrame(
        rows,
        columns=["doc_id", "sent_id", "start", "end", "actor", "mention_start", "mention_end",
                 "rule_used", "quotes_removed", "aimed_text"],
    )  # fmt: skip
    whole = score_texts(units["text"].tolist(), n_jobs=1)[:, 3] if len(units) else np.empty(0)
    aimed = score_texts(out["aimed_text"].tolist(), n_jobs=1)[:, 3] if len(out) else np.empty(0)
    out["whole"] = whole
    out["aimed"] = aimed
    out["tone_whole"] = tone_label(whole, thresholds)
    out["tone_aimed"] = tone_label(aimed, thresholds)
    if "unit_id" in units.columns:
        out.insert(0, "unit_id", units["unit_id"].to_numpy())
    cols = (["unit_id"] if "unit_id" in units.columns else []) + AIMED_COLUMNS
    return out[cols].astype({"sent_id": "int64", "start": "int64", "end": "int64",
                             "mention_start": "int64", "mention_end": "int64"})  # fmt: skip
