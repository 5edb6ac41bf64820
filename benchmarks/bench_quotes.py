"""Benchmark: ``framing.find_quotes`` on long paragraphs, ours vs. the code at another revision
(by default the code before the linear rewrite).

Run:  .venv/bin/python benchmarks/bench_quotes.py [--before REV] [--old-max-mb X] [--check N]
      [--big-mb 50] [--no-big] [--series line,para,quotes] [--no-old]

Prints, in one run and side by side:
  1. one-line articles of 1, 2 and 4 MB (AllSides texts joined, paragraph breaks replaced by
     spaces), the same texts with their paragraph breaks, and one paragraph of 10,000, 20,000
     and 40,000 one-word quotations (120, 240 and 480 KB, no sentence break): CPU and wall
     time of ours and of the code at ``--before`` (the package ``src/framing`` at that
     revision, read from git and imported beside ours), the ratio of each time to the one of
     half the size (about 2 when the time grows linearly), and whether both tables are equal
     (``DataFrame.equals``);
  2. a 50 MB one-line article, ours only (the old code does not finish in 15 minutes);
  3. with ``--check N``: both versions on the first N AllSides articles, tables compared with
     ``DataFrame.equals``.

The code at a revision before issue #14 read quotation marks with a scanner of its own; it runs
here with ours (``framing.text.quotemarks.quoted_spans``) in its place, so that the tables
compare the attribution, which is what the benchmark times (the two scanners' differences are
in docs/methods.md). Its table carried an ``outlet`` column then; it is dropped before the
comparison (``find_quotes`` is keyed by ``doc_id``).

The old code runs only where its input is at most ``--old-max-mb`` (default 4; about 90 s of CPU
on the 4 MB line for the code before the linear rewrite) and on at most ``--old-max-quotes``
quotations in one paragraph (default 10,000, about 40 s; the time grows with the square: 40,000
would take about 10 minutes). Times are CPU seconds of this process (the machine is shared;
wall time is printed beside them).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import framing
from framing.text.quotemarks import MARKS, quoted_spans

ROOT = Path(__file__).resolve().parents[1]
ALLSIDES = ROOT.parent / "shared" / "data" / "allsides" / "articles.jsonl.gz"
BEFORE = "131dbe1"  # main before the linear rewrite of quotes()

# a paragraph holding an address or a reference-list date is skipped whole (a citation): such
# texts would turn a joined one-line article into one citation with no quotation read
_URL = re.compile(r"https?://|www\.|\b\w+\.(?:com|org|net|gov|edu)/")
_CITATION_DATE = re.compile(
    r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b"
    r"|\(\d{4}[a-z]?\)"
)


def load_allsides(limit: int | None = None) -> pd.DataFrame:
    """AllSides articles as read from the JSON lines: ``doc_id, outlet, text``."""
    rows = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                break
            d = json.loads(line)
            rows.append((d.get("id"), d.get("source"), d.get("text") or ""))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


def prose(texts: list[str], size: int, *, breaks: bool) -> str:
    """AllSides texts joined to ``size`` characters: one line, or paragraphs as written."""
    parts, total, i = [], 0, 0
    while total < size:
        t = texts[i % len(texts)].strip()
        i += 1
        if not breaks:
            t = re.sub(r"\s*\n\s*", " ", t)
        parts.append(t)
        total += len(t) + 2
    return ("\n\n" if breaks else " ").join(parts)[:size]


def many_quotes(texts: list[str], n: int) -> str:
    """One paragraph of ``n`` one-word quotations among the words of real articles, 12
    characters per quotation (480 KB for 40,000), with no sentence break: one unit."""
    words = re.findall(r"[A-Za-z]+", " ".join(texts[:200]))
    out, size, w = [], 0, 0
    for k in range(n):
        out.append(f"“{words[w % len(words)]}”")
        size += len(out[-1]) + 1
        w += 1
        while size < 12 * (k + 1):
            out.append(words[w % len(words)])
            size += len(out[-1]) + 1
            w += 1
    return " ".join(out)


class _Opening:
    """The old code's ``_OPENING`` as the one scanner reads marks: its search of a paragraph
    finds any mark; its search of ``para[s0:s1]`` whether a quotation opens there."""

    def search(self, para, *args):
        if not args:
            return MARKS.search(para)
        s0, s1 = args
        return any(s0 <= o < s1 for o, s, e, _ in quoted_spans(para) if e > s) or None


def load_before(rev: str):
    """``find_quotes`` (or ``quotes``) as it was at ``rev``: the modules of ``src/framing`` at
    that revision, imported beside ours as the package ``framing_<rev>`` with an empty
    ``__init__`` (only the quotation finder and the modules it imports run); a scanner of its
    own is replaced by ours."""
    tmp = Path(tempfile.mkdtemp())
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src/framing"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    name = "framing_" + re.sub(r"\W", "_", rev)
    shutil.move(tmp / "src" / "framing", tmp / name)
    (tmp / name / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(tmp))
    where = "measures.quotes" if (tmp / name / "measures" / "quotes.py").exists() else "quotes"
    module = importlib.import_module(f"{name}.{where}")
    if hasattr(module, "_spans"):  # before issue #14: the quotation finder's own scanner
        module._spans = lambda para: [s for s in quoted_spans(para) if s[2] > s[1]]
        module._OPENING = _Opening()
    find = getattr(module, "find_quotes", None) or module.quotes

    def run(df: pd.DataFrame) -> pd.DataFrame:
        out = find(df)
        return out.drop(columns="outlet") if "outlet" in out.columns else out

    return run


def one(text: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a"], "outlet": ["o"], "text": [text]})


def timed(fn, df):
    c, w = time.process_time(), time.perf_counter()
    out = fn(df)
    return out, time.process_time() - c, time.perf_counter() - w


def series(name, inputs, old, old_max):
    """Time each input (label, size in bytes, text), ours and old, and print the ratios."""
    print(f"\n{name}")
    print(f"{'input':>14} {'quotes':>7} {'ours cpu':>9} {'x prev':>6} {'wall':>6}   "
          f"{'old cpu':>8} {'x prev':>6} {'wall':>6}  {'old/ours':>8}  equal")  # fmt: skip
    prev_new = prev_old = None
    for label, size, text in inputs:
        df = one(text)
        new, c_new, w_new = timed(framing.find_quotes, df)
        line = f"{label:>14} {len(new):>7} {c_new:>9.2f} "
        line += f"{c_new / prev_new:>6.2f} " if prev_new else f"{'':>6} "
        line += f"{w_new:>6.2f}   "
        if old is not None and size <= old_max * 1e6:
            ref, c_old, w_old = timed(old, df)
            line += f"{c_old:>8.2f} "
            line += f"{c_old / prev_old:>6.2f} " if prev_old else f"{'':>6} "
            line += f"{w_old:>6.2f}  {c_old / c_new:>8.1f}  {new.equals(ref)}"
            prev_old = c_old
        else:
            line += f"{'(not run)':>8}"
            prev_old = None
        prev_new = c_new
        print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BEFORE, help="git revision of the old code")
    ap.add_argument("--old-max-mb", type=float, default=4.0, help="largest input for the old code")
    ap.add_argument("--old-max-quotes", type=int, default=10_000,
                    help="most quotations in one paragraph for the old code")  # fmt: skip
    ap.add_argument("--no-old", action="store_true", help="time ours only")
    ap.add_argument("--big-mb", type=float, default=50.0, help="size of the one-line case")
    ap.add_argument("--no-big", action="store_true", help="skip the big one-line case")
    ap.add_argument("--series", default="line,para,quotes",
                    help="which of line, para, quotes to time (comma-separated)")  # fmt: skip
    ap.add_argument("--check", type=int, default=0, metavar="N",
                    help="compare both versions on the first N AllSides articles")  # fmt: skip
    args = ap.parse_args()

    old = None if args.no_old else load_before(args.before)
    corpus = load_allsides()
    texts = [t for t in corpus["text"] if not _URL.search(t) and not _CITATION_DATE.search(t)]
    framing.find_quotes(one("He said “this warms the caches up.”"))  # load the cue tables once
    if old is not None:
        old(one("He said “this warms the caches up.”"))
    print(f"AllSides: {len(corpus):,} articles, {len(texts):,} without addresses or dates")
    if old is not None:
        print(f"old code: {args.before} (git archive), run on inputs up to {args.old_max_mb:g} MB")

    mb = [1, 2, 4]
    which = set(args.series.split(",")) - {""}
    if which - {"line", "para", "quotes"}:
        sys.exit(f"--series: unknown {sorted(which - {'line', 'para', 'quotes'})}")
    if "line" in which:
        series("one-line articles (paragraph breaks replaced by spaces)",
           [(f"{m} MB", m * 10**6, prose(texts, m * 10**6, breaks=False)) for m in mb],
           old, args.old_max_mb)  # fmt: skip
    if "para" in which:
        series("the same texts with their paragraph breaks",
           [(f"{m} MB", m * 10**6, prose(texts, m * 10**6, breaks=True)) for m in mb],
           old, args.old_max_mb)  # fmt: skip
    qs = [10_000, 20_000, 40_000]
    if "quotes" in which:
        series("one paragraph of one-word quotations (no sentence break)",
           [(f"{n:,} q", 12 * n, many_quotes(texts, n)) for n in qs],
           old, 12 * args.old_max_quotes / 1e6)  # fmt: skip

    if not args.no_big:
        size = int(args.big_mb * 10**6)
        text = prose(texts, size, breaks=False)
        new, c, w = timed(framing.find_quotes, one(text))
        print(f"\none-line article of {args.big_mb:g} MB: {len(new):,} quoted spans, "
              f"{c:.1f} s CPU ({w:.1f} s wall); old code not run")  # fmt: skip

    if args.check:
        if old is None:
            sys.exit("--check needs the old code (drop --no-old)")
        df = corpus.head(args.check)
        new, c_new, _ = timed(framing.find_quotes, df)
        ref, c_old, _ = timed(old, df)
        print(f"\nfirst {len(df):,} AllSides articles: {len(new):,} rows; ours {c_new:.1f} s, "
              f"old {c_old:.1f} s CPU; tables equal: {new.equals(ref)}")  # fmt: skip
        if not new.equals(ref):
            sys.exit(1)


if __name__ == "__main__":
    main()
