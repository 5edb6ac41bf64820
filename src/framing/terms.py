"""Which words each outlet leans on: TF-IDF, log-odds with an informative prior, keyness, KWIC.

Every function takes ``data``: the sentence table (:func:`framing.sentences`) or the article
table (:func:`framing.load_corpus`), anything with a ``text`` column and the grouping column
named by ``by`` (``"outlet"`` by default; any column, e.g. an AllSides bias rating). When the
table has a ``kind`` column, only ``kind == "body"`` rows are counted (headings are left out).
Terms are those of :mod:`framing.tokens`. Counts are sparse matrices throughout, and the
statistics are computed for all groups at once.
"""

from __future__ import annotations

__all__ = [
    "TermCounts",
    "keyness",
    "describe_terms",
    "kwic",
    "kwic_top_terms",
    "log_odds",
    "plot_log_odds",
    "plot_similarity",
    "plot_stability",
    "plot_top_terms",
    "term_counts",
    "term_stability",
    "read_term_stability",
    "tfidf_similarity",
    "tfidf_terms",
    "token_summary",
]

import os
import queue
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse, stats

from . import tokens
from .figures import escape_markdown as _md
from .figures import plot_text
from .tokens import (
    Analyzer,
    _char_classes,
    _check_ngram_range,
    _chunk_general,
    _chunk_text,
    _grow,
    _lower_table,
    _raw_classes,
    _scan,
    _Vocab,
    load_stopwords,
)

Measure = Literal["chi2", "lr"]
Correction = Literal["default", "none"]


# ---------------------------------------------------------------------------------------------
# counting


@dataclass(frozen=True)
class TermCounts:
    """Term counts of one table, kept sparse.

    Attributes:
        by: the grouping column.
        groups: group labels, sorted.
        codes: for each counted row, the index of its group in ``groups``.
        rows: the index labels of the counted rows of the input table.
        vocab: the terms, sorted (column order of the matrices); a pandas string array.
        doc_term: rows x terms counts (CSR, int64).
        counts: groups x terms counts (CSR, int64), the sum of ``doc_term`` by group.
        ngram_range: the n-grams counted.
    """

    by: str
    groups: np.ndarray
    codes: np.ndarray
    rows: pd.Index
    vocab: pd.api.extensions.ExtensionArray | np.ndarray
    doc_term: sparse.csr_matrix
    counts: sparse.csr_matrix
    ngram_range: tuple[int, int]

    @cached_property
    def vocab_index(self) -> pd.Index:
        """``vocab`` as a pandas Index (built once; used to label output rows)."""
        return pd.Index(self.vocab, name="term")

    @cached_property
    def group_index(self) -> pd.Index:
        """``groups`` as a pandas Index."""
        return pd.Index(self.groups, name=self.by)


def _units(data: pd.DataFrame, by: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a DataFrame, got {type(data).__name__}")
    for col in ("text", by):
        if col not in data.columns:
            raise ValueError(
                f"by={by!r}: data has no column {col!r}; columns are {list(data.columns)}"
                if col == by
                else f"data has no 'text' column; columns are {list(data.columns)}"
            )
    if "kind" in data.columns:
        data = data[data["kind"] == "body"]
    return data


def _group_matrix(codes: np.ndarray, n_groups: int, weights=None) -> sparse.csr_matrix:
    n = len(codes)
    w = np.ones(n, dtype=np.int64) if weights is None else weights
    return sparse.csr_matrix((w, (codes, np.arange(n))), shape=(n_groups, n))


def _group_sums(X: sparse.csr_matrix, codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    # groups x terms: the sum of each group's rows of X (as _group_matrix(codes) @ X), columns
    # in order; compiled (_kernels.group_sums), the groups in two halves on two threads
    from concurrent.futures import ThreadPoolExecutor

    from . import _kernels

    rows = np.argsort(codes, kind="stable")
    group_ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=n_groups), out=group_ptr[1:])
    row_nnz = np.diff(X.indptr)
    nnz_cum = np.r_[0, np.cumsum(row_nnz[rows])]  # entries of X before each group's rows
    at = nnz_cum[group_ptr]
    mid = int(np.searchsorted(at, at[-1] / 2))
    halves = [(0, mid), (mid, n_groups)]

    def one(g0, g1):
        size = int(at[g1] - at[g0])  # at most the rows' entries
        out_col = np.empty(size, dtype=np.int32)
        out_val = np.empty(size, dtype=np.int64)
        n_out = _kernels.group_sums(
            X.indptr, X.indices, X.data, rows, group_ptr, g0, g1, X.shape[1], out_col, out_val
        )
        m = int(n_out.sum())
        return n_out, out_col[:m], out_val[:m]

    with ThreadPoolExecutor(2) as pool:
        parts = list(pool.map(lambda h: one(*h), halves))
    indptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.concatenate([p[0] for p in parts]), out=indptr[1:])
    indices = np.concatenate([p[1] for p in parts])
    if indptr[-1] < 2**31:
        indptr = indptr.astype(np.int32)
    else:
        indices = indices.astype(np.int64)
    C = sparse.csr_matrix(
        (np.concatenate([p[2] for p in parts]), indices, indptr), shape=(n_groups, X.shape[1])
    )
    C.has_sorted_indices = True
    return C


def term_counts(
    data: pd.DataFrame, *, by: str = "outlet", ngram_range: tuple[int, int] = (1, 2)
) -> TermCounts:
    """Count the terms of every row and sum them by group, as sparse matrices.

    Args:
        data: sentence or article table with ``text`` and the ``by`` column.
        by: grouping column.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)`` (see :func:`framing.analyze`).

    Returns:
        A :class:`TermCounts`; pass it instead of ``data`` to :func:`log_odds`,
        :func:`tfidf_terms` or :func:`keyness` to count once and reuse.

    Note:
        Rows with ``kind != "body"`` are left out when there is a ``kind`` column. Rows with
        a missing group are left out too (pandas cannot group them). The counts are exactly
        those of :func:`framing.analyze` text by text (and of
        ``CountVectorizer(analyzer=framing.Analyzer(ngram_range))``); they are computed by
        compiled code over chunks of texts on two threads, with only distinct terms ever made
        strings.
    """
    ngram_range = _check_ngram_range(ngram_range)
    units = _units(data, by)
    units = units[units[by].notna()]
    codes, groups = pd.factorize(units[by], sort=True)
    groups = np.asarray(groups)
    texts = units["text"].fillna("").astype(str)  # a Series: read chunk by chunk
    X, vocab = _doc_term(texts, Analyzer(ngram_range))
    C = _group_sums(X, codes, len(groups))
    return TermCounts(by, groups, codes, units.index, vocab, X, C, ngram_range)


_CHUNK_CHARS = 1_500_000  # characters per chunk: its numpy arrays stay small (< 32 MB)


def _doc_term(texts: list[str] | pd.Series, analyzer, chunk: int = 2000, threads=None):
    # Same matrix as CountVectorizer(analyzer=analyzer). For framing's own Analyzer, each chunk
    # of texts is tokenized and counted text by text in one compiled pass (_kernels.count_chunk:
    # words get ids from a hash table, a bigram is a pair of term ids with an id of its own);
    # only distinct terms are ever Python strings. Any other analyzer: _doc_term_strings.
    if not isinstance(analyzer, Analyzer):
        return _doc_term_strings(texts, analyzer, chunk)
    # chunks of at most `chunk` texts and about _CHUNK_CHARS characters
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    bounds, i = [], 0
    while i < len(texts):
        j, size = i, 0
        while j < len(texts) and j - i < chunk and size < _CHUNK_CHARS:
            size += lengths[j]
            j += 1
        bounds.append((i, j))
        i = j
    # a Series is turned into Python strings one chunk at a time (memory: one chunk, not all)
    series = isinstance(texts, pd.Series)

    def chunk_of(i, j):
        return texts.iloc[i:j].tolist() if series else texts[i:j]

    # Two threads (the compiled loops release the GIL) count one half of the chunks each, with
    # tables of their own; this thread turns the chunks into code points for them (the Python
    # part, which holds the GIL) while they count. The second half's ids are then mapped into
    # the first's.
    n = _count_threads() if threads is None else threads
    if n < 2 or len(bounds) < 4:
        counter = _ChunkCounter(analyzer, len(texts), int(lengths.sum()))
        for i, j in bounds:
            counter.add(chunk_of(i, j), i)
        return counter.matrix()
    cum = np.cumsum([lengths[i:j].sum() for i, j in bounds])
    half = int(np.searchsorted(cum, cum[-1] / 2)) + 1
    halves = [bounds[:half], bounds[half:]]
    # the first counter will hold the second's entries too
    counters = [
        _ChunkCounter(analyzer, len(texts), int(cum[-1])),
        _ChunkCounter(analyzer, len(texts), int(cum[-1] - cum[half - 1])),
    ]
    queues = [queue.Queue(maxsize=2), queue.Queue(maxsize=2)]

    def work(k):
        failed = None
        while (item := queues[k].get()) is not None:
            if failed is None:  # after a failure, only drain the queue (the feeder never waits)
                try:
                    counters[k].add_prepared(*item)
                except BaseException as e:  # noqa: BLE001 - re-raised below
                    failed = e
        if failed is not None:
            raise failed

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(work, k) for k in (0, 1)]
        try:
            for step in range(max(len(h) for h in halves)):
                for k in (0, 1):
                    if step < len(halves[k]):
                        i, j = halves[k][step]
                        part = chunk_of(i, j)
                        queues[k].put((_chunk_text(part), part, i))
        finally:
            for q in queues:
                q.put(None)
        for job in jobs:
            job.result()
    a, b = counters
    a.absorb(b)
    return a.matrix()


def _count_threads() -> int:
    # threads for counting: two when the machine lets this process use two cores
    try:
        return min(2, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return min(2, os.cpu_count() or 1)


class _ChunkCounter:
    """Counts of terms and bigrams, text by text, for chunks of texts given in order.

    Holds the word table (:class:`framing.tokens._Vocab`), the bigram table (pairs of term ids,
    key ``first << 32 | second``, in the same layout), the per-text scratch counts and the
    entries written so far: for each text, its distinct terms and bigrams with their counts.
    """

    def __init__(self, analyzer: Analyzer, n_texts: int, expect_chars: int = 0):
        lo, hi = analyzer.ngram_range
        self.unigrams, self.bigrams = lo == 1, hi == 2
        self.vocab = _Vocab(load_stopwords() if analyzer.stop_words else frozenset())
        self.btable = np.zeros(2 * tokens._FIRST_SLOTS, dtype=np.uint64)  # (key, id + 1 or 0)
        self.bkey = np.zeros(1 << 15, dtype=np.uint64)  # per bigram id: its key
        self.bscratch = np.zeros(1 << 15, dtype=np.int32)  # per bigram: count in the text
        self.bstate = np.zeros(1, dtype=np.int64)  # bigrams
        self.uscratch = np.zeros(1 << 15, dtype=np.int32)  # per term: count in the text
        self.out_n = np.zeros(n_texts, dtype=np.int64)  # entries per text
        # entries: about one per 12 characters of news text; room for one per 8 at first (pages
        # never written cost nothing), grown if need be
        room = expect_chars // 8 + (1 << 16)
        self.out_col = np.zeros(room, dtype=np.int32)  # term id, or -1 - bigram id
        self.out_cnt = np.zeros(room, dtype=np.int32)
        self.pos = 0  # entries written

    def _reserve(self, n_chars: int) -> None:
        # room for the words of n_chars characters (at most one per two) and their entries
        most = n_chars // 2 + 1
        self.vocab.reserve(n_chars)
        nt, nb = self.vocab.n_terms, int(self.bstate[0])
        if len(self.uscratch) < nt + most:  # all zero between texts: no copy needed
            self.uscratch = np.zeros(max(nt + most, 2 * len(self.uscratch)), dtype=np.int32)
        if len(self.bscratch) < nb + most:
            self.bscratch = np.zeros(max(nb + most, 2 * len(self.bscratch)), dtype=np.int32)
        self.bkey = _grow(self.bkey, nb + most, nb)
        self.out_col = _grow(self.out_col, self.pos + 2 * most, self.pos)
        self.out_cnt = _grow(self.out_cnt, self.pos + 2 * most, self.pos)

    def add(self, texts: list[str], first: int) -> None:
        """Count ``texts``, the texts ``first, first + 1, ...`` of the corpus."""
        if texts:
            self.add_prepared(_chunk_text(texts), texts, first)

    def add_prepared(self, prepared, texts: list[str], first: int) -> None:
        """:meth:`add` with ``prepared = tokens._chunk_text(texts)`` done beforehand."""
        from . import _kernels

        if not texts:
            return
        if prepared is None:  # a text whose lower case is longer: those alone, in order
            for i, text in enumerate(texts):
                if len(text.lower()) == len(text):
                    self.add([text], first + i)
                else:
                    self._add_general(text, first + i)
            return
        raw, lowered, starts = prepared
        self._reserve(len(raw))
        v = self.vocab
        run = np.array([0, self.pos, self.pos, 0, 1, 0, -1], dtype=np.int64)
        while _kernels.count_chunk(
            raw, lowered, _lower_table(), _char_classes() if lowered else _raw_classes(),
            starts, v.base, self.unigrams, self.bigrams, v.table, v.wkey, v.wat, v.wlen,
            v.wterm, v.term_word, v.store, v.state, self.btable, self.bkey, self.bstate,
            self.uscratch, self.bscratch, self.out_n[first : first + len(texts)], self.out_col,
            self.out_cnt, run,
        ):  # fmt: skip
            # a table is half full: twice as many slots
            if 4 * (int(v.state[0]) + 1) > len(v.table):
                v.table = _kernels.rehash(v.wkey, int(v.state[0]), len(v.table))
            if 4 * (int(self.bstate[0]) + 1) > len(self.btable):
                self.btable = _kernels.rehash(self.bkey, int(self.bstate[0]), len(self.btable))
        self.pos = int(run[1])

    def _add_general(self, text: str, row: int) -> None:
        # the Python tokenizer's words of one text (rare: a text whose lower case is longer),
        # counted in numpy; its bigrams get their ids from the same table
        _, ids, pair = _chunk_general([text], self.vocab)
        terms, t_counts = np.unique(ids[ids >= 0], return_counts=True)
        if not self.unigrams:
            terms, t_counts = terms[:0], t_counts[:0]
        keys = np.zeros(0, dtype=np.uint64)
        if self.bigrams:
            p = np.flatnonzero(pair)
            keys = (ids[p].astype(np.uint64) << np.uint64(32)) | ids[p + 1].astype(np.uint64)
        bigrams, b_counts = np.unique(self._pair_ids(keys), return_counts=True)
        col = np.r_[terms, -1 - bigrams].astype(np.int32)
        end = self.pos + len(col)
        self.out_col = _grow(self.out_col, end, self.pos)
        self.out_cnt = _grow(self.out_cnt, end, self.pos)
        self.out_col[self.pos : end] = col
        self.out_cnt[self.pos : end] = np.r_[t_counts, b_counts]
        self.out_n[row] = len(col)
        self.pos = end

    def _pair_ids(self, keys: np.ndarray) -> np.ndarray:
        # bigram ids of keys (first term id << 32 | second), new ones added to the table
        from . import _kernels

        nb = int(self.bstate[0])
        self.bkey = _grow(self.bkey, nb + len(keys), nb)
        slots = 1 << int(2 * (nb + len(keys)) + 1).bit_length()  # at most half full after
        if len(self.btable) < 2 * slots:
            self.btable = _kernels.rehash(self.bkey, nb, slots)
        return _kernels.add_pairs(keys, self.btable, self.bkey, self.bstate)

    def absorb(self, other: _ChunkCounter) -> None:
        """Add the counts of ``other``, which counted texts after all of this one's."""
        from . import _kernels

        ov, v = other.vocab, self.vocab
        nt = ov.n_terms
        words = ov.term_word[:nt]
        v.reserve(int(ov.wlen[words].sum()), nt)
        tmap, v.table = _kernels.merge_words(
            words, ov.wat, ov.wlen, ov.store, v.base, v.table, v.wkey, v.wat, v.wlen, v.wterm,
            v.term_word, v.store, v.state,
        )  # fmt: skip
        keys = other.bkey[: int(other.bstate[0])]
        first = tmap[(keys >> np.uint64(32)).astype(np.int64)].astype(np.uint64)
        second = tmap[(keys & np.uint64(0xFFFFFFFF)).astype(np.int64)].astype(np.uint64)
        bmap = self._pair_ids((first << np.uint64(32)) | second)
        end = self.pos + other.pos
        self.out_col = _grow(self.out_col, end, self.pos)
        self.out_cnt = _grow(self.out_cnt, end, self.pos)
        _kernels.remap_entries(other.out_col[: other.pos], tmap, bmap, self.out_col[self.pos : end])
        self.out_cnt[self.pos : end] = other.out_cnt[: other.pos]
        self.pos = end
        self.out_n += other.out_n

    def matrix(self):
        nb = int(self.bstate[0])
        return _doc_term_from_entries(
            len(self.out_n), self.vocab.terms(), self.unigrams, self.bkey[:nb], self.out_n,
            self.out_col[: self.pos], self.out_cnt[: self.pos],
        )  # fmt: skip


def _doc_term_from_entries(n_texts, terms, unigrams, key, n_entries, cols, cnts):
    # Columns in string order without sorting strings of bigrams: terms hold no space and no
    # character below " ", so "a b" sorts right after "a" and before any longer term that
    # starts with "a": the order of (rank of a, 0 for the unigram or 1 + rank of b). The
    # vocabulary is built in Arrow (a pandas "str" array), never as millions of Python strings.
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import _kernels

    n_terms = len(terms)
    terms = pa.array(terms, type=pa.large_string())  # 64-bit offsets: any vocabulary size
    by_rank_ids = pc.array_sort_indices(terms).to_numpy()  # UTF-8 order: code-point order
    rank = np.empty(n_terms, dtype=np.int64)
    rank[by_rank_ids] = np.arange(n_terms)
    base = np.int64(n_terms + 1)
    uni = np.arange(n_terms) if unigrams else np.zeros(0, dtype=np.int64)
    b_a = (key >> np.uint64(32)).astype(np.int64)
    b_b = (key & np.uint64(0xFFFFFFFF)).astype(np.int64)
    keys = np.r_[rank[uni] * base, rank[b_a] * base + rank[b_b] + 1]
    if not len(keys):
        return sparse.csr_matrix((n_texts, 0), dtype=np.int64), pd.array([], dtype="str")
    order = np.argsort(keys)  # distinct keys
    col_of = np.empty(len(keys), dtype=np.int32)
    col_of[order] = np.arange(len(keys), dtype=np.int32)
    # the matrix, its rows sorted in two threads (compiled, without the GIL) while this one
    # writes the vocabulary
    indptr = np.zeros(n_texts + 1, dtype=np.int64)
    np.cumsum(n_entries, out=indptr[1:])
    indices = np.empty(len(cols), dtype=np.int32)
    data = np.empty(len(cols), dtype=np.int64)
    mid = min(int(np.searchsorted(indptr, indptr[-1] // 2)), n_texts)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        jobs = [
            pool.submit(
                _kernels.assemble, indptr, cols, cnts, col_of, len(uni), r0, r1, indices, data
            )
            for r0, r1 in ((0, mid), (mid, n_texts))
        ]
        first, second = np.divmod(keys[order], base)
        by_rank = terms.take(pa.array(by_rank_ids))
        is_bi = second > 0
        n_bi = int(is_bi.sum())
        parts = [by_rank.take(pa.array(first[~is_bi]))]
        if n_bi:
            left = by_rank.take(pa.array(first[is_bi]))
            right = by_rank.take(pa.array(second[is_bi] - 1))
            parts.append(
                pc.binary_join_element_wise(left, right, pa.scalar(" ", pa.large_string()))
            )
        at = np.empty(len(keys), dtype=np.int64)  # where each column's string is in parts
        at[~is_bi] = np.arange(len(keys) - n_bi)
        at[is_bi] = len(keys) - n_bi + np.arange(n_bi)
        vocab = pd.array(pa.concat_arrays(parts).take(pa.array(at)), dtype="str")
        for job in jobs:
            job.result()
    if indptr[-1] < 2**31:  # scipy keeps one index type for both arrays
        indptr = indptr.astype(np.int32)
    else:
        indices = indices.astype(np.int64)
    X = sparse.csr_matrix((data, indices, indptr), shape=(n_texts, len(vocab)))
    X.has_sorted_indices = True
    return X, vocab


def _doc_term_strings(texts: list[str], analyzer, chunk: int = 2000):
    # Same matrix as CountVectorizer(analyzer=analyzer), for any analyzer: each chunk of texts is
    # tokenized, its tokens factorized in C (pandas' hash table), and only the chunk's distinct
    # terms go through a Python dict to get corpus-wide ids. Chunks bound the memory held in
    # token strings. Columns are then renumbered so the vocabulary is sorted.
    index: dict[str, int] = {}
    rows, cols = [], []
    for lo in range(0, len(texts), chunk):
        toks: list[str] = []
        lengths = np.empty(min(chunk, len(texts) - lo), dtype=np.int64)
        for i, text in enumerate(texts[lo : lo + chunk]):
            t = analyzer(text)
            toks.extend(t)
            lengths[i] = len(t)
        if not toks:
            continue
        local, uniques = pd.factorize(np.array(toks, dtype=object))
        ids = np.fromiter(
            (index.setdefault(u, len(index)) for u in uniques), dtype=np.int64, count=len(uniques)
        )
        cols.append(ids[local])
        rows.append(np.repeat(np.arange(lo, lo + len(lengths)), lengths))
    if not index:
        return sparse.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], dtype=object)
    keys = np.array(list(index), dtype=object)  # ids are 0, 1, ... in insertion order
    # pandas' string sort (code-point order, as Python's sorted) is much faster on millions
    order = pd.Index(keys).argsort()
    vocab = keys[order]
    remap = np.empty(len(keys), dtype=np.int64)
    remap[order] = np.arange(len(keys))
    r, c = np.concatenate(rows), remap[np.concatenate(cols)]
    X = sparse.csr_matrix((np.ones(len(r), dtype=np.int64), (r, c)), shape=(len(texts), len(vocab)))
    X.sum_duplicates()
    return X, vocab


def _counts(data, by: str, ngram_range) -> TermCounts:
    if isinstance(data, TermCounts):
        return data
    return term_counts(data, by=by, ngram_range=ngram_range)


def token_summary(data: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """How many words went in and how many became terms, by group: the counts at each step.

    Args:
        data: sentence or article table with ``text`` and the ``by`` column.
        by: grouping column.

    Returns:
        One row per group (and a final ``"all"`` row): ``rows`` (sentences or articles
        counted), ``words`` (every word the tokenizer found), ``numbers_or_short`` (words
        dropped because they have no letter or one character), ``stop_words`` (dropped by the
        committed list), ``terms`` (unigram tokens kept) and ``bigrams`` (bigram tokens).
    """
    units = _units(data, by)
    units = units[units[by].notna()]
    stop = load_stopwords()
    recs = []
    for g, sub in units.groupby(by, sort=True):
        words = short = stopped = terms = bigrams = 0
        for text in sub["text"].fillna("").astype(str):
            seq = _scan(text, frozenset())
            prev = False
            for kind, w, _, _ in seq:
                if kind == "brk":
                    prev = False
                    continue
                words += 1
                if w is None:
                    short += 1
                    prev = False
                elif w in stop:
                    stopped += 1
                    prev = False
                else:
                    terms += 1
                    bigrams += prev
                    prev = True
        recs.append((g, len(sub), words, short, stopped, terms, bigrams))
    cols = [by, "rows", "words", "numbers_or_short", "stop_words", "terms", "bigrams"]
    out = pd.DataFrame.from_records(recs, columns=cols)
    total = out.drop(columns=by).sum()
    out.loc[len(out)] = ["all", *total.tolist()]
    return out


# ---------------------------------------------------------------------------------------------
# TF-IDF


def _tfidf(tc: TermCounts, sublinear_tf: bool) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import TfidfTransformer

    tr = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=sublinear_tf)
    return tr.fit_transform(tc.counts.astype(np.float64)).tocsr()


def _top_per_group(g: np.ndarray, score: np.ndarray, w: np.ndarray, top: int | None):
    # Order by group, score descending, then term (vocab is sorted: index order = name order).
    # The entries come from a CSR matrix with sorted indices, so g is ascending and w ascending
    # within each group: a stable sort of each group's scores keeps ties in term order, which
    # is np.lexsort((w, -score, g)) at a fraction of the cost on millions of entries.
    dg = np.diff(g)
    if np.any(dg < 0) or np.any((dg == 0) & (np.diff(w) <= 0)):
        order = np.lexsort((w, -score, g))  # not CSR order: the general way
        g_sorted = g[order]
        starts = np.searchsorted(g_sorted, g_sorted, side="left")
    else:
        bounds = np.flatnonzero(np.diff(g)) + 1
        first = np.r_[0, bounds].astype(np.int64)
        last = np.r_[bounds, len(g)].astype(np.int64)
        order = np.empty(len(g), dtype=np.int64)
        neg = -score

        def sort_groups(pairs):  # numpy's sort releases the GIL: two threads share the groups
            for a, b in pairs:
                order[a:b] = a + np.argsort(neg[a:b], kind="stable")

        pairs = list(zip(first.tolist(), last.tolist(), strict=True))
        half = int(np.searchsorted(last, len(g) / 2))
        if len(g) > 100_000:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(2) as pool:
                list(pool.map(sort_groups, [pairs[:half], pairs[half:]]))
        else:
            sort_groups(pairs)
        starts = np.repeat(first, last - first)
    rank = np.arange(len(order)) - starts + 1
    keep = rank <= top if top is not None else np.ones(len(order), dtype=bool)
    return order[keep], rank[keep]


def _labels(tc: TermCounts, g: np.ndarray, w: np.ndarray) -> tuple[pd.Index, pd.Index]:
    # group and term labels by position; Index.take stays in pandas' string array (fast), and
    # on millions of rows the two run at once (Arrow's take releases the GIL)
    if len(g) < 100_000:
        return tc.group_index.take(g), tc.vocab_index.take(w)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        groups = pool.submit(tc.group_index.take, g)
        terms = tc.vocab_index.take(w)
        return groups.result(), terms


def _check_top(top):
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top={top!r} is not allowed; use a positive integer or None")


def tfidf_terms(
    data: pd.DataFrame | TermCounts,
    *,
    by: str = "outlet",
    top: int | None = 20,
    ngram_range: tuple[int, int] = (1, 2),
    sublinear_tf: bool = False,
) -> pd.DataFrame:
    """TF-IDF of each term with each group's text taken as one document.

    Args:
        data: sentence or article table, or a :class:`TermCounts`.
        by: grouping column.
        top: terms kept per group (highest TF-IDF first), or None for all.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        sublinear_tf: use ``1 + log(tf)`` instead of raw counts.

    Returns:
        ``<by>, term, tfidf, count, rank`` sorted by group then rank (ties by term).

    Note:
        The same as ``TfidfVectorizer(analyzer=framing.Analyzer(ngram_range), norm="l2",
        use_idf=True, smooth_idf=True, sublinear_tf=sublinear_tf)`` fitted on one document per
        group (counts computed once, then ``TfidfTransformer``). With few groups the IDF is
        coarse: with 4 outlets a term has one of only 4 IDF values, and a term all outlets use
        still scores (``idf = 1``), so TF-IDF mixes "frequent here" with "rare elsewhere";
        :func:`log_odds` separates the two and gives a z-score.
    """
    _check_top(top)
    tc = _counts(data, by, ngram_range)
    T = _tfidf(tc, sublinear_tf)
    T.sort_indices()
    T = T.tocoo()
    g, w, s = T.row.astype(np.int64), T.col.astype(np.int64), T.data
    idx, rank = _top_per_group(g, s, w, top)
    counts = np.asarray(tc.counts[g[idx], w[idx]]).ravel()
    groups, terms = _labels(tc, g[idx], w[idx])
    return pd.DataFrame(
        {
            tc.by: groups,
            "term": terms,
            "tfidf": s[idx],
            "count": counts.astype(np.int64),
            "rank": rank.astype(np.int64),
        },
        copy=False,  # fresh arrays: pandas would copy them into one block (~0.5 s on millions)
    )


def tfidf_similarity(
    data: pd.DataFrame | TermCounts,
    *,
    by: str = "outlet",
    ngram_range: tuple[int, int] = (1, 2),
    sublinear_tf: bool = False,
) -> pd.DataFrame:
    """Cosine similarity of the groups' TF-IDF vectors (those of :func:`tfidf_terms`).

    Args:
        data: sentence or article table, or a :class:`TermCounts`.
        by: grouping column.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        sublinear_tf: as in :func:`tfidf_terms`.

    Returns:
        Every ordered pair of groups: ``<by>_a, <by>_b, cosine`` (1 on the diagonal).

    Note:
        Terms every group uses get the lowest IDF weight but still count, so similarity is
        driven by shared topic words; it says how alike the vocabularies are, not who copied.
    """
    tc = _counts(data, by, ngram_range)
    T = _tfidf(tc, sublinear_tf)
    S = (T @ T.T).toarray()
    n = len(tc.groups)
    a, b = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    return pd.DataFrame({f"{tc.by}_a": tc.groups[a], f"{tc.by}_b": tc.groups[b], "cosine": S[a, b]})


# ---------------------------------------------------------------------------------------------
# log-odds with an informative Dirichlet prior


def _log_odds_arrays(y_in, y_w, n_in, N, prior_scale, a=None, a0=None):
    # Monroe, Colaresi & Quinn (2008), eq. 16 and 17, each group against the rest:
    #   a_w = s * y_w, a_0 = s * N
    #   delta = log((y_in + a_w) / (n_in + a_0 - y_in - a_w))
    #         - log((y_out + a_w) / (n_out + a_0 - y_out - a_w))
    #   z = delta / sqrt(1 / (y_in + a_w) + 1 / (y_out + a_w))
    # a and a0 may be given (the bootstrap holds the prior at the full data's frequencies).
    # (computed cell by cell in _kernels.log_odds_cells: millions of cells on a real corpus)
    from . import _kernels

    y_w = np.asarray(y_w, dtype=np.float64)
    a = prior_scale * y_w if a is None else np.asarray(a, dtype=np.float64)
    a0 = prior_scale * N if a0 is None else a0
    return _kernels.log_odds_cells(
        np.asarray(y_in, dtype=np.float64), y_w, np.asarray(n_in, dtype=np.float64),
        float(N), np.broadcast_to(a, y_w.shape), float(a0),
    )  # fmt: skip


def _check_prior(prior_scale):
    if (
        not isinstance(prior_scale, (int, float))
        or not np.isfinite(prior_scale)
        or prior_scale <= 0
    ):
        raise ValueError(f"prior_scale={prior_scale!r} is not allowed; use a number > 0")


def _group_term_cells(data, by, ngram_range, min_count):
    """Non-zero (group, term) cells of the count matrix with the totals both statistics need:
    ``tc, g, w, y_in, y_w`` (corpus count per term), ``n`` (tokens per group), ``N``."""
    tc = _counts(data, by, ngram_range)
    C = tc.counts.tocoo()
    y_w = np.asarray(tc.counts.sum(axis=0)).ravel()
    n = np.asarray(tc.counts.sum(axis=1)).ravel()
    N = float(n.sum())
    g, w, y_in = C.row.astype(np.int64), C.col.astype(np.int64), C.data
    if min_count > 1:
        keep = y_w[w] >= min_count
        g, w, y_in = g[keep], w[keep], y_in[keep]
    return tc, g, w, y_in, y_w, n, N


def log_odds(
    data: pd.DataFrame | TermCounts,
    *,
    by: str = "outlet",
    prior_scale: float = 1.0,
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 1,
) -> pd.DataFrame:
    """Log-odds ratio with an informative Dirichlet prior, each group against all the others.

    For group ``i`` and term ``w`` with count ``y_in`` in the group (``n_in`` terms in all),
    ``y_out`` in the other groups (``n_out``), and ``y_w = y_in + y_out`` in the corpus
    (``N``): the prior is ``a_w = prior_scale * y_w`` (proportional to the corpus frequency;
    ``a_0 = prior_scale * N``),

    ``delta = log((y_in + a_w) / (n_in + a_0 - y_in - a_w)) - log((y_out + a_w) / (n_out + a_0
    - y_out - a_w))`` and ``z = delta / sqrt(1 / (y_in + a_w) + 1 / (y_out + a_w))``.

    Args:
        data: sentence or article table, or a :class:`TermCounts`.
        by: grouping column.
        prior_scale: weight of the prior relative to the corpus (1.0: the prior counts as much
            as the corpus itself; smaller values shrink rare words less).
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        min_count: keep terms used at least this often in the whole corpus (the prior and the
            totals ``n`` and ``N`` always use every term).

    Returns:
        ``<by>, term, count_in, count_out, log_odds, z`` for every term a group uses, sorted by
        group, then ``z`` descending, then term. ``log_odds`` is ``delta``, in natural-log
        units; positive means the group uses the term more than the rest of the corpus.

    Raises:
        ValueError: ``prior_scale`` not a positive number, ``min_count`` below 1, a bad
            ``ngram_range`` or ``by``.

    Note:
        Terms a group never uses are not listed (their z is negative). With unigrams and
        bigrams together, a bigram's words are counted again as unigrams, so terms are not
        independent. ``z`` is a descriptive score: its normal approximation assumes words are
        drawn independently, which sentences of one article are not; see
        :func:`term_stability` for a bootstrap over sentences.

    References:
        Monroe, B. L., Colaresi, M. P., & Quinn, K. M. (2008). Fightin' Words: Lexical feature
        selection and evaluation for identifying the content of political conflict. Political
        Analysis, 16(4), 372-403.
    """
    _check_prior(prior_scale)
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count={min_count!r} is not allowed; use an integer >= 1")
    tc, g, w, y_in, y_w, n, N = _group_term_cells(data, by, ngram_range, min_count)
    delta, z = _log_odds_arrays(y_in, y_w[w], n[g], N, prior_scale)
    order, _ = _top_per_group(g, z, w, None)
    g, w, y_in, delta, z = g[order], w[order], y_in[order], delta[order], z[order]
    groups, terms = _labels(tc, g, w)
    return pd.DataFrame(
        {
            tc.by: groups,
            "term": terms,
            "count_in": y_in.astype(np.int64),
            "count_out": (y_w[w] - y_in).astype(np.int64),
            "log_odds": delta,
            "z": z,
        },
        copy=False,  # fresh arrays: pandas would copy them into one block (~0.5 s on millions)
    )


# ---------------------------------------------------------------------------------------------
# keyness (chi-square / log-likelihood, as quanteda's textstat_keyness)


def keyness(
    data: pd.DataFrame | TermCounts,
    *,
    by: str = "outlet",
    measure: Measure = "chi2",
    correction: Correction = "default",
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 1,
) -> pd.DataFrame:
    """Keyness of each term for each group against all the others, from a 2x2 table.

    The table for group ``i`` and term ``w`` is ``[[y_in, n_in - y_in], [y_out, n_out -
    y_out]]``. ``measure="chi2"`` is Pearson's chi-square (with Yates' continuity correction
    when ``correction="default"``); ``measure="lr"`` is the likelihood-ratio G² (with
    Williams' correction when ``correction="default"``) — quanteda's defaults.

    Args:
        data: sentence or article table, or a :class:`TermCounts`.
        by: grouping column.
        measure: ``"chi2"`` or ``"lr"``.
        correction: ``"default"`` (Yates for chi2, Williams for lr) or ``"none"``.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        min_count: keep terms used at least this often in the whole corpus.

    Returns:
        ``<by>, term, count_in, count_out, <measure>, p`` for every term a group uses, sorted
        by group then the statistic descending. The statistic is signed: negative when the
        group uses the term less than expected. ``p`` is from a chi-square with 1 degree of
        freedom and assumes independent words (see :func:`log_odds`' note).

    References:
        Benoit, K. et al. (2018). quanteda: An R package for the quantitative analysis of
        textual data. Journal of Open Source Software, 3(30), 774 (``textstat_keyness``).
        Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
    """
    if measure not in ("chi2", "lr"):
        raise ValueError(f"measure={measure!r} is not allowed; use one of ['chi2', 'lr']")
    if correction not in ("default", "none"):
        raise ValueError(
            f"correction={correction!r} is not allowed; use one of ['default', 'none']"
        )
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count={min_count!r} is not allowed; use an integer >= 1")
    tc, g, w, y_in, y_w, n, N = _group_term_cells(data, by, ngram_range, min_count)
    a = y_in.astype(np.float64)
    b = n[g] - a
    c = y_w[w] - a
    d = (N - n[g]) - c
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    obs = np.stack([a, b, c, d])
    exp = np.stack([r1 * c1, r1 * c2, r2 * c1, r2 * c2]) / N
    if measure == "chi2":
        diff = np.abs(a * d - b * c)
        if correction == "default":
            diff = np.maximum(diff - N / 2.0, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = N * diff**2 / (r1 * r2 * c1 * c2)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(obs > 0, obs * np.log(obs / exp), 0.0)
        stat = 2.0 * terms.sum(axis=0)
        if correction == "default":
            q = 1.0 + (N / r1 + N / r2 - 1.0) * (N / c1 + N / c2 - 1.0) / (6.0 * N)
            stat = stat / q
    stat = np.nan_to_num(stat, nan=0.0)
    p = stats.chi2.sf(stat, df=1)
    stat = np.where(a > exp[0], stat, -stat)
    order, _ = _top_per_group(g, stat, w, None)
    groups, terms = _labels(tc, g[order], w[order])
    return pd.DataFrame(
        {
            tc.by: groups,
            "term": terms,
            "count_in": y_in[order].astype(np.int64),
            "count_out": c[order].astype(np.int64),
            measure: stat[order],
            "p": p[order],
        },
        copy=False,  # fresh arrays: pandas would copy them into one block (~0.5 s on millions)
    )


# ---------------------------------------------------------------------------------------------
# keyword in context


def _pattern_terms(pattern: str) -> list[str]:
    seq = _scan(pattern, frozenset())
    terms = [t for kind, t, _, _ in seq]
    if not terms or any(t is None for t in terms):
        raise ValueError(
            f"pattern={pattern!r} is not allowed: use one or more words separated by spaces, "
            "each a term of framing.tokens (no punctuation, numbers or single letters); "
            "or pass regex=True"
        )
    return terms


def _prefilter(terms: list[str]) -> re.Pattern:
    # Every surface form of the first term contains its longest letter/digit piece verbatim
    # (case aside), so texts without that piece cannot match.
    piece = max(re.findall(r"[^\W_]+", terms[0]), key=len)
    return re.compile(re.escape(piece), re.IGNORECASE)


def _flat(s: str) -> str:
    return " ".join(s.split())


def kwic(
    data: pd.DataFrame,
    pattern: str,
    *,
    window: int = 8,
    regex: bool = False,
    by: str = "outlet",
) -> pd.DataFrame:
    """Keyword in context: every occurrence of a term, with the words around it and its offsets.

    Args:
        data: the article table (``doc_id``, ``text`` and ``by``) or the sentence table
            (``doc_id``, ``text``, ``start`` and ``by``; only ``kind == "body"`` rows).
        pattern: a term as the tokenizer writes it, one word or several separated by spaces
            ("china", "peace plan", "U.S."). It is normalised like the text, so "china" finds
            "China", "China’s" and "China's", and "peace plan" finds "peace plan" but not
            "peace, plan" nor a paragraph break between them: exactly the occurrences the
            counts of :func:`log_odds` and :func:`tfidf_terms` count. Stop words in the pattern
            must be in the text too ("plan for ukraine"). With ``regex=True``: a Python regular
            expression, matched case-insensitively on the raw text.
        window: words of context on each side (within the row's text).
        regex: treat ``pattern`` as a regular expression.
        by: grouping column copied to the output.

    Returns:
        ``doc_id, <by>, left, match, right, start, end``, one row per occurrence in table
        order. ``start`` and ``end`` are offsets into the article's ``text``: for the article
        table ``article.text[start:end] == match``; for the sentence table the sentence's
        ``start`` is added, so the same holds. ``left`` and ``right`` have white space
        collapsed; with the sentence table they stop at the sentence's edges.

    Raises:
        ValueError: an empty or non-term pattern, a bad regular expression, ``window < 0``,
            or missing columns.
    """
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"window={window!r} is not allowed; use an integer >= 0")
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(f"pattern={pattern!r} is not allowed; use a non-empty string")
    units = _units(data, by)
    if "doc_id" not in units.columns:
        raise ValueError(f"data has no 'doc_id' column; columns are {list(units.columns)}")
    offset = units["start"] if "start" in units.columns else pd.Series(0, index=units.index)
    if regex:
        try:
            rx = re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            raise ValueError(f"pattern={pattern!r} is not a valid regular expression: {e}") from e
        pre = rx
        terms = None
    else:
        terms = _pattern_terms(pattern)
        pre = _prefilter(terms)
    k = 0 if terms is None else len(terms)
    cols: dict[str, list] = {
        c: [] for c in ["doc_id", by, "left", "match", "right", "start", "end"]
    }
    for doc_id, grp, text, off in zip(
        units["doc_id"], units[by], units["text"].fillna("").astype(str), offset, strict=True
    ):
        if pre.search(text) is None:
            continue
        words = [(a, b, t) for kind, t, a, b in _scan(text, frozenset()) if kind == "word"]
        hits: list[tuple[int, int, int, int]] = []  # (start, end, first word, last word)
        if terms is None:
            starts = [a for a, _, _ in words]
            ends = [b for _, b, _ in words]
            for m in rx.finditer(text):
                if m.end() == m.start():
                    continue
                i0 = int(np.searchsorted(ends, m.start(), side="right"))
                i1 = int(np.searchsorted(starts, m.end(), side="left")) - 1
                hits.append((m.start(), m.end(), i0, i1))
        else:
            seq = _scan(text, frozenset())
            wi = -1
            for j, (kind, _t, _a, _b) in enumerate(seq):
                if kind != "word":
                    continue
                wi += 1
                if j + k > len(seq):
                    break
                window_items = seq[j : j + k]
                if all(
                    it[0] == "word" and it[1] == t
                    for it, t in zip(window_items, terms, strict=False)
                ):
                    hits.append((window_items[0][2], window_items[-1][3], wi, wi + k - 1))
        for s, e, i0, i1 in hits:
            lo = words[max(i0 - window, 0)][0] if window and i0 > 0 else s
            hi = words[min(i1 + window, len(words) - 1)][1] if window and i1 + 1 < len(words) else e
            cols["doc_id"].append(doc_id)
            cols[by].append(grp)
            cols["left"].append(_flat(text[lo:s]))
            cols["match"].append(text[s:e])
            cols["right"].append(_flat(text[e:hi]))
            cols["start"].append(int(off) + s)
            cols["end"].append(int(off) + e)
    out = pd.DataFrame(cols)
    return out.astype({"start": "int64", "end": "int64"})


def kwic_top_terms(
    data: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    by: str = "outlet",
    terms: int = 3,
    lines: int = 3,
    window: int = 8,
    progress: bool = False,
) -> pd.DataFrame:
    """KWIC evidence for each group's top terms: where in its own text each term occurs.

    Args:
        data: the sentence or article table that ``scores`` was computed from.
        scores: a table ranked within group, e.g. :func:`log_odds` (first rows per group are
            its top terms).
        by: grouping column.
        terms: top terms per group.
        lines: KWIC lines shown per term (the first in text order).
        window: words of context on each side.
        progress: a tqdm bar over the terms looked up.

    Returns:
        ``<by>, rank, term, count_in, found, doc_id, left, match, right, start, end``: ``found``
        is the number of KWIC lines for the term in that group, which equals ``count_in`` when
        the counts and KWIC agree (they use the same tokenizer).
    """
    top = scores.groupby(by, sort=False).head(terms).copy()
    top["rank"] = top.groupby(by, sort=False).cumcount() + 1
    from tqdm.auto import tqdm

    out = []
    found = zip(top[by], top["term"], top["rank"], top["count_in"], strict=True)
    for g, term, rank, count in tqdm(
        found, total=len(top), desc="KWIC lines", unit="term", disable=not progress
    ):
        k = kwic(data[data[by] == g], str(term), window=window, by=by)
        k.insert(1, "rank", rank)
        k.insert(2, "term", term)
        k.insert(3, "count_in", count)
        k.insert(4, "found", len(k))
        out.append(k.head(lines))
    cols = [by, "rank", "term", "count_in", "found", "doc_id", "left", "match", "right"]
    if not out:
        return pd.DataFrame(columns=[*cols, "start", "end"])
    res = pd.concat(out, ignore_index=True)
    return res[[*cols, "start", "end"]]


def describe_terms(
    scores: pd.DataFrame,
    stability: pd.DataFrame,
    similarity: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    by: str = "outlet",
    top: int = 5,
    stable: float = 0.5,
) -> str:
    """One Markdown paragraph per group, written from the numbers: what its vocabulary stresses.

    Args:
        scores: :func:`log_odds` output.
        stability: :func:`term_stability` output for the same data.
        similarity: :func:`tfidf_similarity` output.
        summary: :func:`token_summary` output (for the number of sentences and terms).
        by: grouping column.
        top: terms named per group.
        stable: a term "holds" when its ``top_share`` is at least this.

    Returns:
        Markdown text; every number in it comes from the tables passed in, and every name
        (group, term) is escaped with :func:`framing.figures.escape_markdown`.
    """
    rows = summary.set_index(by)
    parts = []
    for g, sub in scores.groupby(by, sort=True):
        head = sub.head(top)
        named = ", ".join(
            f"*{_md(t)}* ({i:,} here vs {o:,} elsewhere, z = {z:.2f})"
            for t, i, o, z in zip(
                head["term"], head["count_in"], head["count_out"], head["z"], strict=True
            )
        )
        st = stability[stability[by] == g]
        holds = st[st["top_share"] >= stable]
        n_boot = int(st["n_boot"].iloc[0]) if len(st) else 0
        k = len(st)
        listed = ", ".join(
            f"*{_md(t)}* ({s:.0%})" for t, s in zip(holds["term"], holds["top_share"], strict=True)
        )
        where = f"in at least {stable:.0%} of {n_boot:,} bootstrap resamples of its sentences"
        if k and len(holds) == k:
            hold_txt = f"All of its top {k} terms stay in its top {k} {where}: {listed}."
        elif len(holds):
            hold_txt = (
                f"Of its top {k} terms, {len(holds)} stay in its top {k} {where}: {listed}; "
                f"the other {k - len(holds)} drop out of it in more than half of them."
            )
        else:
            hold_txt = (
                f"None of its top {k} terms stays in its top {k} {where}: the ranking depends on "
                "which sentences were written."
            )
        strong = sub[sub["z"] >= 1.96]
        if len(strong):
            names = ", ".join(f"*{_md(t)}*" for t in strong["term"].head(top))
            z_txt = f"{len(strong):,} of its terms reach z ≥ 1.96 ({names})."
        else:
            z_txt = "No term reaches z ≥ 1.96."
        sim = similarity[(similarity[f"{by}_a"] == g) & (similarity[f"{by}_b"] != g)]
        if len(sim):
            sim = sim.sort_values(["cosine", f"{by}_b"], ascending=[False, True], kind="stable")
            near, far = sim.iloc[0], sim.iloc[-1]
            sim_txt = (
                f" Its TF-IDF vocabulary is closest to {_md(near[f'{by}_b'])} (cosine "
                f"{near['cosine']:.2f}) and furthest from {_md(far[f'{by}_b'])} "
                f"({far['cosine']:.2f})."
            )
        else:
            sim_txt = ""
        n_rows = int(rows.loc[g, "rows"]) if g in rows.index else 0
        n_terms = int(rows.loc[g, "terms"]) if g in rows.index else 0
        parts.append(
            f"**{_md(g)}** ({n_rows:,} sentences, {n_terms:,} word tokens after stop words). "
            f"Against the rest of the corpus, it leans most on {named}. {hold_txt} "
            f"{z_txt}{sim_txt}"
        )
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# uncertainty: bootstrap over sentences


def term_stability(
    data: pd.DataFrame | TermCounts,
    *,
    by: str = "outlet",
    top: int = 10,
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
    prior_scale: float = 1.0,
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 1,
    progress: bool = False,
) -> pd.DataFrame:
    """How stable each group's top log-odds terms are when its sentences are resampled.

    Each bootstrap replicate draws, for every group separately, as many rows (sentences) as it
    has, with replacement, and recomputes :func:`log_odds` for all groups. For each group's
    ``top`` terms on the full data it records whether the term is still in that group's top
    ``top`` and its z-score.

    Args:
        data: the sentence table (rows are resampled, so pass sentences, not articles), or a
            :class:`TermCounts` of it.
        by: grouping column.
        top: the number of top terms per group followed, and the ``k`` of "stays in the top k".
        n_boot: bootstrap replicates.
        seed: seed of ``numpy.random.default_rng``; the same seed gives the same table.
        level: coverage of the percentile interval of z.
        prior_scale, ngram_range, min_count: as in :func:`log_odds`.
        progress: show a progress bar over the replicates (``tqdm.auto``: a live widget in
            JupyterLab, text in a terminal); off by default and in headless report runs. The
            result is the same either way.

    Returns:
        ``<by>, term, rank, count_in, z, top_share, z_lo, z_hi, n_boot``: ``rank`` and ``z`` on
        the full data, ``top_share`` the share of replicates in which the term is in the
        group's top ``top``, and ``[z_lo, z_hi]`` the percentile interval of its z.

    Note:
        The prior stays at the full data's term frequencies in every replicate (a term that
        no resampled sentence contains still has a defined z). Ties in z are broken by term
        name, as in :func:`log_odds`, so among terms with equal counts the alphabetically
        first enter the top. The bootstrap treats sentences as independent draws from what the outlet might have
        written; with one article per outlet it measures how much a term rests on a few
        sentences, not how the outlet writes in general. A term found in a single sentence
        often drops out (low ``top_share``).

    References:
        Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    """
    _check_prior(prior_scale)
    _check_top(top)
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot={n_boot!r} is not allowed; use an integer >= 1")
    if not (isinstance(level, float) and 0 < level < 1):
        raise ValueError(f"level={level!r} is not allowed; use a float between 0 and 1")
    tc = _counts(data, by, ngram_range)
    X = tc.doc_term
    y_total = np.asarray(tc.counts.sum(axis=0)).ravel()
    eligible = y_total >= min_count
    prior = prior_scale * y_total.astype(np.float64)  # held at the full data's frequencies
    prior0 = prior_scale * float(y_total.sum())
    base = log_odds(tc, prior_scale=prior_scale, min_count=min_count)
    base = base.groupby(tc.by, sort=False).head(top).copy()
    base["rank"] = base.groupby(tc.by, sort=False).cumcount() + 1
    gi = pd.Index(tc.groups).get_indexer(base[tc.by])
    wi = pd.Index(tc.vocab).get_indexer(base["term"])
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(tc.codes == g) for g in range(len(tc.groups))]
    n_rows = len(tc.codes)
    zs = np.empty((n_boot, len(base)))
    in_top = np.zeros((n_boot, len(base)), dtype=bool)
    from tqdm.auto import tqdm

    for b in tqdm(range(n_boot), desc="term stability", disable=not progress):
        draw = np.concatenate([m[rng.integers(0, len(m), len(m))] for m in members if len(m)])
        weights = np.bincount(draw, minlength=n_rows)
        Cb = (_group_matrix(tc.codes, len(tc.groups), weights) @ X).tocsr()
        yw = np.asarray(Cb.sum(axis=0)).ravel()
        n = np.asarray(Cb.sum(axis=1)).ravel()
        N = float(n.sum())
        Cb.sort_indices()
        rows = np.repeat(np.arange(len(n)), np.diff(Cb.indptr))
        cols = Cb.indices.astype(np.int64)
        _, z = _log_odds_arrays(Cb.data, yw[cols], n[rows], N, prior_scale, prior[cols], prior0)
        z[~eligible[cols]] = -np.inf  # never counted as ahead
        # rank of each followed term within its group (ties by term name, as in log_odds),
        # among the terms the group uses in this resample: one pass over the group's row
        for j, (g, w) in enumerate(zip(gi.tolist(), wi.tolist(), strict=True)):
            lo, hi = Cb.indptr[g], Cb.indptr[g + 1]
            seg_w, seg_z = Cb.indices[lo:hi], z[lo:hi]
            p = int(np.searchsorted(seg_w, w))
            if p == len(seg_w) or seg_w[p] != w or not eligible[w]:
                continue  # not used in this resample: not in its top
            zt = seg_z[p]
            ahead = np.count_nonzero(seg_z > zt) + np.count_nonzero((seg_z == zt) & (seg_w < w))
            in_top[b, j] = ahead < top
        y_sel = np.asarray(Cb[gi, wi]).ravel()
        _, zs[b] = _log_odds_arrays(y_sel, yw[wi], n[gi], N, prior_scale, prior[wi], prior0)
    alpha = (1 - level) / 2
    out = base[[tc.by, "term", "rank", "count_in", "z"]].reset_index(drop=True)
    out["top_share"] = in_top.mean(axis=0)
    out["z_lo"] = np.quantile(zs, alpha, axis=0)
    out["z_hi"] = np.quantile(zs, 1 - alpha, axis=0)
    out["n_boot"] = n_boot
    return out


STABILITY_COLUMNS = ["term", "rank", "count_in", "z", "top_share", "z_lo", "z_hi", "n_boot"]


def read_term_stability(
    path: str | Path, *, by: str = "outlet", groups: Sequence[str] | None = None
) -> pd.DataFrame | None:
    """Read a :func:`term_stability` table written as CSV (notebook 01's ``term-stability.csv``).

    Notebook 04 reports notebook 01's stability result from this table instead of recomputing
    it with other settings, so the report gives one value for one number.

    Args:
        path: the CSV file.
        by: the grouping column the table was made with.
        groups: the groups the caller compares; when given, a table for other groups (a stale
            file from another corpus or selection) is not used.

    Returns:
        The table, with group names and terms read as strings exactly as written (a term such
        as *null* or *nan* stays a word), or None when the file does not exist, lacks the
        columns of a stability table, or covers other groups than ``groups``.
    """
    path = Path(path)
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype={by: str, "term": str}, keep_default_na=False)
    if by not in table.columns or not set(STABILITY_COLUMNS) <= set(table.columns):
        return None
    for col in ("z", "top_share", "z_lo", "z_hi"):
        table[col] = pd.to_numeric(table[col])
    if groups is not None and set(table[by]) != {str(g) for g in groups}:
        return None
    return table


# ---------------------------------------------------------------------------------------------
# plots (seaborn's shape: data in, Axes out, never saved or shown here)


def _ax(ax):
    import matplotlib.pyplot as plt

    return plt.gca() if ax is None else ax


def plot_log_odds(
    data: pd.DataFrame,
    *,
    group: str,
    by: str = "outlet",
    label: int = 12,
    ax=None,
    **kwargs,
):
    """A Fightin'-Words plot: each term's z-score against its corpus frequency, for one group.

    Args:
        data: the output of :func:`log_odds`.
        group: the group to draw (a value of the ``by`` column).
        by: grouping column.
        label: the number of highest-z terms written next to their point (and drawn in
            colour); the lowest-z third as many are labelled too when they are negative.
            Terms on the same point (same counts) share one label under the point, at most
            three names and "+N" for the rest.
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.scatter`` for the grey points.

    Returns:
        The Axes. x is ``count_in + count_out`` on a log scale, y is ``z``; the dashed lines
        are z = ±1.96.
    """
    ax = _ax(ax)
    d = data[data[by] == group]
    if d.empty:
        return ax
    freq = d["count_in"] + d["count_out"]
    kw = {"s": 8, "color": "0.7", "linewidths": 0, **kwargs}
    ax.scatter(freq, d["z"], **kw)
    hi = d.nlargest(label, "z", keep="first")
    lo = d[d["z"] < 0].nsmallest(label // 3, "z", keep="first")
    for sub, color in ((hi, "C3"), (lo, "C0")):
        f = sub["count_in"] + sub["count_out"]
        ax.scatter(f, sub["z"], s=14, color=color, zorder=3)
        # terms with the same counts sit on the same point: one label lists them all
        pts = pd.DataFrame({"x": f.to_numpy(), "y": sub["z"].round(9).to_numpy()})
        pts["term"] = sub["term"].astype(str).to_numpy()
        for (x, y), same in pts.groupby(["x", "y"], sort=False):
            names = same["term"].tolist()
            text = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
            text = plot_text(text)
            # a shared label is long: put it under the point, clear of single labels above
            off = (4, -10) if len(names) > 1 else (3, 2)
            ax.annotate(text, (x, y), xytext=off, textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    for y in (1.96, -1.96):
        ax.axhline(y, color="0.5", lw=0.8, ls="--")
    ax.set_xlabel("frequency in the whole corpus (log scale)")
    ax.set_ylabel("z-score of log-odds (this group vs the rest)")
    ax.set_title(plot_text(group))
    return ax


_SCORE_LABELS = {
    "z": "z-score of log-odds (this group vs the rest)",
    "log_odds": "log-odds ratio (this group vs the rest)",
    "tfidf": "TF-IDF (group's text as one document)",
    "chi2": "signed chi-square (this group vs the rest)",
    "lr": "signed log-likelihood G² (this group vs the rest)",
}


def plot_top_terms(
    data: pd.DataFrame,
    *,
    group: str,
    by: str = "outlet",
    score: str = "z",
    top: int = 15,
    ax=None,
    **kwargs,
):
    """Ranked horizontal bars of one group's top terms by ``score``.

    Args:
        data: the output of :func:`log_odds` (``score="z"`` or ``"log_odds"``),
            :func:`tfidf_terms` (``"tfidf"``) or :func:`keyness`.
        group: the group to draw.
        by: grouping column.
        score: the column that sets bar length and order.
        top: number of bars (highest first, at the top).
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.barh``.

    Returns:
        The Axes; the bar labels are the terms, top to bottom by rank.
    """
    if score not in data.columns:
        raise ValueError(f"score={score!r} is not a column; columns are {list(data.columns)}")
    ax = _ax(ax)
    d = data[data[by] == group]
    if d.empty:
        return ax
    d = d.sort_values([score, "term"], ascending=[False, True], kind="stable").head(top)
    ax.barh(np.arange(len(d))[::-1], d[score], **{"color": "C0", **kwargs})
    ax.set_yticks(np.arange(len(d))[::-1], labels=d["term"].map(plot_text))
    ax.set_xlabel(_SCORE_LABELS.get(score, score))
    ax.set_title(plot_text(group))
    return ax


def plot_similarity(data: pd.DataFrame, *, by: str = "outlet", ax=None, **kwargs):
    """Heatmap of :func:`tfidf_similarity`, with the cosine written in each cell.

    Args:
        data: the output of :func:`tfidf_similarity`.
        by: grouping column (the table has ``<by>_a`` and ``<by>_b``).
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.imshow`` (e.g. ``cmap``).

    Returns:
        The Axes.
    """
    ax = _ax(ax)
    if data.empty:
        return ax
    m = data.pivot(index=f"{by}_a", columns=f"{by}_b", values="cosine")
    im = ax.imshow(m.to_numpy(), **{"cmap": "Blues", "vmin": 0, "vmax": 1, **kwargs})
    ax.set_xticks(range(m.shape[1]), labels=[plot_text(c) for c in m.columns], rotation=30,
                  ha="right")  # fmt: skip
    ax.set_yticks(range(m.shape[0]), labels=[plot_text(i) for i in m.index])
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            v = m.iat[i, j]
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", color="w" if v > 0.6 else "k")
    ax.figure.colorbar(im, ax=ax, label="cosine similarity of TF-IDF vectors")
    return ax


def plot_stability(data: pd.DataFrame, *, group: str, by: str = "outlet", ax=None, **kwargs):
    """One group's top terms with the bootstrap interval of their z-score and how often they
    stay in the top k (the output of :func:`term_stability`).

    Args:
        data: the output of :func:`term_stability`.
        group: the group to draw.
        by: grouping column.
        ax: matplotlib Axes; the current one when None.
        **kwargs: passed to ``Axes.errorbar``.

    Returns:
        The Axes: one row per term (rank 1 at the top), a dot at the full-data z, a line from
        ``z_lo`` to ``z_hi``; the label gives the term and its ``top_share`` as a percentage.
    """
    ax = _ax(ax)
    d = data[data[by] == group].sort_values("rank", kind="stable")
    if d.empty:
        return ax
    y = np.arange(len(d))[::-1]
    err = np.vstack([d["z"] - d["z_lo"], d["z_hi"] - d["z"]]).clip(min=0)
    ax.errorbar(d["z"], y, xerr=err, **{"fmt": "o", "color": "C0", "capsize": 2, **kwargs})
    labels = [plot_text(f"{t}  ({s:.0%})") for t, s in zip(d["term"], d["top_share"], strict=True)]
    ax.set_yticks(y, labels=labels)
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_xlabel("z-score: full data (dot) and bootstrap interval (line)")
    ax.set_title(plot_text(f"{group}: share of resamples still in the top {len(d)}"))
    return ax
