"""The term counting engine (framing.text.counting): the compiled path against scikit-learn's
CountVectorizer and against the reference path (the Python tokenizer text by text), with two
threads, growing hash tables, hash collisions and a failing thread; group sums against the
sparse product; the compiled kernels where numba cannot cache."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import framing
from framing import Analyzer, log_odds, term_counts
from framing.text import counting, kernels
from framing.text.counting import doc_term, doc_term_strings, group_matrix, group_sums
from framing.text.tokens import scan_words
from tests.conftest import ALLSIDES, requires_allsides


@pytest.fixture(scope="module")
def body(sents) -> pd.DataFrame:
    return sents[sents["kind"] == "body"]


@pytest.mark.parametrize("chunk", [1, 7, 2000])
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2)])
def test_doc_term_equals_countvectorizer(body, chunk, ngram_range):
    from sklearn.feature_extraction.text import CountVectorizer

    texts = body["text"].tolist() + ["", "2023 ..."]  # rows without any term too
    vec = CountVectorizer(analyzer=Analyzer(ngram_range))
    expected = vec.fit_transform(texts)
    X, vocab = doc_term(texts, Analyzer(ngram_range), chunk=chunk)
    assert list(vocab) == list(vec.get_feature_names_out())
    assert (expected != X).nnz == 0 and X.shape == expected.shape


# The counting path (numpy over chunks of texts) against the reference path
# (framing.ngram_terms text by text, the strings factorized): the same matrix and the same
# vocabulary. The extra texts hit each rule of the tokenizer where the numpy path has its own
# code: dotted abbreviations that backtrack, a letter whose lower case is longer (İ), joiners,
# blank lines with spaces, underscores, NUL characters (the path's own separator), empty texts.
EDGE_TEXTS = [
    "İstanbul’s U.S.-backed talks, ΣΟΦΙΑ’S plan",
    "u.s.ab a.bc x-u.s. a.b.cd.e.f u.s-led 3.b a.1 e.g. i.e., a.b.c. k.-x U.S.A.'s",
    "_foo_bar_ snake_case words\n \t\nnext para\n\n\nthird\n\n",
    "O’Brien’s cross-border co-op's 12-point plan--and 'quoted' countries' ‘views’ `tick`",
    "dog god dog's gods'",
    "Élysée ÜBER Straße ΑΘΗΝΑ DŽungla",  # lower case by table: accents, Greek, a digraph
    "ΟΔΟΣ ΣΟΦΙΑΣ",  # final sigma, at the end and the start of a text
    "ΣΟΦΙΑ ΟΔΟΣ",
    "",
    "2023 ...",
    "nul\x00byte word\x00\x00",
    "trailing word",
]


@pytest.mark.parametrize("chunk", [1, 7, 2000])
@pytest.mark.parametrize("stop_words", [True, False])
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2)])
def test_fast_counting_equals_reference(body, articles, chunk, stop_words, ngram_range):
    texts = body["text"].tolist() + articles["text"].tolist() + EDGE_TEXTS
    analyzer = Analyzer(ngram_range, stop_words)
    X, vocab = doc_term(texts, analyzer, chunk=chunk)
    Y, expected = doc_term_strings(texts, analyzer, chunk=chunk)
    assert list(vocab) == list(expected)
    assert X.shape == Y.shape and (X != Y).nnz == 0 and X.dtype == Y.dtype
    # a Series (as term_counts passes it, read chunk by chunk) with an index of its own
    S, svocab = doc_term(
        pd.Series(texts, index=range(500, 500 + len(texts))), analyzer, chunk=chunk
    )
    assert list(svocab) == list(expected) and (S != Y).nnz == 0


def test_fast_counting_survives_hash_collisions(body, monkeypatch):
    # Words of more than 7 characters are hashed. With the hash's base set to 1, the hash is
    # the sum of the characters: anagrams ("sledgehammer", "hammersledge") collide, inside a
    # chunk and across chunks. The exact checks must catch it; the counts stay those of the
    # reference path.
    monkeypatch.setattr(counting, "HASH_BASE", 1)
    texts = ["sledgehammer and hammersledge", "hammersledge", "sledgehammer"]
    texts += body["text"].head(40).tolist()
    for chunk in (1, 2000):
        X, vocab = doc_term(texts, Analyzer((1, 2)), chunk=chunk)
        Y, expected = doc_term_strings(texts, Analyzer((1, 2)))
        assert list(vocab) == list(expected) and (X != Y).nnz == 0
    assert {"sledgehammer", "hammersledge"} <= set(vocab)


@requires_allsides()
def test_fast_counting_equals_reference_on_allsides():
    texts = pd.read_json(ALLSIDES, lines=True, nrows=300)["text"].tolist()
    X, vocab = doc_term(texts, Analyzer((1, 2)), chunk=37)  # several chunks share the ids
    Y, expected = doc_term_strings(texts, Analyzer((1, 2)))
    assert list(vocab) == list(expected)
    assert X.shape == Y.shape and (X != Y).nnz == 0
    assert X.sum() > 100_000  # a real amount of text went through both


def _python_tally(text: str) -> tuple[int, int]:
    # the Python tokenizer's words of a text and those that are no term even without stop
    # words (one character, or a number without a letter)
    words = [w for kind, w, _, _ in scan_words(text, frozenset()) if kind == "word"]
    return len(words), words.count(None)


@requires_allsides()
@pytest.mark.parametrize("threads", [1, 2])
def test_word_tallies_equal_the_python_tokenizer(body, articles, threads):
    # token_summary's words and numbers come from the compiled scan's tallies; text by text
    # they must be the Python tokenizer's, on the case study, 300 AllSides articles and edge
    # cases (texts whose lower case is longer go through the Python path: "İstanbul")
    texts = body["text"].tolist() + articles["text"].tolist() + EDGE_TEXTS
    texts += ["5's 1-2 9/11 x1 1x a I 3.b 2023's 1,000 ½ ²", "İ 5 a U.S. 12-point"]
    texts += pd.read_json(ALLSIDES, lines=True, nrows=300)["text"].tolist()
    X, vocab, tally = doc_term(texts, Analyzer((1, 2)), chunk=7, threads=threads, tally=True)
    expected = np.array([_python_tally(t) for t in texts])
    assert tally.shape == (len(texts), 2) and (tally == expected).all()
    assert tally[:, 0].sum() > 200_000 and tally[:, 1].sum() > 5_000  # real amounts
    Y, _ = doc_term(texts, Analyzer((1, 2)), chunk=7, threads=threads)
    assert (X != Y).nnz == 0  # the matrix is the same with or without tallies


def test_term_counts_empty():
    tc = term_counts(pd.DataFrame({"outlet": ["A"], "text": ["2023, the 12"]}))
    assert tc.counts.shape == (1, 0) and log_odds(tc).empty


def test_term_counts_needs_the_by_column(sents, articles):
    # the sentence table is keyed (no outlet): the group column is joined by the caller
    assert "outlet" not in sents.columns
    with pytest.raises(ValueError, match="by='outlet': data has no column 'outlet'"):
        term_counts(sents)
    tc = term_counts(framing.join_articles(sents, articles))
    assert list(tc.groups) == sorted(articles["outlet"])
    # the same rows as counting by doc_id, the groups summed
    by_doc = term_counts(sents, by="doc_id")
    assert (tc.doc_term != by_doc.doc_term).nnz == 0 and tc.counts.sum() == by_doc.counts.sum()


@pytest.mark.parametrize("threads", [1, 2])
def test_counting_threads_and_table_growth(body, articles, monkeypatch, threads):
    # Two threads count half the chunks each and merge; hash tables that start with 4 slots
    # make the compiled scan stop and resume after each growth, many times, in both tables.
    # Counts and vocabulary must stay those of the reference path.
    texts = body["text"].tolist() + articles["text"].tolist() + EDGE_TEXTS
    expected = doc_term_strings(texts, Analyzer((1, 2)))
    for slots in (4, 1 << 16):
        monkeypatch.setattr(counting, "FIRST_SLOTS", slots)
        X, vocab = doc_term(texts, Analyzer((1, 2)), chunk=3, threads=threads)
        assert list(vocab) == list(expected[1])
        assert X.shape == expected[0].shape and (expected[0] != X).nnz == 0
        assert X.has_sorted_indices and X.dtype == np.int64


def test_group_sums_equal_the_sparse_product(sents, articles):
    # term_counts sums each group's rows in compiled code; it must equal the product of the
    # group indicator matrix with the rows x terms matrix, with rows of one group scattered
    tc = term_counts(framing.join_articles(sents, articles), by="outlet")
    assert tc.doc_term.shape[0] > 100
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 3, size=tc.doc_term.shape[0])
    expected = (group_matrix(codes, 4) @ tc.doc_term).tocsr()  # group 3: no rows
    got = group_sums(tc.doc_term, codes, 4)
    assert got.shape == expected.shape and (got != expected).nnz == 0
    assert got.has_sorted_indices and np.all(
        np.diff(got.indices[got.indptr[0] : got.indptr[1]]) > 0
    )
    assert got[3].nnz == 0 and got.sum() == tc.doc_term.sum()


def test_counting_thread_failure_is_raised_not_hung(body, monkeypatch):
    # an error in a counting thread (there the compiled scan runs, on the chunks the main
    # thread prepares) reaches the caller; the thread preparing chunks never waits on a queue
    # that nobody reads
    count_chunk = kernels.count_chunk
    calls = itertools.count()

    def failing(*args):
        if next(calls) >= 5:
            raise RuntimeError("chunk failed")
        return count_chunk(*args)

    monkeypatch.setattr(kernels, "count_chunk", failing)
    with pytest.raises(RuntimeError, match="chunk failed"):
        doc_term(body["text"].tolist() * 5, Analyzer(), chunk=1, threads=2)
    assert next(calls) > 5  # the failures were in the counting threads' scans


def test_kernels_import_where_numba_cannot_cache(tmp_path):
    # A read-only install run by a user without a writable cache folder: numba cannot cache
    # the compiled code; the kernels must then compile in memory, not fail to import. (Files
    # stand where numba would make its folders, so this holds even when run as root.)
    import os
    import shutil
    import subprocess
    import sys

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    shutil.copy(kernels.__file__, pkg)
    (pkg / "__pycache__").write_text("")
    (tmp_path / "home").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(tmp_path / "home"), HOME=str(tmp_path / "home"))
    # numba's own record of each compiled function's cache: no cache path when not cached
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import numpy as np, kernels; "
        "from numba.core.dispatcher import Dispatcher; "
        "jitted = [f for f in vars(kernels).values() if isinstance(f, Dispatcher)]; "
        "print(len(jitted), all(f.stats.cache_path is None for f in jitted), "
        "kernels.log_odds_cells(np.array([2.0]), np.array([3.0]), "
        "np.array([10.0]), 30.0, np.array([3.0]), 30.0)[0][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(pkg)], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    n_jitted, uncached, delta = out.stdout.split()
    assert int(n_jitted) >= 10  # every compiled function of the module was checked
    # log((2 + 3) / (10 + 30 - 2 - 3)) - log((1 + 3) / (20 + 30 - 1 - 3)), by hand
    assert uncached == "True" and float(delta) == pytest.approx(np.log(5 / 35) - np.log(4 / 46))


def test_values_at_equals_scipys_element_indexing():
    # the pooled within-event log-odds read their cells with values_at (scipy's own element
    # indexing scans a whole row per look-up); it must give what scipy gives, 0 where a cell
    # holds nothing, with duplicate entries summed and unsorted rows
    from scipy import sparse

    from framing.text.counting import values_at

    rng = np.random.default_rng(7)
    for trial in range(40):
        n_rows, n_cols = int(rng.integers(1, 6)), int(rng.integers(1, 50))
        nnz = int(rng.integers(0, 60))
        r, c = rng.integers(0, n_rows, nnz), rng.integers(0, n_cols, nnz)
        m = sparse.csr_matrix((rng.integers(1, 9, nnz).astype(float), (r, c)), (n_rows, n_cols))
        m.has_sorted_indices = False  # as built from unsorted triplets
        ask_r, ask_c = rng.integers(0, n_rows, 30), rng.integers(0, n_cols, 30)
        want = m.toarray()[ask_r, ask_c]
        assert values_at(m, ask_r, ask_c).tolist() == want.tolist(), trial
    empty = sparse.csr_matrix((3, 4))
    assert values_at(empty, [0, 2], [1, 3]).tolist() == [0.0, 0.0]
    assert values_at(empty, [], []).tolist() == []
