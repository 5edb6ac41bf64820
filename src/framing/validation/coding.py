"""From the corpus to coders and back: the codes, a seeded stratified sample, the coding sheet
with its codebook, and the filled sheets read into one long table.

Every unit keeps ``doc_id, sent_id, start, end`` into its article, so a coder's value can be
traced to the words coded, and the same seed draws the same units again.
"""

from __future__ import annotations

__all__ = [
    "load_codes",
    "coding_sample",
    "write_coding_sheet",
    "read_codes",
    "majority_codes",
    "mention_units",
    "CODE_COLUMNS",
    "LONG_COLUMNS",
]

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import CorpusError
from ..measures.frames import load_frames
from ..stats import group_rng

CODE_COLUMNS = ["code", "frame", "scale", "level", "definition"]
LONG_COLUMNS = ["unit_id", "coder", "code", "value"]
Level = Literal["nominal", "ordinal", "interval"]
LEVELS = ("nominal", "ordinal", "interval")
Unit = Literal["sentence", "article"]
UNITS = ("sentence", "article")
KEYS = ["doc_id", "sent_id", "start", "end"]

TONE_DEFINITION = (
    "How the unit presents the named actor: -1 negative (criticised, accused, blamed, shown "
    "failing or under pressure, described in unfavourable words), 0 neutral (mentioned or "
    "quoted without evaluation, or positive and negative balance out), 1 positive (praised, "
    "defended, shown succeeding or acting rightly). The actor's own words about others do not "
    "count for or against the actor."
)


def _allowed(arg: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{arg}={value!r} is not allowed; expected one of {list(allowed)}")


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(name).strip().lower())


# ------------------------------------------------------------------------------ the codes


def _code_row(name: str, spec: Mapping, frames: pd.DataFrame, where: str) -> dict:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise CorpusError(
            f"code name {name!r} must start with a letter and hold only letters, digits and "
            "underscores (it becomes a column of the coding sheet)",
            file=where,
        )
    unknown = set(spec) - {"code", "frame", "scale", "level", "definition"}
    if unknown:
        raise CorpusError(f"code {name!r} has unknown fields {sorted(unknown)}", file=where)
    desc = frames.drop_duplicates("frame").set_index("frame")["description"]
    by_norm = {_norm(f): f for f in desc.index}
    frame = spec.get("frame")
    if frame is None:
        frame = by_norm.get(_norm(name), "")
    elif frame not in desc.index:
        raise CorpusError(
            f"code {name!r}: frame {frame!r} is not in the frame dictionary; frames: "
            f"{list(desc.index)}",
            file=where,
        )
    if not frame and not spec.get("definition"):
        raise CorpusError(
            f"code {name!r} is not a frame of the dictionary and has no definition; give one",
            file=where,
        )
    scale = spec.get("scale", [0, 1] if frame else None)
    if (
        not isinstance(scale, list | tuple)
        or len(set(scale)) < 2
        or len(set(scale)) != len(scale)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
    ):
        raise CorpusError(
            f"code {name!r}: scale must be a list of at least two distinct numbers, got {scale!r}",
            file=where,
        )
    level = spec.get("level", "nominal")
    if level not in LEVELS:
        raise CorpusError(
            f"code {name!r}: level {level!r} is not one of {list(LEVELS)}", file=where
        )
    definition = spec.get("definition") or str(desc[frame])
    return {
        "code": name,
        "frame": frame,
        "scale": tuple(sorted(scale)),
        "level": level,
        "definition": " ".join(str(definition).split()),
    }


def load_codes(
    codes: str | Path | Mapping | Sequence[str] | pd.DataFrame | None = None,
    *,
    frames: pd.DataFrame | str | Path | None = None,
) -> pd.DataFrame:
    """The codes coders fill in: name, the dictionary frame it stands for, scale, level, definition.

    Args:
        codes: one of
            - None: the generic frames of the frame dictionary (``kind == "generic"``; code
              names are the frame names with ``_`` for spaces, e.g. ``human_interest``) and
              ``tone`` (-1/0/1, ordinal) toward a named actor;
            - a TOML file of ``[[code]]`` tables with fields ``code`` (the name), ``frame``
              (optional: the dictionary frame the code validates), ``scale`` (list of numbers),
              ``level`` (``nominal``, ``ordinal`` or ``interval``) and ``definition``;
            - a mapping ``name -> None | definition | {frame, scale, level, definition}``;
            - a list of names;
            - a table this function returned (checked and returned).
        frames: the frame dictionary (:func:`framing.load_frames`, a path or None for the
            shipped one).

    Returns:
        ``code, frame, scale, level, definition``, one row per code, in the order given.
        ``frame`` is ``""`` for a code that is not a frame. A code whose name is a frame's
        name (ignoring case, spaces and underscores) or that names ``frame`` takes 0/1 as its
        default scale, ``nominal`` as its level and the dictionary's description as its
        definition; any other code needs a ``scale`` and a ``definition``.

    Raises:
        CorpusError: (a ValueError) naming the file and the problem: a code without a
            definition, an unknown frame, a scale that is not a list of two or more distinct
            numbers, an unknown level, a name that cannot be a column, a code listed twice.
    """
    frames = frames if isinstance(frames, pd.DataFrame) else load_frames(frames)
    where = "codes argument"
    if codes is None:
        generic = frames[frames["kind"] == "generic"].drop_duplicates("frame")
        specs = {f.replace(" ", "_"): {"frame": f} for f in generic["frame"]}
        specs["tone"] = {"scale": [-1, 0, 1], "level": "ordinal", "definition": TONE_DEFINITION}
    elif isinstance(codes, pd.DataFrame):
        missing = [c for c in CODE_COLUMNS if c not in codes.columns]
        if missing:
            raise ValueError(f"codes lacks columns {missing}; use framing.load_codes()")
        specs = {
            r["code"]: {k: (list(r[k]) if k == "scale" else r[k]) for k in CODE_COLUMNS[1:]}
            for r in codes.to_dict("records")
        }
        for s in specs.values():
            s["frame"] = s["frame"] or None
    elif isinstance(codes, str | Path):
        where = str(codes)
        p = Path(codes)
        if not p.is_file():
            raise CorpusError("code file not found", file=p)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise CorpusError(f"code file is not valid UTF-8 TOML: {e}", file=p) from e
        tables = data.get("code")
        if not isinstance(tables, list) or not tables:
            raise CorpusError("code file has no [[code]] tables", file=p)
        specs = {}
        for i, t in enumerate(tables, start=1):
            name = t.get("code")
            if name in specs:
                raise CorpusError(f"code {name!r} is listed twice", file=p)
            if name is None:
                raise CorpusError(f"[[code]] number {i} lacks a 'code' name", file=p)
            specs[name] = {k: v for k, v in t.items() if k != "code"}
    elif isinstance(codes, Mapping):
        specs = {}
        for name, spec in codes.items():
            if spec is None:
                spec = {}
            elif isinstance(spec, str):
                spec = {"definition": spec}
            elif not isinstance(spec, Mapping):
                raise ValueError(
                    f"codes[{name!r}]={spec!r} is not allowed; expected None, a definition or "
                    "a mapping of frame, scale, level, definition"
                )
            specs[name] = dict(spec)
    elif isinstance(codes, Sequence):
        if len(set(codes)) != len(codes):
            raise ValueError(f"codes={list(codes)!r} lists a code twice")
        specs = {name: {} for name in codes}
    else:
        raise ValueError(
            f"codes={codes!r} is not allowed; expected None, a path, a mapping, a list of "
            "names or a table from framing.load_codes()"
        )
    if not specs:
        raise ValueError("codes is empty; give at least one code")
    rows = [_code_row(name, spec, frames, where) for name, spec in specs.items()]
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


# ------------------------------------------------------------------------------ sampling


def _allocate(sizes: dict[str, int], n: int, rng: np.random.Generator) -> dict[str, int]:
    """Equal allocation of ``n`` over strata, capped by each stratum's size; what a small
    stratum cannot take goes to the others, equally again. When the units left do not divide
    equally, the strata that get one more are drawn at random (``rng``)."""
    alloc = dict.fromkeys(sizes, 0)
    left = min(n, sum(sizes.values()))
    open_ = [s for s in sizes if sizes[s] > 0]
    while left > 0 and open_:
        share = left // len(open_)
        if share == 0:
            for i in rng.choice(len(open_), size=left, replace=False):
                alloc[open_[i]] += 1
            break
        for s in open_:
            take = min(share, sizes[s] - alloc[s])
            alloc[s] += take
            left -= take
        open_ = [s for s in open_ if alloc[s] < sizes[s]]
    return alloc


def _stratum_names(data: pd.DataFrame, cols: list[str]) -> pd.Series:
    if not cols:
        return pd.Series("all", index=data.index)
    names = data[cols[0]].astype(str)
    for c in cols[1:]:
        names = names + " | " + data[c].astype(str)
    return names


def coding_sample(
    data: pd.DataFrame,
    *,
    unit: Unit = "sentence",
    n: int = 100,
    by: str | None = "outlet",
    stratify: str | Sequence[str] | None = None,
    seed: int = 0,
    context: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A reproducible, stratified sample of units for coders to code.

    Args:
        data: the units to draw from, one row each. For ``unit="sentence"`` a sentence table
            (``doc_id, sent_id, start, end, text``; only ``kind == "body"`` rows when there is a
            ``kind`` column), e.g. the body sentences that name an actor; any other column
            (``outlet``, ``actor``, a mention's offsets …) is carried into the sample. For
            ``unit="article"`` an article table (``doc_id, text``).
        unit: ``"sentence"`` or ``"article"``.
        n: how many units to draw in all (at most every unit there is).
        by: the group column the units carry (and, unless ``stratify`` says otherwise, the
            strata), e.g. ``"outlet"``; None for none.
        stratify: the column(s) whose values are the strata; None: ``by``; ``[]``: no strata
            (a simple random sample).
        seed: the seed; with a stratum's name it fixes that stratum's draw.
        context: for sentence units, the sentence table to read each unit's sentence before and
            after from (default: ``data`` itself; pass the whole sentence table when ``data``
            holds only the eligible sentences).

    Returns:
        ``unit_id, doc_id, sent_id, start, end``, the strata columns, ``data``'s other columns,
        then ``context_before, text, context_after``: one row per unit, in a seeded random
        order. ``unit_id`` is ``u001``, ``u002`` … in that order. ``start``/``end`` are offsets
        into the article's text (``0`` and the text's length for an article, whose ``sent_id``
        is -1). ``context_before``/``context_after`` are the sentences with ``sent_id`` one
        less and one more in the same article (``""`` when there is none, and always for
        articles).

    Raises:
        ValueError: a bad option value (named with the values allowed), a missing column, or a
            sentence listed twice.

    Note:
        Equal allocation: each stratum gets ``n / strata`` units, capped by its size; what a
        small stratum cannot take is shared equally among the others, and when units are left
        over after an equal split, the strata that get one more are drawn with ``seed``. Each
        stratum draws from its own random stream, seeded by ``seed`` and the CRC-32 of its
        name (:func:`framing.stats.group_rng`), from its units sorted by ``doc_id, sent_id``,
        so a stratum's draw depends neither on the row order of ``data`` nor on the other
        strata. The sample is then shuffled with ``seed`` so that a coder does not meet the
        strata in blocks. Equal allocation over-represents small strata: weight by stratum
        size before reading a pooled share as the corpus's.
    """
    _allowed("unit", unit, UNITS)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n={n!r} is not allowed; expected an integer >= 1")
    if by is not None and by not in data.columns:
        raise ValueError(f"by={by!r} is not a column of data; columns: {list(data.columns)}")
    if stratify is None:
        strata_cols = [by] if by is not None else []
    else:
        strata_cols = [stratify] if isinstance(stratify, str) else list(stratify)
    bad = [c for c in strata_cols if c not in data.columns]
    if bad:
        raise ValueError(
            f"stratify={stratify!r} names columns not in data: {bad}; columns: {list(data.columns)}"
        )
    need = (
        ["doc_id", "sent_id", "start", "end", "text"] if unit == "sentence" else ["doc_id", "text"]
    )
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise ValueError(f"data lacks columns {missing} for unit={unit!r}")
    d = data
    if unit == "sentence" and "kind" in d.columns:
        d = d[d["kind"] == "body"]
    if unit == "article":
        d = d.assign(sent_id=-1, start=0, end=d["text"].str.len())
    dup = d.duplicated(["doc_id", "sent_id"])
    if dup.any():
        first = d.loc[dup, ["doc_id", "sent_id"]].iloc[0].tolist()
        raise ValueError(
            f"data lists a unit twice (doc_id, sent_id = {first}); give one row per {unit}"
        )
    d = d.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    names = _stratum_names(d, strata_cols)
    groups = {s: np.flatnonzero((names == s).to_numpy()) for s in sorted(names.unique())}
    alloc = _allocate({s: len(ix) for s, ix in groups.items()}, int(n), group_rng(seed, "\0alloc"))
    picked = []
    for s, ix in groups.items():
        k = alloc[s]
        if k:
            picked.append(ix[np.sort(group_rng(seed, s).choice(len(ix), size=k, replace=False))])
    rows = np.concatenate(picked) if picked else np.array([], dtype=int)
    rows = rows[group_rng(seed, "\0order").permutation(len(rows))]
    out = d.iloc[rows].reset_index(drop=True)
    width = max(3, len(str(len(out))))
    out.insert(0, "unit_id", [f"u{i + 1:0{width}d}" for i in range(len(out))])
    if unit == "sentence":
        ctx = data if context is None else context
        missing = [c for c in ("doc_id", "sent_id", "text") if c not in ctx.columns]
        if missing:
            raise ValueError(f"context lacks columns {missing}; pass a sentence table")
        look = dict(zip(zip(ctx["doc_id"], ctx["sent_id"], strict=True), ctx["text"], strict=True))
        before = [
            look.get((a, b - 1), "") for a, b in zip(out["doc_id"], out["sent_id"], strict=True)
        ]
        after = [
            look.get((a, b + 1), "") for a, b in zip(out["doc_id"], out["sent_id"], strict=True)
        ]
    else:
        before = after = [""] * len(out)
    out["context_before"] = before
    out["context_after"] = after
    first = ["unit_id", *KEYS, *[c for c in strata_cols if c not in KEYS]]
    drop = {"kind", "text", "context_before", "context_after"}
    if unit == "article":
        drop |= {"text_raw"}
    rest = [c for c in out.columns if c not in first and c not in drop]
    out = out[[*first, *rest, "context_before", "text", "context_after"]]
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})


# ------------------------------------------------------------------------------ the sheet


def _codebook_text(codes: pd.DataFrame, sample: pd.DataFrame, coders: list[str] | None) -> str:
    lines = [
        "# Codebook",
        "",
        f"{len(sample):,} units. Each row of the coding sheet is one unit: its `text`, with the "
        "sentence before and after it (`context_before`, `context_after`) to help you read it. "
        "Code what THE UNIT ITSELF says; use the context only to understand it.",
    ]
    if "actor" in sample.columns:
        lines += [
            "",
            "The column `actor` names the actor the unit is about"
            + (" (`mention`: the words that name it in the text)" if "mention" in sample else "")
            + "; tone is tone toward that actor.",
        ]
    lines += [
        "",
        "Fill in every code column with one value of its scale, and nothing else; `note` is "
        "optional (a few words on a hard case). Code alone: do not look at another coder's "
        "sheet or discuss units until every sheet is handed in.",
    ]
    if coders:
        lines += ["", f"Coders: {', '.join(coders)} (one sheet each)."]
    lines += ["", "## Codes", ""]
    for r in codes.itertuples(index=False):
        scale = ", ".join(f"{v:g}" for v in r.scale)
        lines += [f"### `{r.code}`", "", r.definition, "", f"Scale: {scale} ({r.level})."]
        if r.frame:
            lines += [f"Frame of the dictionary it validates: {r.frame}."]
        lines += [""]
    return "\n".join(lines)


def write_coding_sheet(
    sample: pd.DataFrame,
    path: str | Path,
    *,
    codes: str | Path | Mapping | Sequence[str] | pd.DataFrame | None = None,
    coders: Sequence[str] | None = None,
    seed: int = 0,
) -> dict[str, Path]:
    """Write the coding sheet(s) coders fill in, and the codebook beside them.

    Args:
        sample: from :func:`coding_sample` (``unit_id``, ``text``; ``context_before``,
            ``context_after``, ``actor`` and ``mention`` are shown when present).
        path: the sheet, a ``.csv`` file. With ``coders``, one sheet per coder is written
            beside it as ``<stem>-<coder>.csv``.
        codes: anything :func:`load_codes` reads (default: the generic frames and tone).
        coders: coder names (letters, digits, ``_`` and ``-``), or None for one sheet.
        seed: with ``coders``, each coder's sheet lists the units in its own order, seeded by
            ``seed`` and the coder's name, so fatigue does not fall on the same units.

    Returns:
        The files written: ``{"codebook": …}`` and ``{coder: sheet}`` per coder (or
        ``{"sheet": …}``). The codebook is ``<stem>-codebook.md``.

    Note:
        A sheet has one row per unit: ``unit_id``, ``actor``/``mention`` when the sample has
        them, ``context_before``, ``text``, ``context_after``, one empty column per code and
        ``note``. The codebook lists each code with its definition and scale; a frame's
        definition is the frame dictionary's description (:func:`framing.load_frames`), so
        coders judge what the dictionary claims to count, without seeing its word list.
        :func:`read_codes` reads the filled sheets back.
    """
    if "unit_id" not in sample.columns or "text" not in sample.columns:
        raise ValueError("sample lacks unit_id or text; use framing.coding_sample()")
    table = load_codes(codes)
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ValueError(f"path={str(path)!r} is not allowed; expected a .csv file")
    if coders is not None:
        coders = list(coders)
        bad = [c for c in coders if not isinstance(c, str) or not re.fullmatch(r"[\w-]+", c)]
        if bad or not coders or len(set(coders)) != len(coders):
            raise ValueError(
                f"coders={coders!r} is not allowed; expected distinct names of letters, digits, "
                "'_' and '-'"
            )
    shown = [c for c in ("unit_id", "actor", "mention", "context_before", "text",
                         "context_after") if c in sample.columns]  # fmt: skip
    sheet = sample[shown].copy()
    for code in table["code"]:
        sheet[code] = ""
    sheet["note"] = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if coders is None:
        sheet.to_csv(path, index=False)
        written["sheet"] = path
    else:
        for c in coders:
            order = group_rng(seed, c).permutation(len(sheet))
            p = path.with_name(f"{path.stem}-{c}.csv")
            sheet.iloc[order].to_csv(p, index=False)
            written[c] = p
    book = path.with_name(f"{path.stem}-codebook.md")
    book.write_text(_codebook_text(table, sample, coders), encoding="utf-8")
    written["codebook"] = book
    return written


# ------------------------------------------------------------------------------ reading codes


def _as_number(raw) -> float | None:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, int | float | np.integer | np.floating) and not isinstance(raw, bool):
        return float(raw)
    text = str(raw).strip()
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return math.nan  # a value that is not a number: outside every scale


def _sources(source) -> list[tuple[str | None, str, pd.DataFrame]]:
    """(coder or None, where, table read as text) for each file or frame given."""

    def read(p) -> pd.DataFrame:
        p = Path(p)
        if not p.is_file():
            raise CorpusError("coding sheet not found", file=p)
        try:
            return pd.read_csv(p, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
            raise CorpusError(f"coding sheet is not a readable CSV: {e}", file=p) from e

    if isinstance(source, pd.DataFrame):
        return [(None, "codes table", source)]
    if isinstance(source, str | Path):
        return [(Path(source).stem, str(source), read(source))]
    if isinstance(source, Mapping):
        out = []
        for coder, s in source.items():
            if isinstance(s, pd.DataFrame):
                out.append((str(coder), f"sheet of coder {coder!r}", s))
            else:
                out.append((str(coder), str(s), read(s)))
        return out
    if isinstance(source, Sequence):
        out = []
        for s in source:
            if isinstance(s, pd.DataFrame):
                raise ValueError(
                    "source lists a DataFrame without a coder name; pass {coder: frame, …}"
                )
            out.append((Path(s).stem, str(s), read(s)))
        return out
    raise ValueError(
        f"source={type(source).__name__} is not allowed; expected a path, a DataFrame, a "
        "mapping {coder: path or DataFrame} or a list of paths"
    )


def read_codes(
    source,
    *,
    codes: str | Path | Mapping | Sequence[str] | pd.DataFrame | None = None,
    units: pd.DataFrame | Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    missing: Literal["raise", "skip"] = "raise",
) -> pd.DataFrame:
    """Read filled coding sheets (or a long table of codes) into one long table.

    Args:
        source: one of
            - a filled sheet (CSV path) of one coder, wide: ``unit_id`` and one column per
              code (other columns, such as ``text`` or ``note``, are ignored); the coder is the
              file's name without ``.csv``;
            - a mapping ``{coder: path or DataFrame}`` or a list of paths (one sheet each);
            - a long table (DataFrame or CSV) with ``unit_id, coder, code, value``.
        codes: the codes and their scales (anything :func:`load_codes` reads; default the
            generic frames and tone). A wide sheet must have a column for each.
        units: the sample (a table with ``unit_id``) or the list of unit ids the codes must
            belong to; None: not checked.
        coders: the coders expected; each must have codes. None: not checked.
        missing: an empty value is an error (``"raise"``) or is left out (``"skip"``: a coder
            who did not code a unit; Krippendorff's alpha allows missing values).

    Returns:
        ``unit_id, coder, code, value``: one row per value coded, by code (in the order of
        ``codes``), coder (in the order given) and unit (in the order of ``units``, else of
        first appearance). ``value`` is an integer column when every value is a whole number.

    Raises:
        CorpusError: naming the file, the row (the line of the CSV, the header being line 1;
            for a DataFrame, its row position plus 2) and the problem: a unit not in
            ``units``, a code column missing, an unknown code, an empty coder, an expected
            coder without codes, a value outside its code's scale (or not a number), an empty
            value with ``missing="raise"``, or one unit coded twice by one coder on one code.
    """
    _allowed("missing", missing, ("raise", "skip"))
    table = load_codes(codes)
    scale = {r.code: set(r.scale) for r in table.itertuples(index=False)}
    known = None
    if units is not None:
        ids = units["unit_id"] if isinstance(units, pd.DataFrame) else pd.Series(list(units))
        known = {str(u): i for i, u in enumerate(ids)}
    rows = []  # (unit, coder, code, value, where, line)
    for coder, where, frame in _sources(source):
        frame = frame.reset_index(drop=True)
        if "unit_id" not in frame.columns:
            raise CorpusError("lacks a unit_id column", file=where)
        long = {"coder", "code", "value"} <= set(frame.columns)
        if not long:
            if coder is None:
                raise ValueError(
                    "a wide sheet given as a DataFrame needs its coder's name: pass {coder: frame}"
                )
            lack = [c for c in table["code"] if c not in frame.columns]
            if lack:
                raise CorpusError(f"lacks code columns {lack}", file=where)
        for i, rec in enumerate(frame.to_dict("records")):
            line = i + 2
            unit = str(rec["unit_id"]).strip()
            if known is not None and unit not in known:
                raise CorpusError(
                    f"unknown unit {unit!r} (not in the sample)", file=where, row=line
                )
            if long:
                c = str(rec["coder"]).strip() if not pd.isna(rec["coder"]) else ""
                if not c:
                    raise CorpusError("empty coder", file=where, row=line)
                code = str(rec["code"]).strip()
                if code not in scale:
                    raise CorpusError(
                        f"unknown code {code!r}; codes: {list(table['code'])}", file=where, row=line
                    )
                items = [(c, code, rec["value"])]
            else:
                items = [(coder, code, rec[code]) for code in table["code"]]
            for c, code, raw in items:
                v = _as_number(raw)
                if v is None:
                    if missing == "raise":
                        raise CorpusError(
                            f"empty value of code {code!r} for unit {unit!r}", file=where, row=line
                        )
                    continue
                if v not in scale[code]:
                    allowed = ", ".join(f"{s:g}" for s in sorted(scale[code]))
                    raise CorpusError(
                        f"value {str(raw).strip()!r} of code {code!r} for unit {unit!r} is outside "
                        f"its scale ({allowed})",
                        file=where,
                        row=line,
                    )
                rows.append((unit, c, code, v, where, line))
    out = pd.DataFrame(rows, columns=[*LONG_COLUMNS, "_where", "_line"])
    dup = out.duplicated(["unit_id", "coder", "code"], keep=False)
    if dup.any():
        d = out[dup].sort_values(["unit_id", "coder", "code", "_line"], kind="stable")
        first, second = d.iloc[0], d.iloc[1]
        raise CorpusError(
            f"unit {first['unit_id']!r} is coded twice by coder {first['coder']!r} on code "
            f"{first['code']!r} (also {second['_where']}, row {second['_line']})",
            file=first["_where"],
            row=int(first["_line"]),
        )
    if coders is not None:
        absent = [c for c in coders if c not in set(out["coder"])]
        if absent:
            raise CorpusError(f"no codes from coders {absent} (coders found: "
                              f"{list(dict.fromkeys(out['coder']))})")  # fmt: skip
    code_pos = {c: i for i, c in enumerate(table["code"])}
    coder_order = list(coders) if coders is not None else list(dict.fromkeys(out["coder"]))
    coder_order += [c for c in dict.fromkeys(out["coder"]) if c not in coder_order]
    unit_pos = (
        known if known is not None else {u: i for i, u in enumerate(dict.fromkeys(out["unit_id"]))}
    )
    out = out.assign(
        _c=out["code"].map(code_pos),
        _k=out["coder"].map({c: i for i, c in enumerate(coder_order)}),
        _u=out["unit_id"].map(unit_pos),
    ).sort_values(["_c", "_k", "_u"], kind="stable")
    out = out[LONG_COLUMNS].reset_index(drop=True)
    vals = out["value"].to_numpy(dtype=float)
    if len(vals) and np.all(vals == np.round(vals)):
        out["value"] = vals.astype("int64")
    return out


def majority_codes(codes: pd.DataFrame, *, wide: bool = False) -> pd.DataFrame:
    """The coders' majority value of each unit and code.

    Args:
        codes: from :func:`read_codes` (``unit_id, coder, code, value``).
        wide: return one row per unit with one column per code (the majority value, NaN on
            a tie) instead of the long table.

    Returns:
        ``unit_id, code, value, n_coders, n_majority, tied``: ``value`` is the value given by
        more coders than any other value, ``n_majority`` how many gave it. On a tie (two
        values given equally often, e.g. -1, 0 and 1 from three coders) ``value`` is NaN and
        ``tied`` is True: a tie has no majority, and it is left out of every comparison with
        a tool (:func:`framing.agreement_with` counts such units as ``n_tied``) rather than
        broken by a rule that would favour one value.
    """
    missing = [c for c in LONG_COLUMNS if c not in codes.columns]
    if missing:
        raise ValueError(f"codes lacks columns {missing}; use framing.read_codes()")
    counts = (
        codes.groupby(["code", "unit_id", "value"], sort=False).size().rename("k").reset_index()
    )
    counts = counts.sort_values(
        ["code", "unit_id", "k"], ascending=[True, True, False], kind="stable"
    )
    top = counts.groupby(["code", "unit_id"], sort=False).head(2)
    first = top.groupby(["code", "unit_id"], sort=False).nth(0).set_index(["code", "unit_id"])
    second = top.groupby(["code", "unit_id"], sort=False).nth(1).set_index(["code", "unit_id"])
    n = codes.groupby(["code", "unit_id"], sort=False).size().rename("n_coders")
    out = first.join(n)
    out["tied"] = False
    both = out.index.intersection(second.index)
    out.loc[both, "tied"] = (second.loc[both, "k"] == out.loc[both, "k"]).to_numpy()
    # a code whose values are all numbers gets floats; a text code (a quotation's speaker)
    # keeps its strings; either way a tie is NaN
    numeric = pd.to_numeric(out["value"], errors="coerce")
    is_text = (numeric.isna() & out["value"].notna()).groupby(level="code").transform("any")
    if is_text.any():
        value = numeric.astype(object).where(~is_text, out["value"])
        out["value"] = value.where(~out["tied"], np.nan)
    else:
        out["value"] = numeric.astype(float).where(~out["tied"])
    out = out.rename(columns={"k": "n_majority"}).reset_index()
    order = {c: i for i, c in enumerate(dict.fromkeys(codes["code"]))}
    units = {u: i for i, u in enumerate(dict.fromkeys(codes["unit_id"]))}
    out = out.assign(_c=out["code"].map(order), _u=out["unit_id"].map(units))
    out = out.sort_values(["_c", "_u"], kind="stable").reset_index(drop=True)
    out = out[["unit_id", "code", "value", "n_coders", "n_majority", "tied"]]
    out = out.astype({"n_coders": "int64", "n_majority": "int64", "tied": bool})
    if not wide:
        return out
    w = out.pivot(index="unit_id", columns="code", values="value")
    w = w.reindex(index=list(units), columns=list(order)).reset_index()
    w.columns.name = None
    return w


def mention_units(sentences: pd.DataFrame, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units for coding tone toward an actor: the body sentences that name an actor, each with
    the first actor it names.

    Args:
        sentences: the sentence table (``doc_id, sent_id, start, end, text``; only ``kind ==
            "body"`` rows when there is a ``kind`` column); other columns are kept.
        actors: the actor table (:func:`framing.load_actors`; default the shipped one).

    Returns:
        The sentences that name at least one actor, in order, with ``actor`` (the first actor
        named, by position), ``mention`` (its words) and ``mention_start``/``mention_end``
        (their offsets in the article), ready for :func:`coding_sample` and
        :func:`framing.aimed_tone`.
    """
    from ..measures.actors import actor_mentions

    body = sentences[sentences["kind"] == "body"] if "kind" in sentences.columns else sentences
    m = actor_mentions(body[["doc_id", "sent_id", "start", "text"]], actors)
    first = m.sort_values(["doc_id", "sent_id", "start"], kind="stable").drop_duplicates(
        ["doc_id", "sent_id"]
    )
    first = first.rename(
        columns={"alias": "mention", "start": "mention_start", "end": "mention_end"}
    )
    cols = ["doc_id", "sent_id", "actor", "mention", "mention_start", "mention_end"]
    return body.merge(first[cols], on=["doc_id", "sent_id"], how="inner").reset_index(drop=True)
