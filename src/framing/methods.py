"""Validation helpers for notebook 04 (methods and limits): numbers computed, never typed."""

from __future__ import annotations

__all__ = [
    "splitter_agreement",
    "splitter_disagreements",
    "shared_check",
    "design_summary",
    "frame_terms",
    "offsets_exact",
    "plot_validation",
]

import re

import numpy as np
import pandas as pd

from .figures import plot_text
from .segment import paragraph_spans, split_sentences

AGREEMENT_COLUMNS = [
    "doc_id", "outlet", "paragraphs", "sentences", "sentences_ref",
    "boundaries", "boundaries_ref", "agreed", "precision", "recall",
]  # fmt: skip


def _inner_ends(spans: list[tuple[int, int]], text: str) -> set[int]:
    """Where sentences end inside a paragraph (the paragraph's own end excluded), as the offset
    after the last non-space character."""
    ends = set()
    for _, e in spans[:-1]:
        while e > 0 and text[e - 1].isspace():
            e -= 1
        ends.add(e)
    return ends


def _boundaries(articles: pd.DataFrame, max_articles: int | None, seed: int):
    """Per article: (doc_id, outlet, [(paragraph start, paragraph, n ours, n pySBD, our inner
    ends, pySBD's inner ends)]) for every body paragraph."""
    import pysbd

    from .cleaning import is_heading

    if max_articles is not None and len(articles) > max_articles:
        articles = articles.sample(n=max_articles, random_state=seed).sort_index()
    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    for doc_id, outlet, text in articles[["doc_id", "outlet", "text"]].itertuples(index=False):
        paras = []
        for p0, p1 in paragraph_spans(text):
            para = text[p0:p1]
            if is_heading(para):
                continue
            ours = split_sentences(para)
            ref = [(x.start, x.end) for x in seg.segment(para) if x.sent.strip()]
            paras.append(
                (p0, para, len(ours), len(ref), _inner_ends(ours, para), _inner_ends(ref, para))
            )
        yield doc_id, outlet, paras


def splitter_disagreements(
    articles: pd.DataFrame, *, max_articles: int | None = 100, seed: int = 0, width: int = 40
) -> pd.DataFrame:
    """Every sentence boundary that our splitter and pySBD do not share, in context.

    Args:
        articles, max_articles, seed: as :func:`splitter_agreement` (the same articles).
        width: characters of context on each side.

    Returns:
        ``doc_id, offset, only_in, left, right``: ``offset`` into the article's ``text`` where
        one splitter ends a sentence and the other does not; ``only_in`` is ``"ours"`` or
        ``"pysbd"``.
    """
    rows = []
    for doc_id, _outlet, paras in _boundaries(articles, max_articles, seed):
        for p0, para, _n, _m, e_s, e_r in paras:
            for who, ends in (("ours", e_s - e_r), ("pysbd", e_r - e_s)):
                for e in sorted(ends):
                    left = " ".join(para[max(0, e - width) : e].split())
                    right = " ".join(para[e : e + width].split())
                    rows.append((doc_id, p0 + e, who, left, right))
    return pd.DataFrame(rows, columns=["doc_id", "offset", "only_in", "left", "right"])


def splitter_agreement(
    articles: pd.DataFrame, *, max_articles: int | None = 100, seed: int = 0
) -> pd.DataFrame:
    """How often our sentence boundaries agree with an independent splitter (pySBD).

    Args:
        articles: the article table (``doc_id``, ``outlet``, ``text``).
        max_articles: compare at most this many articles, drawn at random with ``seed``
            (pySBD reads about 0.3 MB/s); None compares all.
        seed: seed of the draw.

    Returns:
        One row per article and a final ``"all"`` row: ``paragraphs`` (body paragraphs
        compared; headings are never split), ``sentences`` / ``sentences_ref`` (ours /
        pySBD's), ``boundaries`` / ``boundaries_ref`` (sentence ends inside a paragraph),
        ``agreed`` (the same offset in both), ``precision = agreed / boundaries`` and
        ``recall = agreed / boundaries_ref``.

    Note:
        pySBD (Sadvilkar & Neumann 2020) is a rule-based splitter with its own abbreviation
        lists; agreement with it is not correctness, and disagreements are the places to read.
        It is a development dependency (``uv sync --all-groups``, which ``make env`` runs).

    References:
        Sadvilkar, N., & Neumann, M. (2020). PySBD: Pragmatic Sentence Boundary Disambiguation.
        NLP-OSS workshop, ACL.
    """
    rows = []
    for doc_id, outlet, paras in _boundaries(articles, max_articles, seed):
        n_par = n_s = n_r = b_s = b_r = agree = 0
        for _p0, _para, n_ours, n_ref, e_s, e_r in paras:
            n_par += 1
            n_s += n_ours
            n_r += n_ref
            b_s += len(e_s)
            b_r += len(e_r)
            agree += len(e_s & e_r)
        rows.append((doc_id, outlet, n_par, n_s, n_r, b_s, b_r, agree))
    out = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS[:-2])
    total = out.drop(columns=["doc_id", "outlet"]).sum()
    out.loc[len(out)] = ["all", "all", *total.tolist()]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["precision"] = np.where(out["boundaries"] > 0, out["agreed"] / out["boundaries"], 1.0)
        out["recall"] = np.where(
            out["boundaries_ref"] > 0, out["agreed"] / out["boundaries_ref"], 1.0
        )
    return out


_CHECK_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _norm_words(text: str) -> list[str]:
    return _CHECK_WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def shared_check(shared: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Re-read every shared passage on both sides with a separate tokenizer.

    Args:
        shared: from :func:`framing.shared_passages`.
        articles: the article table it was computed from.

    Returns:
        ``shared`` with ``words_a``, ``words_b`` (words of each side's slice) and ``equal``
        (the two word lists are identical, ignoring case, apostrophe style and punctuation).
    """
    text = dict(zip(articles["doc_id"].astype(str), articles["text"], strict=False))
    wa, wb, eq = [], [], []
    for r in shared.itertuples(index=False):
        a = _norm_words(text[str(r.doc_id_a)][r.start_a : r.end_a])
        b = _norm_words(text[str(r.doc_id_b)][r.start_b : r.end_b])
        wa.append(len(a))
        wb.append(len(b))
        eq.append(a == b)
    return shared.assign(words_a=wa, words_b=wb, equal=eq)


def design_summary(articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """What the design can support: articles per group, and how dates were established.

    Args:
        articles: the article table (``doc_id``, ``by``, optionally ``published`` and
            ``provenance``).
        by: the group column.

    Returns:
        One row per measure (``measure, value``): articles, groups, the fewest and most
        articles in a group, groups with a single article, articles whose date the manifest's
        provenance marks ``published: inferred``, and the date range.
    """
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of articles; columns: {list(articles)}")
    per = articles.groupby(by).size()
    prov = articles.get("provenance", pd.Series("", index=articles.index)).fillna("")
    # the manifest's provenance says "published: read …" or "published: inferred …"
    inferred = int(prov.str.contains(r"published:\s*inferred").sum())
    dates = pd.to_datetime(articles.get("published"), errors="coerce")
    rng = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if dates.notna().any() else "unknown"
    rows = [
        ("articles", len(articles)),
        (f"values of {by}", int(per.size)),
        (f"fewest articles in one {by}", int(per.min()) if len(per) else 0),
        (f"most articles in one {by}", int(per.max()) if len(per) else 0),
        (f"values of {by} with a single article", int((per == 1).sum())),
        ("articles with a date the manifest calls inferred", inferred),
        ("dates", rng),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def frame_terms(hits: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Which terms make each frame's hits: hits per term and their share of the frame.

    Args:
        hits: from :func:`framing.frame_hits`.
        by: also split by this column (e.g. ``"outlet"``), or None for the whole corpus.

    Returns:
        ``[by,] frame, term, hits, share`` sorted by frame (dictionary order as it appears in
        ``hits``), then most hits first (ties by term); ``share`` is the term's share of the
        frame's hits (within the group). A frame carried by one term is that term's count.
    """
    keys = ([by] if by else []) + ["frame", "term"]
    out = hits.groupby(keys, sort=False).size().rename("hits").reset_index()
    tot = out.groupby(([by] if by else []) + ["frame"], sort=False)["hits"].transform("sum")
    out["share"] = out["hits"] / tot
    order = {f: i for i, f in enumerate(dict.fromkeys(hits["frame"]))}
    out["_f"] = out["frame"].map(order)
    out = out.sort_values(
        ([by] if by else []) + ["_f", "hits", "term"],
        ascending=[True] * (1 if by else 0) + [True, False, True],
        kind="stable",
    )
    return out.drop(columns="_f").reset_index(drop=True)


def offsets_exact(table: pd.DataFrame, articles: pd.DataFrame, *, column: str = "text") -> int:
    """How many rows of ``table`` are exactly their article's text between their offsets.

    Args:
        table: any table with ``doc_id, start, end`` and ``column`` (sentences, frame hits with
            ``column="match"``, actor mentions with ``column="alias"`` …).
        articles: the article table the offsets point into.
        column: the column that must equal ``article.text[start:end]``.

    Returns:
        The number of rows that do (compare with ``len(table)``).
    """
    text = dict(zip(articles["doc_id"], articles["text"], strict=False))
    return sum(
        text[d][s:e] == v
        for d, s, e, v in table[["doc_id", "start", "end", column]].itertuples(index=False)
    )


def plot_validation(table: pd.DataFrame, *, ax=None, **kwargs):
    """Horizontal bars of validation measures on a 0–1 scale, each labelled with its value.

    Args:
        table: ``check, value`` (a share between 0 and 1), one row per measure, drawn top to
            bottom in table order; an optional ``n`` column is printed beside the value.
        ax: matplotlib Axes (default: the current one).
        **kwargs: passed to ``Axes.barh``.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    ax = plt.gca() if ax is None else ax
    if table is None or table.empty:
        return ax
    y = np.arange(len(table))
    vals = table["value"].to_numpy(dtype=float)
    ax.barh(y, vals, **({"color": "#4c72b0"} | kwargs))
    ns = table["n"].tolist() if "n" in table.columns else [None] * len(table)
    for yi, v, n in zip(y, vals, ns, strict=True):
        label = f"{v:.3f}" + (f"  (n={n:,})" if n is not None and n == n else "")
        ax.text(min(v, 1.0) + 0.01, yi, label, va="center", fontsize=8)
    ax.set_yticks(y, [plot_text(c) for c in table["check"]])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlim(0, 1.3)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xlabel("share (1 = every case checked agrees)")
    ax.grid(axis="x", alpha=0.3)
    return ax
