"""Compiled loops (numba) behind :func:`framing.term_counts`: the tokenizer's rules over a chunk
of texts in one pass, and the per-document counts of terms and bigrams.

Everything here is an exact re-statement of the rules in :mod:`framing.text.tokens` (the
regular expression ``_SCAN`` and ``terms_with_breaks``); the tests compare the counts with those
of :func:`framing.ngram_terms` text by text, on the case study, AllSides articles and texts built to
hit every rule. The functions are compiled on first use and the machine code is cached next to
this file (numba's ``cache=True``), so only the first run on a machine pays the compilation.

Words and bigrams get integer ids from open-addressing hash tables that live in numpy arrays
owned by the caller (``framing.text.counting._Vocab``); a slot holds an id, and an id is trusted only
after its characters (or its pair of term ids) are compared with those stored for it, so a hash
collision costs a probe, never a wrong count.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# character classes, as framing.text.tokens defines them
_SP, _NL, _LE, _DI, _US, _PU, _DOT, _HY, _AP = range(9)


def _probe():  # compiled once below only to see whether numba can cache here
    return 0


def _cache_works() -> bool:
    # numba's cache needs a writable place: this package's __pycache__, else the user's cache
    # (or NUMBA_CACHE_DIR). Without one, cache=True fails at import: compile in memory instead
    # (every process then pays the compilation).
    try:
        njit(cache=True)(_probe)
    except RuntimeError:
        return False
    return True


#: whether numba can keep compiled kernels on disk here; every kernel module (this one,
#: ..stats_kernels, .boilerplate) compiles with cache=CACHE
CACHE = _cache_works()


@njit(cache=CACHE, nogil=True, inline="always")
def _slot(key, mask):
    return np.int64(mix(key) & np.uint64(mask))


@njit(cache=CACHE, nogil=True, error_model="numpy")
def rehash(keys, n, size):
    """A table of ``size`` slots (a power of two) for ids ``0 .. n - 1`` with keys ``keys``:
    slot ``s`` holds a key at ``2 s`` and its id + 1 (0: empty) at ``2 s + 1``."""
    table = np.zeros(2 * size, dtype=np.uint64)
    mask = size - 1
    for w in range(n):
        slot = _slot(keys[w], mask)
        while table[2 * slot + 1] != 0:
            slot = (slot + 1) & mask
        table[2 * slot] = keys[w]
        table[2 * slot + 1] = w + 1
    return table


@njit(cache=CACHE, nogil=True, error_model="numpy")
def _key(c, base):
    # The key of the word with code points c (the same rule as written out in count_chunk): a
    # word of at most 7 characters below U+0100 (most words) is its own key (the characters,
    # 8 bits each, the length in the top byte); any other word's key is a polynomial hash of
    # its characters with the top bit set.
    ln = len(c)
    if ln <= 7 and (ln == 0 or c.max() <= 255):
        key = np.uint64(ln)
        for j in range(ln):
            key = (key << np.uint64(8)) | np.uint64(c[j])
        return key << np.uint64(8 * (7 - ln)), True
    key = np.uint64(1469598103934665603)
    for j in range(ln):
        key = key * base + np.uint64(c[j])
    return key | np.uint64(1 << 63), False


@njit(cache=CACHE, nogil=True, error_model="numpy")
def add_word(c, is_term, base, table, wkey, wat, wlen, wterm, term_word, store, state):
    """The term id (or -1) of the word with code points ``c``, added to the word table as a
    term (if ``is_term``) or not when it is new. Returns (term id, table)."""
    key, exact = _key(c, base)
    nw, ns, nt = state[0], state[1], state[2]
    if 2 * (nw + 1) > len(table) // 2:
        table = rehash(wkey, nw, len(table))
    mask = len(table) // 2 - 1
    slot = _slot(key, mask)
    ln = len(c)
    while True:
        w1 = table[2 * slot + 1]
        if w1 == 0:
            break
        if table[2 * slot] == key:
            w = np.int64(w1) - 1
            if exact:
                return wterm[w], table
            if wlen[w] == ln:
                same = True
                for j in range(ln):
                    if store[wat[w] + j] != c[j]:
                        same = False
                        break
                if same:
                    return wterm[w], table
        slot = (slot + 1) & mask
    store[ns : ns + ln] = c
    wkey[nw], wat[nw], wlen[nw] = key, ns, ln
    t = -1
    if is_term:
        t = nt
        term_word[nt] = nw
        state[2] = nt + 1
    wterm[nw] = t
    table[2 * slot] = key
    table[2 * slot + 1] = nw + 1
    state[0] = nw + 1
    state[1] = ns + ln
    return t, table


@njit(cache=CACHE, nogil=True, error_model="numpy")
def _text_counts(first, m, out_col, out_cnt, uscratch, bscratch):
    # a text's entries first .. m - 1 get their counts from the scratch arrays, which are
    # left all zero for the next text
    for q in range(first, m):
        col = out_col[q]
        if col >= 0:
            out_cnt[q] = uscratch[col]
            uscratch[col] = 0
        else:
            out_cnt[q] = bscratch[-1 - col]
            bscratch[-1 - col] = 0


@njit(cache=CACHE, nogil=True, error_model="numpy")
def count_chunk(
    raw, lowered, lower, kraw, starts, base, unigrams, bigrams,
    table, wkey, wat, wlen, wterm, term_word, store, state,
    btable, bkey, bstate, uscratch, bscratch, out_n, out_col, out_cnt, run, tally,
):  # fmt: skip
    """Tokenize one chunk of texts and count each text's terms and bigrams, in one pass.

    ``raw``: the code points of "\\x00" + texts joined by "\\x00" + "\\x00", lower-cased
    already if ``lowered`` (then ``kraw`` is the class of each code point), else lower-cased
    here through the table ``lower`` (``kraw``: the class of each code point's lower case);
    text ``d`` starts at ``starts[d]``.

    For text ``d``, ``out_n[d]`` entries are written in order from ``out_col[run[1]]`` on: a
    term id (>= 0) for a unigram or ``-1 - bigram id`` for a bigram, and in ``out_cnt`` its
    count in the text. ``run`` holds where the scan is (position, next entry, first entry of
    the text, text, break, blank-line state, last term): (0, pos, pos, 0, 1, 0, -1) to start.
    Returns 0 when the chunk is done (``run[1]``: the position after the last entry), or 1
    when a table must grow first (more than half full): the caller grows it (:func:`rehash`)
    and calls again with the same ``run``, which resumes at the word where it stopped.
    ``tally[d]`` gets text ``d``'s words (every word, stop words and numbers included) and
    those of them that can never be a term (one character, or a number without a letter).

    The word table: slot ``s`` holds a key at ``2 s`` and the word id + 1 (0: empty) at
    ``2 s + 1``; per word id, ``wkey`` its key, ``store[wat:wat + wlen]`` its characters,
    ``wterm`` its term id or -1 (stop words are added beforehand with -1); ``term_word`` the
    word of each term id; ``state`` is (words, characters stored, terms). A word seen for the
    first time is a term when it is longer than one character and does not start with a digit
    unless it holds a letter (framing.text.tokens.is_term). The bigram table: the same layout,
    keyed by (first term id << 32 | second term id); ``bstate[0]``: bigrams. ``uscratch`` and
    ``bscratch`` (all zero between texts) count a text's terms and bigrams. (Helpers that take
    arrays, and arrays assigned anew inside the loop, make numba's code for it much slower:
    the loop is written out in full and never replaces a table.)"""
    n = len(raw)
    c = np.empty(n, dtype=np.uint32)  # lower case
    k = np.empty(n, dtype=np.uint8)  # class
    for i in range(n):
        ch = raw[i]
        k[i] = kraw[ch]
        c[i] = ch if lowered else lower[ch]
    nw, ns, nt = state[0], state[1], state[2]
    nb = bstate[0]
    mask = len(table) // 2 - 1
    bmask = len(btable) // 2 - 1
    i = run[0]  # where the scan is (a call that stopped to let a table grow resumes there)
    m = run[1]  # next entry
    first = run[2]  # first entry of the current text
    d = run[3]  # current text
    broken = run[4] == 1  # a break since the last word
    nl_clean = run[5] == 1  # a newline seen, and only white space other than newlines since
    prev = run[6]  # term id of the last word (-1: not a term)
    n_docs = len(starts)
    while i < n:
        cl = k[i]
        if cl != _LE and cl != _DI:
            if cl >= _PU:
                broken = True
            elif cl == _NL:
                if nl_clean:
                    broken = True
                nl_clean = True
            elif cl == _US:
                nl_clean = False
            i += 1
            continue
        if 2 * (nw + 1) > mask + 1 or 2 * (nb + 1) > bmask + 1:
            # a table would be more than half full: stop here, the caller grows it and calls
            # again (growing it here would make numba's code for this loop much slower)
            run[0], run[1], run[2], run[3] = i, m, first, d
            run[4], run[5], run[6] = broken, nl_clean, prev
            state[0], state[1], state[2] = nw, ns, nt
            bstate[0] = nb
            return 1
        end = -1
        t_end = -1
        if cl == _LE and i + 2 < n and k[i + 1] == _DOT and k[i + 2] == _LE:
            # dotted abbreviation: letter (. letter)+ .? not followed by a letter or digit;
            # the repetition is greedy and backtracks one step at a time
            e = i + 1
            while e + 1 < n and k[e] == _DOT and k[e + 1] == _LE:
                e += 2
            here = k[e] if e < n else _SP
            after = k[e + 1] if e + 1 < n else _SP
            if here == _DOT and after != _LE and after != _DI:
                end = e + 1
                t_end = e
            elif here != _LE and here != _DI:
                end = e
                t_end = e
            elif e - i >= 5:  # one repetition less: the next "." is no letter or digit
                end = e - 2
                t_end = e - 2
        if end < 0:  # a word: runs of letters and digits joined by one "-" or "'"
            j = i + 1
            while True:
                while j < n and (k[j] == _LE or k[j] == _DI):
                    j += 1
                if j + 1 < n and (k[j] == _HY or k[j] == _AP):
                    k1 = k[j + 1]
                    if k1 in (_LE, _DI):
                        j += 1
                        continue
                break
            end = j
            t_end = j
            if j - i >= 3 and k[j - 2] == _AP and c[j - 1] == 0x73:  # final "'s"
                t_end = j - 2
        while d + 1 < n_docs and starts[d + 1] <= i:  # a new text: the last one's counts
            _text_counts(first, m, out_col, out_cnt, uscratch, bscratch)
            out_n[d] = m - first
            first = m
            d += 1
            prev = -1
        ln = t_end - i
        # its shape: a term if longer than one character and not a number without a letter
        # (framing.text.tokens.is_term, stop words aside)
        shaped = ln > 1
        if shaped and k[i] == _DI:
            shaped = False
            for j in range(i, t_end):
                if k[j] == _LE:
                    shaped = True
                    break
        tally[d, 0] += 1
        if not shaped:
            tally[d, 1] += 1
        # the word's key (as _key)
        exact = False
        if ln <= 7:
            key = np.uint64(ln)
            exact = True
            for j in range(i, t_end):
                ch = c[j]
                if ch > 255:
                    exact = False
                    break
                key = (key << np.uint64(8)) | np.uint64(ch)
            key = key << np.uint64(8 * (7 - ln))
        if not exact:
            key = np.uint64(1469598103934665603)
            for j in range(i, t_end):
                ch = c[j]
                key = key * base + np.uint64(ch)
            key = key | np.uint64(1 << 63)
        # its term id: looked up in the table, or a new word
        slot = _slot(key, mask)
        w = -1
        while True:
            w1 = table[2 * slot + 1]
            if w1 == 0:
                break
            if table[2 * slot] == key:
                w = np.int64(w1) - 1
                if exact:
                    break
                if wlen[w] == ln:  # a hash: the characters must be the same
                    at = wat[w]
                    same = True
                    for j in range(ln):
                        ch = c[i + j]
                        if store[at + j] != ch:
                            same = False
                            break
                    if same:
                        break
                w = -1
            slot = (slot + 1) & mask
        if w >= 0:
            t = wterm[w]
        else:  # a new word
            for j in range(ln):
                store[ns + j] = c[i + j]
            t = -1
            if shaped:
                t = nt
                term_word[nt] = nw
                nt += 1
            wkey[nw] = key
            wat[nw] = ns
            wlen[nw] = ln
            wterm[nw] = t
            table[2 * slot] = key
            table[2 * slot + 1] = nw + 1
            nw += 1
            ns += ln
        # count it, and the bigram it ends
        if t >= 0:
            if unigrams:
                if uscratch[t] == 0:
                    out_col[m] = t
                    m += 1
                uscratch[t] += 1
            if bigrams and prev >= 0 and not broken:
                bk = (np.uint64(prev) << np.uint64(32)) | np.uint64(t)
                slot = _slot(bk, bmask)
                while True:
                    b1 = btable[2 * slot + 1]
                    if b1 == 0:
                        b = nb
                        bkey[b] = bk
                        btable[2 * slot] = bk
                        btable[2 * slot + 1] = b + 1
                        nb += 1
                        break
                    if btable[2 * slot] == bk:
                        b = np.int64(b1) - 1
                        break
                    slot = (slot + 1) & bmask
                if bscratch[b] == 0:
                    out_col[m] = -1 - b
                    m += 1
                bscratch[b] += 1
        prev = t
        broken = False
        nl_clean = False
        i = end
    while d < n_docs:  # the last text's counts (and texts without words)
        _text_counts(first, m, out_col, out_cnt, uscratch, bscratch)
        out_n[d] = m - first
        first = m
        d += 1
    run[0], run[1] = n, m
    state[0], state[1], state[2] = nw, ns, nt
    bstate[0] = nb
    return 0


@njit(cache=CACHE, nogil=True, inline="always")
def mix(key):
    # a 64-bit finaliser (splitmix64): spreads keys (words, pairs of ids) over the table
    key = (key ^ (key >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    key = (key ^ (key >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return key ^ (key >> np.uint64(31))


@njit(cache=CACHE, nogil=True, error_model="numpy")
def assemble(indptr, col, cnt, col_of, n_uni, r0, r1, indices, data):
    """Rows ``r0 .. r1 - 1`` of the CSR arrays of the documents x terms matrix, each row sorted
    by column, written into ``indices`` and ``data``.

    Row ``r``'s entries are ``col[indptr[r]:indptr[r + 1]]``, ``cnt[...]``; an entry's column is
    ``col_of[col]`` for a term id ``col >= 0`` and ``col_of[n_uni - 1 - col]`` for a bigram
    (``col = -1 - bigram id``). Each row is sorted as one array of (column << 32 | count)."""
    a, b = indptr[r0], indptr[r1]
    packed = np.empty(b - a, dtype=np.int64)
    for j in range(a, b):
        x = col[j]
        q = col_of[x] if x >= 0 else col_of[n_uni - 1 - x]
        packed[j - a] = (np.int64(q) << 32) | np.int64(cnt[j])
    for r in range(r0, r1):
        packed[indptr[r] - a : indptr[r + 1] - a].sort()
    for j in range(a, b):
        indices[j] = np.int32(packed[j - a] >> 32)
        data[j] = packed[j - a] & 0xFFFFFFFF


@njit(cache=CACHE, nogil=True, error_model="numpy")
def merge_words(words, wat, wlen, store, base, table, wkey, wat2, wlen2, wterm, term_word,
                store2, state):  # fmt: skip
    """Term ids in one word table (the last seven arrays) of the terms given by their words
    in another (``words``, ``wat``, ``wlen``, ``store``): two counts of parts of a corpus
    merged. Returns (term ids, table)."""
    out = np.empty(len(words), dtype=np.int64)
    for q in range(len(words)):
        w = words[q]
        c = store[wat[w] : wat[w] + wlen[w]]
        out[q], table = add_word(
            c, True, base, table, wkey, wat2, wlen2, wterm, term_word, store2, state
        )
    return out, table


@njit(cache=CACHE, nogil=True, error_model="numpy")
def add_pairs(keys, btable, bkey, bstate):
    """Bigram ids of ``keys`` in a bigram table, new keys added; the caller makes the table
    big enough first (at most half full after). Returns the ids."""
    out = np.empty(len(keys), dtype=np.int64)
    nb = bstate[0]
    mask = len(btable) // 2 - 1
    for q in range(len(keys)):
        key = keys[q]
        slot = _slot(key, mask)
        while True:
            b1 = btable[2 * slot + 1]
            if b1 == 0:
                bkey[nb] = key
                btable[2 * slot] = key
                btable[2 * slot + 1] = nb + 1
                out[q] = nb
                nb += 1
                break
            if btable[2 * slot] == key:
                out[q] = np.int64(b1) - 1
                break
            slot = (slot + 1) & mask
    bstate[0] = nb
    return out


@njit(cache=CACHE, nogil=True, error_model="numpy", inline="always")
def _log_odds_cell(yi, yw, ni, N, ai, a0):
    # Monroe, Colaresi & Quinn (2008), eq. 16 and 17, for one (group, term) cell; one copy of
    # the arithmetic, so every caller gets the same floats
    yo = yw - yi
    no = N - ni
    d = np.log(yi + ai) - np.log(ni + a0 - yi - ai)
    d -= np.log(yo + ai) - np.log(no + a0 - yo - ai)
    return d, d / np.sqrt(1.0 / (yi + ai) + 1.0 / (yo + ai))


@njit(cache=CACHE, nogil=True, error_model="numpy")
def log_odds_cells(y_in, y_w, n_in, N, a, a0):
    """The log-odds and z of every (group, term) cell, without the temporary arrays numpy
    needs (``a``: the prior of each cell's term)."""
    delta = np.empty(len(y_in))
    z = np.empty(len(y_in))
    for i in range(len(y_in)):
        delta[i], z[i] = _log_odds_cell(
            float(y_in[i]), float(y_w[i]), float(n_in[i]), N, float(a[i]), a0
        )
    return delta, z


@njit(cache=CACHE, nogil=True, inline="always")
def _worse(heap_z, heap_t, a, b):
    # entry a ranks below entry b: a smaller z, or an equal z and a larger term id
    return heap_z[a] < heap_z[b] or (heap_z[a] == heap_z[b] and heap_t[a] > heap_t[b])


@njit(cache=CACHE, nogil=True, inline="always")
def _swap(heap_z, heap_t, a, b):
    heap_z[a], heap_z[b] = heap_z[b], heap_z[a]
    heap_t[a], heap_t[b] = heap_t[b], heap_t[a]


@njit(cache=CACHE, nogil=True, inline="always")
def _heap_offer(heap_z, heap_t, size, top, z, col):
    """Offer (z, term) to a min-heap of the ``top`` best by (z desc, term asc), its root the
    worst of them; returns the heap's new size."""
    if size < top:  # room left: add at the end and sift up
        i = size
        heap_z[i], heap_t[i] = z, col
        while i > 0 and _worse(heap_z, heap_t, i, (i - 1) // 2):
            _swap(heap_z, heap_t, i, (i - 1) // 2)
            i = (i - 1) // 2
        return size + 1
    if not (z > heap_z[0] or (z == heap_z[0] and col < heap_t[0])):
        return size  # not better than the worst kept
    heap_z[0], heap_t[0] = z, col  # replace the root and sift down
    i = 0
    while 2 * i + 1 < size:
        c = 2 * i + 1
        if c + 1 < size and _worse(heap_z, heap_t, c + 1, c):
            c += 1
        if not _worse(heap_z, heap_t, c, i):
            break
        _swap(heap_z, heap_t, c, i)
        i = c
    return size


# the memo of stability_replicate: resampled count < 32, resampled corpus count < 128, full-data
# corpus count < 64 (about 95 % of the terms a group uses in a news corpus)
_MEMO_I, _MEMO_W, _MEMO_T = 32, 128, 64
MEMO_SIZE = _MEMO_I * _MEMO_W * _MEMO_T


@njit(cache=CACHE, nogil=True, error_model="numpy")
def stability_replicate(
    indptr, indices, data, w, rows, group_ptr, full, prior_scale, prior0, min_count, orig,
    follow_ptr, follow, top, ywb, acc, touched, heap_z, heap_t, out_z, out_in,
    memo_z, memo_stamp, stamp, cell_col, cell_cnt, cell_ptr, group_n, follow_cnt,
):  # fmt: skip
    """One bootstrap replicate of :func:`framing.term_stability`, exactly as its sparse
    formulation computes it: one pass over the resampled rows, then one over the cells.

    ``w`` holds each row's multiplicity in the replicate; group ``g``'s rows are
    ``rows[group_ptr[g]:group_ptr[g + 1]]`` and its followed terms
    ``follow[follow_ptr[g]:follow_ptr[g + 1]]``. The pass over the rows sums each group's
    terms (``acc``, zeroed again through ``touched``) into cells ``(cell_col, cell_cnt)``,
    group ``g``'s from ``cell_ptr[g]`` (only for groups with a followed term: the cells need
    room for those groups' row entries alone), its total (``group_n``), its followed terms'
    counts (``follow_cnt``), and every term over all groups (``ywb``, the resample's corpus
    counts, and ``N``). The pass over the cells, group by group, computes the z of every term
    the group uses in the resample (the prior held at the full data's: ``prior_scale`` times
    ``full``, each term's full-data corpus count, and ``prior0``), keeps the ``top`` best by
    (z descending, term id ascending) in a small heap, and writes each followed term's z (its
    count may be 0) and whether it is in that top into ``out_z`` and ``out_in``. The columns
    may be numbered in any order (the caller numbers them by frequency, so the counts of
    common terms lie close together in memory): ``orig`` gives each column's term id, which
    breaks ties. Terms rarer than ``min_count`` in the full data never rank. Counts are
    integers and every sum is exact, so the floats equal those of the sparse path. Most terms
    are rare: within a group, z depends only on the term's resampled count, its resampled
    corpus count and its full-data count, so z is computed once per such triple of small
    counts (``memo_z``, valid where ``memo_stamp`` equals this group's stamp; ``stamp[0]``
    counts the groups seen by this buffer) and looked up for every other term that shares it.
    """
    n_cols = len(ywb)
    for c in range(n_cols):
        ywb[c] = 0
    n_groups = len(group_ptr) - 1
    m = 0
    total = 0
    for g in range(n_groups):
        cell_ptr[g] = m
        keep = follow_ptr[g + 1] > follow_ptr[g]  # a group with nothing followed adds to N only
        nt = 0
        for q in range(group_ptr[g], group_ptr[g + 1]):
            r = rows[q]
            wr = w[r]
            if wr == 0:
                continue
            for j in range(indptr[r], indptr[r + 1]):
                col = indices[j]
                if acc[col] == 0:
                    touched[nt] = col
                    nt += 1
                acc[col] += wr * data[j]
        for f in range(follow_ptr[g], follow_ptr[g + 1]):
            follow_cnt[f] = acc[follow[f]]
        n_in = 0
        for k in range(nt):
            col = touched[k]
            v = acc[col]
            if keep:
                cell_col[m] = col
                cell_cnt[m] = v
                m += 1
            ywb[col] += v
            n_in += v
            acc[col] = 0
        group_n[g] = n_in
        total += n_in
    cell_ptr[n_groups] = m
    N = float(total)
    for g in range(n_groups):
        if follow_ptr[g + 1] == follow_ptr[g]:
            continue
        ni = float(group_n[g])
        stamp[0] += 1
        here = stamp[0]
        # the top terms by (z desc, term asc): a min-heap of the `top` best kept so far, its
        # root the worst of them
        size = 0
        for k in range(cell_ptr[g], cell_ptr[g + 1]):
            col = cell_col[k]
            yt = full[col]
            if yt < min_count:
                continue
            yi, yw = cell_cnt[k], ywb[col]
            if yi < _MEMO_I and yw < _MEMO_W and yt < _MEMO_T:
                key = (yi * _MEMO_W + yw) * _MEMO_T + yt
                if memo_stamp[key] == here:
                    z = memo_z[key]
                else:
                    z = _log_odds_cell(float(yi), float(yw), ni, N, prior_scale * yt, prior0)[1]
                    memo_z[key] = z
                    memo_stamp[key] = here
            else:
                z = _log_odds_cell(float(yi), float(yw), ni, N, prior_scale * yt, prior0)[1]
            size = _heap_offer(heap_z, heap_t, size, top, z, orig[col])
        for f in range(follow_ptr[g], follow_ptr[g + 1]):
            t = follow[f]
            yi = follow_cnt[f]
            out_z[f] = _log_odds_cell(
                float(yi), float(ywb[t]), ni, N, prior_scale * full[t], prior0
            )[1]
            inside = False
            if yi > 0 and full[t] >= min_count:
                for k in range(size):
                    if heap_t[k] == orig[t]:
                        inside = True
                        break
            out_in[f] = inside


@njit(cache=CACHE, nogil=True, error_model="numpy")
def remap_entries(col, tmap, bmap, out):
    """Entries of one count in the ids of another: a term id ``t`` becomes ``tmap[t]``, a
    bigram ``-1 - b`` becomes ``-1 - bmap[b]``; written into ``out``."""
    for j in range(len(col)):
        x = col[j]
        out[j] = tmap[x] if x >= 0 else -1 - bmap[-1 - x]


@njit(cache=CACHE, nogil=True, error_model="numpy")
def group_sums(indptr, indices, data, rows, group_ptr, g0, g1, n_cols, out_col, out_val):
    """Sums of the CSR rows of each group ``g0 .. g1 - 1`` (group ``g``'s rows are
    ``rows[group_ptr[g]:group_ptr[g + 1]]``): its columns in order, in ``out_col`` and
    ``out_val`` from 0 on. Returns the number of entries of each group."""
    acc = np.zeros(n_cols, dtype=np.int64)
    touched = np.empty(n_cols, dtype=np.int32)
    n_out = np.zeros(g1 - g0, dtype=np.int64)
    m = 0
    for g in range(g0, g1):
        nt = 0
        for q in range(group_ptr[g], group_ptr[g + 1]):
            r = rows[q]
            for j in range(indptr[r], indptr[r + 1]):
                col = indices[j]
                if acc[col] == 0:
                    touched[nt] = col
                    nt += 1
                acc[col] += data[j]
        part = touched[:nt]
        part.sort()
        for j in range(nt):
            col = part[j]
            out_col[m + j] = col
            out_val[m + j] = acc[col]
            acc[col] = 0
        m += nt
        n_out[g - g0] = nt
    return n_out


@njit(cache=CACHE, nogil=True, error_model="numpy", inline="always")
def _keyness_stat(a, n_in, y_w, N, lr, corrected):
    # the unsigned statistic of keyness() for one (group, term) 2x2 table: Pearson's chi-square
    # (Yates' correction when corrected) or G² (Williams' correction when corrected); 0 where a
    # margin is empty
    b = n_in - a
    c = y_w - a
    d = (N - n_in) - c
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    if r1 <= 0.0 or r2 <= 0.0 or c1 <= 0.0 or c2 <= 0.0:
        return 0.0
    if not lr:
        diff = abs(a * d - b * c)
        if corrected:
            diff = max(diff - N / 2.0, 0.0)
        return N * diff * diff / (r1 * r2 * c1 * c2)
    stat = 0.0
    if a > 0.0:
        stat += a * np.log(a / (r1 * c1 / N))
    if b > 0.0:
        stat += b * np.log(b / (r1 * c2 / N))
    if c > 0.0:
        stat += c * np.log(c / (r2 * c1 / N))
    if d > 0.0:
        stat += d * np.log(d / (r2 * c2 / N))
    stat *= 2.0
    if corrected:
        stat /= 1.0 + (N / r1 + N / r2 - 1.0) * (N / c1 + N / c2 - 1.0) / (6.0 * N)
    return stat


@njit(cache=CACHE, nogil=True, error_model="numpy")
def keyness_stats(sums, n_in, y_w, N, lr, corrected, out):
    """The unsigned keyness statistic of every (group, term) cell: ``sums`` groups x terms,
    ``n_in`` each group's tokens, ``y_w`` each term's corpus count, ``N`` the corpus' tokens."""
    for g in range(sums.shape[0]):
        for t in range(sums.shape[1]):
            out[g, t] = _keyness_stat(sums[g, t], n_in[g], y_w[t], N, lr, corrected)


@njit(cache=CACHE, nogil=True, error_model="numpy")
def permutation_exceed(
    indptr, indices, data, doc_len, labels, n_groups, y_w, N, lr, corrected, observed, exceed
):
    """For each permutation (a row of ``labels``: the group of every document), the group sums
    of the documents' term counts (CSR rows), every cell's statistic (:func:`keyness_stats`),
    and ``exceed[g, t] += 1`` where it reaches the observed one (relative tolerance 1e-12)."""
    n_terms = len(y_w)
    sums = np.zeros((n_groups, n_terms))
    n_in = np.zeros(n_groups)
    stat = np.empty((n_groups, n_terms))
    for p in range(labels.shape[0]):
        sums[:] = 0.0
        n_in[:] = 0.0
        for doc in range(len(doc_len)):
            g = labels[p, doc]
            n_in[g] += doc_len[doc]
            for e in range(indptr[doc], indptr[doc + 1]):
                sums[g, indices[e]] += data[e]
        keyness_stats(sums, n_in, y_w, N, lr, corrected, stat)
        for g in range(n_groups):
            for t in range(n_terms):
                if stat[g, t] >= observed[g, t] * (1.0 - 1e-12):
                    exceed[g, t] += 1
