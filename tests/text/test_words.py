"""Words as every count sees them (framing.text.words): count_words, count_words_many and
word_runs, checked against independent counts and against each other."""

from __future__ import annotations

import random
import re

import pandas as pd

import framing
from framing.text import words
from framing.text.words import count_words_many, word_runs


def test_word_counts_recounted_by_whitespace(articles):
    # independent count: whitespace tokens containing a letter or digit. The two rules agree
    # everywhere except "Washington D.C, about" in the student article, where the loader counts
    # "D" and "C" as two words (a dotted abbreviation needs its final period).
    rough = [sum(any(ch.isalnum() for ch in tok) for tok in t.split()) for t in articles.text]
    assert articles.n_words.tolist() == [355, 908, 589, 715]
    assert [n - r for n, r in zip(articles.n_words, rough, strict=True)] == [0, 1, 0, 0]
    assert framing.count_words("China’s 12-point plan, a U.S. view") == 6


def test_count_words_many_equals_count_words(articles, sents, monkeypatch):
    # the numpy counter against the regex, text by text: the case study's cleaned and raw
    # texts and sentences, and random strings of the characters where the rules are subtle
    # (abbreviations "U.S." / "e.g.", joiners ’ ' -, digits, "_", non-ASCII letters, "\x00")
    texts = articles["text"].tolist() + articles["text_raw"].tolist() + sents["text"].tolist()
    got = count_words_many(texts)
    assert got.tolist() == [framing.count_words(t) for t in texts]
    assert got[:4].tolist() == [355, 908, 589, 715]
    rng = random.Random(7)
    alphabet = ["U", ".", "S", "a", "1", "_", "’", "'", "-", " ", "\n", "é", "Σ", "²", "e.g.",
                "\x00", "..", "-s", "U.S.", "A.b"]  # fmt: skip
    rand = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    assert count_words_many(rand).tolist() == [framing.count_words(t) for t in rand]
    # by hand: "U.S." "and" "e.g." "a" "b" (no final period: two words); "x-y’s" "1" "5"
    assert count_words_many(["U.S. and e.g. a.b", "", "x-y’s 1.5"]).tolist() == [5, 0, 3]
    assert count_words_many([]).tolist() == []
    # many numpy passes (a chunk of 40 characters), fed from a Series with its own index
    monkeypatch.setattr(words, "COUNT_CHUNK", 40)
    series = pd.Series(rand[:300], index=range(1000, 1300))
    assert count_words_many(series).tolist() == [framing.count_words(t) for t in rand[:300]]


def test_word_runs_are_the_regex_runs_with_their_offsets(articles):
    # every run of word characters, where the regex engine finds it, on the case study and on
    # text where \w is subtle (non-ASCII letters and digits, "_", combining marks, non-BMP)
    odd = "İstanbul’s U.S.-backed talks, ΣΟΦΙΑ’S plan: x_y ٣٤ é\u0301 𝐀b 😀 end"
    for text in [*articles["text"], *articles["text_raw"], odd]:
        starts, found = word_runs(text)
        runs = list(re.finditer(r"\w+", text))
        assert starts.tolist() == [m.start() for m in runs]
        assert found == [m.group() for m in runs]
    starts, found = word_runs("Xi met Putin, in 2023.")
    assert (starts.tolist(), found) == ([0, 3, 7, 14, 17], ["Xi", "met", "Putin", "in", "2023"])
    assert word_runs("") is not None and word_runs("")[1] == []
