"""Quotation marks: where quoted passages open and close in a paragraph.

One scanner, :func:`quoted_spans`, defines a quoted passage. The quotation finder
(:func:`framing.find_quotes`) attributes its passages; the narration/quotation split of tone
(:func:`framing.quote_spans`) scores the same passages as quotation through
:func:`quoted_regions`. So on any corpus a passage notebook 02 scores as quotation is a
passage notebook 03 attributes, and the reverse.

Each paragraph is scanned on its own: news style re-opens a quotation that goes on in the
next paragraph with a mark of its own. The rules:

- **Double marks.** English curly “…”, straight "…" (also typed as two straight single
  quotes, ''…''), German „…“ and „…”, French «…» and German »…«. A passage's text is what lies
  between its marks less the white space right inside them (French « paix », or a stray
  space: “ peace”).
- **A straight mark tells its direction by where it stands.** Glued between two letters or
  digits it is no mark (O"Brien, 5"3). Right after a letter or digit ("6" tall"), or with a
  sign before it and white space after it (the closer of a quotation opened in an earlier
  paragraph: `money," Noguero said`), it cannot open a passage; it can only close one.
- **A closing mark typed as an opener opens.** With no passage open, ” or » at the paragraph's
  start or after white space, a bracket, a dash, a slash or a colon ("—”I’m working
  harder”—") opens a passage when a mark that can close it follows (”, or « or » for »);
  elsewhere a lone closing mark is ignored.
- **Any double closing mark closes** (typists mix them: “liar," and "a year or so”): ” closes
  the innermost passage opened by a curly mark, » the innermost opened by «, a straight mark
  the innermost opened by a straight one, and when none of its kind is open, the innermost
  passage. “ closes a passage opened by „, and « one opened by ».
- **Nesting: inside a double-quoted passage everything belongs to it.** Single marks (‘yes’)
  never open a passage there; a double passage of another kind (“I said, "they will"” or
  "great “duck” quacker") nests and must close before its outer one does; a second opener of
  the same kind (“ inside “…”, « inside «…») is part of the text. A straight mark inside a
  passage opens a nested one only where it stands like an opener (after white space, a
  bracket, a dash, a slash or a colon, with no white space after it) and, inside a straight
  passage, only where another straight mark follows to close it; elsewhere it closes.
- **Single curly marks** ‘…’ make a passage only outside any double one, and only where ‘
  cannot be an apostrophe: not right after a letter or digit (Sanders‘), not before the two
  digits of a year (‘90s, ‘16). The passage closes at the first ’ that is not between two
  letters (Xi’s and it’s are apostrophes), and everything up to it belongs to it; a ‘ with no
  such ’ after it is no mark. Two single marks typed together (‘‘ or ‘’) open like one.
  Straight single quotes alone are never marks (they cannot be told from apostrophes).
- **A passage left open at the paragraph's end runs to the end** (news style leaves a
  quotation that goes on in the next paragraph open).

These are rules, not a parser: a mark left out or typed wrongly still misleads them, and a
passage then runs to the end of its paragraph. ``docs/methods.md`` says what they changed on
3,000 AllSides articles from the two scanners they replaced (issue #14).
"""

from __future__ import annotations

__all__ = ["MARKS", "quoted_spans", "quoted_regions"]

import re

# every mark that can open or close a passage (’ is read only inside a single passage)
MARKS = re.compile(r"''|[“”\"«»„‘]")
_STRAIGHT = re.compile(r"''|\"")

# where a closing mark typed as an opener, or a nested straight opener, can stand
_OPEN_CONTEXT = frozenset(" \t\n([{—–-/:")
_FAMILY = {
    "“": "curly",
    "„": "curly",
    "”": "curly",
    "«": "guillemet",
    "»": "guillemet",
    '"': "straight",
}
# what closes a passage opened by a closing mark: ”…” and »…« (or »…»)
_CLOSES = {"”": re.compile("”"), "»": re.compile("[«»]")}
# a ‘ that stands for the digits left out of a year: ‘90s, ‘16
_YEAR = re.compile(r"\d\d(?:s\b|(?!\w))")


def quoted_spans(para: str) -> list[tuple[int, int, int, int]]:
    """Quoted passages of one paragraph: ``(open_mark, start, end, close_mark_end)``.

    ``para[start:end]`` is the quoted text without its marks and the white space right inside
    them (empty when the marks hold nothing else); ``para[open_mark:close_mark_end]`` is the
    passage with its marks. A passage left open runs to the end of the paragraph (then
    ``end == close_mark_end == len(para)``). Passages are in text order and never overlap; a
    nested passage belongs to the one around it. The rules are in the module docstring.
    """
    out = []
    stack: list[str] = []  # the opening marks of the open double passages, outermost first
    first = first_end = 0  # where the outermost open passage's opening mark stands
    pos = 0
    while (m := MARKS.search(para, pos)) is not None:
        i, pos = m.span()
        ch = '"' if m.group() == "''" else m.group()
        if stack:
            if _inside(para, i, pos, ch, stack):
                out.append(_passage(para, first, first_end, i, pos))
        elif ch == "‘":
            k = _single_close(para, i)
            if k != -1:
                out.append(_passage(para, i, i + 2 if _doubled(para, i) else i + 1, k, k + 1))
                pos = k + 1
        elif _opens(para, i, pos, ch):
            stack.append(ch)
            first, first_end = i, pos
    if stack:
        out.append(_passage(para, first, first_end, len(para), len(para)))
    return out


def _passage(para: str, o: int, s: int, e: int, c: int) -> tuple[int, int, int, int]:
    """``(o, start, end, c)`` for the passage ``para[o:c]`` whose text runs from ``s`` to
    ``e``, less the white space right inside the marks."""
    while s < e and para[s].isspace():
        s += 1
    while e > s and para[e - 1].isspace():
        e -= 1
    return (o, s, e, c)


def _opens(para: str, i: int, j: int, ch: str) -> bool:
    """Whether the double mark ``ch`` at ``para[i:j]`` opens a passage when none is open."""
    if ch in "“„«":
        return True
    if ch == '"':
        if i == 0 or para[i - 1] in _OPEN_CONTEXT:
            return True
        # after a letter or digit, or a sign before it and white space after it: a closer
        return not para[i - 1].isalnum() and j < len(para) and not para[j].isspace()
    # ” or »: a closing mark typed as an opener, at the start or after an opening context,
    # with a mark after it that can close it (else a stray closer: "Roberts. ” None")
    return (i == 0 or para[i - 1] in _OPEN_CONTEXT) and _CLOSES[ch].search(para, j) is not None


def _inside(para: str, i: int, j: int, ch: str, stack: list[str]) -> bool:
    """Read the mark ``ch`` at ``para[i:j]`` while the passages of ``stack`` are open: nest
    it, close with it or let it belong to the text. True when it closes the outermost
    passage."""
    if ch == "‘":
        return False  # single marks inside a double passage belong to it
    if ch == '"':
        if i > 0 and j < len(para) and para[i - 1].isalnum() and para[j].isalnum():
            return False  # glued between two letters or digits: O"Brien, 5"3
        # an opener inside a straight passage nests only where a straight mark follows to
        # close it ("the industry says, "Oh, …," but"); else it is a closer typed with a space
        # ("an everyday occurrence, "she said.")
        if _opener_like(para, i, j) and (
            _FAMILY[stack[-1]] != "straight" or _STRAIGHT.search(para, j) is not None
        ):
            stack.append(ch)
            return False
        return _close(stack, "straight")
    if ch == "“" and "„" in stack:
        return _close(stack, "„")
    if ch == "«" and "»" in stack:
        return _close(stack, "»")
    if ch in "“„«":
        if all(_FAMILY[o] != _FAMILY[ch] for o in stack):
            stack.append(ch)
        return False
    return _close(stack, _FAMILY[ch])


def _opener_like(para: str, i: int, j: int) -> bool:
    """A straight mark at ``para[i:j]`` that stands like an opener: at the start or after
    white space, a bracket, a dash, a slash or a colon, with text (not white space) after it."""
    return (i == 0 or para[i - 1] in _OPEN_CONTEXT) and j < len(para) and not para[j].isspace()


def _close(stack: list[str], kind: str) -> bool:
    """Close the innermost open passage of ``kind`` (an opening mark, or a family), or the
    innermost passage when none of that kind is open. True when nothing is left open."""
    for k in range(len(stack) - 1, -1, -1):
        if stack[k] == kind or _FAMILY[stack[k]] == kind:
            del stack[k:]
            return not stack
    stack.pop()
    return not stack


def _single_close(para: str, i: int) -> int:
    """Where the single passage opened by ‘ at ``i`` closes, or -1 when ‘ is no mark: after a
    letter or digit, or before a year's two digits, it is an apostrophe; else its passage
    closes at the first ’ not between two letters."""
    if i and para[i - 1].isalnum() or _YEAR.match(para, i + 1):
        return -1
    n = len(para)
    j = i + 2 if _doubled(para, i) else i + 1
    while (j := para.find("’", j)) != -1:
        if not (para[j - 1].isalpha() and j + 1 < n and para[j + 1].isalpha()):
            return j
        j += 1
    return -1


def _doubled(para: str, i: int) -> bool:
    """Two single marks typed for a double one at ``i`` (‘‘ or ‘’)."""
    return para[i + 1 : i + 2] in ("‘", "’")


# a transcript turn: a speaker's name in capitals (a title allowed: "REP. JOHN LEWIS"; ", BYLINE"
# or ", HOST" after it is not part of the name), a colon, then the words
_TURN = re.compile(
    r"([A-Z][A-Z’'\-]+\.?(?:[ ][A-Z][A-Z’'\-]*\.?){0,3})(?:,[ ](?:BYLINE|HOST|ANCHOR))?:[ \t]+"
    r"(?=\S)"
)
# capitalised labels that head a paragraph without being anyone's turn
_NOT_TURNS = frozenset(
    ["UPDATE", "UPDATED", "NOTE", "EDITOR'S", "EDITOR’S", "CORRECTION", "PHOTO", "PHOTOS",
     "VIDEO", "WATCH", "READ", "RELATED", "MORE", "BREAKING", "EXCLUSIVE", "SPECIAL",
     "COVERAGE", "FILE", "FACT", "FACTS", "MYTH", "VERDICT", "STORY", "QUIZ", "SOURCE",
     "SOURCES", "ADVERTISEMENT", "CLICK", "HERE", "SUBSCRIBE", "THE", "AND", "OR", "ON",
     "MEANWHILE", "TARGET", "ATTACKER", "ATTACKERS", "ATTAKER", "ATTAKERS", "ALSO", "SEE",
     "TOP", "BOTTOM", "LINE", "WHAT", "WHY", "HOW", "WHO", "WHEN", "WHERE", "Q", "A", "PS",
     "ET", "AM", "PM", "TV", "LIVE", "ANALYSIS", "OPINION", "COMMENTARY", "DISCLOSURE",
     "WARNING", "ALERT", "FULL", "TEXT", "TRANSCRIPT"]
)  # fmt: skip


def transcript_turns(text: str) -> dict[int, tuple[int, int, int]]:
    """The paragraphs of an interview transcript that are turns ("INSKEEP: Good morning."):
    paragraph number (as :func:`framing.text.segment.paragraph_spans` counts them) ->
    ``(label_start, label_end, words_start)``, article offsets of the speaker's name in capitals
    and of the turn's words after the colon.

    An article is read as a transcript when at least two paragraphs open with a name in
    capitals and a colon ("MONTAGNE: …", "AMY GOODMAN: …", "SCOTT DETROW, BYLINE: …") and one
    name heads two turns at least (people take turns); labels that head paragraphs of any kind
    ("UPDATE:", "RELATED:", "FILE PHOTO:") are never turns. A turn's words are a quotation of
    its speaker for :func:`framing.find_quotes` and :func:`quoted_regions` alike.
    """
    found: dict[int, tuple[int, int, int]] = {}
    labels: dict[str, int] = {}
    pos, k = 0, 0
    for block in text.split("\n\n"):
        if block.strip():
            p0 = pos + len(block) - len(block.lstrip())
            m = _TURN.match(text, p0, pos + len(block))
            if m is not None:
                words = [w.strip(".") for w in m.group(1).split()]
                if not any(w in _NOT_TURNS for w in words) and any(len(w) > 1 for w in words):
                    found[k] = (m.start(1), m.end(1), m.end())
                    labels[m.group(1)] = labels.get(m.group(1), 0) + 1
            k += 1
        pos += len(block) + 2
    if len(found) < 2 or max(labels.values(), default=0) < 2:
        return {}
    return found


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Article offsets of the quoted passages of ``text``, marks included, paragraph by
    paragraph (blocks separated by a blank line, as :func:`framing.text.segment.paragraph_spans`
    cuts them): ``(open_mark, close_mark_end)`` of each :func:`quoted_spans` passage, and the
    words of each turn of an interview transcript (:func:`transcript_turns`; the marks inside a
    turn belong to it)."""
    turns = {label: words for label, _, words in transcript_turns(text).values()}
    regions = []
    pos = 0
    for block in text.split("\n\n"):
        lead = pos + len(block) - len(block.lstrip())
        if lead in turns:
            words = turns[lead]
            end = pos + len(block.rstrip())
            if end > words:
                regions.append((words, end))
        elif MARKS.search(block):
            regions.extend((pos + o, pos + c) for o, _, _, c in quoted_spans(block))
        pos += len(block) + 2
    return regions
