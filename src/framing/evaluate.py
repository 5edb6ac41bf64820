"""How far each measure can be trusted: checks computed from the data, never typed.

Gold quotations and quotation accuracy, sentence-splitter agreement with an independent
splitter, exact offsets, shared passages re-read on both sides, and the design summary that
says what a corpus can support. Notebook 04 (methods and limits) shows them."""

from __future__ import annotations

__all__ = [
    "splitter_agreement",
    "splitter_disagreements",
    "shared_check",
    "design_summary",
    "frame_terms",
    "offsets_exact",
    "load_gold_quotes",
    "gold_quotes_for",
    "quote_accuracy",
    "GOLD_COLUMNS",
    "load_heldout_quotes",
    "locate_quotes",
    "attribution_accuracy",
    "same_speaker",
    "heldout_accuracy",
    "quote_checks",
    "speaker_codes",
]

import io
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CorpusError, check_column, check_option
from .text.segment import paragraph_spans, split_sentences

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

    from .text.cleaning import is_heading

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
    check_column(articles, by, of="articles")
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


def load_gold_quotes(path: str | Path | None = None) -> pd.DataFrame:
    """Read a hand-checked table of quotations.

    Args:
        path: a CSV with columns ``doc_id, start, end, quote, speaker, kind`` (``note``
            optional); lines starting with ``#`` are comments. Default: the case study's
            ``framing/data/gold_quotes.csv`` (its header says how borderline cases were
            decided).

    Returns:
        ``doc_id, start, end, quote, speaker, kind, note``.

    Raises:
        CorpusError: a column is missing or a ``kind`` is not ``quote`` or ``phrase`` (the
            message names the file).
    """
    if path is None:
        src = resources.files("framing").joinpath("data/gold_quotes.csv")
        text = src.read_text("utf-8")
        where = "framing/data/gold_quotes.csv"
    else:
        text = Path(path).read_text("utf-8")
        where = str(path)

    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
    gold = pd.read_csv(io.StringIO(body), dtype={"doc_id": str, "quote": str, "speaker": str,
                                                 "kind": str, "note": str},
                       keep_default_na=False)  # fmt: skip
    missing = [c for c in GOLD_COLUMNS[:-1] if c not in gold.columns]
    if missing:
        raise CorpusError(f"the gold table lacks columns {missing}", file=where)
    if "note" not in gold.columns:
        gold["note"] = ""
    bad = sorted(set(gold["kind"]) - {"quote", "phrase"})
    if bad:
        raise CorpusError(f"kind must be 'quote' or 'phrase', not {bad}", file=where)
    gold = gold.astype({"start": "int64", "end": "int64"})
    return gold[GOLD_COLUMNS].reset_index(drop=True)


def gold_quotes_for(articles: pd.DataFrame, gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """The hand-checked quotations that belong to these articles: the one selection every
    notebook scores against.

    Args:
        articles: the article table (``doc_id, text``).
        gold: from :func:`load_gold_quotes` (default: the shipped case-study table).

    Returns:
        The gold rows whose article is here and whose quotation is exactly the article's
        ``text[start:end]`` (a changed cleaning rule or another corpus with the same ids never
        scores against offsets that no longer hold); empty when none.
    """
    gold = load_gold_quotes() if gold is None else gold
    texts = articles.drop_duplicates("doc_id").set_index("doc_id")["text"]
    keep = [
        d in texts.index and texts[d][s:e] == q
        for d, s, e, q in gold[["doc_id", "start", "end", "quote"]].itertuples(index=False)
    ]
    return gold[keep].reset_index(drop=True)


def _match(found: pd.DataFrame, gold: pd.DataFrame, min_overlap: float) -> dict[int, int]:
    """One-to-one matching of found to gold spans by character overlap (IoU), best first."""
    pairs = []
    for gi, g in gold.iterrows():
        same = found[found["doc_id"] == g["doc_id"]]
        for fi, f in same.iterrows():
            inter = min(f["end"], g["end"]) - max(f["start"], g["start"])
            if inter <= 0:
                continue
            union = max(f["end"], g["end"]) - min(f["start"], g["start"])
            iou = inter / union
            if iou >= min_overlap:
                pairs.append((-iou, gi, fi))
    pairs.sort()
    used_g, used_f, match = set(), set(), {}
    for _, gi, fi in pairs:
        if gi in used_g or fi in used_f:
            continue
        used_g.add(gi)
        used_f.add(fi)
        match[gi] = fi
    return match


def _prf(tp: int, n_found: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_found if n_found else float("nan")
    r = tp / n_gold if n_gold else float("nan")
    f = 2 * p * r / (p + r) if n_found and n_gold and (p + r) else float("nan")
    return p, r, f


def quote_accuracy(
    found: pd.DataFrame, gold: pd.DataFrame, *, min_overlap: float = 0.5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision and recall of quotation detection and of speaker attribution.

    Args:
        found: from :func:`quotes` (only the documents present in ``gold`` are scored).
        gold: from :func:`load_gold_quotes`.
        min_overlap: a found span matches a gold span of the same document when their
            characters overlap by at least this share of their union (intersection over
            union, 0 < x <= 1); each gold span matches at most one found span, best first.

    Returns:
        ``(summary, misses)``. ``summary`` has one row per measure — ``"quote detection"``,
        ``"phrase detection"``, ``"speaker attribution"`` — with ``n_gold, n_found, tp,
        precision, recall, f1``. Detection counts a match only when both sides have that
        ``kind``. Attribution: ``tp`` = gold quotations found as quotations with the same
        canonical speaker; precision divides by the found quotations that name a speaker,
        recall by all gold quotations (a quotation missed is also an attribution missed).
        ``misses`` lists every error: ``doc_id, start, end, quote, error, gold_kind,
        found_kind, gold_speaker, found_speaker``.

    Raises:
        ValueError: ``min_overlap`` is not in (0, 1].
    """
    ok = isinstance(min_overlap, int | float) and 0 < min_overlap <= 1
    check_option("min_overlap", min_overlap, "a number in (0, 1]", ok=ok)
    found = found[found["doc_id"].isin(set(gold["doc_id"]))].reset_index(drop=True)
    gold = gold.reset_index(drop=True)
    match = _match(found, gold, min_overlap)
    matched_f = set(match.values())
    rows, misses = [], []
    for kind in ("quote", "phrase"):
        g_n = int((gold["kind"] == kind).sum())
        f_n = int((found["kind"] == kind).sum())
        tp = sum(
            1 for gi, fi in match.items()
            if gold.at[gi, "kind"] == kind and found.at[fi, "kind"] == kind
        )  # fmt: skip
        p, r, f = _prf(tp, f_n, g_n)
        rows.append((f"{kind} detection", g_n, f_n, tp, p, r, f))
    g_q = gold.index[gold["kind"] == "quote"]
    f_named = found.index[(found["kind"] == "quote") & (found["speaker"] != "")]
    tp = sum(
        1 for gi in g_q
        if gi in match and found.at[match[gi], "kind"] == "quote"
        and found.at[match[gi], "speaker"] == gold.at[gi, "speaker"]
    )  # fmt: skip
    p, r, f = _prf(tp, len(f_named), len(g_q))
    rows.append(("speaker attribution", len(g_q), len(f_named), tp, p, r, f))
    summary = pd.DataFrame(
        rows, columns=["measure", "n_gold", "n_found", "tp", "precision", "recall", "f1"]
    )
    for gi, g in gold.iterrows():
        fi = match.get(gi)
        f = found.loc[fi] if fi is not None else None
        fk = f["kind"] if f is not None else ""
        fs = f["speaker"] if f is not None else ""
        err = None
        if f is None:
            err = f"{g['kind']} not found"
        elif fk != g["kind"]:
            err = f"{g['kind']} found as {fk}"
        elif g["kind"] == "quote" and fs != g["speaker"]:
            err = "no speaker" if fs == "" else "wrong speaker"
        if err:
            misses.append((g["doc_id"], g["start"], g["end"], g["quote"], err, g["kind"], fk,
                           g["speaker"], fs))  # fmt: skip
    for fi, f in found.iterrows():
        if fi not in matched_f:
            misses.append((f["doc_id"], f["start"], f["end"], f["quote"],
                           f"spurious {f['kind']}", "", f["kind"], "", f["speaker"]))  # fmt: skip
    misses = pd.DataFrame(
        misses,
        columns=["doc_id", "start", "end", "quote", "error", "gold_kind", "found_kind",
                 "gold_speaker", "found_speaker"],
    )  # fmt: skip
    misses = misses.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    return summary, misses


GOLD_COLUMNS = ["doc_id", "start", "end", "quote", "speaker", "kind", "note"]


# ------------------------------------------------------------------ held-out attribution check

HELDOUT_TYPES = ("name", "pronoun", "description", "continuation", "none")
_TITLES = re.compile(
    r"^(?:(?:president|vice president|sen|senator|rep|representative|gov|governor|mr|mrs|ms|"
    r"dr|prof|gen|judge|justice|secretary|speaker|leader|former|the|mayor|prime minister|"
    r"chairman|chairwoman|attorney general)\.?\s+)+",
    re.IGNORECASE,
)


#: the hand-judged AllSides quotation samples shipped with the package: the judged table and the
#: judged articles' cleaned texts. ``heldout``: 48 articles the attribution rules were not
#: written on (their judges did not see the rules; the rules' authors do not read them);
#: ``dev``: 24 other articles (lines 1-4,000 of the corpus), judged the same way, that the
#: rules are written on (in-sample figures, side by side with the held-out ones); ``dev2``: 24
#: more (lines 4,001-10,000), judged the same way in the ninth pass on #15 and written on since
QUOTE_SAMPLES = {
    "heldout": ("data/heldout_quotes_allsides.csv", "data/heldout_articles_allsides.jsonl.gz"),
    "dev": ("data/dev_quotes_allsides.csv", "data/dev_articles_allsides.jsonl.gz"),
    "dev2": ("data/dev2_quotes_allsides.csv", "data/dev2_articles_allsides.jsonl.gz"),
}


def _sample_files(sample: str) -> tuple[str, str]:
    from .errors import check_option

    check_option("sample", sample, QUOTE_SAMPLES)
    return QUOTE_SAMPLES[sample]


def load_heldout_quotes(path: str | Path | None = None, *, sample: str = "heldout") -> pd.DataFrame:
    """The held-out quotations of AllSides articles, judged by hand (issue #15): every span in
    quotation marks of 48 articles the attribution rules were not written on.

    Args:
        path: a CSV in the same format (``#`` lines are comments); default the shipped
            ``framing/data/heldout_quotes_allsides.csv`` (its header says how it was made).
        sample: ``"heldout"`` (default), ``"dev"`` or ``"dev2"``, the shipped development
            samples the rules are written on (:data:`QUOTE_SAMPLES`; ignored with ``path``).

    Returns:
        ``batch, doc_id, para, quote, kind, speaker, source_type, speaker_text, note``.

    Raises:
        CorpusError: a column is missing, or a kind or source type is not one of those allowed.
    """
    if path is None:
        name = _sample_files(sample)[0]
        text, where = (
            resources.files("framing").joinpath(name).read_text("utf-8"),
            f"framing/{name}",
        )
    else:
        text, where = Path(path).read_text("utf-8"), str(path)
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
    gold = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    need = ["doc_id", "quote", "kind", "speaker", "source_type"]
    missing = [c for c in need if c not in gold.columns]
    if missing:
        raise CorpusError(f"the held-out table lacks columns {missing}", file=where)
    bad = sorted(set(gold["kind"]) - {"quote", "phrase"})
    if bad:
        raise CorpusError(f"kind must be 'quote' or 'phrase', not {bad}", file=where)
    types = set(gold.loc[gold["kind"] == "quote", "source_type"])
    if types - set(HELDOUT_TYPES):
        raise CorpusError(f"source_type {sorted(types - set(HELDOUT_TYPES))} is not one of "
                          f"{list(HELDOUT_TYPES)}", file=where)  # fmt: skip
    return gold


def locate_quotes(gold: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Where each hand-judged quotation lies in the cleaned article text.

    The k-th gold row with a given quotation text in an article is the k-th occurrence of that
    text in the article's ``text``, in text order (the judges copied the text between the marks
    from the raw article; cleaning keeps a paragraph's characters as they are).

    Returns:
        ``gold`` with ``start`` and ``end`` offsets into ``text``; -1 for rows whose article is
        not in ``articles`` or whose text cleaning removed (the caller reports how many).
    """
    texts = articles.drop_duplicates("doc_id").set_index("doc_id")["text"]
    starts, ends = [], []
    seen: dict[tuple[str, str], int] = {}
    for doc, quote in zip(gold["doc_id"], gold["quote"], strict=True):
        k = seen.get((doc, quote), 0)
        seen[(doc, quote)] = k + 1
        at = -1
        if doc in texts.index and quote:
            text = texts[doc]
            at = text.find(quote)
            for _ in range(k):
                if at < 0:
                    break
                at = text.find(quote, at + 1)
        starts.append(at)
        ends.append(at + len(quote) if at >= 0 else -1)
    return gold.assign(start=starts, end=ends)


def _norm_speaker(name: str) -> str:
    name = re.sub(r"[’']s\b", "", str(name)).strip().lower()
    name = _TITLES.sub("", name)
    return " ".join(re.findall(r"[^\W_]+", name))


def same_speaker(found: str, gold: str) -> bool:
    """Whether a found speaker names the gold one: equal once titles, possessives, case and
    punctuation are set aside, or the found name is the gold name's surname (or the gold
    name the found one's: "Trump" for "Donald Trump"), or, for a description, the two share
    at least half of their words."""
    f, g = _norm_speaker(found), _norm_speaker(gold)
    if not f or not g:
        return False
    if f == g:
        return True
    fw, gw = f.split(), g.split()
    if len(fw) == 1 and gw[-1] == fw[0] or len(gw) == 1 and fw[-1] == gw[0]:
        return True
    shared = set(fw) & set(gw)
    return len(shared) >= max(1, min(len(fw), len(gw)) / 2) and len(shared) >= 2


def attribution_accuracy(
    found: pd.DataFrame, gold: pd.DataFrame, *, min_overlap: float = 0.5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quotation detection and speaker attribution against hand-judged quotations, by how the
    text names the speaker (name, pronoun, description, continuation, none).

    Args:
        found: :func:`framing.find_quotes` on the judged articles.
        gold: :func:`locate_quotes` of :func:`load_heldout_quotes` (rows with ``start < 0``
            are left out and counted).
        min_overlap: intersection over union for a found span to match a gold span.

    Returns:
        ``(summary, rows)``. ``summary``: one row per measure — ``quote detection`` (precision,
        recall, F1 of spans judged quotations), then per source type and ``all``:
        ``n_gold`` (gold quotations of that type), ``n_attributed`` (those found as quotations
        with a speaker), ``correct`` (the speaker named is the gold one; for ``none``, no
        speaker or the gold one), ``precision`` (correct among those attributed / attributed)
        and ``accuracy`` (correct / gold). ``rows``: every gold quotation with what was found for it.
    """
    located = gold[gold["start"] >= 0].reset_index(drop=True)
    found = found[found["doc_id"].isin(set(located["doc_id"]))].reset_index(drop=True)
    match = _match(found, located, min_overlap)
    rows = []
    for gi, g in located.iterrows():
        fi = match.get(gi)
        f = found.loc[fi] if fi is not None else None
        fk = f["kind"] if f is not None else ""
        fs = f["speaker"] if f is not None else ""
        if g["kind"] != "quote":
            ok = None
        elif g["source_type"] == "none":
            ok = fk == "quote" and (fs == "" or same_speaker(fs, g["speaker"]))
        else:
            ok = fk == "quote" and fs != "" and same_speaker(fs, g["speaker"])
        rows.append((g["doc_id"], g["start"], g["end"], g["quote"], g["kind"], g["source_type"],
                     g["speaker"], fk, fs, ok))  # fmt: skip
    rows = pd.DataFrame(rows, columns=["doc_id", "start", "end", "quote", "gold_kind",
                                       "source_type", "gold_speaker", "found_kind",
                                       "found_speaker", "correct"])  # fmt: skip
    q = rows[rows["gold_kind"] == "quote"]
    n_found_q = int((found["kind"] == "quote").sum())
    tp = int((q["found_kind"] == "quote").sum())
    p, r, f1 = _prf(tp, n_found_q, len(q))
    out = [("quote detection", len(q), n_found_q, tp, p, r, f1)]
    for t in (*HELDOUT_TYPES, "all"):
        sub = q if t == "all" else q[q["source_type"] == t]
        named = (sub["found_kind"] == "quote") & (sub["found_speaker"] != "")
        att, ok = int(named.sum()), int(sub["correct"].sum())
        # precision over the quotations given a speaker (for "none", leaving one without a
        # speaker is correct but is not an attribution)
        ok_named = int((sub["correct"].astype(bool) & named).sum())
        out.append((f"speaker: {t}", len(sub), att, ok,
                    ok_named / att if att else float("nan"),
                    ok / len(sub) if len(sub) else float("nan"), float("nan")))  # fmt: skip
    summary = pd.DataFrame(out, columns=["measure", "n_gold", "n_found", "correct", "precision",
                                         "accuracy", "f1"])  # fmt: skip
    summary.attrs["left_out"] = int((gold["start"] < 0).sum())
    return summary, rows


#: the label of a judged quotation without a speaker (gold), or found without one (tool)
NO_SPEAKER = "(no speaker)"
#: the tool's label of a judged quotation it did not find as a quotation
NOT_FOUND = "(not found)"


def speaker_codes(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The speakers of judged quotations as a coder's codes and a tool's labels, for
    :func:`framing.agreement_with` (Krippendorff's alpha of the speaker, nominal).

    Args:
        rows: the ``rows`` of :func:`attribution_accuracy` (or :func:`heldout_accuracy`).

    Returns:
        ``(tool_labels, codes)``, one row per judged quotation (``gold_kind == "quote"``), code
        ``speaker``, unit ``doc_id:start-end``. The coder's value is the judged speaker
        (``"(no speaker)"`` when the text names none); the tool's is that same string when
        :func:`same_speaker` accepts the speaker found (so spellings of one person agree),
        else the speaker found, ``"(no speaker)"`` when it was found without a speaker, or
        ``"(not found)"`` when it was not found as a quotation (never agreement: as in
        :func:`attribution_accuracy`, a missed quotation is a wrong speaker). Quotations not
        located in the cleaned text are not in ``rows``.
    """
    q = rows[rows["gold_kind"] == "quote"]
    unit = q["doc_id"].astype(str) + ":" + q["start"].astype(str) + "-" + q["end"].astype(str)
    gold = q["gold_speaker"].fillna("").astype(str).where(lambda v: v != "", NO_SPEAKER)
    hit = (q["found_kind"] == "quote").to_numpy()
    found = q["found_speaker"].fillna("").astype(str).where(hit, "")
    same = [
        f != "" and g != NO_SPEAKER and same_speaker(f, g) for f, g in zip(found, gold, strict=True)
    ]
    tool = np.where(same, gold, found.where(found != "", NO_SPEAKER))
    tool = np.where(hit, tool, NOT_FOUND)
    codes = pd.DataFrame({"unit_id": unit.to_numpy(), "coder": "judge", "code": "speaker",
                          "value": gold.to_numpy()})  # fmt: skip
    labels = pd.DataFrame({"unit_id": unit.to_numpy(), "tool": "find_quotes", "code": "speaker",
                           "value": tool})  # fmt: skip
    return labels, codes


def load_heldout_articles(sample: str = "heldout") -> pd.DataFrame:
    """The 48 held-out AllSides articles, cleaned as :func:`framing.load_corpus` cleans them in
    the whole AllSides corpus (``corpus/allsides.toml``; written by
    ``tools/heldout_quotes.py --write-articles``), so the held-out check runs without the
    shared corpus and without loading 37,544 articles to score 48. A test compares them with
    the corpus whenever it is beside the project, so a change to cleaning cannot leave them
    stale unnoticed. ``sample="dev"`` or ``"dev2"``: the 24 articles of a development sample.

    Returns:
        ``doc_id, outlet, text``.
    """
    import gzip

    raw = resources.files("framing").joinpath(_sample_files(sample)[1]).read_bytes()
    return pd.read_json(io.BytesIO(gzip.decompress(raw)), lines=True, dtype=False)


def heldout_accuracy(
    corpus: str | Path | None = None,
    *,
    sample: str = "heldout",
    gold: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    cache: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The quotation rules measured on the held-out AllSides quotations (issue #15): find the
    quotations of the judged articles and score them with :func:`attribution_accuracy`.

    Args:
        corpus: None (default) for the shipped texts of the judged articles
            (:func:`load_heldout_articles`); else the AllSides corpus
            (``corpus/allsides.toml``) or any corpus holding them.
        sample: ``"heldout"`` (default), ``"dev"`` or ``"dev2"``: a development sample the
            rules are written on, for in-sample figures beside the held-out ones.
        gold: default :func:`load_heldout_quotes` of ``sample``.
        actors: the actor table (default the shipped one).
        cache: use the load cache.

    Returns:
        ``(summary, rows)`` as :func:`attribution_accuracy`; None when the corpus cannot be read
        or holds none of the judged articles (the shared corpus is not beside the project).
        With ``cache``, the result is kept in the disk cache under the code's version, the
        judged table, the actor table and the corpus file (its spec and the data file it
        names, by size and time): loading the whole AllSides corpus to score 48 articles takes
        a minute, and every report shows this check.
    """
    from .cache import FrameCache, code_version, content_key
    from .errors import CorpusError
    from .io.load import load_corpus
    from .measures.quotes import find_quotes

    gold = load_heldout_quotes(sample=sample) if gold is None else gold
    if corpus is None:  # shipped with the package: quick, nothing to cache
        articles = load_heldout_articles(sample)
        articles = articles[articles["doc_id"].isin(set(gold["doc_id"]))]
        found = find_quotes(articles[["doc_id", "text"]].reset_index(drop=True), actors=actors)
        return attribution_accuracy(found, locate_quotes(gold, articles))
    store = FrameCache("heldout", code_version()) if cache else None
    key = content_key(gold.to_csv(index=False), "" if actors is None else actors.to_csv(),
                      *_file_stamp(Path(corpus)))  # fmt: skip
    if store is not None:
        summary, rows = store.get_frame(key), store.get_frame(content_key(key, "rows"))
        if summary is not None and rows is not None:
            summary.attrs["left_out"] = int(summary.pop("left_out").iloc[0])
            return summary, rows
    try:
        articles = load_corpus(corpus, cache=cache)
    except (CorpusError, OSError, ValueError):
        return None
    articles = articles[articles["doc_id"].isin(set(gold["doc_id"]))]
    if articles.empty:
        return None
    found = find_quotes(articles[["doc_id", "text"]].reset_index(drop=True), actors=actors)
    summary, rows = attribution_accuracy(found, locate_quotes(gold, articles))
    if store is not None:
        store.put_frame(key, summary.assign(left_out=summary.attrs["left_out"]))
        store.put_frame(content_key(key, "rows"), rows.astype({"correct": "object"}))
    return summary, rows


def _file_stamp(path: Path) -> list[str]:
    """What identifies a corpus file for a cache key: its path, its bytes when it is a small
    spec, and the size and time of the data file a spec names."""
    import tomllib

    out = [str(path.resolve())]
    if not path.is_file():
        return out
    out.append(f"{path.stat().st_size}:{path.stat().st_mtime_ns}")
    if path.suffix == ".toml":
        out.append(path.read_text("utf-8", errors="replace"))
        try:
            named = tomllib.loads(out[-1]).get("path")
        except tomllib.TOMLDecodeError:
            named = None
        data = (path.parent / named) if isinstance(named, str) else None
        if data is not None and data.is_file():
            st = data.stat()
            out.append(f"{data.resolve()}:{st.st_size}:{st.st_mtime_ns}")
    return out


def quote_checks(
    in_sample: pd.DataFrame | None,
    heldout: pd.DataFrame | None,
    *,
    in_sample_label: str = "in-sample (case study)",
    heldout_label: str = "held-out (48 AllSides articles)",
) -> pd.DataFrame:
    """Quotation detection and speaker attribution, in-sample and held-out, as rows for
    :func:`framing.plot_validation` (``check, value, n, sample``).

    Args:
        in_sample: :func:`quote_accuracy`'s summary (``measure, n_gold, n_found, precision,
            recall``) on the hand-checked case-study articles, or None.
        heldout: :func:`attribution_accuracy`'s summary on the held-out quotations, or None.
        in_sample_label, heldout_label: the ``sample`` of each.

    Returns:
        Up to four checks (quote detection precision and recall, speaker attribution precision
        and recall) per sample; held-out speaker recall is the share of all judged quotations
        whose speaker was found right (``speaker: all`` accuracy).
    """
    rows = []
    if in_sample is not None and len(in_sample):
        s = in_sample.set_index("measure")
        for measure in ("quote detection", "speaker attribution"):
            if measure in s.index:
                r = s.loc[measure]
                rows.append(
                    (f"{measure}: precision", r["precision"], r["n_found"], in_sample_label)
                )
                rows.append((f"{measure}: recall", r["recall"], r["n_gold"], in_sample_label))
    if heldout is not None and len(heldout):
        h = heldout.set_index("measure")
        if "quote detection" in h.index:
            r = h.loc["quote detection"]
            rows.append(("quote detection: precision", r["precision"], r["n_found"], heldout_label))
            rows.append(("quote detection: recall", r["accuracy"], r["n_gold"], heldout_label))
        if "speaker: all" in h.index:
            r = h.loc["speaker: all"]
            rows.append(("speaker attribution: precision", r["precision"], r["n_found"],
                         heldout_label))  # fmt: skip
            rows.append(("speaker attribution: recall", r["accuracy"], r["n_gold"], heldout_label))
    return pd.DataFrame(rows, columns=["check", "value", "n", "sample"])
