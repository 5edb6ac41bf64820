"""Held-out quotation figures: the quotation finder against the hand-judged AllSides sample.

Run from the project folder (needs ../shared/data/allsides):

    .venv/bin/python tools/heldout_quotes.py [--dev | --dev2] [actors.csv]
    .venv/bin/python tools/heldout_quotes.py [--dev | --dev2] --write-articles

``--dev`` works on the development sample (``src/framing/data/dev_quotes_allsides.csv``, 24
articles of lines 1-4,000 the rules are written on) instead of the held-out one; ``--dev2`` on
the second development sample (``dev2_quotes_allsides.csv``, 24 articles of lines 4,001-10,000,
judged by hand in the ninth pass on #15, also written on).

With ``--write-articles`` it writes the judged articles' cleaned texts, as framing loads them
from the whole corpus, to ``src/framing/data/heldout_articles_allsides.jsonl.gz`` (what
:func:`framing.evaluate.heldout_accuracy` reads by default; rewrite it when cleaning changes:
``tests/test_evaluate.py`` compares the two whenever the corpus is beside the project).

The sample (``src/framing/data/heldout_quotes_allsides.csv``: 48 articles, judged by hand before
any rule was changed on them) is scored with :func:`framing.evaluate.attribution_accuracy`:
quotation detection (precision, recall, F1) and speaker accuracy by how the speaker is named,
then the speakers as codes (:func:`framing.speaker_codes`) against the judge's with
:func:`framing.agreement_with` (Krippendorff's alpha).
"""

import sys

import framing
from framing.evaluate import (
    QUOTE_SAMPLES,
    attribution_accuracy,
    load_heldout_quotes,
    locate_quotes,
)


def write_articles(articles, sample: str) -> None:
    import gzip
    from pathlib import Path

    path = Path("src/framing") / QUOTE_SAMPLES[sample][1]
    table = articles[["doc_id", "outlet", "text"]].sort_values("doc_id", kind="stable")
    lines = table.to_json(orient="records", lines=True, force_ascii=False)
    # mtime 0: the same texts give the same bytes
    path.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {len(table)} articles to {path} ({path.stat().st_size:,} bytes)")


def main() -> None:
    args = sys.argv[1:]
    sample = "dev2" if "--dev2" in args else "dev" if "--dev" in args else "heldout"
    args = [a for a in args if a not in ("--dev", "--dev2")]
    gold = load_heldout_quotes(sample=sample)
    articles = framing.load_corpus("corpus/allsides.toml")
    articles = articles[articles["doc_id"].isin(set(gold["doc_id"]))]
    if args == ["--write-articles"]:
        write_articles(articles, sample)
        return
    kw = {"actors": framing.load_actors(args[0])} if args else {}
    found = framing.find_quotes(articles, **kw)
    summary, rows = attribution_accuracy(found, locate_quotes(gold, articles))
    print(summary.round(3).to_string(index=False))
    print("gold rows not found in the cleaned text:", summary.attrs["left_out"])
    speakers = framing.agreement_with(*framing.speaker_codes(rows))
    print("\nspeakers found vs judged (Krippendorff's alpha, nominal):")
    print(speakers.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
