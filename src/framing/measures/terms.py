"""Which words each outlet leans on: TF-IDF, log-odds with an informative prior, keyness, KWIC.

Every function takes ``data``: the sentence table (:func:`framing.sentences`) or the article
table (:func:`framing.load_corpus`), anything with a ``text`` column and the grouping column
named by ``by`` (``"outlet"`` by default; any column, e.g. an AllSides bias rating). When the
table has a ``kind`` column, only ``kind == "body"`` rows are counted (headings are left out).
Terms are those of :mod:`framing.text.tokens`. Counts are sparse matrices throughout, and the
statistics are computed for all groups at once.
"""

from __future__ import annotations

__all__ = [
    "keyness",
    "kwic",
    "kwic_top_terms",
    "log_odds",
    "term_columns",
    "term_stability",
    "tfidf_similarity",
    "tfidf_terms",
    "token_summary",
]

import re
import threading
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import check_option
from ..stats import resample_strata
from ..text.counting import TermCounts, counted_rows, doc_term, term_counts, values_at
from ..text.tokens import Analyzer, scan_words

Measure = Literal["chi2", "lr"]
Correction = Literal["default", "none"]


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
    units = counted_rows(data, by)
    units = units[units[by].notna()]
    codes, groups = pd.factorize(units[by], sort=True)
    texts = units["text"].fillna("").astype(str)
    # one compiled pass (framing.term_counts's): each text's terms and bigrams, and its words
    # and those that can never be terms; every other word is a stop word
    X, vocab, tally = doc_term(texts, Analyzer((1, 2)), tally=True)
    bigram = np.asarray(pd.Series(vocab).str.contains(" ", regex=False), dtype=bool)
    row_of = np.repeat(np.arange(len(units)), np.diff(X.indptr))
    is_bi = bigram[X.indices]

    def by_group(per_row):  # exact: counts far below 2**53
        return np.bincount(codes, weights=per_row, minlength=len(groups)).astype(np.int64)

    def entries(keep):  # each row's count of the entries kept
        return np.bincount(row_of[keep], weights=X.data[keep], minlength=len(units))

    rows = np.bincount(codes, minlength=len(groups))
    words, short = by_group(tally[:, 0]), by_group(tally[:, 1])
    terms, bigrams = by_group(entries(~is_bi)), by_group(entries(is_bi))
    recs = list(zip(groups, rows, words, short, words - short - terms, terms, bigrams, strict=True))
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


def top_per_group(g: np.ndarray, score: np.ndarray, w: np.ndarray, top: int | None):
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


def _check_int(name: str, value, least: int) -> None:
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= least
    check_option(name, value, f"an integer >= {least}", ok=ok)


def _check_top(top):
    check_option(
        "top",
        top,
        "an integer >= 1 or None",
        ok=top is None
        or (isinstance(top, int | np.integer) and not isinstance(top, bool) and top >= 1),
    )


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
    idx, rank = top_per_group(g, s, w, top)
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
    groups: Sequence | None = None,
) -> pd.DataFrame:
    """Cosine similarity of the groups' TF-IDF vectors (those of :func:`tfidf_terms`).

    Args:
        data: sentence or article table, or a :class:`TermCounts`.
        by: grouping column.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        sublinear_tf: as in :func:`tfidf_terms`.
        groups: the pairs of these groups only (the vectors are still those of all groups);
            default all. With thousands of groups all pairs are millions of rows.

    Returns:
        Every ordered pair of groups: ``<by>_a, <by>_b, cosine`` (1 on the diagonal), in the
        groups' sorted order.

    Raises:
        ValueError: a group in ``groups`` is not in the data.

    Note:
        Terms every group uses get the lowest IDF weight but still count, so similarity is
        driven by shared topic words; it says how alike the vocabularies are, not who copied.
    """
    tc = _counts(data, by, ngram_range)
    T = _tfidf(tc, sublinear_tf)
    keep = np.arange(len(tc.groups))
    if groups is not None:
        at = pd.Index(tc.groups).get_indexer(list(groups))
        if (at < 0).any():
            missing = [g for g, i in zip(groups, at, strict=True) if i < 0]
            raise ValueError(f"groups={missing!r} are not groups of the data")
        keep = np.unique(at)
    T = T[keep]
    S = (T @ T.T).toarray()
    n = len(keep)
    a, b = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    names = tc.groups[keep]
    return pd.DataFrame({f"{tc.by}_a": names[a], f"{tc.by}_b": names[b], "cosine": S[a, b]})


# ---------------------------------------------------------------------------------------------
# log-odds with an informative Dirichlet prior


def _log_odds_arrays(y_in, y_w, n_in, N, prior_scale, a=None, a0=None):
    # Monroe, Colaresi & Quinn (2008), eq. 16 and 17, each group against the rest:
    #   a_w = s * y_w, a_0 = s * N
    #   delta = log((y_in + a_w) / (n_in + a_0 - y_in - a_w))
    #         - log((y_out + a_w) / (n_out + a_0 - y_out - a_w))
    #   z = delta / sqrt(1 / (y_in + a_w) + 1 / (y_out + a_w))
    # a and a0 may be given (the bootstrap holds the prior at the full data's frequencies).
    # (computed cell by cell in kernels.log_odds_cells: millions of cells on a real corpus)
    from ..text import kernels

    y_w = np.asarray(y_w, dtype=np.float64)
    a = prior_scale * y_w if a is None else np.asarray(a, dtype=np.float64)
    a0 = prior_scale * N if a0 is None else a0
    return kernels.log_odds_cells(
        np.asarray(y_in, dtype=np.float64), y_w, np.asarray(n_in, dtype=np.float64),
        float(N), np.broadcast_to(a, y_w.shape), float(a0),
    )  # fmt: skip


def _check_prior(prior_scale):
    ok = isinstance(prior_scale, int | float) and np.isfinite(prior_scale) and prior_scale > 0
    check_option("prior_scale", prior_scale, "a number > 0", ok=ok)


def _only_groups(tc: TermCounts, groups, g: np.ndarray, *arrays: np.ndarray) -> tuple:
    """The cells ``(g, *arrays)`` of the groups named (all of them with ``groups=None``)."""
    mask = _group_mask(tc, groups)
    if mask is None:
        return (g, *arrays)
    keep = mask[g]
    return (g[keep], *(a[keep] for a in arrays))


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
    event: str | None = None,
    groups: Sequence | None = None,
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
        event: None to compare each group with the rest of the corpus (pooled). Or a column of
            ``data`` naming the event (a story id, a topic, a window of dates): each event
            compared by at least two groups contributes its own comparison, each group against
            the other groups *of that event*, with the prior from that event's counts; the
            events' ``delta`` are pooled by inverse variance (a fixed-effect meta-analysis:
            ``delta = sum(delta_e / v_e) / sum(1 / v_e)`` and ``z = sum(delta_e / v_e) /
            sqrt(sum(1 / v_e))`` with ``v_e = 1 / (y_in + a_w) + 1 / (y_out + a_w)``, the
            variance of Monroe et al.). A group that covers a grim event more than the others
            no longer gets that event's words as its own. Needs a table (not a
            :class:`TermCounts`).
        groups: list these groups only (None: every group), each still against all the others
            (the same rows as in the whole table). With thousands of groups the whole table
            has a row per group and term used, tens of millions; a report lists the groups it
            draws. A group matches by value or by its text; one without counted rows (or, with
            ``event``, without an event) is left out, as in the whole table.

    Returns:
        ``<by>, term, count_in, count_out, log_odds, z`` for every term a group uses, sorted by
        group, then ``z`` descending, then term. ``log_odds`` is ``delta``, in natural-log
        units; positive means the group uses the term more than the rest of the corpus. With
        ``event``: the same columns over the events in which the group was compared (counts
        summed over them, a term the group never used there is not listed), then ``n_events``
        (the events that contributed: the group was compared there and the term occurs in
        the event); ``attrs["single_group_events"]`` lists the events only one group covered
        (:func:`framing.event_coverage`), which contribute nothing.

    Raises:
        ValueError: ``prior_scale`` not a positive number, ``min_count`` below 1, a bad
            ``ngram_range``, ``by`` or ``event``; ``groups`` empty, not a list, or naming no
            group with counted rows.

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
    check_option(
        "min_count",
        min_count,
        "an integer >= 1",
        ok=isinstance(min_count, int | np.integer)
        and not isinstance(min_count, bool)
        and min_count >= 1,
    )
    if event is not None:
        return _log_odds_within(data, by, event, prior_scale, ngram_range, min_count, groups)
    tc, g, w, y_in, y_w, n, N = _group_term_cells(data, by, ngram_range, min_count)
    g, w, y_in = _only_groups(tc, groups, g, w, y_in)
    delta, z = _log_odds_arrays(y_in, y_w[w], n[g], N, prior_scale)
    order, _ = top_per_group(g, z, w, None)
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


def _event_rows(data, by: str, event: str, what: str) -> pd.DataFrame:
    """The rows a within-event comparison counts: body rows with a group and an event."""
    from ..errors import check_column

    if isinstance(data, TermCounts):
        raise ValueError(f"{what} needs the table (with the {event!r} column), not TermCounts")
    check_column(data, event, arg="event", hint="add it with framing.join_articles")
    units = counted_rows(data, by)
    return units[units[by].notna() & units[event].notna()]


_TRIPLETS = 20_000_000  # (group, term) cells of the events held before they are summed


def _log_odds_within(data, by, event, prior_scale, ngram_range, min_count, groups=None):
    from ..measures.events import event_coverage
    from ..text.counting import group_sums

    units = _event_rows(data, by, event, "log_odds(event=...)")
    tc = term_counts(units, by=by, ngram_range=ngram_range)
    G, V = len(tc.groups), len(tc.vocab)
    listed = _group_mask(tc, groups)  # None: every group
    e_codes, _ = pd.factorize(units[event], sort=True)
    n_events = int(e_codes.max()) + 1 if len(e_codes) else 0
    # the counts of every (event, group): one row per pair, rows e * G .. e * G + G - 1
    cells = group_sums(tc.doc_term, e_codes.astype(np.int64) * G + tc.codes, n_events * G)
    y_total = np.asarray(tc.counts.sum(axis=0)).ravel()
    parts: list[tuple] = []
    held = 0
    acc = None
    for e in range(n_events):
        block = cells[e * G : (e + 1) * G]
        n_in = np.asarray(block.sum(axis=1)).ravel().astype(np.float64)
        present = np.flatnonzero(n_in > 0)
        if len(present) < 2:
            continue
        y_w = np.asarray(block[present].sum(axis=0)).ravel()
        N = float(n_in.sum())
        if listed is not None:  # only the groups listed need rows; the totals are every group's
            present = present[listed[present]]
            if not len(present):
                continue
        block = block[present]
        cols = np.flatnonzero(y_w > 0)
        Y = block[:, cols].toarray().astype(np.float64)  # groups of the event x its terms
        yw = y_w[cols].astype(np.float64)
        ni = n_in[present][:, None]
        a, a0 = prior_scale * yw, prior_scale * N
        yo, no = yw - Y, N - ni
        delta = (
            np.log(Y + a) - np.log(ni + a0 - Y - a) - (np.log(yo + a) - np.log(no + a0 - yo - a))
        )
        inv = 1.0 / (1.0 / (Y + a) + 1.0 / (yo + a))  # 1 / variance
        g = np.repeat(present, len(cols))
        w = np.tile(cols, len(present))
        vals = np.column_stack(
            [(delta * inv).ravel(), inv.ravel(), Y.ravel(), yo.ravel(), np.ones(Y.size)]
        )
        parts.append((g, w, vals))
        held += len(g)
        if held >= _TRIPLETS:
            acc = _add_cells(acc, parts, G, V)
            parts, held = [], 0
    acc = _add_cells(acc, parts, G, V)
    if acc is None:
        acc = [sparse.csr_matrix((G, V)) for _ in range(5)]
    weighted, weight, y_in, y_out, used = acc
    y_in.sum_duplicates()
    C = y_in.tocoo()
    keep = (C.data > 0) & (y_total[C.col] >= min_count)
    g, w = C.row[keep].astype(np.int64), C.col[keep].astype(np.int64)
    S, W = values_at(weighted, g, w), values_at(weight, g, w)
    delta, z = S / W, S / np.sqrt(W)
    order, _ = top_per_group(g, z, w, None)
    g, w = g[order], w[order]
    groups, terms = _labels(tc, g, w)
    out = pd.DataFrame(
        {
            tc.by: groups,
            "term": terms,
            "count_in": values_at(y_in, g, w).astype(np.int64),
            "count_out": values_at(y_out, g, w).astype(np.int64),
            "log_odds": delta[order],
            "z": z[order],
            "n_events": values_at(used, g, w).astype(np.int64),
        },
        copy=False,
    )
    coverage = event_coverage(units, by=by, event=event)
    out.attrs["single_group_events"] = coverage[~coverage["compared"]].reset_index(drop=True)
    return out


def _add_cells(acc, parts, G, V):
    """``acc`` (five sparse group x term sums, or None) plus the cells of ``parts``."""
    if not parts:
        return acc
    g = np.concatenate([p[0] for p in parts])
    w = np.concatenate([p[1] for p in parts])
    vals = np.concatenate([p[2] for p in parts])
    new = [sparse.csr_matrix((vals[:, j], (g, w)), shape=(G, V)) for j in range(vals.shape[1])]
    return new if acc is None else [x + y for x, y in zip(acc, new, strict=True)]


# ---------------------------------------------------------------------------------------------
# keyness (chi-square / log-likelihood, as quanteda's textstat_keyness)


def _keyness_cells(a, n_g, y_w, N, measure, correction):
    """The signed statistic and its chi-square p of each (group, term) 2x2 table: ``a`` the
    group's count of the term, ``n_g`` the group's tokens, ``y_w`` the term's corpus count."""
    a = np.asarray(a, dtype=np.float64)
    b = n_g - a
    c = y_w - a
    d = (N - n_g) - c
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
    from scipy import stats

    p = stats.chi2.sf(stat, df=1)
    return np.where(a > exp[0], stat, -stat), p, c


Test = Literal["permutation"]


def keyness(
    data: pd.DataFrame | TermCounts,
    *,
    by: str = "outlet",
    measure: Measure = "chi2",
    correction: Correction = "default",
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 1,
    test: Test | None = None,
    n_perm: int = 1000,
    seed: int = 0,
    top_terms: int | None = 5000,
    groups: Sequence | None = None,
) -> pd.DataFrame:
    """Keyness of each term for each group against all the others, from a 2x2 table.

    The table for group ``i`` and term ``w`` is ``[[y_in, n_in - y_in], [y_out, n_out -
    y_out]]``. ``measure="chi2"`` is Pearson's chi-square (with Yates' continuity correction
    when ``correction="default"``); ``measure="lr"`` is the likelihood-ratio G² (with
    Williams' correction when ``correction="default"``) — quanteda's defaults.

    Args:
        data: sentence or article table, or a :class:`TermCounts` (not with ``test``).
        by: grouping column.
        measure: ``"chi2"`` or ``"lr"``.
        correction: ``"default"`` (Yates for chi2, Williams for lr) or ``"none"``.
        ngram_range: ``(1, 1)``, ``(1, 2)`` or ``(2, 2)``.
        min_count: keep terms used at least this often in the whole corpus.
        test: None (the word-level ``p`` only), or ``"permutation"``: a document-level test.
            The articles (``doc_id``) are permuted between the groups, keeping each group's
            number of articles, ``n_perm`` times; a term's ``p_perm`` is the share of
            permutations whose statistic (the same ``measure``, unsigned: two-sided) reaches
            the observed one, ``(1 + #{perm >= observed}) / (1 + n_perm)``. Each group is
            tested against the rest on the ``top_terms`` most frequent terms, and ``q`` is the
            Benjamini–Hochberg adjustment of its ``p_perm`` over those terms
            (``scipy.stats.false_discovery_control``).
        n_perm: permutations (with ``test="permutation"``).
        seed: seed of the permutations (``numpy.random.default_rng``).
        top_terms: the most frequent terms tested (by corpus count, ties by term; those with
            ``min_count``); None tests every term (slow on a large vocabulary).
        groups: list (and with ``test="permutation"``, test) these groups only (None: every
            group), each still against all the others, so a group's rows equal its rows in
            the whole table (the permutations are the same: they shuffle every article's
            group). With thousands of groups this bounds the memory (groups x terms cells) to
            the groups a report draws. Matched as in :func:`log_odds`.

    Returns:
        ``<by>, term, count_in, count_out, <measure>, p`` for every term a group uses, sorted
        by group then the statistic descending. The statistic is signed: negative when the
        group uses the term less than expected. ``p`` is from a chi-square with 1 degree of
        freedom and assumes independent words (see :func:`log_odds`' note).

        With ``test="permutation"``: one row for every group and tested term (a term the group
        never uses included: it may be key by its absence), with ``log_odds`` (the effect
        size: :func:`log_odds`' ``delta`` with ``prior_scale=1``), ``p_perm``, ``q`` and
        ``n_tested`` (terms tested per group, the size of the family ``q`` adjusts for) added;
        ``attrs`` hold ``n_tested``, ``n_perm`` and ``n_documents``.

    Raises:
        ValueError: a bad option (``groups`` as in :func:`log_odds`); with
            ``test="permutation"``, a table without ``doc_id``, an article in two groups, or a
            :class:`TermCounts`.

    Note:
        The word-level ``p`` treats every token as an independent draw, so a word used many
        times in one article looks significant; the permutation test asks whether the
        *articles* of the group use the term more than articles drawn at random, which a
        single article cannot make true (Lijffijt et al. 2016). With few articles per group
        the smallest possible ``p_perm`` is large (two groups of four articles: 70 distinct
        splits), and no term can pass.

    References:
        Benoit, K. et al. (2018). quanteda: An R package for the quantitative analysis of
        textual data. Journal of Open Source Software, 3(30), 774 (``textstat_keyness``).
        Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
        Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K. & Mannila, H.
        (2016). Significance testing of word frequencies in corpora. Digital Scholarship in the
        Humanities, 31(2), 374–397.
        Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. Journal of
        the Royal Statistical Society B, 57(1), 289–300.
    """
    check_option("measure", measure, ("chi2", "lr"))
    check_option("correction", correction, ("default", "none"))
    check_option("test", test, (None, "permutation"))
    check_option(
        "min_count",
        min_count,
        "an integer >= 1",
        ok=isinstance(min_count, int | np.integer)
        and not isinstance(min_count, bool)
        and min_count >= 1,
    )
    if test == "permutation":
        _check_int("n_perm", n_perm, 1)
        _check_int("seed", seed, 0)
        check_option(
            "top_terms",
            top_terms,
            "an integer >= 1 or None",
            ok=top_terms is None
            or (isinstance(top_terms, int | np.integer) and not isinstance(top_terms, bool)
                and top_terms >= 1),
        )  # fmt: skip
        return _keyness_permutation(
            data,
            by,
            measure,
            correction,
            ngram_range,
            min_count,
            n_perm,
            seed,
            top_terms,
            groups,
        )
    tc, g, w, y_in, y_w, n, N = _group_term_cells(data, by, ngram_range, min_count)
    g, w, y_in = _only_groups(tc, groups, g, w, y_in)
    stat, p, c = _keyness_cells(y_in, n[g], y_w[w], N, measure, correction)
    order, _ = top_per_group(g, stat, w, None)
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


def _permutation_inputs(data, by, ngram_range, min_count, top_terms):
    """What the permutation test reads: the counts, the documents x tested terms matrix, each
    document's tokens and group, and the tested terms' columns."""
    from ..text.counting import group_sums

    if isinstance(data, TermCounts):
        raise ValueError(
            "test='permutation' permutes articles: pass the table (with doc_id), not TermCounts"
        )
    units = counted_rows(data, by)
    if "doc_id" not in units.columns:
        raise ValueError(
            "test='permutation' permutes articles: data needs a 'doc_id' column; its columns "
            f"are {list(units.columns)}"
        )
    units = units[units[by].notna()]
    tc = term_counts(units, by=by, ngram_range=ngram_range)
    doc_codes, docs = pd.factorize(units["doc_id"], sort=False)
    doc_codes = doc_codes.astype(np.int64)
    n_docs = len(docs)
    doc_group = np.full(n_docs, -1, dtype=np.int64)
    doc_group[doc_codes] = tc.codes
    if (doc_group[doc_codes] != tc.codes).any():
        bad = docs[doc_codes[doc_group[doc_codes] != tc.codes][0]]
        raise ValueError(f"doc_id {bad!r} has rows in two groups of {by!r}; an article has one")
    D = group_sums(tc.doc_term, doc_codes, n_docs)  # documents x terms
    y_w = np.asarray(tc.counts.sum(axis=0)).ravel()
    eligible = np.flatnonzero(y_w >= min_count)
    # the most frequent terms, ties by term (column order)
    ranked = eligible[np.lexsort((eligible, -y_w[eligible]))]
    tested = np.sort(ranked if top_terms is None else ranked[:top_terms])
    doc_len = np.asarray(D.sum(axis=1)).ravel().astype(np.float64)
    DT = D[:, tested].tocsr()
    DT.sort_indices()
    return tc, DT, doc_len, doc_group, tested, y_w


def _keyness_permutation(data, by, measure, correction, ngram_range, min_count, n_perm, seed,
                         top_terms, groups=None):  # fmt: skip
    from concurrent.futures import ThreadPoolExecutor

    from scipy.stats import false_discovery_control

    from ..text import kernels

    tc, DT, doc_len, doc_group, tested, y_w_all = _permutation_inputs(
        data, by, ngram_range, min_count, top_terms
    )
    n_g = np.asarray(tc.counts.sum(axis=1)).ravel().astype(np.float64)
    N = float(n_g.sum())
    followed = _group_mask(tc, groups)
    if followed is not None:
        # the groups not tested become one label, "the rest": a permutation shuffles the
        # same positions whatever the labels are, so each tested group's statistic in each
        # permutation is the one the whole test computes
        keep = np.flatnonzero(followed)
        recode = np.full(len(tc.groups), len(keep), dtype=np.int64)
        recode[keep] = np.arange(len(keep))
        doc_group = recode[doc_group]
        n_g = np.r_[n_g[keep], N - n_g[keep].sum()]
    G, T = len(n_g), len(tested)
    y_w = y_w_all[tested].astype(np.float64)
    lr, corrected = measure == "lr", correction == "default"
    indptr, indices = DT.indptr.astype(np.int64), DT.indices.astype(np.int64)
    values = DT.data.astype(np.float64)
    observed = np.empty((G, T))
    sums = np.zeros((G, T))
    np.add.at(sums, (np.repeat(doc_group, np.diff(indptr)), indices), values)
    kernels.keyness_stats(sums, n_g, y_w, N, lr, corrected, observed)
    # the permutations, drawn in order from one stream, in batches that two threads share
    rng = np.random.default_rng(seed)
    step = max(1, min(64, 4_000_000 // max(len(doc_group), 1)))
    exceed = [np.zeros((G, T), dtype=np.int64) for _ in range(2)]

    def run(k, labels):
        kernels.permutation_exceed(indptr, indices, values, doc_len, labels, G, y_w, N, lr,
                                   corrected, observed, exceed[k])  # fmt: skip

    with ThreadPoolExecutor(2) as pool:
        pending = []
        for b, lo in enumerate(range(0, n_perm, step)):
            k = min(step, n_perm - lo)
            labels = np.stack([rng.permutation(doc_group) for _ in range(k)])
            pending.append(pool.submit(run, b % 2, labels))
            if len(pending) >= 2:  # at most two batches ahead of the threads
                pending.pop(0).result()
                # a thread's exceed array is written by one batch at a time
        for f in pending:
            f.result()
    if followed is not None:  # "the rest" is not a group
        G = len(keep)
        observed, sums = observed[:G], sums[:G]
        exceed = [e[:G] for e in exceed]
    p_perm = (1 + exceed[0] + exceed[1]) / (1 + n_perm)
    q = np.vstack([false_discovery_control(p_perm[g], method="bh") for g in range(G)])
    g = np.repeat(np.arange(G), T)
    w = np.tile(tested, G)
    a = sums.ravel()
    stat, p, c = _keyness_cells(a, n_g[g], y_w_all[w].astype(np.float64), N, measure, correction)
    delta, _ = _log_odds_arrays(a, y_w_all[w], n_g[g], N, 1.0)
    order, _ = top_per_group(g, stat, w, None)
    at = g[order] if followed is None else keep[g[order]]  # positions in tc.groups
    groups, terms = _labels(tc, at, w[order])
    out = pd.DataFrame(
        {
            tc.by: groups,
            "term": terms,
            "count_in": a[order].astype(np.int64),
            "count_out": c[order].astype(np.int64),
            measure: stat[order],
            "p": p[order],
            "log_odds": delta[order],
            "p_perm": p_perm.ravel()[order],
            "q": q.ravel()[order],
            "n_tested": np.full(len(order), T, dtype=np.int64),
        },
        copy=False,
    )
    out.attrs.update(n_tested=T, n_perm=n_perm, n_documents=len(doc_group))
    return out


# ---------------------------------------------------------------------------------------------
# terms as columns: one row's count of a chosen term


def term_columns(data: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """The counted rows of ``data`` with each term's count in the row, and the row's words.

    Args:
        data: sentence or article table with a ``text`` column (only ``kind == "body"`` rows
            are kept when there is a ``kind`` column, as the term measures count them).
        terms: terms as the tokenizer writes them, one or two words each (``"china"``,
            ``"peace plan"``); normalised like :func:`kwic`'s pattern, so ``"China"`` counts
            "China", "China’s" and "China's".

    Returns:
        A copy of the counted rows with one integer column per term (named as the tokenizer
        writes it) and then ``words`` (:func:`framing.count_words` of the row), so a term's
        rate per 1,000 words is ``1000 * sum(term) / sum(words)`` over any rows
        (:func:`framing.over_time`, :func:`framing.event_contrasts`).

    Raises:
        ValueError: a term that is not one or two tokenizer words, or a column it would
            overwrite.
    """
    from ..text.words import count_words_many

    names = []
    for term in terms:
        ok = isinstance(term, str) and bool(term.strip())
        check_option("terms", term, "non-empty strings", ok=ok)
        words = _pattern_terms(term)
        if len(words) > 2:
            raise ValueError(f"terms={term!r} is not allowed; use terms of one or two words")
        names.append(" ".join(words))
    names = list(dict.fromkeys(names))
    units = counted_rows(data, "text")
    clash = [c for c in [*names, "words"] if c in units.columns]
    if clash:
        raise ValueError(f"terms would overwrite the columns {clash}; rename them first")
    keyed = units.assign(_all="all")
    tc = term_counts(keyed, by="_all", ngram_range=(1, 2))
    at = pd.Index(tc.vocab).get_indexer(names)
    out = units.copy()
    X = tc.doc_term  # CSR: the entries of the chosen columns, without converting the matrix
    row_of = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    for name, j in zip(names, at, strict=True):
        col = np.zeros(len(out), dtype=np.int64)
        if j >= 0:
            hit = X.indices == j
            col[row_of[hit]] = X.data[hit]
        out[name] = col
    out["words"] = count_words_many(units["text"].fillna("").astype(str)).astype(np.int64)
    return out


# ---------------------------------------------------------------------------------------------
# keyword in context


def _pattern_terms(pattern: str) -> list[str]:
    seq = scan_words(pattern, frozenset())
    terms = [t for kind, t, _, _ in seq]
    if not terms or any(t is None for t in terms):
        raise ValueError(
            f"pattern={pattern!r} is not allowed: use one or more words separated by spaces, "
            "each a term of framing.tokenize (no punctuation, numbers or single letters); "
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
    check_option(
        "window",
        window,
        "an integer >= 0",
        ok=isinstance(window, int | np.integer) and not isinstance(window, bool) and window >= 0,
    )
    ok = isinstance(pattern, str) and bool(pattern.strip())
    check_option("pattern", pattern, "a non-empty string", ok=ok)
    units = counted_rows(data, by)
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
        seq = scan_words(text, frozenset())  # once per text: words and breaks
        words = [(a, b, t) for kind, t, a, b in seq if kind == "word"]
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
            wi = -1
            for j, (kind, t, _a, _b) in enumerate(seq):
                if kind != "word":
                    continue
                wi += 1
                if t != terms[0]:  # most words: not even the first term
                    continue
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
    # each group's rows found once (a filter of the whole table per term grows with groups x
    # terms: 15,000 filters of a large table for 5,000 groups)
    rows_of = data.groupby(by, sort=False, dropna=False).indices
    found = zip(top[by], top["term"], top["rank"], top["count_in"], strict=True)
    for g, term, rank, count in tqdm(
        found, total=len(top), desc="KWIC lines", unit="term", disable=not progress
    ):
        k = kwic(data.iloc[rows_of.get(g, [])], str(term), window=window, by=by)
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


# ---------------------------------------------------------------------------------------------
# uncertainty: bootstrap over sentences


def _group_mask(tc: TermCounts, groups) -> np.ndarray | None:
    """A boolean per counted group: is it one of ``groups`` (None: all groups, no mask).

    A group matches by value (``1`` names the group ``1.0``, a Timestamp its date) or by its
    text. Named groups the data has no counted rows for are left out, as the whole table leaves
    them out; naming none that has rows is an error (a misspelt name, most likely).
    """
    if groups is None:
        return None
    if isinstance(groups, str | bytes) or not isinstance(groups, Iterable):
        raise ValueError(f"groups={groups!r} is not allowed; use a list of groups or None")
    wanted = list(groups)
    if not wanted:
        raise ValueError("groups=[] names no group; use None for every group")
    index = pd.Index(tc.groups)
    mask = np.asarray(index.isin(wanted), dtype=bool)
    mask |= np.asarray(index.astype(str).isin([str(g) for g in wanted]), dtype=bool)
    if not mask.any():
        raise ValueError(
            f"groups={wanted[:5]!r}: none of them has counted rows of {tc.by!r} here; "
            f"its {len(index):,} groups begin {list(index[:3])!r}"
        )
    return mask


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
    cache: bool = True,
    groups: Sequence | None = None,
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
        cache: keep the table in the disk cache (``FRAMING_CACHE``) under the code's version,
            the counts (every matrix entry, group and term) and the other arguments, so a
            rerun on the same data reads it instead of redrawing every replicate (minutes on a
            large corpus). The table is the same either way.
        groups: follow these groups' top terms only (None: every group). Every group's
            sentences are still resampled, since they are the rest each group is compared
            with, so a followed group's rows are the same as in the whole table; with
            thousands of groups this bounds the memory and time a report needs for the few
            groups its figures draw. Matched as in :func:`log_odds`.

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
    check_option(
        "n_boot",
        n_boot,
        "an integer >= 1",
        ok=isinstance(n_boot, int | np.integer) and not isinstance(n_boot, bool) and n_boot >= 1,
    )
    ok = isinstance(level, float) and 0 < level < 1
    check_option("level", level, "a number between 0 and 1", ok=ok)
    from ..text import kernels

    tc = _counts(data, by, ngram_range)
    followed = _group_mask(tc, groups)
    X = tc.doc_term.tocsr()
    X.sort_indices()
    store = key = None
    if cache:
        from ..cache import FrameCache, array_digest, code_version, content_key, texts_digest

        store = FrameCache("term-stability", code_version())
        key = content_key(
            array_digest(X.indptr, X.indices, X.data, tc.codes),
            texts_digest(pd.Series(tc.groups).astype(str)),
            texts_digest(pd.Series(tc.vocab)),
            repr((tc.by, top, n_boot, seed, level, prior_scale, min_count)),
            *([] if followed is None else ["groups", array_digest(np.flatnonzero(followed))]),
        )
        hit = store.get_frame(key)
        if hit is not None:
            return hit
    y_total = np.asarray(tc.counts.sum(axis=0)).ravel()
    # the prior is held at the full data's frequencies: prior_scale times each term's count
    prior0 = prior_scale * float(y_total.sum())
    base = log_odds(tc, prior_scale=prior_scale, min_count=min_count, groups=groups)
    base = base.groupby(tc.by, sort=False).head(top).copy()
    base["rank"] = base.groupby(tc.by, sort=False).cumcount() + 1
    gi = pd.Index(tc.groups).get_indexer(base[tc.by])
    wi = pd.Index(tc.vocab).get_indexer(base["term"])
    rng = np.random.default_rng(seed)
    # each group's rows in row order (one stable sort, not a comparison per group)
    by_group = np.argsort(tc.codes, kind="stable")
    sizes = np.bincount(tc.codes, minlength=len(tc.groups))
    members = np.split(by_group, np.cumsum(sizes)[:-1]) if len(tc.groups) else []
    zs = np.empty((n_boot, len(base)))
    in_top = np.zeros((n_boot, len(base)), dtype=bool)
    # each replicate: the rows drawn (here, in order, from one seeded stream), then the group
    # sums, every z and each group's top terms in compiled code (kernels.stability_replicate:
    # one pass over the drawn rows, one over the cells), two replicates at a time on two threads
    rows = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    group_ptr = np.zeros(len(members) + 1, dtype=np.int64)
    np.cumsum([len(m) for m in members], out=group_ptr[1:])
    # columns numbered by corpus frequency, most frequent first (ties by term id): the counts
    # a replicate adds up most often then lie close together in memory; the kernel breaks ties
    # by the term id (orig), so the table is the same
    orig = np.argsort(-y_total, kind="stable").astype(np.int64)
    rank = np.empty_like(orig)
    rank[orig] = np.arange(len(orig))
    order = np.argsort(gi, kind="stable")  # followed terms grouped by group
    follow = rank[wi[order]].astype(np.int64)
    follow_ptr = np.searchsorted(gi[order], np.arange(len(tc.groups) + 1)).astype(np.int64)
    n_cols = X.shape[1]
    # room for the cells of the groups followed: at most their rows' entries
    row_nnz = np.diff(X.indptr)
    followed_groups = np.flatnonzero(np.diff(follow_ptr) > 0)
    cells = int(sum(row_nnz[members[g]].sum() for g in followed_groups))
    Xr = sparse.csr_matrix((X.data.astype(np.int64), rank[X.indices], X.indptr), shape=X.shape)
    Xr.sort_indices()  # each row's counts then added in memory order
    indptr, indices, data = Xr.indptr, Xr.indices.astype(np.int64), Xr.data
    del Xr
    full = y_total.astype(np.int64)[orig]

    def buffers():
        return (
            np.zeros(n_cols, dtype=np.int64), np.zeros(n_cols, dtype=np.int64),
            np.empty(n_cols, dtype=np.int64), np.empty(max(top, 1)), np.empty(max(top, 1), np.int64),
            np.empty(kernels.MEMO_SIZE), np.zeros(kernels.MEMO_SIZE, np.int64), np.zeros(1, np.int64),
            np.empty(cells, np.int64), np.empty(cells, np.int64), np.empty(len(members) + 1, np.int64),
            np.empty(len(members), np.int64),
        )  # fmt: skip

    local = threading.local()

    def one(b: int, weights: np.ndarray) -> None:
        if not hasattr(local, "buf"):
            local.buf = buffers()
        ywb, acc, touched, heap_z, heap_t, memo_z, memo_stamp, stamp, cc, cn, cp, gn = local.buf
        z = np.empty(len(follow))
        inside = np.zeros(len(follow), dtype=np.bool_)
        kernels.stability_replicate(
            indptr, indices, data, weights, rows, group_ptr, full, float(prior_scale), prior0,
            int(min_count), orig, follow_ptr, follow, top, ywb, acc, touched, heap_z, heap_t, z,
            inside, memo_z, memo_stamp, stamp, cc, cn, cp, gn, np.empty(len(follow), np.int64),
        )  # fmt: skip
        zs[b, order] = z
        in_top[b, order] = inside

    from concurrent.futures import ThreadPoolExecutor

    from tqdm.auto import tqdm

    with ThreadPoolExecutor(2) as pool:
        pending = []
        # each group's rows resampled within it, one stream for all (stats.resample_strata)
        draws = resample_strata(tc.codes, n_boot, rng)
        for b in tqdm(range(n_boot), desc="term stability", disable=not progress):
            pending.append(pool.submit(one, b, next(draws)))
            if len(pending) > 4:  # bound the weights held at once
                pending.pop(0).result()
        for f in pending:
            f.result()
    alpha = (1 - level) / 2
    out = base[[tc.by, "term", "rank", "count_in", "z"]].reset_index(drop=True)
    out["top_share"] = in_top.mean(axis=0)
    out["z_lo"] = np.quantile(zs, alpha, axis=0)
    out["z_hi"] = np.quantile(zs, 1 - alpha, axis=0)
    out["n_boot"] = n_boot
    if store is not None:
        store.put_frame(key, out)
    return out
