"""Sentiment with VADER: per sentence, per quoted and unquoted span, per outlet and per actor.

Every score is a sentence's (or a span's) own VADER score, kept beside its offsets into the
article text, so any mean can be traced back to the sentences it averages.

References:
    Hutto, C. J. and Gilbert, E. (2014). VADER: A Parsimonious Rule-based Model for Sentiment
    Analysis of Social Media Text. Proceedings of ICWSM-14.
"""

from __future__ import annotations

import bisect
import multiprocessing as mp
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd
from vaderSentiment import vaderSentiment as _vs

from ..cache import FrameCache, code_version, content_keys, texts_digest
from ..errors import check_column, check_option
from ..stats import UNIT_COLUMN, bootstrap_many, check_units, resample_plan
from ..text.quotemarks import quoted_regions
from .actors import actor_mentions, load_actors

__all__ = [
    "FastSentimentIntensityAnalyzer",
    "get_analyzer",
    "score_texts",
    "score_sentences",
    "quote_spans",
    "score_spans",
    "outlet_sentiment",
    "voice_sentiment",
    "actor_sentiment",
    "extreme_sentences",
    "position_sentiment",
]

SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]
Core = Literal["fast", "vader"]
_CORES = ("fast", "vader")
Backend = Literal["multiprocessing", "loky"]
_BACKENDS = ("multiprocessing", "loky")


# --------------------------------------------------------------------------------------------
# The analyzer: vaderSentiment's rules, with per-sentence work done once
# --------------------------------------------------------------------------------------------

_NEGATE = frozenset(_vs.NEGATE)
_PUNCT = _vs.string.punctuation
_BOOSTER = _vs.BOOSTER_DICT
_SPECIAL = _vs.SPECIAL_CASES
_N_SCALAR = _vs.N_SCALAR
_C_INCR = _vs.C_INCR


def _negated_word(w: str) -> bool:
    # vaderSentiment's negated([w]) for one already-lowercased word
    return w in _NEGATE or "n't" in w


class FastSentimentIntensityAnalyzer(_vs.SentimentIntensityAnalyzer):
    """vaderSentiment's analyzer with the same rules and the same floats, computed faster.

    :meth:`polarity_scores` returns exactly what
    ``vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer().polarity_scores`` returns for the
    same string (checked on every sentence of the AllSides corpus by
    ``benchmarks/bench_sentiment.py`` and on the case study by the tests).

    Note:
        Profiling vaderSentiment 3.3.2 shows where its time goes: for every sentiment word it
        lowercases the whole sentence again (``_negation_check`` and ``_special_idioms_check``
        each build ``[w.lower() for w in words]``), so cost grows with length squared, and it
        copies every text character by character to replace emoji. This subclass lowercases each
        word once per sentence, finds emoji with one set test (and copies the
        text only when one is present), and applies the rules in the same order with the same
        arithmetic, so the floats are bit-for-bit the same. ``_but_check`` and
        ``score_valence`` are vaderSentiment's own code.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the original loop looks up one character at a time, so only one-character keys count;
        # a set test runs in C (a regex class of ~1,200 astral characters is scanned linearly)
        self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)

    def _replace_emoji(self, text: str) -> str:
        if self._emoji_chars.isdisjoint(text):
            return text
        out = []
        prev_space = True
        for ch in text:
            if ch in self.emojis:
                if not prev_space:
                    out.append(" ")
                out.append(self.emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def scores(self, text: str) -> tuple[float, float, float, float]:
        """``(neg, neu, pos, compound)`` of one text, as :meth:`polarity_scores` gives them."""
        d = self.polarity_scores(text)
        return d["neg"], d["neu"], d["pos"], d["compound"]

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's ``neg, neu, pos, compound`` for one text (same values as the original)."""
        text = self._replace_emoji(text).strip()
        # SentiText: strip punctuation unless that leaves two characters or fewer (emoticons)
        words = [t if len(s := t.strip(_PUNCT)) <= 2 else s for t in text.split()]
        lower = [w.lower() for w in words]
        n = len(words)
        n_upper = sum(1 for w in words if w.isupper())
        is_cap_diff = 0 < n - n_upper < n  # allcap_differential
        lexicon = self.lexicon
        # words outside the lexicon, boosters and "kind of" score 0 (an int, as in the original)
        sentiments: list[float] = [0] * n
        for i in [i for i, w in enumerate(lower) if w in lexicon]:
            low = lower[i]
            if low in _BOOSTER or (i < n - 1 and low == "kind" and lower[i + 1] == "of"):
                continue
            sentiments[i] = self._valence(words[i], low, i, words, lower, is_cap_diff)
        if "but" in lower:
            sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)

    def _valence(self, item, low, i, words, lower, is_cap_diff):
        lexicon = self.lexicon
        valence = lexicon[low]
        n = len(words)
        if low == "no" and i != n - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"])
        ):
            valence = lexicon[low] * _N_SCALAR
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = _vs.scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._negation(valence, lower, start_i, i)
                if start_i == 2:
                    valence = self._idioms(valence, lower, i)
        # _least_check
        if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            if lower[i - 2] != "at" and lower[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence

    @staticmethod
    def _negation(valence, lower, start_i, i):
        if start_i == 0 and _negated_word(lower[i - 1]):
            valence = valence * _N_SCALAR
        if start_i == 1:
            if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
                valence = valence * 1.25
            elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                pass
            elif _negated_word(lower[i - 2]):
                valence = valence * _N_SCALAR
        if start_i == 2:
            if (
                lower[i - 3] == "never"
                and (lower[i - 2] == "so" or lower[i - 2] == "this")
                or (lower[i - 1] == "so" or lower[i - 1] == "this")
            ):
                valence = valence * 1.25
            elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
                pass
            elif _negated_word(lower[i - 3]):
                valence = valence * _N_SCALAR
        return valence

    @staticmethod
    def _idioms(valence, lower, i):
        onezero = f"{lower[i - 1]} {lower[i]}"
        twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
        twoone = f"{lower[i - 2]} {lower[i - 1]}"
        threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
        threetwo = f"{lower[i - 3]} {lower[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in _SPECIAL:
                valence = _SPECIAL[seq]
                break
        n = len(lower)
        if n - 1 > i:
            zeroone = f"{lower[i]} {lower[i + 1]}"
            if zeroone in _SPECIAL:
                valence = _SPECIAL[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in _SPECIAL:
                valence = _SPECIAL[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in _BOOSTER:
                valence = valence + _BOOSTER[n_gram]
        return valence


@lru_cache(maxsize=2)
def get_analyzer(core: Core = "fast") -> _vs.SentimentIntensityAnalyzer:
    """The one analyzer of each kind per process (its lexicons load once).

    Args:
        core: ``"fast"`` (:class:`FastSentimentIntensityAnalyzer`) or ``"vader"`` (the package's
            own ``SentimentIntensityAnalyzer``); both give the same scores.
    """
    check_option("core", core, _CORES)
    if core == "fast":
        return FastSentimentIntensityAnalyzer()
    return _vs.SentimentIntensityAnalyzer()


def _score_chunk(texts: Sequence[str], core: str) -> np.ndarray:
    an = get_analyzer(core)
    out = np.empty((len(texts), 4), dtype="float64")
    for i, t in enumerate(texts):
        d = an.polarity_scores(t)
        out[i, 0] = d["neg"]
        out[i, 1] = d["neu"]
        out[i, 2] = d["pos"]
        out[i, 3] = d["compound"]
    return out


def score_texts(
    texts: Sequence[str],
    *,
    core: Core = "fast",
    n_jobs: int = -1,
    chunk_size: int = 20_000,
    parallel_min: int = 40_000,
    backend: Backend | None = None,
    progress: bool = False,
) -> np.ndarray:
    """VADER scores of many short texts, in parallel when there are many.

    Args:
        texts: the texts (sentences or spans; never whole articles).
        core: ``"fast"`` or ``"vader"``, see :func:`get_analyzer`.
        n_jobs: worker processes for joblib (``-1``: one per core).
        chunk_size: texts per task sent to a worker.
        parallel_min: below this many texts, score in this process (starting workers costs
            about a second).
        backend: joblib backend. The default, ``"multiprocessing"`` where the platform can
            fork (Linux), starts workers as copies of this process, with the analyzer already
            loaded; ``"loky"`` starts fresh interpreters, which import framing again (seconds).
        progress: show a progress bar over chunks of texts (``tqdm.auto``: a live widget in
            JupyterLab); off by default and in headless report runs. Scores are the same.

    Returns:
        An ``(n, 4)`` float array: ``neg, neu, pos, compound`` per text, in order.
    """
    check_option("core", core, _CORES)
    check_option("chunk_size", chunk_size, "an integer >= 1", ok=chunk_size >= 1)
    texts = list(texts)
    if not texts:
        return np.empty((0, 4))
    from tqdm.auto import tqdm

    bar = {"desc": "VADER scores", "unit": "chunk", "disable": not progress}
    if len(texts) < parallel_min or n_jobs == 1:
        if not progress:
            return _score_chunk(texts, core)
        step = max(1, min(chunk_size, -(-len(texts) // 50)))  # about 50 steps for the bar
        parts = [
            _score_chunk(texts[i : i + step], core) for i in tqdm(range(0, len(texts), step), **bar)
        ]
        return np.vstack(parts)
    from joblib import Parallel, delayed

    chunks = [texts[i : i + chunk_size] for i in range(0, len(texts), chunk_size)]
    if backend is None:
        backend = "multiprocessing" if "fork" in mp.get_all_start_methods() else "loky"
    check_option("backend", backend, _BACKENDS)
    if backend == "multiprocessing":
        get_analyzer(core)  # load the lexicons before forking, so each worker inherits them
    if not progress:
        run = Parallel(n_jobs=n_jobs, backend=backend)
        return np.vstack(run(delayed(_score_chunk)(c, core) for c in chunks))
    # the multiprocessing backend cannot yield results as they come: run the chunks in waves
    # on one pool and advance the bar after each wave
    parts = []
    with Parallel(n_jobs=n_jobs, backend=backend) as run, tqdm(total=len(chunks), **bar) as t:
        wave = 2 * max(1, run.n_jobs if run.n_jobs > 0 else os.cpu_count() or 1)
        for i in range(0, len(chunks), wave):
            parts.extend(run(delayed(_score_chunk)(c, core) for c in chunks[i : i + wave]))
            t.update(len(chunks[i : i + wave]))
    return np.vstack(parts)


def _sentence_cache() -> FrameCache:
    return FrameCache("vader-sentences", code_version())


def score_sentences(
    sentences: pd.DataFrame,
    *,
    core: Core = "fast",
    cache: bool | FrameCache = True,
    n_jobs: int = -1,
    chunk_size: int = 20_000,
    parallel_min: int = 40_000,
    backend: Backend | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Add VADER's ``neg, neu, pos, compound`` to a sentence (or span) table.

    Args:
        sentences: a frame with a ``text`` column, e.g. from :func:`framing.sentences`; every
            other column (offsets included) is kept as it is.
        core: ``"fast"`` or ``"vader"`` (same scores; see :func:`get_analyzer`).
        cache: ``True`` to read and write the on-disk cache (``framing.cache``), ``False`` to
            score everything afresh, or a :class:`framing.cache.FrameCache` to use.
        n_jobs, chunk_size, parallel_min, backend: see :func:`score_texts`.
        progress: show a progress bar while texts not in the cache are scored (see
            :func:`score_texts`); off by default. Scores are the same.

    Returns:
        A copy of ``sentences`` with four float columns added: ``neg, neu, pos`` (shares of the
        text's words that are negative, neutral, positive, rounded to 3 decimals) and
        ``compound`` (normalised sum of valences in [-1, 1], rounded to 4 decimals).

    Note:
        Each distinct text is scored once: the key is the sha256 of the text and the cache
        version names the vaderSentiment version and this code's version, so a rerun scores
        only new or changed sentences. VADER was built for social-media text; its lexicon and
        rules (negation, "but", capitals, "!") are applied to news prose here. Score sentences,
        never whole articles: VADER's compound saturates towards ±1 on long texts.

    References:
        Hutto & Gilbert (2014), VADER.
    """
    check_option("core", core, _CORES)
    if "text" not in sentences.columns:
        raise ValueError("sentences has no 'text' column")
    opts = {
        "core": core,
        "n_jobs": n_jobs,
        "chunk_size": chunk_size,
        "parallel_min": parallel_min,
        "backend": backend,
        "progress": progress,
    }
    if cache is False:
        vals = _score_distinct(_text_list(sentences), **opts)
    else:
        store = _sentence_cache() if cache is True else cache
        # the commonest rerun is the same sentences again: one key for the whole input, one read
        whole = texts_digest(sentences["text"])
        hit = store.get_frame(whole)
        if hit is not None and len(hit) == len(sentences):
            vals = hit[SCORE_COLUMNS].to_numpy(dtype="float64")
        else:
            vals = _score_distinct(_text_list(sentences), store=store, **opts)
            store.put_frame(whole, pd.DataFrame(vals, columns=SCORE_COLUMNS))
    return sentences.assign(**{col: vals[:, j] for j, col in enumerate(SCORE_COLUMNS)})


def _text_list(sentences: pd.DataFrame) -> np.ndarray:
    col = sentences["text"]
    if not pd.api.types.is_string_dtype(col) or col.isna().any():
        col = col.astype(str)  # (astype on a column that is already text copies it slowly)
    return col.to_numpy(dtype=object)


def _score_distinct(texts: np.ndarray, *, store: FrameCache | None = None, **opts) -> np.ndarray:
    """Scores per text, each distinct text scored once; with a store, only texts not in it."""
    codes, uniq = pd.factorize(np.asarray(texts, dtype=object))
    uniq = np.asarray(uniq, dtype=object)
    if store is None:
        return score_texts(uniq, **opts)[codes] if len(texts) else np.empty((0, 4))
    keys = np.array(content_keys(uniq), dtype=object)
    found = store.get(keys)
    table = np.empty((len(uniq), 4), dtype="float64")
    # object indexes: pandas' Arrow string isin/loc go through Python lists and are slow here
    pos = pd.Index(found.index.to_numpy(dtype=object), dtype=object).get_indexer(
        pd.Index(keys, dtype=object)
    )
    hit = pos >= 0
    if hit.any():
        table[hit] = found[SCORE_COLUMNS].to_numpy(dtype="float64")[pos[hit]]
    if (~hit).any():
        table[~hit] = score_texts(uniq[~hit], **opts)
        store.put(
            pd.DataFrame(table[~hit], index=pd.Index(keys[~hit], name="key"), columns=SCORE_COLUMNS)
        )
    return table[codes] if len(texts) else np.empty((0, 4))


# --------------------------------------------------------------------------------------------
# Narration versus quotation
# --------------------------------------------------------------------------------------------

SPAN_COLUMNS = ["doc_id", "sent_id", "span_id", "start", "end", "voice", "text"]


def quote_spans(
    sentences: pd.DataFrame, articles: pd.DataFrame, *, progress: bool = False
) -> pd.DataFrame:
    """Split each sentence into spans inside and outside quotation marks.

    Args:
        sentences: the sentence table (``doc_id, sent_id, start, end, text``).
        articles: the article table (``doc_id, text``) the sentences were cut from; it tells
            whether a sentence starts inside a quotation opened in an earlier sentence.
        progress: show a progress bar over the sentences (``tqdm.auto``, a live widget in
            JupyterLab); off by default and in headless report runs. The result is the same.

    Returns:
        ``doc_id, sent_id, span_id, start, end, voice, text``, then the sentence
        table's other columns (``para_id``, ``kind``, a grouping column …), one row per span; ``voice`` is ``"quotation"`` (the quotation
        marks included) or ``"narration"``. ``start``/``end`` are offsets into the article's
        ``text``, so ``article.text[start:end] == text``. Narration spans are trimmed of white
        space; spans without a letter or digit (a lone comma between two quotes) are dropped.

    Note:
        Quotations are the passages :func:`framing.text.quotemarks.quoted_spans` reads, the
        same ones :func:`framing.find_quotes` attributes: English, straight, German and French
        double marks (mixed ones too: “…"), a single curly pair ‘…’ only outside double marks
        and where it cannot be an apostrophe ("Xi’s" is not a quote), a straight mark glued
        inside a word (O"Brien) never. A quotation left open at a paragraph's end runs to it
        (news style re-opens it in the next paragraph). A quoted span is the speaker's words as
        the outlet chose to carry them; its tone is the speaker's, not the outlet's. Scare
        quotes ("peace") count as quotation too.
    """
    texts = dict(zip(articles["doc_id"], articles["text"], strict=True))
    regions: dict = {}
    rows = []
    starts, ends, docs = (sentences[c].to_numpy() for c in ("start", "end", "doc_id"))
    from tqdm.auto import tqdm

    bar = {"desc": "quotation spans", "unit": "sentence", "miniters": 1000}
    for row in tqdm(range(len(sentences)), disable=not progress, **bar):
        doc = docs[row]
        if doc not in regions:
            regions[doc] = quoted_regions(texts[doc])
            regions[doc] = (regions[doc], [q1 for _, q1 in regions[doc]])
        art = texts[doc]
        s0, s1 = int(starts[row]), int(ends[row])
        regs, reg_ends = regions[doc]
        pieces = []
        cur = s0
        # regions are in order and do not overlap: start from the first one ending after s0
        # (by index: a slice would copy every later region for every sentence, quadratic on
        # one long article)
        for k in range(bisect.bisect_right(reg_ends, s0), len(regs)):
            q0, q1 = regs[k]
            if q0 >= s1:
                break
            a, b = max(q0, s0), min(q1, s1)
            if a > cur:
                pieces.append((cur, a, "narration"))
            pieces.append((a, b, "quotation"))
            cur = b
        if cur < s1:
            pieces.append((cur, s1, "narration"))
        span_id = 0
        for a, b, voice in pieces:
            seg = art[a:b]
            lead = len(seg) - len(seg.lstrip())
            a, b = a + lead, a + len(seg.rstrip())
            seg = art[a:b]
            if not any(c.isalnum() for c in seg):
                continue
            rows.append((row, span_id, a, b, voice, seg))
            span_id += 1
    spans = pd.DataFrame(rows, columns=["_row", "span_id", "start", "end", "voice", "text"])
    rest = sentences.drop(columns=["start", "end", "text"]).reset_index(drop=True)
    first = [c for c in ("doc_id", "sent_id") if c in rest.columns]
    others = [c for c in rest.columns if c not in first]
    out = pd.concat(
        [
            rest.iloc[spans["_row"].to_numpy()][first].reset_index(drop=True),
            spans.drop(columns="_row"),
        ],
        axis=1,
    )
    for c in others:
        out[c] = rest[c].to_numpy()[spans["_row"].to_numpy()]
    return out.astype({c: "int64" for c in ("sent_id", "span_id", "start", "end") if c in out})


def score_spans(spans: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """VADER scores of each span from :func:`quote_spans` (same options as score_sentences)."""
    return score_sentences(spans, **kwargs)


# --------------------------------------------------------------------------------------------
# Summaries with bootstrap intervals
# --------------------------------------------------------------------------------------------


def _check_by(data: pd.DataFrame, by: str, units: str | None = None, ci: float = 0.95) -> None:
    check_option("ci", ci, "a number between 0 and 1", ok=0 < ci < 1)
    check_column(data, by, hint="add it with framing.join_articles")
    check_units(data, units)


def _unit_column(data: pd.DataFrame, units: str | None) -> str | None:
    # the column whose values are resampled: "auto" reads the articles (doc_id) when there is
    # such a column; a table without one resamples its rows
    if units == "auto":
        return UNIT_COLUMN if UNIT_COLUMN in data.columns else None
    return units


def outlet_sentiment(
    scored: pd.DataFrame,
    *,
    by: str = "outlet",
    thresholds: tuple[float, float] = (-0.05, 0.05),
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    units: str | None = "auto",
) -> pd.DataFrame:
    """Per group: mean compound with a bootstrap interval, and shares of each polarity.

    Args:
        scored: from :func:`score_sentences` (or :func:`score_spans`).
        by: the grouping column.
        thresholds: ``(neg, pos)``: compound ``<= neg`` is negative, ``>= pos`` positive, in
            between neutral (VADER's documented cut-offs are ±0.05).
        n_boot, ci, seed: replicates, coverage and seed of the percentile bootstrap
            (:func:`framing.stats.bootstrap`; each group seeded by its name).
        units: ``"auto"`` (default): per group, resample its articles (``doc_id``), then the
            sentences within them, when it has at least two articles; else its sentences (one
            article: the sentence bootstrap, too narrow; see Note). None: always sentences. A
            column name: its values, then the sentences within them
            (:func:`framing.stats.bootstrap`).

    Returns:
        ``by, n_sentences, mean_compound, ci_low, ci_high, share_positive, share_neutral,
        share_negative, resampled, n_units`` sorted by ``by``: ``resampled`` says what the
        group's interval resampled (``"articles"`` or ``"sentences"``) and ``n_units`` how many
        of them the group has.

    Note:
        Per sentence, not per article: a long article weighs more because it says more.
        Sentences of one article are not independent, so an interval that resamples sentences
        is too narrow; resampling articles (then sentences within them) treats the group's
        articles as the sample, which they are. With one article per group only the sentence
        interval exists, and a difference between groups describes those texts, not the
        outlets.
    """
    _check_by(scored, by, units, ci)
    lo, hi = thresholds
    check_option("thresholds", thresholds, "(neg, pos) with neg <= pos", ok=lo <= hi)
    col = _unit_column(scored, units)
    groups, jobs = [], []
    for name, g in scored.groupby(by, sort=True):
        c = g["compound"].to_numpy()
        u, resampled, n_units = resample_plan(
            units, None if col is None else g[col].to_numpy(), len(c)
        )
        groups.append((name, c, resampled, n_units))
        jobs.append({"values": c, "units": u, "label": name})
    found = bootstrap_many(jobs, n_boot=n_boot, level=ci, seed=seed)
    rows = []
    for (name, c, resampled, n_units), (mean, low, high) in zip(groups, found, strict=True):
        rows.append(
            (
                name,
                len(c),
                mean,
                low,
                high,
                (c >= hi).mean(),
                ((c > lo) & (c < hi)).mean(),
                (c <= lo).mean(),
                resampled,
                n_units,
            )
        )
    cols = [by, "n_sentences", "mean_compound", "ci_low", "ci_high",
            "share_positive", "share_neutral", "share_negative", "resampled", "n_units"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols).astype({"n_sentences": "int64", "n_units": "int64"})


def voice_sentiment(
    span_scores: pd.DataFrame,
    *,
    by: str = "outlet",
    thresholds: tuple[float, float] = (-0.05, 0.05),
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    units: str | None = "auto",
) -> pd.DataFrame:
    """Per group and voice (narration, quotation): the :func:`outlet_sentiment` of the spans.

    Args:
        span_scores: from :func:`score_spans` (one row per span, with a ``voice`` column).
        by, thresholds, n_boot, ci, seed, units: as in :func:`outlet_sentiment`.

    Returns:
        ``by, n_spans, mean_compound, ci_low, ci_high, share_positive, share_neutral,
        share_negative, resampled, n_units, voice``, sorted by voice then ``by``. ``n_spans``
        counts spans, not sentences: a sentence with a quotation in it gives a narration span
        and a quotation span (or more), so the counts of the two voices add up to more than
        the sentences. ``resampled`` is ``"articles"`` or ``"spans"``.

    Note:
        The mean of a group's whole sentences is not a weighted mean of its two voices' means:
        VADER scores each span on its own words, and its compound is a normalised sum, not an
        average, so a part scored alone is usually closer to 0 than the whole sentence it came from
        (a sentence of five positive words scores higher than each of two parts of it). The
        whole can therefore lie above (or below) both of its parts.
    """
    _check_by(span_scores, by, units, ci)
    if "voice" not in span_scores.columns:
        raise ValueError(
            f"span_scores has no 'voice' column; columns are {list(span_scores.columns)}"
        )
    parts = [
        outlet_sentiment(
            g, by=by, thresholds=thresholds, n_boot=n_boot, ci=ci, seed=seed, units=units
        )
        .rename(columns={"n_sentences": "n_spans"})
        .assign(voice=v)
        for v, g in span_scores.groupby("voice", sort=True)
    ]
    if not parts:
        cols = [by, "n_spans", "mean_compound", "ci_low", "ci_high", "share_positive",
                "share_neutral", "share_negative", "resampled", "n_units", "voice"]  # fmt: skip
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["resampled"] = out["resampled"].replace({"sentences": "spans"})
    return out


def actor_sentiment(
    scored: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    by: str = "outlet",
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
    units: str | None = "auto",
) -> pd.DataFrame:
    """Mean compound of the sentences that mention each actor, per group.

    Args:
        scored: from :func:`score_sentences` (needs ``doc_id, sent_id, start, text`` and the
            score columns).
        actors: from :func:`framing.load_actors` (default: the shipped table).
        by: the grouping column.
        n_boot, ci, seed, units: as in :func:`outlet_sentiment` (``"auto"``: per cell, the
            articles when the cell's sentences come from at least two).

    Returns:
        ``outlet`` (or ``by``), ``actor, n_sentences, mean_compound, ci_low, ci_high,
        resampled, n_units``, sorted by group then actor. A sentence counts once for each
        actor it mentions (by any alias), however many times it names them.

    Note:
        This is the tone of sentences that name an actor, not the tone towards the actor:
        "Putin condemned the attack" is negative and about the attack. Read the sentences
        (:func:`framing.actor_mentions` gives their offsets) before reading a cell.
    """
    _check_by(scored, by, units, ci)
    actors = load_actors() if actors is None else actors
    base = scored.reset_index(drop=True)
    m = actor_mentions(base[["doc_id", "sent_id", "start", "text"]], actors)
    m = m[["doc_id", "sent_id", "actor"]].drop_duplicates()
    keys = pd.MultiIndex.from_frame(base[["doc_id", "sent_id"]])
    rows = keys.get_indexer(pd.MultiIndex.from_frame(m[["doc_id", "sent_id"]]))
    col = _unit_column(scored, units)
    keep = [by, "compound"] + ([col] if col is not None and col != by else [])
    joined = base.loc[rows, keep].reset_index(drop=True)
    joined["actor"] = m["actor"].to_numpy()
    cells, jobs = [], []
    for (grp, actor), g in joined.groupby([by, "actor"], sort=True):
        c = g["compound"].to_numpy()
        u, resampled, n_units = resample_plan(
            units, None if col is None else g[col].to_numpy(), len(c)
        )
        cells.append((grp, actor, len(c), resampled, n_units))
        jobs.append({"values": c, "units": u, "label": f"{grp}|{actor}"})
    found = bootstrap_many(jobs, n_boot=n_boot, level=ci, seed=seed)
    rows = [(g, a, n, *est, r, k) for (g, a, n, r, k), est in zip(cells, found, strict=True)]
    cols = [by, "actor", "n_sentences", "mean_compound", "ci_low", "ci_high", "resampled",
            "n_units"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols).astype({"n_sentences": "int64", "n_units": "int64"})


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------


def extreme_sentences(scored: pd.DataFrame, *, n: int = 3, by: str = "outlet") -> pd.DataFrame:
    """The ``n`` most positive and ``n`` most negative sentences of each group, verbatim.

    Args:
        scored: from :func:`score_sentences`.
        n: sentences per direction and group.
        by: the grouping column.

    Returns:
        ``by, direction ("positive"|"negative"), rank, doc_id, sent_id, start, end, compound,
        text``; ties broken by doc_id then sent_id. Sentences with compound 0 are never listed.
    """
    _check_by(scored, by)
    check_option("n", n, "an integer >= 1", ok=n >= 1)
    keep = [by, "doc_id", "sent_id", "start", "end", "compound", "text"]
    keep = list(dict.fromkeys(keep))
    parts = []
    for direction, sign in (("positive", -1), ("negative", 1)):
        d = scored[keep].copy()
        d = d[d["compound"] * sign < 0]
        d["_k"] = d["compound"] * sign
        d = d.sort_values([by, "_k", "doc_id", "sent_id"], kind="mergesort")
        d = d.groupby(by, sort=True).head(n).drop(columns="_k")
        d.insert(1, "direction", direction)
        d.insert(2, "rank", d.groupby(by).cumcount() + 1)
        parts.append(d)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(
        [by, "direction", "rank"], ascending=[True, False, True], kind="mergesort"
    )
    return out.reset_index(drop=True)


def position_sentiment(
    scored: pd.DataFrame,
    *,
    bins: int = 5,
    by: str = "outlet",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    units: str | None = "auto",
) -> pd.DataFrame:
    """Mean compound by relative position of the sentence in its article.

    Args:
        scored: from :func:`score_sentences`; positions are counted among its rows of each
            article (pass body sentences only to ignore headings).
        bins: equal-width bins of relative position in [0, 1].
        by: the grouping column.
        n_boot, ci, seed, units: as in :func:`outlet_sentiment` (``"auto"``: per cell, the
            articles when the bin holds sentences of at least two).

    Returns:
        ``by, bin, position_low, position_high, n_sentences, mean_compound, ci_low, ci_high,
        resampled, n_units``.
        A sentence's relative position is ``(rank + 0.5) / n`` for the ``rank``-th of ``n``
        sentences of its article, so the first sentence of a 5-sentence article is at 0.1.
    """
    _check_by(scored, by, units, ci)
    check_option("bins", bins, "an integer >= 1", ok=bins >= 1)
    d = scored.sort_values(["doc_id", "sent_id"], kind="mergesort")
    rank = d.groupby("doc_id").cumcount()
    size = d.groupby("doc_id")["sent_id"].transform("size")
    rel = (rank + 0.5) / size
    b = np.minimum((rel * bins).astype(int), bins - 1)
    d = d.assign(bin=b.to_numpy())
    col = _unit_column(scored, units)
    cells, jobs = [], []
    for (grp, k), g in d.groupby([by, "bin"], sort=True):
        u, resampled, n_units = resample_plan(
            units, None if col is None else g[col].to_numpy(), len(g)
        )
        cells.append((grp, int(k), k / bins, (k + 1) / bins, len(g), resampled, n_units))
        jobs.append({"values": g["compound"].to_numpy(), "units": u, "label": f"{grp}|{k}"})
    found = bootstrap_many(jobs, n_boot=n_boot, level=ci, seed=seed)
    rows = [(*cell[:5], *est, *cell[5:]) for cell, est in zip(cells, found, strict=True)]
    cols = [by, "bin", "position_low", "position_high", "n_sentences", "mean_compound",
            "ci_low", "ci_high", "resampled", "n_units"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols).astype(
        {"bin": "int64", "n_sentences": "int64", "n_units": "int64"}
    )


# --------------------------------------------------------------------------------------------
# Plots (seaborn's shape: data in, Axes out, nothing saved or shown)
# --------------------------------------------------------------------------------------------
