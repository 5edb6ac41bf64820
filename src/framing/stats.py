"""Statistics apart from drawing: the bootstrap every measure uses, and its seeding.

A group's random stream is seeded by the seed and the group's name (:func:`group_rng`), so a
group's interval does not depend on which other groups are compared.
"""

from __future__ import annotations

__all__ = ["bootstrap_mean", "group_rng"]

import zlib

import numpy as np


def group_rng(seed: int, label) -> np.random.Generator:
    # seeded per group by name, so a group's interval does not depend on the other groups
    tag = zlib.crc32(str(label).encode("utf-8"))
    return np.random.default_rng([int(seed), tag])


def bootstrap_mean(
    values: np.ndarray,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    label: str = "",
    max_exact: int = 200_000,
) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval of the mean.

    Args:
        values: the per-sentence numbers.
        n_boot: bootstrap resamples.
        ci: interval coverage, e.g. 0.95.
        seed: RNG seed; with ``label`` it fixes the resamples.
        label: mixed into the seed (the group's name).
        max_exact: above this many values, use the normal interval (see Note).

    Returns:
        ``(mean, low, high)``; NaNs for no values, the value itself for one value.

    Note:
        Resamples values with replacement and takes percentiles of the resampled means. Above
        ``max_exact`` values the interval is the normal one, mean ± z·sd/√n, which the
        bootstrap distribution of a mean of that many values matches to within rounding;
        resampling would cost ``n * n_boot`` draws (a 100,000-sentence group takes ~3 s).

    References:
        Efron, B. and Tibshirani, R. (1993). An Introduction to the Bootstrap, ch. 13.
    """
    if n_boot < 1:
        raise ValueError(f"n_boot={n_boot!r} is not allowed; expected an integer >= 1")
    if not 0 < ci < 1:
        raise ValueError(f"ci={ci!r} is not allowed; expected a number between 0 and 1")
    x = np.asarray(values, dtype="float64")
    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan
    mean = float(x.mean())
    if n == 1:
        return mean, mean, mean
    rng = group_rng(seed, label)
    means = np.empty(n_boot)
    alpha = (1 - ci) / 2
    if n > max_exact:
        # the bootstrap distribution of a mean of this many values is normal to within
        # rounding; resampling would cost n * n_boot draws for the same interval
        from scipy.stats import norm

        half = norm.ppf(1 - alpha) * x.std(ddof=1) / np.sqrt(n)
        return mean, mean - float(half), mean + float(half)
    step = max(1, 4_000_000 // n)  # bound memory: at most ~4M indices at a time
    for b0 in range(0, n_boot, step):
        b1 = min(n_boot, b0 + step)
        idx = rng.integers(0, n, size=(b1 - b0, n), dtype=np.int32)
        means[b0:b1] = x[idx].mean(axis=1)
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return mean, float(low), float(high)
