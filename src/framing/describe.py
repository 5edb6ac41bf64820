"""Prose and tables that describe a corpus and its findings, written from the data.

What is in a corpus and what each step kept (notebook 00), one paragraph per group on its
terms (notebook 01), and the one Markdown escaper every generated sentence goes through."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

import pandas as pd

from .text.words import count_words_many

__all__ = [
    "article_table",
    "step_counts",
    "audit_summary",
    "describe_terms",
    "escape_markdown",
    "is_case_study",
    "describe_corpus",
    "describe_intervals",
    "event_design",
    "EventDesign",
    "MAX_GROUPS_NAMED",
]

MAX_GROUPS_NAMED = 12  # groups named one by one in describe_corpus; the rest are counted

# sha256 of the four case-study pages as collected (corpus/xi-putin-moscow-2023/SHA256SUMS)
_CASE_STUDY_SHA256 = frozenset(
    {
        "139414998ed94999a758588ecc610c2a592445115bb647f64728f28deb1662b7",
        "b9189199f3d59300022ae9b68624ace8939553746f99e2d15c667a5bddaca486",
        "2faa9f9de4c0ddbdf0c37d8064ecfc5acfc170f64d46f5bf401f0a914ec3f97c",
        "cb3c5b72b1173e076b4d542321f1bade497c5a4b9405b3eb32b5fdda2498856e",
    }
)


def is_case_study(articles: pd.DataFrame) -> bool:
    """True when ``articles`` are exactly the four Xi–Putin case-study pages.

    Decided from the texts as collected (``text_raw``), not from a path or a name, so a copy of
    the case-study folder elsewhere is still the case study and a corpus that merely shares its
    outlet names is not. Notebooks and the report runner use it to show sentences that are true
    only of the case study (its event, its four articles) on the case study alone.
    """
    if "text_raw" not in articles or len(articles) != len(_CASE_STUDY_SHA256):
        return False
    found = {hashlib.sha256(t.encode("utf-8")).hexdigest() for t in articles["text_raw"]}
    return found == _CASE_STUDY_SHA256


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def describe_corpus(articles: pd.DataFrame, *, by: str = "outlet", caveats: bool = True) -> str:
    """The corpus in a few sentences of Markdown, every fact read from ``articles``.

    Says how many articles and groups there are, how many articles each group has (the
    :data:`MAX_GROUPS_NAMED` largest by name, the rest counted), the date range and the words
    after cleaning; with ``caveats``, the caveats that follow from these numbers, each stated
    only when it is true (every group is a single article; some are; the smallest group is
    small; dates inferred from the text; articles without a date; a single group).

    Args:
        articles: from :func:`framing.load_corpus` (``doc_id``, ``by``; optionally
            ``published``, ``n_words``, ``provenance``).
        by: the group column.
        caveats: add the paragraph of caveats.

    Returns:
        Markdown. Group names are escaped (:func:`framing.figures.escape_markdown`), so a name
        holding HTML or Markdown is shown as written.

    Raises:
        ValueError: ``by`` is not a column of ``articles``.
    """
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of articles; columns: {list(articles)}")
    n = len(articles)
    per = articles[by].astype(str).value_counts()
    per = per.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    k = int(per.size)
    grp = escape_markdown(by)
    if n == 0:
        return f"**This corpus** has no articles (grouped by *{grp}*)."
    named = ", ".join(
        f"{escape_markdown(g)} ({c:,})" for g, c in per.head(MAX_GROUPS_NAMED).items()
    )
    if k > MAX_GROUPS_NAMED:
        named += f" and {k - MAX_GROUPS_NAMED:,} more"
    if per.min() == per.max():
        each = f"{_plural(int(per.min()), 'article')} each"
    else:
        each = (
            f"from {int(per.min()):,} to {int(per.max()):,} articles each (median {per.median():g})"
        )
    lines = [
        f"**This corpus.** {_plural(n, 'article')} in {_plural(k, 'value')} of *{grp}*, "
        f"{each}: {named}."
    ]
    dates = pd.to_datetime(articles.get("published"), errors="coerce")
    if dates is not None and dates.notna().any():
        lo, hi = dates.min(), dates.max()
        when = f"on {lo:%Y-%m-%d}" if lo == hi else f"between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}"
        lines.append(f"The articles are dated {when}.")
    if "n_words" in articles:
        lines.append(f"They hold {int(articles['n_words'].sum()):,} words after cleaning.")
    text = " ".join(lines)
    if not caveats:
        return text
    notes = []
    singles = int((per == 1).sum())
    if k == 1:
        notes.append(f"There is a single value of *{grp}*: nothing is compared between groups.")
    if singles == k:
        notes.append(
            f"Every value of *{grp}* is a single article: a difference between them is a "
            "difference between single articles, not between outlets' coverage in general."
        )
    elif singles:
        notes.append(
            f"{singles:,} of {k:,} values of *{grp}* rest on a single article: for them, "
            "any number describes that one article."
        )
    if singles < k and per.min() < 30:
        notes.append(
            f"The smallest group has {_plural(int(per.min()), 'article')}: a group's interval "
            "resamples its articles (then their sentences) where it has two or more, and with so "
            "few articles it is rough; it says little about how the group would write its next "
            "article."
        )
    prov = articles.get("provenance", pd.Series("", index=articles.index)).fillna("")
    inferred = int(prov.astype(str).str.contains(r"published:\s*inferred").sum())
    if inferred:
        notes.append(
            f"{inferred:,} of {n:,} dates are inferred from the text, not printed on the page "
            "(see each article's provenance)."
        )
    undated = int(dates.isna().sum()) if dates is not None else n
    if undated:
        notes.append(f"{_plural(undated, 'article has', 'articles have')} no date.")
    if notes:
        text += "\n\n**Caveats that follow from these numbers.** " + " ".join(notes)
    return text


def _date_basis(provenance: str) -> str:
    m = re.search(r"published:\s*(read|inferred)", provenance or "")
    return {"read": "read from the page", "inferred": "inferred"}.get(m.group(1), "") if m else ""


def article_table(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per article: outlet, date and how it was established, words, sentences.

    Args:
        articles: from :func:`framing.load_corpus`.
        sentences: from :func:`framing.sentences` on the same articles.

    Returns:
        ``doc_id, outlet, published, date_basis, words_raw, words, sentences, headings``:
        ``words_raw`` counts the page as collected, ``words`` the cleaned body; ``date_basis`` is
        "read from the page", "inferred" or "" (not stated in the manifest's provenance).
    """
    kinds = sentences.groupby(["doc_id", "kind"]).size().unstack(fill_value=0)
    kinds = kinds.reindex(columns=["body", "heading"], fill_value=0)
    out = pd.DataFrame(
        {
            "doc_id": articles["doc_id"],
            "outlet": articles["outlet"],
            "published": articles["published"].dt.strftime("%Y-%m-%d"),
            "date_basis": articles.get("provenance", pd.Series("", index=articles.index))
            .fillna("")
            .map(_date_basis),
            "words_raw": count_words_many(articles["text_raw"]),
            "words": articles["n_words"],
        }
    )
    out["sentences"] = out["doc_id"].map(kinds["body"]).fillna(0).astype("int64")
    out["headings"] = out["doc_id"].map(kinds["heading"]).fillna(0).astype("int64")
    return out.reset_index(drop=True)


def step_counts(
    articles: pd.DataFrame, sentences: pd.DataFrame, audit: pd.DataFrame
) -> pd.DataFrame:
    """Counts at each step, from the page as collected to the sentence table.

    Returns:
        ``step, articles, lines, words, sentences`` for "collected", "removed by cleaning",
        "kept (body and headings)" and "sentence table (body only)"; lines are non-blank lines.
    """
    raw_lines = sum(sum(1 for ln in t.split("\n") if ln.strip()) for t in articles["text_raw"])
    kept_lines = sum(sum(1 for ln in t.split("\n") if ln.strip()) for t in articles["text"])
    raw_words = int(count_words_many(articles["text_raw"]).sum())
    removed_words = int(count_words_many(audit["text"]).sum()) if len(audit) else 0
    body = sentences[sentences["kind"] == "body"]
    rows = [
        ("collected", len(articles), raw_lines, raw_words, pd.NA),
        ("removed by cleaning", pd.NA, len(audit), removed_words, pd.NA),
        ("kept (body and headings)", len(articles), kept_lines, int(articles["n_words"].sum()),
         len(sentences)),
        ("sentence table (body only)", body["doc_id"].nunique(), pd.NA,
         int(count_words_many(body["text"]).sum()), len(body)),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["step", "articles", "lines", "words", "sentences"]).astype(
        {"articles": "Int64", "lines": "Int64", "words": "Int64", "sentences": "Int64"}
    )


def audit_summary(audit: pd.DataFrame) -> pd.DataFrame:
    """Removed lines per article and rule, with the rule's reason and an example line."""
    if audit.empty:
        return pd.DataFrame(columns=["doc_id", "rule", "lines", "why", "example"])
    g = audit.groupby(["doc_id", "rule"], sort=False)
    out = g.agg(lines=("line_no", "size"), why=("why", "first"), example=("text", "first"))
    return out.reset_index()


def describe_terms(
    scores: pd.DataFrame,
    stability: pd.DataFrame,
    similarity: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    by: str = "outlet",
    top: int = 5,
    stable: float = 0.5,
) -> str:
    """One Markdown paragraph per group, written from the numbers: what its vocabulary stresses.

    Args:
        scores: :func:`log_odds` output.
        stability: :func:`term_stability` output for the same data.
        similarity: :func:`tfidf_similarity` output.
        summary: :func:`token_summary` output (for the number of sentences and terms).
        by: grouping column.
        top: terms named per group.
        stable: a term "holds" when its ``top_share`` is at least this.

    Returns:
        Markdown text; every number in it comes from the tables passed in, and every name
        (group, term) is escaped with :func:`framing.figures.escape_markdown`.
    """
    rows = summary.set_index(by)
    parts = []
    for g, sub in scores.groupby(by, sort=True):
        head = sub.head(top)
        named = ", ".join(
            f"*{escape_markdown(t)}* ({i:,} here vs {o:,} elsewhere, z = {z:.2f})"
            for t, i, o, z in zip(
                head["term"], head["count_in"], head["count_out"], head["z"], strict=True
            )
        )
        st = stability[stability[by] == g]
        holds = st[st["top_share"] >= stable]
        n_boot = int(st["n_boot"].iloc[0]) if len(st) else 0
        k = len(st)
        listed = ", ".join(
            f"*{escape_markdown(t)}* ({s:.0%})"
            for t, s in zip(holds["term"], holds["top_share"], strict=True)
        )
        where = f"in at least {stable:.0%} of {n_boot:,} bootstrap resamples of its sentences"
        if k and len(holds) == k:
            hold_txt = f"All of its top {k} terms stay in its top {k} {where}: {listed}."
        elif len(holds):
            hold_txt = (
                f"Of its top {k} terms, {len(holds)} stay in its top {k} {where}: {listed}; "
                f"the other {k - len(holds)} drop out of it in more than half of them."
            )
        else:
            hold_txt = (
                f"None of its top {k} terms stays in its top {k} {where}: the ranking depends on "
                "which sentences were written."
            )
        strong = sub[sub["z"] >= 1.96]
        if len(strong):
            names = ", ".join(f"*{escape_markdown(t)}*" for t in strong["term"].head(top))
            z_txt = f"{len(strong):,} of its terms reach z ≥ 1.96 ({names})."
        else:
            z_txt = "No term reaches z ≥ 1.96."
        sim = similarity[(similarity[f"{by}_a"] == g) & (similarity[f"{by}_b"] != g)]
        if len(sim):
            sim = sim.sort_values(["cosine", f"{by}_b"], ascending=[False, True], kind="stable")
            near, far = sim.iloc[0], sim.iloc[-1]
            sim_txt = (
                f" Its TF-IDF vocabulary is closest to {escape_markdown(near[f'{by}_b'])} (cosine "
                f"{near['cosine']:.2f}) and furthest from {escape_markdown(far[f'{by}_b'])} "
                f"({far['cosine']:.2f})."
            )
        else:
            sim_txt = ""
        n_rows = int(rows.loc[g, "rows"]) if g in rows.index else 0
        n_terms = int(rows.loc[g, "terms"]) if g in rows.index else 0
        parts.append(
            f"**{escape_markdown(g)}** ({n_rows:,} sentences, {n_terms:,} word tokens after stop words). "
            f"Against the rest of the corpus, it leans most on {named}. {hold_txt} "
            f"{z_txt}{sim_txt}"
        )
    return "\n\n".join(parts)


def describe_intervals(table: pd.DataFrame, *, by: str = "outlet") -> str:
    """What the intervals of a measure's table resampled, and how many of each, in Markdown.

    Args:
        table: a table with ``by``, ``resampled`` and ``n_units`` columns (from
            ``outlet_sentiment``, ``voice_sentiment``, ``actor_sentiment``,
            ``position_sentiment``, ``frame_scores``, ``over_time``): one row per group, or per
            group and cell.
        by: the group column.

    Returns:
        One sentence per kind of unit, e.g. "**Intervals** resample articles, then their
        sentences, for 6 groups (40–1,234 articles per group)", and, where a group's interval
        resampled sentences (or spans), the caveat that they are too narrow. ``""`` for a table
        without those columns or rows.
    """
    from .errors import check_column

    if not {"resampled", "n_units"} <= set(table.columns) or table.empty:
        return ""
    check_column(table, by, arg="by")
    rows = table.dropna(subset=["resampled"])
    parts = []
    for kind, g in rows.groupby("resampled", sort=False):
        kind = str(kind)
        lo, hi = int(g["n_units"].min()), int(g["n_units"].max())
        span = f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
        groups = _plural(g[by].nunique(), "group")
        if kind == "articles":
            parts.append(
                f"for {groups} the interval resamples articles, then their sentences "
                f"({span} articles per interval)"
            )
        else:
            parts.append(
                f"for {groups} the interval resamples {escape_markdown(kind)} ({span} per "
                "interval), which are not independent within an article, so it is too narrow"
            )
    if not parts:
        return ""
    return "**Intervals:** " + "; ".join(parts) + "."


# Markdown's backslash-escapable punctuation (CommonMark), plus ``$`` (Jupyter reads ``$…$`` as
# math). ``&``, ``<`` and ``>`` become HTML entities instead: a backslash does not stop a
# Markdown renderer from passing a raw HTML tag through.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$\"'=:])")


_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(value) -> str:
    """A data string (an outlet, a term, a title …) made safe to put into generated Markdown.

    Every Markdown control character is backslash-escaped and ``&``, ``<``, ``>`` become HTML
    entities, so the rendered page shows the string as it is: ``<script>`` stays text, ``*a*``
    is not emphasis, ``$x$`` is not math, ``[a](b)`` is not a link.

    Args:
        value: any value; it is converted with ``str`` first.

    Returns:
        The escaped string, on one line (runs of white space become one space).
    """
    s = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))  # no line break inside a name
    return re.sub(r"[&<>]", lambda m: _HTML_ENTITIES[m.group(0)], s)


# ---------------------------------------------------------------------------------------------
# what a corpus can support for within-event and over-time comparisons (notebook 06)


@dataclass(frozen=True)
class EventDesign:
    """What a corpus's articles can support for the comparisons of notebook 06, read from them.

    Attributes:
        by: the group column.
        event: the event column, or None when the articles have no such column (or no value
            in it): the whole corpus is then one event.
        n_articles, n_groups: the articles and groups compared.
        fewest, most: the articles of the smallest and of the largest group.
        n_events: events (1 without an event column).
        n_compared: events covered by at least two groups.
        n_single: events covered by one group only.
        n_dated: articles with a date.
        n_periods: periods (``freq``) holding at least one dated article.
        freq: the period.
        min_p: the smallest p-value a permutation of the articles can give for the group with
            the most room (``1 / C(n_articles, n_g)``, the observed split being one of the
            ``C(n_articles, n_g)`` ways to choose the group's articles).
    """

    by: str
    event: str | None
    n_articles: int
    n_groups: int
    fewest: int
    most: int
    n_events: int
    n_compared: int
    n_single: int
    n_dated: int
    n_periods: int
    freq: str
    min_p: float

    @property
    def can_contrast(self) -> bool:
        """At least two events compared by two groups: within-event differences can be
        summarised with an interval over events."""
        return self.n_compared >= 2

    @property
    def can_resample_articles(self) -> bool:
        """Some group has at least two articles: its interval can resample articles."""
        return self.most >= 2

    @property
    def can_trace_time(self) -> bool:
        """Dated articles fall in at least two periods."""
        return self.n_periods >= 2

    @property
    def can_permute(self) -> bool:
        """A permutation of the articles can give p < 0.05 for some group."""
        return self.min_p < 0.05

    @property
    def _period(self) -> str:
        unit = {"D": "day", "W": "week", "MS": "month", "QS": "quarter", "YS": "year"}
        return unit.get(self.freq, self.freq)

    def why_not(self, what: str) -> str:
        """Why a section cannot be shown, in one sentence of Markdown (``""`` when it can).

        Args:
            what: ``"contrast"`` (within-event differences with intervals over events),
                ``"time"`` (a time series) or ``"permute"`` (a permutation test of keyness).
        """
        from .errors import check_option

        check_option("what", what, ("contrast", "time", "permute"))
        if what == "contrast" and not self.can_contrast:
            if self.event is None:
                return ("the articles have no event column, so the corpus is one event: there "
                        "is nothing to compare within events and no interval over events.")  # fmt: skip
            return (f"only {self.n_compared} event is covered by two groups or more: no "
                    "interval over events.")  # fmt: skip
        if what == "time" and not self.can_trace_time:
            return ("no article has a date." if self.n_dated == 0 else
                    f"the dated articles fall in one {self._period}: no time series.")  # fmt: skip
        if what == "permute" and not self.can_permute:
            return (f"with {_plural(self.n_articles, 'article')} the smallest p a permutation "
                    f"of the articles can give is {self.min_p:.2g}, so no term can pass.")  # fmt: skip
        return ""

    @property
    def note(self) -> str:
        """The design in a few sentences of Markdown, each stated only when true."""
        by = escape_markdown(self.by)
        parts = [
            f"{_plural(self.n_articles, 'article')} in {_plural(self.n_groups, 'group')} of "
            f"*{by}*, "
            + (
                "each a single article."
                if self.most == 1
                else f"{self.most:,} articles per group."
                if self.fewest == self.most
                else f"{self.fewest:,}–{self.most:,} articles per group."
            )
        ]
        if self.event is None:
            parts.append(
                "The articles have no event column: the whole corpus is one event, so a "
                "comparison within events is the pooled comparison itself, and there is no "
                "interval over events."
            )
        else:
            ev = escape_markdown(self.event)
            parts.append(
                f"Events (column *{ev}*): {self.n_events:,}; {self.n_compared:,} covered by at "
                f"least two groups and compared"
                + (
                    f"; {self.n_single:,} covered by one group only, left out of the "
                    "contrasts and listed below."
                    if self.n_single
                    else "."
                )
            )
            if not self.can_contrast:
                parts.append(
                    "With fewer than two compared events there is no interval over events: "
                    "within-event differences describe that one event only."
                )
        if not self.can_resample_articles:
            parts.append(
                "No group has two articles, so no interval can resample articles: the only "
                "interval left resamples sentences, which are not independent (too narrow), "
                "and a difference between groups describes these texts, not the outlets."
            )
        name = self._period
        if self.n_dated == 0:
            parts.append("No article has a date: there is no time series.")
        elif not self.can_trace_time:
            parts.append(
                f"The {_plural(self.n_dated, 'dated article')} fall in one {name}: there is no "
                "time series to draw."
            )
        else:
            parts.append(
                f"{self.n_dated:,} of {self.n_articles:,} articles are dated, in "
                f"{_plural(self.n_periods, name)}."
            )
        if not self.can_permute:
            parts.append(
                "A permutation test of keyness cannot reach p < 0.05 here: with "
                f"{_plural(self.n_articles, 'article')}, the smallest p a permutation of the "
                f"articles can give is {self.min_p:.2g}."
            )
        return " ".join(parts)


def event_design(
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    event: str | None = "topic",
    date: str = "published",
    freq: str = "MS",
) -> EventDesign:
    """What the articles can support: events compared, articles per group, dated periods, and
    the smallest p a permutation of the articles can reach.

    Args:
        articles: the compared articles (``doc_id``, ``by``; optionally ``event`` and ``date``).
        by: the group column.
        event: the event column; None, or a column the articles lack or leave empty, makes the
            whole corpus one event.
        date: the date column.
        freq: the period of the time series (``"W"``, ``"MS"`` …; see
            :func:`framing.over_time`).

    Returns:
        An :class:`EventDesign`; its ``note`` says in Markdown what follows from the numbers.
    """
    from .measures.events import FREQUENCIES, event_coverage

    a = articles[articles[by].notna()]
    sizes = a[by].value_counts()
    if event is not None and (event not in a.columns or a[event].isna().all()):
        event = None
    if event is None:
        n_events, n_compared, n_single = 1, int(len(sizes) >= 2), int(len(sizes) == 1)
    else:
        cov = event_coverage(a, by=by, event=event)
        n_events, n_compared = len(cov), int(cov["compared"].sum())
        n_single = n_events - n_compared
    dates = pd.to_datetime(a[date], errors="coerce") if date in a.columns else pd.Series([])
    dated = dates.dropna()
    if isinstance(dated.dtype, pd.DatetimeTZDtype):
        dated = dated.dt.tz_convert("UTC").dt.tz_localize(None)
    periods = dated.dt.to_period(FREQUENCIES.get(freq, "M")).nunique() if len(dated) else 0
    n = len(a)
    # the group whose articles can be chosen in the most ways (C(n, k) is largest at k = n/2)
    best = max((math.comb(n, int(k)) for k in sizes), default=1)
    return EventDesign(
        by=by,
        event=event,
        n_articles=n,
        n_groups=len(sizes),
        fewest=int(sizes.min()) if len(sizes) else 0,
        most=int(sizes.max()) if len(sizes) else 0,
        n_events=n_events,
        n_compared=n_compared,
        n_single=n_single,
        n_dated=len(dated),
        n_periods=int(periods),
        freq=freq,
        min_p=1.0 / best if best < 10**12 else 0.0,
    )
