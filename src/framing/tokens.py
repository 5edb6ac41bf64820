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
whole chunks of texts at once in compiled code (:mod:`framing._kernels`, fed by ``_Vocab`` and
``_chunk_text`` below), for speed on large corpora; the tests check that it counts exactly
what :func:`analyze` gives, text by text.
"""

from __future__ import annotations

__all__ = ["Analyzer", "analyze", "load_stopwords", "normalize_word", "token_spans", "tokenize"]

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

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


def _is_term(w: str, stop: frozenset[str]) -> bool:
    return len(w) > 1 and w not in stop and (not w[0].isdigit() or _LETTER.search(w) is not None)


def _scan(text: str, stop: frozenset[str]) -> list[tuple[str, str | None, int, int]]:
    # (kind, term or None, start, end); kind is "word" or "brk".
    out = []
    for m in _SCAN.finditer(_straighten(text)):
        if m.lastgroup == "brk":
            out.append(("brk", None, m.start(), m.end()))
        else:
            w = normalize_word(m.group())
            out.append(("word", w if _is_term(w, stop) else None, m.start(), m.end()))
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
    return [(t, a, b) for _, t, a, b in _scan(text, stop)]


def _straighten(text: str) -> str:
    # str.replace is ~300x faster than str.translate here; each is one char for one char
    for c in "’‘ʼ`":
        if c in text:
            text = text.replace(c, "'")
    return text


def _terms_with_breaks(text: str, stop: frozenset[str]) -> list[str | None]:
    # The fast path of token_spans (same regex, same rules, no offsets); None marks a break.
    low = _straighten(text).lower()
    if len(low) != len(text):  # rare letters whose lower case is longer: word by word instead
        return [t for _, t, _, _ in _scan(text, stop)]
    out: list[str | None] = []
    append = out.append
    letter = _LETTER.search
    # _is_term inlined: this loop runs once per word of the corpus
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
    return [t for t in _terms_with_breaks(text, stop) if t is not None]


def analyze(
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
    lo, hi = _check_ngram_range(ngram_range)
    stop = load_stopwords() if stop_words else frozenset()
    seq = _terms_with_breaks(text, stop)
    out: list[str] = [t for t in seq if t is not None] if lo == 1 else []
    if hi == 2:
        out.extend(
            f"{a} {b}"
            for a, b in zip(seq, seq[1:], strict=False)
            if a is not None and b is not None
        )
    return out


_NGRAMS = ((1, 1), (1, 2), (2, 2))


def _check_ngram_range(ngram_range) -> tuple[int, int]:
    try:
        pair = None if isinstance(ngram_range, str) else tuple(int(x) for x in ngram_range)
    except (TypeError, ValueError):
        pair = None
    if pair not in _NGRAMS:
        raise ValueError(f"ngram_range={ngram_range!r} is not allowed; use one of {list(_NGRAMS)}")
    return pair  # type: ignore[return-value]


@dataclass(frozen=True)
class Analyzer:
    """:func:`analyze` as a picklable callable for scikit-learn's vectorizers.

    ``CountVectorizer(analyzer=Analyzer())`` or ``TfidfVectorizer(analyzer=Analyzer((1, 1)))``
    count exactly the terms the rest of the report counts.

    Args:
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        stop_words: drop the committed stop words (default) or keep them.
    """

    ngram_range: tuple[int, int] = (1, 2)
    stop_words: bool = True

    def __post_init__(self):
        object.__setattr__(self, "ngram_range", _check_ngram_range(self.ngram_range))

    def __call__(self, text: str) -> list[str]:
        return analyze(text, ngram_range=self.ngram_range, stop_words=self.stop_words)


# ---------------------------------------------------------------------------------------------
# the same rules over many texts at once (used by framing.terms to count a corpus)
#
# _SCAN reads a text character by character, so the compiled scan (framing._kernels) can apply
# it from one class per character (the tables below, found by _SCAN's own character sets) and
# each character's lower case. The tables, the word ids (_Vocab) and the chunk's code points
# (_chunk_text) are prepared here; texts whose lower case is longer than the text go through
# the Python tokenizer instead (_chunk_general).

_SP, _NL, _LE, _DI, _US, _PU, _DOT, _HY, _AP = range(9)


@lru_cache(maxsize=1)
def _char_classes() -> np.ndarray:
    # The class of every code point as _SCAN sees it, found by _SCAN's own character sets.

    s = "".join(map(chr, range(0x110000)))
    table = np.full(0x110000, _PU, dtype=np.uint8)
    for cls, pat in ((_SP, r"\s"), (_LE, r"[^\W\d_]"), (_DI, r"\d")):
        table[[m.start() for m in re.finditer(pat, s)]] = cls
    for ch, cls in (("\n", _NL), ("_", _US), (".", _DOT), ("-", _HY), ("'", _AP)):
        table[ord(ch)] = cls
    return table


@lru_cache(maxsize=1)
def _lower_table() -> np.ndarray:
    # Each code point's lower case with straight apostrophes, as str.lower() and _straighten
    # give it, for the code points whose lower case is one character and does not depend on
    # the next letter: all but "İ" and "Σ", which the caller leaves to str.lower().
    s = "".join(map(chr, range(0x110000))).replace("\u0130", "\u0130".lower()[0])
    table = np.frombuffer(_straighten(s.lower()).encode("utf-32-le", "surrogatepass"), np.uint32)
    return table.copy()


_PRIME = 0x100000001B3  # base of the words' hash (modulo 2**64); any value keeps counts exact
_FIRST_SLOTS = 1 << 16  # slots of a new hash table (words, bigrams); doubled when half full


@lru_cache(maxsize=1)
def _raw_classes() -> np.ndarray:
    # the class of each code point's lower case: what the compiled scan reads per character
    return _char_classes()[_lower_table()]


def _grow(a: np.ndarray, n: int, keep: int) -> np.ndarray:
    # a with room for n items (at least doubled when it grows), its first `keep` items kept
    if len(a) >= n:
        return a
    new = np.zeros(max(n, 2 * len(a)), dtype=a.dtype)
    new[:keep] = a[:keep]
    return new


class _Vocab:
    """Word and term ids shared by all chunks of one count.

    Every distinct word (lower-cased, without its final "'s") gets a word id in a hash table
    kept in numpy arrays, which the compiled scan (:func:`framing._kernels.count_chunk`) reads
    and fills; each word id has a term id, or -1 for a stop word (added first), a number or a
    single character. Words become Python strings only at the end (:meth:`terms`), or here
    when the Python tokenizer read a text (:meth:`id_of`).
    """

    def __init__(self, stop: frozenset[str]):
        self.stop = stop
        self.base = np.uint64(_PRIME)
        self.table = np.zeros(2 * _FIRST_SLOTS, dtype=np.uint64)  # (key, word id + 1 or 0)
        n = 1 << 15
        self.wkey = np.zeros(n, dtype=np.uint64)  # per word id: key, start, length, term id
        self.wat = np.zeros(n, dtype=np.int64)
        self.wlen = np.zeros(n, dtype=np.int32)
        self.wterm = np.zeros(n, dtype=np.int32)
        self.term_word = np.zeros(n, dtype=np.int64)  # per term id: its word id
        self.store = np.zeros(1 << 18, dtype=np.uint32)  # the words' characters
        self.state = np.zeros(3, dtype=np.int64)  # words, characters stored, terms
        for w in sorted(stop):
            self._add(w, False)

    def reserve(self, n_chars: int, n_words: int | None = None) -> None:
        """Room for ``n_words`` more words of ``n_chars`` characters in all (by default the
        most words that many characters can hold: one per two)."""
        most = n_chars // 2 + 1 if n_words is None else n_words
        words, n_store, n_terms = (int(x) for x in self.state)
        for name in ("wkey", "wat", "wlen", "wterm"):
            setattr(self, name, _grow(getattr(self, name), words + most, words))
        self.term_word = _grow(self.term_word, n_terms + most, n_terms)
        self.store = _grow(self.store, n_store + n_chars, n_store)

    def _add(self, w: str, is_term: bool) -> int:
        from . import _kernels

        self.reserve(len(w))
        c = np.frombuffer(w.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        t, self.table = _kernels.add_word(
            c, is_term, self.base, self.table, self.wkey, self.wat, self.wlen, self.wterm,
            self.term_word, self.store, self.state,
        )  # fmt: skip
        return int(t)

    def id_of(self, w: str) -> int:
        """The term id of a normalised word (-1: not a term), added if new."""
        return self._add(w, _is_term(w, self.stop))

    @property
    def n_terms(self) -> int:
        return int(self.state[2])

    def terms(self) -> list[str]:
        """The terms by term id, as Python strings: their characters decoded at once, with
        "\\x00" after each (never in a word)."""
        words = self.term_word[: self.n_terms]
        at, ln = self.wat[words], self.wlen[words].astype(np.int64)
        total = int(ln.sum())
        off = np.arange(total) - np.repeat(np.cumsum(ln) - ln, ln)
        buf = np.zeros(total + len(ln), dtype=np.uint32)
        buf[np.arange(total) + np.repeat(np.arange(len(ln)), ln)] = self.store[
            np.repeat(at, ln) + off
        ]
        return buf.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")[:-1]


def _chunk_text(texts: list[str]) -> tuple[np.ndarray, bool, np.ndarray] | None:
    """The code points the compiled scan reads for ``texts``: "\\x00" + texts joined by
    "\\x00" + "\\x00", whether they are lower-cased already, and where each text starts. None
    when a text's lower case is longer than the text ("İ"): such texts go one by one through
    :func:`_chunk_general`."""
    # "\x00" between texts: a break that no match crosses, and (not case-ignorable) it leaves
    # the lower case of each text as it is alone (final sigma)
    big = "\x00" + "\x00".join(texts) + "\x00"
    lowered = "\u0130" in big or "\u03a3" in big  # İ and Σ: str.lower() itself
    if lowered:
        low = _straighten(big).lower()
        if len(low) != len(big):
            return None
        big = low
    raw = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.r_[1, 1 + np.cumsum([len(t) + 1 for t in texts])[:-1]].astype(np.int64)
    return raw, lowered, starts


def _from_seq(ids):

    pair = np.zeros(len(ids), dtype=bool)
    if len(ids) > 1:
        pair[:-1] = (ids[:-1] >= 0) & (ids[1:] >= 0)
    return np.zeros(len(ids), dtype=np.int64), ids, pair


def _chunk_general(texts, vocab):
    # The Python tokenizer text by text: for each word, its text, its term id and whether it
    # forms a bigram with the next word.
    docs = [np.zeros(0, dtype=np.int64)]
    ids = [np.zeros(0, dtype=np.int64)]
    pairs = [np.zeros(0, dtype=bool)]
    for i, text in enumerate(texts):
        seq = np.array(
            [(-1 if t is None else vocab.id_of(t)) for t in _terms_with_breaks(text, vocab.stop)],
            dtype=np.int64,
        )
        d, x, p = _from_seq(seq)
        docs.append(d + i)
        ids.append(x)
        pairs.append(p)
    return np.concatenate(docs), np.concatenate(ids), np.concatenate(pairs)
