"""Frames by dictionary: which aspects of the event each sentence makes salient.

A frame is a list of terms (``framing/data/frames.toml``). Every hit is a row with its offsets
in the article, so each rate can be traced to the sentences it came from.
"""

from __future__ import annotations

__all__ = [
    "load_frames",
    "frame_columns",
    "frame_hits",
    "frame_scores",
    "frame_pattern",
    "FRAME_N_BOOT",
]

import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CorpusError, check_column, check_option
from ..stats import UNIT_COLUMN, bootstrap_ratios, check_units, group_rng, resample_plan
from ..text.tries import trie_regex
from ..text.words import count_words_many, word_runs

FRAME_COLUMNS = ["frame", "kind", "term", "description"]
HIT_COLUMNS = ["doc_id", "sent_id", "start", "end", "frame", "term", "text", "match"]
SCORE_COLUMNS = ["frame", "hits", "words", "per_1000", "ci_low", "ci_high", "resampled", "n_units"]
DEFAULT_FRAMES = "framing/data/frames.toml"
# Bootstrap replicates of the frame rates' intervals: the one default of frame_scores, of
# framing analyze (analyze_corpus) and of the notebooks, so they all report the same interval.
FRAME_N_BOOT = 1000

# Apostrophes that mean the same thing in running text.
_APOSTROPHES = "'’‘ʼ"
# Text separating sentences when they are scanned together: neither a word character nor white
# space, so no term or phrase can match across two sentences.
_SEP = "\x00"
# Characters of sentences scanned in one piece.
CHUNK_CHARS = 4_000_000


def _check_term(term: object, frame: str) -> str | None:
    """The problem with one term, or None."""
    if not isinstance(term, str):
        return f"frame {frame!r}: term {term!r} is not a string"
    if not term.strip():
        return f"frame {frame!r}: empty term"
    for word in term.split():
        core = word[:-1] if word.endswith("*") else word
        if "*" in core:
            return f"frame {frame!r}: term {term!r} has '*' that does not end a word"
        if not core or not re.search(r"\w", core):
            return f"frame {frame!r}: term {term!r} has a word without letters or digits"
    if not re.match(r"\w", term.strip()):
        return f"frame {frame!r}: term {term!r} does not start with a letter or digit"
    return None


def _frames_from_toml(text: str, where: str) -> pd.DataFrame:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"frame dictionary is not valid TOML: {e}", file=where) from e
    tables = data.get("frame")
    if not isinstance(tables, list) or not tables:
        raise CorpusError("frame dictionary has no [[frame]] tables", file=where)
    rows = []
    for i, t in enumerate(tables, start=1):
        name = t.get("frame")
        if not isinstance(name, str) or not name.strip():
            raise CorpusError(f"[[frame]] number {i} lacks a 'frame' name", file=where)
        terms = t.get("terms")
        if not isinstance(terms, list) or not terms:
            raise CorpusError(f"frame {name!r} lacks a non-empty list 'terms'", file=where)
        unknown = set(t) - {"frame", "kind", "description", "terms"}
        if unknown:
            raise CorpusError(f"frame {name!r} has unknown fields {sorted(unknown)}", file=where)
        for term in terms:
            rows.append(
                (name.strip(), str(t.get("kind", "custom")), term, str(t.get("description", "")))
            )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def _frames_from_csv(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise CorpusError(f"frame dictionary is not a readable CSV: {e}", file=path) from e
    missing = [c for c in ("frame", "term") if c not in table.columns]
    if missing:
        raise CorpusError(f"frame dictionary lacks columns {missing}", file=path)
    for col, default in (("kind", "custom"), ("description", "")):
        if col not in table.columns:
            table[col] = default
    empty = table.index[table["frame"].str.strip() == ""]
    if len(empty):
        raise CorpusError("empty frame name", file=path, row=int(empty[0]) + 2)
    return table[FRAME_COLUMNS].assign(frame=table["frame"].str.strip())


def _validate(frames: pd.DataFrame, where: str) -> pd.DataFrame:
    for frame, term in frames[["frame", "term"]].itertuples(index=False):
        problem = _check_term(term, frame)
        if problem:
            raise CorpusError(problem, file=where)
    frames = frames.assign(term=frames["term"].str.strip())
    key = frames["frame"] + "\x00" + frames["term"].str.lower()
    dup = frames[key.duplicated()]
    if len(dup):
        pairs = list(dup[["frame", "term"]].itertuples(index=False, name=None))
        raise CorpusError(f"terms listed twice in one frame: {pairs}", file=where)
    return frames.reset_index(drop=True)


def load_frames(path: str | Path | None = None) -> pd.DataFrame:
    """Read a frame dictionary: one row per (frame, term).

    Args:
        path: a TOML file with ``[[frame]]`` tables (fields ``frame``, ``kind``,
            ``description``, ``terms``) or a CSV with columns ``frame, kind, term, description``.
            The default is the dictionary shipped for the case study,
            ``framing/data/frames.toml``: the five generic news frames of Semetko & Valkenburg
            (2000) and five issue frames of the Xi–Putin summit. Its header documents the term
            syntax.

    Returns:
        ``frame, kind, term, description``, frames in file order, terms in file order.

    Raises:
        CorpusError: (a ValueError) naming the file and the problem: not valid TOML or CSV, no
            frames, a frame without a name or terms, an unknown field, a ``*`` that does not end
            a word, an empty term, a term listed twice in one frame.

    Note:
        A term matches case-insensitively as whole words; straight and curly apostrophes match
        each other; a final ``*`` on a word matches any further letters ("sanction*"). A
        dictionary counts words, not meanings: read the hits before the rates.

    References:
        Semetko, H. A., & Valkenburg, P. M. (2000). Framing European politics: A content
        analysis of press and television news. Journal of Communication, 50(2), 93–109.
    """
    if path is None:
        text = resources.files("framing").joinpath("data/frames.toml").read_text("utf-8")
        return _validate(_frames_from_toml(text, DEFAULT_FRAMES), DEFAULT_FRAMES)
    p = Path(path)
    if not p.is_file():
        raise CorpusError("frame dictionary not found", file=p)
    suffix = p.suffix.lower()
    if suffix == ".toml":
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise CorpusError(f"frame dictionary is not UTF-8: {e}", file=p) from e
        frames = _frames_from_toml(text, str(p))
    elif suffix == ".csv":
        frames = _frames_from_csv(p)
    else:
        raise CorpusError(f"frame dictionary must be .toml or .csv, got {suffix!r}", file=p)
    return _validate(frames, str(p))


def _units(term: str) -> list[str]:
    """A lower-cased term as a list of regex pieces, one per character (see frames.toml)."""
    out = []
    for word_i, word in enumerate(term.lower().split()):
        if word_i:
            out.append(r"\s+")
        star = word.endswith("*")
        for ch in word[:-1] if star else word:
            if ch in _APOSTROPHES:
                out.append(f"[{_APOSTROPHES}]")
            elif ch == "-":
                out.append("[-‐‑]")
            else:
                out.append(re.escape(ch))
        if star:
            out.append(r"\w*")
    return out


def _head(term: str) -> tuple[str, bool]:
    """The first run of letters and digits of a term, lower-cased, and whether a ``*`` follows
    it (then a word of the text need only start with it)."""
    low = term.lower()
    m = re.match(r"\w+", low)
    head = m.group()
    return head, low[len(head) : len(head) + 1] == "*"


class _Matcher:
    """Finds the hits of every frame of a dictionary in one text.

    One pass of a regex over the heads of all terms finds the words where some term could start;
    only there is each frame's own regex tried. Matches equal those of ``finditer`` with each
    frame's regex alone (non-overlapping, leftmost, longer continuation first).
    """

    def __init__(self, frames: pd.DataFrame, flags: int = 0):
        self.names = list(dict.fromkeys(frames["frame"]))
        self.terms = [tuple(frames.loc[frames["frame"] == f, "term"]) for f in self.names]
        self.frame_re = [
            re.compile(trie_regex([_units(t) for t in ts]) + r"(?!\w)", flags) for ts in self.terms
        ]
        # longest term first: the one reported when two terms match the same words
        self.term_re = [
            [
                (t, re.compile(trie_regex([_units(t)]), flags))
                for t in sorted(ts, key=lambda t: (-len(t), t))
            ]
            for ts in self.terms
        ]
        heads = {_head(t) for ts in self.terms for t in ts}
        head_units = [[re.escape(h)] + ([r"\w*"] if star else []) for h, star in heads]
        self.head_re = re.compile(r"(?<!\w)" + trie_regex(head_units) + r"(?!\w)", flags)
        self.exact = [{h for h, star in map(_head, ts) if not star} for ts in self.terms]
        self.prefix = [tuple(h for h, star in map(_head, ts) if star) for ts in self.terms]
        self._cand: dict[str, list[int]] = {}
        self._term: dict[tuple[int, str], str] = {}

    def _heads(self, text: str):
        """(position, word) of every word of ``text`` where a term may start: the matches of
        ``head_re``, found as the words (runs of ``\\w``, in numpy) whose candidates are not
        empty, which is faster than running ``head_re`` over the text."""
        runs = word_runs(text)
        if runs is None:  # the class table and the regex disagree: never seen
            return ((m.start(), m.group()) for m in self.head_re.finditer(text))
        starts, words = runs
        if not words:
            return []
        codes, uniq = pd.factorize(np.asarray(words, dtype=object))
        ok = np.fromiter((bool(self.candidates(u)) for u in uniq), dtype=bool, count=len(uniq))
        at = np.flatnonzero(ok[codes])
        heads = np.asarray(uniq, dtype=object)[codes[at]].tolist()
        return zip(starts[at].tolist(), heads, strict=True)

    def candidates(self, word: str) -> list[int]:
        got = self._cand.get(word)
        if got is None:
            low = word.lower()
            got = [
                k
                for k in range(len(self.names))
                if low in self.exact[k] or low.startswith(self.prefix[k])
            ]
            self._cand[word] = got
        return got

    def term_of(self, k: int, matched: str) -> str:
        key = (k, matched)
        got = self._term.get(key)
        if got is None:
            got = next(t for t, r in self.term_re[k] if r.fullmatch(matched))
            self._term[key] = got
        return got

    def scan(self, text: str):
        """Yield (frame index, term, start, end) in order of position, then frame."""
        last_end = [0] * len(self.names)
        for p, word in self._heads(text):
            for k in self.candidates(word):
                if p < last_end[k]:
                    continue
                m = self.frame_re[k].match(text, p)
                if m:
                    last_end[k] = m.end()
                    yield k, self.term_of(k, m.group()), p, m.end()


@lru_cache(maxsize=16)
def _matcher(key: tuple[tuple[str, str], ...], flags: int) -> _Matcher:
    return _Matcher(pd.DataFrame(list(key), columns=["frame", "term"]), flags)


def frame_pattern(frames: pd.DataFrame, frame: str) -> re.Pattern:
    """The compiled regex of one frame of ``frames``, for lower-cased text (a match must start
    at the beginning of a word)."""
    key = tuple(frames[["frame", "term"]].itertuples(index=False, name=None))
    m = _matcher(key, 0)
    return m.frame_re[m.names.index(frame)]


def _resolve(frames: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    if frames is None or isinstance(frames, str | Path):
        return load_frames(frames)
    if not isinstance(frames, pd.DataFrame):
        raise ValueError(
            f"frames={type(frames).__name__} is not allowed; use a DataFrame from load_frames, a "
            "path or None"
        )
    missing = [c for c in ("frame", "term") if c not in frames.columns]
    if missing:
        raise ValueError(f"frames lacks columns {missing}; use load_frames()")
    return _validate(frames, "frames argument")


def _body(sentences: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("doc_id", "sent_id", "start", "text") if c not in sentences]
    if missing:
        raise ValueError(f"sentences lacks columns {missing}; use framing.sentences(articles)")
    if "kind" in sentences.columns:
        sentences = sentences[sentences["kind"] == "body"]
    return sentences


def _scan(texts: list[str], frames: pd.DataFrame):
    """Yield (frame, term, sentence index, start in sentence, end in sentence, matched text).

    Sentences are scanned joined into chunks of about ``CHUNK_CHARS`` characters (few regex
    calls, bounded memory).
    """
    key = tuple(frames[["frame", "term"]].itertuples(index=False, name=None))
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths + 1)
    cuts = np.searchsorted(
        ends, np.arange(CHUNK_CHARS, int(ends[-1]) if len(ends) else 0, CHUNK_CHARS)
    )
    bounds = [0, *np.unique(cuts + 1).tolist(), len(texts)]
    for c0, c1 in zip(bounds[:-1], bounds[1:], strict=True):
        if c1 <= c0:
            continue
        chunk = texts[c0:c1]
        joined = _SEP.join(chunk)
        low = joined.lower()
        # lower() never shortens a character, so equal lengths mean equal offsets; otherwise
        # (rare letters such as "İ") match the original text case-insensitively
        flags = 0
        if len(low) != len(joined):
            low, flags = joined, re.IGNORECASE
        matcher = _matcher(key, flags)
        found = list(matcher.scan(low))
        if not found:
            continue
        starts = np.concatenate([[0], np.cumsum(lengths[c0:c1] + 1)[:-1]])
        pos = np.fromiter((f[2] for f in found), dtype=np.int64, count=len(found))
        idx = np.searchsorted(starts, pos, side="right") - 1
        for (k, term, s, e), i in zip(found, idx.tolist(), strict=True):
            b = int(starts[i])
            yield matcher.names[k], term, c0 + i, s - b, e - b, joined[s:e]


def frame_hits(
    sentences: pd.DataFrame, frames: pd.DataFrame | str | Path | None = None
) -> pd.DataFrame:
    """Every hit of every frame term, with its sentence and its offsets in the article.

    Args:
        sentences: the sentence table from :func:`framing.sentences`. Only ``kind == "body"``
            sentences are read (headings are section titles, not the outlet's sentences).
        frames: from :func:`load_frames`, a path to a dictionary file, or None for the shipped
            dictionary.

    Returns:
        ``doc_id, sent_id, start, end, frame, term, text, match``: one row per hit.
        ``start``/``end`` are offsets of the matched words in the ARTICLE's ``text`` (the
        sentence's start plus the offset inside it), so ``article.text[start:end] == match``;
        ``term`` is the dictionary entry that matched (e.g. ``"sanction*"``), ``match`` the
        words as written, ``text`` the whole sentence. Rows are in article, sentence and
        position order; frames in dictionary order at one position.

    Note:
        A dictionary counts words, not meanings: a hit says the sentence uses a frame's
        vocabulary, not that the outlet adopts the frame (a denial or a quoted speaker hits
        too). Within one frame matches do not overlap and the longest term wins; one word may
        hit two frames.
    """
    frames = _resolve(frames)
    body = _body(sentences)
    texts = body["text"].tolist()
    meta = body[["doc_id", "sent_id", "start"]].to_numpy(dtype=object)
    rows = []
    for frame, term, i, s, e, txt in _scan(texts, frames):
        doc_id, sent_id, base = meta[i]
        rows.append((doc_id, sent_id, base + s, base + e, frame, term, texts[i], txt))
    out = pd.DataFrame(rows, columns=HIT_COLUMNS)
    order = {f: k for k, f in enumerate(dict.fromkeys(frames["frame"]))}
    doc_order = {d: k for k, d in enumerate(dict.fromkeys(body["doc_id"]))}
    out = out.assign(_d=out["doc_id"].map(doc_order), _f=out["frame"].map(order)).sort_values(
        ["_d", "start", "_f"], kind="stable"
    )
    out = out.drop(columns=["_d", "_f"]).reset_index(drop=True)
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})


def _hit_counts(body: pd.DataFrame, frames: pd.DataFrame, hits: pd.DataFrame | None):
    """Hits of each frame per body sentence: an array (sentences x frames), frames in
    dictionary order."""
    names = list(dict.fromkeys(frames["frame"]))
    counts = np.zeros((len(body), len(names)), dtype=np.float64)
    col = {f: k for k, f in enumerate(names)}
    if hits is None:
        for frame, _term, i, _s, _e, _txt in _scan(body["text"].tolist(), frames):
            counts[i, col[frame]] += 1
    elif len(hits):
        row = pd.MultiIndex.from_arrays([body["doc_id"], body["sent_id"]])
        i = row.get_indexer(pd.MultiIndex.from_arrays([hits["doc_id"], hits["sent_id"]]))
        k = hits["frame"].map(col)
        if (i < 0).any() or k.isna().any():
            raise ValueError(
                "hits do not belong to these sentences and frames (unknown doc_id/sent_id or "
                "frame); pass hits=frame_hits(sentences, frames)"
            )
        np.add.at(counts, (i, k.to_numpy(dtype=np.int64)), 1)
    return names, counts


def frame_columns(
    sentences: pd.DataFrame,
    frames: pd.DataFrame | str | Path | None = None,
    *,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The body sentences with each frame's hits in the sentence, and the sentence's words.

    Args:
        sentences: the sentence table (only ``kind == "body"`` sentences are kept).
        frames: from :func:`load_frames`, a path, or None for the shipped dictionary.
        hits: :func:`frame_hits` of the same sentences and frames, to count from (else the
            sentences are matched here).

    Returns:
        A copy of the body sentences with one integer column per frame (named by the frame,
        dictionary order) and then ``words`` (:func:`framing.count_words`): a frame's rate per
        1,000 words over any rows is ``1000 * sum(frame) / sum(words)``, as
        :func:`frame_scores` computes it (:func:`framing.event_contrasts`,
        :func:`framing.over_time` take it with ``denominator="words"``).

    Raises:
        ValueError: hits that do not belong to the sentences, or a frame named like a column
            of ``sentences``.
    """
    frames = _resolve(frames)
    body = _body(sentences).reset_index(drop=True)
    names, counts = _hit_counts(body, frames, hits)
    clash = [c for c in [*names, "words"] if c in body.columns]
    if clash:
        raise ValueError(f"frames would overwrite the columns {clash}; rename them first")
    out = body.copy()
    for k, name in enumerate(names):
        out[name] = counts[:, k].astype(np.int64)
    out["words"] = count_words_many(body["text"]).astype(np.int64)
    return out


def frame_scores(
    sentences: pd.DataFrame,
    frames: pd.DataFrame | str | Path | None = None,
    *,
    by: str = "outlet",
    n_boot: int = FRAME_N_BOOT,
    ci: float = 0.95,
    seed: int = 0,
    hits: pd.DataFrame | None = None,
    units: str | None = "auto",
    progress: bool = False,
) -> pd.DataFrame:
    """Hits of each frame per 1,000 words, per outlet (or other group), with bootstrap intervals.

    Args:
        sentences: the sentence table; only ``kind == "body"`` sentences count, for the hits and
            for the words.
        frames: from :func:`load_frames`, a path, or None for the shipped dictionary.
        by: the column of ``sentences`` to compare (``"outlet"``, ``"doc_id"``, or a column you
            merged in, such as a political leaning).
        n_boot: bootstrap replicates (default :data:`FRAME_N_BOOT`, shared with
            :func:`framing.analyze_corpus` and the notebooks); 0 gives no interval (NaN).
        ci: coverage of the percentile interval, between 0 and 1.
        seed: seed of the random generator; with the group's name it fixes the group's
            resamples, so the same seed gives the same intervals whatever other groups there are.
        hits: the table :func:`frame_hits` returned for the same ``sentences`` and ``frames``,
            to count from instead of matching the sentences again (half the work when both
            are needed). Hits are joined to sentences by ``doc_id`` and ``sent_id``.
        units: ``"auto"`` (default): per group, resample its articles (``doc_id``), then
            the sentences within them, when it has at least two articles; else its sentences.
            None: always sentences. A column of ``sentences``: its values, then the sentences
            within them (:func:`framing.stats.bootstrap_ratios`).
        progress: show a progress bar over the groups' bootstraps (``tqdm.auto``, a live
            widget in JupyterLab); off by default and in headless report runs. The result is
            the same.

    Returns:
        ``<by>, frame, hits, words, per_1000, ci_low, ci_high, resampled, n_units``: one row
        for every group and every frame, zeros included. ``words`` counts the words of the
        group's body sentences as :func:`framing.count_words` does; ``per_1000 = 1000 * hits /
        words``; ``resampled`` says what the interval resampled (``"articles"`` or
        ``"sentences"``) and ``n_units`` how many. Groups sorted by name, frames in dictionary
        order.

    Note:
        The interval is a percentile bootstrap (``n_boot`` replicates) within each group.
        Resampling articles, then sentences within them, treats the group's articles as the
        sample; resampling sentences (a group of one article) only shows how much a rate
        depends on a few sentences of that text, and says nothing about the outlet in
        general. A dictionary counts words, not meanings: list the hits with
        :func:`frame_hits` and read them.

    References:
        Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
        Semetko, H. A., & Valkenburg, P. M. (2000). Journal of Communication, 50(2), 93–109.
    """
    check_column(sentences, by, of="sentences", hint="add it with framing.join_articles")
    check_option(
        "n_boot",
        n_boot,
        "an integer >= 0",
        ok=isinstance(n_boot, int | np.integer) and not isinstance(n_boot, bool) and n_boot >= 0,
    )
    check_option("ci", ci, "a number between 0 and 1", ok=0 < ci < 1)
    check_units(sentences, units, of="sentences")
    frames = _resolve(frames)
    body = _body(sentences).reset_index(drop=True)
    names, counts = _hit_counts(body, frames, hits)
    words = count_words_many(body["text"]).astype(np.float64)
    codes, names_by = pd.factorize(body[by].astype(str), sort=True)
    # rows of each group, in sentence order (one sort, not a comparison per group)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names_by) + 1))
    rows = []
    alpha = (1 - ci) / 2
    from tqdm.auto import tqdm

    col = UNIT_COLUMN if units == "auto" else units
    labels = body[col].to_numpy() if col is not None and col in body.columns else None

    def one(gi):
        g = names_by[gi]
        sel = order[bounds[gi] : bounds[gi + 1]]
        c, w = counts[sel], words[sel]
        hits, total = c.sum(axis=0), w.sum()
        rate = 1000 * hits / total if total else np.full(len(names), np.nan)
        lo = hi = np.full(len(names), np.nan)
        u, resampled, n_units = resample_plan(
            units, None if labels is None else labels[sel], len(sel)
        )
        if n_boot and total:
            # one stream per group, seeded by its name, so a group's interval does not depend
            # on the other groups (nor on the thread that computes it)
            boot = bootstrap_ratios(c, w, n_boot, group_rng(seed, g), units=u)
            lo, hi = np.nanquantile(boot, [alpha, 1 - alpha], axis=0)
        return [
            (g, f, int(hits[k]), int(total), rate[k], lo[k], hi[k], resampled, n_units)
            for k, f in enumerate(names)
        ]

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:  # the compiled two-stage resampling releases the GIL
        done = pool.map(one, range(len(names_by)))
        for part in tqdm(done, total=len(names_by), desc="frame rates", unit="group",
                         disable=not progress):  # fmt: skip
            rows.extend(part)
    return pd.DataFrame(rows, columns=[by, *SCORE_COLUMNS]).astype({"n_units": "int64"})
