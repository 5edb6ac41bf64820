"""Page furniture on AllSides: the outlets' top log-odds terms with and without the learned rule.

Run from the project folder:

    .venv/bin/python benchmarks/boilerplate_terms.py                  # before and after
    .venv/bin/python benchmarks/boilerplate_terms.py --sample 60 --units 60   # and removals
    .venv/bin/python benchmarks/boilerplate_terms.py --rule-off-only  # the "before" lists
    .venv/bin/python benchmarks/boilerplate_terms.py --shared         # and shared passages lost
    .venv/bin/python benchmarks/boilerplate_terms.py --rows 3000      # a quick check

The corpus is loaded twice (without the load cache): with ``boilerplate=False`` (the generic
rules alone) and with the default learned rule (:mod:`framing.text.boilerplate`). For each of
the eight largest outlets it prints the top ``--top`` terms of :func:`framing.log_odds` on the
body sentences of those outlets (unigrams and bigrams, ``min_count`` 5), before and after; then,
per outlet, what the learned rule removed (lines and sentences, articles, words, and their share
of the words collected); with ``--sample N``, N removed lines drawn at random (seed 15) across
those outlets, and with ``--units N``, N distinct removed units (one removal each, a sentence with
its line), for reading.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import framing
from framing.text.boilerplate import RULE_ID, boilerplate_summary, unit_keys
from framing.text.words import count_words_many

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "corpus" / "allsides.toml"


def top_terms(articles: pd.DataFrame, top: int, min_count: int) -> dict[str, list[str]]:
    kept = framing.select_outlets(articles, by="outlet", top_outlets=8)
    sents = framing.join_articles(framing.sentences(kept), kept, "outlet")
    lo = framing.log_odds(sents, by="outlet", min_count=min_count)
    return {o: g.head(top)["term"].tolist() for o, g in lo.groupby("outlet", sort=True)}


def shared_lost(before: pd.DataFrame, after: pd.DataFrame) -> None:
    """Passages two outlets share word for word (framing.shared_passages) before the rule that
    are not there, unchanged, after it: what shared text the rule takes away."""
    ids = sorted(set(before["doc_id"]) & set(after["doc_id"]))
    sp = {
        name: framing.shared_passages(df[df["doc_id"].isin(ids)].reset_index(drop=True))
        for name, df in (("before", before), ("after", after))
    }
    words = {k: v.groupby(["doc_id_a", "doc_id_b"])["n_words"].sum() for k, v in sp.items()}
    lost_words = words["before"].subtract(words["after"], fill_value=0)
    kept = set(zip(sp["after"].doc_id_a, sp["after"].doc_id_b, sp["after"].text, strict=True))
    b = sp["before"]
    gone = b[[k not in kept for k in zip(b.doc_id_a, b.doc_id_b, b.text, strict=True)]]
    print(
        f"\n## Shared passages: {len(b):,} before, {len(sp['after']):,} after; "
        f"{int((lost_words > 0).sum()):,} of {len(lost_words):,} article pairs lose shared "
        f"words ({int(lost_words[lost_words > 0].sum()):,} of {int(words['before'].sum()):,}); "
        f"{len(gone):,} passages gone or changed. The most frequent:"
    )
    for text, n in gone["text"].str.slice(0, 110).value_counts().head(25).items():
        print(f"  {n:>5}  {text!r}")
    print("Drawn at random (seed 17):")
    for r in gone.sample(min(40, len(gone)), random_state=17).itertuples():
        print(f"  [{r.outlet_a} | {r.outlet_b} | {r.n_words} w] {r.text[:150]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=int, default=0, help="removed lines to print for reading")
    ap.add_argument(
        "--units", type=int, default=0, help="distinct removed lines or sentences to print"
    )
    ap.add_argument("--rows", type=int, default=None, help="only the first N rows (a quick check)")
    ap.add_argument(
        "--cache", action="store_true", help="read and write the load cache (default: off)"
    )
    ap.add_argument("--rule-off-only", action="store_true")
    ap.add_argument(
        "--shared",
        action="store_true",
        help="also: which passages shared by two outlets the rule takes away (slow)",
    )
    args = ap.parse_args(argv)

    say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    say("loading without the learned rule …")
    before = framing.load_corpus(SPEC, cache=args.cache, boilerplate=False, limit=args.rows)
    lists = {"before": top_terms(before, args.top, args.min_count)}
    after = None
    if not args.rule_off_only:
        if not args.shared:
            del before
        say("loading with the learned rule …")
        after = framing.load_corpus(SPEC, cache=args.cache, limit=args.rows)
        lists["after"] = top_terms(after, args.top, args.min_count)
    for outlet in lists["before"]:
        print(f"\n## {outlet}")
        for when, found in lists.items():
            print(f"{when:>6}: {', '.join(found[outlet])}")
    if after is None:
        return 0

    kept = framing.select_outlets(after, by="outlet", top_outlets=8)
    audit = framing.cleaning_audit(kept)
    learned = audit[audit["rule"] == RULE_ID]
    outlet_of = dict(zip(kept["doc_id"], kept["outlet"], strict=True))
    learned = learned.assign(
        outlet=learned["doc_id"].map(outlet_of), words=count_words_many(learned["text"])
    )
    raw_words = pd.Series(count_words_many(kept["text_raw"]), index=kept.index)
    per = learned.groupby("outlet").agg(
        rows=("text", "size"), articles=("doc_id", "nunique"), words=("words", "sum")
    )
    per["of_articles"] = kept.groupby("outlet").size()
    per["share_of_words"] = per["words"] / raw_words.groupby(kept["outlet"]).sum()
    print("\n## What repeated_boilerplate removed (lines or sentences, articles, words)")
    print(per.to_string(float_format=lambda v: f"{v:.2%}"))
    summary = boilerplate_summary(audit, kept)
    print("\n## The most widespread learned units per outlet")
    for outlet, grp in summary.groupby("outlet", sort=True):
        print(f"\n{outlet}: {len(grp)} units")
        for r in grp.head(8).itertuples():
            print(f"  {r.articles:>5} articles  {r.text[:110]!r}")
    if args.units:
        # one removal per distinct unit (outlet and key), drawn at random: the rare units too,
        # which a sample of rows would seldom show; a sentence is shown with its whole line
        keyed = learned.assign(_key=unit_keys(learned["text"].tolist()))
        one = keyed.drop_duplicates(["outlet", "_key"])
        pick = np.random.default_rng(16).choice(len(one), min(args.units, len(one)), False)
        raw = dict(zip(kept["doc_id"], kept["text_raw"], strict=True))
        print(f"\n## {len(pick)} of {len(one)} distinct removed units, drawn at random (seed 16)")
        for i, r in enumerate(one.iloc[np.sort(pick)].itertuples(), start=1):
            line = raw[r.doc_id].split("\n")[r.line_no - 1].strip()
            shown = (
                f"{r.text[:150]!r}"
                if line == r.text
                else (f"{r.text[:120]!r}  IN LINE  {line[:200]!r}")
            )
            print(f"{i:>3}. [{r.outlet} | {r.n_articles} art.] {shown}")
    if args.shared:
        shared_lost(before, after)
    if args.sample:
        rng = np.random.default_rng(15)
        pick = rng.choice(len(learned), size=min(args.sample, len(learned)), replace=False)
        print(f"\n## {len(pick)} removed lines or sentences drawn at random (seed 15)")
        for i, r in enumerate(learned.iloc[np.sort(pick)].itertuples(), start=1):
            print(f"{i:>3}. [{r.outlet} | {r.doc_id} line {r.line_no} | {r.n_articles} art.] "
                  f"{r.text[:160]!r}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
