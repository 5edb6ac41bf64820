"""Statistics apart from drawing: the one bootstrap every measure uses, and its seeding.

Every interval in the report is a percentile bootstrap drawn here. A resample is described by
how many times each observation (a sentence, a span) is drawn — its multiplicities — so one
resampler serves a mean (tone), a ratio (frame hits per 1,000 words) and a statistic recomputed
from weighted counts (log-odds in :func:`framing.term_stability`). With ``units=`` the
resample is two-stage: the units (articles) are drawn with replacement, then the observations
(sentences) within each drawn unit; sentences of one article are not independent, so this is
the interval to read when groups have several articles. A group's random stream is seeded by
the seed and the group's name (:func:`group_rng`), so its interval does not depend on which
other groups are compared.

References:
    Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    Davison, A. C. & Hinkley, D. V. (1997). Bootstrap Methods and their Application, §3.8
    (two-stage resampling of clustered data). Cambridge University Press.
"""

from __future__ import annotations

__all__ = [
    "UNIT_COLUMN",
    "bootstrap",
    "bootstrap_many",
    "bootstrap_ratios",
    "check_units",
    "group_rng",
    "resample_counts",
    "resample_plan",
    "resample_strata",
]

import zlib
from collections.abc import Iterator

import numpy as np

from .errors import check_option

_CELLS = 4_000_000  # multiplicities held at once (replicates x observations), about 32 MB


def group_rng(seed: int, label) -> np.random.Generator:
    """The random stream of one group: seeded by ``seed`` and the crc32 of the group's name,
    so a group's resamples are the same whatever other groups are compared."""
    tag = zlib.crc32(str(label).encode("utf-8"))
    return np.random.default_rng([int(seed), tag])


#: the column ``units="auto"`` resamples: one value per article
UNIT_COLUMN = "doc_id"


def check_units(data, units, *, of: str = "the table"):
    """Check a measure's ``units=``: None, ``"auto"``, or a column of ``data``.

    Raises:
        ValueError: ``units`` is neither None, ``"auto"`` nor a column of ``data`` (the one
            message shape of :func:`framing.errors.check_column`).
    """
    from .errors import check_column

    if units is None or (isinstance(units, str) and units == "auto"):
        return units
    check_option("units", units, 'None, "auto" or a column name', ok=isinstance(units, str))
    return check_column(data, units, arg="units", of=of)


def resample_plan(
    units, labels, n: int, *, observations: str = "sentences"
) -> tuple[np.ndarray | None, str, int]:
    """What one group's bootstrap resamples, for ``units=`` as the measures take it.

    Args:
        units: None (resample the observations), ``"auto"`` (the articles, then the
            observations within them, when the group has at least two articles; else the
            observations), or the name of a column (its values, then the observations within
            them).
        labels: the group's values of the unit column (:data:`UNIT_COLUMN` for ``"auto"``),
            one per observation, or None when the table has no such column.
        n: the group's observations.
        observations: what an observation is called in the output (``"sentences"``,
            ``"spans"``).

    Returns:
        ``(units, resampled, n_units)``: the labels to pass as :func:`bootstrap`'s ``units=``
        (None to resample observations), what was resampled (``"articles"`` for the article
        column, else the column's name, or ``observations``) and how many of them there are.
    """
    if units is None or labels is None:
        return None, observations, n
    labels = np.asarray(labels)
    k = _n_distinct(labels)
    if units == "auto" and k < 2:
        return None, observations, n
    column = UNIT_COLUMN if units == "auto" else units
    return labels, "articles" if column == UNIT_COLUMN else str(column), k


def _n_distinct(values) -> int:
    import pandas as pd

    return len(pd.unique(np.asarray(values, dtype=object)))


def _units_index(units) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observations grouped by unit: (order, start, size) — ``order[start[u]:start[u] +
    size[u]]`` are the positions of unit ``u``'s observations, units in order of appearance."""
    codes, _ = _factorize(units)
    order = np.argsort(codes, kind="stable")
    size = np.bincount(codes)
    start = np.r_[0, np.cumsum(size)[:-1]]
    return order, start, size


def _factorize(values) -> tuple[np.ndarray, np.ndarray]:
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    return codes.astype(np.int64), np.asarray(uniques)


def resample_counts(
    n: int, n_boot: int, rng: np.random.Generator, *, units=None
) -> Iterator[np.ndarray]:
    """Bootstrap multiplicities of ``n`` observations, a few replicates at a time.

    Args:
        n: the number of observations.
        n_boot: replicates in all.
        rng: the random stream (e.g. :func:`group_rng`).
        units: None to draw ``n`` observations with replacement; or one label per observation
            (e.g. its ``doc_id``) to draw the units with replacement, as many as there are,
            then, for each unit drawn, as many of its observations as it has, with
            replacement (two-stage).

    Yields:
        int64 arrays of shape ``(k, n)``: how many times each observation is drawn in each of
        ``k`` replicates; the ``k`` add up to ``n_boot``.

    Note:
        Draws are ``rng.integers`` (int64), one observation (or unit, then observation) at a
        time in order, so the replicates do not depend on how they are chunked.
    """
    if n == 0:
        for _ in range(n_boot):
            yield np.zeros((1, 0), dtype=np.int64)
        return
    if units is None:
        for idx in _draws(n, n_boot, rng):
            k = len(idx)
            flat = (idx + (np.arange(k) * n)[:, None]).ravel()
            yield np.bincount(flat, minlength=k * n).reshape(k, n)
        return
    if len(units) != n:
        raise ValueError(f"units has {len(units)} labels for {n} observations")
    order, start, size = _units_index(units)
    n_units = len(size)
    for _ in range(n_boot):
        drawn = rng.integers(0, n_units, n_units)
        sizes = size[drawn]
        first = np.repeat(start[drawn], sizes)
        within = np.floor(rng.random(len(first)) * np.repeat(sizes, sizes)).astype(np.int64)
        yield np.bincount(order[first + within], minlength=n)[None, :]


def _draws(n: int, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """The observations drawn in each replicate, a few replicates at a time: int64 arrays
    ``(k, n)`` of positions ``0 .. n - 1``."""
    step = max(1, _CELLS // n)
    for b0 in range(0, n_boot, step):
        yield rng.integers(0, n, size=(min(step, n_boot - b0), n))


def resample_strata(
    codes: np.ndarray, n_boot: int, rng: np.random.Generator
) -> Iterator[np.ndarray]:
    """Bootstrap multiplicities of observations resampled within their stratum (group).

    Args:
        codes: each observation's stratum, ``0 .. S - 1``.
        n_boot: replicates.
        rng: one random stream for all strata.

    Yields:
        One int64 array of length ``len(codes)`` per replicate: in each, every stratum's
        observations are drawn with replacement, as many as it has, strata in order.
    """
    codes = np.asarray(codes)
    members = [np.flatnonzero(codes == s) for s in range(int(codes.max()) + 1 if len(codes) else 0)]
    for _ in range(n_boot):
        parts = [m[rng.integers(0, len(m), len(m))] for m in members if len(m)]
        draw = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        yield np.bincount(draw, minlength=len(codes))


def bootstrap(
    values,
    *,
    denominator=None,
    units=None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    label="",
    max_exact: int = 200_000,
) -> tuple[float, float, float]:
    """An estimate and its percentile bootstrap interval: a mean, or a ratio of sums.

    Args:
        values: one number per observation (a sentence's compound, a sentence's frame hits).
        denominator: None for the mean of ``values``; else one number per observation, and the
            statistic is ``sum(values) / sum(denominator)`` (hits per word).
        units: None to resample observations; else one label per observation (its article):
            articles are drawn, then sentences within them (see :func:`resample_counts`).
        n_boot: replicates.
        level: coverage of the interval, between 0 and 1.
        seed, label: the stream (:func:`group_rng`): the same seed and label give the same
            interval.
        max_exact: for a mean resampled by observation, above this many values the interval
            is the normal one, mean ± z·sd/√n, which the bootstrap distribution of a mean of
            that many values matches to within rounding (resampling would cost ``n × n_boot``
            draws).

    Returns:
        ``(estimate, low, high)``; NaNs with no observations (or a zero denominator), the
        estimate itself for a mean of one value.

    Raises:
        ValueError: ``n_boot`` below 1, ``level`` outside (0, 1), or lengths that differ.
    """
    check_option("n_boot", n_boot, "an integer >= 1", ok=isinstance(n_boot, int) and n_boot >= 1)
    check_option("level", level, "a number between 0 and 1", ok=0 < level < 1)
    x = np.asarray(values, dtype="float64")
    d = None if denominator is None else np.asarray(denominator, dtype="float64")
    if d is not None and len(d) != len(x):
        raise ValueError(f"denominator has {len(d)} values for {len(x)} values")
    n = len(x)
    est = _statistic(x.sum(), len(x) if d is None else d.sum())
    if n == 0 or not np.isfinite(est):
        return est, np.nan, np.nan
    if n == 1 and d is None:
        return est, est, est
    alpha = (1 - level) / 2
    if d is None and units is None and n > max_exact:
        from scipy.stats import norm

        half = norm.ppf(1 - alpha) * x.std(ddof=1) / np.sqrt(n)
        return est, est - float(half), est + float(half)
    reps = _replicates(x, d, units, n_boot, group_rng(seed, label))
    # a ratio's replicate that drew only zero denominators is undefined (NaN) and left out
    quantile = np.quantile if d is None else np.nanquantile
    low, high = quantile(reps, [alpha, 1 - alpha])
    return est, float(low), float(high)


def bootstrap_many(jobs, *, threads: int = 2, **options) -> list[tuple[float, float, float]]:
    """:func:`bootstrap` of several groups, two at a time: the same results, in order.

    Args:
        jobs: one dict per group of :func:`bootstrap`'s per-group arguments (``values``, and
            ``denominator``, ``units``, ``label`` as needed).
        threads: groups computed at once (the compiled resampling releases the GIL).
        **options: the arguments every group shares (``n_boot``, ``level``, ``seed``).

    Returns:
        ``(estimate, low, high)`` per job, in the order of ``jobs``. Each group draws from its
        own stream (:func:`group_rng`), so the results do not depend on ``threads``.
    """
    jobs = list(jobs)
    if threads < 2 or len(jobs) < 2:
        return [bootstrap(**job, **options) for job in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda job: bootstrap(**job, **options), jobs))


def _statistic(num: float, den: float) -> float:
    return float(num / den) if den else np.nan


def _replicates(x, d, units, n_boot, rng) -> np.ndarray:
    out = np.empty(n_boot)
    b = 0
    if d is None and units is None:  # a mean of the values drawn (the same draws, summed directly)
        for idx in _draws(len(x), n_boot, rng):
            out[b : b + len(idx)] = x[idx].mean(axis=1)
            b += len(idx)
        return out
    if units is not None:  # compiled: summed as drawn (stats_kernels)
        from .stats_kernels import two_stage_sums

        order, start, size = _units_index(_check_units(units, len(x)))
        num, den = np.empty(n_boot), np.empty(n_boot)
        den_sorted = None if d is None else d[order]
        two_stage_sums(_kernel_seed(rng), x[order], den_sorted, start, size, n_boot, num, den)
        with np.errstate(divide="ignore", invalid="ignore"):
            return num / den
    for w in resample_counts(len(x), n_boot, rng, units=units):
        w = w.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[b : b + len(w)] = (w @ x) / (w.sum(axis=1) if d is None else w @ d)
        b += len(w)
    return out


def _kernel_seed(rng: np.random.Generator) -> np.uint64:
    # the first state of the compiled stream: one draw of the group's own Generator
    return np.uint64(rng.integers(0, 2**64, dtype=np.uint64))


def _check_units(units, n: int):
    if len(units) != n:
        raise ValueError(f"units has {len(units)} labels for {n} observations")
    return units


def bootstrap_ratios(
    counts: np.ndarray,
    words: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
    *,
    units=None,
    scale: float = 1000.0,
) -> np.ndarray:
    """Replicates of ``scale * counts.sum(0) / words.sum()`` for several count columns at once
    (frame hits of every frame per 1,000 words).

    Args:
        counts: ``(observations, columns)`` counts (hits of each frame per sentence).
        words: the denominator of each observation (its words).
        n_boot: replicates.
        rng: the random stream (:func:`group_rng`).
        units: None to resample observations; else one label per observation (its article),
            for the two-stage resample of :func:`resample_counts`.
        scale: the rate's unit (per 1,000 words).

    Returns:
        An ``(n_boot, columns)`` array.

    Note:
        Resampling observations, with many of them and few distinct rows (most sentences hit
        nothing), a replicate is fully described by how often each distinct row is drawn, a
        multinomial draw: the same bootstrap distribution at the cost of the distinct rows,
        not of the observations (but other random draws than :func:`resample_counts`).
    """
    n = len(words)
    if units is not None:  # compiled: summed as drawn (stats_kernels)
        from scipy import sparse

        from .stats_kernels import two_stage_column_sums

        order, start, size = _units_index(_check_units(units, n))
        hits = sparse.csr_matrix(np.asarray(counts, dtype=np.float64)[order])
        num, den = np.zeros((n_boot, counts.shape[1])), np.empty(n_boot)
        two_stage_column_sums(
            _kernel_seed(rng), np.asarray(words, dtype=np.float64)[order],
            hits.indptr.astype(np.int64), hits.indices.astype(np.int64), hits.data, start, size,
            n_boot, num, den,
        )  # fmt: skip
        with np.errstate(divide="ignore", invalid="ignore"):
            return scale * num / den[:, None]
    out = np.empty((n_boot, counts.shape[1]))
    rows, mult = np.unique(np.column_stack([counts, words]), axis=0, return_counts=True)
    if units is None and n > 4 * len(rows):
        p = mult / n
        step = max(1, _CELLS // len(rows))
        for lo in range(0, n_boot, step):
            hi = min(lo + step, n_boot)
            w = rng.multinomial(n, p, size=hi - lo).astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                out[lo:hi] = scale * (w @ rows[:, :-1]) / (w @ rows[:, -1])[:, None]
        return out
    lo = 0
    for w in resample_counts(n, n_boot, rng, units=units):
        w = w.astype(np.float64)
        tot = w @ words
        with np.errstate(divide="ignore", invalid="ignore"):
            out[lo : lo + len(w)] = scale * (w @ counts) / tot[:, None]
        lo += len(w)
    return out
