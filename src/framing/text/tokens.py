"""One tokenizer for every count in the report: words, bigrams and their character offsets.

The rules, in the order they apply (see :func:`token_spans`):

1. Curly apostrophes (’ ‘ ʼ) become straight ones, so "China’s" and "China's" are one token.
2. A *word* is a run of letters and digits, joined by inner hyphens or apostrophes:
   "cross-border", "China-brokered", "12-point", "o'brien" stay whole. A dotted abbreviation
   ("U.S.", "a.m.") is one word, written without its final period ("u.s").
3. Words are lower-cased; a final "'s" is removed ("china's" -> "china", "it's" -> "it"):
   the possessive and the contraction are counted as the bare word. A trailing apostrophe
   ("countries'") is not part of the word.
4. A word is *not a term* if it has no letter (numbers: "2023", "1.5", "20-22"), is one
   character long (initials: "W."), or is a stop word (``framing/data/stopwords.txt``).
5. A *bigram* is two terms that follow each other in the text with nothing but white space
   between them: no punctuation (comma, quotation mark, period, dash), no blank line (a new
   paragraph), and no dropped word between them. "peace plan for Ukraine" gives "peace plan"
   but not "plan ukraine".

:func:`kwic` in :mod:`framing.terms` matches patterns with the same rules, so the number of
KWIC lines for a term equals its count. :func:`framing.term_counts` applies the same rules to
whole chunks of texts at once in compiled code (:mod:`framing.text.kernels`, fed by ``_Vocab`` and
``_chunk_text`` below), for speed on large corpora; the tests check that it counts exactly
what :func:`ngram_terms` gives, text by text.
"""

from __future__ import annotations

__all__ = [
    "Analyzer",
    "ngram_terms",
    "load_stopwords",
    "normalize_word",
    "token_spans",
    "tokenize",
    "scan_words",
    "terms_with_breaks",
    "straighten",
    "check_ngram_range",
    "is_term",
    "char_classes",
]

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import check_option

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})  # same length: offsets hold
_LETTER = re.compile(r"[^\W\d_]")
# abbr: dotted abbreviation; word: letters/digits with inner - or '; brk: anything else that is
# not white space (punctuation, quotation marks, dashes, an apostrophe outside a word) or a
# blank line. A brk stops a bigram.
_SCAN = re.compile(
    r"(?P<abbr>[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W_]))"
    r"|(?P<word>[^\W_]+(?:[-'][^\W_]+)*)"
    r"|(?P<brk>[^\w\s]|\n[^\S\n]*\n)"
)


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The committed stop-word list, ``framing/data/stopwords.txt`` (comments removed).

    Returns:
        The stop words, lower-case, with straight apostrophes.
    """
    text = resources.files("framing").joinpath("data/stopwords.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(w.translate(_APOSTROPHES).lower() for w in words if w)


def normalize_word(word: str) -> str:
    """Lower-case a matched word, straighten its apostrophes and remove a final "'s".

    Args:
        word: one word as matched in the text, e.g. "China’s".

    Returns:
        The normalised word, e.g. "china". Dotted abbreviations lose their final period.
    """
    w = word.translate(_APOSTROPHES).lower()
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith(".") and "." in w[:-1]:
        w = w[:-1]
    return w


def is_term(w: str, stop: frozenset[str]) -> bool:
    return len(w) > 1 and w not in stop and (not w[0].isdigit() or _LETTER.search(w) is not None)


def scan_words(text: str, stop: frozenset[str]) -> list[tuple[str, str | None, int, int]]:
    # (kind, term or None, start, end); kind is "word" or "brk".
    out = []
    for m in _SCAN.finditer(straighten(text)):
        if m.lastgroup == "brk":
            out.append(("brk", None, m.start(), m.end()))
        else:
            w = normalize_word(m.group())
            out.append(("word", w if is_term(w, stop) else None, m.start(), m.end()))
    return out


def token_spans(text: str, *, stop_words: bool = True) -> list[tuple[str | None, int, int]]:
    """Every word of ``text`` with its offsets, and the breaks between words.

    Args:
        text: any text.
        stop_words: drop the committed stop words (True, as in all counts) or keep them.

    Returns:
        A list of ``(term, start, end)``: ``text[start:end]`` is the word as written
        ("China’s"), ``term`` its normalised form ("china"), or ``None`` when the word is not a
        term (stop word, number, single character) or the item is a break (punctuation, a blank
        line). Two terms next to each other in this list form a bigram.
    """
    stop = load_stopwords() if stop_words else frozenset()
    return [(t, a, b) for _, t, a, b in scan_words(text, stop)]


def straighten(text: str) -> str:
    # str.replace is ~300x faster than str.translate here; each is one char for one char
    for c in "’‘ʼ`":
        if c in text:
            text = text.replace(c, "'")
    return text


def terms_with_breaks(text: str, stop: frozenset[str]) -> list[str | None]:
    # The fast path of token_spans (same regex, same rules, no offsets); None marks a break.
    low = straighten(text).lower()
    if len(low) != len(text):  # rare letters whose lower case is longer: word by word instead
        return [t for _, t, _, _ in scan_words(text, stop)]
    out: list[str | None] = []
    append = out.append
    letter = _LETTER.search
    # is_term inlined: this loop runs once per word of the corpus
    for abbr, w, _brk in _SCAN.findall(low):
        if w:
            if "'" in w and w[-2:] == "'s":
                w = w[:-2]
        elif abbr:
            w = abbr[:-1] if abbr[-1] == "." else abbr
        else:
            append(None)
            continue
        if len(w) > 1 and w not in stop and (not w[0].isdigit() or letter(w) is not None):
            append(w)
        else:
            append(None)
    return out


def tokenize(text: str, *, stop_words: bool = True) -> list[str]:
    """The terms of ``text`` (unigrams), in order.

    Args:
        text: any text.
        stop_words: drop the committed stop words (default) or keep them.

    Returns:
        Normalised terms, e.g. ``["china", "peace", "plan", "ukraine"]`` for
        "China’s peace plan for Ukraine".
    """
    stop = load_stopwords() if stop_words else frozenset()
    return [t for t in terms_with_breaks(text, stop) if t is not None]


def ngram_terms(
    text: str, *, ngram_range: tuple[int, int] = (1, 2), stop_words: bool = True
) -> list[str]:
    """Unigrams and/or bigrams of ``text``, as every count in the report sees them.

    Args:
        text: any text.
        ngram_range: ``(1, 1)`` unigrams, ``(1, 2)`` both, ``(2, 2)`` bigrams only.
        stop_words: drop the committed stop words (default) or keep them.

    Returns:
        Unigrams in text order, then bigrams in text order (a bigram is ``"peace plan"``,
        the two words joined by one space).

    Raises:
        ValueError: ``ngram_range`` is not one of the three allowed.
    """
    lo, hi = check_ngram_range(ngram_range)
    stop = load_stopwords() if stop_words else frozenset()
    seq = terms_with_breaks(text, stop)
    out: list[str] = [t for t in seq if t is not None] if lo == 1 else []
    if hi == 2:
        out.extend(
            f"{a} {b}"
            for a, b in zip(seq, seq[1:], strict=False)
            if a is not None and b is not None
        )
    return out


_NGRAMS = ((1, 1), (1, 2), (2, 2))


def check_ngram_range(ngram_range) -> tuple[int, int]:
    try:
        pair = None if isinstance(ngram_range, str) else tuple(int(x) for x in ngram_range)
    except (TypeError, ValueError):
        pair = None
    if pair not in _NGRAMS:
        check_option("ngram_range", ngram_range, _NGRAMS, ok=False)
    return pair  # type: ignore[return-value]


@dataclass(frozen=True)
class Analyzer:
    """:func:`ngram_terms` as a picklable callable for scikit-learn's vectorizers.

    ``CountVectorizer(analyzer=Analyzer())`` or ``TfidfVectorizer(analyzer=Analyzer((1, 1)))``
    count exactly the terms the rest of the report counts.

    Args:
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        stop_words: drop the committed stop words (default) or keep them.
    """

    ngram_range: tuple[int, int] = (1, 2)
    stop_words: bool = True

    def __post_init__(self):
        object.__setattr__(self, "ngram_range", check_ngram_range(self.ngram_range))

    def __call__(self, text: str) -> list[str]:
        return ngram_terms(text, ngram_range=self.ngram_range, stop_words=self.stop_words)


# ---------------------------------------------------------------------------------------------
# the same rules over many texts at once (used by framing.terms to count a corpus)
#
# _SCAN reads a text character by character, so the compiled scan (framing.text.kernels) can apply
# it from one class per character (the tables below, found by _SCAN's own character sets) and
# each character's lower case. The tables, the word ids (_Vocab) and the chunk's code points
# (_chunk_text) are prepared here; texts whose lower case is longer than the text go through
# the Python tokenizer instead (_chunk_general).

SP, NL, LE, DI, US, PU, DOT, HY, AP = range(9)


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    # The class of every code point as _SCAN sees it, found by _SCAN's own character sets.

    s = "".join(map(chr, range(0x110000)))
    table = np.full(0x110000, PU, dtype=np.uint8)
    for cls, pat in ((SP, r"\s"), (LE, r"[^\W\d_]"), (DI, r"\d")):
        table[[m.start() for m in re.finditer(pat, s)]] = cls
    for ch, cls in (("\n", NL), ("_", US), (".", DOT), ("-", HY), ("'", AP)):
        table[ord(ch)] = cls
    return table
