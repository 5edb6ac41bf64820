"""Sentence splitting with character offsets, and the sentence table."""

from __future__ import annotations

__all__ = ["sentences", "split_sentences", "paragraph_spans"]

import re
import tomllib
from functools import lru_cache
from importlib import resources

import pandas as pd

from .cleaning import is_heading

SENTENCE_COLUMNS = ["doc_id", "para_id", "sent_id", "start", "end", "text", "kind"]

# A candidate boundary: a token ending in . ! ? or …, optional closing quotes or brackets,
# white space, then something that can open a sentence (a capital or digit, maybe after an
# opening quote). The token is captured to rule out abbreviations and initials.
_CANDIDATE = re.compile(
    r"(?<!\S)(?P<tok>\S*?)(?P<punct>[.!?…]+)(?P<close>[\"'”’»)\]]*)(?=\s+[\"'“‘«(\[]?(?P<next>[A-Z0-9]\w*))"
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_OPENERS = "\"'“‘«([¿¡"


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    text = resources.files("framing").joinpath("data/segmentation.toml").read_text("utf-8")
    return {k: frozenset(v) for k, v in tomllib.loads(text).items()}


def _is_boundary(tok: str, punct: str, nxt: str) -> bool:
    if punct != ".":
        return True  # ! ? … and runs such as "..." or "?!"
    lists = _lists()
    word = tok.lstrip(_OPENERS)
    low = word.lower()
    if low in lists["titles"]:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "George W. Bush"
    if low in lists["before_numbers"] and nxt[:1].isdigit():
        return False
    if low in lists["ambiguous"] or _DOTTED.fullmatch(word):  # U.S, U.K, D.C, a.m, Inc
        return nxt.lower() in lists["sentence_starters"]
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split one paragraph into sentences.

    Args:
        text: one paragraph (line breaks inside it are treated as spaces).

    Returns:
        ``(start, end)`` offsets into ``text``, one pair per sentence, without surrounding white
        space, so ``text[start:end]`` is the sentence.

    Note:
        Rules, not a model: a period ends a sentence unless it follows a title ("Mr", "Dr"),
        an initial, a month before a number, or a dotted abbreviation ("U.S.") not followed by a
        usual sentence opener; a closing quotation mark after the period stays with the sentence.
        Lists live in ``framing/data/segmentation.toml``.
    """
    spans = []
    start = 0
    n = len(text)
    while start < n and text[start].isspace():
        start += 1
    for m in _CANDIDATE.finditer(text):
        if m.end() <= start:
            continue
        if _is_boundary(m.group("tok"), m.group("punct"), m.group("next")):
            end = m.end()
            spans.append((start, end))
            start = end
            while start < n and text[start].isspace():
                start += 1
    end = n
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the paragraphs of a cleaned article (blocks separated by a blank line)."""
    spans, pos = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            lead = len(block) - len(block.lstrip())
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos += len(block) + 2
    return spans


def sentences(articles: pd.DataFrame, *, progress: bool = False) -> pd.DataFrame:
    """The sentence table: one row per sentence or heading of every article.

    Args:
        articles: a frame with ``doc_id`` and ``text`` (as from :func:`framing.load_corpus`).
        progress: a tqdm bar over the articles.

    Returns:
        A DataFrame ``doc_id, para_id, sent_id, start, end, text, kind``, keyed by ``doc_id``
        and ``sent_id`` (add article columns such as ``outlet`` with
        :func:`framing.join_articles`). ``start`` and
        ``end`` are offsets into the article's ``text``, so ``article.text[start:end] == text``
        always holds. ``para_id`` and ``sent_id`` count from 0 within each article; ``kind`` is
        ``"heading"`` for a section heading (kept whole, never merged into a sentence) and
        ``"body"`` otherwise. A text of one paragraph has no sections: it is body (a
        headline, a one-line post), whatever its punctuation.
    """
    from tqdm.auto import tqdm

    cols: dict[str, list] = {c: [] for c in SENTENCE_COLUMNS}

    rows = articles[["doc_id", "text"]].itertuples(index=False)
    bar = tqdm(rows, total=len(articles), desc="sentences", unit="article", disable=not progress)
    for doc_id, text in bar:
        sent_id = 0
        paras = paragraph_spans(text)
        for para_id, (p0, p1) in enumerate(paras):
            para = text[p0:p1]
            if len(paras) > 1 and is_heading(para):
                pieces, kind = [(0, len(para))], "heading"
            else:
                pieces, kind = split_sentences(para), "body"
            for s0, s1 in pieces:
                cols["doc_id"].append(doc_id)
                cols["para_id"].append(para_id)
                cols["sent_id"].append(sent_id)
                cols["start"].append(p0 + s0)
                cols["end"].append(p0 + s1)
                cols["text"].append(para[s0:s1])
                cols["kind"].append(kind)
                sent_id += 1
    out = pd.DataFrame(cols)
    return out.astype({"para_id": "int64", "sent_id": "int64", "start": "int64", "end": "int64"})
