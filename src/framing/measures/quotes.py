"""Quotations and who speaks them; accuracy against a hand-checked gold table; voice tables.

A quotation is a span inside quotation marks, as :mod:`framing.text.quotemarks` reads them
(the one scanner, shared with the narration/quotation split of tone). :func:`find_quotes`
finds every span, tells quotations (someone's words, ``kind="quote"``) from phrases (scare
quotes and labels, ``kind="phrase"``), and attributes each quotation to a speaker through
the actor table that the sentiment analysis uses too (:func:`framing.load_actors`).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import pandas as pd

from ..errors import check_column, check_option
from ..text.cleaning import is_heading
from ..text.quotemarks import MARKS, quoted_spans, transcript_turns
from ..text.segment import paragraph_spans, split_sentences
from ..text.tries import trie_regex  # one trie builder for cue words, aliases and frame terms
from ..text.words import WORD as _COUNTED_WORD
from ..text.words import count_words
from .actors import actor_pattern, load_actors

__all__ = [
    "find_quotes",
    "voices",
    "quotes_in_spans",
    "QUOTE_COLUMNS",
    "UNATTRIBUTED",
]

QUOTE_COLUMNS = [
    "doc_id", "start", "end", "quote", "speaker", "speaker_start", "speaker_end",
    "cue", "kind", "speaker_raw", "speaker_type",
]  # fmt: skip
UNATTRIBUTED = "(unattributed)"

# a name part: "Hsiao", "Roybal-Allard", "O'Brien", "D’Souza" — not a possessive ("Pelosi's")
_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿā-ž"  # Latin letters with accents too: "Erdoğan", "José"
_PART = (
    rf"(?:[OD][’'](?=[{_UP}]))?[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?"
    rf"(?:-[{_UP}]?[{_LOW}]+|[’'][{_UP}][{_LOW}]+)?"
)
ONE_NAME = re.compile(rf"(?<![\w’'.]){_PART}(?![\w’'])")
# a capitalised word as mentioned, possessive allowed ("Anderson's family")
MENTION = re.compile(rf"(?<![\w’'.]){_PART}(?=[’']s\b|(?![\w’']))")
_URL = re.compile(r"https?://|www\.|\b\w+\.(?:com|org|net|gov|edu)/")
_CITATION_DATE = re.compile(
    r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b"
    r"|\(\d{4}[a-z]?\)"
)
_TITLE_END = re.compile(r"[.?!][”\"]\s+[A-Z]")  # a quoted title's end: “A Title.” Journal
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# two to four capitalised words: a name the actor table does not know
# a middle initial may stand inside a name: "Frank R. Lautenberg", "George H.W. Bush"
# (up to nine words, so that titles before the name are read with it and dropped by
# _clean_name: "Senate Minority Leader Mitch McConnell" -> "Mitch McConnell")
_NAME = re.compile(rf"{_PART}(?:\s+(?:[A-Z]\.){{1,3}}(?=\s+[A-Z]))?(?:\s+{_PART}){{1,8}}(?![\w’'])")


_NOUN_BEFORE = re.compile(
    r"(?:[’']s|s[’']|\b(?:the|a|an|his|her|their|its|our|these|those|my|your))\s+$"
)
# between a verb and the name after it: an article or an abbreviated title ("said Sen. Cruz")
_LEAD = re.compile(r"\s*(?:the\s+|The\s+)?(?:[A-Z][a-z]{1,3}\.\s+)?")
_ADJ_WORDS = (
    r"[a-z]+ly|has|have|had|also|not|is|was|were|are|will|would|then|later|"
    r"again|further|once|in\s+turn"
)
_ADJACENT = re.compile(rf"[\s,]*(?:(?:{_ADJ_WORDS})\s+)*")
# text[a:b] + " " fullmatches _ADJACENT exactly when text[a:b] fullmatches this (the last word
# followed by white space or by the end): read in place, with no copy of text[a:b]
_ADJACENT_TO = re.compile(rf"[\s,]*(?:(?:{_ADJ_WORDS})(?:\s+|\Z))*")


@dataclass(frozen=True)
class _Cues:
    phrase_max_words: int
    finite: re.Pattern
    commitment: re.Pattern
    participle: re.Pattern
    relay: re.Pattern
    document: re.Pattern
    singular: frozenset[str]
    plural: frozenset[str]
    not_label_after: frozenset[str]
    bibliography: frozenset[str]
    titles: re.Pattern
    not_names: frozenset[str]
    pronoun: re.Pattern
    label_before: re.Pattern
    pair: re.Pattern  # "the two leaders", "both sides", "the pair"
    it: re.Pattern
    role: re.Pattern  # "the Chinese leader": group 1 is the demonym
    doc_noun: re.Pattern  # nouns for a written thing: "plan", "statement"
    demonyms: dict  # "Russian" -> "Russia"
    description: re.Pattern  # "a senior White House official", "administration officials"
    plural_nouns: frozenset[str]  # the plural nouns of descriptions
    description_titles: dict  # "judge" -> ("Judge", "Justice")
    title_words: frozenset[str]  # the one-word titles of name_titles ("Director", "Sen")
    not_person_end: frozenset[str]  # "Campaign", "Nations": a name ending so is no person
    object_words: frozenset[str]  # "for", "told": a name right after one is an object
    # between a verb of saying and the name after it, or between words of a title and the
    # name: capitalised words, abbreviations and role nouns ("said GLAAD spokesperson Wilson
    # Cruz", "said Guadalupe resident Roberto James")
    name_gap: re.Pattern
    # between a verb of saying and a name: at most two lower-case words of a role, then a gap
    # ("promised candidate George H.W. Bush", "said conservative GOP Rep. Mick Mulvaney")
    name_lead: re.Pattern
    cue_words: _Words  # the cues of speech above, scanned together
    cand_words: _Words  # pronoun, pair, role, it, scanned together


def word_alternation(words: list[str], *, capital: bool = False) -> str:
    """A regex matching any of ``words`` (spaces in them match any white space; ``capital``
    adds each word with a capital first letter), the longest that matches first."""
    forms = set()
    for w in words:
        forms.add(tuple(w.split()))
        if capital:
            forms.add(tuple((w[:1].upper() + w[1:]).split()))
    return trie_regex([_tokens(f) for f in forms])


def _tokens(parts: tuple[str, ...]) -> list[str]:
    out = []
    for i, part in enumerate(parts):
        if i:
            out.append(r"\s+")
        out += [re.escape(c) for c in part]
    return out


# words that never stand between a description's determiner and its noun
_NOT_MODIFIER = (
    r"(?:that|who|which|whom|whose|and|or|but|of|to|in|on|at|for|with|by|from|as|is|was|are|"
    r"were|has|have|had|said|says|told|a|an|the)"
)


@lru_cache(maxsize=1)
def cue_tables() -> _Cues:
    text = resources.files("framing").joinpath("data/quote_cues.toml").read_text("utf-8")
    d = tomllib.loads(text)
    per = r"|per(?=\s+(?:the\s+|The\s+)?[A-Z])|Per(?=\s+(?:the\s+|The\s+)?[A-Z])"
    relay = [w for w in d["relay"] if w != "per"]
    pairs = [f"{det} {noun}" for det in ("the two", "both") for noun in d["pair_nouns"]]
    pairs += ["the two", "the pair"]
    # role nouns that may stand between a verb of saying, or a title, and a name
    role_nouns = word_alternation([r for r in d["roles"] if " " not in r] + d["description_nouns"])
    cues = _Cues(
        phrase_max_words=int(d["phrase_max_words"]),
        finite=re.compile(rf"(?<![\w\-])(?:{word_alternation(d['finite'])})(?!\w)"),
        commitment=re.compile(rf"(?<![\w\-])(?:{word_alternation(d['commitment'])})(?!\w)"),
        participle=re.compile(
            rf"(?<![\w\-])(?:{word_alternation(d['participle'], capital=True)})(?!\w)"
        ),
        relay=re.compile(rf"(?<![\w\-])(?:{word_alternation(relay, capital=True)}{per})(?!\w)"),
        document=re.compile(
            rf"(?<!\w)(?:In|in|From|from)\s+(?:a|an|the|its|their|his|her)\s+(?:[\w’'\-]+\s+){{0,3}}"
            rf"(?:{word_alternation(d['document'])})(?!\w)"
        ),
        singular=frozenset(d["pronouns_singular"]),
        plural=frozenset(d["pronouns_plural"]),
        not_label_after=frozenset(d["not_label_after"]),
        bibliography=frozenset(d["bibliography_headings"]),
        titles=re.compile(rf"^(?:(?:{word_alternation(d['name_titles'])})\.?\s+)+"),
        not_names=frozenset(d["not_names"]),
        label_before=re.compile(
            rf"(?<![\w\-])(?:{word_alternation(d['label_before'], capital=True)})\s*$"
        ),
        pronoun=re.compile(
            rf"(?<![\w’'])(?:{word_alternation(d['pronouns_singular'] + d['pronouns_plural'], capital=True)})"
            r"(?![\w’'])"
        ),
        # "the two leaders", "both sides", or "the two", "the pair" alone (branches that open
        # with a letter, not a class such as [Tt]: the regex engine then skips ahead faster)
        pair=re.compile(rf"(?<![\w’'])(?:{word_alternation(pairs, capital=True)})(?![\w’'\-])"),
        it=re.compile(r"(?<![\w’'])(?:It|it)(?![\w’'])"),
        role=re.compile(
            rf"(?<![\w’'])(?:The|the)\s+({word_alternation(list(d['demonyms']))})\s+(?:{word_alternation(d['roles'])})"
            r"(?![\w’'\-])"
        ),
        doc_noun=re.compile(
            rf"(?<![\w\-])(?:{word_alternation(d['document_antecedents'])})(?![\w\-])"
        ),
        demonyms=dict(d["demonyms"]),
        description=re.compile(
            rf"(?<![\w’'\-])(?:(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|[Ss]everal|"
            rf"[Ss]ome|[Mm]any|[Oo]ther|[Ff]ormer)\s+(?:(?!{_NOT_MODIFIER}\s)[\w\-’'.]+\s+){{0,4}}?"
            rf"(?:{word_alternation(d['description_nouns'] + d['description_plurals'])})"
            rf"|(?:(?!{_NOT_MODIFIER}\s)[a-z][\w\-]*\s+){{0,2}}"
            rf"(?:{word_alternation(d['description_plurals'], capital=True)}))"
            r"(?![\w’'\-])"
        ),
        plural_nouns=frozenset(d["description_plurals"]),
        description_titles={k: tuple(v) for k, v in d["description_titles"].items()},
        not_person_end=frozenset(d["not_person_end"]),
        object_words=frozenset(d["object_words"]),
        title_words=frozenset(t for t in d["name_titles"] if " " not in t and t[:1].isupper()),
        name_gap=re.compile(
            rf"\.?\s+(?:(?:[A-Z][\w’'\-]*\.?|(?:[a-z][a-z\-]+\s+)?(?:{role_nouns}))\s+){{0,4}}"
        ),
        name_lead=re.compile(
            rf"\s+(?:(?!{_NOT_MODIFIER}\s)[a-z][a-z\-]+\s+){{0,2}}"
            rf"(?:(?:[A-Z][\w’'\-]*\.?|(?:{role_nouns}))\s+){{0,4}}"
        ),
        cue_words=None,
        cand_words=None,
    )
    # the first word of every entry of each pattern (where one of its matches can start)
    first = {
        "finite": _firsts(d["finite"]),
        "commitment": _firsts(d["commitment"]),
        "participle": _firsts(d["participle"], capital=True),
        "relay": _firsts([*relay, "per"], capital=True),
        "document": {"In", "in", "From", "from"},
        "pronoun": _firsts(d["pronouns_singular"] + d["pronouns_plural"], capital=True),
        "pair": _firsts(pairs, capital=True),
        "role": {"The", "the"},
        "it": {"It", "it"},
    }
    cues = dataclasses.replace(
        cues,
        cue_words=_Words([(k, getattr(cues, k), first[k]) for k in CUE_KINDS]),
        cand_words=_Words(
            [(k, getattr(cues, k), first[k]) for k in ("pronoun", "pair", "role", "it")]
        ),
    )
    return cues


# --------------------------------------------------------------------------- fast scanning


class _Fast:
    """``rx.finditer`` for a regex that opens with a negative lookbehind, ``(?<![...])rest``
    with no ``|`` outside groups and no empty match: ``rest`` is searched alone and the
    lookbehind checked on the character before each match, a failed check restarting the
    search one character on. The same matches (a lookbehind also sees the characters before
    ``pos``), 1.3 to 7 times faster: a leading lookbehind keeps the regex engine from skipping
    ahead to the characters a match can start with (long alternations gain most)."""

    __slots__ = ("rx", "rest", "behind")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        m = re.match(r"\(\?<!(\[(?:\\.|[^\]\\])*\]|\\w)\)", rx.pattern)
        self.rest = self.behind = None
        if m and not _top_level_bar(rx.pattern[m.end() :]):
            self.rest = re.compile(rx.pattern[m.end() :], rx.flags)
            self.behind = re.compile(m.group(1), rx.flags)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        if self.rest is None:
            yield from self.rx.finditer(text, pos, endpos)
            return
        search, behind = self.rest.search, self.behind.match
        while True:
            m = search(text, pos, endpos)
            if m is None:
                return
            s = m.start()
            if s and behind(text, s - 1):
                pos = s + 1
                continue
            yield m
            pos = m.end() if m.end() > s else s + 1  # (none of ours matches empty text)


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has an alternation ``|`` outside any group or character class."""
    depth, i, klass = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if klass:
            klass = ch != "]"
        elif ch == "[":
            klass = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


@lru_cache(maxsize=64)
def fast_regex(rx: re.Pattern) -> _Fast:
    return _Fast(rx)


class _Words:
    """Several patterns of ``(kind, regex, first words)`` scanned at once: each regex opens
    with a negative lookbehind (as :class:`_Fast` reads them) and every match of it starts
    with one of its first words. One search for the runs of word characters that open those
    words finds every place a match can start; each pattern is then tried there, in order,
    from the end of its last match on. The same matches as each regex's ``finditer`` (a run
    found inside a longer word fails the lookbehind, and ends where that word ends), in one
    pass over the text instead of one per pattern. A pattern that cannot be read so (no
    leading lookbehind, a first word not opening with a word character) is scanned alone."""

    def __init__(self, patterns: list[tuple[str, re.Pattern, set[str]]]):
        self.kinds = [k for k, _, _ in patterns]
        self.fast = {k: fast_regex(rx) for k, rx, _ in patterns}
        index: dict[str, list[str]] = {}
        self.alone = []
        for kind, _, words in patterns:
            heads = [re.match(r"\w+", w) for w in words]
            if self.fast[kind].rest is None or not all(heads):
                self.alone.append(kind)
                continue
            for head in sorted({h.group() for h in heads}):
                index.setdefault(head, []).append(kind)
        self.index = index
        alts = trie_regex([[re.escape(c) for c in w] for w in index]) if index else "(?!)"
        self.words = re.compile(f"(?:{alts})(?!\\w)")

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> dict[str, list]:
        """``{kind: list(regex.finditer(text, pos, endpos))}``."""
        endpos = len(text) if endpos is None else endpos
        found: dict[str, list] = {k: [] for k in self.kinds}
        free = dict.fromkeys(self.kinds, pos)  # where each pattern may match next
        for w in self.words.finditer(text, pos, endpos):
            p = w.start()
            for kind in self.index[w.group()]:
                if p < free[kind]:
                    continue
                f = self.fast[kind]
                if p and f.behind.match(text, p - 1):
                    continue
                m = f.rest.match(text, p, endpos)
                if m is not None:
                    found[kind].append(m)
                    free[kind] = m.end()
        for kind in self.alone:
            found[kind] = list(self.fast[kind].finditer(text, pos, endpos))
        return found


def _firsts(words: list[str], *, capital: bool = False) -> set[str]:
    out = {w.split()[0] for w in words}
    return out | {w[:1].upper() + w[1:] for w in out} if capital else out


CUE_KINDS = ("finite", "commitment", "participle", "relay", "document")


# --------------------------------------------------------------------------- finding spans


def more_words(text: str, n: int) -> bool:
    """``count_words(text) > n``, reading only the first ``n + 1`` words."""
    words = _COUNTED_WORD.finditer(text)
    return all(next(words, None) is not None for _ in range(n + 1))


def is_citation(para: str, cues: _Cues) -> bool:
    """A reference-list entry: an address, or a title in quotation marks beside a date."""
    # every address has "/" or "www." (most paragraphs have neither: the regex is skipped)
    if ("/" in para or "www." in para) and _URL.search(para):
        return True
    return bool(_TITLE_END.search(para) and _CITATION_DATE.search(para))


def _units(para: str, spans: list[tuple[int, int, int, int]], cues: _Cues) -> list[tuple[int, int]]:
    """Sentences of a paragraph, merged where a quotation runs across a sentence boundary, or
    where a quotation ending in ? or ! is followed by its short attribution ("“Why?” Rep.
    Randy Forbes (R-Va.) asked.")."""
    sents = split_sentences(para) or [(0, len(para))]
    units: list[list[int]] = []
    # the spans are sorted and disjoint, so their closing ends grow with their openings: a
    # quotation opened before the last unit's end runs past ``s0`` exactly when the last one
    # opened there does (sentences follow each other, so that end is at most ``s0``)
    opens = [o for o, _, _, _ in spans]
    for s0, s1 in sents:
        k = bisect_left(opens, units[-1][1]) if units else 0
        if (
            units
            and k
            and spans[k - 1][0] < s0 < spans[k - 1][3]
            or (
                units
                and para[units[-1][1] - 1] in '”"’'
                and s1 - s0 <= 80
                and bisect_left(opens, s1) == bisect_left(opens, s0)  # no quotation opens here
                and cues.finite.search(para, s0, s1)
            )
        ):
            units[-1][1] = s1
        else:
            units.append([s0, s1])
    return [(a, b) for a, b in units]


# --------------------------------------------------------------------------- speakers


@dataclass
class _Cand:
    start: int  # offsets in the paragraph
    end: int
    raw: str
    actor: str  # canonical name, "" when unknown
    kind: str  # person, organisation, country, document, pronoun, plural, name


class _Taken:
    """Disjoint spans, sorted: whether a span overlaps one of them, by bisection. Spans added
    are kept apart until :meth:`settle` (each kind of match is added in text order and never
    overlaps its own kind, so it is checked against the kinds before it only)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.new: list[tuple[int, int]] = []

    def overlaps(self, a: int, b: int) -> bool:
        # the one span starting last before b is the only one that can reach past a
        k = bisect_left(self.starts, b)
        return bool(k) and self.ends[k - 1] > a

    def add(self, a: int, b: int) -> None:
        self.new.append((a, b))

    def settle(self) -> None:
        if not self.new:
            return
        spans = sorted([*zip(self.starts, self.ends, strict=True), *self.new])
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.new = []


class _CandList(list):
    """The candidates of a unit, sorted by start, with what the speaker searches read of
    them in one bisection instead of a pass over all of them: starts, the largest end so far
    (``reach``), the index of the last candidate up to each one that is not an unknown name
    (``prev_other``), and the first candidate of some kinds that ends by a given offset."""

    def __init__(self, cands: list[_Cand]):
        super().__init__(cands)
        self.starts = [c.start for c in cands]
        self.reach, self.prev_other = [], []
        top, other = -1, -1
        for i, c in enumerate(cands):
            top = max(top, c.end)
            if c.kind != "name":
                other = i
            self.reach.append(top)
            self.prev_other.append(other)
        self._firsts: dict = {}

    def first_ending_by(self, limit: int, kinds: frozenset | None, not_kind: str | None) -> int:
        """The index of the first candidate (in order) with ``end <= limit``, of one of
        ``kinds`` (any when None) and not of kind ``not_kind``; -1 if none."""
        key = (kinds, not_kind)
        if key not in self._firsts:
            sub = [
                i for i, c in enumerate(self)
                if (kinds is None or c.kind in kinds) and c.kind != not_kind
            ]  # fmt: skip
            low, neg = 1 << 62, []  # minus the smallest end so far: it never decreases
            for i in sub:
                low = min(low, self[i].end)
                neg.append(-low)
            self._firsts[key] = (sub, neg)
        sub, neg = self._firsts[key]
        k = bisect_left(neg, -limit)
        return sub[k] if k < len(sub) else -1


# (not the first name of a longer one: "President Donald J. Trump" is not "Donald")
_TITLED_NAME = re.compile(r"[ \t]+([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)(?![\w’'])(?![ \t]+[A-Z])")


_LOOK_BACK = 2000  # characters of a segment searched back for the person a title names


@lru_cache(maxsize=256)
def _title_words(noun: str, titles: tuple[str, ...]) -> re.Pattern:
    """A description's noun capitalised, or one of its titles, as written before a name
    ("Judge", "Sen."): a lower-case "judge" before a capitalised word is not a title."""
    words = "|".join(re.escape(t) for t in (noun.capitalize(), *titles))
    return re.compile(rf"(?<![\w\-])(?:{words})(?![\w\-])")


@lru_cache(maxsize=256)
def _noun_word(noun: str) -> re.Pattern:
    """A description's noun as a whole word, in any case ("a Phoenix attorney")."""
    return re.compile(rf"(?<![\w\-]){re.escape(noun)}(?![\w\-])", re.IGNORECASE)


_COLON_BEFORE = re.compile(r"\s*:\s*[“\"]?$")
_COLON_KINDS = frozenset(["person", "name", "organisation", "description"])
# a party and state tag after a name: "(R-S.C.)", "(D-Calif.)", "(I)"
_TAG_BEFORE = re.compile(r"\s*\([DRI](?:-[A-Z][A-Za-z.]*)?\.?\)\s*$")


def _last_sentence_start(text: str) -> int:
    """Where the last sentence of ``text`` starts (0 when there is one)."""
    k = 0
    for m in re.finditer(r"[.?!][\"”’)]*\s+", text):
        k = m.end()
    return k


_NAME_BEFORE = re.compile(r"(?<![\w.])[A-Z][a-z]+[ \t]+$")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
_WORD_AT = re.compile(r"[A-Za-z]+")


def _inside_a_name(seg: str, a: int, b: int, kind: str, cues: _Cues) -> bool:
    """A one-word alias of a person that is part of a longer name: right after a capitalised
    word that is no title ("Caroline Harris" for the alias "Harris"), or right before one
    ("Brady Campaign"). Built actor tables give people their surnames alone."""
    if kind != "person" or " " in seg[a:b]:
        return False
    before = _NAME_BEFORE.search(seg, max(0, a - 24), a)
    if before is not None:
        word = before.group().split()[0].rstrip(".")
        if word not in cues.not_names and word not in cues.title_words:
            return True
    after = _NAME_AFTER.match(seg, b)
    if after is not None:
        word = _WORD_AT.match(seg, after.end() - 2).group()
        return word not in cues.not_names
    return False


def _candidates(masked: str, u0: int, u1: int, pat, lookup, cues: _Cues) -> _CandList:
    """Who could be speaking in ``masked[u0:u1]``: actors, pronouns, unknown names."""
    seg = masked[u0:u1]
    cands = []
    taken = _Taken()
    descs = [m.span() for m in cues.description.finditer(seg)]
    d_starts = [a for a, _ in descs]
    for m in fast_regex(pat).finditer(seg):
        a = lookup[m.group()]
        k = bisect_right(d_starts, m.start()) - 1
        if k >= 0 and m.end() < descs[k][1]:
            continue  # "a senior White House official", "the Obama campaign": they speak
        if _inside_a_name(seg, m.start(), m.end(), a["kind"], cues):
            continue  # "Harris" of "Caroline Harris" is not Kamala Harris
        cands.append(_Cand(u0 + m.start(), u0 + m.end(), m.group(), a["actor"], a["kind"]))
        taken.add(m.start(), m.end())
    taken.settle()
    found = cues.cand_words.scan(seg)
    for m in found["pronoun"]:
        kind = "pronoun" if m.group().lower() in cues.singular else "plural"
        cands.append(_Cand(u0 + m.start(), u0 + m.end(), m.group(), "", kind))
    # "the two leaders", "the Chinese leader", "it": resolved later from the text before
    for kind in ("pair", "role", "it"):
        for m in found[kind]:
            if taken.overlaps(m.start(), m.end()):
                continue
            taken.add(m.start(), m.end())
            cands.append(_Cand(u0 + m.start(), u0 + m.end(), m.group(), "", kind))
        taken.settle()
    for a, b in descs:
        if not taken.overlaps(a, b):
            taken.add(a, b)
            cands.append(_Cand(u0 + a, u0 + b, seg[a:b], "", "description"))
    taken.settle()
    for m in _NAME.finditer(seg):
        if taken.overlaps(m.start(), m.end()):
            continue
        # "Although Trump" is Trump; "Last Monday" is no one
        start, words = m.start(), m.group().split()
        while words and words[0] in cues.not_names:
            start = seg.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        if not words or words[-1] in cues.not_names:
            continue
        taken.add(start, m.end())
        cands.append(_Cand(u0 + start, u0 + m.end(), seg[start : m.end()], "", "name"))
    taken.settle()
    # one capitalised word: a surname ("Trump said"), used only right beside its verb
    for m in fast_regex(ONE_NAME).finditer(seg):
        w = m.group()
        if w in cues.not_names or w.lower() in cues.singular or w.lower() in cues.plural:
            continue
        if taken.overlaps(m.start(), m.end()):
            continue
        cands.append(_Cand(u0 + m.start(), u0 + m.end(), w, "", "name"))
    cands.sort(key=lambda c: c.start)
    return _CandList(cands)


def _clean_name(raw: str, cues: _Cues) -> str:
    """A name as written, less leading titles and sentence words ("But Trump" -> "Trump"),
    and whatever stands before a title inside it ("Polling Director Keating Holland" ->
    "Keating Holland")."""
    words = raw.split()
    while len(words) > 1 and words[0] in cues.not_names:
        words = words[1:]
    inner = [i for i, w in enumerate(words[:-1]) if w.rstrip(".") in cues.title_words]
    if inner:
        words = words[inner[-1] + 1 :]
    name = cues.titles.sub("", " ".join(words))
    return name or raw


# a time between a subject and its verb: "Trump on Friday said", "Pelosi last week told"
_WHEN_BEFORE = re.compile(
    r"\s+(?:(?:on|last|this|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|week|weekend|month|year|night|morning|afternoon|evening)"
    r"(?:\s+(?:night|morning|afternoon|evening))?$"
)
# a party and state after a name, set off by a comma: ", D-N.J.", ", R-Texas"
_PARTY_TAG = re.compile(r",\s*[DRI]-[A-Z][A-Za-z.]*\.?$")


def _limits(text: str, end: int, lo: int) -> list[int]:
    """Where the subject of a verb at ``end`` may end: right before it, or before a clause set
    off by commas ("X, who ..., said") or brackets ("John Cornyn (R-Texas) said")."""
    out = []
    b = end  # text[lo:b] is text[lo:end].rstrip()
    while b > lo and text[b - 1].isspace():
        b -= 1
    tag = _PARTY_TAG.search(text, max(lo, b - 16), b)
    if tag is not None:  # "Lautenberg, D-N.J. said": the tag stands where a bracket would
        return [tag.start()]
    last = text[b - 1] if b > lo else ""
    if last not in (")", ","):
        out.append(end)
        when = _WHEN_BEFORE.search(text, max(lo, b - 36), b)
        if when is not None:  # "Trump on Friday said": the subject stands before the time
            out.append(when.start())
    elif last == ")":
        k = text.rfind("(", lo, b)
        if k != -1:
            out.append(k)
    else:
        inner = b - 1
        for _ in range(4):  # an appositive may hold commas of its own ("Santa Barbara, CA")
            k = text.rfind(",", lo, inner)
            if k == -1:
                break
            out.append(k)
            inner = k
    return out


def _adjacent(text: str, a: int, b: int) -> bool:
    """``_ADJACENT.fullmatch(text[a:b] + " ")``, without copying ``text[a:b]``."""
    return _ADJACENT_TO.fullmatch(text, a, b) is not None


def _before_rev(cands: _CandList, text: str, limit: int):
    """The candidates ending by ``limit``, last first, less unknown names that are not right
    before it (``_adjacent``). An unknown name starts with a capital, which no text between
    a name and its verb holds: once one name ending by ``limit`` is passed, every earlier name
    fails, and the search jumps over them to the other candidates."""
    i = bisect_left(cands.starts, limit) - 1
    names_fail = False
    while i >= 0:
        c = cands[i]
        if c.kind == "name" and names_fail:
            i = cands.prev_other[i]
            continue
        if c.end <= limit:
            if c.kind != "name":
                yield c
            else:
                names_fail = True
                if _adjacent(text, c.end, limit):
                    yield c
        i -= 1


_AND = re.compile(r"\s+and\s+(?:the\s+)?")
_APPOSITIVE_END = re.compile(r"\s*,\s*")


def _appositive_name(cands: _CandList, text: str, comma: int, cue_start: int) -> _Cand | None:
    """The name or person that is all of the appositive between ``comma`` and a verb at
    ``cue_start`` (", Jay Sekulow, said"), or None."""
    i = bisect_left(cands.starts, comma)
    if i < len(cands):
        c = cands[i]
        if (
            c.kind in ("name", "person")
            and not text[comma + 1 : c.start].strip()
            and _APPOSITIVE_END.fullmatch(text, c.end, cue_start)
        ):
            return c
    return None


def _subject(cands: _CandList, text: str, cue_start: int, u0: int, joint=None) -> _Cand | None:
    """The nearest speaker before a cue, over a clause set off by commas; in "A and B", A —
    or the joint speaker of A and B when ``joint`` (actors -> joint actor or None) knows one."""
    for limit in _limits(text, cue_start, u0):
        # an unknown name counts only right before its verb ("John Smith said")
        before = _before_rev(cands, text, limit)
        best = next(before, None)
        if best is None:
            continue
        # the subject stands right before its verb, give or take an adverb or an auxiliary
        if not _adjacent(text, best.end, limit):
            continue
        if best.kind == "description" and limit < cue_start:
            named = _appositive_name(cands, text, limit, cue_start)
            if named is not None:  # "One of Trump's lawyers, Jay Sekulow, said"
                return named
        # coordinated speakers: the first named
        last = best
        group = [best]
        for c in before:
            if _AND.fullmatch(text, c.end, best.start):
                best = c
                group.append(c)
            else:
                break
        if joint is not None and len(group) == 2 and all(c.actor for c in group):
            # by actors, not countries: "China and Russia asked" in 2017 is not their leaders'
            # 2023 statement
            j = joint({c.actor for c in group}, exact=True, by_country=False)
            if j:
                return _Cand(best.start, last.end, text[best.start : last.end], j, "joint")
        return best
    return None


# before the subject of a sentence: nothing, or a conjunction or sentence adverb
_OPENER = re.compile(
    r"\s*(?:(?:But|And|So|Yet|However|Meanwhile|Still|Instead|Later|Earlier|Now|Then)\s*,?\s+)?"
)


def governs(text: str, m, o: int, c: int) -> bool:
    """A weak cue (``commitment``) governs the quotation ``text[o:c]`` when it comes right
    before it ("agreed on “…”", "agreed that Russia and China “…”": at most 40 characters, no
    clause break) or right after it ("“…,” agrees Senator Cruz")."""
    if m.end() <= o:
        gap = text[m.end() : o]
        if re.fullmatch(r"\s*:\s*", gap):  # "Keating Holland agreed: “…”"
            return True
        return len(gap) <= 40 and not re.search(r"[.;:!?]|,\s*(?:and|but)\b", gap)
    return m.start() >= c and re.fullmatch(r"[\s,—–\-]*", text[c : m.start()]) is not None


_SUBJECT_KINDS = frozenset(
    ["person", "pronoun", "plural", "pair", "role", "group", "organisation", "country",
     "description"]
)  # fmt: skip


def _clause_subject(cands: list[_Cand], text: str, u0: int, cue_start: int) -> _Cand | None:
    """The subject of the sentence, for a verb of saying that has none right before it
    ("The two leaders discussed ... and committed to “…”"): a speaker that opens the sentence,
    is followed by a lower-case word (its verb), and has no other person, name or group
    between it and the verb of saying."""
    # (every candidate of the unit starts at u0 or after)
    i = cands.first_ending_by(cue_start, None, None)
    if i == -1 or cands[i].kind not in _SUBJECT_KINDS:
        return None
    first = cands[i]
    if not _OPENER.fullmatch(text, u0, first.start):
        return None
    if not re.match(r"\s+[a-z]", text[first.end : first.end + 3]):
        return None
    # another named speaker in between may be the verb's own subject ("..., Bill Clinton who
    # said"): then nobody
    i += 1
    while i < len(cands) and cands[i].start < cue_start:
        c = cands[i]
        if c.end <= cue_start and c.kind not in ("pronoun", "country", "it"):
            return None
        i += 1
    # (text[first.end] is white space: the lookbehind reads the same as in a copy)
    if _FIRST_PERSON.search(text, first.end, cue_start):
        return None  # "he demurred when I asked": the verb has a subject of its own
    return first


_FIRST_PERSON = re.compile(r"(?<![\w’'])(?:I|[Ww]e|[Yy]ou)(?![\w’'])")


def _after(cands: _CandList, text: str, pos: int, *, reach: int = 12) -> _Cand | None:
    cues = cue_tables()
    gap = cues.name_gap
    for i in range(bisect_left(cands.starts, pos), len(cands)):
        c = cands[i]
        if c.start > pos + max(reach, 40):
            break
        if c.kind != "it" and (
            c.start <= pos + reach
            and _LEAD.fullmatch(text, pos, c.start)
            or c.kind in ("name", "person", "organisation", "country", "place")
            and cues.name_lead.fullmatch(text, pos, c.start)
        ):
            # titles, places and roles before the name: "said Texas GOP Rep. Bill Flores",
            # "said Senate Republican Conference Chairman John Thune", "said GLAAD
            # spokesperson Wilson Cruz", "said conservative GOP Rep. Mick Mulvaney"
            while (
                c.kind in ("name", "organisation", "country", "place", "description")
                and i + 1 < len(cands)
                and cands[i + 1].kind in ("name", "person")
                and gap.fullmatch(text, c.end, cands[i + 1].start)
            ):
                i += 1
                c = cands[i]
            return c
    return None


_SEPARATORS = re.compile(r"[\s,—–\-]*")
# an adjective of nationality right before a title ("Turkish President", "Chinese Premier"):
# a foreign office-holder, not whom "the president" of the story stands for
_FOREIGN_BEFORE = re.compile(r"(?<![\w\-])[A-Z][a-z]+(?:an|ese|ish|i)\s+$")
# a lower-case noun of a group right after a capitalised name: "Black Lives Matter movement"
_GROUP_AFTER = re.compile(
    r"\s+(?:movement|group|campaign|organi[sz]ation|party|network|coalition|alliance|committee|"
    r"foundation|institute|company|firm|agency|activists|protesters|supporters)(?![\w\-])"
)
# description nouns that name a group, never one person: "the family said"
_COLLECTIVE = frozenset(["family", "guild", "group", "union", "company", "agency", "network"])
# a phrase of place or time opening a sentence, before its comma
_LEADING_PHRASE = re.compile(
    r"\s*(?:In|At|On|After|During|From|Near|Outside|Inside|Across|Before|Since|Throughout|Back "
    r"in)\s[^,.;:?!]*"
)
_PERSONS = frozenset(["person", "pronoun", "name"])


def _cue_speaker(kind, m, cands, text, u0, closes, finite_hits, joint=None) -> _Cand | None:
    """The speaker a cue names. ``closes``: where the unit's quotations end (sorted);
    ``finite_hits``: the finite cues before it that named a speaker, as ``(ends, cands)``
    (finite cues never overlap, so their ends are sorted)."""
    n_closed = bisect_right(closes, m.start())  # quotations closed by the cue
    lo = max(u0, closes[n_closed - 1]) if n_closed else u0
    if kind == "relay":
        cue = m.group()
        if cue.lower() in ("reported", "reports", "quoted", "cited"):
            return _subject(cands, text, m.start(), lo)
        return _after(cands, text, m.end(), reach=8)
    if kind == "participle":
        ends, named = finite_hits
        k = bisect_right(ends, m.start())
        if k:
            return named[k - 1]
        i = cands.first_ending_by(m.start(), _PERSONS, "it")
        if i == -1:
            i = cands.first_ending_by(m.start(), None, "it")
        if i == -1:
            return None
        # a name in a phrase that opens the sentence is not its subject: "In downtown
        # Gilbert on Friday evening, Charles Couch agreed ..., saying"
        while _LEADING_PHRASE.fullmatch(text, u0, cands[i].start):
            i = next(
                (j for j in range(i + 1, len(cands))
                 if cands[j].end <= m.start() and cands[j].kind in _PERSONS),
                -1,
            )  # fmt: skip
            if i == -1:
                return None
        return cands[i]
    # finite: "“...,” said X" — the speaker follows the verb right after a quotation
    if n_closed and _SEPARATORS.fullmatch(text, closes[n_closed - 1], m.start()):
        after = _after(cands, text, m.end())
        if after is not None:
            return after
    # a verb after a quotation takes its subject from between the two ("“...,” Wang stated")
    subj = _subject(cands, text, m.start(), lo, joint)
    if subj is None and not n_closed:
        # "X discussed ... and committed to “…”": the subject of the sentence
        subj = _clause_subject(cands, text, u0, m.start())
    return subj


_NEXT_WORD = re.compile(r"\s+([a-z][\w\-]*)")


def _dist(r, o: int, c: int) -> int:
    """How far the cue of ``r = (match, kind, cand)`` is from the quotation ``[o, c)``."""
    m = r[0]
    return o - m.end() if m.end() <= o else max(0, m.start() - c)


class _Nearest:
    """Cues ``(match, kind, cand)`` in text order (sorted by start): the one nearest to a
    quotation, as ``min(items, key=_dist)`` (the first of the nearest) finds it, in two
    bisections (a list of up to 8 is read whole). A cue starting at or after the closing mark ``c`` is ``start - c`` away: the
    first of those is the nearest. A cue starting before ``c`` is ``max(0, o - end)`` away
    (one that ends after ``o`` and starts before ``c`` is 0 away): the first whose end
    reaches ``min(o, largest end)`` is the nearest, and the running largest end tells where
    that is."""

    __slots__ = ("items", "starts", "reach")

    def __init__(self, items: list):
        self.items = items
        self.starts = self.reach = None  # built on the first query of a long list

    def __bool__(self) -> bool:
        return bool(self.items)

    def nearest(self, o: int, c: int):
        items = self.items
        if len(items) <= 8:  # a few cues (most units): read them all
            return min(items, key=lambda r: _dist(r, o, c))
        if self.starts is None:
            self.starts = [r[0].start() for r in items]
            self.reach, top = [], -1
            for r in items:
                top = max(top, r[0].end())
                self.reach.append(top)
        k = bisect_left(self.starts, c)
        if k == 0:
            return items[0]
        i = bisect_left(self.reach, min(o, self.reach[k - 1]), 0, k)
        if k < len(items) and _dist(items[k], o, c) < _dist(items[i], o, c):
            return items[k]
        return items[i]


class _Pools:
    """A unit's resolved cues, sorted into the lists :meth:`_Attribution.nearest_cue` picks a quotation's
    cue from: the strong cues (all but ``commitment``) and the verbs of saying among them,
    each also less those that named nobody, fixed for the unit; and the weak cues that govern
    a given quotation (:meth:`governing`), found by bisection: only the weak cues ending at
    most 40 characters before it, or following right after it, can."""

    def __init__(self, resolved: list, text: str):
        self.text = text
        self.any_strong = [r for r in resolved if r[1] != "commitment"]
        self.speech = [r for r in self.any_strong if r[1] in ("finite", "participle")]
        # weak cues never overlap (one pattern, matched left to right): ends sorted too
        self.weak = [r for r in resolved if r[1] == "commitment"]
        self.weak_ends = [r[0].end() for r in self.weak]
        self._lists: dict = {}  # the bisection tables, built when first asked for

    def _list(self, name: str) -> _Nearest:
        if name not in self._lists:
            items = self.speech if name.startswith("speech") else self.any_strong
            if name.endswith("named"):
                items = [r for r in items if r[2]]
            self._lists[name] = _Nearest(items)
        return self._lists[name]

    @property
    def strong(self) -> _Nearest:
        return self._list("strong")

    @property
    def strong_named(self) -> _Nearest:
        return self._list("strong_named")

    @property
    def speech_named(self) -> _Nearest:
        return self._list("speech_named")

    def governing(self, o: int, c: int) -> list:
        """``[r for r in weak if governs(text, r[0], o, c)]``."""
        weak, ends, text = self.weak, self.weak_ends, self.text
        if not weak:
            return []
        out = [
            weak[k]
            for k in range(bisect_left(ends, o - 40), bisect_right(ends, o))
            if governs(text, weak[k][0], o, c)
        ]
        # after the quotation: a cue whose gap fails makes every later one fail (its gap holds
        # the failing gap); cues ending after o but starting before c never govern
        k = bisect_right(ends, o)
        while k < len(weak) and weak[k][0].start() < c:
            k += 1
        while k < len(weak) and governs(text, weak[k][0], o, c):
            out.append(weak[k])
            k += 1
        return out


def _last_right_before(cands: _CandList, text: str, o: int) -> _Cand | None:
    """The last candidate (in order) ending at ``o`` or before it with only white space
    between: ``[x for x in cands if x.end <= o and not text[x.end:o].strip()][-1]``."""
    e = o  # text[e:o] is the white space right before o
    while e and text[e - 1].isspace():
        e -= 1
    # only candidates starting before o can end by it; none before the first whose running
    # largest end reaches e can end at e or after
    lo = bisect_left(cands.reach, e)
    for i in range(bisect_left(cands.starts, o) - 1, lo - 1, -1):
        if e <= cands[i].end <= o:
            return cands[i]
    return None


_WORD_BEFORE = re.compile(r"[A-Za-z]+[’']s$")
_CONTRACTED = frozenset(
    [
        "that's",
        "it's",
        "what's",
        "there's",
        "here's",
        "he's",
        "she's",
        "who's",
        "let's",
        "where's",
        "how's",
    ]
)


def _label(para: str, o: int, c: int, cues: _Cues) -> bool:
    """A short phrase used as the name of a thing: 'the “no limits” alliance', 'Xi’s “peace” plan'.

    Reads only the characters next to the marks (no copy of the text before or after them):
    the white space right before ``o`` (back to the last non-space character, which is at or
    after the previous quotation's closing mark, so every character is read at most once per
    paragraph) and the last four characters of the word before it."""
    nxt = _NEXT_WORD.match(para, c)
    if not nxt or nxt.group(1) in cues.not_label_after:
        return False
    e = o  # the word before the marks ends at e (white space skipped)
    while e and para[e - 1].isspace():
        e -= 1
    if not e:
        return False
    if para[max(0, e - 3) : e] in ("the", "The") and (e == 3 or para[e - 4].isspace()):
        return True
    if para[max(0, e - 2) : e] not in ("’s", "'s", "s’", "s'"):
        return False
    # "That's “smart,”" is a contraction, not a possessive: not a label
    word = _WORD_BEFORE.search(para, max(0, e - 12), e)
    return not (word and word.group().lower().replace("’", "'") in _CONTRACTED)


# the word right before a title of a work or programme in quotation marks: "anchor of “State of
# the Union”", "told “Fox News Sunday”", "appeared on “Meet the Press”"
_TITLE_BEFORE = re.compile(
    r"(?<![\w’'])(?:of|on|in|for|from|with|to|told|hosts?|hosted|anchors?|anchored)\s*[“\"]?$"
)
_TITLE_SMALL = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "vs",
        "vs.",
        "v.",
        "&",
        "de",
        "la",
        "le",
    ]
)


def _work_title(para: str, o: int, c: int) -> bool:
    """A short span in Title Case right after a preposition, "told" or "host(ed)": the title of
    a work or programme ("anchor of “State of the Union,”", "told “Fox News Sunday”"), a
    phrase, not words someone said. Every word capitalised but the small ones (of, the …)."""
    if not _TITLE_BEFORE.search(para, max(0, o - 12), o):
        return False
    words = para[o:c].strip('“”" \t').rstrip(",.;:!?").split()
    if not words or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _TITLE_SMALL for w in words)


def _named_as(para: str, o: int, cues: _Cues) -> bool:
    """Quoted words introduced as a name: 'known as “guaranteed issue”', 'is called “X”'."""
    return cues.label_before.search(para, max(0, o - 30), o) is not None


def _people(item, pat, lookup, cues: _Cues) -> list:
    """Person mentions of one history segment ``[offset, text, paragraph]``, found once:
    actors of kind person and full names missing from the actor table, as (offset, end,
    name). Possessives ("Trump's") are left out: they are rarely the one who speaks next.
    The item keeps them, and the spans of every actor and name found, for :func:`_singles`."""
    if len(item) == 3:
        off, seg = item[0], item[1]
        people, taken = [], []

        def possessive(end):
            return seg[end : end + 2] in ("’s", "'s")

        for m in fast_regex(pat).finditer(seg):
            a = lookup[m.group()]
            if _inside_a_name(seg, m.start(), m.end(), a["kind"], cues):
                continue  # the longer name is found below
            taken.append((m.start(), m.end()))
            if a["kind"] == "person" and not possessive(m.end()):
                people.append((off + m.start(), off + m.end(), a["actor"]))
        for m in _NAME.finditer(seg):
            if any(m.start() < y and m.end() > x for x, y in taken):
                continue
            name = _clean_name(m.group(), cues)
            last = name.split()[-1]
            if _GROUP_AFTER.match(seg, m.end()):
                continue  # "the Black Lives Matter movement": a group's name, no person
            if " " in name and last not in cues.not_names and last not in cues.not_person_end:
                taken.append((m.start(), m.end()))
                if not possessive(m.end()):
                    people.append((off + m.end() - len(name), off + m.end(), name))
        people.sort()
        taken.sort()
        item.extend([people, taken, None])
    return item[3]


def _person_aliases(lookup: dict) -> dict[str, tuple[str, ...]]:
    """Last word of each person actor's canonical name -> the aliases that name it."""
    out: dict[str, list[str]] = {}
    for alias, a in lookup.items():
        if a["kind"] == "person":
            out.setdefault(a["actor"].rsplit(" ", 1)[-1], []).append(alias)
    return {k: tuple(v) for k, v in out.items()}


def _singles(item, pat, lookup, cues: _Cues) -> list:
    """Capitalised single words of a history segment outside its actor and name mentions, not
    possessive, as (offset, end, word): found once, when first needed (only the paragraph of
    a pronoun and the one before are read for them)."""
    _people(item, pat, lookup, cues)
    if item[5] is None:
        off, seg, taken = item[0], item[1], item[4]
        starts = [x for x, _ in taken]
        out = []
        for m in fast_regex(MENTION).finditer(seg):
            w, s, e = m.group(), m.start(), m.end()
            if w in cues.not_names or seg[e : e + 2] in ("’s", "'s"):
                continue
            # the spans taken are disjoint and sorted: only the last one that starts before
            # the word ends can overlap it
            k = bisect_left(starts, e)
            if k and taken[k - 1][1] > s:
                continue
            out.append((off + s, off + e, w))
        item[5] = out
    return item[5]


class _Antecedents:
    """Whom "he" or "she" stands for, in one article (:meth:`find`).

    In order: the last person named before it in the same paragraph (a bare surname counts
    as the last full name ending in it among the 40 segments read before); the speaker of a
    quotation in the paragraph before; the last person in the paragraph before who is the
    subject of a verb of saying ("Harkin, however, said ..."). Otherwise nobody: a wrong
    speaker is worse than none (on a hand-checked sample of another corpus, resolving to the
    last person named anywhere was right less than half the time). The last word of a person
    actor's name gives its aliases (``ctx.hints``, :func:`_person_aliases`), to skip segments
    that cannot name the person a surname stands for.

    The memos keep what does not depend on the pronoun's place while the text read so far
    stays the same (``state``): the surnames resolved (``known``), each segment's mentions
    (``resolving``) and what each segment of the paragraph before gives (``prev``); a
    segment's persons by the last word of their names (``tables``) are kept for the article.
    Many pronouns in one long paragraph then cost a bisection each, not a pass over all the
    names before them.
    """

    def __init__(self, ctx: _Ctx):
        self.ctx = ctx
        self.tables: dict[int, dict] = {}  # segment offset -> {last word: last person}
        self.state: tuple | None = None  # (segments read, segments before the pronoun)
        self.before: list = []  # the segments read before the pronoun (of the last 40)
        self.known: dict[str, str | None] = {}  # surname -> last person named with it
        self.resolving: dict[int, list] = {}  # segment offset -> its mentions, sorted
        self.prev: dict[int, str | None] = {}  # segment offset -> the speaker it names

    def find(
        self, history: list, pos: int, para: int, last, last_para: int, pronoun: str = ""
    ) -> str | None:
        """Whom "he" or "she" at article offset ``pos`` of paragraph ``para`` stands for, or
        None; ``last``, ``last_para``: the last single speaker and its paragraph. A person
        named with a title of the other sex right before ("Mr. Assad" for "she") is passed
        over."""
        window = history[-40:]
        before = []
        for item in window:
            if item[0] >= pos:
                break
            before.append(item)
        state = (len(history), len(before))
        if self.state != state:
            self.state, self.known, self.resolving, self.prev = state, {}, {}, {}
        self.before = before
        for item in reversed(window):
            if item[2] == para:
                ms = self.mentions(item)
                k = bisect_left(ms, (pos,))  # the mentions starting before pos
                for j in range(k - 1, max(-1, k - 4), -1):  # three back at most
                    o = ms[j][0] - item[0]
                    if not _other_sex(item[1][max(0, o - 6) : o], pronoun):
                        return ms[j][2]
        if last is not None and last_para == para - 1:
            return last[0]
        before_para = [it for it in reversed(window) if it[2] == para - 1]
        for item in before_para:
            if item[0] not in self.prev:  # (all of the paragraph before is before pos)
                self.prev[item[0]] = _subject_before(item, self.mentions(item), self.ctx.cues)
            if self.prev[item[0]] is not None:
                return self.prev[item[0]]
        for item in before_para:
            key = -1 - item[0]  # the memo's second rule for the segment
            if key not in self.prev:
                self.prev[key] = _sentence_subject(item, self.mentions(item), self.ctx.cues)
            if self.prev[key] is not None:
                return self.prev[key]
        return None

    def persons_by_surname(self, item) -> dict:
        """A segment's persons by the last word of their names (the last one wins)."""
        if item[0] not in self.tables:
            ctx, table = self.ctx, {}
            for _, _, name in _people(item, ctx.pat, ctx.lookup, ctx.cues):
                table[name.rsplit(" ", 1)[-1]] = name
            self.tables[item[0]] = table
        return self.tables[item[0]]

    def surname(self, w: str) -> str | None:
        """The last person named before whose name ends in ``w``. A segment can name one only
        if it holds ``w`` or an alias of an actor whose name ends in ``w`` (persons are found
        in a segment only when first needed: most are never read); every person found is named
        by ``w`` or one of those aliases, so the test is implied where the segment's table is
        at hand, and a long segment gets its table at once (the test would read all of it for
        every surname)."""
        if w not in self.known:
            self.known[w] = None
            words = (w, *self.ctx.hints.get(w, ()))
            for item in reversed(self.before):
                if (
                    item[0] in self.tables
                    or len(item[1]) > _LONG
                    or any(x in item[1] for x in words)
                ):
                    name = self.persons_by_surname(item).get(w)
                    if name is not None:
                        self.known[w] = name
                        return name
        return self.known[w]

    def mentions(self, item) -> list:
        """Every mention of a segment, sorted: persons, and capitalised words standing for a
        person named before."""
        if item[0] not in self.resolving:
            ctx = self.ctx
            people = _people(item, ctx.pat, ctx.lookup, ctx.cues)
            singles = _singles(item, ctx.pat, ctx.lookup, ctx.cues)
            found = [(o, e, full) for o, e, w in singles if (full := self.surname(w))]
            self.resolving[item[0]] = sorted([*people, *found])
        return self.resolving[item[0]]


_MALE_TITLE = re.compile(r"\bMr\.?\s+$")
_FEMALE_TITLE = re.compile(r"\b(?:Mrs|Ms)\.?\s+$")


def _other_sex(before: str, pronoun: str) -> bool:
    """Whether a title right before a name contradicts the pronoun ("Mr." for "she")."""
    p = pronoun.lower()
    if p == "she":
        return _MALE_TITLE.search(before) is not None
    if p == "he":
        return _FEMALE_TITLE.search(before) is not None
    return False


def _subject_before(item, mentions: list, cues: _Cues) -> str | None:
    """The last person of ``mentions`` in segment ``item`` who is the subject of a verb of
    saying ("Harkin said", "Harkin, however, said"), or None."""
    for _, e, name in reversed(mentions):
        rest = item[1][e - item[0] : e - item[0] + 60]
        if _ADJACENT.match(rest) and cues.finite.match(rest, _ADJACENT.match(rest).end()):
            return name
        m = re.match(r",[^,]{1,60},\s*", rest)  # "Harkin, however, said"
        if m and cues.finite.match(rest, m.end()):
            return name
    return None


# where a sentence of a segment starts: the segment's start or after a full stop
_SENTENCE_START = re.compile(r"(?:^|(?<=[.?!])[\"”’)]*\s+)(?=\S)")
# what may stand before a sentence's subject: an opening phrase set off by a comma ("When
# asked about the nominee, Thune ..."), then at most four words that describe the person
# ("Civil rights activist Jarrett Maupin"), none of them a word that makes the name an object
_BEFORE_SUBJECT = re.compile(r"(?:[^,.;:?!]{0,80},\s+)?(?:[\w\-’'.]+\s+){0,4}")
# after a subject: its verb (a lower-case word) or an appositive; not a line that is a name
# alone ("Story Continued Below")
_AFTER_SUBJECT = re.compile(r"\s*,|\s+(?:[a-z]|\(|[A-Z][a-z]?\.)")
_SAYS_BEFORE = re.compile(r"(?<![\w\-])(?:says|said)\s+$")


def _sentence_subject(item, mentions: list, cues: _Cues) -> str | None:
    """The person who is the subject of the last sentence of segment ``item`` that has a
    person for subject ("Marci Kratter, a Phoenix attorney who ..., said she is concerned";
    "Going into the debate, Obama was upbeat."), or one named right after a verb of saying
    ("..., says Kathy Cramer, a political scientist"): whom a "he" or "she" opening the next
    paragraph stands for when no quotation and no verb of saying right after a name there
    says so (:meth:`_Antecedents.find`). A person that a preposition or a verb makes an
    object ("For Trump, ...", "told Obama") is not a subject."""
    off, seg = item[0], item[1]
    starts = [m.end() for m in _SENTENCE_START.finditer(seg)]  # after the white space
    best, last_k = None, -2
    for o, e, name in mentions:  # sorted: the first of a sentence is the first seen there
        s = o - off
        if s < 0 or s > len(seg):
            continue
        k = bisect_right(starts, s) - 1
        first, last_k = k != last_k, k
        lead = seg[starts[k] if k >= 0 else 0 : s]
        if _SAYS_BEFORE.search(lead[-12:]):
            best = name
        elif first and _BEFORE_SUBJECT.fullmatch(lead) and _AFTER_SUBJECT.match(seg, e - off):
            words = lead.split()
            if not (words and words[-1].lower().strip(",") in cues.object_words):
                best = name
    return best


_WORDS_BEFORE = re.compile(r"(?:[A-Z][a-z]+\s+){1,3}$")


_LONG = 5000  # characters: a segment this long is indexed once rather than searched per query
_CAPITALISED = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]*")


def _full_name(
    history, surname: str, cues: _Cues, *, reach: int = 60, memo: dict | None = None
) -> str | None:
    """The last full name ending in ``surname`` written earlier in the article: one to three
    capitalised words right before it, less titles ("Mayor Mitch Landrieu" -> "Mitch
    Landrieu").

    ``memo`` (one dict per article) keeps, for each segment read, where its capitalised words
    start and what each surname gave there: a segment's answer depends on its text alone, so
    every segment is read once per surname and indexed once, however many quotations ask."""
    for item in reversed(history[-reach:]):
        if memo is None:
            name = _full_name_in(item[1], surname, cues)
        else:
            key = (item[0], surname)
            if key not in memo:
                memo[key] = _full_name_in(item[1], surname, cues, memo.setdefault(item[0], {}))
            name = memo[key]
        if name is not None:
            return name
    return None


def _name_ending_at(seg: str, i: int, surname: str, cues) -> str | None:
    """The full name (two words or more) whose surname stands at ``seg[i:]``, if any."""
    after = seg[i + len(surname) : i + len(surname) + 1]
    if after and (after.isalnum() or after in "_’'"):
        return None
    m = _WORDS_BEFORE.search(seg, max(0, i - 60), i)
    if not m:
        return None
    name = _clean_name(m.group() + surname, cues)
    return name if " " in name else None


def _full_name_in(seg: str, surname: str, cues: _Cues, index: dict | None = None) -> str | None:
    """:func:`_full_name` in one segment: the last hit. With ``index`` (filled on first use:
    each run of ASCII letters that opens with a capital, not glued to a letter before it ->
    where it starts), only the places where ``surname`` can be a hit are read: a hit follows
    white space and is not followed by a letter, so the run there is the surname's own first
    run of letters."""
    head = re.match(r"[A-Z][A-Za-z]*", surname)
    if index is not None and head and len(seg) > _LONG:
        if not index:
            index[""] = []  # built (no run is empty)
            for m in _CAPITALISED.finditer(seg):
                index.setdefault(m.group(), []).append(m.start())
        for i in reversed(index.get(head.group(), ())):
            if seg.startswith(surname, i):
                name = _name_ending_at(seg, i, surname, cues)
                if name is not None:
                    return name
        return None
    hits = []
    i = seg.find(surname)
    while i != -1:
        name = _name_ending_at(seg, i, surname, cues)
        if name is not None:
            hits.append(name)
        i = seg.find(surname, i + 1)
    return hits[-1] if hits else None


# --------------------------------------------------------------------------- groups, documents


@dataclass(frozen=True)
class _Ctx:
    """What the resolvers of plural, document and role speakers need of the actor table."""

    pat: re.Pattern
    lookup: dict  # alias -> {actor, type, kind}
    cues: _Cues
    types: dict  # actor -> type
    countries: dict  # actor -> its country (a country is its own), when the table says
    joints: tuple  # (joint actor, frozenset of members, frozenset of their countries)
    hints: dict  # last word of a person actor's name -> its aliases
    notes: dict  # actor -> its description in the actor table, lower-cased ("president of china")

    def named(self, text: str) -> set[str]:
        return {self.lookup[m.group()]["actor"] for m in self.pat.finditer(text)}

    def joint(self, actors: set[str], *, exact: bool = False, by_country: bool = True, named=None):
        """The joint speaker of ``actors``: with ``exact``, the joint actor whose members are
        ``actors`` ("Xi and Putin agreed"), or, ``by_country``, whose members' countries are
        ("China and Russia"); otherwise one whose members, or their countries, are all among
        them (a sentence naming the two). With ``named`` (the actors the article has named so
        far), only a joint actor the article itself names: a joint statement is a dated
        document, and "China and Russia … they said" in another year or "Biden and Kishida
        issued a joint statement" is not it. None if none."""
        countries = {self.countries.get(a) for a in actors} - {None}
        for actor, members, member_countries in self.joints:
            if named is not None and actor not in named:
                continue
            if exact:
                if members == actors or (
                    by_country and member_countries and member_countries == countries
                    and len(actors) == len(members)
                ):  # fmt: skip
                    return actor
            elif members <= actors or (member_countries and member_countries <= countries):
                return actor
        return None


def _context(actors: pd.DataFrame, pat, lookup, cues: _Cues, types: dict) -> _Ctx:
    """Countries of actors (a country, or the demonym that begins an actor's type: "Chinese
    official" -> China) and joint speakers: an actor of kind ``document`` named
    "A–B <noun>" where A and B are aliases of two other actors ("Xi–Putin joint statement")."""
    info = {r.actor: (r.kind, r.type) for r in actors.drop_duplicates("actor").itertuples()}

    def country(name):
        a = lookup.get(name)
        return a["actor"] if a else name

    countries = {}
    for actor, (kind, typ) in info.items():
        if kind == "country":
            countries[actor] = actor
            continue
        for dem, name in cues.demonyms.items():
            if typ == dem or typ.startswith(dem + " "):
                countries[actor] = country(name)
                break
    joints = []
    for actor, (kind, _) in info.items():
        if kind != "document" or not actor.split():
            continue
        parts = re.split(r"[–—\-]", actor.split()[0])
        members = [lookup[p]["actor"] if p in lookup else p if p in info else None for p in parts]
        if len(members) < 2 or None in members or len(set(members)) < len(members):
            continue
        cs = [countries.get(m) for m in members]
        ok = None not in cs and len(set(cs)) == len(cs)
        joints.append((actor, frozenset(members), frozenset(cs) if ok else frozenset()))
    notes = {
        r.actor: str(r.note or "").lower()
        for r in actors.drop_duplicates("actor").itertuples()
        if "note" in actors.columns
    }
    return _Ctx(pat, lookup, cues, types, countries, tuple(joints), _person_aliases(lookup), notes)


_ENDED = re.compile(r"[.?!][”\"’)]*\s*$")


def _sentences_back(history, pos: int, first_para: int, *, reach: int = 40):
    """Sentences of the text read so far, last first, the one holding ``pos`` cut there:
    (article offset, text, paragraph), down to paragraph ``first_para``."""
    for item in reversed(history[-reach:]):
        off = item[0]
        if off >= pos:
            continue
        if item[2] < first_para:
            break
        seg = item[1][: pos - off]
        for a, b in reversed(split_sentences(seg)):
            yield off + a, seg[a:b], item[2]


def _pair_speaker(history, pos: int, ctx: _Ctx, named: set[str]) -> str | None:
    """A pair ("the two leaders", "both sides"): the joint speaker of the last sentence that
    names the two (or the joint document itself), reading back from ``pos``."""
    if not ctx.joints:
        return None
    for _, sent, _ in _sentences_back(history, pos, -1):
        j = ctx.joint(ctx.named(sent), named=named)
        if j:
            return j
    return None


# "Xi and Putin", "the Guardian and the Post": two capitalised names joined by "and"
_COORDINATED = re.compile(
    r"(?<![\w’'])[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}\s+(?:and|&)\s+(?:the\s+)?"
    r"[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}"
)


def _they_speaker(
    history, pos: int, para: int, ctx: _Ctx, plural_refs: dict, named: set[str]
) -> str | None:
    """Whom "they" stands for: the joint speaker of its antecedent, the last plural antecedent
    in its paragraph before it or in the last sentence of the paragraph before — a pair
    description ("the two countries"), two names joined by "and", an earlier "they" that spoke,
    or two actors (or their countries) named in one sentence. None when the antecedent has no
    joint speaker in the actor table ("the Guardian and the Post") or none is found: a wrong
    speaker is worse than none."""
    for off, sent, p in _sentences_back(history, pos, para - 1):
        items = [(m.start(), "pair", off + m.start()) for m in ctx.cues.pair.finditer(sent)]
        for m in _COORDINATED.finditer(sent):
            j = ctx.joint(ctx.named(m.group()), exact=True, named=named)
            items.append((m.start(), "and", j))
        for m in ctx.cues.pronoun.finditer(sent):
            if off + m.start() in plural_refs:
                items.append((m.start(), "they", off + m.start()))
        if items:
            _, what, ref = max(items)
            if what == "pair":
                return _pair_speaker(history, ref, ctx, named)
            return (plural_refs[ref] or None) if what == "they" else ref  # "and": joint or none
        j = ctx.joint(ctx.named(sent), named=named) if ctx.joints else None
        if j or p < para:
            return j
    return None


_POSSESSIVE_END = re.compile(r"(?:[’']s|s[’'])\s+((?:[\w\-]+\s+){0,3})$")
_NP_STOP = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "of",
    "in", "on", "to", "and", "or", "by", "for", "with", "from", "was", "is", "as", "at", "which",
})  # fmt: skip


def _owner_here(seg: str, s: int, e: int, ctx: _Ctx) -> tuple[str, int, int] | None:
    """The author of the document named at ``seg[s:e]`` from the words around it: "Mr Xi’s
    plan", "the official Russian statement", "the statement from Xi and Putin" -> (speaker,
    start, end of the words naming the author)."""
    before = seg[max(0, s - 80) : s]
    base = max(0, s - 80)
    m = _POSSESSIVE_END.search(before)
    if m:
        apo = base + m.start()
        for a in ctx.pat.finditer(seg, max(0, apo - 60), apo):
            if a.end() == apo:
                return ctx.lookup[a.group()]["actor"], a.start(), a.end()
    # modifiers: "the official Russian statement", "the U.S. plan"
    words = list(re.finditer(r"[^\s]+", before))[-3:]
    for w in reversed(words):
        if w.group().lower() in _NP_STOP or w.group().endswith(("’s", "'s", "s’", "s'")):
            break
        for dem, country in ctx.cues.demonyms.items():
            if w.group() == dem.split()[-1] and before[: w.end()].endswith(dem):
                a = ctx.lookup.get(country)
                return (a["actor"] if a else country), base + w.end() - len(dem), base + w.end()
        if w.group() in ctx.lookup:
            return ctx.lookup[w.group()]["actor"], base + w.start(), base + w.end()
    # "the statement from Xi and Putin", "the report by the Associated Press"
    m = _BY.match(seg, e)  # (in place: a copy of the rest of the paragraph per cue is quadratic)
    if m:
        a = ctx.pat.match(seg, m.end())
        if a:
            first = ctx.lookup[a.group()]["actor"]
            b = _AND_ONLY.match(seg, a.end())
            b = ctx.pat.match(seg, b.end()) if b else None
            if b:
                j = ctx.joint({first, ctx.lookup[b.group()]["actor"]}, exact=True, by_country=False)
                if j:
                    return j, a.start(), b.end()
            return first, a.start(), a.end()
    return None


_BY = re.compile(r"\s+(?:from|by|of|issued\s+by)\s+")
_AND_ONLY = re.compile(r"\s+and\s+")


def _doc_owner(history, pos: int, seg: str, s: int, e: int, ctx: _Ctx):
    """Author of the document named at ``seg[s:e]`` (``seg`` starts at article offset ``pos``),
    or, for "this plan" / "the plan", of the last mention of the same noun that names one."""
    own = _owner_here(seg, s, e, ctx)
    if own:
        return own[0], pos + own[1], pos + own[2]
    if not re.search(
        r"(?<!\w)(?:the|this|that|its)\s+(?:[\w\-]+\s+){0,2}$", seg[max(0, s - 40) : s], re.I
    ):
        return None  # "a statement": a new document, not one named before
    noun = re.compile(rf"(?<![\w\-]){re.escape(seg[s:e])}(?![\w\-])")
    at = pos + s
    for item in reversed(history[-40:]):
        if item[0] >= at:
            continue
        text = item[1][: at - item[0]]
        for m in reversed(list(noun.finditer(text))):
            own = _owner_here(text, m.start(), m.end(), ctx)
            if own:
                return own[0], item[0] + own[1], item[0] + own[2]
    return None


_INSIDE_NAME = re.compile(r"\s+[A-Z][a-z]")


def _it_speaker(history, pos: int, para: int, ctx: _Ctx) -> str | None:
    """Whom "It said", "It highlighted" stands for: the first document, organisation or
    country named in the clause before it, else in the sentence before — within its first five
    words, where the subject is (the topic the pronoun continues). A document speaks for its
    author ("One factor of this plan ... It highlighted", after "Mr Xi’s plan": Xi Jinping)."""
    sents = []
    for item in _sentences_back(history, pos, para - 1):
        sents.append(item)
        if len(sents) == 2:
            break
    if sents and _ENDED.search(sents[0][1]):
        sents = sents[:1]  # "It" opens its sentence: the sentence before
    elif sents and not re.search(r"[,;:]\s*(?:and|but|while|as|because)?\s*$", sents[0][1]):
        return None  # "what it called": not the subject of a clause of its own
    for off, sent, _ in sents:
        ents = [(m.start(), m.end(), "") for m in ctx.cues.doc_noun.finditer(sent)]
        for m in ctx.pat.finditer(sent):
            a = ctx.lookup[m.group()]
            if a["kind"] not in ("organisation", "country", "document"):
                continue
            if sent[m.end() : m.end() + 2] in ("’s", "'s") or _INSIDE_NAME.match(sent, m.end()):
                continue  # an owner ("China’s plan"), or part of a longer name ("China Daily")
            ents.append((m.start(), m.end(), a["actor"]))
        if ents:
            s, e, actor = min(ents)
            if len(sent[:s].split()) > 4:
                return None  # not in the subject of that sentence ("The administration said ...")
            if actor:
                return actor
            own = _doc_owner(history, off, sent, s, e, ctx)
            return own[0] if own else None
    return None


_HEAD_ROLES = ("leader", "president", "premier", "prime minister", "head of state", "chancellor",
               "king", "queen")  # fmt: skip
_SPOKES = ("spokesman", "spokeswoman", "spokesperson")


def _role_words(role: str) -> tuple[str, ...]:
    """Words of an actor's description that fit ``role``: any head of state or government for
    "leader", any spokes- word for "spokesman", else the role itself ("ambassador")."""
    role = role.lower()
    if role in _HEAD_ROLES:
        return _HEAD_ROLES
    if role in _SPOKES:
        return _SPOKES
    return (role,)


def _role_speaker(history, pos: int, demonym: str, role: str, ctx: _Ctx) -> str | None:
    """Whom "the Chinese leader" stands for: the last person named before whose actor type
    begins with "Chinese" and whose description in the actor table names that role ("President
    of China" for leader or president; "spokesperson of …" for spokesman). "The Chinese
    ambassador" after Xi Jinping is not Xi: nobody, unless an ambassador is named."""
    words = _role_words(role)
    for item in reversed(history[-40:]):
        if item[0] >= pos:
            continue
        people = _people(item, ctx.pat, ctx.lookup, ctx.cues)
        for s, _, name in reversed(people):
            typ = ctx.types.get(name, "")
            if s < pos and (typ == demonym or typ.startswith(demonym + " ")):
                note = ctx.notes.get(name, "")
                if any(re.search(rf"\b{re.escape(w)}\b", note) for w in words):
                    return name
    return None


# --------------------------------------------------------------------------- one article


@dataclass
class _Unit:
    """One unit of a paragraph (a sentence, or sentences a quotation runs across) with its
    quotations, and what the rules read of it: its candidates, its cues sorted into pools."""

    pidx: int  # paragraph index
    p0: int  # the paragraph's article offset; every other offset is in the paragraph
    para: str
    masked: str  # the paragraph with every quotation's words blanked
    u0: int
    u1: int
    spans: list  # its quoted spans (open_mark, start, end, close_mark_end)
    heading: bool
    cands: _CandList | None = None  # who could speak: found when a cue or a pronoun needs them
    docs: list = dataclasses.field(default_factory=list)  # its candidates of kind document
    pools: _Pools | None = None
    continuing: bool = False  # right after a unit whose last quotation had a speaker
    only: bool | None = None  # nothing but quotations in it (read when first needed)


Speaker = tuple[str, str, int, int]  # (canonical, raw, start, end), article offsets


class _Attribution:
    """The quotations of one article and who speaks them: paragraphs are read in order, each
    quotation decided and attributed from the text before it, one method per rule.

    What was read so far lives in named attributes: ``history`` (the text read, quotations
    blanked, in segments ``[offset, text, paragraph, …]`` that the pronoun, name, group and
    document rules search backwards), ``last`` and ``last_para`` (the last single speaker, whom
    a later "he" or "she" may continue), ``prev_speaker`` and ``last_unit_end`` (the speaker of
    the last quoted unit and where it ended: a quotation with no cue right after it continues
    it), ``plural_refs`` (each "they" or pair resolved, by article offset), ``unlisted`` (the
    full names, by surname, of speakers the actor table lacks), ``in_reference_list`` (under a
    bibliography heading), and the memos of the backward searches: ``antecedents`` (whom "he"
    or "she" stands for, :class:`_Antecedents`), ``name_memo`` (:func:`_full_name`) and the
    actors the article names (``named``, read once).
    """

    def __init__(self, doc_id: str, text: str, ctx: _Ctx, max_words: int):
        self.doc_id, self.text, self.ctx, self.max_words = doc_id, text, ctx, max_words
        self.cues = ctx.cues
        self.rows: list[tuple] = []
        self.history: list[list] = []
        self.last: Speaker | None = None
        self.last_para = -10
        self.prev_speaker: Speaker | None = None
        self.last_unit_end = -10
        self.plural_refs: dict[int, str] = {}
        self.unlisted: dict[str, str] = {}
        self.in_reference_list = False
        self.antecedents = _Antecedents(ctx)  # "he"/"she", with its memos
        self.name_memo: dict = {}  # for _full_name: segment offset -> index; (offset, surname)
        self._named: set[str] | None = None
        self.descriptions: set[str] = set()  # the speakers that are descriptions
        self.described: dict[str, str] = {}  # noun -> the last description speaker with it

    def quotes(self) -> list[tuple]:
        """The article's rows, as :data:`QUOTE_COLUMNS`."""
        turns = transcript_turns(self.text)
        for pidx, (p0, p1) in enumerate(paragraph_spans(self.text)):
            if pidx in turns:
                _, label_end, words = turns[pidx]
                self.read_turn(pidx, p0, self.text[p0:p1], label_end - p0, words - p0)
            else:
                self.read_paragraph(pidx, p0, self.text[p0:p1])
        return self.rows

    def read_turn(self, pidx: int, p0: int, para: str, label_end: int, words: int) -> None:
        """A turn of an interview transcript ("INSKEEP: Good morning."): its words, after the
        speaker's name in capitals and the colon, are one quotation of that speaker (the
        quotation marks inside it belong to it)."""
        label = para[:label_end]
        name = _clean_name(" ".join(w.capitalize() for w in label.split()), self.cues)
        a = self.ctx.lookup.get(name)
        speaker = a["actor"] if a is not None else self.unlisted_name(name)
        s = words
        e = len(para.rstrip())
        self.history.append([p0, label + " said.", pidx])
        if e > s:
            spk = (speaker, label, p0, p0 + len(label))
            self.add_span(p0, para, s, e, "quote", "transcript", spk)
            self.last, self.last_para = spk, pidx
        self.prev_speaker, self.last_unit_end = None, p0 + len(para)

    # ------------------------------------------------------------------ paragraphs and units

    def read_paragraph(self, pidx: int, p0: int, para: str) -> None:
        """Read one paragraph: skipped in a reference list or as a citation, kept whole in the
        history when it holds no quotation, else read unit by unit."""
        heading = is_heading(para)
        if self.skips_reference_list(para, heading):
            return
        spans = [s for s in quoted_spans(para) if s[2] > s[1]] if MARKS.search(para) else []
        if not spans:
            self.history.append([p0, para, pidx])
            return
        if not heading and is_citation(para, self.cues):
            return
        masked = _blank_quotations(para, spans)
        opens = [s[0] for s in spans]
        for u0, u1 in _units(para, spans, self.cues):
            # text read so far, quotations blanked: searched backwards only when a pronoun or a
            # bare surname needs it
            self.history.append([p0 + u0, masked[u0:u1], pidx])
            uspans = spans[bisect_left(opens, u0) : bisect_left(opens, u1)]
            if uspans:
                self.read_unit(_Unit(pidx, p0, para, masked, u0, u1, uspans, heading))

    def skips_reference_list(self, para: str, heading: bool) -> bool:
        """Whether ``para`` lies under a bibliography heading (a heading opens or closes one)."""
        if heading:
            words = para.strip().rstrip(":").strip().lower()
            self.in_reference_list = words in self.cues.bibliography
        return self.in_reference_list and not heading

    def read_unit(self, unit: _Unit) -> None:
        """Decide and attribute each quotation of a unit, then remember its last speaker."""
        hits = self.speech_cues(unit)
        # who could speak: needed for the cues, or later for "he “…" without one
        if hits:
            unit.cands = _candidates(
                unit.masked, unit.u0, unit.u1, self.ctx.pat, self.ctx.lookup, self.cues
            )
            unit.docs = [c for c in unit.cands if c.kind == "document"]
        unit.pools = _Pools(self.resolve_cues(unit, hits), unit.masked)
        gap = unit.p0 + unit.u0 - self.last_unit_end
        unit.continuing = self.prev_speaker is not None and gap <= 3
        unit_speaker = None
        for o, s, e, c in unit.spans:
            kind, cue, cand = self.decide(unit, o, c, more_words(unit.para[s:e], self.max_words))
            spk = None
            if kind == "quote":
                spk = self.attribute(unit, cand, cue)
                self.remember(spk, cand, cue, unit.pidx)
                unit_speaker = spk if spk is not None and spk[0] else None
            self.add_row(unit, s, e, kind, cue, spk)
        self.last_unit_end = unit.p0 + unit.u1
        self.prev_speaker = unit_speaker

    def add_row(self, unit: _Unit, s: int, e: int, kind: str, cue: str, spk) -> None:
        self.add_span(unit.p0, unit.para, s, e, kind, cue, spk)

    def add_span(self, p0: int, para: str, s: int, e: int, kind: str, cue: str, spk) -> None:
        """One row: ``para[s:e]`` of the paragraph at article offset ``p0``."""
        canonical = spk[0] if spk else ""
        stype = ""
        if kind == "quote" and canonical:
            default = "description" if canonical in self.descriptions else "unlisted"
            stype = self.ctx.types.get(canonical, default)
        self.rows.append((
            self.doc_id, p0 + s, p0 + e, para[s:e], canonical,
            spk[2] if spk else -1, spk[3] if spk else -1, cue, kind,
            spk[1] if spk else "", stype,
        ))  # fmt: skip

    # ------------------------------------------------------------------ cues

    def speech_cues(self, unit: _Unit) -> list:
        """The cues of speech in a unit, ``(match, kind)`` in text order, less nouns ("Pelosi's
        comments", "the claims": a noun, not a verb)."""
        masked, u0 = unit.masked, unit.u0
        found = self.cues.cue_words.scan(masked, u0, unit.u1)
        hits = []
        for kind in CUE_KINDS:
            for m in found[kind]:
                if kind != "document" and _NOUN_BEFORE.search(
                    masked, max(u0, m.start() - 12), m.start()
                ):
                    continue
                hits.append((m, kind))
        hits.sort(key=lambda h: h[0].start())
        return hits

    def resolve_cues(self, unit: _Unit, hits: list) -> list:
        """Each cue with the speaker it names, ``(match, kind, candidate or None)``."""
        closes = [c for _, _, _, c in unit.spans]
        finite_hits = ([], [])  # ends and speakers of the finite cues that named one
        resolved = []
        for m, kind in hits:
            if kind == "document":
                resolved.append((m, kind, self.document_author(unit, m)))
                continue
            read_as = "finite" if kind == "commitment" else kind
            cand = _cue_speaker(
                read_as, m, unit.cands, unit.masked, unit.u0, closes, finite_hits, self.joint
            )
            if cand is not None and cand.kind in ("it", "role"):
                cand = self.resolve_it_or_role(unit, cand)
            if kind == "finite" and cand is not None:
                finite_hits[0].append(m.end())
                finite_hits[1].append(cand)
            resolved.append((m, kind, cand))
        return resolved

    def document_author(self, unit: _Unit, m) -> _Cand | None:
        """A document cue ("in the statement"): the unit's first document named, else the
        author the words around the cue name ("In the official Russian statement")."""
        if unit.docs:
            return unit.docs[0]
        masked = unit.masked
        noun = self.cues.doc_noun.search(masked, m.start(), m.end())
        k = noun.start() if noun else m.end() - len(m.group().split()[-1])
        own = _owner_here(masked, k, m.end(), self.ctx)
        if not own:
            return None
        return _Cand(own[1], own[2], masked[own[1] : own[2]], own[0], "resolved")

    def resolve_it_or_role(self, unit: _Unit, cand: _Cand) -> _Cand | None:
        """Whom "It said" or "the Chinese leader said" stands for, or nobody."""
        at = unit.p0 + cand.start
        if cand.kind == "it":
            ref = _it_speaker(self.history, at, unit.pidx, self.ctx)
        else:
            rm = self.cues.role.match(cand.raw)
            demonym = re.sub(r"\s+", " ", rm.group(1))
            role = re.sub(r"\s+", " ", cand.raw[rm.end(1) :].strip())
            ref = _role_speaker(self.history, at, demonym, role, self.ctx)
        kind = "resolved" if cand.kind == "it" else "person"
        return _Cand(cand.start, cand.end, cand.raw, ref, kind) if ref else None

    # ------------------------------------------------------------------ quotation or phrase

    def decide(self, unit: _Unit, o: int, c: int, long: bool) -> tuple[str, str, _Cand | None]:
        """Quotation or phrase, and the cue and candidate that name its speaker:
        ``(kind, cue, candidate)``. A heading's quoted words and a short label are phrases; a
        cue of speech makes a quotation (a weak one only beside it, and only for a long one);
        a quotation with no cue right after a speaker's unit continues it; a long one with no
        cue is a quotation, spoken by a pronoun right before its marks."""
        pools = unit.pools
        para = unit.para
        if unit.heading or (
            not long
            and (
                _label(para, o, c, self.cues)
                or _named_as(para, o, self.cues)
                or _work_title(para, o, c)
            )
        ):
            return "phrase", "", None
        weak = pools.governing(o, c)
        if (weak or pools.any_strong) and (long or pools.any_strong):
            m, kind, cand = self.nearest_cue(unit, weak, o, c)
            if cand is None and kind == "participle" and unit.continuing:
                # "“…,” Napolitano said. “We are already seeing the effects,” adding that …":
                # a participle with nobody in its sentence continues the last speaker
                return "quote", "continuation", None
            return "quote", re.sub(r"\s+", " ", m.group()), cand
        if unit.continuing and self.only_quotations(unit):
            return "quote", "continuation", None
        colon = self.colon_speaker(unit, o)
        if colon is not None:
            return "quote", ":", colon
        if not long:
            return "phrase", "", None
        if unit.continuing:
            return "quote", "continuation", None
        return "quote", "", self.pronoun_right_before(unit, o)

    def nearest_cue(self, unit: _Unit, weak: list, o: int, c: int):
        """The cue of a quotation, ``(match, kind, candidate)``: the nearest verb of saying
        that names a speaker (the nearest weak cue governing the quotation that names one,
        where the unit has no verb of saying), else the nearest strong cue that names one,
        the nearest strong cue, the nearest weak one; a document of the unit speaks where no
        verb does."""
        pools = unit.pools
        speech = pools.speech_named if pools.speech else _Nearest([r for r in weak if r[2]])
        pool = speech or pools.strong_named or pools.strong or _Nearest(weak)
        if not speech and unit.docs:
            pool = _Nearest([(pool.items[0][0], "document", unit.docs[0])])
        return pool.nearest(o, c)

    def only_quotations(self, unit: _Unit) -> bool:
        """Nothing but quotations in the unit (read once per unit)."""
        if unit.only is None:
            seg = unit.masked[unit.u0 : unit.u1]
            unit.only = re.fullmatch(r"[\s\W]*", re.sub(r"[“”\"‘’]", "", seg)) is not None
        return unit.only

    def colon_speaker(self, unit: _Unit, o: int) -> _Cand | None:
        """A speaker named right before a colon that opens the quotation, the colon being the
        first mark of the sentence ("CNN's Wolf Blitzer: “This was a pretty good night”",
        "UPDATE VII - Cutter: “…”"): a person, a name, an organisation or a description."""
        colon = _COLON_BEFORE.search(unit.masked, max(unit.u0, o - 4), o)
        if colon is None:
            return None
        if unit.cands is None:
            unit.cands = _candidates(
                unit.masked, unit.u0, unit.u1, self.ctx.pat, self.ctx.lookup, self.cues
            )
        end = colon.start()
        tag = _TAG_BEFORE.search(unit.masked, max(unit.u0, end - 32), end)
        if tag is not None:  # "Rep. Trey Gowdy (R-S.C.): “…”": the party and state tag
            end = tag.start()
        near = _last_right_before(unit.cands, unit.masked, end)
        if near is None or near.kind not in _COLON_KINDS:
            return None
        if near.kind == "name" and " " not in near.raw.strip() and near.raw not in self.unlisted:
            return None  # "Opinion: “…”" is a heading; one word speaks once known as a name
        # (a window, not the whole unit: many quotations in one long unit stay linear)
        w0 = max(unit.u0, near.start - 120)
        lead = unit.masked[w0 : near.start]
        k = _last_sentence_start(lead)
        if k == 0 and w0 > unit.u0:
            return None  # the sentence began more than 120 characters before: not a label
        sentence = lead[k:]
        return near if len(sentence.split()) <= 6 and not re.search(r"[:;]", sentence) else None

    def pronoun_right_before(self, unit: _Unit, o: int) -> _Cand | None:
        """ "he", "she", "they" right before the marks, with no cue ("how they “urge")."""
        if unit.cands is None:
            unit.cands = _candidates(
                unit.masked, unit.u0, unit.u1, self.ctx.pat, self.ctx.lookup, self.cues
            )
        near = _last_right_before(unit.cands, unit.masked, o)
        return near if near is not None and near.kind in ("pronoun", "plural") else None

    # ------------------------------------------------------------------ speakers

    def attribute(self, unit: _Unit, cand: _Cand | None, cue: str) -> Speaker | None:
        """The speaker of a quotation: the unit before's for a continuation, else whom its
        candidate stands for."""
        if cue == "continuation":
            return self.prev_speaker
        if cand is None:
            return None
        at = unit.p0 + cand.start
        where = (cand.raw, at, unit.p0 + cand.end)
        if cand.kind == "pronoun":
            return (self.pronoun_speaker(at, unit.pidx, cand.raw) or "", *where)
        if cand.kind == "plural":
            return (self.plural_speaker(at, unit.pidx), *where)
        if cand.kind == "pair":
            return (self.pair_speaker(at), *where)
        if cand.kind == "name":
            return (self.unlisted_name(cand.raw), *where)
        if cand.kind == "description":
            return (self.description_speaker(cand.raw, at), *where)
        return (cand.actor, *where)

    def description_speaker(self, raw: str, at: int) -> str:
        """Who a description stands for: "the judge" (a definite singular) is the last
        person named with that noun or one of its titles beside the name ("U.S. District
        Judge Richard Leon"); otherwise, or when no one is, the description as written
        (one space between words), of type ``description``."""
        words = raw.split()
        noun = words[-1].lower()
        if words[0].lower() == "the" and noun not in self.cues.plural_nouns:
            # a group is not one of the persons named beside its noun ("the Robertson family")
            named = None if noun in _COLLECTIVE else self.named_with(noun, at)
            if named:
                return named
            earlier = self.described.get(noun) or self.described_before(noun, at)
            if earlier:  # "A senior Romney adviser said ... the adviser said"
                return earlier
        desc = " ".join(words)
        self.descriptions.add(desc)
        self.described[noun] = desc
        return desc

    def described_before(self, noun: str, at: int) -> str | None:
        """The last indefinite description with ``noun`` in the text read before article
        offset ``at`` (40 segments back at most): "A senior Romney adviser", or None."""
        for item in reversed(self.history[-40:]):
            off, seg = item[0], item[1]
            if off >= at or noun not in seg.lower():
                continue
            for m in reversed(list(self.cues.description.finditer(seg))):
                words = m.group().split()
                if (
                    off + m.end() <= at
                    and words[-1].lower() == noun
                    and words[0].lower() in ("a", "an", "one", "another")
                ):
                    desc = " ".join(words)
                    self.descriptions.add(desc)
                    return desc
        return None

    def named_with(self, noun: str, at: int) -> str | None:
        """The last person named before article offset ``at`` (40 segments back at most, and
        the last 2,000 characters of each) right after ``noun`` capitalised or one of its
        titles (``description_titles``: "District Judge Richard Leon", "Judge Leon", "Sen.
        Cruz"; "told the judge Trump …" is not one) or followed by a comma and, within 80
        characters, the noun ("Marci Kratter, a Phoenix attorney"), or None."""
        titles = _title_words(noun, self.cues.description_titles.get(noun, ()))
        appositive = _noun_word(noun)
        for item in reversed(self.history[-40:]):
            off, seg = item[0], item[1]
            if off >= at:
                continue
            hi = min(len(seg), at - off)
            lo = max(0, hi - _LOOK_BACK)
            # (an appositive's noun may stand after the description's start: "Dan Gross,
            # president of the Brady campaign said")
            if not titles.search(seg, lo, hi) and not appositive.search(seg, lo, hi + 80):
                continue
            ms = self.antecedents.mentions(item)
            first, last = bisect_left(ms, (off + lo,)), bisect_left(ms, (off + hi,))
            for o, e, name in reversed(ms[first:last]):
                if e > at:
                    continue
                a, b = o - off, e - off
                title = titles.search(seg, max(0, a - 20), a)
                if title and _FOREIGN_BEFORE.search(seg, max(0, title.start() - 16), title.start()):
                    continue  # "Turkish President Recep Erdoğan" is not "the president"
                if (
                    title
                    and not seg[title.end() : a].strip(" ")
                    or (seg.startswith(",", b) and appositive.search(seg, b, b + 80))
                ):
                    return name
            # a surname the text gives nowhere else: "Judge Leon"
            found = None
            for m in titles.finditer(seg, lo, hi):
                name = _TITLED_NAME.match(seg, m.end())
                if (
                    name
                    and name.group(1) not in self.cues.not_names
                    and not _FOREIGN_BEFORE.search(seg, max(0, m.start() - 16), m.start())
                ):
                    found = name.group(1)
            if found is not None:
                return self.unlisted_name(found)
        return None

    def pronoun_speaker(self, at: int, pidx: int, pronoun: str = "") -> str | None:
        """Whom "he" or "she" at article offset ``at`` stands for (:class:`_Antecedents`)."""
        return self.antecedents.find(self.history, at, pidx, self.last, self.last_para, pronoun)

    def plural_speaker(self, at: int, pidx: int) -> str:
        """The joint speaker "they" stands for, resolved once per "they"."""
        ref = self.plural_refs.get(at)
        if ref is None:
            ref = _they_speaker(self.history, at, pidx, self.ctx, self.plural_refs, self.named())
            ref = self.plural_refs[at] = ref or ""
        return ref

    def pair_speaker(self, at: int) -> str:
        """The joint speaker of "the two leaders" or "both sides"."""
        ref = _pair_speaker(self.history, at, self.ctx, self.named()) or ""
        self.plural_refs[at] = ref
        return ref

    def unlisted_name(self, raw: str) -> str:
        """A name the actor table lacks, as written less titles; a bare surname is the full
        name it stood in earlier ("Smith" after "John Smith")."""
        name = _clean_name(raw, self.cues)
        if " " in name:
            self.unlisted[name.rsplit(" ", 1)[1]] = name
            return name
        if name in self.unlisted:
            return self.unlisted[name]
        return _full_name(self.history, name, self.cues, memo=self.name_memo) or name

    def remember(self, spk: Speaker | None, cand: _Cand | None, cue: str, pidx: int) -> None:
        """Keep a single speaker for a later "he" or "she": a group or a document ("It said")
        is not whom they continue."""
        single = (
            cue == "continuation"
            or cand is None
            or cand.kind not in ("plural", "pair", "joint", "resolved")
            and not (
                cand.kind == "description"
                and cand.raw.split()[-1].lower() in self.cues.plural_nouns
            )
        )
        if spk is not None and spk[0] and single:
            self.last, self.last_para = spk, pidx

    def named(self) -> set[str]:
        """The actors this article names anywhere (a joint speaker must be one of them)."""
        if self._named is None:
            self._named = self.ctx.named(self.text)
        return self._named

    def joint(self, actors: set[str], **kw) -> str | None:
        """:meth:`_Ctx.joint` among the joint actors this article names."""
        return self.ctx.joint(actors, named=self.named(), **kw)


def _blank_quotations(para: str, spans: list) -> str:
    """``para`` with the words of each quotation replaced by spaces (offsets kept)."""
    pieces, pos = [], 0
    for _, s0, e0, _ in spans:
        pieces += [para[pos:s0], " " * (e0 - s0)]
        pos = e0
    return "".join([*pieces, para[pos:]])


# --------------------------------------------------------------------------- public


def find_quotes(
    articles: pd.DataFrame,
    *,
    actors: pd.DataFrame | None = None,
    phrase_max_words: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Every span in quotation marks, told apart as quotation or phrase, with its speaker.

    Args:
        articles: ``doc_id, text`` (as from :func:`framing.load_corpus`).
        actors: the actor table from :func:`framing.load_actors` (default: the shipped one).
        phrase_max_words: a span of at most this many words with no cue of speech is a
            ``"phrase"``; longer ones are quotations even without a cue, and only spans this
            short can be labels ("the “no limits” partnership"). Default from
            ``framing/data/quote_cues.toml``: 5.
        progress: a tqdm bar over the articles.

    Returns:
        ``doc_id, start, end, quote, speaker, speaker_start, speaker_end, cue, kind,
        speaker_raw, speaker_type``, one row per quoted span, in text order. ``start``/``end``
        are offsets into the article's ``text`` of the words inside the marks
        (``text[start:end] == quote``); ``speaker_start``/``speaker_end`` are the offsets of
        the words that name the speaker (``speaker_raw``; -1 when none), which may be a
        pronoun ("He also commented that") or an earlier sentence's speaker (``cue ==
        "continuation"``). ``speaker`` is the canonical actor name; a name the actor table
        lacks is kept as written with ``speaker_type == "unlisted"``; a quotation with no
        speaker found has ``speaker == ""``. ``kind`` is ``"quote"`` (someone's words) or
        ``"phrase"`` (scare quotes, a label, a heading's quoted words).

    Note:
        Rules, not a parser. Cues of speech are listed in ``framing/data/quote_cues.toml``.
        A quotation is attributed to the nearest speaker before its cue ("X said", "X, who
        ..., said"), to the name right after a cue that follows the quotation ("“...,” said
        X"), or to the subject of the clause for a participle ("..., adding that"). A
        news organisation that relays ("according to Xinhua", "per CNN", "CNN reported") is
        the speaker only when nobody else is named with a cue. A verb of saying with no
        subject right before it takes the subject that opens its sentence ("The two leaders
        discussed ... and committed to “…”") when no other name stands between. "He"/"she"
        continue the nearest person named before. Groups and documents speak through the
        actor table: "they", "the two leaders", "both sides" and "A and B" are the joint
        speaker of two actors named together before (an actor of kind ``document`` named
        "A–B <noun>", e.g. "Xi–Putin joint statement"; by their countries too, via the
        demonym that begins an actor's type), else unattributed; "It said" after a document
        ("Mr Xi’s plan ... It highlighted") and "the official Russian statement" are the
        document's author (possessive, demonym, "from X"); "the Chinese leader" is the last
        person named whose actor type begins with "Chinese". Weak cues ("agreed",
        "committed to") name a speaker only for a quotation right after (or before) them and
        never make a short phrase a quotation. Quotation marks in
        section headings are phrases (headings repeat words quoted in the body). Titles in a
        reference list (an address or a date beside a quoted title, or anything under a
        "Bibliography" heading) are skipped entirely. The quoted spans are the passages of
        :func:`framing.text.quotemarks.quoted_spans`, the scanner :func:`framing.quote_spans`
        reads too (its module docstring has the rules: mixed, German and French marks,
        apostrophes, nesting, straight marks glued inside a word). Accuracy on the case
        study: :func:`quote_accuracy` with :func:`load_gold_quotes`.
    """
    cues = cue_tables()
    max_words = cues.phrase_max_words if phrase_max_words is None else phrase_max_words
    ok = isinstance(max_words, int) and not isinstance(max_words, bool) and max_words >= 0
    check_option("phrase_max_words", phrase_max_words, "an integer >= 0 or None", ok=ok)
    actors = load_actors() if actors is None else actors
    pat = actor_pattern(actors)
    lookup = actors.set_index("alias")[["actor", "type", "kind"]].to_dict("index")
    types = dict(zip(actors["actor"], actors["type"], strict=True))
    ctx = _context(actors, pat, lookup, cues, types)
    from tqdm.auto import tqdm

    rows = []
    docs = articles[["doc_id", "text"]].itertuples(index=False)
    bar = tqdm(docs, total=len(articles), desc="quotes", unit="article", disable=not progress)
    for doc_id, text in bar:
        rows.extend(_Attribution(doc_id, text, ctx, max_words).quotes())
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return out.astype(
        {"start": "int64", "end": "int64", "speaker_start": "int64", "speaker_end": "int64"}
    )


def quotes_in_spans(
    spans: pd.DataFrame,
    quotes_df: pd.DataFrame,
    *,
    doc_id: str = "doc_id",
    start: str = "start",
    end: str = "end",
) -> pd.DataFrame:
    """Which quotation (if any) each span of text lies in, and whose it is.

    Args:
        spans: any table of article spans, e.g. :func:`framing.shared_passages` (use
            ``doc_id="doc_id_a", start="start_a", end="end_a"`` for its first side).
        quotes_df: from :func:`find_quotes`.
        doc_id, start, end: the columns of ``spans`` holding the article and the offsets.

    Returns:
        One row per row of ``spans`` (same index): ``kind`` (``"quote"``, ``"phrase"`` or
        ``""`` when the span overlaps no quoted text), ``speaker``, ``speaker_raw`` and
        ``overlap`` (share of the span's characters inside that quotation), taking the
        quoted span that overlaps it most.
    """
    for arg, c in (("doc_id", doc_id), ("start", start), ("end", end)):
        check_column(spans, c, arg=arg, of="spans")
    cols = ["kind", "speaker", "speaker_raw", "overlap"]
    sp = pd.DataFrame(
        {"_i": range(len(spans)), "_d": spans[doc_id].to_numpy(),
         "_s": spans[start].to_numpy(), "_e": spans[end].to_numpy()}
    )  # fmt: skip
    q = quotes_df[["doc_id", "start", "end", "kind", "speaker", "speaker_raw"]].rename(
        columns={"doc_id": "_d", "start": "_qs", "end": "_qe"}
    )
    m = sp.merge(q, on="_d", how="inner")
    inter = m[["_e", "_qe"]].min(axis=1) - m[["_s", "_qs"]].max(axis=1)
    m = m.assign(_inter=inter)[inter > 0]
    m = m.sort_values(["_i", "_inter", "_qs"], ascending=[True, False, True], kind="stable")
    m = m.drop_duplicates("_i").set_index("_i")
    m["overlap"] = m["_inter"] / (m["_e"] - m["_s"])
    out = m[cols].reindex(range(len(spans)))
    out[cols[:3]] = out[cols[:3]].fillna("")
    out["overlap"] = out["overlap"].fillna(0.0).astype(float)
    out.index = spans.index
    return out


def _surname_map(speakers: pd.Series, types: dict[str, str], share: float = 0.8) -> dict:
    """Unlisted one-word speakers -> the full name that dominates that surname (>= share)."""
    counts = speakers[~speakers.isin(types) & (speakers != "")].value_counts()
    full = counts[counts.index.str.contains(" ")]
    by_surname = full.groupby(full.index.str.rsplit(" ", n=1).str[-1]).agg(["idxmax", "max", "sum"])
    out = {}
    for name in counts.index:
        if " " not in name and name in by_surname.index:
            row = by_surname.loc[name]
            if row["max"] >= share * row["sum"]:
                out[name] = row["idxmax"]
    return out


def voices(
    quotes_df: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    by: str = "outlet",
    level: Literal["speaker", "type"] = "speaker",
    merge_surnames: bool = True,
) -> pd.DataFrame:
    """Who each outlet quotes: quotations and quoted words per speaker or speaker type.

    Args:
        quotes_df: from :func:`find_quotes`, with the ``by`` column added
            (:func:`framing.join_articles`); only ``kind == "quote"`` rows count.
        actors: the actor table (default: the shipped one), for each speaker's type.
        by: the column to compare (``"outlet"``, or e.g. a leaning).
        level: ``"speaker"`` (one row per group and speaker) or ``"type"`` (speakers summed
            by their type in the actor table).
        merge_surnames: a speaker missing from the actor table and known only by a surname
            in some article ("Trump") is counted with the full name ending in it ("Donald
            Trump") when that full name has at least 80% of the corpus's quotations by full
            names with that surname; otherwise it stays apart.

    Returns:
        ``<by>, speaker, type, n_quotes, n_words, share_words`` for ``level="speaker"``
        (``<by>, type, n_speakers, n_quotes, n_words, share_words`` for ``"type"``), sorted
        by group then words (descending) then name. ``n_words`` counts the words inside the
        quotation marks; ``share_words`` is the speaker's share of the group's quoted words.
        Quotations without a speaker are the row ``(unattributed)``; speakers missing from
        the actor table have type ``"unlisted"``.

    Raises:
        ValueError: bad ``level`` or ``merge_surnames``, or ``by`` is not a column of
            ``quotes_df``.

    Note:
        Speakers missing from the actor table are matched by spelling only: add the frequent
        ones to the actor table to merge "President Trump" and "Mr. Trump" for sure.
        Counts of quotations are small in a four-article corpus: one long quotation can make
        a speaker look dominant. Read words and quotations together.
    """
    check_option("level", level, ("speaker", "type"))
    check_option(
        "merge_surnames", merge_surnames, (True, False), ok=isinstance(merge_surnames, bool)
    )
    actors = load_actors() if actors is None else actors
    if by not in quotes_df.columns:
        raise ValueError(
            f"by={by!r} is not a column of quotes_df; add it with framing.join_articles(quotes, "
            f"articles, {by!r})"
        )
    q = quotes_df[quotes_df["kind"] == "quote"].copy()
    types = dict(zip(actors["actor"], actors["type"], strict=True))
    if merge_surnames:
        q["speaker"] = q["speaker"].replace(_surname_map(q["speaker"], types))
    q["speaker"] = q["speaker"].where(q["speaker"] != "", UNATTRIBUTED)
    q["type"] = [
        "unattributed" if s == UNATTRIBUTED else types.get(s, "unlisted") for s in q["speaker"]
    ]
    q["n_words"] = q["quote"].map(count_words)
    key = "speaker" if level == "speaker" else "type"
    if level == "speaker":
        g = q.groupby([by, "speaker", "type"], sort=False).agg(
            n_quotes=("quote", "size"), n_words=("n_words", "sum")
        )
    else:
        g = q.groupby([by, "type"], sort=False).agg(
            n_speakers=("speaker", "nunique"), n_quotes=("quote", "size"),
            n_words=("n_words", "sum"),
        )  # fmt: skip
    g = g.reset_index()
    total = g.groupby(by)["n_words"].transform("sum")
    g["share_words"] = (g["n_words"] / total).where(total > 0, 0.0)
    g = g.sort_values([key], kind="stable")
    g = g.sort_values(["n_words"], ascending=False, kind="stable")
    g = g.sort_values([by], kind="stable").reset_index(drop=True)
    for c in ("n_quotes", "n_words") + (("n_speakers",) if level == "type" else ()):
        g[c] = g[c].astype("int64")
    return g
