"""Quotation marks: where quoted passages open and close in a paragraph.

The quotation finder (:func:`framing.find_quotes`) and the narration/quotation split of tone
(:func:`framing.quote_spans`) read quotation marks through this module.
"""

from __future__ import annotations

__all__ = ["OPENING", "quoted_spans", "quoted_regions", "quoted_in_paragraph"]

import re

_DOUBLE = {"“": "”", '"': '"', "«": "»", "„": "“"}


OPENING = re.compile(r"[“\"«„‘]")


def quoted_spans(para: str) -> list[tuple[int, int, int, int]]:
    """Quoted spans of one paragraph: (open_mark, start, end, close_mark_end).

    ``para[start:end]`` is the quoted text without its marks. An unclosed quotation runs to
    the end of the paragraph (news style leaves a multi-paragraph quotation open). Single
    curly marks open a span only outside a double-quoted one and only where they cannot be an
    apostrophe; straight single quotes are never read as quotation marks.
    """
    out = []
    n = len(para)
    i = 0
    while True:
        m = OPENING.search(para, i)
        if m is None:
            break
        i = m.start()
        ch = m.group()
        prev = para[i - 1] if i else " "
        if prev.isalnum() and ch in '"‘':  # glued to a word: an apostrophe or a typo
            i += 1
            continue
        if ch == "‘":
            j = i + 1
            while True:
                j = para.find("’", j)
                if j == -1 or not (para[j + 1] if j + 1 < n else " ").isalpha():
                    break
                j += 1
            if j == -1:
                i += 1
                continue
        else:
            j = para.find(_DOUBLE[ch], i + 1)
            if j == -1:
                out.append((i, i + 1, n, n))
                break
        out.append((i, i + 1, j, j + 1))
        i = j + 1
    return [s for s in out if s[2] > s[1]]


_OPEN_CONTEXT = set(" \t\n([{—–-/:")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Article offsets of quoted passages, marks included; a quote never crosses a paragraph.

    A quotation continued in the next paragraph re-opens with its own mark there (news style),
    so each paragraph is scanned on its own, and a mark left open at a paragraph's end closes
    there.
    """
    regions = []
    pos = 0
    for block in text.split("\n\n"):
        regions.extend((pos + a, pos + b) for a, b in quoted_in_paragraph(block))
        pos += len(block) + 2
    return regions


def quoted_in_paragraph(p: str) -> list[tuple[int, int]]:
    out = []
    start = None  # offset of the open double mark
    single = None  # offset of an open single curly mark outside any double quote
    n = len(p)
    for i, ch in enumerate(p):
        if ch in "“«":
            if start is None:
                start, single = i, None
        elif ch in "”»":
            if start is not None:
                out.append((start, i + 1))
                start = None
            elif i == 0 or p[i - 1] in _OPEN_CONTEXT:
                start = i  # a closing mark typed as an opener
        elif ch == '"':
            if start is None:
                start, single = i, None
            else:
                out.append((start, i + 1))
                start = None
        elif start is None and ch == "‘" and (i == 0 or p[i - 1] in _OPEN_CONTEXT):
            single = i
        elif (
            start is None
            and ch == "’"
            and single is not None
            # an apostrophe sits between two letters (Xi’s); a closing mark does not
            and not (i + 1 < n and p[i + 1].isalpha() and p[i - 1].isalpha())
        ):
            out.append((single, i + 1))
            single = None
    if start is not None:
        out.append((start, n))
    return out
