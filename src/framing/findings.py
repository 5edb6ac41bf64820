"""The findings page: what the corpus is, and the strongest differences between the compared
groups that survive the report's own stability checks, one sentence each, written from the
tables the notebooks saved.

Every sentence is generated from a table under the report folder (read with
:func:`framing.read_saved_table`), carries its interval, names the table it came from and links
to the evidence behind it (KWIC lines in the explorer, sentences, hits, passages). Differences
that do not survive a check are listed as such, not hidden. The page is written by
:func:`write_index`; every string that comes from the data is escaped.

The checks, one per measure (the defaults are the report's; each is a keyword argument):

- **terms**: a term survives when it stays in its group's top *k* in at least
  ``min_top_share`` of notebook 01's bootstrap resamples (``term-stability.csv``).
- **tone**: a group's mean VADER compound survives when its bootstrap interval
  (``sentiment-by-outlet.csv``) excludes the pooled mean of the other groups' sentences.
- **voices**: a group's share of quoted words from one kind of speaker survives when the group
  has at least ``min_quotes`` quotations and the interval of the share (a bootstrap over the
  group's quotations, from ``quotes.csv``) excludes the other groups' pooled share.
- **frames**: a frame rate survives when its interval (``frame-rates.csv``) excludes the other
  groups' pooled rate and its hits lie in at least ``min_sentences`` sentences.
- **shared passages**: a passage counts when it reads the same, word for word, on both sides
  (notebook 04's ``shared-passages-checked.csv``).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from .outputs import read_saved_table

__all__ = [
    "Finding",
    "term_findings",
    "tone_findings",
    "voice_findings",
    "frame_findings",
    "shared_findings",
    "frame_support",
    "report_findings",
    "findings_html",
    "write_index",
    "MEASURES",
]

#: the measures of the findings page, in order: (key, heading)
MEASURES = (
    ("terms", "Terms"),
    ("tone", "Tone"),
    ("voices", "Voices"),
    ("frames", "Frames"),
    ("shared", "Shared passages"),
)

# where each measure's key figure and its section are: (page, figure stem, heading anchor);
# the anchors are the notebooks' headings as nbconvert writes their ids (spaces as hyphens)
_FIGURES = {
    "terms": ("01-terms", "term-stability", "How-stable-is-each-finding?"),
    "tone": ("02-sentiment", "sentiment-by-outlet", "How-each-outlet-sounds,-sentence-by-sentence"),
    "voices": ("03-voices-and-frames", "voices-by-type", "Who-is-quoted:-voices-per-group"),
    "frames": ("03-voices-and-frames", "frame-rates", "Which-frames-each-outlet-stresses"),
    "shared": ("03-voices-and-frames", "shared-passages-matrix", "What-the-outlets-share"),
}
EXPLORER = "explorer.html"


@dataclass
class Finding:
    """One sentence of the findings page.

    Attributes:
        measure: ``"terms"``, ``"tone"``, ``"voices"``, ``"frames"`` or ``"shared"``.
        group: the group the sentence is about (for shared passages, the pair ``"A · B"``).
        text: the sentence, plain text (escaped when written as HTML).
        survives: whether it passed the measure's stability check.
        source: the table it was written from, relative to the report folder.
        evidence: ``(label, href)`` links to the lines, sentences or hits behind it, relative
            to the report folder.
        strength: for ordering: the larger, the stronger the difference.
    """

    measure: str
    group: str
    text: str
    survives: bool
    source: str
    evidence: list[tuple[str, str]] = field(default_factory=list)
    strength: float = 0.0


def _num(x: float, digits: int = 2, sign: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    s = f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"
    return s.replace("-", "−")  # a minus sign, not a hyphen


def _pct(x: float) -> str:
    """A share as a percentage; under 1% with two significant digits, so that a small share
    and its interval never all read "0%" (AllSides: 0.06% of a group's quoted words)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if 0 < abs(x) < 0.01:
        return f"{x * 100:.2g}%"
    return f"{x:.0%}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _explorer(kind: str, name: str, group: str | None = None) -> str:
    frag = f"{kind}={quote(str(name), safe='')}"
    if group is not None:
        frag += f"&group={quote(str(group), safe='')}"
    return f"{EXPLORER}#{frag}"


def term_findings(
    stability: pd.DataFrame | None,
    *,
    by: str = "outlet",
    min_top_share: float = 0.5,
    per_group: int = 3,
    source: str = "01-terms/term-stability.csv",
) -> list[Finding]:
    """Each group's distinctive terms that stay in its top *k* under notebook 01's bootstrap.

    Args:
        stability: ``term-stability.csv`` (:func:`framing.term_stability`): ``<by>, term, rank,
            count_in, z, top_share, z_lo, z_hi, n_boot``.
        by: the group column.
        min_top_share: the share of resamples a term must stay in the top *k* to survive.
        per_group: surviving terms written per group (best rank first).
        source: the table's path in the report, named in each finding.

    Returns:
        Per group, up to ``per_group`` surviving terms; a group with none gets one finding that
        says its first-ranked term does not survive.
    """
    if stability is None or stability.empty:
        return []
    out = []
    for group, d in stability.groupby(by, sort=True):
        d = d.sort_values("rank", kind="stable")
        k, n_boot = len(d), int(d["n_boot"].iloc[0])
        ok = d[d["top_share"] >= min_top_share]
        for r in ok.head(per_group).itertuples(index=False):
            text = (
                f"{group} uses “{r.term}” more than the other groups: z {_num(r.z)} "
                f"(interval {_num(r.z_lo)} to {_num(r.z_hi)}), {_plural(int(r.count_in), 'use')}; "
                f"it stays in {group}'s top {k} in {_pct(r.top_share)} of {n_boot:,} resamples "
                "of its sentences."
            )
            out.append(Finding("terms", str(group), text, True, source,
                               [("KWIC lines", _explorer("term", r.term, group))],
                               float(r.top_share)))  # fmt: skip
        if ok.empty:
            r = next(d.itertuples(index=False))
            text = (
                f"{group}'s first-ranked term, “{r.term}” (z {_num(r.z)}, "
                f"{_plural(int(r.count_in), 'use')}), does not survive: it stays in the top {k} "
                f"in only {_pct(r.top_share)} of {n_boot:,} resamples; no term of {group} "
                f"reaches {_pct(min_top_share)}."
            )
            out.append(Finding("terms", str(group), text, False, source,
                               [("KWIC lines", _explorer("term", r.term, group))],
                               float(r.top_share)))  # fmt: skip
    return _ordered(out)


class _Row(dict):
    __getattr__ = dict.__getitem__


def _records(table: pd.DataFrame) -> list[_Row]:
    """Rows as dicts that also read as attributes (``r.frame``), whatever the group column's
    name (``itertuples`` renames a column that is not an identifier)."""
    return [_Row(r) for r in table.to_dict("records")]


def _ordered(found: list[Finding]) -> list[Finding]:
    return sorted(found, key=lambda f: (not f.survives, -f.strength, f.group))


def tone_findings(
    summary: pd.DataFrame | None,
    *,
    by: str = "outlet",
    source: str = "02-sentiment/sentiment-by-outlet.csv",
) -> list[Finding]:
    """Groups whose mean sentence tone differs from the other groups' pooled mean.

    Args:
        summary: ``sentiment-by-outlet.csv`` (:func:`framing.outlet_sentiment`): ``<by>,
            n_sentences, mean_compound, ci_low, ci_high``.
        by: the group column.
        source: the table's path in the report.

    Returns:
        One finding per group: it survives when the group's interval excludes the mean of the
        other groups' sentences (their means weighted by their sentence counts).
    """
    if summary is None or len(summary) < 2:
        return []
    n = summary["n_sentences"].astype(float)
    total = float((summary["mean_compound"] * n).sum())
    out = []
    for r, n_g in zip(summary.to_dict("records"), n, strict=True):
        group = r[by]
        rest_n = float(n.sum() - n_g)
        if rest_n == 0:
            continue
        m, lo, hi = r["mean_compound"], r["ci_low"], r["ci_high"]
        rest = (total - m * n_g) / rest_n
        survives = bool(lo > rest or hi < rest)
        sents = _plural(int(n_g), "sentence")
        if survives:
            way = "more positive" if m > rest else "more negative"
            text = (
                f"{group}'s sentences read {way} than the other groups': mean VADER compound "
                f"{_num(m, 3, True)} (interval {_num(lo, 3, True)} to {_num(hi, 3, True)}, "
                f"{sents}) against {_num(rest, 3, True)}."
            )
        else:
            text = (
                f"{group}'s tone, {_num(m, 3, True)} (interval {_num(lo, 3, True)} to "
                f"{_num(hi, 3, True)}, {sents}), cannot be told apart from the other groups' "
                f"{_num(rest, 3, True)}: the interval includes it."
            )
        out.append(Finding("tone", str(group), text, survives, source,
                           [("most positive and negative sentences",
                             "02-sentiment/most-positive-negative-sentences.csv"),
                            ("every sentence's score", "02-sentiment/sentence-scores.csv")],
                           abs(m - rest)))  # fmt: skip
    return _ordered(out)


def _quote_types(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotations of ``quotes.csv`` with their speaker type and words, as
    :func:`framing.voices` counts them."""
    from .text.words import count_words

    q = quotes[quotes["kind"] == "quote"].copy()
    speaker = q["speaker"].fillna("").astype(str)
    stype = q["speaker_type"].fillna("").astype(str) if "speaker_type" in q else speaker.map(str)
    q["type"] = [
        "unattributed" if s == "" else (t or "unlisted")
        for s, t in zip(speaker, stype, strict=True)
    ]
    q["n_words"] = q["quote"].fillna("").astype(str).map(count_words)
    return q


def voice_findings(
    quotes: pd.DataFrame | None,
    *,
    by: str = "outlet",
    min_quotes: int = 10,
    n_boot: int = 2000,
    seed: int = 0,
    source: str = "03-voices-and-frames/quotes.csv",
) -> list[Finding]:
    """For each group, the kind of speaker whose share of its quoted words differs most from
    the other groups' share, with a bootstrap interval over the group's quotations.

    Args:
        quotes: ``quotes.csv`` of notebook 03 (:func:`framing.find_quotes` with ``<by>`` and
            ``speaker_type``); only ``kind == "quote"`` rows count.
        by: the group column.
        min_quotes: quotations a group needs for its shares to be read at all.
        n_boot, seed: the bootstrap (:func:`framing.bootstrap`, one stream per group).
        source: the table's path in the report.

    Returns:
        One finding per group with quotations. It survives when the group has at least
        ``min_quotes`` quotations and the interval excludes the other groups' pooled share.
    """
    from .stats import bootstrap

    if quotes is None or quotes.empty:
        return []
    q = _quote_types(quotes)
    if q.empty:
        return []
    words = q.groupby([by, "type"])["n_words"].sum().unstack(fill_value=0)
    # who the detector could not name, or the actor table does not type, is no kind of voice
    kinds = [t for t in words.columns if t not in _NOT_A_VOICE]
    out = []
    for group in sorted(words.index, key=str):
        mine = q[q[by] == group]
        rest = words.drop(index=group)
        if mine["n_words"].sum() == 0 or rest.to_numpy().sum() == 0 or not kinds:
            continue
        share = words.loc[group, kinds] / words.loc[group].sum()
        rest_share = rest[kinds].sum() / rest.to_numpy().sum()
        gap = (share - rest_share).abs().sort_values(ascending=False, kind="stable")
        quoted = [k for k in gap.index if share[k] > 0]  # an absence has no interval to read
        t = quoted[0] if quoted else gap.index[0]
        w = mine["n_words"].to_numpy(dtype=float)
        est, lo, hi = bootstrap(np.where(mine["type"] == t, w, 0.0), denominator=w,
                                n_boot=n_boot, seed=seed, label=f"{group}|{t}")  # fmt: skip
        n_q, n_t = len(mine), int((mine["type"] == t).sum())
        enough = n_q >= min_quotes
        survives = bool(enough and n_t and (lo > rest_share[t] or hi < rest_share[t]))
        body = (
            f"Speakers of the kind “{t}” say {_pct(est)} of {group}'s quoted words (interval "
            f"{_pct(lo)} to {_pct(hi)}; {_plural(n_t, 'quotation')} of {n_q:,}) against "
            f"{_pct(rest_share[t])} of the other groups'"
        )
        if survives:
            text = body + "."
        elif not enough:
            text = body + f": too few quotations to read (fewer than {min_quotes})."
        elif not n_t:
            text = body + ": an absence, not a measured share."
        else:
            text = body + ": the interval includes the other groups' share."
        out.append(Finding("voices", str(group), text, survives, source,
                           [("quotations", source),
                            ("speakers", "03-voices-and-frames/voices-by-speaker.csv")],
                           float(gap[t])))  # fmt: skip
    found = _ordered(out)
    other = q["type"].isin(_NOT_A_VOICE)
    if other.any():
        share = q.loc[other, "n_words"].sum() / max(q["n_words"].sum(), 1)
        found.append(Finding("voices", "", f"{_pct(share)} of all quoted words are from speakers "
                             "the detector did not name or the actor table does not type "
                             "(unattributed, unlisted); they are left out of these comparisons.",
                             False, source, [("quotations", source)], 0.0))  # fmt: skip
    return found


_NOT_A_VOICE = ("unattributed", "unlisted")


def frame_support(hits: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """How many sentences and articles each group's frame hits lie in.

    A rate of 33 per 1,000 words may rest on one quoted list of eleven words in two sentences:
    this table says so, beside :func:`framing.frame_scores`.

    Args:
        hits: :func:`framing.frame_hits` with the ``by`` column joined.
        by: the group column.

    Returns:
        ``<by>, frame, hits, sentences, articles``, sorted by group and frame.
    """
    if by not in hits.columns:
        raise ValueError(f"by={by!r} is not a column of hits; columns: {list(hits.columns)}")
    if hits.empty:
        return pd.DataFrame(columns=[by, "frame", "hits", "sentences", "articles"])
    keys = hits["doc_id"].astype(str) + "\x1f" + hits["sent_id"].astype(str)
    g = hits.assign(_sent=keys).groupby([by, "frame"], sort=True)
    return g.agg(
        hits=("frame", "size"), sentences=("_sent", "nunique"), articles=("doc_id", "nunique")
    ).reset_index()


def frame_findings(
    scores: pd.DataFrame | None,
    support: pd.DataFrame | None = None,
    *,
    by: str = "outlet",
    min_sentences: int = 3,
    shown_not_surviving: int = 4,
    source: str = "03-voices-and-frames/frame-rates.csv",
) -> list[Finding]:
    """Frame rates per 1,000 words that differ from the other groups' pooled rate.

    Args:
        scores: ``frame-rates.csv`` (:func:`framing.frame_scores`): ``<by>, frame, hits,
            words, per_1000, ci_low, ci_high``.
        support: :func:`frame_support` (``frame-support.csv``); without it, no rate is known to
            rest on enough sentences and none survives.
        by: the group column.
        min_sentences: sentences a rate's hits must lie in to survive.
        shown_not_surviving: rates that do not survive written out (those furthest from the
            other groups' rate); the rest are counted in one sentence.
        source: the table's path in the report.

    Returns:
        Surviving rates (interval excludes the other groups' rate, hits in at least
        ``min_sentences`` sentences), then the strongest that do not survive, then a count.
    """
    if scores is None or scores.empty:
        return []
    s = scores.copy()
    tot = s.groupby("frame")[["hits", "words"]].transform("sum")
    words_all = s.groupby(by)["words"].first().sum()
    rest_words = words_all - s["words"]
    s["rest"] = 1000 * (tot["hits"] - s["hits"]) / rest_words.where(rest_words > 0)
    if support is not None and not support.empty:
        sup = support[[by, "frame", "sentences"]].astype({by: str})
        s = s.astype({by: str}).merge(sup, on=[by, "frame"], how="left")
        s["sentences"] = s["sentences"].fillna(0).astype(int)
    else:
        s["sentences"] = -1
    s = s[s["rest"].notna() & ((s["hits"] > 0) | (s["rest"] > 0))]
    excl = (s["ci_low"] > s["rest"]) | (s["ci_high"] < s["rest"])
    s["enough"] = s["sentences"] >= min_sentences
    s["survives"] = excl & s["enough"]
    s["strength"] = np.abs(np.log((s["per_1000"] + 0.5) / (s["rest"] + 0.5)))
    ev = "03-voices-and-frames/frame-hits.csv"
    out = []
    for r in _records(s[s["survives"]].sort_values("strength", ascending=False, kind="stable")):
        group = r[by]
        way = "more" if r.per_1000 > r.rest else "less"
        text = (
            f"{group} uses the vocabulary of “{r.frame}” {way} than the other groups: "
            f"{_num(r.per_1000, 1)} hits per 1,000 words (interval {_num(r.ci_low, 1)} to "
            f"{_num(r.ci_high, 1)}; {_plural(int(r.hits), 'hit')} in "
            f"{_plural(int(r.sentences), 'sentence')}) against {_num(r.rest, 1)}."
        )
        out.append(Finding("frames", str(group), text, True, source,
                           [("hits", _explorer("frame", r.frame, group)), ("all hits", ev)],
                           float(r.strength)))  # fmt: skip
    # rates with hits first: an absence (no hit) is counted, not argued
    weak = s[~s["survives"]].assign(_none=s["hits"] == 0)
    weak = weak.sort_values(["_none", "strength"], ascending=[True, False], kind="stable")
    for r in _records(weak.head(shown_not_surviving)):
        group = r[by]
        rate = (
            f"{group}'s “{r.frame}” rate, {_num(r.per_1000, 1)} per 1,000 words (interval "
            f"{_num(r.ci_low, 1)} to {_num(r.ci_high, 1)}) against {_num(r.rest, 1)} elsewhere,"
        )
        if r.sentences < 0:
            why = "is not checked: the report has no count of the sentences behind its hits."
        elif r.hits == 0:
            why = "rests on no hit at all: an absence, not a measured rate."
        elif not r.enough:
            why = (
                f"rests on {_plural(int(r.hits), 'hit')} in only "
                f"{_plural(int(r.sentences), 'sentence')}: it does not survive."
            )
        else:
            why = "does not survive: its interval includes the other groups' rate."
        out.append(Finding("frames", str(group), f"{rate} {why}", False, source,
                           [("hits", _explorer("frame", r.frame, group)), ("all hits", ev)],
                           float(r.strength)))  # fmt: skip
    more = len(weak) - min(len(weak), shown_not_surviving)
    if more:
        out.append(Finding("frames", "", f"{_plural(more, 'other rate')} of a group and a frame "
                           "do not survive either (all are in the table).", False, source,
                           [("frame rates", source)], 0.0))  # fmt: skip
    return out


def shared_findings(
    checked: pd.DataFrame | None,
    *,
    by: str = "outlet",
    pairs: int = 5,
    source: str = "04-methods-and-limits/shared-passages-checked.csv",
) -> list[Finding]:
    """The pairs of groups that carry the most words in common, word for word.

    Args:
        checked: ``shared-passages-checked.csv`` of notebook 04 (:func:`framing.shared_check`:
            the passages with ``equal``), or notebook 03's ``shared-passages.csv`` (then every
            passage is taken as checked).
        by: the group column (columns ``<by>_a``, ``<by>_b``; ``outlet_a`` … when absent).
        pairs: pairs written out, most shared words first.
        source: the table's path in the report.

    Returns:
        One finding per pair (surviving: passages equal on both sides) and one for the
        passages that do not read the same on both sides, if any.
    """
    if checked is None or checked.empty:
        return []
    a, b = (f"{by}_a", f"{by}_b") if f"{by}_a" in checked else ("outlet_a", "outlet_b")
    d = checked.copy()
    if "equal" not in d:
        d["equal"] = True
    d["equal"] = d["equal"].astype(str).str.lower().isin(["true", "1"])
    ok = d[d["equal"]]
    key = [tuple(sorted((str(x), str(y)))) for x, y in zip(ok[a], ok[b], strict=True)]
    ok = ok.assign(_pair=key)
    g = ok.groupby("_pair", sort=True).agg(n=("text", "size"), words=("n_words", "sum"))
    g = g.sort_values("words", ascending=False, kind="stable")
    out = []
    for pair, r in g.head(pairs).iterrows():
        rows = ok[ok["_pair"] == pair].sort_values("n_words", ascending=False, kind="stable")
        example = str(rows["text"].iloc[0])
        example = example if len(example) <= 140 else example[:137].rstrip() + "…"
        text = (
            f"{pair[0]} and {pair[1]} carry {_plural(int(r['n']), 'passage')} in common "
            f"({int(r['words']):,} words, each read the same word for word on both sides), "
            f"the longest: “{example}”"
        )
        out.append(Finding("shared", f"{pair[0]} · {pair[1]}", text, True, source,
                           [("passages with offsets", "03-voices-and-frames/shared-passages.csv")],
                           float(r["words"])))  # fmt: skip
    if len(g) > pairs:
        rest = g.iloc[pairs:]
        out.append(Finding("shared", "", f"{_plural(len(rest), 'other pair')} share "
                           f"{int(rest['words'].sum()):,} words in {int(rest['n'].sum()):,} "
                           "passages (all are in the table).", True, source, [], 0.0))  # fmt: skip
    bad = d[~d["equal"]]
    if len(bad):
        verb = "does" if len(bad) == 1 else "do"
        out.append(Finding("shared", "", f"{_plural(len(bad), 'passage')} found by shingles "
                           f"{verb} not read the same on both sides and is not counted."
                           .replace("is not", "is not" if len(bad) == 1 else "are not"), False,
                           source, [("checked passages", source)], 0.0))  # fmt: skip
    return out


def report_findings(
    folder: str | Path,
    *,
    by: str = "outlet",
    groups: Sequence | None = None,
    min_top_share: float = 0.5,
    min_quotes: int = 10,
    min_sentences: int = 3,
) -> dict[str, list[Finding]]:
    """Every measure's findings, read from the tables a report's notebooks wrote.

    Args:
        folder: the report folder (``reports/<corpus>/``).
        by: the group column the report compared.
        groups: the compared groups; a table made for other groups is not used.
        min_top_share, min_quotes, min_sentences: the checks (see the module's docstring).

    Returns:
        ``{measure: [Finding, …]}`` for each measure of :data:`MEASURES`; a measure whose table
        is missing has an empty list.
    """
    here = Path(folder) / "index"  # read_saved_table looks beside a page's folder

    def read(page, name, grp=groups):
        return read_saved_table(here, page, name, by=by, groups=grp)

    support = read("03-voices-and-frames", "frame-support", None)
    shared = read_saved_table(here, "04-methods-and-limits", "shared-passages-checked")
    src_shared = "04-methods-and-limits/shared-passages-checked.csv"
    if shared is None:
        shared = read_saved_table(here, "03-voices-and-frames", "shared-passages")
        src_shared = "03-voices-and-frames/shared-passages.csv"
    return {
        "terms": term_findings(read("01-terms", "term-stability"), by=by,
                               min_top_share=min_top_share),
        "tone": tone_findings(read("02-sentiment", "sentiment-by-outlet"), by=by),
        "voices": voice_findings(read("03-voices-and-frames", "quotes", None), by=by,
                                 min_quotes=min_quotes),
        "frames": frame_findings(read("03-voices-and-frames", "frame-rates"), support, by=by,
                                 min_sentences=min_sentences),
        "shared": shared_findings(shared, by=by, source=src_shared),
    }  # fmt: skip


# --- the page ---------------------------------------------------------------------------------

_CHECKS = {
    "terms": "a term counts when it stays in its group's top terms in at least {min_top_share:.0%} "
    "of notebook 01's bootstrap resamples of the group's sentences.",
    "tone": "a group's mean counts when its 95% bootstrap interval excludes the mean of the "
    "other groups' sentences.",
    "voices": "a share counts when the group has at least {min_quotes} quotations and the "
    "share's 95% interval (a bootstrap over its quotations) excludes the other groups' share.",
    "frames": "a rate counts when its 95% interval excludes the other groups' rate and its "
    "hits lie in at least {min_sentences} sentences.",
    "shared": "a passage counts when it reads the same, word for word, in both articles.",
}

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.measure{display:flex;gap:1.5em;align-items:flex-start}
.measure .text{flex:1 1 auto;min-width:0}
.thumb{flex:0 0 220px;text-align:center;font-size:.85em}
.thumb img{width:220px;border:1px solid #ccc;background:#fff}
li{margin:.45em 0} .check{color:#555;font-size:.92em}
.no{color:#6b6b6b} .no::before{content:"✗ ";color:#b04040} .yes::before{content:"✓ ";color:#2a7a2a}
.src{color:#666;font-size:.85em} .pages li{margin:.3em 0}
table.corpus td,table.corpus th{padding:.1em .8em .1em 0;vertical-align:top;text-align:left}
.caveat{background:#fff8e5;border-left:4px solid #e0b000;padding:.5em 1em}
"""


def _link(label: str, href: str) -> str:
    e = html.escape
    return f'<a href="{e(href, quote=True)}">{e(label)}</a>'


def _finding_li(f: Finding) -> str:
    e = html.escape
    links = " · ".join(_link(label, href) for label, href in f.evidence)
    src = (
        f'<span class="src">from {_link(f.source, f.source)}{" · " + links if links else ""}</span>'
    )
    cls = "yes" if f.survives else "no"
    return f'<li class="{cls}">{e(f.text)} {src}</li>'


def findings_html(
    found: Mapping[str, list[Finding]],
    *,
    folder: str | Path | None = None,
    checks: Mapping[str, object] | None = None,
) -> str:
    """The findings as HTML sections, one per measure: surviving differences, then those that
    do not survive, each with its table and evidence links, and the key figure's thumbnail
    linking to its page (when ``folder`` holds it). Every data string is escaped."""
    e = html.escape
    opts = {"min_top_share": 0.5, "min_quotes": 10, "min_sentences": 3, **(checks or {})}
    parts = []
    for key, title in MEASURES:
        items = found.get(key, [])
        page, fig, anchor = _FIGURES[key]
        thumb = ""
        if folder is not None and (Path(folder) / page / f"{fig}.png").is_file():
            href = f"{page}.html#{anchor}"
            thumb = (f'<div class="thumb"><a href="{e(href, quote=True)}"><img src="{e(page)}/'
                     f'{e(fig)}.png" alt="{e(title)}: the key figure"></a><br>'
                     f'{_link("the figure on its page", href)}</div>')  # fmt: skip
        yes = [f for f in items if f.survives]
        no = [f for f in items if not f.survives]
        if not items:
            body = "<p>No table for this measure in this report.</p>"
        else:
            head = (f"<p>{len(yes):,} difference{'s' if len(yes) != 1 else ''} survive"
                    f"{'s' if len(yes) == 1 else ''} the check.</p>") if key != "shared" else ""  # fmt: skip
            body = head
            if yes:
                body += "<ul>" + "".join(_finding_li(f) for f in yes) + "</ul>"
            if no:
                body += "<p>Not surviving the check:</p><ul>"
                body += "".join(_finding_li(f) for f in no) + "</ul>"
        check = _CHECKS[key].format(**opts)
        parts.append(
            f'<section id="{key}"><h2>{e(title)}</h2><div class="measure"><div class="text">'
            f'<p class="check">The check: {e(check)}</p>{body}</div>{thumb}</div></section>'
        )
    return "\n".join(parts)


def _corpus_html(articles: pd.DataFrame, by: str, parameters: Mapping, case_study: bool) -> str:
    e = html.escape
    n = len(articles)
    per = articles[by].astype(str).value_counts() if by in articles else pd.Series(dtype=int)
    per = per.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    if case_study:
        what = ("Four web pages on the Xi–Putin summit in Moscow (20–22 March 2023), saved "
                "verbatim with a manifest (notebook 00 and corpus/README.md).")  # fmt: skip
    elif "topic" in articles and articles["topic"].notna().any():
        top = articles["topic"].astype(str).value_counts().head(6)
        what = ("Topics, as the corpus labels them (most articles first): "
                + ", ".join(f"{t} ({c:,})" for t, c in top.items())
                + (f" and {articles['topic'].nunique() - len(top):,} more." if
                   articles["topic"].nunique() > len(top) else "."))  # fmt: skip
    else:
        what = "The corpus names no event or topic; its terms below say what it covers."
    groups = ", ".join(f"{g} ({c:,})" for g, c in per.head(12).items())
    if len(per) > 12:
        groups += f" and {len(per) - 12:,} more"
    dates = pd.to_datetime(articles.get("published"), errors="coerce")
    if dates is not None and dates.notna().any():
        when = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
        undated = int(dates.isna().sum())
        if undated:
            when += f" ({undated:,} articles undated)"
    else:
        when = "no article is dated"
    words = f"{int(articles['n_words'].sum()):,}" if "n_words" in articles else "n/a"
    settings = {"by": by, **{k: v for k, v in parameters.items() if k != "by"}}
    shown = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in settings.items()
                      if v is not None)  # fmt: skip
    rows = [
        ("What", what),
        (f"Compared ({by})", f"{len(per):,}: {groups}"),
        ("Articles", f"{n:,} compared, {words} words after cleaning"),
        ("Dates", when),
        ("Settings", shown),
    ]
    return '<table class="corpus">' + "".join(
        f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in rows
    ) + "</table>"  # fmt: skip


_CASE_STUDY_LIMITS = (
    "What four articles can and cannot support. Each outlet here is one article, so every "
    "difference above is a difference between four texts of different length, genre and date, "
    "not between the outlets' coverage. The intervals resample sentences of one article, which "
    "are not independent, so they are too narrow; a term, tone or frame that survives says it "
    "does not rest on one or two sentences of that article, nothing more. The page supports a "
    "checkable description of these four articles — which words, voices and frames each uses, "
    "and which passages they carry in common — and no claim about any outlet in general, nor "
    "any test between outlets."
)


def write_index(
    out: str | Path,
    name: str,
    articles: pd.DataFrame,
    parameters: Mapping,
    pages: Sequence[tuple[str, str, str]],
    *,
    by: str = "outlet",
    case_study: bool = False,
    explorer: bool = False,
    found: Mapping[str, list[Finding]] | None = None,
    checks: Mapping[str, object] | None = None,
) -> Path:
    """Write the report's ``index.html``: the corpus, the findings, then the pages.

    Args:
        out: the report folder (the tables are read from it when ``found`` is None).
        name: the corpus's name.
        articles: the compared articles (``doc_id``, ``by``, ``published``, ``n_words`` …).
        parameters: the run's notebook parameters (shown as its settings).
        pages: ``(stem, title, description)`` per notebook page; each has ``stem.html``
            (code hidden) and ``stem.code.html`` (with code).
        by: the group column.
        case_study: add what four articles can and cannot support.
        explorer: link ``explorer.html``.
        found: the findings (default: :func:`report_findings` on ``out``).
        checks: the checks' thresholds, passed to :func:`report_findings`.

    Returns:
        The path of ``index.html``.
    """
    e = html.escape
    out = Path(out)
    groups = sorted(articles[by].dropna().astype(str).unique()) if by in articles else None
    if found is None:
        found = report_findings(out, by=by, groups=groups, **(checks or {}))
    items = "\n".join(
        f'<li>{_link(t, f"{n}.html")} <span class="src">({_link("with code", f"{n}.code.html")})'
        f"</span><br><small>{e(d)}</small></li>"
        for n, t, d in pages
    )
    explore = (
        f"<p>{_link('The explorer', EXPLORER)}: every term's frequency against its "
        "distinctiveness per group, actors and frames, searchable, with the lines behind each "
        "(one file, works offline).</p>"
        if explorer
        else ""
    )
    limits = f'<p class="caveat">{e(_CASE_STUDY_LIMITS)}</p>' if case_study else ""
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>framing report: {e(name)}</title><style>{_STYLE}</style></head>
<body><h1>framing report: {e(name)}</h1>
<p>How the compared groups differ in their words, tone, voices, frames and shared passages:
the strongest differences that survive the report's own stability checks, each with its interval,
the table it was written from and a link to the lines behind it. Differences that do not survive
are listed as such.</p>
<h2>The corpus</h2>
{_corpus_html(articles, by, parameters, case_study)}
{limits}
{findings_html(found, folder=out, checks=checks)}
<h2>The pages</h2>
<p>Each page is a notebook executed headless, shown without its code; “with code” is the same
page with every cell's code, for methods readers. The tables behind each figure are CSV files in
the folder of the page's name.</p>
{explore}
<ol class="pages">
{items}
</ol></body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
