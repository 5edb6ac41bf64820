"""The same event, different outlets, and the same outlets over time.

An outlet that covers more of a negative story sounds more negative on the whole even when, story
for story, it writes like everyone else (composition). Comparing outlets *within* each event — each
group's value minus the mean of the groups that covered the same event — takes that away:
:func:`event_contrasts` gives one difference per group and event, :func:`summarize_contrasts`
their mean per group with an interval that resamples events. Any article column can name the event:
a story id, a topic, or a window of dates (:func:`date_events`). Events that only one group
covered cannot be compared; they are listed (:func:`event_coverage`), never dropped silently.

:func:`over_time` follows a measure per group and period (week, month …) with intervals that
resample the period's articles, and the number of articles behind each point.

Every function takes a table with one row per article or sentence (e.g. the scored body
sentences with the article columns joined by :func:`framing.join_articles`) and returns a tidy
table.
"""

from __future__ import annotations

__all__ = [
    "FREQUENCIES",
    "date_events",
    "event_contrasts",
    "event_coverage",
    "over_time",
    "pooled_differences",
    "summarize_contrasts",
]

from typing import Literal

import numpy as np
import pandas as pd

from ..errors import check_column, check_option
from ..stats import UNIT_COLUMN, bootstrap, bootstrap_many, check_units, resample_plan

Frequency = Literal["D", "W", "MS", "QS", "YS"]
#: the periods :func:`over_time` and :func:`date_events` know, as pandas period codes: days,
#: weeks (Monday to Sunday), months, quarters, years
FREQUENCIES = {"D": "D", "W": "W", "MS": "M", "QS": "Q", "YS": "Y"}


def _check_int(name: str, value, least: int) -> None:
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= least
    check_option(name, value, f"an integer >= {least}", ok=ok)


def _check_columns(table: pd.DataFrame, **columns) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame, got {type(table).__name__}")
    for arg, column in columns.items():
        if column is not None:
            check_column(table, column, arg=arg, hint="add it with framing.join_articles")


def _cells(table, keys, value, denominator, scale):
    """Per cell of ``keys``: the value (a mean, or ``scale * sum / sum``) and its rows."""
    cols = {"num": (value, "sum"), "n": (value, "size")}
    if denominator is not None:
        cols["den"] = (denominator, "sum")
    cells = table.groupby(keys, sort=True, observed=True).agg(**cols).reset_index()
    den = cells["n"] if denominator is None else cells["den"]
    with np.errstate(divide="ignore", invalid="ignore"):
        cells["value"] = scale * cells["num"] / den.where(den != 0)
    return cells


def _scale(denominator, scale):
    if scale is None:
        return 1.0 if denominator is None else 1000.0
    check_option("scale", scale, "a number > 0", ok=isinstance(scale, int | float) and scale > 0)
    return float(scale)


def _usable(table, by, event, value, denominator):
    """The rows with a group, an event and a value (and a denominator), and how many not."""
    need = [c for c in (by, event, value, denominator) if c is not None]
    keep = table[need].notna().all(axis=1)
    return table[keep], int((~keep).sum())


def event_coverage(
    table: pd.DataFrame, *, by: str = "outlet", event: str = "event"
) -> pd.DataFrame:
    """Which events each group covers: how many groups, rows and articles stand behind each.

    Args:
        table: one row per article or sentence, with the ``by`` and ``event`` columns.
        by: the group column.
        event: the column naming the event (a story id, a topic, a window of dates).

    Returns:
        One row per event, sorted: ``<event>, n_groups, n_rows, n_articles, compared,
        only_group``. ``n_articles`` counts distinct ``doc_id`` (the rows when there is no
        ``doc_id`` column); ``compared`` is True when at least two groups covered the event;
        ``only_group`` names the one group of an event nobody else covered.

    Raises:
        ValueError: ``by`` or ``event`` is not a column of ``table``.
    """
    _check_columns(table, by=by, event=event)
    t = table[table[[by, event]].notna().all(axis=1)]
    grouped = t.groupby(event, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "n_groups": grouped[by].nunique(),
            "n_rows": grouped.size(),
            "n_articles": grouped[UNIT_COLUMN].nunique()
            if UNIT_COLUMN in t.columns
            else grouped.size(),
        }
    )
    out["compared"] = out["n_groups"] >= 2
    first = grouped[by].first()
    out["only_group"] = first.where(~out["compared"])
    out = out.reset_index()
    return out.astype({"n_groups": "int64", "n_rows": "int64", "n_articles": "int64"})


def event_contrasts(
    table: pd.DataFrame,
    *,
    by: str = "outlet",
    event: str = "event",
    value: str = "compound",
    denominator: str | None = None,
    scale: float | None = None,
) -> pd.DataFrame:
    """Each group against the others that covered the same event.

    A group's value in an event is the mean of ``value`` over its rows there (with a
    ``denominator``: ``scale * sum(value) / sum(denominator)``, e.g. frame hits per 1,000
    words). The event's mean is the mean of the values of the groups that covered it, each group
    weighing the same; a group's difference is its value minus that mean. Only events covered
    by at least two groups are compared.

    Args:
        table: one row per article or sentence with ``by``, ``event`` and ``value`` (the scored
            body sentences with the article columns joined, or :func:`framing.frame_columns`,
            :func:`framing.term_columns`).
        by: the group column.
        event: the column naming the event: a story id, a topic, or a window of dates
            (:func:`date_events`).
        value: the measure: tone (``"compound"``), a frame's hits or hit flag, a voice share, a
            term's count.
        denominator: None for a mean over rows; or a column (``"words"``) for a ratio of sums.
        scale: the ratio's unit (default 1,000 with a denominator: per 1,000 words; 1 without).

    Returns:
        ``<event>, <by>, value, event_mean, difference, n``: one row per compared event and
        group that covered it (``n``: its rows there), sorted by event then group. Its
        ``attrs`` hold ``"single_group_events"``: the rows of :func:`event_coverage` for the
        events only one group covered (not compared), and ``"dropped_rows"``: rows without a
        group, an event or a value.

    Raises:
        ValueError: a column that is not in ``table``, or a bad ``scale``.

    Note:
        Within-event differences remove what the events themselves bring (a grim story makes
        every outlet sound grim); they do not remove what the outlets chose inside an event
        (whom to quote, which angle). A coarse event (a topic spanning years) removes less
        than a story id.
    """
    _check_columns(table, by=by, event=event, value=value, denominator=denominator)
    scale = _scale(denominator, scale)
    t, dropped = _usable(table, by, event, value, denominator)
    cells = _cells(t, [event, by], value, denominator, scale)
    n_groups = cells.groupby(event, sort=False)[by].transform("size")
    compared = cells[n_groups >= 2].copy()
    compared["event_mean"] = compared.groupby(event, sort=False)["value"].transform("mean")
    compared["difference"] = compared["value"] - compared["event_mean"]
    out = compared[[event, by, "value", "event_mean", "difference", "n"]].reset_index(drop=True)
    out = out.astype({"n": "int64"})
    coverage = event_coverage(t, by=by, event=event)
    out.attrs["single_group_events"] = coverage[~coverage["compared"]].reset_index(drop=True)
    out.attrs["dropped_rows"] = dropped
    return out


def pooled_differences(
    table: pd.DataFrame,
    *,
    by: str = "outlet",
    value: str = "compound",
    denominator: str | None = None,
    scale: float | None = None,
) -> pd.DataFrame:
    """The pooled comparison that :func:`event_contrasts` corrects: each group's value over all
    its rows, minus the mean of the groups' values.

    Args:
        table, by, value, denominator, scale: as in :func:`event_contrasts`.

    Returns:
        ``<by>, pooled_value, pooled_difference, n``, sorted by group. Set beside
        :func:`summarize_contrasts`' ``mean_difference``, the gap between the two is what the
        events each group covered (composition) contributed to the pooled difference.
    """
    _check_columns(table, by=by, value=value, denominator=denominator)
    scale = _scale(denominator, scale)
    t, _ = _usable(table, by, None, value, denominator)
    cells = _cells(t, [by], value, denominator, scale)
    out = pd.DataFrame(
        {
            by: cells[by],
            "pooled_value": cells["value"],
            "pooled_difference": cells["value"] - cells["value"].mean(),
            "n": cells["n"].astype("int64"),
        }
    )
    return out


def summarize_contrasts(
    contrasts: pd.DataFrame,
    *,
    by: str = "outlet",
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Per group: the mean of its within-event differences, with an interval over events.

    Args:
        contrasts: from :func:`event_contrasts`.
        by: the group column.
        n_boot, ci, seed: replicates, coverage and seed of the percentile bootstrap that
            resamples the group's events (:func:`framing.bootstrap`, seeded by the group's name).

    Returns:
        ``<by>, mean_difference, ci_low, ci_high, n_events, share_events_above``, sorted by
        group: each event the group covered weighs the same; ``share_events_above`` is the
        share of them in which the group's value is above the event's mean. The interval is
        NaN for a group with fewer than two events.

    Raises:
        ValueError: ``by`` is not a column of ``contrasts``, or a bad ``n_boot`` or ``ci``.

    Note:
        Resampling events treats them as a sample of the events the groups might have covered;
        sentences and articles within an event are not resampled, so with few events the
        interval says little.

    References:
        Davison, A. C. & Hinkley, D. V. (1997). Bootstrap Methods and their Application, §3.8.
    """
    _check_columns(contrasts, by=by)
    check_column(contrasts, "difference", arg="contrasts", of="contrasts")
    _check_int("n_boot", n_boot, 1)
    check_option("ci", ci, "a number between 0 and 1", ok=0 < ci < 1)
    rows = []
    for name, g in contrasts.groupby(by, sort=True, observed=True):
        d = g["difference"].dropna().to_numpy(dtype=float)
        mean, low, high = np.nan, np.nan, np.nan
        if len(d) >= 2:
            mean, low, high = bootstrap(d, n_boot=n_boot, level=ci, seed=seed, label=name)
        elif len(d):
            mean = float(d[0])
        rows.append((name, mean, low, high, len(d), float((d > 0).mean()) if len(d) else np.nan))
    cols = [by, "mean_difference", "ci_low", "ci_high", "n_events", "share_events_above"]
    return pd.DataFrame(rows, columns=cols).astype({"n_events": "int64"})


def _dates(values: pd.Series) -> pd.Series:
    d = pd.to_datetime(values, errors="coerce")
    if isinstance(d.dtype, pd.DatetimeTZDtype):
        d = d.dt.tz_convert("UTC").dt.tz_localize(None)
    return d


def date_events(
    table: pd.DataFrame,
    *,
    date: str = "published",
    freq: Frequency = "W",
    within: str | None = None,
    name: str = "event",
) -> pd.DataFrame:
    """A copy of ``table`` with an event column made of windows of dates (and, optionally,
    another column): the articles of one week on one topic as one event.

    Args:
        table: with the ``date`` column (and ``within``).
        date: the date column.
        freq: ``"D"`` (days), ``"W"`` (weeks, Monday to Sunday), ``"MS"`` (months), ``"QS"``
            (quarters) or ``"YS"`` (years).
        within: None, or a column (``"topic"``) whose value is put before the window, so an
            event is a topic in a week.
        name: the new column's name.

    Returns:
        The copy, with ``name`` as its last column: the window as pandas writes a period
        (``"2020-03-02/2020-03-08"`` for a week, ``"2020-03"`` for a month), prefixed by
        ``within``'s value and ``" | "``; missing where the date (or ``within``) is missing.

    Raises:
        ValueError: a bad ``freq``, or a column that is not in ``table``.
    """
    check_option("freq", freq, tuple(FREQUENCIES))
    _check_columns(table, date=date, within=within)
    d = _dates(table[date])
    label = d.dt.to_period(FREQUENCIES[freq]).astype(str).where(d.notna())
    if within is not None:
        label = (table[within].astype(str) + " | " + label).where(table[within].notna())
    out = table.copy()
    out[name] = label.astype("str")
    out.loc[label.isna(), name] = pd.NA
    return out


def over_time(
    table: pd.DataFrame,
    *,
    by: str = "outlet",
    date: str = "published",
    freq: Frequency = "MS",
    value: str = "compound",
    denominator: str | None = None,
    scale: float | None = None,
    term: str | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    units: str | None = "auto",
    min_articles: int = 5,
) -> pd.DataFrame:
    """A measure per group and period (week, month …), with intervals and article counts.

    Args:
        table: one row per sentence (or article) with ``by``, ``date``, ``doc_id`` and the
            measure: ``value`` (e.g. the scored body sentences with ``published`` joined by
            :func:`framing.join_articles`, or :func:`framing.frame_columns` for a frame's hits).
        by: the group column.
        date: the date column.
        freq: ``"D"``, ``"W"`` (weeks, Monday to Sunday), ``"MS"`` (months), ``"QS"`` or ``"YS"``.
        value: the measure column: its mean per period, or with ``denominator`` a ratio.
        denominator: None, or a column (``"words"``): ``scale * sum(value) / sum(denominator)``.
        scale: the ratio's unit (default 1,000 with a denominator; 1 without).
        term: a term as the tokenizer writes it (``"china"``, ``"peace plan"``): its rate per
            1,000 words, counted in the rows' ``text`` (:func:`framing.term_columns`); then
            ``value``, ``denominator`` and ``scale`` are not used.
        n_boot, ci, seed: replicates, coverage and seed of the percentile bootstrap (each
            point seeded by its group and period).
        units: as in :func:`framing.outlet_sentiment`: ``"auto"`` resamples a point's
            articles (then its sentences) when it has at least two, else its sentences.
        min_articles: a point with fewer articles is marked ``sparse``.

    Returns:
        ``<by>, period, value, ci_low, ci_high, n_articles, n_rows, resampled, n_units,
        sparse``: one row per group and period that has rows (periods without any are absent,
        not zero), sorted by group then period; ``period`` is the period's first day. Its
        ``attrs`` hold ``"measure"`` (what ``value`` is), ``"min_articles"``, and
        ``"undated_rows"`` / ``"undated_articles"``: rows left out for want of a date.

    Raises:
        ValueError: a bad option, or a column that is not in ``table``.

    Note:
        A point of few articles is those articles, not the outlet's month: the plot
        (:func:`framing.plot_over_time`) draws sparse points hollow. Periods are calendar
        periods of the ``date`` column as given (time zones converted to UTC).
    """
    check_option("freq", freq, tuple(FREQUENCIES))
    _check_int("n_boot", n_boot, 1)
    _check_int("min_articles", min_articles, 1)
    check_option("ci", ci, "a number between 0 and 1", ok=0 < ci < 1)
    _check_columns(table, by=by, date=date)
    check_column(table, UNIT_COLUMN, arg="table", of="the table", hint="it needs doc_id")
    check_units(table, units)
    if term is not None:
        from .terms import term_columns

        check_option("term", term, "a non-empty string", ok=isinstance(term, str) and term.strip())
        table = term_columns(table, [term])
        value, denominator, scale = table.columns[-2], "words", 1000.0
        measure = f"{value!r} per 1,000 words"
    else:
        _check_columns(table, value=value, denominator=denominator)
        scale = _scale(denominator, scale)
        measure = value if denominator is None else f"{value} per {scale:g} {denominator}"
    d = _dates(table[date])
    undated = d.isna()
    t = table.loc[~undated, [by, UNIT_COLUMN, value] + ([denominator] if denominator else [])]
    t = t.assign(period=d[~undated].dt.to_period(FREQUENCIES[freq]).dt.start_time)
    t = t[t[by].notna() & t[value].notna()]
    col = None if units is None else (UNIT_COLUMN if units == "auto" else units)
    if col is not None and col not in t.columns:
        t[col] = table.loc[t.index, col]
    cells, jobs = [], []
    for (grp, period), g in t.groupby([by, "period"], sort=True, observed=True):
        den = None if denominator is None else g[denominator].to_numpy(dtype=float)
        u, resampled, n_units = resample_plan(
            units, None if col is None else g[col].to_numpy(), len(g)
        )
        n_articles = g[UNIT_COLUMN].nunique()
        cells.append((grp, period, n_articles, len(g), resampled, n_units))
        jobs.append({"values": g[value].to_numpy(dtype=float), "denominator": den, "units": u,
                     "label": f"{grp}|{period.date()}"})  # fmt: skip
    found = bootstrap_many(jobs, n_boot=n_boot, level=ci, seed=seed)
    rows = []
    for (grp, period, n_articles, n_rows, resampled, n_units), est in zip(
        cells, found, strict=True
    ):
        est, low, high = (scale * v for v in est)
        rows.append((grp, period, est, low, high, n_articles, n_rows, resampled, n_units,
                     n_articles < min_articles))  # fmt: skip
    cols = [by, "period", "value", "ci_low", "ci_high", "n_articles", "n_rows", "resampled",
            "n_units", "sparse"]  # fmt: skip
    out = pd.DataFrame(rows, columns=cols).astype(
        {"n_articles": "int64", "n_rows": "int64", "n_units": "int64", "sparse": "bool"}
    )
    out.attrs.update(
        measure=measure,
        min_articles=min_articles,
        undated_rows=int(undated.sum()),
        undated_articles=int(table.loc[undated, UNIT_COLUMN].nunique()),
    )
    return out
