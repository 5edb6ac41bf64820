"""Term counting for a whole corpus: the tokenizer's rules applied to chunks of texts at once.

:func:`term_counts` counts every row's terms (unigrams and bigrams as :mod:`framing.text.tokens`
defines them) and sums them by group, as sparse matrices (:class:`TermCounts`). Each chunk of
texts goes through one compiled pass (:mod:`framing.text.kernels`): the same rules character by
character, each distinct word given an id from a hash table kept in numpy arrays, each text's
terms and bigrams counted as they are read; two threads count half the chunks each. The tables
the compiled scan reads (each code point's class and lower case), the word ids (``_Vocab``) and
the chunk's code points (``_chunk_text``) are prepared here; texts whose lower case is longer than
the text ("İ") go through the Python tokenizer instead (``_chunk_general``). The tests hold the
result to the Python tokenizer text by text and to scikit-learn's ``CountVectorizer``.
"""

from __future__ import annotations

import os
import queue
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from .tokens import (
    Analyzer,
    char_classes,
    check_ngram_range,
    is_term,
    load_stopwords,
    scan_words,
    straighten,
    terms_with_breaks,
)

__all__ = [
    "TermCounts", "term_counts", "counted_rows", "group_matrix", "group_sums", "doc_term", "values_at"
]  # fmt: skip


@lru_cache(maxsize=1)
def _lower_table() -> np.ndarray:
    # Each code point's lower case with straight apostrophes, as str.lower() and straighten
    # give it, for the code points whose lower case is one character and does not depend on
    # the next letter: all but "İ" and "Σ", which the caller leaves to str.lower().
    s = "".join(map(chr, range(0x110000))).replace("\u0130", "\u0130".lower()[0])
    table = np.frombuffer(straighten(s.lower()).encode("utf-32-le", "surrogatepass"), np.uint32)
    return table.copy()


HASH_BASE = 0x100000001B3  # base of the words' hash (modulo 2**64); any value keeps counts exact


FIRST_SLOTS = 1 << 16  # slots of a new hash table (words, bigrams); doubled when half full


@lru_cache(maxsize=1)
def _raw_classes() -> np.ndarray:
    # the class of each code point's lower case: what the compiled scan reads per character
    return char_classes()[_lower_table()]


def _grow(a: np.ndarray, n: int, keep: int) -> np.ndarray:
    # a with room for n items (at least doubled when it grows), its first `keep` items kept
    if len(a) >= n:
        return a
    new = np.zeros(max(n, 2 * len(a)), dtype=a.dtype)
    new[:keep] = a[:keep]
    return new


class _Vocab:
    """Word and term ids shared by all chunks of one count.

    Every distinct word (lower-cased, without its final "'s") gets a word id in a hash table
    kept in numpy arrays, which the compiled scan (:func:`framing.kernels.count_chunk`) reads
    and fills; each word id has a term id, or -1 for a stop word (added first), a number or a
    single character. Words become Python strings only at the end (:meth:`terms`), or here
    when the Python tokenizer read a text (:meth:`id_of`).
    """

    def __init__(self, stop: frozenset[str]):
        self.stop = stop
        self.base = np.uint64(HASH_BASE)
        self.table = np.zeros(2 * FIRST_SLOTS, dtype=np.uint64)  # (key, word id + 1 or 0)
        n = 1 << 15
        self.wkey = np.zeros(n, dtype=np.uint64)  # per word id: key, start, length, term id
        self.wat = np.zeros(n, dtype=np.int64)
        self.wlen = np.zeros(n, dtype=np.int32)
        self.wterm = np.zeros(n, dtype=np.int32)
        self.term_word = np.zeros(n, dtype=np.int64)  # per term id: its word id
        self.store = np.zeros(1 << 18, dtype=np.uint32)  # the words' characters
        self.state = np.zeros(3, dtype=np.int64)  # words, characters stored, terms
        for w in sorted(stop):
            self._add(w, False)

    def reserve(self, n_chars: int, n_words: int | None = None) -> None:
        """Room for ``n_words`` more words of ``n_chars`` characters in all (by default the
        most words that many characters can hold: one per two)."""
        most = n_chars // 2 + 1 if n_words is None else n_words
        words, n_store, n_terms = (int(x) for x in self.state)
        for name in ("wkey", "wat", "wlen", "wterm"):
            setattr(self, name, _grow(getattr(self, name), words + most, words))
        self.term_word = _grow(self.term_word, n_terms + most, n_terms)
        self.store = _grow(self.store, n_store + n_chars, n_store)

    def _add(self, w: str, is_term: bool) -> int:
        from . import kernels

        self.reserve(len(w))
        c = np.frombuffer(w.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        t, self.table = kernels.add_word(
            c, is_term, self.base, self.table, self.wkey, self.wat, self.wlen, self.wterm,
            self.term_word, self.store, self.state,
        )  # fmt: skip
        return int(t)

    def id_of(self, w: str) -> int:
        """The term id of a normalised word (-1: not a term), added if new."""
        return self._add(w, is_term(w, self.stop))

    @property
    def n_terms(self) -> int:
        return int(self.state[2])

    def terms(self) -> list[str]:
        """The terms by term id, as Python strings: their characters decoded at once, with
        "\\x00" after each (never in a word)."""
        words = self.term_word[: self.n_terms]
        at, ln = self.wat[words], self.wlen[words].astype(np.int64)
        total = int(ln.sum())
        off = np.arange(total) - np.repeat(np.cumsum(ln) - ln, ln)
        buf = np.zeros(total + len(ln), dtype=np.uint32)
        buf[np.arange(total) + np.repeat(np.arange(len(ln)), ln)] = self.store[
            np.repeat(at, ln) + off
        ]
        return buf.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")[:-1]


def _chunk_text(texts: list[str]) -> tuple[np.ndarray, bool, np.ndarray] | None:
    """The code points the compiled scan reads for ``texts``: "\\x00" + texts joined by
    "\\x00" + "\\x00", whether they are lower-cased already, and where each text starts. None
    when a text's lower case is longer than the text ("İ"): such texts go one by one through
    :func:`_chunk_general`."""
    # "\x00" between texts: a break that no match crosses, and (not case-ignorable) it leaves
    # the lower case of each text as it is alone (final sigma)
    big = "\x00" + "\x00".join(texts) + "\x00"
    lowered = "\u0130" in big or "\u03a3" in big  # İ and Σ: str.lower() itself
    if lowered:
        low = straighten(big).lower()
        if len(low) != len(big):
            return None
        big = low
    raw = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.r_[1, 1 + np.cumsum([len(t) + 1 for t in texts])[:-1]].astype(np.int64)
    return raw, lowered, starts


def _from_seq(ids):

    pair = np.zeros(len(ids), dtype=bool)
    if len(ids) > 1:
        pair[:-1] = (ids[:-1] >= 0) & (ids[1:] >= 0)
    return np.zeros(len(ids), dtype=np.int64), ids, pair


def _chunk_general(texts, vocab):
    # The Python tokenizer text by text: for each word, its text, its term id and whether it
    # forms a bigram with the next word.
    docs = [np.zeros(0, dtype=np.int64)]
    ids = [np.zeros(0, dtype=np.int64)]
    pairs = [np.zeros(0, dtype=bool)]
    for i, text in enumerate(texts):
        seq = np.array(
            [(-1 if t is None else vocab.id_of(t)) for t in terms_with_breaks(text, vocab.stop)],
            dtype=np.int64,
        )
        d, x, p = _from_seq(seq)
        docs.append(d + i)
        ids.append(x)
        pairs.append(p)
    return np.concatenate(docs), np.concatenate(ids), np.concatenate(pairs)


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


def counted_rows(data: pd.DataFrame, by: str) -> pd.DataFrame:
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


def group_matrix(codes: np.ndarray, n_groups: int, weights=None) -> sparse.csr_matrix:
    n = len(codes)
    w = np.ones(n, dtype=np.int64) if weights is None else weights
    return sparse.csr_matrix((w, (codes, np.arange(n))), shape=(n_groups, n))


def group_sums(X: sparse.csr_matrix, codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    # groups x terms: the sum of each group's rows of X (as group_matrix(codes) @ X), columns
    # in order; compiled (kernels.group_sums), the groups in two halves on two threads
    from concurrent.futures import ThreadPoolExecutor

    from . import kernels

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
        n_out = kernels.group_sums(
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
    ngram_range = check_ngram_range(ngram_range)
    units = counted_rows(data, by)
    units = units[units[by].notna()]
    codes, groups = pd.factorize(units[by], sort=True)
    groups = np.asarray(groups)
    texts = units["text"].fillna("").astype(str)  # a Series: read chunk by chunk
    X, vocab = doc_term(texts, Analyzer(ngram_range))
    C = group_sums(X, codes, len(groups))
    return TermCounts(by, groups, codes, units.index, vocab, X, C, ngram_range)


_CHUNK_CHARS = 1_500_000  # characters per chunk: its numpy arrays stay small (< 32 MB)


def doc_term(
    texts: list[str] | pd.Series, analyzer, chunk: int = 2000, threads=None, tally: bool = False
):
    # Same matrix as CountVectorizer(analyzer=analyzer). For framing's own Analyzer, each chunk
    # of texts is tokenized and counted text by text in one compiled pass (kernels.count_chunk:
    # words get ids from a hash table, a bigram is a pair of term ids with an id of its own);
    # only distinct terms are ever Python strings. Any other analyzer: doc_term_strings.
    # With tally (framing's Analyzer only), a third value: per text, its words and those of
    # them that can never be terms (an array of shape (len(texts), 2)).
    if not isinstance(analyzer, Analyzer):
        if tally:
            raise TypeError("tally= needs framing's own Analyzer")
        return doc_term_strings(texts, analyzer, chunk)
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
        return (*counter.matrix(), counter.tally) if tally else counter.matrix()
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
    return (*a.matrix(), a.tally) if tally else a.matrix()


class _ChunkCounter:
    """Counts of terms and bigrams, text by text, for chunks of texts given in order.

    Holds the word table (:class:`framing.text.counting._Vocab`), the bigram table (pairs of term ids,
    key ``first << 32 | second``, in the same layout), the per-text scratch counts and the
    entries written so far: for each text, its distinct terms and bigrams with their counts,
    and its tally: its words, and those that can never be terms (``tally``, read by
    :func:`framing.token_summary`).
    """

    def __init__(self, analyzer: Analyzer, n_texts: int, expect_chars: int = 0):
        lo, hi = analyzer.ngram_range
        self.unigrams, self.bigrams = lo == 1, hi == 2
        self.vocab = _Vocab(load_stopwords() if analyzer.stop_words else frozenset())
        self.btable = np.zeros(2 * FIRST_SLOTS, dtype=np.uint64)  # (key, id + 1 or 0)
        self.bkey = np.zeros(1 << 15, dtype=np.uint64)  # per bigram id: its key
        self.bscratch = np.zeros(1 << 15, dtype=np.int32)  # per bigram: count in the text
        self.bstate = np.zeros(1, dtype=np.int64)  # bigrams
        self.uscratch = np.zeros(1 << 15, dtype=np.int32)  # per term: count in the text
        self.out_n = np.zeros(n_texts, dtype=np.int64)  # entries per text
        # per text: its words, and those that can never be terms (kernels.count_chunk)
        self.tally = np.zeros((n_texts, 2), dtype=np.int64)
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
        from . import kernels

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
        while kernels.count_chunk(
            raw, lowered, _lower_table(), char_classes() if lowered else _raw_classes(),
            starts, v.base, self.unigrams, self.bigrams, v.table, v.wkey, v.wat, v.wlen,
            v.wterm, v.term_word, v.store, v.state, self.btable, self.bkey, self.bstate,
            self.uscratch, self.bscratch, self.out_n[first : first + len(texts)], self.out_col,
            self.out_cnt, run, self.tally[first : first + len(texts)],
        ):  # fmt: skip
            # a table is half full: twice as many slots
            if 4 * (int(v.state[0]) + 1) > len(v.table):
                v.table = kernels.rehash(v.wkey, int(v.state[0]), len(v.table))
            if 4 * (int(self.bstate[0]) + 1) > len(self.btable):
                self.btable = kernels.rehash(self.bkey, int(self.bstate[0]), len(self.btable))
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
        words = [w for kind, w, _, _ in scan_words(text, frozenset()) if kind == "word"]
        self.tally[row] = len(words), words.count(None)

    def _pair_ids(self, keys: np.ndarray) -> np.ndarray:
        # bigram ids of keys (first term id << 32 | second), new ones added to the table
        from . import kernels

        nb = int(self.bstate[0])
        self.bkey = _grow(self.bkey, nb + len(keys), nb)
        slots = 1 << int(2 * (nb + len(keys)) + 1).bit_length()  # at most half full after
        if len(self.btable) < 2 * slots:
            self.btable = kernels.rehash(self.bkey, nb, slots)
        return kernels.add_pairs(keys, self.btable, self.bkey, self.bstate)

    def absorb(self, other: _ChunkCounter) -> None:
        """Add the counts of ``other``, which counted texts after all of this one's."""
        from . import kernels

        ov, v = other.vocab, self.vocab
        nt = ov.n_terms
        words = ov.term_word[:nt]
        v.reserve(int(ov.wlen[words].sum()), nt)
        tmap, v.table = kernels.merge_words(
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
        kernels.remap_entries(other.out_col[: other.pos], tmap, bmap, self.out_col[self.pos : end])
        self.out_cnt[self.pos : end] = other.out_cnt[: other.pos]
        self.pos = end
        self.out_n += other.out_n
        self.tally += other.tally

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

    from . import kernels

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
                kernels.assemble, indptr, cols, cnts, col_of, len(uni), r0, r1, indices, data
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


def doc_term_strings(texts: list[str], analyzer, chunk: int = 2000):
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


def _count_threads() -> int:
    # threads for counting: two when the machine lets this process use two cores
    try:
        return min(2, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return min(2, os.cpu_count() or 1)


def values_at(m, rows, cols) -> np.ndarray:
    """``m[rows, cols]`` as a flat array (0 where ``m`` holds nothing), by a binary search of
    the sorted cell keys: scipy's element indexing scans a whole row for each look-up, which on
    a few groups and a million terms took minutes."""
    m = m.tocsr(copy=True)
    m.sum_duplicates()  # canonical: rows in order, columns sorted within each row
    n_cols = np.int64(m.shape[1])
    keys = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr)) * n_cols
    keys += m.indices.astype(np.int64)
    want = np.asarray(rows, dtype=np.int64) * n_cols + np.asarray(cols, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, want), max(len(keys) - 1, 0))
    if not len(keys):
        return np.zeros(len(want), dtype=m.dtype)
    return np.where(keys[at] == want, m.data[at], 0).astype(m.dtype, copy=False)
