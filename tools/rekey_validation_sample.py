"""Re-key the coded AllSides sample (corpus/allsides-validation/sample.csv) to today's cleaning.

A one-off, kept so the re-keying can be checked: issue #15's generic furniture rules and the
learned rule (``repeated_boilerplate``) remove lines before many coded sentences, so their
``sent_id`` and offsets move although their words do not. Each unit is matched, in the same
article (``doc_id``), to the body sentence of today's ``framing.sentences`` with exactly its text
(the k-th such sentence when the article has the text k times, as in the load it was drawn
from); its mention offsets move by the same amount and must still spell ``mention``; its
context is today's neighbours. A unit whose sentence today's cleaning shortened at its start (a
prefix rule such as ``agency-dateline``: "Hong Kong (CNN Business) The conflict …") is matched to
the sentence without the cut, its ``text`` becomes that sentence, and its mention keeps its place
among the words (a mention inside the cut stops the script). A unit whose sentence today's cleaning removes keeps its old
keys and gets the removing rule in ``removed_by``. Codes are never touched.

    .venv/bin/python tools/rekey_validation_sample.py [OLD_REV [SAMPLE_REV [LOG]]]

OLD_REV (default ``215a7d4``, main after issue #17) is a revision whose loader gives the keys the
sample was drawn with (its ``src/`` is taken with ``git archive`` and imported in a child
process); SAMPLE_REV (default ``09cc608``) the last commit of the sample before re-keying, read
with ``git show`` so the script can be run again. Writes ``sample.csv`` and ``rekeyed.csv`` (or LOG)
(one row per moved or removed unit: old and new keys, the rules that removed lines before it or
the sentence itself, and the old context where it changed).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "corpus" / "allsides-validation"
SPEC = ROOT / "corpus" / "allsides.toml"

CHILD = """
import sys, pandas as pd
sys.path.insert(0, sys.argv[1])
import framing
sample = pd.read_csv(sys.argv[2], keep_default_na=False)
a = framing.load_corpus(sys.argv[3], cache=False)
a = a[a["doc_id"].isin(sample["doc_id"])]
framing.sentences(a).to_parquet(sys.argv[4])
framing.cleaning_audit(a).to_parquet(sys.argv[5])
"""


def old_tables(rev: str, sample: Path, tmp: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True,
                          capture_output=True).stdout  # fmt: skip
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(tmp / "old", filter="data")
    out = [tmp / "sents.parquet", tmp / "audit.parquet"]
    subprocess.run([sys.executable, "-c", CHILD, str(tmp / "old" / "src"), str(sample), str(SPEC),
                    *map(str, out)], check=True)  # fmt: skip
    return pd.read_parquet(out[0]), pd.read_parquet(out[1])


def _cut_from_start(unit, audit: pd.DataFrame):
    """The audit row of a cut (a prefix rule) that the unit's coded sentence starts with: that
    sentence is today's without it; None when there is none."""
    rows = audit[(audit["doc_id"] == unit.doc_id) & (audit["text"].str.len() > 0)]
    for row in rows.itertuples():
        if unit.text.startswith(row.text) and len(unit.text) > len(row.text):
            return row
    return None


def main(rev: str, sample_rev: str, log_name: str = "rekeyed.csv") -> int:
    import framing

    shown = subprocess.run(["git", "-C", str(ROOT), "show",
                            f"{sample_rev}:corpus/allsides-validation/sample.csv"],
                           check=True, capture_output=True, text=True).stdout  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sample.csv").write_text(shown, encoding="utf-8")
        sample = pd.read_csv(Path(tmp) / "sample.csv", keep_default_na=False)
        # a unit an earlier re-keying found removed keeps its keys and is not logged again
        previously = sample.get("removed_by", pd.Series("", index=sample.index)).astype(str)
        sample["removed_by"] = ""
        old, old_audit = old_tables(rev, Path(tmp) / "sample.csv", Path(tmp))
    articles = framing.load_corpus(SPEC)
    articles = articles[articles["doc_id"].isin(sample["doc_id"])]
    sents = framing.sentences(articles)
    audit = full_audit = framing.cleaning_audit(articles)
    seen = set(zip(old_audit["doc_id"], old_audit["line_no"], old_audit["text"], strict=True))
    audit = audit[[k not in seen for k in zip(audit["doc_id"], audit["line_no"], audit["text"],
                                               strict=True)]]  # fmt: skip
    texts = articles.set_index("doc_id")["text"]
    raws = articles.set_index("doc_id")["text_raw"]
    by_key = sents.set_index(["doc_id", "sent_id"])["text"]
    log = []
    for i, r in sample.iterrows():
        o = old[(old["doc_id"] == r.doc_id) & (old["text"] == r.text)]
        k = int((o["sent_id"] < r.sent_id).sum())  # which occurrence of the text in the article
        new = sents[(sents["doc_id"] == r.doc_id) & (sents["text"] == r.text)
                    & (sents["kind"] == "body")].sort_values("sent_id")  # fmt: skip
        cut = _cut_from_start(r, audit)
        if not len(new) and cut is not None:  # a prefix rule cut the sentence's start
            rest = r.text[len(cut.text) :].lstrip()
            new = sents[(sents["doc_id"] == r.doc_id) & (sents["text"] == rest)
                        & (sents["kind"] == "body")].sort_values("sent_id")  # fmt: skip
        line = raws[r.doc_id][: raws[r.doc_id].find(r.text)].count("\n") + 1
        before = audit[(audit["doc_id"] == r.doc_id) & (audit["line_no"] <= line)]
        rules = before.groupby("rule").size()
        row = {"unit_id": r.unit_id, "doc_id": r.doc_id, "old_sent_id": r.sent_id,
               "old_start": r.start, "old_end": r.end}  # fmt: skip
        if len(new) <= k:
            gone = full_audit[(full_audit["doc_id"] == r.doc_id)
                              & full_audit["text"].str.contains(r.text, regex=False)]  # fmt: skip
            if not len(gone) and not previously[i]:  # not removed: its words changed
                raise SystemExit(f"{r.unit_id}: its sentence is no longer in {r.doc_id} as coded, "
                                 "and no removed line holds it (a cut inside it?); read it by hand")  # fmt: skip
            sample.loc[i, "removed_by"] = ";".join(sorted(set(gone["rule"])))
            if previously[i]:
                continue
            log.append({**row, "new_sent_id": pd.NA, "new_start": pd.NA, "new_end": pd.NA,
                        "cause": "sentence removed by " + sample.loc[i, "removed_by"]})  # fmt: skip
            continue
        n = new.iloc[k]
        shift = int(n["start"]) - int(r.start)
        if n["text"] != r.text:  # the words after the cut, at the same offsets in the sentence
            shift -= len(r.text) - len(n["text"])
            assert int(r.mention_start) - int(r.start) >= len(r.text) - len(n["text"]), r.unit_id
            rules = pd.concat([rules.drop(cut.rule, errors="ignore"), pd.Series({f"{cut.rule} (cut from the sentence's start: "
                                                 f"{cut.text!r})": 1})])  # fmt: skip
            sample.loc[i, "text"] = n["text"]
        m0, m1 = int(r.mention_start) + shift, int(r.mention_end) + shift
        assert texts[r.doc_id][m0:m1] == r.mention, (r.unit_id, r.mention)
        before_ctx = by_key.get((r.doc_id, int(n["sent_id"]) - 1), "")
        after_ctx = by_key.get((r.doc_id, int(n["sent_id"]) + 1), "")
        moved = (int(n["sent_id"]), int(n["start"])) != (r.sent_id, r.start)
        changed = (before_ctx, after_ctx) != (r.context_before, r.context_after)
        if moved or changed or n["text"] != r.text:
            log.append({**row, "new_sent_id": int(n["sent_id"]), "new_start": int(n["start"]),
                        "new_end": int(n["end"]),
                        "cause": ", ".join(f"{rule} x{c}" for rule, c in rules.items())
                        + " (lines before the sentence)" * bool(len(rules)),
                        "old_context_before": r.context_before if before_ctx != r.context_before else "",
                        "old_context_after": r.context_after if after_ctx != r.context_after else "",
                        "old_text": r.text if n["text"] != r.text else ""})  # fmt: skip
        sample.loc[i, ["sent_id", "start", "end", "mention_start", "mention_end"]] = [
            int(n["sent_id"]),
            int(n["start"]),
            int(n["end"]),
            m0,
            m1,
        ]
        sample.loc[i, ["context_before", "context_after"]] = [before_ctx, after_ctx]
    sample.to_csv(DATA / "sample.csv", index=False)
    pd.DataFrame(log).to_csv(DATA / log_name, index=False)
    print(f"{len(log)} units re-keyed or removed; {(sample['removed_by'] != '').sum()} removed")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:] + ["215a7d4", "09cc608", "rekeyed.csv"][len(sys.argv) - 1 :]
    sys.exit(main(*args[:3]))
