"""Words as every count in the report sees them: one word regex, counted one text or many at once.

:func:`count_words` is the number the report divides by (rates per 1,000 words, words kept and
removed by cleaning); :func:`count_words_many` gives the same counts for many texts in numpy;
:func:`word_runs` lists the runs of word characters of a text with their offsets (the frame,
quote and actor matchers look for their first words at those places only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from . import tokens as _tk

__all__ = ["count_words", "count_words_many", "word_runs", "WORD"]

# count_words_many: character classes as WORD sees them
_OTHER, _LETTER, _DIGIT, _JOIN, _DOT = range(5)

# a dotted abbreviation ("U.S.") is one word; so are "China’s" and "12-point"
WORD = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[’'\-]\w+)*")


def count_words(text: str) -> int:
    """Words as the report counts them: runs of letters or digits with inner ’ ' - kept, and
    dotted abbreviations ("U.S.") as one word."""
    return len(WORD.findall(text))


COUNT_CHUNK = 4_000_000  # characters per numpy pass


@lru_cache(maxsize=1)
def _word_classes() -> np.ndarray:
    # every code point: a letter ([^\W\d_]), another word character (\d, "_"), a joiner
    # (’ ' -), the period, or anything else: the tokenizer's table of classes, regrouped
    regroup = np.full(max(_tk.SP, _tk.NL, _tk.LE, _tk.DI, _tk.US, _tk.PU, _tk.DOT, _tk.HY, _tk.AP) + 1,
                      _OTHER, dtype=np.uint8)  # fmt: skip
    regroup[_tk.LE] = _LETTER
    regroup[[_tk.DI, _tk.US]] = _DIGIT
    regroup[[_tk.HY, _tk.AP]] = _JOIN
    regroup[_tk.DOT] = _DOT
    table = regroup[_tk.char_classes()]
    table[ord("’")] = _JOIN  # the tokenizer straightens it before classifying; WORD joins on it
    return table


_WORD_RUN = re.compile(r"\w+")


def word_runs(text: str) -> tuple[np.ndarray, list[str]] | None:
    """Every run of word characters (``\\w+``) of ``text``: the start of each and the runs
    themselves, in order; None in the (never seen) case that the class table disagrees with
    the regex engine."""
    words = _WORD_RUN.findall(text)
    c = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    k = _word_classes()[c]
    w = (k == _LETTER) | (k == _DIGIT)
    starts = np.flatnonzero(w & ~np.r_[False, w[:-1]])
    return (starts, words) if len(starts) == len(words) else None


def count_words_many(texts: Iterable[str]) -> np.ndarray:
    """``[count_words(t) for t in texts]`` as an array, counted in numpy (about twice as fast
    on large corpora; the tests check it equals :func:`count_words` on real and random text).

    A word is a run of word characters, chained to the next run by one ’ ' or -; a dotted
    abbreviation ("U.S.") is one word. Stretches of text where a letter, a period, a letter
    and a period follow each other (where an abbreviation may match) are counted by the
    regex of :func:`count_words` itself.
    """
    parts, chunk, size = [], [], 0
    for t in texts:  # chunk by chunk: a Series or generator is never held as one list
        chunk.append(t)
        size += len(t) + 1
        if size >= COUNT_CHUNK:
            parts.append(_count_chunk(chunk))
            chunk, size = [], 0
    if chunk:
        parts.append(_count_chunk(chunk))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _count_chunk(texts: list[str]) -> np.ndarray:
    # "\x00" (not a word character) before, between and after the texts
    big = "\x00" + "\x00".join(texts) + "\x00"
    c = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    k = _word_classes()[c]
    starts = np.r_[1, 1 + np.cumsum([len(t) + 1 for t in texts])[:-1]]
    w = (k == _LETTER) | (k == _DIGIT)
    edge = np.flatnonzero(w[1:] != w[:-1]) + 1  # w[0] and w[-1] are False
    rs, rend = edge[0::2], edge[1::2]
    first = np.ones(len(rs), dtype=bool)  # a run that starts a word
    if len(rs) > 1:
        first[1:] = ~((rs[1:] == rend[:-1] + 1) & (k[rend[:-1]] == _JOIN))
    # letter . letter . : the zone around it (word characters, joiners, periods) by regex
    p = np.flatnonzero(
        (k[:-3] == _LETTER) & (k[1:-2] == _DOT) & (k[2:-1] == _LETTER) & (k[3:] == _DOT)
    )
    extra_at, extra_n = [], []
    if len(p):
        outside = np.flatnonzero(k == _OTHER)
        j = np.searchsorted(outside, p)
        z0 = np.unique(outside[j - 1] + 1)
        z1 = outside[np.searchsorted(outside, z0)]
        inside = np.zeros(len(c) + 1, dtype=np.int64)
        np.add.at(inside, z0, 1)
        np.add.at(inside, z1, -1)
        first &= np.cumsum(inside)[rs] == 0
        for a, b in zip(z0.tolist(), z1.tolist(), strict=True):
            extra_at.append(a)
            extra_n.append(len(WORD.findall(big, a, b)))
    doc = np.searchsorted(starts, rs[first], side="right") - 1
    counts = np.bincount(doc, minlength=len(texts)).astype(np.int64)
    if extra_at:
        d = np.searchsorted(starts, np.array(extra_at), side="right") - 1
        np.add.at(counts, d, np.array(extra_n, dtype=np.int64))
    return counts
