"""An actor table built from a corpus itself (issue #15): :func:`build_actors`.

The shipped table (``framing/data/actors.csv``) was written by hand for the case study; on any
other corpus it misses the corpus's own people and names others by chance. :func:`build_actors`
proposes a table in the same format from the texts: people, organisations and places named in
enough articles, with the spellings that name each one, a type where the text says it, and
counts, written as a CSV a user can edit and pass back (``framing.load_actors(path)``).

How names are read (rules, not a tagger; every threshold is an argument):

- a *name* is a run of two to four capitalised words, a middle initial allowed ("George H.W.
  Bush"), after any titles ("President", "Sen.", "Mr."; the ``name_titles`` of
  ``quote_cues.toml``); words that open sentences ("But", "The") are not part of it;
- a name is a **person** when the corpus gives evidence of it: a personal title before it or
  before its surname ("Sen. Ted Cruz", "Mr. Cruz"), or its surname alone later in an article that
  gave the full name ("Ted Cruz ... Cruz said"), in at least ``min_evidence`` articles; spellings
  with and without a middle initial are one person ("Donald J. Trump", "Donald Trump");
- an **organisation** is a name whose last word names one ("Justice Department", "Supreme
  Court", "Republican Party", "New York Times": the ``not_person_end`` words of
  ``quote_cues.toml``, less places);
- a **place** is a country or a place of ``framing/data/places.toml`` ("Russia", "Texas"), with
  its other names there ("U.S.", "America");
- a person's **aliases** are its full names as written, and its surname alone and its titled
  surnames ("Mr. Trump", "President Trump") when that person holds at least ``surname_share`` of
  the full-name mentions of that surname in the corpus: two people sharing a surname ("Jim
  Jordan" and another Jordan named as often) leave the surname to neither, and a surname that is
  also a place ("Jordan") to nobody. Possessives ("Trump's") need no alias: aliases match as
  whole words, so "Trump" matches the "Trump" of "Trump's";
- a person's **type** is the role its most frequent title names ("senator", "president", …),
  else ``person``; an organisation's the kind its last word names ("party", "court", "news
  organisation", "company" …); a place's ``country`` or ``place``;
- the **counts** (``n_articles``, ``n_mentions``) are of the table's own aliases matched as
  :func:`framing.actor_mentions` matches them, so they are what the table will find; actors named
  in fewer than ``min_articles`` articles are left out, and at most ``max_actors`` are kept, the
  most mentioned first.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import check_option

__all__ = ["build_actors", "write_actors"]

BUILT_COLUMNS = ["actor", "type", "kind", "aliases", "note", "n_articles", "n_mentions"]

_PART = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z]?[a-z]+|[’'][A-Z][a-z]+)?"
_INITIALS = r"(?:[A-Z]\.){1,3}"

#: titles that show a name is a person's, and the type each gives (None: a person, no type)
_TITLE_TYPES = {
    "President": "president", "Vice President": "vice president", "Senator": "senator",
    "Sen": "senator", "Representative": "representative", "Rep": "representative",
    "Governor": "governor", "Gov": "governor", "Mr": None, "Mrs": None, "Ms": None,
    "Dr": None, "Secretary": "secretary", "Speaker": "speaker", "House Speaker": "speaker",
    "Prime Minister": "minister", "Minister": "minister", "Foreign Minister": "minister",
    "Chancellor": "chancellor", "General": "military officer", "Gen": "military officer",
    "Mayor": "mayor", "Judge": "judge", "Justice": "judge", "Ambassador": "ambassador",
    "Professor": "academic", "Prof": "academic", "Chairman": "chair", "Chairwoman": "chair",
    "Majority Leader": "party leader", "Minority Leader": "party leader", "Sir": None,
    "Attorney General": "attorney general", "Secretary of State": "secretary",
    "Press Secretary": "press secretary", "White House Press Secretary": "press secretary",
    "Pope": "religious leader", "King": "monarch", "Queen": "monarch", "Prince": "royal",
    "Princess": "royal", "Commissioner": "commissioner", "Director": "director",
    "Spokesman": "spokesperson", "Spokeswoman": "spokesperson", "Spokesperson": "spokesperson",
    "Lord": None, "Lady": None, "Leader": "party leader", "President-elect": "president",
    "First Lady": None, "Rev": "religious leader", "Reverend": "religious leader",
}  # fmt: skip

#: the last word of an organisation's name -> its type
_ORG_TYPES = {
    "Party": "party", "Court": "court", "University": "university", "College": "university",
    "School": "school", "Committee": "committee", "Caucus": "committee", "Commission": "agency",
    "Department": "government department", "Ministry": "government department",
    "Agency": "agency", "Administration": "government", "Office": "government office",
    "Service": "agency", "Council": "council", "Board": "board", "Senate": "legislature",
    "House": "institution", "Congress": "legislature", "News": "news organisation",
    "Times": "news organisation", "Post": "news organisation", "Journal": "news organisation",
    "Tribune": "news organisation", "Herald": "news organisation", "Press": "news organisation",
    "Media": "news organisation", "Magazine": "news organisation",
    "Network": "news organisation", "Today": "news organisation", "Inc": "company",
    "Corporation": "company", "Company": "company", "Bank": "company", "Group": "organisation",
    "Foundation": "organisation", "Institute": "research organisation",
    "Center": "research organisation", "Centre": "research organisation",
    "Association": "association", "Union": "association", "Coalition": "association",
    "Alliance": "association", "Organization": "organisation", "Organisation": "organisation",
    "Society": "association", "Fund": "organisation", "Club": "association", "Church": "church",
    "Army": "military", "Force": "military", "Forces": "military", "Guard": "military",
    "Police": "police", "Campaign": "campaign", "Project": "organisation",
    "Program": "programme", "Programme": "programme", "State": "organisation",
}  # fmt: skip


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Place name -> (kind, other names), from ``framing/data/places.toml``."""
    text = resources.files("framing").joinpath("data/places.toml").read_text("utf-8")
    d = tomllib.loads(text)
    out = {}
    for section, kind in (("countries", "country"), ("places", "place")):
        for name, others in d[section].items():
            out[name] = (kind, tuple(others))
    return out


@lru_cache(maxsize=1)
def _name_regex() -> tuple[re.Pattern, re.Pattern, frozenset[str]]:
    """The name regex (group 1 the titles before it, group 2 the name), the titles regex and
    the words that are never a name's first word."""
    from .quotes import cue_tables, word_alternation

    titles = word_alternation(sorted(_TITLE_TYPES))
    rx = re.compile(
        rf"(?<![\w’'\-.])((?:(?:{titles})\.?[ \t]+)*)"
        rf"({_PART}(?:[ \t]+{_INITIALS}(?=[ \t]+[A-Z]))?(?:[ \t]+{_PART}){{0,3}})"
        r"(?=[’']s\b|(?![\w’'\-]))"
    )
    title_rx = re.compile(rf"(?<![\w])(?:{titles})(?![\w])")
    return rx, title_rx, cue_tables().not_names


_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
_ONE_WORD_TITLES = frozenset(t for t in _TITLE_TYPES if " " not in t)
#: words that never begin or end a person's name: parties, groups, places as adjectives, and
#: words that open sentences (besides the ``not_names`` of ``quote_cues.toml``)
_NOT_PERSON_WORDS = frozenset(
    ["Republican", "Republicans", "Democrat", "Democrats", "Democratic", "GOP", "Independent",
     "Conservative", "Conservatives", "Liberal", "Liberals", "American", "Americans", "House",
     "Senate", "Team", "First", "Lady", "Maybe", "Perhaps", "Like", "Unlike", "Just", "Only",
     "Yes", "No", "Indeed", "Instead", "Thus", "Overall", "Why", "What", "How", "Who", "Where",
     "Whether", "Once", "Until", "Unless", "Given", "Among", "Against", "Amid", "Though",
     "Although", "Rather", "Whatever", "Whoever", "Every", "Any", "Several", "Few", "More",
     "Most", "Much", "Many", "Former", "Then", "Now", "Here", "There", "Do", "Does", "Did",
     "Is", "Are", "Was", "Were", "Will", "Would", "Should", "Could", "Can", "May", "Might",
     "Must", "Let", "Please", "Thank", "Dear", "Sources", "Photo", "Video", "Watch", "Read",
     "Click", "Share", "Follow", "Sign", "Subscribe", "Advertisement", "Related", "Updated",
     "Posted", "Published", "Copyright", "Reporting", "Editing", "Writing", "Contributing",
     "North", "South", "East", "West", "Capitol", "Overnight", "Skip", "Continue", "Story"]
)  # fmt: skip


def _split_title(words: list[str], title: str | None) -> tuple[list[str], str | None]:
    """A name less the words up to its last title ("Senate Majority Leader Mitch McConnell"
    -> "Mitch McConnell", title "Leader"), when a name is left after it."""
    inner = [i for i, w in enumerate(words[:-1]) if w in _ONE_WORD_TITLES]
    if inner:
        i = inner[-1]
        two = " ".join(words[i - 1 : i + 1]) if i else ""
        return words[i + 1 :], two if two in _TITLE_TYPES else words[i]
    return words, title


#: a name is a person's only if the articles showing it (a title, or the surname alone after
#: the full name) are at least this share of the articles naming it in full: "Wall Street" is
#: followed by "Street" alone in few of them, a person's surname in most
_EVIDENCE_SHARE = 0.2
#: a middle initial tells two people apart ("George H.W. Bush", "George W. Bush") when each is
#: written in at least this share of the mentions of the name
_INITIAL_SHARE = 0.1
_ABBREVIATED = frozenset({"Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Prof", "Rev"})
_MALE, _FEMALE = frozenset({"Mr", "Sir", "Lord"}), frozenset({"Mrs", "Ms", "Lady"})


def _titled(forms: Counter) -> list[str]:
    """The titled surnames to keep as aliases: those written at least twice, and of "Mr." and
    "Mrs."/"Ms." only the side written more often ("Mrs. Obama" is Michelle, not Barack)."""

    def side(f):
        t = f.split()[0].rstrip(".")
        return "m" if t in _MALE else "f" if t in _FEMALE else ""

    votes = Counter({"m": 0, "f": 0})
    for f, n in forms.items():
        if side(f):
            votes[side(f)] += n
    minority = "f" if votes["m"] >= votes["f"] else "m"

    def dotted(f):  # "President. Trump": a sentence ended after the word, not a title
        t = f.split()[0]
        return t.endswith(".") and t.rstrip(".") not in _ABBREVIATED

    return sorted(f for f, n in forms.items() if n >= 2 and side(f) != minority and not dotted(f))


def _not_common_words(people: set, articles: pd.DataFrame) -> set:
    """``people`` less those whose surname is mostly a common word: written in lower case at
    least half as often as capitalised ("Defense", "Street", "Hill", "General")."""
    words = sorted({k[1] for k in people})
    if not words:
        return people
    from .actors import actor_pattern  # a trie: one pass, fast with thousands of words

    both = actor_pattern(pd.DataFrame({"alias": sorted({*words, *(w.lower() for w in words)})}))
    low, up = Counter(), Counter()
    for text in articles["text"]:
        for w in both.findall(text):
            (up if w[:1].isupper() else low)[w] += 1
    return {k for k in people if low[k[1].lower()] * 2 <= up[k[1]]}


def build_actors(
    articles: pd.DataFrame,
    *,
    min_articles: int | None = None,
    min_evidence: int = 2,
    surname_share: float = 0.8,
    max_actors: int = 500,
    progress: bool = False,
) -> pd.DataFrame:
    """Propose an actor table from a corpus: the people, organisations and places it names.

    Args:
        articles: ``doc_id, text`` (as from :func:`framing.load_corpus`).
        min_articles: keep actors whose aliases are found in at least this many articles
            (default 2 for a corpus of fewer than 200 articles, else 5).
        min_evidence: a name is a person's when at least this many articles show it (a
            personal title before it or its surname, or its surname alone after it).
        surname_share: the share of a surname's full-name mentions one person must hold for
            the surname alone ("Trump") and titled surnames ("Mr. Trump") to name them.
        max_actors: at most this many actors, the most mentioned first.
        progress: a tqdm bar over the articles.

    Returns:
        ``actor, type, kind, aliases, note, n_articles, n_mentions``, one row per actor (the
        columns of ``framing/data/actors.csv`` and two counts), sorted by mentions
        (descending), then name. ``aliases`` are separated by ``|``; ``note`` says how the
        name was recognised. :func:`write_actors` writes it; :func:`framing.load_actors` reads
        the file back (edited or not).

    Raises:
        ValueError: a threshold out of range, or ``articles`` lacks ``doc_id`` or ``text``.
    """
    if min_articles is None:
        min_articles = 2 if len(articles) < 200 else 5
    for name, value in (("min_articles", min_articles), ("min_evidence", min_evidence),
                        ("max_actors", max_actors)):  # fmt: skip
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        check_option(name, value, "an integer >= 1", ok=ok)
    ok = isinstance(surname_share, int | float) and 0.5 < surname_share <= 1
    check_option("surname_share", surname_share, "a number in (0.5, 1]", ok=ok)
    for col in ("doc_id", "text"):
        if col not in articles.columns:
            raise ValueError(f"articles has no column {col!r}")
    from tqdm.auto import tqdm

    rx, title_rx, not_names = _name_regex()
    places = _places()
    org_ends = set(_ORG_TYPES)
    full = Counter()  # (first, last) -> full-name mentions
    spellings: dict[tuple, Counter] = defaultdict(Counter)  # key -> spellings as written
    evidence: dict[tuple, set] = defaultdict(set)  # key -> articles showing a person
    titles: dict[tuple, Counter] = defaultdict(Counter)  # key -> titles before it
    surname_titles: dict[str, Counter] = defaultdict(Counter)  # surname -> "Mr. X" forms
    orgs = Counter()
    middles: dict[tuple, Counter] = defaultdict(Counter)  # key -> middle initials written
    first_words: Counter = Counter()  # how often a word opens a full name
    last_alone: Counter = Counter()  # key -> its last word used alone after it
    first_alone: Counter = Counter()  # key -> its first word used alone after it, titled
    key_docs: dict[tuple, set] = defaultdict(set)  # key -> articles naming it in full
    articles = articles.assign(text=articles["text"].fillna("").astype(str))
    rows = articles[["doc_id", "text"]].itertuples(index=False)
    for doc_id, text in tqdm(rows, total=len(articles), desc="actor table", unit="article",
                             disable=not progress):  # fmt: skip
        seen_full: dict[str, tuple] = {}  # surname -> key of a full name read before
        seen_first: dict[str, tuple] = {}  # first word of a two-word name -> its key
        singles: list[tuple[str, str | None, str]] = []  # (word, title, as written)
        for m in rx.finditer(text):
            prefix, name = m.group(1), m.group(2)
            words = name.split()
            while words and (words[0] in not_names or words[0] in _NOT_PERSON_WORDS):
                words = words[1:]
            if not words:
                continue
            title = None
            for t in title_rx.finditer(prefix):
                title = t.group()  # the last title of a run ("Republican Sen.")
            words, title = _split_title(words, title)
            if len(words) == 1:
                written = None
                if title is not None:  # "President Obama" as written, whatever came before
                    tm = re.search(rf"{re.escape(title)}\.?[ \t]+{re.escape(words[0])}$", m.group())
                    written = tm.group() if tm else None
                singles.append((words[0], title, written))
                continue
            written = " ".join(words)
            if words[-1] in org_ends:
                orgs[written] += 1
                continue
            if written in places or words[-1] in not_names or words[-1] in _NOT_PERSON_WORDS:
                continue
            if words[-1] in _SUFFIXES:  # "Robert F. Kennedy Jr." is Robert F. Kennedy
                words = words[:-1]
                written = " ".join(words)
            plain = [w for w in words if not re.fullmatch(_INITIALS, w)]
            if len(plain) < 2 or len(plain) > 3 or len(set(plain)) < len(plain):
                continue  # "George H." (a name cut at an initial); "Donald Trump Donald John"
            if plain[0].endswith("ing"):
                continue  # "Expanding Medicaid", "Calling President Obama": a verb opens it
            first_words[plain[0]] += 1
            key_docs[(plain[0], plain[-1])].add(doc_id)
            initials = "".join(w for w in words if re.fullmatch(_INITIALS, w))
            key = (plain[0], plain[-1])
            middles[key][initials] += 1
            full[key] += 1
            spellings[key][written] += 1
            if title is not None and title in _TITLE_TYPES:
                titles[key][title] += 1
                evidence[key].add(doc_id)
            seen_full[plain[-1]] = key
            if len(plain) == 2:
                seen_first[plain[0]] = key
        for word, title, written in singles:
            key = seen_full.get(word)
            titled = title is not None and title in _TITLE_TYPES
            if key is not None:
                last_alone[key] += 1
            elif titled and word in seen_first:  # "Xi Jinping ... President Xi": family name first
                key = seen_first[word]
                first_alone[key] += 1
            else:
                continue
            evidence[key].add(doc_id)  # the surname alone after the full name
            if title is not None and title in _TITLE_TYPES:
                titles[key][title] += 1
                if written is not None:
                    surname_titles[word][written] += 1

    # people: enough evidence. Spellings with and without a middle initial are one person,
    # unless the corpus writes the name with two different initials ("George H.W. Bush",
    # "George W. Bush"): then each initial is a person and the bare spelling names neither
    people = {
        k
        for k in full
        if len(evidence[k]) >= max(min_evidence, _EVIDENCE_SHARE * len(key_docs[k]))
        and first_words[k[1]] <= full[k]  # "Big Donald": a first name is no surname
    }
    people = _not_common_words(people, articles)
    persons = []  # (spellings, mentions, key, split)
    for k in people:
        # an initial counts when written in at least a tenth of the name's mentions (scraped
        # text gives stray ones: "Donald T. Trump")
        inits = [i for i, n in middles[k].items() if i and n >= _INITIAL_SHARE * full[k]]
        if len(inits) < 2:
            persons.append((spellings[k], full[k], k, False))
            continue
        for i in inits:
            forms = Counter({f: n for f, n in spellings[k].items() if f.split()[1:-1] == [i]
                             or i in f.split()})  # fmt: skip
            persons.append((forms, sum(forms.values()), k, True))

    def surname(k):  # the family name: written first when it alone follows titles more often
        return k[0] if first_alone[k] > last_alone[k] else k[1]

    by_surname: dict[str, int] = Counter()
    for _, n, k, _ in persons:
        by_surname[surname(k)] += n
    table: list[dict] = []
    for forms, n, k, split in persons:
        canonical = max(
            [f for f in forms if not re.search(_INITIALS, f)] or list(forms),
            key=lambda f: (forms[f], -len(f), f),
        )
        aliases = sorted(forms, key=lambda f: (-len(f), f))
        sur = surname(k)
        owns = n >= surname_share * by_surname[sur] and sur not in places and not split
        if owns:
            aliases += _titled(surname_titles[sur]) + [sur]
        kinds = Counter({t: c for t, c in titles[k].items() if _TITLE_TYPES.get(t)})
        role = _TITLE_TYPES[kinds.most_common(1)[0][0]] if kinds else "person"
        note = f"built from the corpus: a person ({len(evidence[k])} articles give evidence)"
        if not owns:
            note += f"; the surname alone names no one (shared or a place: {sur})"
        table.append({"actor": canonical, "type": role, "kind": "person",
                      "aliases": aliases, "note": note})  # fmt: skip
    surnames = {k[1] for k in people}
    for name, n in orgs.items():
        if n < min_articles:
            continue
        table.append({"actor": name, "type": _ORG_TYPES[name.split()[-1]], "kind": "organisation",
                      "aliases": [name], "note": "built from the corpus: an organisation "
                      "(its last word names one)"})  # fmt: skip
    for name, (kind, others) in places.items():
        if name in surnames:
            continue  # "Jordan": a person's surname too
        table.append({"actor": name, "type": kind, "kind": kind, "aliases": [name, *others],
                      "note": "built from the corpus: a place of framing/data/places.toml"})  # fmt: skip
    return _counted(table, articles, min_articles, max_actors)


def _counted(table: list[dict], articles: pd.DataFrame, min_articles: int, max_actors: int):
    """The table with each actor's mentions and articles counted by matching its aliases as
    the finished table will match them; aliases naming two actors are dropped from both.

    Two passes: the first counts every candidate and keeps those named in ``min_articles``
    articles (the ``max_actors`` most mentioned); the second counts again with the kept
    actors' aliases alone (an alias of an actor left out, "Donald Trump Jr.", no longer takes
    its words from a shorter one, "Donald Trump"), so the counts are exactly what the table
    finds. Counts only grow in the second pass, so every actor kept still passes."""
    owner: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(table):
        for a in dict.fromkeys(row["aliases"]):
            owner[a].append(i)
    alias_of = {a: ix[0] for a, ix in owner.items() if len(ix) == 1}
    mentions, docs = _count(alias_of, articles)
    kept = [i for i in range(len(table)) if len(docs[i]) >= min_articles]
    kept = sorted(kept, key=lambda i: (-mentions[i], table[i]["actor"]))[:max_actors]
    keep = set(kept)
    alias_of = {a: i for a, i in alias_of.items() if i in keep}
    mentions, docs = _count(alias_of, articles)
    out = []
    for i in kept:
        row = table[i]
        aliases = [a for a in dict.fromkeys(row["aliases"]) if alias_of.get(a) == i]
        out.append({**row, "aliases": "|".join(aliases), "n_articles": len(docs[i]),
                    "n_mentions": mentions[i]})  # fmt: skip
    frame = pd.DataFrame(out, columns=BUILT_COLUMNS)
    frame = frame.sort_values(["n_mentions", "actor"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True).astype({"n_articles": "int64", "n_mentions": "int64"})


def _count(alias_of: dict[str, int], articles: pd.DataFrame) -> tuple[Counter, dict]:
    """Mentions and articles of each actor, matching ``alias_of``'s aliases as
    :func:`framing.actor_mentions` does (whole words, longest first)."""
    from .actors import actor_pattern

    mentions: Counter = Counter()
    docs: dict[int, set] = defaultdict(set)
    if not alias_of:
        return mentions, docs
    pat = actor_pattern(pd.DataFrame({"alias": sorted(alias_of)}))
    for doc_id, text in articles[["doc_id", "text"]].itertuples(index=False):
        for m in pat.finditer(text):
            i = alias_of[m.group()]
            mentions[i] += 1
            docs[i].add(doc_id)
    return mentions, docs


def write_actors(table: pd.DataFrame, path: str | Path) -> Path:
    """Write an actor table built by :func:`build_actors` as a CSV to edit and pass back
    (:func:`framing.load_actors` reads it; the counts are kept as columns it ignores)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    return path
