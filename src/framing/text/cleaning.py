"""Remove page debris line by line, by rules kept in data files, and record every removed line."""

from __future__ import annotations

__all__ = ["cleaning_audit", "clean_text", "load_rules", "is_heading"]

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd

Action = Literal["drop", "drop_rest", "dateline", "video", "prefix", "inline"]
_ACTIONS = ("drop", "drop_rest", "dateline", "video", "prefix", "inline")
_MATCHES = ("exact", "regex")

AUDIT_COLUMNS = ["doc_id", "line_no", "text", "rule", "why", "n_articles"]

# A heading is a short line that does not end like a sentence: "The View From Washington",
# "Xi and Putin agree to economic cooperation and ‘military mutual trust’".
_HEADING_MAX_WORDS = 14
_CLOSERS = "\"'”’)]»"
_SENTENCE_END = ".!?:;…"


@dataclass(frozen=True)
class Rule:
    id: str
    action: Action
    match: Literal["exact", "regex"]
    patterns: tuple[str, ...]
    why: str
    doc_ids: frozenset[str] | None = None
    source: str = ""
    _compiled: tuple[re.Pattern, ...] = field(default=(), compare=False, repr=False)

    def matches(self, line: str) -> bool:
        if self.match == "exact":
            return line in self.patterns
        return any(p.fullmatch(line) for p in self._compiled)

    def prefix_end(self, line: str) -> int:
        """For a ``prefix`` rule: where the matching start of ``line`` ends (0: none)."""
        for p in self._compiled:
            m = p.match(line)
            if m:
                return m.end(1)
        return 0

    def applies_to(self, doc_id: str) -> bool:
        return self.doc_ids is None or doc_id in self.doc_ids

    def cut_inline(self, line: str) -> tuple[str, list[str]]:
        """For an ``inline`` rule: ``line`` without every part a pattern matches anywhere in it
        (the space around a part becomes one space), and the parts removed, in order."""
        spans = sorted(
            (m.start(), m.end())
            for p in self._compiled
            for m in p.finditer(line)
            if m.end() > m.start()
        )
        kept, parts, pos = [], [], 0
        for start, end in spans:
            if start < pos:  # overlaps a part already removed
                continue
            kept.append(line[pos:start])
            parts.append(line[start:end].strip())
            pos = end
        if not parts:
            return line, []
        kept.append(line[pos:])
        return " ".join(k.strip() for k in kept if k.strip()), parts


def _parse_rules(text: str, source: str) -> list[Rule]:
    from ..errors import CorpusError

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"cleaning rules are not valid TOML: {e}", file=source) from e
    rules = []
    for i, r in enumerate(data.get("rule", []), start=1):
        where = f"rule {i} ({r.get('id', '?')})"
        missing = {"id", "action", "match", "patterns", "why"} - r.keys()
        if missing:
            raise CorpusError(f"{where} lacks {sorted(missing)}", file=source)
        if r["action"] not in _ACTIONS:
            raise CorpusError(
                f"{where}: action {r['action']!r} is not one of {_ACTIONS}", file=source
            )
        if r["match"] not in _MATCHES:
            raise CorpusError(
                f"{where}: match {r['match']!r} is not one of {_MATCHES}", file=source
            )
        patterns = tuple(r["patterns"])
        if r["action"] in ("prefix", "inline") and r["match"] != "regex":
            raise CorpusError(f"{where}: action {r['action']!r} needs match 'regex'", file=source)
        if r["action"] == "prefix":
            # the start of a line, then anything: one full-match test like the other rules;
            # group 1 is the start to remove
            patterns = tuple(_prefix_pattern(p) for p in patterns)
        try:
            compiled = tuple(re.compile(p) for p in patterns) if r["match"] == "regex" else ()
        except re.error as e:
            raise CorpusError(f"{where}: bad regular expression: {e}", file=source) from e
        doc_ids = frozenset(r["doc_ids"]) if "doc_ids" in r else None
        rules.append(
            Rule(r["id"], r["action"], r["match"], patterns, r["why"], doc_ids, source, compiled)
        )
    return rules


_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def _split_flags(p: str) -> tuple[str, str]:
    """A pattern's leading global flags ("i" of "(?i)abc") and the rest."""
    m = _GLOBAL_FLAGS.match(p)
    return (m[1], p[m.end() :]) if m else ("", p)


def _scoped(p: str) -> str:
    """``p`` as one branch of an alternation, its global flags made local: "(?i:abc)"."""
    flags, body = _split_flags(p)
    return f"(?{flags}:{body})"


def _prefix_pattern(p: str) -> str:
    # "(?i)abc" -> "(?i)(abc)(?s:.*)": global flags stay first
    flags, body = _split_flags(p)
    return f"{f'(?{flags})' if flags else ''}({body})(?s:.*)"


@lru_cache(maxsize=32)
def _rules_from_file(path: str, mtime: float) -> tuple[Rule, ...]:
    return tuple(_parse_rules(Path(path).read_text(encoding="utf-8"), path))


@lru_cache(maxsize=1)
def generic_rules() -> tuple[Rule, ...]:
    """The generic debris rules shipped with the package (``framing/data/cleaning_rules.toml``)."""
    text = resources.files("framing").joinpath("data/cleaning_rules.toml").read_text("utf-8")
    return tuple(_parse_rules(text, "framing/data/cleaning_rules.toml"))


def load_rules(*paths: str | Path | None) -> tuple[Rule, ...]:
    """Generic rules followed by the rules in each existing file of ``paths``."""
    rules = list(generic_rules())
    for p in paths:
        if p is None or not Path(p).is_file():
            continue
        rules.extend(_rules_from_file(str(Path(p).resolve()), Path(p).stat().st_mtime))
    return tuple(rules)


@dataclass
class Cleaned:
    """One article after cleaning.

    ``text`` holds the kept paragraphs joined by blank lines; ``paragraphs`` gives, for each,
    its offsets in ``text``, whether it is a heading, and the raw line it starts on; ``removed``
    lists every removed line, or part of a line, as (line_no, text, rule, why, n_articles):
    ``n_articles`` is the number of the outlet's articles holding it for the learned rule
    ``repeated_boilerplate``, None for the others.
    """

    text: str
    paragraphs: list[tuple[int, int, bool, int]]
    removed: list[tuple[int, str, str, str, int | None]]


@lru_cache(maxsize=64)
def any_rule(rules: tuple[Rule, ...]) -> tuple[frozenset[str], re.Pattern, tuple] | None:
    # One regex that fully matches a line iff some regex rule does, plus the exact lines: most
    # lines match no rule, and one call instead of one per pattern makes cleaning ~3x faster.
    # A pattern that needs a literal ("Photo" in ".{0,600}\\b(?:Photo|Photograph)s? ...") is
    # tried alone, only on lines holding that literal: such patterns backtrack through the
    # whole line, ten times the cost of the others on lines that cannot match.
    # None (check rule by rule) if the patterns cannot be combined.
    exact = frozenset(p for r in rules if r.match == "exact" for p in r.patterns)
    parts = []
    guarded = []
    for r in rules:
        if r.match == "regex":
            for p in r.patterns:
                lit = required_literal(p)
                if lit is not None:
                    guarded.append((lit, re.compile(p)))
                    continue
                parts.append(_scoped(p))
    try:
        return exact, re.compile("|".join(parts) or "(?!)"), tuple(guarded)
    except re.error:
        return None


def required_literal(pattern: str, min_len: int = 3) -> str | None:
    """The longest run of literal characters every full match of ``pattern`` holds (top-level
    literals, outside any repeat, group or alternative), or None: none of ``min_len``
    characters, or the pattern ignores case."""
    try:
        parsed = re._parser.parse(pattern)  # the regex engine's own parse
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    best, run = "", []
    for op, av in list(parsed) + [(None, None)]:
        if op is re._constants.LITERAL:
            run.append(chr(av))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best if len(best) >= min_len else None


def quick_match(quick, s: str) -> bool:
    # whether some rule may match the stripped line s (then the rules are tried one by one)
    exact, combined, guarded = quick
    return (
        s in exact
        or combined.fullmatch(s) is not None
        or any(lit in s and p.fullmatch(s) for lit, p in guarded)
    )


def _one_line(text: str) -> bool:
    # a text of a single non-blank line holding a letter (a headline, a social-media post, a
    # one-line abstract); a lone number stays what it was, a heading without body
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return len(lines) == 1 and any(c.isalpha() for c in lines[0])


def is_heading(paragraph: str) -> bool:
    """Whether a paragraph is a section heading: one short line not ending like a sentence."""
    if "\n" in paragraph:
        return False
    stripped = paragraph.rstrip(_CLOSERS + " ")
    if not stripped or stripped[-1] in _SENTENCE_END:
        return False
    return len(paragraph.split()) <= _HEADING_MAX_WORDS


def clean_text(
    text_raw: str,
    rules: tuple[Rule, ...],
    *,
    doc_id: str = "",
    title: str = "",
    boilerplate: Sequence[tuple[int, int, int, int, bool]] | None = None,
) -> Cleaned:
    """Clean one article's raw text.

    Args:
        text_raw: the article as read (LF line endings).
        rules: rules in the order they are tried; the first that matches a line wins.
        doc_id: the article's id, for rules limited to some articles.
        title: the headline from the manifest; lines equal to it are removed as ``headline``.
        boilerplate: where the outlet's page furniture learned from the corpus is in this
            text, ``(line, start, end, n_articles, whole_line)`` per unit
            (:func:`framing.text.boilerplate.find_boilerplate`, or the article table's
            ``boilerplate`` column decoded); lines no rule touched lose it, as rule
            ``repeated_boilerplate`` (a whole line, or a sentence cut out of it).

    Returns:
        A :class:`Cleaned` with the body text, its paragraphs and the removed lines.

    Note:
        A text of one non-blank line (holding a letter) is its own body: it is never removed
        as the headline (a corpus of headlines has texts equal to their titles) and never
        counted as a section heading, whatever its punctuation.
    """
    lines = text_raw.split("\n")
    stripped = [ln.strip() for ln in lines]
    verdict: list[tuple[str, str] | None] = [None] * len(lines)
    one_line = _one_line(text_raw)
    title = "" if one_line else title.strip()
    active = [r for r in rules if r.applies_to(doc_id) and r.action != "inline"]
    quick = any_rule(tuple(active))
    n = len(lines)
    cuts: list[tuple[int, str, str, str, None]] = []  # parts of lines removed (prefix, inline)
    inline = tuple(r for r in rules if r.action == "inline" and r.applies_to(doc_id))
    if inline:
        _cut_inline(stripped, verdict, inline, cuts)
    i = 0
    while i < n:
        s = stripped[i]
        if not s or verdict[i] is not None:
            i += 1
            continue
        if title and s == title:
            verdict[i] = ("headline", "headline; kept as metadata (manifest `title`), not body")
            i += 1
            continue
        if quick is not None and not quick_match(quick, s):
            i += 1  # no rule can match: skip trying them one by one
            continue
        for rule in active:
            if not rule.matches(s):
                continue
            if rule.action == "prefix":
                end = rule.prefix_end(s)
                rest = s[end:].strip()
                if rest:  # the line stays without its start, tried by no other rule
                    cuts.append((i + 1, s[:end].strip(), rule.id, rule.why, None))
                    stripped[i] = rest
                    break
            verdict[i] = (rule.id, rule.why)
            if rule.action == "drop_rest":
                # later lines go too; page furniture after it is still named by its own rule
                for j in range(i + 1, n):
                    if stripped[j] and verdict[j] is None:
                        own = next(
                            (r for r in active if r.action == "drop" and r.matches(stripped[j])),
                            rule,
                        )
                        verdict[j] = (own.id, own.why)
                i = n
            elif rule.action == "video":
                # the video's title is the nearest non-blank line on each side when it has no
                # sentence ending (a title, not a paragraph)
                for step in (-1, 1):
                    j = i + step
                    while 0 <= j < n and not stripped[j]:
                        j += step
                    if 0 <= j < n and verdict[j] is None and is_heading(stripped[j]):
                        verdict[j] = (rule.id, rule.why)
            break
        i += 1

    _cut_speaker_labels(stripped, verdict, cuts)  # after the rules: furniture keeps its rule
    removed = [
        (k + 1, stripped[k], v[0], v[1], None) for k, v in enumerate(verdict) if v is not None
    ]
    if cuts:
        removed = sorted(removed + cuts, key=lambda r: r[0])
    if boilerplate:
        cut_lines = {c[0] - 1 for c in cuts}
        removed = _remove_boilerplate(lines, stripped, verdict, boilerplate, removed, cut_lines)
    blocks: list[tuple[list[str], int]] = []
    current: list[str] = []
    start_line = 0
    for k in range(n):
        if verdict[k] is not None:
            continue
        if stripped[k]:
            if not current:
                start_line = k + 1
            current.append(stripped[k])
        elif current:
            blocks.append((current, start_line))
            current = []
    if current:
        blocks.append((current, start_line))

    parts, paragraphs, pos = [], [], 0
    for block, line_no in blocks:
        para = "\n".join(block)
        if parts:
            pos += 2
        parts.append(para)
        paragraphs.append((pos, pos + len(para), not one_line and is_heading(para), line_no))
        pos += len(para)
    return Cleaned("\n\n".join(parts), paragraphs, removed)


@lru_cache(maxsize=16)
def _any_inline(rules: tuple[Rule, ...]) -> re.Pattern:
    # one search per line finds the lines some inline rule may cut
    return re.compile("|".join(_scoped(p) for r in rules for p in r.patterns))


def _cut_inline(stripped, verdict, rules, cuts) -> None:
    """Apply ``inline`` rules to every line before the line rules: each removed part is in the
    audit; a line left with nothing is removed whole by the rule."""
    found = _any_inline(rules)
    for i, s in enumerate(stripped):
        if not s or found.search(s) is None:
            continue
        for rule in rules:
            rest, parts = rule.cut_inline(stripped[i])
            if not parts:
                continue
            if not rest:
                verdict[i] = (rule.id, rule.why)
                break
            cuts.extend((i + 1, part, rule.id, rule.why, None) for part in parts)
            stripped[i] = rest


# "mark landler", "susan dominus": a transcript's speaker written in lower case on a line of its
# own (the New York Times' podcast transcripts)
_LABEL_LINE = re.compile(r"[a-z][a-z’'-]+(?: [a-z][a-z’'-]+){1,2}|[a-z]+ \d{1,2}")
# "james cai So my name is …": the same label opening paragraphs, before its speaker's words
_LABEL_OPENING = re.compile(r"([a-z][a-z’'-]+(?: [a-z][a-z’'-]+){1,2}) (?=[A-Z“])")
SPEAKER_LABEL = (
    "transcript-speaker",
    "a transcript's speaker label (a lower-case name alone on a line, twice or more in the "
    "article), not anyone's words",
)


@lru_cache(maxsize=1)
def _label_stop_words() -> frozenset[str]:
    from .tokens import load_stopwords

    return load_stopwords()


def _cut_speaker_labels(stripped, verdict, cuts) -> None:
    """Remove a transcript's lower-case speaker labels, names with no stop word in them: a line of
    two or three lower-case words, or a word and a number ("susan dominus", "speaker 1"), alone
    at least twice in the article, or two or three lower-case words opening at least three of
    its paragraphs before a capital ("james cai So my name is …"); and the same label opening a
    turn inside a paragraph ("Are you there? james cai Yes.")."""
    lines = [s for s, v in zip(stripped, verdict, strict=True) if v is None and s]
    seen: dict[str, int] = {}
    opening: dict[str, int] = {}
    for s in lines:
        if len(s) <= 40 and _LABEL_LINE.fullmatch(s):
            seen[s] = seen.get(s, 0) + 1
        elif s[0].islower() and (m := _LABEL_OPENING.match(s)):
            opening[m[1]] = opening.get(m[1], 0) + 1
    # a name, not words of a sentence: no stop word in it ("of the", "and then" are not labels)
    stop = _label_stop_words()
    named = [k for k in {*seen, *opening} if not any(w in stop for w in k.split(" "))]
    labels = [k for k in named if seen.get(k, 0) >= 2 or opening.get(k, 0) >= 3]
    labels = sorted(labels, key=len, reverse=True)
    if not labels:
        return
    turn = re.compile(
        r"(?:(?<=^)|(?<=[.?!”\]] ))(" + "|".join(map(re.escape, labels)) + r")(?= [A-Z“\[])"
    )
    for i, s in enumerate(stripped):
        if verdict[i] is not None or not s:
            continue
        if seen.get(s, 0) >= 2:
            verdict[i] = SPEAKER_LABEL
            continue
        parts = turn.findall(s)
        if parts:
            cuts.extend((i + 1, part, *SPEAKER_LABEL, None) for part in parts)
            stripped[i] = turn.sub("", s).replace("  ", " ").strip()


def _remove_boilerplate(lines, stripped, verdict, found, removed, cut_lines):
    # Learned furniture in the lines no rule touched: a whole line goes (its verdict is set); a
    # sentence goes from its line, which keeps the rest (its other pieces joined by a space).
    from .boilerplate import RULE_ID, RULE_WHY

    # a line something was cut from keeps only its whole-line furniture (the offsets of a
    # sentence in it no longer hold)
    found = [f for f in found if verdict[f[0]] is None and (f[4] or f[0] not in cut_lines)]
    if not found:
        return removed
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    cut: dict[int, list[tuple[int, int, int]]] = {}
    for k, start, end, n, whole in found:
        if whole:
            verdict[k] = (RULE_ID, RULE_WHY)
            removed.append((k + 1, stripped[k], RULE_ID, RULE_WHY, n))
        else:
            cut.setdefault(k, []).append((start - starts[k], end - starts[k], n))
    for k, spans in cut.items():
        line, kept, at = lines[k], [], 0
        for a, b, n in spans:
            kept.append(line[at:a].strip())
            removed.append((k + 1, line[a:b], RULE_ID, RULE_WHY, n))
            at = b
        kept.append(line[at:].strip())
        stripped[k] = " ".join(p for p in kept if p)
        if not stripped[k]:
            verdict[k] = (RULE_ID, RULE_WHY)
    removed.sort(key=lambda r: r[0])  # stable: a line's pieces stay in text order
    return removed


def cleaning_audit(articles: pd.DataFrame) -> pd.DataFrame:
    """Every line that cleaning removed, with the rule that removed it.

    Args:
        articles: the frame returned by :func:`framing.load_corpus` (needs ``doc_id``,
            ``text_raw``, ``title`` and ``rules``; and ``boilerplate`` when the corpus was
            loaded with furniture learned from it).

    Returns:
        A DataFrame ``doc_id, line_no, text, rule, why, n_articles``: ``line_no`` is the 1-based
        line of ``text_raw``, ``text`` the line without surrounding white space, or, for rule
        ``repeated_boilerplate``, the line or the sentence cut out of it (several rows may
        then share a line). ``n_articles`` (nullable integer) is set for that rule only: in how
        many of the outlet's articles the line or sentence occurs.

    Note:
        Cleaning is re-run from ``text_raw`` with the rule files named in the ``rules`` column
        and the furniture each article holds (its ``boilerplate`` column, written when the
        corpus was loaded), so the audit always matches the text it explains.
    """
    from .boilerplate import decode_found

    rows = []
    cols = ["doc_id", "text_raw", "title", "rules"]
    learned = (
        articles["boilerplate"]
        if "boilerplate" in articles
        else pd.Series("", index=articles.index)
    )
    for (doc_id, raw, title, rules_path), found in zip(
        articles[cols].itertuples(index=False), learned, strict=True
    ):
        cleaned = clean_text(
            raw,
            load_rules(rules_path or None),
            doc_id=doc_id,
            title=title or "",
            boilerplate=decode_found(found),
        )
        rows.extend((doc_id, *r) for r in cleaned.removed)
    out = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    return out.astype({"line_no": "int64", "n_articles": "Int64"})
