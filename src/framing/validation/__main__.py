"""``python -m framing.validation``: every validation figure of the shipped AllSides sample.

Prints the coders' agreement, the dictionary against the coders' majority, the cross-validated
frame models beside their baselines and (when ``../shared/data`` is beside the project, since
the tone rules read the articles) whole-sentence against actor-aimed VADER tone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import framing

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "corpus" / "allsides-validation"


def main() -> int:
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    sample = pd.read_csv(DATA / "sample.csv", keep_default_na=False)
    codes_file = DATA / "codes.toml"
    codes = framing.read_codes(
        {c: DATA / f"coder_{c}.csv" for c in "abc"}, codes=codes_file, units=sample
    )
    frames = [c for c, f in framing.load_codes(codes_file)[["code", "frame"]].to_numpy() if f]
    print("Coders' agreement (Krippendorff's alpha, 95% bootstrap interval over units)")
    agree = framing.agreement(codes, level={"tone": "ordinal"}, n_boot=1000, seed=0)
    print(agree.round(3).to_string(index=False), "\n")
    print("Dictionary (at least one hit) against the coders' majority")
    labels = framing.dictionary_labels(sample, frames=frames, codes=codes_file)
    tool = framing.agreement_with(labels.assign(tool="dictionary"),
                                  codes[codes["code"].isin(frames)], n_boot=1000, seed=0)  # fmt: skip
    print(tool.round(3).to_string(index=False), "\n")
    print("Frame models, 5-fold cross-validation grouped by article, beside the baselines")
    units = sample.merge(framing.majority_codes(codes, wide=True), on="unit_id")
    cv = framing.cross_validate_frames(
        units, frames=frames, codes=codes_file, learners=["svm", "logistic", "naive_bayes"]
    )
    print(cv.round(3).to_string(index=False), "\n")
    spec = ROOT / "corpus" / "allsides.toml"
    if not (ROOT.parent / "shared" / "data" / "allsides" / "articles.jsonl.gz").exists():
        print("Tone: the shared AllSides corpus is absent; skipped")
        return 0
    articles = framing.load_corpus(spec)
    articles = articles[articles["doc_id"].isin(sample["doc_id"])]
    actors = framing.load_actors(DATA / "actors.csv")
    # units whose sentence cleaning now removes as page furniture (`removed_by`) are left out
    in_text = sample[sample["removed_by"] == ""]
    clause = framing.aimed_tone(in_text, articles, actors=actors, rule="clause")
    window = framing.aimed_tone(in_text, articles, actors=actors, rule="window", window=6)
    labels = pd.concat([
        clause[["unit_id", "tone_whole"]].set_axis(["unit_id", "tone"], axis=1).assign(tool="whole sentence"),
        clause[["unit_id", "tone_aimed"]].set_axis(["unit_id", "tone"], axis=1).assign(tool="aimed (clause)"),
        window[["unit_id", "tone_aimed"]].set_axis(["unit_id", "tone"], axis=1).assign(tool="aimed (window)"),
    ])  # fmt: skip
    print("VADER tone toward the actor against the coders' majority (ordinal alpha)")
    tone = framing.agreement_with(labels, codes[codes["code"] == "tone"], level="ordinal",
                                  n_boot=1000, seed=0)  # fmt: skip
    print(tone.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
