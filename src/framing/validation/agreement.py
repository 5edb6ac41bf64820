"""How far coders agree with each other, and how far a tool agrees with the coders.

Krippendorff's alpha comes from the ``krippendorff`` package; the interval is a bootstrap over
units, seeded per code.
"""

from __future__ import annotations

__all__ = ["agreement", "agreement_with", "AGREEMENT_COLUMNS", "TOOL_COLUMNS"]

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..stats import group_rng
from .coding import LEVELS, LONG_COLUMNS, Level, majority_codes

AGREEMENT_COLUMNS = [
    "code", "level", "alpha", "ci_low", "ci_high", "percent_agreement", "n_units",
    "n_pairable", "n_coders",
]  # fmt: skip
TOOL_COLUMNS = [
    "tool", "code", "level", "n_units", "n_tied", "accuracy", "precision", "recall", "f1",
    "f1_low", "f1_high", "alpha", "alpha_low", "alpha_high",
]  # fmt: skip


def _levels(level, codes) -> dict[str, str]:
    if isinstance(level, Mapping):
        out = {c: level.get(c, "nominal") for c in codes}
        for c, lv in level.items():
            if lv not in LEVELS:
                raise ValueError(
                    f"level[{c!r}]={lv!r} is not allowed; expected one of {list(LEVELS)}"
                )
        return out
    if level not in LEVELS:
        raise ValueError(f"level={level!r} is not allowed; expected one of {list(LEVELS)}")
    return dict.fromkeys(codes, level)


def _check_boot(n_boot, ci) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 0:
        raise ValueError(f"n_boot={n_boot!r} is not allowed; expected an integer >= 0")
    if not 0 < ci < 1:
        raise ValueError(f"ci={ci!r} is not allowed; expected a number between 0 and 1")


def _value_counts(units: pd.Series, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(units × values counts, the sorted values) for the krippendorff package."""
    domain = np.array(sorted(pd.unique(values)))
    u_codes, _ = pd.factorize(units)
    v_codes = np.searchsorted(domain, values.to_numpy())
    counts = np.zeros((u_codes.max() + 1 if len(u_codes) else 0, len(domain)), dtype=np.int64)
    np.add.at(counts, (u_codes, v_codes), 1)
    return counts, domain


def _alpha(counts: np.ndarray, domain: np.ndarray, level: str) -> float:
    import krippendorff

    pairable = counts[counts.sum(axis=1) >= 2]
    if len(domain) < 2 or len(pairable) == 0:
        return float("nan")  # one value only: no disagreement is expected, alpha is undefined
    if level == "nominal":
        # Krippendorff's nominal alpha from the value counts directly (the package builds a
        # units x values x values array: minutes for the hundreds of values of a speaker code):
        # D_o = sum_u (n_u^2 - sum_v c_uv^2) / (n_u - 1) / n, D_e = (n^2 - sum_v n_v^2) / (n (n - 1))
        c = pairable.astype(np.float64)
        n_u = c.sum(axis=1)
        n = n_u.sum()
        d_o = ((n_u**2 - (c**2).sum(axis=1)) / (n_u - 1)).sum() / n
        n_v = c.sum(axis=0)
        d_e = (n**2 - (n_v**2).sum()) / (n * (n - 1))
        return float(1 - d_o / d_e) if d_e > 0 else float("nan")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(
            krippendorff.alpha(
                value_counts=pairable, value_domain=domain, level_of_measurement=level
            )
        )


def _percent(counts: np.ndarray) -> float:
    m = counts.sum(axis=1)
    keep = m >= 2
    pairs = (m * (m - 1))[keep].sum()
    agree = (counts * (counts - 1)).sum(axis=1)[keep].sum()
    return float(agree / pairs) if pairs else float("nan")


def _interval(stat, n: int, n_boot: int, ci: float, rng) -> tuple[float, float]:
    """Percentile interval of ``stat(indices)`` over ``n_boot`` resamples of ``n`` units."""
    if n_boot == 0 or n < 2:
        return float("nan"), float("nan")
    vals = np.array([stat(rng.integers(0, n, size=n)) for _ in range(n_boot)])
    vals = vals[~np.isnan(vals)]
    if len(vals) < n_boot / 2:  # most resamples undefined: no interval worth the name
        return float("nan"), float("nan")
    a = (1 - ci) / 2
    lo, hi = np.quantile(vals, [a, 1 - a])
    return float(lo), float(hi)


def _check_long(codes: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in LONG_COLUMNS if c not in codes.columns]
    if missing:
        raise ValueError(f"codes lacks columns {missing}; use framing.read_codes()")
    return codes.dropna(subset=["value"])


def agreement(
    codes: pd.DataFrame,
    *,
    level: Level | Mapping[str, Level] = "nominal",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Agreement among coders, per code: Krippendorff's alpha with a bootstrap interval.

    Args:
        codes: from :func:`framing.read_codes` (``unit_id, coder, code, value``); any number
            of coders, missing values allowed.
        level: the level of measurement, ``"nominal"``, ``"ordinal"`` or ``"interval"``, for
            every code, or a mapping ``{code: level}`` (codes it does not name are nominal).
            Use ``"ordinal"`` for a -1/0/1 tone: -1 against 1 is a bigger disagreement than
            -1 against 0.
        n_boot: bootstrap resamples of the units for the interval (0: none).
        ci: coverage of the percentile interval.
        seed: with the code's name it seeds the code's resamples.

    Returns:
        One row per code, in the order of ``codes``: ``code, level, alpha, ci_low, ci_high,
        percent_agreement, n_units, n_pairable, n_coders``. ``n_units`` counts units with a
        value, ``n_pairable`` those with two values or more (the only ones alpha reads).
        ``percent_agreement`` is the share of pairs of values given to one unit by two coders
        that are equal. ``alpha`` is NaN when only one value was ever given (no disagreement
        can be expected, so none can be corrected for).

    Note:
        Alpha is 1 for perfect agreement and 0 for agreement at chance level given how often
        each value is used; Krippendorff (2004, ch. 11) asks for alpha >= 0.8 to rely on a
        variable and >= 0.667 for tentative conclusions. Percent agreement is shown beside it
        because it is what alpha corrects: with a rare code (three sentences of 300 coded
        "morality") coders agree on nearly every unit by saying 0, and alpha can still be low.
        The interval resamples units with replacement (``n_boot`` times, all coders' values of
        a unit kept together) and takes percentiles of alpha; it is a plain unit bootstrap,
        not Hayes & Krippendorff's (2007) resampling of pairable values, and it is missing
        (NaN) when most resamples have a single value.

    References:
        Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd
        ed.), ch. 11. Sage. Krippendorff, K. (2011). Computing Krippendorff's
        Alpha-Reliability. Annenberg School for Communication, University of Pennsylvania.
        Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
        reliability measure for coding data. Communication Methods and Measures, 1(1), 77–89.
    """
    _check_boot(n_boot, ci)
    codes = _check_long(codes)
    names = list(dict.fromkeys(codes["code"]))
    levels = _levels(level, names)
    rows = []
    for code in names:
        g = codes[codes["code"] == code]
        counts, domain = _value_counts(g["unit_id"], g["value"])
        pairable = counts[counts.sum(axis=1) >= 2]
        lv = levels[code]
        alpha = _alpha(counts, domain, lv)
        lo, hi = _interval(
            lambda idx, p=pairable, d=domain, lv=lv: _alpha(p[idx], d, lv),
            len(pairable), n_boot, ci, group_rng(seed, code),
        )  # fmt: skip
        rows.append(
            (code, lv, alpha, lo, hi, _percent(counts), len(counts), len(pairable),
             g["coder"].nunique())
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    return out.astype({"n_units": "int64", "n_pairable": "int64", "n_coders": "int64"})


def _tool_long(tool_labels: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    t = tool_labels
    if "unit_id" not in t.columns:
        raise ValueError("tool_labels lacks a unit_id column")
    if "tool" not in t.columns:
        t = t.assign(tool="tool")
    if {"code", "value"} <= set(t.columns):
        return t[["tool", "unit_id", "code", "value"]].dropna(subset=["value"])
    cols = [c for c in codes if c in t.columns]
    if not cols:
        raise ValueError(
            f"tool_labels has neither code, value columns nor a column per code {codes}"
        )
    long = t.melt(id_vars=["tool", "unit_id"], value_vars=cols, var_name="code")
    return long.dropna(subset=["value"])


def agreement_with(
    tool_labels: pd.DataFrame,
    codes: pd.DataFrame,
    *,
    level: Level | Mapping[str, Level] = "nominal",
    positive=1,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """How far a tool's labels agree with the coders' majority, per tool and code.

    Args:
        tool_labels: the tool's label of each unit: long (``unit_id, code, value``) or wide
            (``unit_id`` and one column per code); an optional ``tool`` column compares
            several tools at once (e.g. ``"dictionary"`` and ``"model"``, or whole-sentence
            and actor-aimed tone). Values are on the codes' scale: 0/1 for a frame, -1/0/1 for
            a tone, or text (a quotation's speaker). Units without a label are left out.
        codes: the coders' codes, from :func:`framing.read_codes` (one coder is allowed: a
            gold table).
        level: level of measurement for alpha, for all codes or ``{code: level}`` (see
            :func:`agreement`).
        positive: the value counted as "present" for precision, recall and F1.
        n_boot: bootstrap resamples of the units for the F1 and alpha intervals (0: none).
        ci: coverage of the intervals.
        seed: with the tool's and code's names it seeds the resamples.

    Returns:
        One row per tool and code found in both: ``tool, code, level, n_units, n_tied,
        accuracy, precision, recall, f1, f1_low, f1_high, alpha, alpha_low, alpha_high``.
        ``n_units`` counts the units with a label and a majority; ``accuracy`` is the share
        where they are equal. Precision, recall and F1 treat the majority as the truth and
        ``positive`` as "present", for codes whose values are all 0 or 1 (NaN otherwise).
        ``alpha`` is Krippendorff's alpha of two coders: the tool and the majority.

    Note:
        The majority is the value given by more coders than any other
        (:func:`framing.majority_codes`). A tie (e.g. -1, 0 and 1 from three coders) has no
        majority: the unit is left out of the comparison and counted in ``n_tied``, not broken
        by a rule that would favour one value. A tool can agree with the majority better than
        one coder agrees with another: the majority is less noisy than any one coder, so read
        the tool's alpha beside the coders' own (:func:`agreement`).
    """
    _check_boot(n_boot, ci)
    codes = _check_long(codes)
    names = list(dict.fromkeys(codes["code"]))
    levels = _levels(level, names)
    maj = majority_codes(codes)
    tool = _tool_long(tool_labels, names)
    rows = []
    for (tname, code), t in tool.groupby(["tool", "code"], sort=False):
        if code not in levels:
            continue
        m = maj[maj["code"] == code]
        j = t.merge(m[["unit_id", "value", "tied"]], on="unit_id", suffixes=("_tool", "_maj"))
        n_tied = int(j["tied"].sum())
        j = j[~j["tied"]]
        lv = levels[code]
        a = j["value_tool"].to_numpy(dtype=object)
        b = j["value_maj"].to_numpy(dtype=object)
        if len(j) and all(isinstance(x, int | float | np.number) for x in np.concatenate([a, b])):
            a, b = a.astype(float), b.astype(float)
        # both raters' values on one integer scale, for alpha
        both, uniq = pd.factorize(np.concatenate([a, b]), sort=True)
        ia, ib = both[: len(a)], both[len(a) :]
        domain_vals = np.asarray(uniq)
        if lv != "nominal" and domain_vals.dtype.kind in "if":
            domain = domain_vals.astype(float)
        else:
            domain = np.arange(len(domain_vals), dtype=float)
        counts = np.zeros((len(j), len(domain)), dtype=np.int64)
        counts[np.arange(len(j)), ia] += 1
        counts[np.arange(len(j)), ib] += 1
        binary = set(pd.unique(codes.loc[codes["code"] == code, "value"])) <= {0, 1}
        rng = group_rng(seed, f"{tname}|{code}")
        f1_lo = f1_hi = float("nan")
        p = r = f = float("nan")
        if binary and len(j):
            pa, pb = a == positive, b == positive

            def prf(idx, pa=pa, pb=pb):
                tp = float((pa[idx] & pb[idx]).sum())
                fp, fn = float(pa[idx].sum()) - tp, float(pb[idx].sum()) - tp
                prec = tp / (tp + fp) if tp + fp else float("nan")
                rec = tp / (tp + fn) if tp + fn else float("nan")
                f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
                return prec, rec, f1

            p, r, f = prf(np.arange(len(j)))
            f1_lo, f1_hi = _interval(lambda idx: prf(idx)[2], len(j), n_boot, ci, rng)
        alpha = _alpha(counts, domain, lv)
        a_lo, a_hi = _interval(
            lambda idx, c=counts, d=domain, lv=lv: _alpha(c[idx], d, lv), len(j), n_boot, ci, rng
        )
        acc = float((a == b).mean()) if len(j) else float("nan")
        rows.append(
            (tname, code, lv, len(j), n_tied, acc, p, r, f, f1_lo, f1_hi, alpha, a_lo, a_hi)
        )
    out = pd.DataFrame(rows, columns=TOOL_COLUMNS)
    return out.astype({"n_units": "int64", "n_tied": "int64"})
