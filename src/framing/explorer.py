"""The explorer: one self-contained HTML page per report to look up any term, actor or frame
of the compared groups and read the lines behind it, offline.

For each compared group it draws every term's corpus frequency against its distinctiveness
(the log-odds z of notebook 01), searchable; clicking a term lists its keyword-in-context lines
in each group, each with its article and offsets and the whole sentence on demand. The same for
actors (mentions per 1,000 words and the tone of the sentences naming them, notebooks 02–03)
and frames (hits per 1,000 words, notebook 03).

The page is hand-written HTML, CSS and JavaScript (no library, nothing loaded from the
network): measured on the AllSides report it was both smaller and faster to open than the same
view written with Bokeh (``benchmarks/bench_explorer.py``). Its numbers come from the tables the
notebooks wrote (so they are the pages' numbers); its lines from the analysis's sentences. Data
is embedded as JSON in two blocks: the tables, parsed when the page opens, and the lines,
parsed the first time a term is clicked. Every data string is put into the page as text
(``textContent``), never as markup, and ``<`` is written ``\\u003c`` inside the JSON, so no
article, title or group name can open a tag.

Caps keep the file small on a large corpus (each is stated on the page): the terms drawn per
group, the lines kept per term and group, and the sentences they come from.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import pandas as pd

from .outputs import read_saved_table

__all__ = ["explorer_data", "write_explorer", "EXPLORER_CAPS"]

#: the default caps: terms drawn per group (highest z, then most frequent), lines per term (or
#: actor, frame) and group, groups compared (the largest; as the notebooks' heat maps)
EXPLORER_CAPS = {"top_z": 1500, "top_freq": 500, "lines": 5, "line_terms": 400, "groups": 30}


def _words(text: str):
    """The words of a text as the counting sees them: (normalised term, start, end)."""
    from .text.tokens import scan_words

    return [(t, a, b) for kind, t, a, b in scan_words(text, frozenset()) if kind == "word"]


def _adjacent(text: str):
    """Word items with a flag saying whether the next item is a word too (a bigram may
    start there: only white space between them, as the counts require)."""
    from .text.tokens import scan_words

    seq = scan_words(text, frozenset())
    out = []
    for j, (kind, t, a, b) in enumerate(seq):
        if kind != "word":
            continue
        nxt = seq[j + 1] if j + 1 < len(seq) else None
        out.append((t, a, b, nxt if nxt is not None and nxt[0] == "word" else None))
    return out


def _term_lines(body: pd.DataFrame, wanted: dict, *, by: str, cap: int) -> tuple[dict, dict]:
    """The first ``cap`` occurrences of each wanted term in each group's body sentences, in
    table order: ``{(group, term): [(row, start, end), …]}`` with offsets into the sentence,
    and ``{(group, term): total occurrences}``.

    The counting engine (:func:`framing.term_counts`, compiled) says which sentences hold a
    term and how often; only the sentences holding one of a group's first ``cap`` occurrences
    of a term are read word by word, for the offsets."""
    import numpy as np

    from .text.counting import term_counts

    lines: dict = {}
    total: dict = {}
    body = body.assign(**{by: body[by].astype(str)})
    tc = term_counts(body, by=by)
    column = {t: j for j, t in enumerate(tc.vocab)}
    code_of = {str(g): i for i, g in enumerate(tc.groups)}
    X = tc.doc_term.tocsc()
    X.sort_indices()
    rows = np.asarray(tc.rows)
    todo: dict[int, set[str]] = {}  # body row -> the terms to look for in it
    for g, want in wanted.items():
        code = code_of.get(g)
        if code is None:
            continue
        for t in want:
            j = column.get(t)
            if j is None:
                continue
            idx = X.indices[X.indptr[j] : X.indptr[j + 1]]
            n = X.data[X.indptr[j] : X.indptr[j + 1]]
            mine = tc.codes[idx] == code
            idx, n = idx[mine], n[mine]
            if not len(idx):
                continue
            total[(g, t)] = int(n.sum())
            # the rows, in order, up to the one holding the cap-th occurrence
            first = idx[: int(np.searchsorted(np.cumsum(n), cap)) + 1]
            for r in rows[first]:
                todo.setdefault(int(r), set()).add(t)
    texts, groups = body["text"], body[by]
    for row in sorted(todo):
        want, grp = todo[row], groups.iat[row]
        for t, a, b, nxt in _adjacent(texts.iat[row]):
            for term, end in ((t, b), (f"{t} {nxt[1]}", nxt[3]) if nxt else (None, None)):
                if term is None or term not in want:
                    continue
                got = lines.setdefault((grp, term), [])
                if len(got) < cap:
                    got.append((row, a, end))
    return lines, total


def _with_columns(table, other, columns: list[str], *, on: str, by: str, groups: list[str]):
    """``table`` (a saved table, or None) with ``columns`` of ``other`` joined on ``by`` and
    ``on`` (left join; ``by`` read as text on both sides), its rows of ``groups`` alone; None
    when ``table`` is None or empty; ``table`` alone when ``other`` is."""
    if table is None or not len(table):
        return None
    table = table.assign(**{by: table[by].astype(str)})
    table = table[table[by].isin(groups)]
    if other is not None and len(other):
        other = other.assign(**{by: other[by].astype(str)})
        table = table.merge(other[[by, on, *columns]], on=[by, on], how="left")
    return table


def _clean(v):
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 4)
    if hasattr(v, "item"):
        return _clean(v.item())
    return v


def explorer_data(
    folder: str | Path,
    body: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    corpus: str = "",
    top_z: int = EXPLORER_CAPS["top_z"],
    top_freq: int = EXPLORER_CAPS["top_freq"],
    lines: int = EXPLORER_CAPS["lines"],
    line_terms: int = EXPLORER_CAPS["line_terms"],
    groups: int = EXPLORER_CAPS["groups"],
) -> tuple[dict, dict]:
    """What the explorer shows, from a report's tables and the analysis's sentences.

    Args:
        folder: the report folder (its notebooks' tables are read from it).
        body: the body sentences of the compared articles (``doc_id, sent_id, start, text``
            and ``by``), in table order.
        articles: the compared articles (``doc_id``, ``by``; ``title``, ``published``, ``url``
            when there).
        by: the group column.
        corpus: the corpus's name, for the title.
        top_z, top_freq: terms drawn per group: the ``top_z`` with the highest z, and the
            ``top_freq`` used most by the group.
        lines: lines kept per term (actor, frame) and group, the first in table order.
        line_terms: terms per group whose lines are kept (the highest z first, then the most
            used); the lines of other drawn terms are not in the page, and it says so.
        groups: groups the page compares: the largest (most articles, ties by name), as the
            notebooks' heat maps draw them; the page says how many were left out (their
            numbers are in the notebooks' tables). Every group's lines for every other
            group's terms would grow with the square of their number (5,000 outlets: 5 GiB).

    Returns:
        ``(tables, lines)``: two JSON-ready dicts, the second parsed only when needed.
    """
    from .groups import largest_groups

    here = Path(folder) / "explorer"
    max_groups, caps = groups, []
    groups = sorted(articles[by].dropna().astype(str).unique())
    if len(groups) > max_groups:
        caps.append(f"The page compares the {max_groups:,} largest of {len(groups):,} values of "
                    f"{by} (most articles first); the notebooks' tables hold them all")  # fmt: skip
        groups = sorted(largest_groups(articles.dropna(subset=[by]), by=by, limit=max_groups))
        articles = articles[articles[by].astype(str).isin(groups)]
        body = body[body[by].astype(str).isin(groups)]
    body = body.reset_index(drop=True)
    sent_rows: dict[int, int] = {}  # body row -> index in the page's sentence list
    sents: list = []
    docs = articles.drop_duplicates("doc_id").reset_index(drop=True)
    doc_index = {d: i for i, d in enumerate(docs["doc_id"].astype(str))}
    sent_key = {
        (d, int(s)): i
        for i, (d, s) in enumerate(zip(body["doc_id"].astype(str), body["sent_id"], strict=True))
    }

    def sentence(row: int) -> int:
        if row not in sent_rows:
            r = body.iloc[row]
            sent_rows[row] = len(sents)
            sents.append([doc_index.get(str(r["doc_id"]), -1), int(r["start"]), str(r["text"])])
        return sent_rows[row]

    # --- terms: notebook 01's log-odds of every term ------------------------------------
    lo = read_saved_table(here, "01-terms", "log-odds-fightin-words", by=by)
    term_rows: dict[str, list] = {}
    line_store: dict = {"terms": {}, "actors": {}, "frames": {}}
    counts: dict = {"terms": {}, "actors": {}, "frames": {}}
    if lo is not None and len(lo):
        lo = lo.assign(**{by: lo[by].astype(str), "term": lo["term"].astype(str)})
        lo = lo[lo[by].isin(groups)]
        lo["freq"] = lo["count_in"] + lo["count_out"]
        wanted: dict[str, set] = {}
        n_all = lo.groupby(by).size()
        for g, d in lo.groupby(by, sort=True):
            by_z = d.sort_values(["z", "term"], ascending=[False, True], kind="stable")
            by_f = d.sort_values(["count_in", "term"], ascending=[False, True], kind="stable")
            keep = pd.concat([by_z.head(top_z), by_f.head(top_freq)]).drop_duplicates("term")
            keep = keep.sort_values(["z", "term"], ascending=[False, True], kind="stable")
            term_rows[g] = [[t, int(ci), int(f), round(float(z), 3)] for t, ci, f, z in
                            zip(keep["term"], keep["count_in"], keep["freq"], keep["z"],
                                strict=True)]  # fmt: skip
            with_lines = pd.concat(
                [by_z.head(line_terms * 3 // 4), by_f.head(line_terms // 4)]
            ).drop_duplicates("term")
            wanted.setdefault(g, set()).update(with_lines["term"])
            if len(d) > len(keep):
                caps.append(f"{g}: {len(keep):,} of {int(n_all[g]):,} terms drawn (the {top_z:,} "
                            f"with the highest z and the {top_freq:,} it uses most)")  # fmt: skip
        # every term with lines gets them in every group that uses it
        union = set().union(*wanted.values()) if wanted else set()
        uses = {g: set(d["term"]) & union for g, d in lo.groupby(by)}
        found, total = _term_lines(body, uses, by=by, cap=lines)
        for (g, t), got in found.items():
            line_store["terms"].setdefault(t, {})[g] = [[sentence(r), a, b] for r, a, b in got]
            counts["terms"].setdefault(t, {})[g] = total[(g, t)]
        caps.append(f"Lines are kept for {len(union):,} terms (per group the "
                    f"{line_terms * 3 // 4:,} with the highest z and the {line_terms // 4:,} "
                    f"used most), at most {lines} per term and group, the first in the "
                    "corpus's order")  # fmt: skip

    # --- actors: mentions (03) and the tone of sentences naming them (02) -----------------
    rates = _with_columns(
        read_saved_table(here, "03-voices-and-frames", "actor-mention-rates", by=by),
        read_saved_table(here, "02-sentiment", "sentiment-by-actor-all", by=by),
        ["n_sentences", "mean_compound", "ci_low", "ci_high"], on="actor", by=by, groups=groups,
    )  # fmt: skip
    actor_rows = []
    if rates is not None:
        for r in rates.to_dict("records"):
            # counts from the rates, not the lines: a long KWIC table is written as a sample
            counts["actors"].setdefault(str(r["actor"]), {})[r[by]] = int(r["mentions"])
            actor_rows.append([str(r["actor"]), r[by], _clean(r["mentions"]), _clean(r["per_1000"]),
                               _clean(r.get("mean_compound")), _clean(r.get("ci_low")),
                               _clean(r.get("ci_high")), _clean(r.get("n_sentences"))])  # fmt: skip
        kwic = read_saved_table(here, "03-voices-and-frames", "actor-mentions-kwic", by=by)
        if kwic is not None and len(kwic):
            # each actor's and group's first lines, in the table's order (one pass, not a
            # frame per pair: 5,000 groups make 100,000 pairs)
            kwic = kwic[kwic[by].astype(str).isin(groups)]
            kwic = kwic.groupby(["actor", by], sort=False).head(lines)
            kwic = kwic.sort_values(["actor", by], kind="stable")
            for a, g, d, st, en, le, al, ri in zip(
                kwic["actor"], kwic[by], kwic["doc_id"], kwic["start"], kwic["end"],
                kwic["left"], kwic["alias"], kwic["right"], strict=True,
            ):  # fmt: skip
                line_store["actors"].setdefault(str(a), {}).setdefault(str(g), []).append(
                    [doc_index.get(str(d), -1), int(st), int(en), str(le), str(al), str(ri)]
                )

    # --- frames: rates (03), hits (03) and the sentences they lie in ----------------------
    scores = _with_columns(
        read_saved_table(here, "03-voices-and-frames", "frame-rates", by=by),
        read_saved_table(here, "03-voices-and-frames", "frame-support", by=by),
        ["sentences"], on="frame", by=by, groups=groups,
    )  # fmt: skip
    frame_rows = []
    if scores is not None:
        for r in scores.to_dict("records"):
            counts["frames"].setdefault(str(r["frame"]), {})[r[by]] = int(r["hits"])
            frame_rows.append([str(r["frame"]), r[by], _clean(r["hits"]), _clean(r["per_1000"]),
                               _clean(r["ci_low"]), _clean(r["ci_high"]),
                               _clean(r.get("sentences"))])  # fmt: skip
        hits = read_saved_table(here, "03-voices-and-frames", "frame-hits", by=by)
        if hits is not None and len(hits):
            hits = hits[hits[by].astype(str).isin(groups)]
            hits = hits.sort_values(["frame", by], kind="stable")  # table order within a pair
            starts = body["start"].to_numpy()
            for f, g, d, sid, st, en in zip(
                hits["frame"], hits[by], hits["doc_id"], hits["sent_id"], hits["start"],
                hits["end"], strict=True,
            ):  # fmt: skip
                got = line_store["frames"].setdefault(str(f), {}).setdefault(str(g), [])
                if len(got) >= lines:
                    continue
                row = sent_key.get((str(d), int(sid)))
                if row is None:
                    continue
                off = int(starts[row])
                got.append([sentence(row), int(st) - off, int(en) - off])

    doc_cols = [c for c in ("title", "published", "url") if c in docs.columns]
    doc_list = []
    for r in docs.to_dict("records"):
        date = r.get("published")
        date = "" if date is None or pd.isna(date) else str(pd.Timestamp(date).date())
        title = r.get("title")
        url = r.get("url")
        doc_list.append([str(r["doc_id"]), str(r[by]),
                         "" if title is None or pd.isna(title) else str(title), date,
                         str(url) if "url" in doc_cols and isinstance(url, str) and
                         url.startswith(("http://", "https://")) else ""])  # fmt: skip
    # an article's title, date and link are kept only when a line of the page comes from it
    # (on AllSides' six largest outlets they were 3 of the page's 11 MB)
    used = {x[0] for x in sents}
    used.update(line[0] for per in line_store["actors"].values() for got in per.values()
                for line in got)  # fmt: skip
    doc_list = [d if i in used else [d[0], d[1], "", "", ""] for i, d in enumerate(doc_list)]
    tables = {
        "corpus": corpus,
        "by": by,
        "groups": groups,
        "caps": caps,
        "terms": term_rows,
        "actors": actor_rows,
        "frames": frame_rows,
        "counts": counts,
    }
    return tables, {"docs": doc_list, "sents": sents, "lines": line_store}


def _json_block(obj, ident: str) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    # inside <script>, "<" could close the element or open a comment: write it as \u003c
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/json" id="{ident}">{text}</script>'


def write_explorer(
    path: str | Path,
    folder: str | Path,
    body: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    corpus: str = "",
    **caps,
) -> Path:
    """Write the explorer page (see the module's docstring) to ``path``.

    Args:
        path: the page to write (``reports/<corpus>/explorer.html``).
        folder, body, articles, by, corpus, **caps: as :func:`explorer_data`.

    Returns:
        ``path``.
    """
    tables, lines = explorer_data(folder, body, articles, by=by, corpus=corpus, **caps)
    page = _PAGE.replace("__TITLE__", html.escape(f"framing explorer: {corpus}"))
    page = page.replace("__TABLES__", _json_block(tables, "tables"))
    page = page.replace("__LINES__", _json_block(lines, "lines"))
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


_PAGE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:.8em 1.5em;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:1.3em;margin:.1em 0} header p{margin:.2em 0;font-size:.9em;color:#555}
nav.tabs{display:flex;gap:.3em;padding:.5em 1.5em 0;background:#fff;border-bottom:1px solid #ddd}
nav.tabs button{border:1px solid #ccc;border-bottom:none;background:#eee;padding:.4em 1em;cursor:pointer;font-size:1em}
nav.tabs button.on{background:#fafafa;font-weight:600}
main{display:grid;grid-template-columns:minmax(420px,1fr) minmax(380px,1fr);gap:1em;padding:1em 1.5em}
section{background:#fff;border:1px solid #ddd;padding:.8em;min-width:0}
.groups button{margin:0 .3em .3em 0;border:1px solid #aaa;background:#fff;padding:.2em .6em;cursor:pointer;border-radius:3px}
.groups button.on{background:#2b5d9b;color:#fff;border-color:#2b5d9b}
input[type=search]{width:100%;box-sizing:border-box;padding:.4em;font-size:1em;margin:.4em 0}
canvas{width:100%;height:340px;border:1px solid #eee;cursor:crosshair;display:block}
table{border-collapse:collapse;width:100%;font-size:.88em}
th,td{text-align:left;padding:.2em .5em;border-bottom:1px solid #eee}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr{cursor:pointer} tbody tr:hover{background:#eef3fb} tr.sel{background:#dce8f8}
.list{max-height:420px;overflow:auto}
.kwic h3{font-size:1em;margin:.8em 0 .2em;border-bottom:1px solid #ddd}
.line{font-family:ui-monospace,monospace;font-size:.82em;display:grid;grid-template-columns:1fr auto 1fr auto;gap:.4em;padding:.15em 0;border-bottom:1px dotted #eee}
.line .l{text-align:right;overflow:hidden;white-space:nowrap;direction:rtl}
.line .l span{direction:ltr;unicode-bidi:embed}
.line .r{overflow:hidden;white-space:nowrap}
.line .m{font-weight:700;color:#a01818}
.line a{font-family:system-ui,sans-serif;font-size:.9em;color:#2b5d9b;white-space:nowrap}
.sentence{grid-column:1/-1;font-family:system-ui,sans-serif;background:#f4f4f4;padding:.4em;white-space:normal}
.note{color:#666;font-size:.85em} .warn{color:#8a5a00}
.hidden{display:none}
@media (max-width:900px){main{grid-template-columns:1fr}}
</style></head>
<body>
<header><h1 id="title"></h1><p id="about"></p>
<p><a href="index.html">← findings</a> · <span class="note" id="capnote"></span></p></header>
<nav class="tabs"><button data-tab="terms" class="on">Terms</button><button data-tab="actors">Actors</button><button data-tab="frames">Frames</button></nav>
<main>
<section id="left">
 <div id="terms-pane">
  <div class="groups" id="groups"></div>
  <p class="note">Each point is a term the group uses: across, how often the whole corpus uses it (log scale); up, its log-odds z against the other groups (dashed: z = ±1.96, a guide, not a test). Terms with the same counts share one point (the darker, the more); the list below has every term drawn. Click a point or a row.</p>
  <canvas id="plot" width="900" height="340" aria-label="terms: frequency against z"></canvas>
  <input type="search" id="q" placeholder="search terms (e.g. china)" aria-label="search terms">
  <div class="list"><table><thead><tr><th>term</th><th>uses here</th><th>in corpus</th><th>z</th></tr></thead><tbody id="rows"></tbody></table></div>
  <p class="note" id="found"></p>
 </div>
 <div id="actors-pane" class="hidden">
  <input type="search" id="qa" placeholder="search actors" aria-label="search actors">
  <p class="note">Mentions per 1,000 words; tone is the mean VADER compound of the group's sentences naming the actor, with its interval and the number of sentences (the tone of the sentence, not the outlet's attitude).</p>
  <div class="list"><table><thead><tr><th>actor</th><th>group</th><th>mentions</th><th>per 1,000</th><th>tone</th><th>sentences</th></tr></thead><tbody id="arows"></tbody></table></div>
 </div>
 <div id="frames-pane" class="hidden">
  <input type="search" id="qf" placeholder="search frames" aria-label="search frames">
  <p class="note">Hits of the frame's dictionary per 1,000 words with the bootstrap interval; “sentences” is how many sentences the hits lie in (⚠ marks a rate resting on one or two).</p>
  <div class="list"><table><thead><tr><th>frame</th><th>group</th><th>hits</th><th>per 1,000</th><th>interval</th><th>sentences</th></tr></thead><tbody id="frows"></tbody></table></div>
 </div>
</section>
<section class="kwic" id="kwic"><p class="note">Click a term, an actor or a frame to read its lines in each group.</p></section>
</main>
__TABLES__
__LINES__
<script>
"use strict";
(function(){
const T = JSON.parse(document.getElementById("tables").textContent);
let L = null;  // the lines, parsed on first use
function lines(){ if(!L){ L = JSON.parse(document.getElementById("lines").textContent); } return L; }
const $ = id => document.getElementById(id);
function el(tag, text, cls){ const e = document.createElement(tag); if(text !== undefined && text !== null) e.textContent = String(text); if(cls) e.className = cls; return e; }
const fmt = (x, d) => x === null || x === undefined ? "" : Number(x).toFixed(d).replace("-", "\u2212");
$("title").textContent = "framing explorer: " + T.corpus;
$("about").textContent = "Compared by " + T.by + ": " + T.groups.join(" · ");
$("capnote").textContent = T.caps.length ? "Capped: " + T.caps.join("; ") + ". The whole tables are the CSV files of notebooks 01–03." : "Nothing capped: every term is drawn.";
let group = T.groups.find(g => T.terms[g]) || T.groups[0];
let selected = null;
const gbox = $("groups");
for(const g of T.groups){ const b = el("button", g); b.dataset.g = g; b.onclick = () => { group = g; drawGroups(); plot(); list(); }; gbox.appendChild(b); }
function drawGroups(){ for(const b of gbox.children) b.classList.toggle("on", b.dataset.g === group); }
// --- scatter on a canvas ---
const cv = $("plot"); let pts = [];
function plot(){
  const rows = T.terms[group] || [];
  const dpr = window.devicePixelRatio || 1, w = cv.clientWidth || 900, h = cv.clientHeight || 340;
  cv.width = w * dpr; cv.height = h * dpr; const c = cv.getContext("2d"); c.scale(dpr, dpr);
  c.clearRect(0, 0, w, h);
  const pad = {l: 44, r: 10, t: 10, b: 30};
  let fmax = 1, zmin = -2, zmax = 2;
  for(const r of rows){ fmax = Math.max(fmax, r[2]); zmin = Math.min(zmin, r[3]); zmax = Math.max(zmax, r[3]); }
  const span = (zmax - zmin) * 0.06; zmin -= span; zmax += span;
  const X = f => pad.l + (Math.log10(f) / Math.log10(fmax * 1.2)) * (w - pad.l - pad.r);
  const Y = z => pad.t + (zmax - z) / (zmax - zmin) * (h - pad.t - pad.b);
  c.strokeStyle = "#999"; c.fillStyle = "#444"; c.font = "11px system-ui"; c.lineWidth = 1;
  c.beginPath(); c.moveTo(pad.l, pad.t); c.lineTo(pad.l, h - pad.b); c.lineTo(w - pad.r, h - pad.b); c.stroke();
  for(let k = 0; Math.pow(10, k) <= fmax * 1.2; k++){ const x = X(Math.pow(10, k)); c.fillText(String(Math.pow(10, k)), x - 4, h - pad.b + 14); }
  for(const z of [zmin, 0, zmax]){ c.fillText(z.toFixed(1), 4, Y(z) + 4); }
  c.setLineDash([4, 4]); for(const z of [1.96, -1.96]){ if(z > zmin && z < zmax){ c.beginPath(); c.moveTo(pad.l, Y(z)); c.lineTo(w - pad.r, Y(z)); c.stroke(); } } c.setLineDash([]);
  c.fillText("uses in the whole corpus (log scale)", w / 2 - 90, h - 4);
  pts = []; const q = $("q").value.trim().toLowerCase();
  for(const r of rows){ const x = X(r[2]), y = Y(r[3]); pts.push([x, y, r[0]]);
    const hit = q && r[0].includes(q); c.fillStyle = hit ? "rgba(200,80,0,.9)" : (r[3] > 1.96 ? "rgba(180,30,30,.55)" : "rgba(90,90,90,.35)");
    c.beginPath(); c.arc(x, y, hit ? 3.5 : 2.2, 0, 6.283); c.fill(); }
  if(selected){ const p = pts.find(p => p[2] === selected); if(p){ c.strokeStyle = "#0a3"; c.lineWidth = 2; c.beginPath(); c.arc(p[0], p[1], 7, 0, 6.283); c.stroke(); c.fillStyle = "#063"; c.font = "bold 12px system-ui"; c.fillText(selected, Math.min(p[0] + 9, w - 10 - c.measureText(selected).width), Math.max(p[1] - 6, 12)); } }
}
cv.addEventListener("click", ev => { const r = cv.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top; let best = null, bd = 64;
  for(const p of pts){ const d = (p[0] - x) ** 2 + (p[1] - y) ** 2; if(d < bd){ bd = d; best = p; } } if(best) showTerm(best[2]); });
function list(){
  const rows = T.terms[group] || [], q = $("q").value.trim().toLowerCase(), tb = $("rows");
  const hits = q ? rows.filter(r => r[0].includes(q)) : rows; tb.textContent = "";
  for(const r of hits.slice(0, 300)){ const tr = el("tr"); if(r[0] === selected) tr.className = "sel";
    tr.appendChild(el("td", r[0])); tr.appendChild(el("td", r[1].toLocaleString(), "n")); tr.appendChild(el("td", r[2].toLocaleString(), "n")); tr.appendChild(el("td", fmt(r[3], 2), "n"));
    tr.onclick = () => showTerm(r[0]); tb.appendChild(tr); }
  $("found").textContent = (q ? hits.length.toLocaleString() + " of " : "") + rows.length.toLocaleString() + " terms drawn for " + group + (hits.length > 300 ? "; the first 300 listed" : "") + (q && !hits.length ? ": not among the terms drawn here (see 01-terms/log-odds-fightin-words.csv)" : "");
}
$("q").addEventListener("input", () => { plot(); list(); });
// --- lines ---
function docLabel(d){ const D = lines().docs[d]; return D ? D[0] : "?"; }
function sentenceBox(doc, start, end, text){
  const box = el("div", null, "sentence hidden"); const D = lines().docs[doc] || ["?", "", "", "", ""];
  box.appendChild(el("div", D[2] ? D[2] + (D[3] ? " (" + D[3] + ")" : "") : D[0]));
  const info = el("div", "article " + D[0] + " · " + D[1] + " · characters " + start + "–" + end + " of its cleaned text", "note"); box.appendChild(info);
  if(text) box.appendChild(el("div", text));
  if(D[4]){ const a = el("a", "the article as published"); a.href = D[4]; a.rel = "noopener noreferrer"; a.target = "_blank"; box.appendChild(a); }
  return box;
}
function lineRow(left, match, right, doc, start, end, text){
  const row = el("div", null, "line"); const lc = el("span", null, "l"); lc.appendChild(el("span", left)); row.appendChild(lc); row.appendChild(el("span", match, "m")); row.appendChild(el("span", right, "r"));
  const a = el("a", docLabel(doc) + ":" + start + "–" + end); a.href = "#"; a.title = "show the sentence and its article";
  const box = sentenceBox(doc, start, end, text);
  a.onclick = ev => { ev.preventDefault(); box.classList.toggle("hidden"); }; row.appendChild(a); row.appendChild(box); return row;
}
function sentLine(s, a, b){ const S = lines().sents[s]; const t = S[2];
  const l = t.slice(Math.max(0, a - 70), a), r = t.slice(b, b + 70);
  return lineRow((a > 70 ? "…" : "") + l, t.slice(a, b), r + (b + 70 < t.length ? "…" : ""), S[0], S[1] + a, S[1] + b, t); }
function showLines(kind, name, title, unit){
  const box = $("kwic"); box.textContent = ""; box.appendChild(el("h2", title));
  const per = (lines().lines[kind] || {})[name] || {}, n = (T.counts[kind] || {})[name] || {};
  for(const g of T.groups){ const got = per[g] || [], total = n[g] || 0;
    box.appendChild(el("h3", g + " — " + (total ? total.toLocaleString() + " " + unit + (total === 1 ? "" : "s") + (got.length < total ? ", the first " + got.length + " shown" : "") : "none")));
    if(!got.length && total){ box.appendChild(el("p", "its lines are beyond the page's cap (see the CSV files)", "note")); }
    for(const x of got){ box.appendChild(kind === "actors" ? lineRow(x[3], x[4], x[5], x[0], x[1], x[2], null) : sentLine(x[0], x[1], x[2])); } }
  window.__explorerShown = (window.__explorerShown || 0) + 1;
}
function showTerm(t){ selected = t; plot(); list(); location.hash = "term=" + encodeURIComponent(t) + "&group=" + encodeURIComponent(group); showLines("terms", t, "“" + t + "” in context", "use"); }
// --- actors and frames tables ---
function table(tb, rows, q, cells, onclick){ tb.textContent = ""; for(const r of rows){ if(q && !String(r[0]).toLowerCase().includes(q)) continue; const tr = el("tr"); for(const [v, cls] of cells(r)) tr.appendChild(el("td", v, cls)); tr.onclick = () => onclick(r); tb.appendChild(tr); } }
function actors(){ table($("arows"), T.actors, $("qa").value.trim().toLowerCase(), r => [[r[0]], [r[1]], [r[2], "n"], [fmt(r[3], 2), "n"], [r[4] === null ? "" : fmt(r[4], 2) + " [" + fmt(r[5], 2) + ", " + fmt(r[6], 2) + "]", "n"], [r[7] === null ? "" : r[7], "n"]], r => showActor(r[0])); }
function frames(){ table($("frows"), T.frames, $("qf").value.trim().toLowerCase(), r => [[r[0]], [r[1]], [r[2], "n"], [fmt(r[3], 1) + (r[6] !== null && r[2] > 0 && r[6] < 3 ? " ⚠" : ""), "n"], [fmt(r[4], 1) + "–" + fmt(r[5], 1), "n"], [r[6] === null ? "" : r[6], "n"]], r => showFrame(r[0])); }
function showActor(a){ location.hash = "actor=" + encodeURIComponent(a); showLines("actors", a, a + ": mentions", "mention"); }
function showFrame(f){ location.hash = "frame=" + encodeURIComponent(f); showLines("frames", f, "“" + f + "”: hits", "hit"); }
$("qa").addEventListener("input", actors); $("qf").addEventListener("input", frames);
function tab(name){ for(const b of document.querySelectorAll("nav.tabs button")) b.classList.toggle("on", b.dataset.tab === name);
  for(const p of ["terms", "actors", "frames"]) $(p + "-pane").classList.toggle("hidden", p !== name); if(name === "terms") plot(); }
for(const b of document.querySelectorAll("nav.tabs button")) b.onclick = () => tab(b.dataset.tab);
drawGroups(); plot(); list(); actors(); frames();
// a link from the findings page: #term=…&group=…, #actor=…, #frame=…
const h = new URLSearchParams(location.hash.slice(1));
if(h.get("group") && T.groups.includes(h.get("group"))){ group = h.get("group"); drawGroups(); plot(); list(); }
if(h.get("term")){ $("q").value = h.get("term"); plot(); list(); showTerm(h.get("term")); }
else if(h.get("actor")){ tab("actors"); showActor(h.get("actor")); }
else if(h.get("frame")){ tab("frames"); showFrame(h.get("frame")); }
window.addEventListener("resize", plot);
window.__explorerReady = performance.now();
})();
</script>
</body></html>
"""
