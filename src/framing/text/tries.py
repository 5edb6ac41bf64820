"""One regular expression for many terms, factored by common prefix (a trie).

The frame dictionary, the quotation cue words and the actor aliases are each matched with one
such regex: Python's ``re`` tries an alternation's branches one by one at every position, and a
trie makes that a walk down one path.
"""

from __future__ import annotations

__all__ = ["trie_regex"]


def trie_regex(pieces: list[list[str]]) -> str:
    """One regex for many terms (each a list of regex pieces, one per character, or ``\\s+``,
    or a ``\\w*`` tail), factored by common prefix; the quotation cues, the actor aliases and the frame dictionary use it for cue words
    and aliases.

    Python's ``re`` tries the branches of an alternation one by one at every position; a trie
    ("peace" shared by "peace*" and "peace talks") makes that a walk down one path, 3–4x faster
    on news text. Longer continuations are tried before a term ends, and a wildcard tail after
    every literal continuation, so matches equal those of an alternation sorted longest first
    (checked on the case study in the tests and on 5,000 AllSides articles by the benchmark).
    """
    root: dict = {}
    for units in pieces:
        node = root
        for u in units:
            node = node.setdefault(u, {})
        node[""] = {}

    def emit(node: dict) -> str:
        # a wildcard tail last: "military drill*" must be tried before "militar*" stops at
        # "military", as a longest-first alternation would
        keys = sorted((k for k in node if k), key=lambda k: (k == r"\w*", k))
        alts = [k + emit(node[k]) for k in keys]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
