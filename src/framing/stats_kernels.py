"""Compiled loops (numba) behind the two-stage bootstrap of :mod:`framing.stats`.

A two-stage replicate draws the units (articles) with replacement, then, for each unit drawn, as
many of its observations (sentences) as it has, with replacement. :func:`framing.stats.
resample_counts` writes each replicate as a vector of multiplicities, one per observation, and
the statistic is then a product with it: two passes over every observation per replicate, and
a vector as long as the corpus. Here each observation drawn is added to the statistic's sums as
it is drawn, with the group's own ``numpy.random.Generator`` (numba reads and advances the same
stream): the same draws, in the same order, as ``resample_counts``, so the same replicates up to
the order of a floating-point sum. The loops release the GIL, so two groups run on two threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .text.kernels import _CACHE


@njit(cache=_CACHE, nogil=True, error_model="numpy")
def two_stage_sums(rng, x, d, order, start, size, n_boot, out_num, out_den):
    """Two-stage replicates of ``sum(x)`` and ``sum(d)`` over the observations drawn.

    Args:
        rng: the group's ``numpy.random.Generator``.
        x, d: one number per observation (``d``: ones for a mean).
        order, start, size: observations by unit (``order[start[u]:start[u] + size[u]]`` are
            unit ``u``'s positions), as :func:`framing.stats._units_index` gives them.
        n_boot: replicates.
        out_num, out_den: the sums of each replicate, written here.

    Note:
        Per replicate the draws are ``rng.integers(0, U, U)`` (the units) then ``rng.random(m)``
        (``m`` the drawn units' observations, in order), and the ``j``-th observation of a unit
        of size ``s`` drawn is ``floor(r * s)``: exactly :func:`framing.stats.resample_counts`.
    """
    n_units = len(size)
    for b in range(n_boot):
        drawn = rng.integers(0, n_units, n_units)
        m = 0
        for k in range(n_units):
            m += size[drawn[k]]
        r = rng.random(m)
        num = 0.0
        den = 0.0
        j = 0
        for k in range(n_units):
            u = drawn[k]
            s = size[u]
            first = start[u]
            for _ in range(s):
                pos = order[first + np.int64(np.floor(r[j] * s))]
                num += x[pos]
                den += d[pos]
                j += 1
        out_num[b] = num
        out_den[b] = den


@njit(cache=_CACHE, nogil=True, error_model="numpy")
def two_stage_column_sums(
    rng, words, ptr, cols, vals, order, start, size, n_boot, out_num, out_den
):
    """Two-stage replicates of several count columns at once (frame hits of every frame) and
    of their common denominator (words), with the draws of :func:`two_stage_sums`.

    Args:
        rng: the group's ``numpy.random.Generator``.
        words: the denominator of each observation.
        ptr, cols, vals: each observation's non-zero counts (CSR rows: most sentences hit no
            frame, so a drawn sentence costs its hits, not the number of frames).
        order, start, size: observations by unit, as in :func:`two_stage_sums`.
        n_boot: replicates.
        out_num: ``(n_boot, columns)`` sums, written here (zeroed by the caller).
        out_den: the denominator's sum per replicate.
    """
    n_units = len(size)
    for b in range(n_boot):
        drawn = rng.integers(0, n_units, n_units)
        m = 0
        for k in range(n_units):
            m += size[drawn[k]]
        r = rng.random(m)
        den = 0.0
        j = 0
        for k in range(n_units):
            u = drawn[k]
            s = size[u]
            first = start[u]
            for _ in range(s):
                pos = order[first + np.int64(np.floor(r[j] * s))]
                den += words[pos]
                for e in range(ptr[pos], ptr[pos + 1]):
                    out_num[b, cols[e]] += vals[e]
                j += 1
        out_den[b] = den
