"""Page furniture learned from the corpus: lines and sentences an outlet repeats in many articles.

The generic cleaning rules (``framing/data/cleaning_rules.toml``) name debris that looks the same
on every site. Each site also has furniture of its own, printed on page after page: "Copyright ©
2019 The Washington Times, LLC. Click here for reprint permission.", "Story Continued Below",
"LISTEN TO ARTICLE 4:48 SHARE THIS ARTICLE Share Tweet Post Email". Left in, it becomes the most
distinctive vocabulary of its outlet. This module learns it from the corpus itself:

- **Units.** Every non-blank line of an article's raw text, and every sentence-length fragment of
  a line that holds more than one sentence (at least :data:`MIN_FRAGMENT_WORDS` words), is a
  unit. Units are compared near-verbatim: by their words only, lower-cased (ASCII and Latin-1
  capitals), with digits, punctuation and white space as separators and the "a.m."/"p.m." of a
  time left out, so "LISTEN TO ARTICLE 4:48" and "Listen to article 2:40", or "Updated at
  3:15 p.m. ET" and "Updated at 11:02 a.m. ET", are one unit.
- **Rule** (:class:`BoilerplateSettings`). A unit is furniture of outlet *O* when it occurs in
  at least ``min_articles`` articles of *O* and in at least ``min_share`` of them; when it is
  concentrated in *O* (its share of *O*'s articles is at least ``min_lift`` times its share of
  the other outlets' articles); and when those articles are spread in time (the dated ones span
  at least ``min_days``). The last two conditions keep text that outlets legitimately share:
  a statement or a tweet quoted by many outlets, a wire story's sentence (found everywhere, so
  not concentrated in one outlet), and a passage one outlet repeats while it covers one event
  (a burst of days, not furniture printed month after month).
- **Applying.** A learned unit is removed from every article of its outlet: a whole line as
  the rule ``repeated_boilerplate``, a fragment cut out of its line (the rest of the line
  stays). :func:`framing.cleaning_audit` lists each with ``n_articles``, the number of the
  outlet's articles it occurs in.

The scan is one compiled pass (numba) over the code points of a chunk of texts; units are
identified by a 64-bit hash of their normalised words.
"""

from __future__ import annotations

__all__ = [
    "BoilerplateSettings",
    "Boilerplate",
    "learn_boilerplate",
    "find_boilerplate",
    "boilerplate_summary",
    "check_boilerplate",
    "RULE_ID",
    "RULE_WHY",
    "MIN_FRAGMENT_WORDS",
]

import dataclasses
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from numba import njit

from ..errors import check_option
from .kernels import CACHE, mix

RULE_ID = "repeated_boilerplate"
RULE_WHY = (
    "repeated near-verbatim in many of this outlet's articles over time and concentrated in "
    "this outlet (page furniture learned from the corpus; n_articles says in how many)"
)
# A fragment (a sentence inside a line of several) is a unit only with at least this many
# words: shorter pieces ("He said no.") are too common to say anything, and splitting errors
# produce them.
MIN_FRAGMENT_WORDS = 5
# Characters per chunk of the compiled scan (its code-point array: 4 bytes each).
_CHUNK_CHARS = 2_000_000


@dataclass(frozen=True)
class BoilerplateSettings:
    """When a repeated unit counts as an outlet's page furniture (all four must hold).

    Attributes:
        min_articles: the unit occurs in at least this many articles of the outlet.
        min_share: ... and in at least this share of the outlet's articles.
        min_lift: its share of the outlet's articles is at least this many times its share of
            the other outlets' articles (a unit found in no other outlet passes).
        min_days: the outlet's dated articles holding it span at least this many days (a unit
            with fewer than two dated articles passes: its spread cannot be told).
    """

    min_articles: int = 5
    min_share: float = 0.005
    min_lift: float = 10.0
    min_days: int = 60

    def __post_init__(self) -> None:
        checks = {
            "min_articles": (lambda v: _is_int(v) and v >= 2, "an integer >= 2"),
            "min_share": (lambda v: _is_number(v) and 0 <= v <= 1, "a number from 0 to 1"),
            "min_lift": (lambda v: _is_number(v) and v >= 1, "a number >= 1"),
            "min_days": (lambda v: _is_int(v) and v >= 0, "an integer >= 0"),
        }
        for name, (ok, allowed) in checks.items():
            value = getattr(self, name)
            check_option(f"boilerplate.{name}", value, allowed, ok=ok(value))

    def key(self) -> str:
        """The settings as one string, for cache keys."""
        return repr(dataclasses.astuple(self))


def _is_int(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)


def check_boilerplate(value: Any) -> BoilerplateSettings | None:
    """The settings a ``boilerplate=`` option stands for: ``True`` (the defaults), ``False`` or
    ``None`` (off), a mapping of some fields of :class:`BoilerplateSettings`, or the settings.

    Raises:
        ValueError: any other value, an unknown field or a field's bad value.
    """
    if value is True:
        return BoilerplateSettings()
    if value is False or value is None:
        return None
    if isinstance(value, BoilerplateSettings):
        return value
    if isinstance(value, Mapping):
        fields = [f.name for f in dataclasses.fields(BoilerplateSettings)]
        unknown = set(value) - set(fields)
        check_option("boilerplate", dict(value), f"a mapping of some of {fields}", ok=not unknown)
        return BoilerplateSettings(**value)
    return check_option(
        "boilerplate",
        value,
        "True, False, or a mapping of settings such as {'min_articles': 5}",
        ok=False,
    )


# ------------------------------------------------------------------ the compiled scan


@lru_cache(maxsize=1)
def _no_break_tokens() -> np.ndarray:
    # words after which a period does not end a fragment ("Mr.", "Gov.", "Jan.", "Inc."): the
    # sentence splitter's lists (framing/data/segmentation.toml), hashed as the scan hashes them
    text = resources.files("framing").joinpath("data/segmentation.toml").read_text("utf-8")
    lists = tomllib.loads(text)
    words = {w for k in ("titles", "before_numbers", "ambiguous") for w in lists[k]}
    return np.array(sorted(_word_key(w) for w in words), dtype=np.uint64)


def _word_key(word: str) -> int:
    # the scan's key of one word (_token_key), computed here without compiling anything
    fold = _folds()
    h = int(_FNV)
    for ch in word:
        f = int(fold[ord(ch)]) if ord(ch) < 0x10000 else 0
        if f:
            h = ((h ^ f) * int(_FNV_PRIME)) & 0xFFFFFFFFFFFFFFFF
    return h


@lru_cache(maxsize=1)
def _folds() -> np.ndarray:
    """What the scan reads for each code point below U+10000 (:func:`_fold`), as an array."""
    c = np.arange(0x10000, dtype=np.uint32)
    out = np.zeros(0x10000, dtype=np.uint32)
    ascii_lower = (c >= 97) & (c <= 122)
    ascii_upper = (c >= 65) & (c <= 90)
    latin = (c >= 0xC0) & (c <= 0xFF) & (c != 0xD7) & (c != 0xF7)
    latin_upper = latin & (c <= 0xDE)
    rest = (c >= 0x100) & ~(
        ((c >= 0x2000) & (c <= 0x2BFF)) | ((c >= 0x3000) & (c <= 0x303F)) | (c >= 0xFE00)
    )
    keep = ascii_lower | (latin & ~latin_upper) | rest
    out[keep] = c[keep]
    out[ascii_upper | latin_upper] = c[ascii_upper | latin_upper] + 32
    return out


_FNV = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@njit(cache=CACHE, nogil=True, inline="always")
def _is_space(c):
    # str.isspace()
    return (
        (9 <= c <= 13)
        or (28 <= c <= 32)
        or c == 0x85
        or c == 0xA0
        or c == 0x1680
        or (0x2000 <= c <= 0x200A)
        or c == 0x2028
        or c == 0x2029
        or c == 0x202F
        or c == 0x205F
        or c == 0x3000
    )


@njit(cache=CACHE, nogil=True, inline="always")
def _fold(c):
    # the code point a unit's key reads for c: 0 for a separator (white space, digits,
    # punctuation, symbols), else the letter, ASCII and Latin-1 capitals lower-cased
    if c < 128:
        if 97 <= c <= 122:
            return c
        if 65 <= c <= 90:
            return c + 32
        return 0
    if c < 0xC0 or c == 0xD7 or c == 0xF7:
        return 0
    if c <= 0xDE:
        return c + 32
    if 0x2000 <= c <= 0x2BFF or 0x3000 <= c <= 0x303F or 0xFE00 <= c <= 0xFFFF or c >= 0x1F000:
        return 0  # punctuation, symbols, arrows, CJK punctuation, variation selectors, emoji
    return c


@njit(cache=CACHE, nogil=True, inline="always")
def _is_upper(c):
    return (65 <= c <= 90) or (0xC0 <= c <= 0xDE and c != 0xD7)


@njit(cache=CACHE, nogil=True, inline="always")
def _is_stop(c):
    return c == 46 or c == 33 or c == 63 or c == 0x2026  # . ! ? …


@njit(cache=CACHE, nogil=True, inline="always")
def _is_quote(c):
    return c == 34 or c == 0x201C or c == 0x201D or c == 0x201E or c == 0xAB or c == 0xBB


@njit(cache=CACHE, nogil=True, inline="always")
def _quote_state(c, inside):
    # whether a quotation is open after the mark c: “ « „ open, ” » close, " toggles
    if c == 0x201C or c == 0xAB or c == 0x201E:
        return True
    if c == 0x201D or c == 0xBB:
        return False
    return not inside


@njit(cache=CACHE, nogil=True, inline="always")
def _is_closer(c):
    return c == 34 or c == 39 or c == 0x201D or c == 0x2019 or c == 41 or c == 93 or c == 0xBB


@njit(cache=CACHE, nogil=True, inline="always")
def _is_opener(c):
    return c == 34 or c == 39 or c == 0x201C or c == 0x2018 or c == 0xAB or c == 40 or c == 91


@njit(cache=CACHE, nogil=True, inline="always")
def _time_suffix_end(cp, i, b):
    # cp[i] is a digit: when the number is a time of day followed by "a.m." / "p.m." (or "am",
    # "PM"), where that suffix ends, so that "2:48 p.m." and "11:02 a.m." read alike; else -1
    j = i
    while j < b and (
        48 <= cp[j] <= 57 or ((cp[j] == 58 or cp[j] == 46) and j + 1 < b and 48 <= cp[j + 1] <= 57)
    ):
        j += 1
    if j < b and cp[j] == 32:
        j += 1
    if j >= b or not (cp[j] == 97 or cp[j] == 112 or cp[j] == 65 or cp[j] == 80):
        return -1
    j += 1
    if j < b and cp[j] == 46:
        j += 1
    if j >= b or not (cp[j] == 109 or cp[j] == 77):
        return -1
    j += 1
    if j < b and cp[j] == 46:
        j += 1
    if j < b and _fold(cp[j]) != 0:
        return -1  # "2 amendments": a word, not a time
    return j


@njit(cache=CACHE, nogil=True, inline="always")
def _token_key(cp):
    h = _FNV
    for c in cp:
        f = _fold(c)
        if f:
            h = (h ^ np.uint64(f)) * _FNV_PRIME
    return h


@njit(cache=CACHE, nogil=True, inline="always")
def _fragment_end(cp, i, b, a, stops):
    # cp[i] is . ! ? or …: the end of the fragment it closes (after the punctuation and
    # closing quotes or brackets) and where the next one starts, or (-1, -1) when it closes
    # none. A fragment ends when white space and a capital or digit (maybe after an opening
    # quote) follow, and a single period does not follow an initial ("J."), a dotted
    # abbreviation ("U.S.", "p.m.") or a word of the no-break list ("Mr.", "Gov.", "Jan.").
    j = i
    while j < b and _is_stop(cp[j]):
        j += 1
    single_period = cp[i] == 46 and j == i + 1
    while j < b and _is_closer(cp[j]):
        j += 1
    k = j
    while k < b and _is_space(cp[k]):
        k += 1
    if k == j or k >= b:
        return -1, -1
    n = k
    if _is_opener(cp[n]) and n + 1 < b:
        n += 1
    c = cp[n]
    if not (_is_upper(c) or 48 <= c <= 57):
        return -1, -1
    if single_period:
        t = i
        while t > a and not _is_space(cp[t - 1]):
            t -= 1
        while t < i and _is_opener(cp[t]):
            t += 1
        if i - t == 1 and _is_upper(cp[t]):
            return -1, -1  # an initial
        for q in range(t, i):
            if cp[q] == 46:
                return -1, -1  # dotted
        key = _token_key(cp[t:i])
        at = np.searchsorted(stops, key)
        if at < len(stops) and stops[at] == key:
            return -1, -1
    return j, k


@njit(cache=CACHE, nogil=True, error_model="numpy", boundscheck=False)
def _scan(
    cp, starts, ends, fold, stops, min_frag, o_doc, o_line, o_start, o_end, o_kind, o_key, o_quote
):
    """The units of texts ``d`` = ``cp[starts[d]:ends[d]]``: for each non-blank line, the line
    (kind 0, without surrounding white space) and, when it holds more than one fragment, each
    fragment of at least ``min_frag`` words (kind 1). Writes text, line (0-based, blank lines
    counted), start and end (offsets in the text), kind, key and whether it is quoted: a line
    holding a quotation mark, a fragment holding one or starting inside a quotation (after an
    opening mark not yet closed on its line: a quotation may run over several sentences, with
    its marks only in the first and the last); returns how many.

    A fragment's key is a hash of its words (``fold``: the letter each code point below
    U+10000 stands for, 0 for a separator), one space between words; a line's key is its
    fragment's key when it holds one, else a hash of its fragments' keys in order (all of
    them, short ones too), so a text has the same key whether it is a line or a fragment."""
    m = 0
    for d in range(len(starts)):
        s0 = starts[d]
        e0 = ends[d]
        pos = s0
        line = 0
        while pos <= e0:
            le = pos
            while le < e0 and cp[le] != 10:
                le += 1
            a = pos
            while a < le and _is_space(cp[a]):
                a += 1
            b = le
            while b > a and _is_space(cp[b - 1]):
                b -= 1
            if a < b:
                lh = _FNV
                lw = 0
                fh = _FNV
                fw = 0
                fs = a
                lq = False
                fq = False
                inq = False
                breaks = 0
                in_word = False
                i = a
                while i < b:
                    c = cp[i]
                    f = fold[c] if c < 0x10000 else _fold(c)
                    if f:
                        if not in_word:
                            if fw > 0:
                                fh = (fh ^ np.uint64(32)) * _FNV_PRIME
                            fw += 1
                            in_word = True
                        fh = (fh ^ np.uint64(f)) * _FNV_PRIME
                        i += 1
                        continue
                    in_word = False
                    if 48 <= c <= 57 and (i == a or not (48 <= cp[i - 1] <= 57)):
                        t = _time_suffix_end(cp, i, b)
                        if t > 0:
                            i = t
                            continue
                    if _is_quote(c):
                        lq = True
                        fq = True
                        inq = _quote_state(c, inq)
                    elif _is_stop(c):
                        j, k = _fragment_end(cp, i, b, a, stops)
                        if j >= 0:
                            for q in range(i, j):  # closing marks after the stop
                                if _is_quote(cp[q]):
                                    lq = True
                                    fq = True
                                    inq = _quote_state(cp[q], inq)
                            key = mix(fh)
                            if fw >= min_frag:
                                o_doc[m] = d
                                o_line[m] = line
                                o_start[m] = fs - s0
                                o_end[m] = j - s0
                                o_kind[m] = 1
                                o_key[m] = key
                                o_quote[m] = fq
                                m += 1
                            lh = (lh ^ key) * _FNV_PRIME
                            lw += fw
                            breaks += 1
                            fh = _FNV
                            fw = 0
                            fq = inq
                            fs = k
                            i = k
                            continue
                    i += 1
                key = mix(fh)
                if breaks > 0:
                    if fw >= min_frag:
                        o_doc[m] = d
                        o_line[m] = line
                        o_start[m] = fs - s0
                        o_end[m] = b - s0
                        o_kind[m] = 1
                        o_key[m] = key
                        o_quote[m] = fq
                        m += 1
                    key = mix((lh ^ key) * _FNV_PRIME)
                lw += fw
                if lw > 0:
                    o_doc[m] = d
                    o_line[m] = line
                    o_start[m] = a - s0
                    o_end[m] = b - s0
                    o_kind[m] = 0
                    o_key[m] = key
                    o_quote[m] = lq
                    m += 1
            line += 1
            pos = le + 1
    return m


_UNIT_COLUMNS = ("doc", "line", "start", "end", "kind", "key", "quote")


def _units_of_chunk(texts: Sequence[str], first: int) -> dict[str, np.ndarray]:
    big = "\n".join(texts)  # the separator is never read: each text is scanned in its bounds
    cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    starts[1:] = np.cumsum(lengths + 1)[:-1]
    ends = starts + lengths
    # at most one line unit per line, and one fragment per 2 * MIN_FRAGMENT_WORDS characters
    # (a fragment has that many words: a letter and a separator each, at least)
    min_words = max(1, MIN_FRAGMENT_WORDS)
    room = (int(np.count_nonzero(cp == 10)) + len(texts)) * 2 + len(cp) // (2 * min_words) + 2
    out = {
        "doc": np.empty(room, dtype=np.int64),
        "line": np.empty(room, dtype=np.int32),
        "start": np.empty(room, dtype=np.int64),
        "end": np.empty(room, dtype=np.int64),
        "kind": np.empty(room, dtype=np.int8),
        "key": np.empty(room, dtype=np.uint64),
        "quote": np.empty(room, dtype=np.bool_),
    }
    m = _scan(
        cp,
        starts,
        ends,
        _folds(),
        _no_break_tokens(),
        MIN_FRAGMENT_WORDS,
        *(out[c] for c in _UNIT_COLUMNS),
    )
    out = {c: v[:m] for c, v in out.items()}
    out["doc"] += first
    return out


def _units(texts: Sequence[str], threads: int = 2) -> dict[str, np.ndarray]:
    """Every unit of ``texts`` (see :func:`_scan`), chunk by chunk; with ``threads`` > 1 the
    compiled scans of different chunks run side by side (they release the GIL)."""
    bounds = []
    i = 0
    n = len(texts)
    while i < n:
        j, size = i, 0
        while j < n and (j == i or size < _CHUNK_CHARS):
            size += len(texts[j])
            j += 1
        bounds.append((i, j))
        i = j
    if not bounds:
        bounds = [(0, 0)]
    if threads > 1 and len(bounds) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(lambda b: _units_of_chunk(texts[b[0] : b[1]], b[0]), bounds))
    else:
        parts = [_units_of_chunk(texts[i:j], i) for i, j in bounds]
    return {c: np.concatenate([p[c] for p in parts]) for c in _UNIT_COLUMNS}


def unit_keys(texts: Sequence[str]) -> np.ndarray:
    """The key of each text taken as one line (its words, normalised as units are), as int64;
    0 for a text without words. Used to group audit rows by the unit they removed."""
    flat = [" ".join(t.split()) for t in texts]
    u = _units(flat, threads=1)
    out = np.zeros(len(flat), dtype=np.int64)
    line = u["kind"] == 0
    out[u["doc"][line]] = u["key"][line].view(np.int64)
    return out


# ------------------------------------------------------------------ learning


Found = tuple[int, int, int, int, bool]  # line, start, end, n_articles, whole line


@dataclass
class Boilerplate:
    """What :func:`learn_boilerplate` learned.

    Attributes:
        settings: the thresholds used.
        units: one row per learned unit and outlet: ``outlet, key, n_articles,
            outlet_articles, share, lift, span_days, kind, text`` (``key`` the unit's hash as
            int64; ``kind`` "line" or "fragment" and ``text`` an example, from its first
            occurrence).
        found: for each input text, where its outlet's learned units are in it, as
            :func:`find_boilerplate` gives them.
    """

    settings: BoilerplateSettings
    units: pd.DataFrame
    found: list[list[Found]]

    def learned(self, outlet: str) -> dict[int, int]:
        """The learned units of ``outlet``, ``{key: n_articles}``, for :func:`find_boilerplate`."""
        mine = self.units[self.units["outlet"] == outlet]
        return dict(zip(mine["key"].tolist(), mine["n_articles"].tolist(), strict=True))


def encode_found(found: Sequence[Found]) -> str:
    """Where the learned units are in one article, as the article table's ``boilerplate``
    column holds it: "line:start:end:n_articles:L" (a whole line) or "…:F" (a sentence cut out of
    its line), space-separated; "" for none."""
    return " ".join(f"{ln}:{a}:{b}:{n}:{'L' if whole else 'F'}" for ln, a, b, n, whole in found)


def decode_found(text: str | None) -> list[Found]:
    """The inverse of :func:`encode_found`."""
    if not text or not isinstance(text, str):
        return []
    out = []
    for item in text.split():
        ln, a, b, n, kind = item.split(":")
        out.append((int(ln), int(a), int(b), int(n), kind == "L"))
    return out


def learn_boilerplate(
    texts: Sequence[str],
    outlets: Sequence[str],
    dates: Sequence[Any] | None = None,
    *,
    settings: BoilerplateSettings | None = None,
) -> Boilerplate:
    """Learn each outlet's page furniture from its articles' raw texts.

    Args:
        texts: the articles' raw texts (``text_raw``).
        outlets: the outlet of each text.
        dates: the publication date of each text (missing dates allowed), or None.
        settings: the thresholds (default :class:`BoilerplateSettings`).

    Returns:
        A :class:`Boilerplate`: the learned units and, per text, those it holds.

    Note:
        Learning needs every article of an outlet: with fewer than ``min_articles`` articles
        an outlet has no furniture to learn (a case study of one article per outlet is left as
        it is).
    """
    settings = settings or BoilerplateSettings()
    texts = list(texts)
    n = len(texts)
    codes, names = pd.factorize(pd.Series(list(outlets), dtype=object).fillna(""), sort=False)
    empty_units = pd.DataFrame(
        {
            "outlet": pd.Series(dtype=object),
            "key": pd.Series(dtype="int64"),
            "n_articles": pd.Series(dtype="int64"),
            "outlet_articles": pd.Series(dtype="int64"),
            "share": pd.Series(dtype="float64"),
            "lift": pd.Series(dtype="float64"),
            "span_days": pd.Series(dtype="Int64"),
            "kind": pd.Series(dtype=object),
            "text": pd.Series(dtype=object),
        }
    )
    size = np.bincount(codes, minlength=len(names)).astype(np.int64)
    if n == 0 or size.max(initial=0) < settings.min_articles:
        return Boilerplate(settings, empty_units, [[] for _ in range(n)])
    u = _units(texts)
    # a quoted unit is never furniture: quoted words are someone's statement
    free = ~u["quote"]
    u = {c: v[free] for c, v in u.items()}
    key = u["key"].view(np.int64)
    doc = u["doc"]
    # one entry per (unit, article): sorted by key, then article
    order = np.lexsort((doc, key))
    k_s, d_s = key[order], doc[order]
    first = np.ones(len(k_s), dtype=bool)
    first[1:] = (k_s[1:] != k_s[:-1]) | (d_s[1:] != d_s[:-1])
    at = order[first]  # the first occurrence of each unit in each article
    k_s, d_s = k_s[first], d_s[first]
    o_s = codes[d_s]
    # articles holding each unit, in all outlets and per outlet
    ks_start = np.r_[True, k_s[1:] != k_s[:-1]]
    key_id = np.cumsum(ks_start) - 1
    n_all = np.bincount(key_id)[key_id]
    pair = pd.DataFrame({"kid": key_id, "o": o_s})
    n_in = pair.groupby(["kid", "o"], sort=False)["o"].transform("size").to_numpy()
    sz = size[o_s]
    share = n_in / sz
    out_n = n_all - n_in
    out_size = n - sz
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(out_n > 0, share / (out_n / np.maximum(out_size, 1)), np.inf)
    cand = (n_in >= settings.min_articles) & (share >= settings.min_share)
    cand &= lift >= settings.min_lift
    entries = pd.DataFrame(
        {
            "kid": key_id[cand],
            "o": o_s[cand],
            "doc": d_s[cand],
            "at": at[cand],
            "key": k_s[cand],
            "n_articles": n_in[cand],
            "share": share[cand],
            "lift": lift[cand],
        }
    )
    # spread in time: the span of the unit's dated articles in the outlet
    if dates is not None and len(entries):
        when = pd.to_datetime(pd.Series(list(dates)), errors="coerce").to_numpy()
        entries["date"] = when[entries["doc"].to_numpy()]
        g = entries.groupby(["kid", "o"], sort=False)["date"]
        span = (g.transform("max") - g.transform("min")).dt.days
        dated = g.transform("count")
        entries["span_days"] = span.where(dated >= 2).astype("Int64")
        keep = entries["span_days"].isna() | (entries["span_days"] >= settings.min_days)
        entries = entries[keep.to_numpy()]
    else:
        entries["span_days"] = pd.array([pd.NA] * len(entries), dtype="Int64")
    found = _found(u, codes, entries, n)
    # one row per learned unit and outlet, with the text of its first occurrence
    heads = entries.sort_values(["o", "n_articles", "at"], ascending=[True, False, True])
    heads = heads.drop_duplicates(["kid", "o"])
    starts, ends = u["start"][heads["at"]], u["end"][heads["at"]]
    example = [
        " ".join(texts[d][s:e].split()) for d, s, e in zip(heads["doc"], starts, ends, strict=True)
    ]
    units = pd.DataFrame(
        {
            "outlet": names[heads["o"].to_numpy()].astype(object),
            "key": heads["key"].to_numpy(dtype=np.int64),
            "n_articles": heads["n_articles"].to_numpy(dtype=np.int64),
            "outlet_articles": size[heads["o"].to_numpy()],
            "share": heads["share"].to_numpy(dtype=float),
            "lift": heads["lift"].to_numpy(dtype=float),
            "span_days": heads["span_days"].to_numpy(),
            "kind": np.where(u["kind"][heads["at"]] == 0, "line", "fragment").astype(object),
            "text": example,
        }
    )
    units = units.astype({"span_days": "Int64"}).reset_index(drop=True)
    return Boilerplate(settings, units if len(units) else empty_units, found)


def _found(u: dict[str, np.ndarray], codes: np.ndarray, entries: pd.DataFrame, n: int):
    # every occurrence of a learned unit in an article of its outlet (the units scanned for
    # learning, quoted ones left out already), as find_boilerplate lists them: a line found
    # whole hides the fragments found in it
    found: list[list[Found]] = [[] for _ in range(n)]
    if entries.empty:
        return found
    learned = entries.drop_duplicates(["o", "key"])
    pairs = zip(learned["o"].tolist(), learned["key"].tolist(), strict=True)
    n_of = dict(zip(pairs, learned["n_articles"].tolist(), strict=True))
    key = u["key"].view(np.int64)
    hit = np.flatnonzero(np.isin(key, learned["key"].to_numpy()))
    rows = pd.DataFrame(
        {
            "doc": u["doc"][hit],
            "line": u["line"][hit],
            "start": u["start"][hit],
            "end": u["end"][hit],
            "whole": u["kind"][hit] == 0,
            "n": [
                n_of.get(p, 0)
                for p in zip(codes[u["doc"][hit]].tolist(), key[hit].tolist(), strict=True)
            ],
        }
    )
    rows = rows[rows["n"] > 0]
    whole = rows.loc[rows["whole"], ["doc", "line"]].drop_duplicates()
    covered = rows[["doc", "line"]].merge(whole.assign(_w=True), how="left")["_w"].notna()
    rows = rows[rows["whole"].to_numpy() | ~covered.to_numpy()]
    rows = rows.sort_values(["doc", "line", "start"], kind="stable")
    for d, ln, a, b, c, w in zip(
        rows["doc"].tolist(),
        rows["line"].tolist(),
        rows["start"].tolist(),
        rows["end"].tolist(),
        rows["n"].tolist(),
        rows["whole"].tolist(),
        strict=True,
    ):
        found[d].append((ln, a, b, c, w))
    return found


# ------------------------------------------------------------------ applying


def find_boilerplate(text_raw: str, learned: Mapping[int, int]) -> list[Found]:
    """The learned units in one article's raw text: apply what was learned to its lines.

    Args:
        text_raw: the article as read (LF line endings).
        learned: its outlet's furniture, ``{key: n_articles}`` (:meth:`Boilerplate.learned`).

    Returns:
        ``(line, start, end, n_articles, whole_line)`` per unit found, in text order:
        ``line`` 0-based in ``text_raw.split("\\n")``, ``start``/``end`` offsets into
        ``text_raw``. A whole line found is listed alone (not its fragments); fragments found
        are listed when their line as a whole is not. Quoted units are never listed. Pass the
        result to :func:`framing.text.cleaning.clean_text` (``boilerplate=``).
    """
    if not learned or not text_raw:
        return []
    u = _units([text_raw], threads=1)
    keys = u["key"].view(np.int64)
    hit = np.fromiter((int(k) in learned for k in keys), dtype=bool, count=len(keys))
    hit &= ~u["quote"]
    if not hit.any():
        return []
    lines_whole = set(u["line"][hit & (u["kind"] == 0)].tolist())
    out = []
    for i in np.flatnonzero(hit):
        line = int(u["line"][i])
        whole = bool(u["kind"][i] == 0)
        if not whole and line in lines_whole:
            continue
        out.append((line, int(u["start"][i]), int(u["end"][i]), learned[int(keys[i])], whole))
    out.sort(key=lambda r: (r[0], r[1]))
    return out


# ------------------------------------------------------------------ the notebook's summary


def boilerplate_summary(
    audit: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet"
) -> pd.DataFrame:
    """What the learned rule removed, per outlet and unit, in how many articles.

    Args:
        audit: :func:`framing.cleaning_audit` of ``articles``.
        articles: the article table (``doc_id`` and the ``by`` column).
        by: the grouping column the furniture was learned by (``"outlet"``).

    Returns:
        ``<by>, text, n_articles, articles, lines, words``: one row per outlet and unit (its
        variants, e.g. other times in "Updated at 3:15 p.m. ET", are one unit; ``text`` is its
        first removed line or fragment), ``n_articles`` the outlet's articles holding it when
        it was learned (on the whole corpus), ``articles`` and ``lines`` the articles of
        ``articles`` it was removed from and how many times, ``words`` the words removed.
        Sorted by outlet, then ``articles`` descending.
    """
    from .words import count_words_many

    cols = [by, "text", "n_articles", "articles", "lines", "words"]
    rows = audit[audit["rule"] == RULE_ID]
    if rows.empty or by not in articles.columns:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols}).astype(
            {"n_articles": "int64", "articles": "int64", "lines": "int64", "words": "int64"}
        )
    group_of = dict(zip(articles["doc_id"], articles[by], strict=True))
    rows = rows.assign(
        **{by: rows["doc_id"].map(group_of)},
        _key=unit_keys(rows["text"].tolist()),
        _words=count_words_many(rows["text"]),
    )
    g = rows.groupby([by, "_key"], sort=False)
    out = g.agg(
        text=("text", "first"),
        n_articles=("n_articles", "max"),
        articles=("doc_id", "nunique"),
        lines=("doc_id", "size"),
        words=("_words", "sum"),
    ).reset_index()
    out = out.sort_values([by, "articles", "lines"], ascending=[True, False, False], kind="stable")
    return out[cols].astype({"n_articles": "int64", "words": "int64"}).reset_index(drop=True)
