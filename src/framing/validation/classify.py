"""Frame classifiers trained on coders' codes, checked by cross-validation, and the share of a
corpus's sentences in each frame with intervals that carry the classifier's error.

Features are the project's own tokens (word and bigram TF-IDF from :class:`framing.Analyzer`)
and the frame dictionary's hit counts (:func:`framing.frame_hits`), so a model can learn where
the dictionary's words mislead and where they are enough.
"""

from __future__ import annotations

__all__ = [
    "FrameModel",
    "fit_frame_model",
    "cross_validate_frames",
    "frame_prevalence",
    "dictionary_labels",
    "LEARNERS",
    "DEFAULT_LEARNER",
]

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..measures.frames import frame_hits, load_frames
from ..stats import group_rng
from ..text.tokens import Analyzer
from .coding import load_codes

Learner = Literal["logistic", "svm", "naive_bayes"]
LEARNERS = ("logistic", "svm", "naive_bayes")
DEFAULT_LEARNER = "svm"
Method = Literal["adjusted", "count"]
CV_COLUMNS = [
    "frame", "method", "n_units", "n_positive", "folds", "precision", "precision_sd",
    "recall", "recall_sd", "f1", "f1_sd", "roc_auc", "roc_auc_sd", "note",
]  # fmt: skip


def _allowed(arg: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{arg}={value!r} is not allowed; expected one of {list(allowed)}")


# ------------------------------------------------------------------------------ features


def _counts(texts: Sequence[str], vocabulary: dict | None = None):
    """Word and bigram counts with the project's tokenizer: (sparse matrix, vocabulary)."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=Analyzer((1, 2)), vocabulary=vocabulary, dtype=np.float64)
    if vocabulary is None:
        m = vec.fit_transform(texts)
        return m.tocsr(), vec.vocabulary_
    return vec.transform(texts).tocsr(), vocabulary


def _hits(texts: Sequence[str], dictionary: pd.DataFrame) -> np.ndarray:
    """Hits of every frame of the dictionary in each text: (texts × frames) counts."""
    names = list(dict.fromkeys(dictionary["frame"]))
    table = pd.DataFrame(
        {"doc_id": np.arange(len(texts)), "sent_id": 0, "start": 0, "text": list(texts)}
    )
    hits = frame_hits(table, dictionary)
    out = np.zeros((len(texts), len(names)))
    if len(hits):
        col = {f: k for k, f in enumerate(names)}
        np.add.at(out, (hits["doc_id"].to_numpy(int), hits["frame"].map(col).to_numpy(int)), 1)
    return out


@dataclass
class _Tfidf:
    """TF-IDF fitted on some rows of a count matrix: the same numbers as scikit-learn's
    ``TfidfVectorizer`` (smooth idf, l2 norm) fitted on those rows' texts, computed from counts
    taken once, so a bootstrap refit costs a column selection, not a new pass of the tokenizer."""

    columns: np.ndarray
    idf: np.ndarray

    @classmethod
    def fit(cls, counts: sp.csr_matrix) -> _Tfidf:
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        cols = np.flatnonzero(df > 0)
        n = counts.shape[0]
        return cls(cols, np.log((1 + n) / (1 + df[cols])) + 1)

    def transform(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize

        m = counts[:, self.columns] @ sp.diags(self.idf)
        return normalize(m.tocsr(), norm="l2")


def _design(tfidf: _Tfidf, counts: sp.csr_matrix, hits: np.ndarray) -> sp.csr_matrix:
    return sp.hstack([tfidf.transform(counts), sp.csr_matrix(np.log1p(hits))]).tocsr()


def _learner(name: str, seed: int):
    if name == "logistic":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            class_weight="balanced", C=1.0, solver="liblinear", random_state=seed
        )
    if name == "svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(class_weight="balanced", C=0.5, random_state=seed)
    from sklearn.naive_bayes import ComplementNB

    return ComplementNB(alpha=0.5)


def _scores(clf, x) -> np.ndarray:
    """A score in [0, 1] per row: the probability where the learner gives one, else the
    logistic of the SVM's decision value (a score, not a calibrated probability)."""
    if hasattr(clf, "predict_proba"):
        return clf.predict_proba(x)[:, list(clf.classes_).index(1)]
    return 1 / (1 + np.exp(-clf.decision_function(x)))


def _check_units(units: pd.DataFrame, frames: Sequence[str]) -> list[str]:
    if "text" not in units.columns:
        raise ValueError("units lacks a text column")
    frames = list(frames)
    if not frames:
        raise ValueError("frames is empty; name the 0/1 columns to learn")
    missing = [f for f in frames if f not in units.columns]
    if missing:
        raise ValueError(f"frames={frames!r}: columns {missing} are not in units")
    for f in frames:
        vals = set(pd.unique(units[f].dropna()))
        if not vals <= {0, 1}:
            raise ValueError(f"column {f!r} must hold 0/1 (NaN for no label), got {sorted(vals)}")
    return frames


def _fit_one(x, y, learner: str, seed: int):
    clf = _learner(learner, seed)
    clf.fit(x, y)
    return clf


# ------------------------------------------------------------------------------ the model


@dataclass
class FrameModel:
    """A trained frame classifier: one binary model per frame, from :func:`fit_frame_model`.

    Attributes:
        frames: the frames (columns of the training units) it predicts.
        learner: ``"logistic"``, ``"svm"`` or ``"naive_bayes"``.
        seed: the seed it was trained with.
        units: the training units (``text`` and the frame columns), kept so that
            :func:`frame_prevalence` can refit it on bootstrap resamples.
        positives: training positives per frame.
    """

    frames: list[str]
    learner: str
    seed: int
    units: pd.DataFrame
    positives: dict[str, int]
    dictionary: pd.DataFrame = field(repr=False)
    _vocab: dict = field(repr=False, default_factory=dict)
    _tfidf: dict = field(repr=False, default_factory=dict)
    _clf: dict = field(repr=False, default_factory=dict)

    def predict(self, units: pd.DataFrame) -> pd.DataFrame:
        """Predict every frame for ``units`` (a table with ``text``).

        Returns:
            The same rows in the same order (same index): ``<frame>`` (0/1: the score is at
            least 0.5) and ``<frame>_p`` (the score: the learner's probability; for the SVM,
            the logistic of its decision value) for each frame.
        """
        if "text" not in units.columns:
            raise ValueError("units lacks a text column")
        texts = units["text"].astype(str).tolist()
        counts, _ = _counts(texts, self._vocab)
        hits = _hits(texts, self.dictionary)
        out = pd.DataFrame(index=units.index)
        for f in self.frames:
            p = _scores(self._clf[f], _design(self._tfidf[f], counts, hits))
            out[f] = (p >= 0.5).astype("int64")
            out[f"{f}_p"] = p
        return out


def fit_frame_model(
    units: pd.DataFrame,
    *,
    frames: Sequence[str],
    learner: Learner = DEFAULT_LEARNER,
    seed: int = 0,
    dictionary: pd.DataFrame | str | Path | None = None,
) -> FrameModel:
    """Train one classifier per frame on coded units.

    Args:
        units: ``text`` and one 0/1 column per frame (e.g. the coders' majority,
            :func:`framing.majority_codes` with ``wide=True``, joined to the sample); NaN (a
            tie) leaves the unit out of that frame's training.
        frames: the frame columns to learn.
        learner: ``"svm"`` (default), ``"logistic"`` or ``"naive_bayes"``.
        seed: seed of the learner.
        dictionary: the frame dictionary whose hit counts are features (default: the shipped
            one).

    Returns:
        A :class:`FrameModel`; ``model.predict(units)`` gives ``<frame>`` and ``<frame>_p``.

    Raises:
        ValueError: a frame column is missing or not 0/1, or has fewer than two positive or
            two negative units (nothing to learn from).

    Note:
        Features: TF-IDF of words and bigrams as the report counts them (:class:`framing.Analyzer`:
        stop words removed, no bigram across punctuation), fitted on the training units
        (smooth idf, l2 norm), beside ``log(1 + hits)`` of every frame of the dictionary in the
        unit's text. The default learner is a linear SVM with class weights inversely
        proportional to class frequency (``LinearSVC(class_weight="balanced", C=0.5)``),
        chosen by cross-validation on the shipped AllSides sample (300 sentences, the coders'
        majority, 5 folds grouped by article; ``python -m framing.validation`` prints the
        table) against a logistic regression with the same weights (C = 1) and complement
        naive Bayes. On the three frames with enough positives (conflict, economic,
        responsibility) the SVM had the highest mean F1 with fold seeds 0, 1 and 2 (0.66,
        0.68, 0.66 against 0.64, 0.64, 0.61 for the logistic regression and 0.62, 0.63, 0.60
        for naive Bayes) and the highest ROC AUC in eight of the nine frame-and-seed pairs; the margins are
        smaller than the spread over folds, so the choice is a tie-break, not a finding. An
        SVM gives no probability: ``<frame>_p`` is the logistic of its decision value, a
        score whose 0.5 is the decision boundary, not a calibrated probability. With a few
        hundred coded sentences every learner is weak on rare frames, and on a frame as common
        as conflict (59% of the sample) labelling everything 1 has a higher F1 than any model:
        read :func:`cross_validate_frames` (F1 and ROC AUC beside both baselines) before any
        prevalence.
    """
    _allowed("learner", learner, LEARNERS)
    frames = _check_units(units, frames)
    dictionary = dictionary if isinstance(dictionary, pd.DataFrame) else load_frames(dictionary)
    texts = units["text"].astype(str).tolist()
    counts, vocab = _counts(texts)
    hits = _hits(texts, dictionary)
    model = FrameModel(frames, learner, seed, units.copy(), {}, dictionary, vocab)
    for f in frames:
        y = units[f].to_numpy(dtype=float)
        ok = ~np.isnan(y)
        pos, neg = int((y[ok] == 1).sum()), int((y[ok] == 0).sum())
        if pos < 2 or neg < 2:
            raise ValueError(
                f"frame {f!r} has {pos} positive and {neg} negative units: too few to learn from"
            )
        rows = np.flatnonzero(ok)
        tf = _Tfidf.fit(counts[rows])
        model._tfidf[f] = tf
        model._clf[f] = _fit_one(
            _design(tf, counts[rows], hits[rows]), y[rows].astype(int), learner, seed
        )
        model.positives[f] = pos
    return model


# ------------------------------------------------------------------------------ labels


def _frame_of(codes, frames: Sequence[str]) -> dict[str, str]:
    table = load_codes(codes if codes is not None else list(frames))
    mapping = dict(zip(table["code"], table["frame"], strict=True))
    out = {}
    for f in frames:
        if not mapping.get(f):
            raise ValueError(f"code {f!r} is not mapped to a frame of the dictionary; pass codes=")
        out[f] = mapping[f]
    return out


def dictionary_labels(
    units: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    codes=None,
    dictionary: pd.DataFrame | str | Path | None = None,
) -> pd.DataFrame:
    """The dictionary's label of each unit for each frame code: 1 when the unit's text has at
    least one hit of the code's frame.

    Args:
        units: ``unit_id`` (kept when present) and ``text``.
        frames: the frame codes to label (default: every code of ``codes`` that is a frame).
        codes: anything :func:`framing.load_codes` reads, mapping each code to its frame.
        dictionary: the frame dictionary (default: the shipped one).

    Returns:
        ``[unit_id,] <code>…`` (0/1) and ``<code>_hits`` (hit counts), one row per unit in
        order: the wide table :func:`framing.agreement_with` reads.
    """
    dictionary = dictionary if isinstance(dictionary, pd.DataFrame) else load_frames(dictionary)
    if frames is None:
        table = load_codes(codes)
        frames = [c for c, f in zip(table["code"], table["frame"], strict=True) if f]
    mapping = _frame_of(codes, frames)
    names = list(dict.fromkeys(dictionary["frame"]))
    hits = _hits(units["text"].astype(str).tolist(), dictionary)
    out = pd.DataFrame(index=units.index)
    if "unit_id" in units.columns:
        out["unit_id"] = units["unit_id"]
    for f in frames:
        h = hits[:, names.index(mapping[f])]
        out[f] = (h > 0).astype("int64")
        out[f"{f}_hits"] = h.astype("int64")
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------------ cross-validation


def _metrics(y: np.ndarray, pred: np.ndarray, score: np.ndarray) -> tuple[float, ...]:
    from sklearn.metrics import roc_auc_score

    tp = float((pred & y).sum())
    fp, fn = float(pred.sum()) - tp, float(y.sum()) - tp
    p = tp / (tp + fp) if tp + fp else np.nan
    r = tp / (tp + fn) if tp + fn else np.nan
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    auc = roc_auc_score(y, score) if 0 < y.sum() < len(y) else np.nan
    return p, r, f, auc


def _splits(y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int):
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if groups is not None:
        return list(
            StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(y, y, groups)
        )
    return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(y, y))


def cross_validate_frames(
    units: pd.DataFrame,
    *,
    frames: Sequence[str],
    folds: int = 5,
    seed: int = 0,
    learners: Sequence[Learner] = (DEFAULT_LEARNER,),
    codes=None,
    dictionary: pd.DataFrame | str | Path | None = None,
    group: str | None = "doc_id",
) -> pd.DataFrame:
    """Cross-validated precision, recall, F1 and ROC AUC of frame models, beside two baselines.

    Args:
        units: ``text`` and one 0/1 column per frame (NaN: no label), as for
            :func:`fit_frame_model`.
        frames: the frame columns.
        folds: folds of the cross-validation.
        seed: seed of the folds and learners.
        learners: the learners to compare (``"logistic"``, ``"svm"``, ``"naive_bayes"``).
        codes: anything :func:`framing.load_codes` reads, mapping each frame column to its
            dictionary frame for the dictionary baseline (default: the columns are frame names).
        dictionary: the frame dictionary (default: the shipped one).
        group: a column whose units are kept in one fold (default ``doc_id``: sentences of one
            article are never both trained on and tested), or None.

    Returns:
        ``frame, method, n_units, n_positive, folds, precision, precision_sd, recall,
        recall_sd, f1, f1_sd, roc_auc, roc_auc_sd, note``: for each frame, one row per learner
        and one for each baseline, ``"always yes"`` (every unit labelled 1: recall 1,
        precision the prevalence, AUC 0.5) and ``"dictionary"`` (1 when the unit has at least
        one hit of the frame's terms; AUC from the hit count). Values are means over folds,
        ``_sd`` their standard deviation. Every model is fitted (TF-IDF included) on the
        training folds only.

    Note:
        A frame with fewer positive (or negative) units than ``folds`` cannot be
        cross-validated: its rows are kept, with NaN scores and a ``note`` saying so ("too few
        positives: 3 for 5 folds"), never dropped. A fold without a positive unit has no
        recall or AUC; means are over the folds where a score exists. With a few hundred
        units, the spread over folds is as informative as the mean.
    """
    for lr in learners:
        _allowed("learners", lr, LEARNERS)
    if isinstance(folds, bool) or not isinstance(folds, int) or folds < 2:
        raise ValueError(f"folds={folds!r} is not allowed; expected an integer >= 2")
    frames = _check_units(units, frames)
    if group is not None and group not in units.columns:
        raise ValueError(
            f"group={group!r} is not a column of units; columns: {list(units.columns)}"
        )
    dictionary = dictionary if isinstance(dictionary, pd.DataFrame) else load_frames(dictionary)
    mapping = _frame_of(codes, frames)
    names = list(dict.fromkeys(dictionary["frame"]))
    texts = units["text"].astype(str).tolist()
    counts, _ = _counts(texts)
    hits = _hits(texts, dictionary)
    methods = [*learners, "always yes", "dictionary"]
    rows = []
    for f in frames:
        y_all = units[f].to_numpy(dtype=float)
        ok = np.flatnonzero(~np.isnan(y_all))
        y = y_all[ok].astype(int)
        pos, neg = int(y.sum()), int(len(y) - y.sum())
        if min(pos, neg) < folds:
            which = "positives" if pos < folds else "negatives"
            note = f"too few {which}: {min(pos, neg)} for {folds} folds"
            rows += [(f, m, len(y), pos, folds, *[np.nan] * 8, note) for m in methods]
            continue
        groups = units[group].to_numpy()[ok] if group is not None else None
        split = _splits(y, groups, folds, seed)
        scores = {m: [] for m in methods}
        h = hits[ok, names.index(mapping[f])]
        for train, test in split:
            c_tr, c_te = counts[ok[train]], counts[ok[test]]
            for lr in learners:
                tf = _Tfidf.fit(c_tr)
                clf = _fit_one(_design(tf, c_tr, hits[ok[train]]), y[train], lr, seed)
                s = _scores(clf, _design(tf, c_te, hits[ok[test]]))
                scores[lr].append(_metrics(y[test].astype(bool), s >= 0.5, s))
            yt = y[test].astype(bool)
            scores["always yes"].append(_metrics(yt, np.ones(len(yt), bool), np.ones(len(yt))))
            scores["dictionary"].append(_metrics(yt, h[test] > 0, h[test]))
        for m in methods:
            a = np.array(scores[m], dtype=float)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a score missing in every fold
                mean = np.nanmean(a, axis=0)
                sd = np.nanstd(a, axis=0, ddof=1)
            rows.append((f, m, len(y), pos, folds, mean[0], sd[0], mean[1], sd[1], mean[2], sd[2],
                         mean[3], sd[3], ""))  # fmt: skip
    out = pd.DataFrame(rows, columns=CV_COLUMNS)
    return out.astype({"n_units": "int64", "n_positive": "int64", "folds": "int64"})


# ------------------------------------------------------------------------------ prevalence

PREVALENCE_COLUMNS = [
    "frame", "n_articles", "n_sentences", "labelled", "prevalence", "ci_low", "ci_high",
    "tpr", "fpr", "n_boot", "method",
]  # fmt: skip


def _oof_rates(counts, hits, y, learner, seed, folds=5) -> tuple[float, float]:
    """True and false positive rates of the learner's out-of-fold labels on the coded units."""
    from sklearn.model_selection import StratifiedKFold

    k = max(2, min(folds, int(y.sum()), int(len(y) - y.sum())))
    pred = np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(k, shuffle=True, random_state=seed).split(y, y):
        tf = _Tfidf.fit(counts[train])
        clf = _fit_one(_design(tf, counts[train], hits[train]), y[train], learner, seed)
        pred[test] = _scores(clf, _design(tf, counts[test], hits[test])) >= 0.5
    yb = y.astype(bool)
    return float(pred[yb].mean()), float(pred[~yb].mean())


def _adjust(q, tpr: float, fpr: float):
    """Adjusted classify-and-count (Forman 2008): the share q labelled 1 corrected for the
    classifier's error rates; NaN where the classifier cannot tell the classes apart."""
    if not tpr - fpr > 0.05:
        return np.full(np.shape(q), np.nan)
    return np.clip((np.asarray(q, dtype=float) - fpr) / (tpr - fpr), 0.0, 1.0)


def frame_prevalence(
    model_or_units: FrameModel | pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    by: str = "outlet",
    method: Method = "adjusted",
    learner: Learner = DEFAULT_LEARNER,
    n_boot: int = 200,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """The share of each group's sentences in each frame, from a trained model, with intervals
    that carry both the classifier's error and the sampling of articles.

    Args:
        model_or_units: a :class:`FrameModel` (its training units and learner are used) or the
            coded units (``text`` and 0/1 frame columns) to train on.
        sentences: the corpus sentences to measure: ``doc_id``, ``text`` and ``by`` (e.g. the
            body sentences with the outlet joined, :meth:`framing.Analysis.body`).
        frames: the frames (default: the model's; required with units).
        by: the group column.
        method: ``"adjusted"`` (default: the share labelled 1 corrected for the classifier's
            true and false positive rates) or ``"count"`` (the share labelled 1 as it is).
        learner: the learner when training on units (see :func:`fit_frame_model`).
        n_boot: bootstrap replicates (at least 1; 200 by default).
        ci: coverage of the percentile interval.
        seed: seed of the replicates.

    Returns:
        ``<by>, frame, n_articles, n_sentences, labelled, prevalence, ci_low, ci_high, tpr,
        fpr, n_boot, method``: ``labelled`` is the share of the group's sentences the model
        fitted on every coded unit labels 1; ``prevalence`` is that share adjusted (or equal to
        it with ``method="count"``); ``tpr``/``fpr`` are the model's true and false positive
        rates estimated by 5-fold cross-validation on the coded units; ``n_boot`` counts the
        replicates that gave a value.

    Note:
        Each replicate (1) resamples the coded units with replacement and refits the whole
        model on them (TF-IDF included), (2) estimates its true and false positive rates on
        the coded units the resample left out (out of bag), (3) resamples each group's
        articles with replacement (all of an article's sentences together) and takes the share
        of their sentences the refitted model labels 1, and (4) adjusts it:
        ``(share - fpr) / (tpr - fpr)``, clipped to [0, 1] (Forman 2008; Hopkins & King 2010
        on why raw classify-and-count is biased when a classifier errs). The interval is the
        percentiles of the replicates, so it widens when the coded sample is small or the
        classifier unreliable, not only when a group has few articles. Where ``tpr - fpr`` is
        0.05 or less the classifier does not tell the classes apart and the adjusted share is
        NaN. The sentences measured should be like the coded ones (same kind of text, same
        topics): the error rates are those of the coded sample.

    References:
        Forman, G. (2008). Quantifying counts and costs via classification. Data Mining and
        Knowledge Discovery, 17(2), 164–206. Hopkins, D. J., & King, G. (2010). A method of
        automated nonparametric content analysis for social science. American Journal of
        Political Science, 54(1), 229–247.
    """
    _allowed("method", method, ("adjusted", "count"))
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 1:
        raise ValueError(f"n_boot={n_boot!r} is not allowed; expected an integer >= 1")
    if not 0 < ci < 1:
        raise ValueError(f"ci={ci!r} is not allowed; expected a number between 0 and 1")
    if isinstance(model_or_units, FrameModel):
        units, learner = model_or_units.units, model_or_units.learner
        frames = list(frames) if frames is not None else model_or_units.frames
        dictionary = model_or_units.dictionary
    else:
        _allowed("learner", learner, LEARNERS)
        if frames is None:
            raise ValueError("frames is required when model_or_units is a table of units")
        units, dictionary = model_or_units, load_frames()
    frames = _check_units(units, frames)
    for c in ("doc_id", "text", by):
        if c not in sentences.columns:
            raise ValueError(f"sentences lacks the column {c!r}")
    model = fit_frame_model(units, frames=frames, learner=learner, seed=seed, dictionary=dictionary)
    u_texts = units["text"].astype(str).tolist()
    u_counts, _ = _counts(u_texts, model._vocab)
    u_hits = _hits(u_texts, dictionary)
    s_texts = sentences["text"].astype(str).tolist()
    s_counts, _ = _counts(s_texts, model._vocab)
    s_hits = _hits(s_texts, dictionary)
    groups = sentences[by].astype(str).to_numpy()
    docs = sentences["doc_id"].to_numpy()
    names = sorted(set(groups))
    # per group: each sentence's article (as 0..n_articles-1) and the sentences per article
    art_of, n_per_art = {}, {}
    for g in names:
        codes, _ = pd.factorize(docs[groups == g])
        art_of[g] = codes
        n_per_art[g] = np.bincount(codes).astype(float)
    alpha = (1 - ci) / 2
    rows = []
    for f in frames:
        y_all = units[f].to_numpy(dtype=float)
        ok = np.flatnonzero(~np.isnan(y_all))
        y = y_all[ok].astype(int)
        labels = _scores(model._clf[f], _design(model._tfidf[f], s_counts, s_hits)) >= 0.5
        tpr, fpr = _oof_rates(u_counts[ok], u_hits[ok], y, learner, seed)
        rng = group_rng(seed, f)
        boot = {g: [] for g in names}
        for _ in range(n_boot):
            draw = rng.integers(0, len(ok), size=len(ok))
            yb = y[draw]
            oob = np.setdiff1d(np.arange(len(ok)), draw)
            if min(yb.sum(), len(yb) - yb.sum()) < 2:
                continue  # a resample with almost no positives: nothing to learn
            tf = _Tfidf.fit(u_counts[ok[draw]])
            clf = _fit_one(_design(tf, u_counts[ok[draw]], u_hits[ok[draw]]), yb, learner, seed)
            if method == "adjusted":
                yo = y[oob].astype(bool)
                if yo.sum() == 0 or (~yo).sum() == 0:
                    continue
                po = _scores(clf, _design(tf, u_counts[ok[oob]], u_hits[ok[oob]])) >= 0.5
                t_b, f_b = float(po[yo].mean()), float(po[~yo].mean())
            lab_b = _scores(clf, _design(tf, s_counts, s_hits)) >= 0.5
            for g in names:
                sel = groups == g
                pos_art = np.bincount(art_of[g], weights=lab_b[sel], minlength=len(n_per_art[g]))
                a = rng.integers(0, len(n_per_art[g]), size=len(n_per_art[g]))
                q = pos_art[a].sum() / n_per_art[g][a].sum()
                boot[g].append(float(_adjust(q, t_b, f_b)) if method == "adjusted" else q)
        for g in names:
            sel = groups == g
            q = float(labels[sel].mean())
            est = float(_adjust(q, tpr, fpr)) if method == "adjusted" else q
            b = np.array(boot[g], dtype=float)
            b = b[~np.isnan(b)]
            lo, hi = np.quantile(b, [alpha, 1 - alpha]) if len(b) else (np.nan, np.nan)
            rows.append((g, f, len(n_per_art[g]), int(sel.sum()), q, est, float(lo), float(hi),
                         tpr, fpr, len(b), method))  # fmt: skip
    out = pd.DataFrame(rows, columns=[by, *PREVALENCE_COLUMNS])
    return out.astype({"n_articles": "int64", "n_sentences": "int64", "n_boot": "int64"})
