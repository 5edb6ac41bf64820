"""What outlets share: passages and quotations that appear word for word in more than one outlet.

Each article's words become overlapping n-word shingles; a shingle is hashed to one 64-bit
number, shingles are indexed by hash (a sort within each of 16 partitions of the hash space,
so memory stays bounded), and equal shingles of two articles from different outlets are merged
into maximal runs. Every run is given with offsets into both articles' text. On the 37,554
AllSides articles this takes under a minute and well under a gigabyte above the articles.
"""

from __future__ import annotations

__all__ = [
    "shared_passages",
    "shared_matrix",
]

import re
from collections import defaultdict
from itertools import count, islice
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import check_column, check_option
from ..text.words import count_words

SHARED_COLUMNS = [
    "doc_id_a", "outlet_a", "start_a", "end_a",
    "doc_id_b", "outlet_b", "start_b", "end_b",
    "text", "n_words",
]  # fmt: skip

# A word for shingling: letters and digits, with inner apostrophes ("China’s", "doesn't").
# Hyphens and all other punctuation separate words, so "electricity and" and "electricity, and"
# are the same two words.
_TOKEN = re.compile(r"\w+(?:['’‘ʼ]\w+)*")
_APOS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# Shingles are indexed in 2**_PART_BITS partitions of the hash space, one at a time
_PART_BITS = 4
# Odd multiplier of the polynomial shingle hash (arithmetic modulo 2**64)
_P = np.uint64(0x9E3779B97F4A7C15)

Value = Literal["words", "passages"]
SHARED_VALUES = ("words", "passages")


def shingle_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """Hash of every n-token window of ``ids`` (len(ids) - n + 1 values)."""
    m = len(ids) - n + 1
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _P + ids[k : k + m]
        # a final mix so that windows differing in one token spread over all 64 bits
        h ^= h >> np.uint64(31)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(29)
    return h


def _pairs_within_groups(group_start: np.ndarray, group_end: np.ndarray):
    """All (i, j), i < j, of positions in the same group of a sorted array.

    ``group_start``/``group_end`` give, for every position, the bounds of its group.
    """
    pos = np.arange(len(group_start))
    after = group_end - pos - 1
    left = np.repeat(pos, after)
    first = np.cumsum(after) - after
    right = left + 1 + (np.arange(len(left)) - np.repeat(first, after))
    return left, right


def _pairs_of(h: np.ndarray, win: np.ndarray, doc_of_tok, groups, max_docs):
    """Pairs of windows (left, right) with equal hashes, from articles of different groups.

    ``win`` are window positions in increasing order and ``h`` their hashes; ``left`` is in
    the earlier article.
    """
    # a stable sort keeps, within one hash, windows in position (so article) order
    order = np.argsort(h, kind="stable")
    h, win = h[order], win[order]
    doc = doc_of_tok[win]
    new = np.ones(len(h), dtype=bool)
    new[1:] = h[1:] != h[:-1]
    gid = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(h))
    size = (ends - starts)[gid]
    # distinct articles per hash, to drop single-article hashes and boilerplate
    new_doc = new.copy()
    new_doc[1:] |= doc[1:] != doc[:-1]
    ndocs = np.bincount(gid, weights=new_doc).astype(np.int64)[gid]
    keep = (size >= 2) & (ndocs >= 2)
    if max_docs is not None:
        keep &= ndocs <= max_docs
    win, doc, gid = win[keep], doc[keep], gid[keep]
    if not len(win):
        return win, win
    new = np.ones(len(gid), dtype=bool)
    new[1:] = gid[1:] != gid[:-1]
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(gid))
    g = np.cumsum(new) - 1
    left, right = _pairs_within_groups(starts[g], ends[g])
    cross = groups[doc[left]] != groups[doc[right]]
    return win[left[cross]], win[right[cross]]


def shared_passages(
    articles: pd.DataFrame,
    *,
    n: int = 8,
    by: str = "outlet",
    max_docs: int | None = 50,
    progress: bool = False,
) -> pd.DataFrame:
    """Passages that two articles from different outlets share word for word.

    Args:
        articles: the article table (``doc_id``, ``text`` and the ``by`` column), as from
            :func:`framing.load_corpus`.
        n: shingle length in words; a passage must share at least ``n`` consecutive words.
            8 finds shared quotations and wire copy while common phrases ("the United States
            and its allies") stay below it.
        by: the column whose values must differ between the two articles (``"outlet"``;
            ``"doc_id"`` to compare every pair of articles).
        max_docs: a shingle found in more than this many articles is ignored, so boilerplate
            (a sign-up line, a stock sentence) does not make pairs by the million. None keeps
            all.
        progress: show progress bars (reading the articles' words, then matching the
            shingles; ``tqdm.auto``, a live widget in JupyterLab); off by default and in
            headless report runs. The result is the same.

    Returns:
        ``doc_id_a, outlet_a, start_a, end_a, doc_id_b, outlet_b, start_b, end_b, text,
        n_words``: one row per pair of articles and maximal shared run. ``start``/``end`` are
        offsets into each article's ``text``, from the first letter of the first shared word to
        the last letter of the last, so ``text`` equals ``article_a.text[start_a:end_a]`` and,
        up to case, quotation marks, apostrophes and punctuation between words, the slice of
        article b. A passage shared by three outlets gives three rows (one per pair); article a
        comes first in the table's order. ``n_words`` counts words as
        :func:`framing.count_words` does. Sorted by length, longest first.

    Note:
        Words are compared lower-cased, with curly and straight apostrophes alike; punctuation
        and quotation marks are ignored, so "electricity and" matches "electricity, and". A
        shared passage says two outlets carry the same words (a quotation, a statement, wire
        copy), not who copied whom. Shingles are matched by a 64-bit hash, and every run is
        checked word by word afterwards, so a hash collision cannot produce a false passage.

    References:
        Broder, A. Z. (1997). On the resemblance and containment of documents. Proceedings of
        Compression and Complexity of Sequences, 21–29.
    """
    check_option(
        "n",
        n,
        "an integer >= 2",
        ok=isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 2,
    )
    check_column(articles, by, of="articles")
    ok = max_docs is None or (
        isinstance(max_docs, int | np.integer) and not isinstance(max_docs, bool) and max_docs >= 2
    )
    check_option("max_docs", max_docs, "an integer >= 2 or None", ok=ok)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in SHARED_COLUMNS})
    empty = empty.astype({c: "int64" for c in ("start_a", "end_a", "start_b", "end_b", "n_words")})
    texts = articles["text"].fillna("").astype(str).tolist()
    if len(texts) < 2:
        return empty

    # words of every article as integer ids, one id per distinct spelling (no list of all the
    # words as Python strings: on 37,554 articles that alone took gigabytes); then one id per
    # normalised spelling (lower case, one apostrophe), computed once per distinct spelling
    from tqdm.auto import tqdm

    vocab: defaultdict[str, int] = defaultdict(count().__next__)
    parts = []
    for t in tqdm(texts, desc="shared passages: words", unit="article", disable=not progress):
        toks = _TOKEN.findall(t)
        parts.append(np.fromiter(map(vocab.__getitem__, toks), dtype=np.int32, count=len(toks)))
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    if not lengths.sum():
        return empty
    raw_codes = np.concatenate(parts)
    del parts
    norm = pd.Index(list(vocab), dtype=object).str.lower().str.translate(_APOS)
    del vocab
    norm_codes, _ = pd.factorize(norm, sort=False)
    ids = norm_codes[raw_codes].astype(np.uint64) + np.uint64(1)
    del raw_codes
    doc_of_tok = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    doc_first = np.cumsum(lengths) - lengths

    # hash every window; a window that runs past its article's end gets no partition
    h = shingle_hashes(ids, n) if len(ids) >= n else np.zeros(0, dtype=np.uint64)
    m = len(h)
    part = (h >> np.uint64(64 - _PART_BITS)).astype(np.uint8)
    part[doc_of_tok[:m] != doc_of_tok[n - 1 : n - 1 + m]] = 255

    # index by hash, one partition of the hash space at a time (bounded memory)
    groups = pd.factorize(articles[by].astype(str))[0]
    pieces = [
        _pairs_of(h[win], win, doc_of_tok, groups, max_docs)
        for p in tqdm(
            range(1 << _PART_BITS), desc="shared passages: shingles", disable=not progress
        )  # fmt: skip
        if len(win := np.flatnonzero(part == p)) >= 2
    ]
    del h, part
    wa = np.concatenate([a for a, _ in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    wb = np.concatenate([b for _, b in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    if not len(wa):
        return empty
    da, db = doc_of_tok[wa].astype(np.int64), doc_of_tok[wb].astype(np.int64)
    ta = wa - doc_first[da]  # token index of the window in its article
    tb = wb - doc_first[db]
    del wa, wb

    # maximal runs: consecutive windows on the same diagonal of the same pair of articles
    diag = tb - ta
    o = np.lexsort((ta, diag, db, da))
    da, db, ta, tb, diag = da[o], db[o], ta[o], tb[o], diag[o]
    brk = np.ones(len(da), dtype=bool)
    brk[1:] = (da[1:] != da[:-1]) | (db[1:] != db[:-1]) | (diag[1:] != diag[:-1])
    brk[1:] |= ta[1:] != ta[:-1] + 1
    first = np.flatnonzero(brk)
    last = np.append(first[1:], len(da)) - 1

    runs = []
    want: defaultdict[int, set[int]] = defaultdict(set)  # word offsets needed, per article
    for f, la in zip(first.tolist(), last.tolist(), strict=True):
        a, b = int(da[f]), int(db[f])
        a0, a1 = int(ta[f]), int(ta[la]) + n  # tokens [a0, a1)
        b0, b1 = int(tb[f]), int(tb[la]) + n
        ia, ib = doc_first[a], doc_first[b]
        if not np.array_equal(ids[ia + a0 : ia + a1], ids[ib + b0 : ib + b1]):
            continue  # a hash collision, not a shared passage
        runs.append((a, a0, a1, b, b0, b1))
        want[a].update((a0, a1 - 1))
        want[b].update((b0, b1 - 1))
    spans = {}
    for d, idx in want.items():
        for i, tok in enumerate(islice(_TOKEN.finditer(texts[d]), max(idx) + 1)):
            if i in idx:
                spans[d, i] = tok.span()

    doc_ids = articles["doc_id"].astype(str).tolist()
    outlets = articles["outlet"].astype(str).tolist() if "outlet" in articles else doc_ids
    rows = []
    for a, a0, a1, b, b0, b1 in runs:
        s_a, e_a = spans[a, a0][0], spans[a, a1 - 1][1]
        s_b, e_b = spans[b, b0][0], spans[b, b1 - 1][1]
        text = texts[a][s_a:e_a]
        rows.append(
            (doc_ids[a], outlets[a], s_a, e_a, doc_ids[b], outlets[b], s_b, e_b, text,
             count_words(text))
        )  # fmt: skip
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=SHARED_COLUMNS)
    out = out.sort_values(["n_words"], ascending=False, kind="stable").reset_index(drop=True)
    return out.astype({c: "int64" for c in ("start_a", "end_a", "start_b", "end_b", "n_words")})


def shared_matrix(
    shared: pd.DataFrame, *, outlets: list[str] | None = None, value: Value = "words"
) -> pd.DataFrame:
    """The outlet-by-outlet table of what outlets share, long and symmetric.

    Args:
        shared: from :func:`shared_passages`.
        outlets: outlets to show, in this order (default: every outlet in ``shared``, sorted);
            pass all outlets of the corpus to show those that share nothing as zeros.
        value: ``"words"`` (sum of ``n_words`` of the shared passages) or ``"passages"``
            (number of passages).

    Returns:
        ``outlet_a, outlet_b, passages, words, value``: one row per ordered pair of different
        outlets, both orders present, so it can be pivoted to a symmetric matrix.
    """
    check_option("value", value, SHARED_VALUES)
    if outlets is None:
        outlets = sorted(set(shared["outlet_a"]) | set(shared["outlet_b"]))
    both = pd.concat(
        [
            shared[["outlet_a", "outlet_b", "n_words"]],
            shared[["outlet_b", "outlet_a", "n_words"]].set_axis(
                ["outlet_a", "outlet_b", "n_words"], axis=1
            ),
        ]
    )
    agg = both.groupby(["outlet_a", "outlet_b"]).agg(
        passages=("n_words", "size"), words=("n_words", "sum")
    )
    full = pd.MultiIndex.from_tuples(
        [(a, b) for a in outlets for b in outlets if a != b], names=["outlet_a", "outlet_b"]
    )
    out = agg.reindex(full, fill_value=0).reset_index()
    out["value"] = out[value]
    return out.astype({"passages": "int64", "words": "int64", "value": "int64"})
