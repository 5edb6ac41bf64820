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
whole chunks of texts at once in numpy (``_chunk_term_ids`` below), for speed on large
corpora; the tests check that it counts exactly what :func:`analyze` gives, text by text.
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
# the same rules over many texts at once, in numpy (used by framing.terms to count a corpus)
#
# _SCAN is applied character by character, so its result can be computed from a class per
# character. A *zone* is a maximal run of characters that can be inside a word (letters,
# digits, "." "-" "'"); no match crosses a zone's edge and no match depends on what lies
# outside it, so each zone is tokenized on its own. A zone with a period between a letter or
# digit and a letter may hold a dotted abbreviation, whose match backtracks: such zones (a few
# per article) go through _SCAN itself. In every other zone a word is a maximal chain of runs
# of letters and digits joined by one "-" or "'", and the remaining "." "-" "'" are breaks.

_BLANK = re.compile(r"\n[^\S\n]*\n")
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


_PRIME = 0x100000001B3  # base of the hash of long words (modulo 2**64)


class _Vocab:
    """Term ids shared by all chunks of one count: a word -> id (or -1: not a term).

    Words are looked up by string (:meth:`id_of`) or, for a whole chunk at once, by the hash
    of their characters (:meth:`ids_of_keys`); a hash seen before is only trusted once the
    characters behind it are compared with those stored for it.
    """

    def __init__(self, stop: frozenset[str]):
        self.stop = stop
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.keys = np.zeros(0, dtype=np.uint64)  # sorted
        self.key_ids = np.zeros(0, dtype=np.int64)
        self.key_at = np.zeros(0, dtype=np.int64)  # where its characters start in chars
        self.key_len = np.zeros(0, dtype=np.int64)
        self.chars = np.zeros(1 << 16, dtype=np.uint32)
        self.n_chars = 0

    def id_of(self, w: str) -> int:
        i = self.ids.get(w)
        if i is None:
            stop = self.stop
            ok = len(w) > 1 and w not in stop and (not w[0].isdigit() or _LETTER.search(w))
            i = len(self.terms) if ok else -1
            if ok:
                self.terms.append(w)
            self.ids[w] = i
        return i

    def ids_of_keys(self, key, s, e, c):
        """Ids of distinct words given by hash ``key`` and a span ``low[s:e]`` (``c``: its
        code points). None when a stored hash hides other characters (a collision)."""
        pos = np.searchsorted(self.keys, key)
        hit = pos < len(self.keys)
        hit[hit] = self.keys[pos[hit]] == key[hit]
        f = np.flatnonzero(hit)
        out = np.empty(len(key), dtype=np.int64)
        if len(f):
            kp = pos[f]
            ln = e[f] - s[f]
            if np.any(self.key_len[kp] != ln):
                return None
            off = np.arange(int(ln.sum())) - np.repeat(np.cumsum(ln) - ln, ln)
            mine = c[np.repeat(s[f], ln) + off]
            if np.any(mine != self.chars[np.repeat(self.key_at[kp], ln) + off]):
                return None
            out[f] = self.key_ids[kp]
        new = np.flatnonzero(~hit)
        if len(new):
            sn, en = s[new], e[new]
            ln = en - sn
            total = int(ln.sum())
            starts = np.cumsum(ln) - ln
            off = np.arange(total) - np.repeat(starts, ln)
            chars = c[np.repeat(sn, ln) + off]
            # the new words as strings: decoded at once, "\x00" after each (never in a word)
            buf = np.zeros(total + len(new), dtype=np.uint32)
            buf[np.arange(total) + np.repeat(np.arange(len(new)), ln)] = chars
            words = buf.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")
            id_of = self.id_of
            out[new] = np.fromiter((id_of(w) for w in words[:-1]), dtype=np.int64, count=len(new))
            while self.n_chars + total > len(self.chars):
                self.chars = np.r_[self.chars, np.zeros(len(self.chars), dtype=np.uint32)]
            at = self.n_chars + starts
            self.chars[self.n_chars : self.n_chars + total] = chars
            self.n_chars += total
            order = np.argsort(key[new])
            nk = key[new][order]
            where = np.searchsorted(self.keys, nk)
            self.keys = np.insert(self.keys, where, nk)
            self.key_ids = np.insert(self.key_ids, where, out[new][order])
            self.key_at = np.insert(self.key_at, where, at[order])
            self.key_len = np.insert(self.key_len, where, ln[order])
        return out


def _chunk_term_ids(texts: list[str], vocab: _Vocab):
    """Term ids of every word of ``texts``, in order, and where bigrams may form.

    Returns ``(doc, ids, pair)``: for each word of each text, in text order, the index of its
    text, its term id in ``vocab`` (-1: not a term) and whether it forms a bigram with the
    next word (both terms, same text, nothing but white space between). The same words and
    bigrams as :func:`_terms_with_breaks`.
    """
    import pandas as pd

    empty = np.zeros(0, dtype=np.int64)
    if not texts:
        return empty, empty, np.zeros(0, dtype=bool)
    # "\x00" between texts: a break that no match crosses, and (not case-ignorable) it leaves
    # the lower case of each text as it is alone (final sigma)
    big = "\x00" + "\x00".join(texts) + "\x00"
    if "\u0130" in big or "\u03a3" in big:  # İ and Σ: str.lower(), text by text if need be
        low = _straighten(big).lower()
        if len(low) != len(big):  # "İ" lower-cases to two characters: those texts alone
            odd = [len(t.lower()) != len(t) for t in texts]
            fine = [i for i, o in enumerate(odd) if not o]
            rest = [i for i, o in enumerate(odd) if o]
            d1, x1, p1 = _chunk_term_ids([texts[i] for i in fine], vocab)
            d2, x2, p2 = _chunk_general([texts[i] for i in rest], vocab)
            where = np.array(fine + rest, dtype=np.int64)
            return where[np.r_[d1, d2 + len(fine)]], np.r_[x1, x2], np.r_[p1, p2]
        c = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    else:  # the same lower case, one code point at a time
        c = _lower_table()[np.frombuffer(big.encode("utf-32-le", "surrogatepass"), np.uint32)]
    k = _char_classes()[c]
    n = len(c)
    alnum = (k == _LE) | (k == _DI)
    # zones holding a period between a letter/digit and a letter: the regex's own way
    dots = np.flatnonzero(k == _DOT)  # never first or last: "\x00" is
    tricky = dots[alnum[dots - 1] & (k[dots + 1] == _LE)]
    a = alnum
    brk_mask = k >= _PU
    hs, he, hm, hb = [], [], [], []
    if len(tricky):
        outside = np.flatnonzero(~(alnum | (k >= _DOT)))
        j = np.searchsorted(outside, tricky)
        z0s, first_z = np.unique(outside[j - 1] + 1, return_index=True)
        z1s = outside[j][first_z]
        a = alnum.copy()
        for z0, z1 in zip(z0s.tolist(), z1s.tolist(), strict=True):
            a[z0:z1] = False
            brk_mask[z0:z1] = False
            zone = c[z0:z1].tobytes().decode("utf-32-le", "surrogatepass")
            for m in _SCAN.finditer(zone):
                if m.lastgroup == "brk":
                    hb.append(z0 + m.start())
                    continue
                w = m.group()
                if m.lastgroup == "word":
                    ln = len(w) - 2 if ("'" in w and w[-2:] == "'s") else len(w)
                else:
                    ln = len(w) - 1 if w[-1] == "." else len(w)
                hs.append(z0 + m.start())
                he.append(z0 + m.start() + ln)
                hm.append(z0 + m.end())
    # runs of letters and digits outside those zones, chained by one "-" or "'"
    edge = np.flatnonzero(a[1:] != a[:-1]) + 1  # a[0] and a[-1] are False ("\x00" ends it)
    rs, re_ = edge[0::2], edge[1::2]
    joined = np.zeros(len(rs), dtype=bool)  # run i joined to run i + 1
    if len(rs) > 1:
        gap = re_[:-1]
        joined[:-1] = (rs[1:] == gap + 1) & ((k[gap] == _HY) | (k[gap] == _AP))
        brk_mask[gap[joined[:-1]]] = False  # a joiner inside a word is no break
    first = np.ones(len(rs), dtype=bool)
    first[1:] = ~joined[:-1]
    s_w, m_w = rs[first], re_[~joined]
    e_w = m_w.copy()
    poss = (k[m_w - 2] == _AP) & (c[m_w - 1] == 0x73) & (m_w - s_w >= 3)
    e_w[poss] -= 2  # final "'s" removed
    # breaks: punctuation outside words (above), blank lines, and those of the zones above
    brk = np.flatnonzero(brk_mask)
    blank = [m.start() for m in _BLANK.finditer(big)]
    if blank or hb:
        brk = np.sort(np.r_[brk, np.array(blank + hb, dtype=np.int64)])
    if hs:
        s_w = np.r_[s_w, np.array(hs, dtype=np.int64)]
        e_w = np.r_[e_w, np.array(he, dtype=np.int64)]
        m_w = np.r_[m_w, np.array(hm, dtype=np.int64)]
        order = np.argsort(s_w, kind="stable")
        s_w, e_w, m_w = s_w[order], e_w[order], m_w[order]
    if not len(s_w):
        return _chunk_general([], vocab)
    # one id per distinct word. A word of at most 7 characters below U+0100 (most words) is
    # its key: the characters, 8 bits each. Any other word: a polynomial hash of its
    # characters with the top bit set, checked character by character against the first word
    # with that key.
    lens = e_w - s_w
    packed = np.zeros(len(s_w), dtype=np.uint64)
    wide = lens > 7
    last = n - 1
    for o in range(7):
        ch = c[np.minimum(s_w + o, last)].astype(np.uint64)
        ch[lens <= o] = 0
        wide |= ch > 255
        packed = (packed << np.uint64(8)) | ch
    hard_w = np.flatnonzero(wide)
    key = packed
    if len(hard_w):  # Horner's rule, longest words first: one step per character offset
        by_len = hard_w[np.argsort(-lens[hard_w], kind="stable")]
        sw, lw = s_w[by_len], lens[by_len]
        h = np.zeros(len(by_len), dtype=np.uint64)
        prime = np.uint64(_PRIME)
        longer = np.searchsorted(-lw, -np.arange(int(lw[0])), side="left")  # len > offset
        with np.errstate(over="ignore"):
            for o, m in enumerate(longer.tolist()):
                h[:m] = h[:m] * prime + c[sw[:m] + o]
        key[by_len] = h | np.uint64(1 << 63)
    codes, uniq = pd.factorize(key)
    rep = np.empty(len(uniq), dtype=np.int64)
    rep[codes] = np.arange(len(codes))
    r = rep[codes[hard_w]]
    other = hard_w[r != hard_w]
    if len(other):
        r = rep[codes[other]]
        if np.any(lens[other] != lens[r]):
            return _chunk_general(texts, vocab)
        ln = lens[other]
        off = np.arange(int(ln.sum())) - np.repeat(np.cumsum(ln) - ln, ln)
        if np.any(c[np.repeat(s_w[other], ln) + off] != c[np.repeat(s_w[r], ln) + off]):
            return _chunk_general(texts, vocab)  # a hash collision: never seen, but exact
    uid = vocab.ids_of_keys(np.asarray(uniq, dtype=np.uint64), s_w[rep], e_w[rep], c)
    if uid is None:
        return _chunk_general(texts, vocab)  # a hash collision across chunks: never seen
    ids = uid[codes]
    starts = np.r_[1, 1 + np.cumsum([len(t) + 1 for t in texts])[:-1]]
    doc = np.searchsorted(starts, s_w, side="right") - 1
    before = np.searchsorted(brk, s_w)  # breaks before each word (none inside a word)
    pair = np.zeros(len(ids), dtype=bool)
    pair[:-1] = (ids[:-1] >= 0) & (ids[1:] >= 0) & (before[1:] == before[:-1])
    return doc.astype(np.int64), ids, pair


def _from_seq(ids):

    pair = np.zeros(len(ids), dtype=bool)
    if len(ids) > 1:
        pair[:-1] = (ids[:-1] >= 0) & (ids[1:] >= 0)
    return np.zeros(len(ids), dtype=np.int64), ids, pair


def _chunk_general(texts, vocab):

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
