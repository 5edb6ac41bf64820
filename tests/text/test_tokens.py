"""The tokenizer: examples by hand, its offsets, and its use inside scikit-learn."""

from __future__ import annotations

import pickle
import re

import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer

import framing
from framing.text.tokens import (
    Analyzer,
    load_stopwords,
    ngram_terms,
    normalize_word,
    scan_words,
    terms_with_breaks,
    token_spans,
    tokenize,
)
from tests.conftest import ALLSIDES, requires_allsides


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China’s plan", ["china", "plan"]),  # curly apostrophe, possessive removed
        ("China's plan", ["china", "plan"]),  # straight apostrophe, the same
        ("the countries’ leaders", ["countries", "leaders"]),  # plural possessive
        ("cross-border logistics", ["cross-border", "logistics"]),
        ("a China-brokered deal", ["china-brokered", "deal"]),
        ("China’s 12-point plan", ["china", "12-point", "plan"]),  # has a letter: a term
        ("in 2023, 1.5 and 20-22 March", ["march"]),  # numbers are not terms
        ("the U.S. and U.K.", ["u.s", "u.k"]),  # dotted abbreviations, final period dropped
        ("George W. Bush", ["george", "bush"]),  # initials are not terms
        ("It’s what they don’t say", ["say"]),  # contractions are stop words
        ("O’Brien said", ["o'brien", "said"]),
        ("XI JINPING", ["xi", "jinping"]),
        ("", []),
        ("... — !!", []),
    ],
)
def test_tokenize_examples(text, expected):
    assert tokenize(text) == expected


def test_stop_words_optional():
    assert tokenize("the peace plan for Ukraine", stop_words=False) == [
        "the", "peace", "plan", "for", "ukraine",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "bigrams"),
    [
        ("China’s peace plan for Ukraine", ["china peace", "peace plan"]),  # stop word breaks
        ("Russia, China", []),  # punctuation breaks
        ("said “military mutual trust”", ["military mutual", "mutual trust"]),  # quotes break
        ("a heading\n\nNext paragraph", ["next paragraph"]),  # blank line breaks
        ("one line\nnext line", ["one line", "line next", "next line"]),  # one line break does not
        ("March 2023 summit", []),  # a dropped number breaks
        ("Xi-Putin talks", ["xi-putin talks"]),
    ],
)
def test_bigrams_only_between_adjacent_terms(text, bigrams):
    assert ngram_terms(text, ngram_range=(2, 2)) == bigrams
    assert ngram_terms(text, ngram_range=(1, 2)) == tokenize(text) + bigrams
    assert ngram_terms(text, ngram_range=(1, 1)) == tokenize(text)


@pytest.mark.parametrize("bad", [(1, 3), (2, 1), (0, 1), "12", None, (3, 3)])
def test_bad_ngram_range_raises(bad):
    with pytest.raises(ValueError, match="ngram_range"):
        ngram_terms("peace plan", ngram_range=bad)
    with pytest.raises(ValueError, match="ngram_range"):
        Analyzer(bad)


def test_normalize_word():
    assert normalize_word("China’s") == "china"
    assert normalize_word("U.S.") == "u.s"
    assert normalize_word("Cross-Border") == "cross-border"


def test_stopword_file_is_documented_and_loaded():
    stop = load_stopwords()
    assert {"the", "and", "don't", "of"} <= stop
    # kept on purpose, as the file's header says
    assert not {"said", "says", "according", "president", "two"} & stop
    assert all(w == w.lower() and "’" not in w for w in stop)


def test_token_spans_point_into_the_text(articles):
    for text in articles["text"]:
        spans = token_spans(text)
        terms = [t for t, _, _ in spans if t is not None]
        assert terms == tokenize(text)
        for t, a, b in spans:
            if t is not None:
                assert normalize_word(text[a:b]) == t


def test_tokens_of_real_text(by_doc):
    # first sentence of the Deseret article, checked by hand
    text = by_doc["deseret"].text.split("\n\n")[0]
    assert text.startswith("The three-day meeting between Russian President Vladimir Putin")
    assert tokenize(text) == [
        "three-day", "meeting", "russian", "president", "vladimir", "putin", "chinese",
        "president", "xi", "jinping", "ended", "wednesday",
    ]  # fmt: skip
    assert ngram_terms(text, ngram_range=(2, 2))[:3] == [
        "three-day meeting", "russian president", "president vladimir",
    ]  # fmt: skip


def test_curly_and_straight_apostrophes_count_alike(articles):
    text = articles["text"].str.cat(sep="\n\n")
    assert "’s" in text and "'s" in text  # the case study has both spellings
    assert ngram_terms(text) == ngram_terms(text.replace("’", "'"))
    assert ngram_terms(text) == ngram_terms(text.replace("'", "’"))
    # "china" counts China, China’s and China's, not the hyphenated words (China-brokered)
    whole = r"(?<![\w'’-])china(?:['’]s)?(?![\w'’-])"
    assert tokenize(text).count("china") == len(re.findall(whole, text, re.I)) == 43


def test_analyzer_in_sklearn_and_picklable(sents):
    body = sents.loc[sents["kind"] == "body", "text"]
    vec = CountVectorizer(analyzer=Analyzer((1, 2)))
    X = vec.fit_transform(body)
    vocab = vec.vocabulary_
    expected = sum(ngram_terms(t).count("peace plan") for t in body)
    assert X[:, vocab["peace plan"]].sum() == expected == 6
    assert pickle.loads(pickle.dumps(Analyzer((1, 1))))("China’s plan") == ["china", "plan"]


def test_flat_api():
    assert framing.tokenize is tokenize and framing.Analyzer is Analyzer
    assert framing.ngram_terms is ngram_terms and framing.load_stopwords is load_stopwords
    assert not hasattr(framing, "analyze")  # renamed ngram_terms; analyze_corpus runs a corpus


def _reference(text):
    return [t for _, t, _, _ in scan_words(text, load_stopwords())]


def test_fast_path_equals_offset_path(articles):
    for text in articles["text"]:
        assert terms_with_breaks(text, load_stopwords()) == _reference(text)
    odd = "İstanbul’s U.S.-backed talks, ΣΟΦΙΑ’S plan"  # İ lower-cases to two characters
    assert terms_with_breaks(odd, load_stopwords()) == _reference(odd)


@requires_allsides()
def test_fast_path_equals_offset_path_on_allsides():
    df = pd.read_json(ALLSIDES, lines=True, nrows=300)
    for text in df["text"]:
        assert terms_with_breaks(text, load_stopwords()) == _reference(text)
