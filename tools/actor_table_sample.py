"""The 50 most-mentioned actors of the tables framing.build_actors proposes for AllSides and for
its china and russia topics, each with its alias counts and six random mentions in context: what
a reader judged for issue #15 (docs/actor-table-check/: the judgements; docs/methods.md: the
figures). Run from the project folder (needs ../shared/data/allsides):

    .venv/bin/python tools/actor_table_sample.py OUT_FOLDER
"""

import sys
from pathlib import Path

import framing


def sample(name: str, articles, out: Path) -> None:
    table = framing.build_actors(articles[["doc_id", "text"]])
    framing.write_actors(table, out / f"actors_{name}.csv")
    top = table.head(50)
    mentions = framing.actor_mentions(articles[["doc_id", "text"]], framing.load_actors(top))
    text = dict(zip(articles["doc_id"], articles["text"], strict=True))
    sections = []
    for i, row in top.iterrows():
        mine = mentions[mentions["actor"] == row["actor"]]
        counts = ", ".join(f"{a}={n}" for a, n in mine["alias"].value_counts().items())
        lines = [
            f"## {i + 1}. {row['actor']}  (kind={row['kind']}, type={row['type']}, "
            f"{row['n_mentions']} mentions in {row['n_articles']} articles)",
            f"aliases: {row['aliases']}",
            f"alias counts: {counts}",
        ]
        for m in mine.sample(min(6, len(mine)), random_state=7).itertuples():
            t = text[m.doc_id]
            before, after = t[max(0, m.start - 120) : m.start], t[m.end : m.end + 120]
            line = f"- [{m.alias}] …{before}**{t[m.start : m.end]}**{after}…"
            lines.append(line.replace("\n", " ¶ "))
        sections.append("\n".join(lines))
    (out / f"{name}_top50.md").write_text("\n\n".join(sections), encoding="utf-8")
    print(name, len(articles), "articles,", len(table), "actors")


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    articles = framing.load_corpus("corpus/allsides.toml")
    sample("allsides", articles, out)
    sample("china_russia", articles[articles["topic"].isin(["china", "russia"])], out)


if __name__ == "__main__":
    main()
