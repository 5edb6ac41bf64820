"""Randomized differential test of the compiled counting path.

``framing.text.counting.doc_term`` (the compiled scan ``framing.text.kernels.count_chunk`` and
the counting module's word table and chunk preparation) must give exactly the matrix and
vocabulary of the reference path ``framing.text.counting.doc_term_strings``
(``framing.ngram_terms`` text by text). The
texts are random, from a small alphabet biased toward the characters where the tokenizer has
rules of its own: dotted abbreviations, joiners, apostrophes (curly, backtick, final "'s"),
blank lines, "_", NUL, "İ" (longer lower case), "Σ" (final sigma), non-BMP letters, digits that
are not ASCII, combining marks, stop words. Everything is seeded: a failure is reproducible,
and its message shows the smallest failing text found by shrinking.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from framing import Analyzer
from framing.text import counting
from framing.text.counting import doc_term, doc_term_strings

NGRAMS = [(1, 1), (1, 2), (2, 2)]
CHUNKS = [1, 3, 1000]
THREADS = [1, 2]

# (piece, weight): single characters and a few whole words
_PIECES = [
    ("s", 12),
    ("S", 8),
    ("a", 4),
    ("b", 3),
    ("e", 3),
    ("g", 2),
    ("i", 2),
    ("t", 2),
    ("u", 2),
    ("x", 1),
    ("A", 2),
    ("B", 1),
    ("E", 1),
    ("U", 1),
    ("z", 1),
    ("Q", 1),
    ("0", 2),
    ("1", 2),
    ("7", 1),
    (".", 10),
    ("-", 7),
    ("'", 7),
    ("’", 4),
    ("‘", 3),
    ("ʼ", 3),
    ("`", 3),
    ("_", 4),
    (",", 3),
    ('"', 3),
    (" ", 20),
    ("\t", 3),
    ("\n", 7),
    ("\r", 2),
    ("\x00", 3),
    ("İ", 2),
    ("Σ", 3),
    ("σ", 2),
    ("ß", 2),
    ("é", 2),
    ("Ǆ", 2),
    ("𝐀", 2),
    ("😀", 2),
    ("²", 2),
    ("٣", 2),
    ("\u0301", 2),
    ("the", 3),
    ("The", 1),
    ("and", 3),
    ("it's", 2),
    ("It’s", 1),
    ("u.s.", 3),
    ("U.S.", 2),
    ("e.g.", 3),
    ("ss", 2),
    ("sS", 2),
    ("as", 2),
    ("is", 1),
]
_CHOICES = [p for p, _ in _PIECES]
_WEIGHTS = [w for _, w in _PIECES]


_SPACE = {" ", "\t", "\n", "\r"}
_WORD_CHOICES = [p for p in _CHOICES if p not in _SPACE]
# letters and words weigh more inside words: more of them are terms
_WORD_WEIGHTS = [w * (5 if p.isalpha() else 1) for p, w in _PIECES if p not in _SPACE]
_SEPARATORS = [" "] * 12 + ["  ", "\t", "\n", "\r\n", "\n\n", "\n \t\n", "\n\r\n", ", ", " - "]


def _random_text(rng: random.Random, max_pieces: int = 30) -> str:
    if rng.random() < 0.5:  # any sequence of pieces: mostly breaks and odd words
        return "".join(rng.choices(_CHOICES, _WEIGHTS, k=rng.randint(0, max_pieces)))
    # words of 1-4 pieces between white space: many terms and bigrams
    out = []
    for _ in range(rng.randint(0, max_pieces // 2)):
        out.append("".join(rng.choices(_WORD_CHOICES, _WORD_WEIGHTS, k=rng.randint(1, 4))))
        out.append(rng.choice(_SEPARATORS))
    return "".join(out[: len(out) - rng.randint(0, 1)])


def _corpus(seed: int, n: int, kind: str, max_pieces: int = 30) -> list[str]:
    # kind "plain": no İ or Σ (the chunk is read by the compiled lower-case table);
    # "sigma": Σ but no İ (the chunk is lower-cased by str.lower); "all": İ too (those
    # chunks go text by text, "İ" texts through the Python tokenizer)
    rng = random.Random(seed)
    texts = [_random_text(rng, max_pieces) for _ in range(n)]
    if kind in ("plain", "sigma"):
        texts = [t.replace("İ", "I") for t in texts]
    if kind == "plain":
        texts = [t.replace("Σ", "S") for t in texts]
    return texts


def _cells(X, vocab) -> Counter:
    X = X.tocoo()
    vocab = list(vocab)
    return Counter(
        {(int(r), vocab[c]): int(v) for r, c, v in zip(X.row, X.col, X.data, strict=True) if v}
    )


def _mismatch(texts, analyzer, chunk, threads, expected=None) -> str | None:
    """None when both paths agree on ``texts``, else what differs (or the error raised)."""
    try:
        X, vocab = doc_term(texts, analyzer, chunk=chunk, threads=threads)
    except Exception as e:  # noqa: BLE001 - a crash is a mismatch too
        return f"doc_term raised {type(e).__name__}: {e}"
    Y, ref = expected if expected is not None else doc_term_strings(texts, analyzer)
    if list(vocab) == list(ref) and X.shape == Y.shape and (X != Y).nnz == 0:
        return None
    got, want = _cells(X, vocab), _cells(Y, ref)
    only_got = {k: v for k, v in got.items() if want.get(k) != v}
    only_want = {k: v for k, v in want.items() if got.get(k) != v}
    lines = [
        f"shape {X.shape} vs reference {Y.shape}",
        f"vocab only in doc_term: {sorted(set(vocab) - set(ref))[:20]}",
        f"vocab only in reference: {sorted(set(ref) - set(vocab))[:20]}",
        f"(row, term): count in doc_term, differing: {dict(sorted(only_got.items())[:20])}",
        f"(row, term): count in reference, differing: {dict(sorted(only_want.items())[:20])}",
    ]
    if list(vocab) != list(ref) and set(vocab) == set(ref):
        lines.append(f"same terms, other order: {list(vocab)[:20]} vs {list(ref)[:20]}")
    return "\n".join(lines)


def _shrink_text(text, fails) -> str:
    # greedy: drop runs of characters, then single characters, while it still fails
    size = max(1, len(text) // 2)
    while size >= 1:
        i = 0
        while i < len(text):
            cand = text[:i] + text[i + size :]
            if fails(cand):
                text = cand
            else:
                i += size
        size //= 2
    return text


def _shrink(texts, analyzer, chunk, threads) -> str:
    """The smallest failing input found: one text alone if any fails alone, else the fewest
    texts (greedy removal), each text then shortened character by character."""

    def fails_list(ts):
        return _mismatch(ts, analyzer, chunk, threads) is not None

    alone = [t for t in texts if fails_list([t])]
    if alone:
        t = _shrink_text(min(alone, key=len), lambda s: fails_list([s]))
        found = [t]
    else:
        found = list(texts)
        step = max(1, len(found) // 2)
        while step >= 1:
            i = 0
            while i < len(found):
                cand = found[:i] + found[i + step :]
                if cand and fails_list(cand):
                    found = cand
                else:
                    i += step
            step //= 2
        for k in range(len(found)):
            found[k] = _shrink_text(
                found[k], lambda s, k=k: fails_list(found[:k] + [s] + found[k + 1 :])
            )
    return (
        f"smallest failing input: {found!r}\n"
        f"analyzer={analyzer}, chunk={chunk}, threads={threads}\n"
        f"{_mismatch(found, analyzer, chunk, threads)}"
    )


def _check(texts, analyzer, chunks=CHUNKS, threads_list=THREADS):
    expected = doc_term_strings(texts, analyzer)
    for chunk in chunks:
        for threads in threads_list:
            if _mismatch(texts, analyzer, chunk, threads, expected) is not None:
                pytest.fail(_shrink(texts, analyzer, chunk, threads), pytrace=False)


@pytest.mark.parametrize("stop_words", [True, False])
@pytest.mark.parametrize("ngram_range", NGRAMS)
@pytest.mark.parametrize("kind,seed", [(k, s) for s in (1, 2) for k in ("plain", "sigma", "all")])
def test_random_texts_count_as_reference(kind, seed, ngram_range, stop_words):
    texts = _corpus(seed, 300, kind)
    _check(texts, Analyzer(ngram_range, stop_words))


@pytest.mark.parametrize("slots", [4, 1 << 16])
@pytest.mark.parametrize("kind,seed", [("plain", 11), ("sigma", 12), ("all", 13)])
def test_many_random_texts_two_threads_and_growth(monkeypatch, kind, seed, slots):
    # 400 texts in chunks of 3 or 7: well over 4 chunks, so threads=2 counts two halves and
    # merges them; tables that start with 4 slots grow many times mid-chunk.
    monkeypatch.setattr(counting, "FIRST_SLOTS", slots)
    texts = _corpus(seed, 400, kind, max_pieces=60)
    for ngram_range in NGRAMS:
        _check(texts, Analyzer(ngram_range, True), chunks=[3, 7], threads_list=[2, 1])
    _check(texts, Analyzer((1, 2), False), chunks=[3, 1000], threads_list=[2])


def test_distinct_words_grow_the_real_tables():
    # More distinct words and bigrams than the first tables hold (65536 slots, half full at
    # 32768): random words of letters, 2 threads.
    rng = random.Random(21)
    letters = "abcdefghijklmnopqrstuvwxyzsß"
    seps = [" "] * 8 + [". ", ", ", "\n\n", "-", "'s ", " the "]
    texts = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(100, 250)):
            parts.append("".join(rng.choices(letters, k=rng.randint(2, 6))))
            parts.append(rng.choice(seps))
        texts.append("".join(parts))
    analyzer = Analyzer((1, 2), True)
    expected = doc_term_strings(texts, analyzer)
    assert len(expected[1]) > 2 * 32768  # the bigram table grew, the word table too
    for chunk, threads in ((7, 2), (1000, 1)):
        assert _mismatch(texts, analyzer, chunk, threads, expected) is None, _shrink(
            texts, analyzer, chunk, threads
        )
