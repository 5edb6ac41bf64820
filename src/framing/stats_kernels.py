"""Compiled loops (numba) behind the two-stage bootstrap of :mod:`framing.stats`.

A two-stage replicate draws the units (articles) with replacement, then, for each unit drawn, as
many of its observations (sentences) as it has, with replacement. :func:`framing.stats.
resample_counts` writes each replicate as a vector of multiplicities, one per observation, and the
statistic is then a product with it: two passes over every observation per replicate. Here each
observation drawn is added to the statistic's sums as it is drawn, with the observations laid out
unit by unit, so a replicate costs one random number and one read per observation.

The random numbers are SplitMix64 (Steele, Lea & Flood 2014; the seeding generator of Java's
``SplittableRandom`` and of xoshiro), one 64-bit output giving two draws: an index below ``s`` is
``(r32 * s) >> 32`` for 32 random bits ``r32`` (Lemire 2019 without the rejection step: a bias of
at most ``s / 2**32``, below one in four million for an article of 1,000 sentences). numpy's
Generator, called from compiled code, costs about four times as much per number, and most of a
replicate's time is its random numbers. The stream is seeded from the group's
:func:`framing.stats.group_rng`, so a group's interval still depends only on the seed and its
name; the loops release the GIL, so groups run on two threads.

References:
    Steele, G. L., Lea, D. & Flood, C. H. (2014). Fast splittable pseudorandom number generators.
    OOPSLA 2014.
    Lemire, D. (2019). Fast random integer generation in an interval. ACM TOMACS 29(1).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .text.kernels import CACHE

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_LOW = np.uint64(0xFFFFFFFF)
_HALF = np.uint64(32)


@njit(cache=CACHE, nogil=True, inline="always")
def _next(state):
    # SplitMix64: state[0] advances by the golden gamma; the output is its mix
    state[0] += _GAMMA
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(cache=CACHE, nogil=True, inline="always")
def _below(r32, s):
    # an index 0 .. s - 1 from 32 random bits (multiply-shift)
    return np.int64((r32 * np.uint64(s)) >> np.uint64(32))


@njit(cache=CACHE, nogil=True, error_model="numpy")
def two_stage_draws(seed, start, size, n_boot, out):
    """The multiplicities of each observation in each replicate (``out``: replicates x
    observations, zeroed by the caller), with the draws of :func:`two_stage_sums`: for tests and
    small inputs (the other loops never write them)."""
    state = np.array([seed], dtype=np.uint64)
    n_units = len(size)
    for b in range(n_boot):
        for _k in range(n_units):
            u = _below(_next(state) & _LOW, n_units)
            s, first = size[u], start[u]
            for _ in range(s >> 1):
                r = _next(state)
                out[b, first + _below(r & _LOW, s)] += 1
                out[b, first + _below(r >> _HALF, s)] += 1
            if s & 1:
                out[b, first + _below(_next(state) & _LOW, s)] += 1


@njit(cache=CACHE, nogil=True, error_model="numpy")
def two_stage_sums(seed, x, d, start, size, n_boot, out_num, out_den):
    """Two-stage replicates of ``sum(x)`` and ``sum(d)`` over the observations drawn.

    Args:
        seed: the stream's first state (from the group's ``numpy.random.Generator``).
        x: one number per observation, laid out unit by unit.
        d: the same for a denominator, or None (then ``out_den`` counts the observations).
        start, size: unit ``u``'s observations are ``start[u] .. start[u] + size[u] - 1``.
        n_boot: replicates.
        out_num, out_den: the sums of each replicate, written here.

    Note:
        Per replicate, for each of the ``U`` units in turn: one 64-bit number whose low half
        draws the unit, then one number per two observations of that unit (its two halves).
    """
    state = np.array([seed], dtype=np.uint64)
    n_units = len(size)
    for b in range(n_boot):
        num = 0.0
        num2 = 0.0  # two sums: two additions in flight
        den = 0.0
        for _k in range(n_units):
            u = _below(_next(state) & _LOW, n_units)
            s, first = size[u], start[u]
            if d is None:
                den += s
                for _ in range(s >> 1):
                    r = _next(state)
                    num += x[first + _below(r & _LOW, s)]
                    num2 += x[first + _below(r >> _HALF, s)]
                if s & 1:
                    num += x[first + _below(_next(state) & _LOW, s)]
            else:
                for _ in range(s >> 1):
                    r = _next(state)
                    i, j = first + _below(r & _LOW, s), first + _below(r >> _HALF, s)
                    num += x[i]
                    num2 += x[j]
                    den += d[i] + d[j]
                if s & 1:
                    i = first + _below(_next(state) & _LOW, s)
                    num += x[i]
                    den += d[i]
        out_num[b] = num + num2
        out_den[b] = den


@njit(cache=CACHE, nogil=True, error_model="numpy")
def two_stage_column_sums(seed, words, ptr, cols, vals, start, size, n_boot, out_num, out_den):
    """Two-stage replicates of several count columns at once (frame hits of every frame) and
    of their common denominator (words), with the draws of :func:`two_stage_sums`.

    Args:
        seed: the stream's first state.
        words: the denominator of each observation, laid out unit by unit.
        ptr, cols, vals: each observation's non-zero counts (CSR rows in the same layout: most
            sentences hit no frame, so a drawn sentence costs its hits, not the frames).
        start, size: the units, as in :func:`two_stage_sums`.
        n_boot: replicates.
        out_num: ``(n_boot, columns)`` sums, written here (zeroed by the caller).
        out_den: the denominator's sum per replicate.
    """
    state = np.array([seed], dtype=np.uint64)
    n_units = len(size)
    for b in range(n_boot):
        den = 0.0
        for _k in range(n_units):
            u = _below(_next(state) & _LOW, n_units)
            s, first = size[u], start[u]
            for _ in range(s >> 1):
                r = _next(state)
                i, j = first + _below(r & _LOW, s), first + _below(r >> _HALF, s)
                den += words[i] + words[j]
                for e in range(ptr[i], ptr[i + 1]):
                    out_num[b, cols[e]] += vals[e]
                for e in range(ptr[j], ptr[j + 1]):
                    out_num[b, cols[e]] += vals[e]
            if s & 1:
                i = first + _below(_next(state) & _LOW, s)
                den += words[i]
                for e in range(ptr[i], ptr[i + 1]):
                    out_num[b, cols[e]] += vals[e]
        out_den[b] = den
