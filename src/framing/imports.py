"""Import a corpus from a folder of text files, CSV, JSON Lines or Parquet, with a bad-row report.

:func:`framing.load_corpus` calls :func:`import_corpus` for everything that is not a
``manifest.csv`` corpus. Every article becomes one row of the usual article table (the same
columns as the case study, plus the file's other columns); every row that cannot be used is listed
in a report, per reason, with its file, row and id (:func:`load_report`). Nothing is dropped
silently: the caller chooses to raise on the first bad row or to drop bad rows and keep the report.
"""

from __future__ import annotations

__all__ = [
    "import_corpus",
    "load_report",
    "corpus_format",
    "BAD_ROW_REASONS",
    "KEPT_ROW_NOTES",
    "COLUMN_ROLES",
]

import collections
import datetime as dt
import gzip
import hashlib
import io
import itertools
import json
import re
import tomllib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .cleaning import clean_text, load_rules
from .corpus import decode_text
from .errors import CorpusError

Format = Literal["auto", "manifest", "folder", "csv", "jsonl", "parquet", "spec"]
OnError = Literal["raise", "drop"]
_FORMATS = ("auto", "manifest", "folder", "csv", "jsonl", "parquet", "spec")
_ON_ERROR = ("raise", "drop")

# Which column of the file plays which role. Keys are the roles; when ``columns`` does not name
# a role, the first of these column names found in the file is used.
COLUMN_ROLES: dict[str, tuple[str, ...]] = {
    "id": ("doc_id", "id", "article_id"),
    "text": ("text", "content", "body", "article"),
    "outlet": ("outlet", "source", "publication", "publisher", "media"),
    "date": ("published", "date", "pub_date", "publish_date"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "byline": ("byline", "authors", "author"),
    "path": ("path", "file"),
}

# Rows that are dropped (on_error="drop") or raise (on_error="raise"), in the order checked.
BAD_ROW_REASONS: dict[str, str] = {
    "unreadable_row": "the row could not be read (malformed JSON line)",
    "missing_file": "the text file the row names does not exist",
    "not_utf8": "the text file is not valid UTF-8",
    "empty_text": "the text is empty or only white space",
    "empty_id": "the id column is empty in this row",
    "duplicate_id": "the id was already used by an earlier row (the first is kept)",
    "unparseable_date": "the date matches none of the accepted formats",
    "impossible_date": "the date is a real date but outside the plausible range",
    "duplicate_text": "the same text (ignoring surrounding white space) as an earlier row",
    "debris_only": "cleaning removed every line, or left only headings",
}
# Rows that are kept but reported, so a reader knows what they are looking at.
KEPT_ROW_NOTES: dict[str, str] = {
    "missing_date": "no date given: kept, published is NaT",
    "missing_outlet": "no outlet given: kept as outlet '(unknown)'",
    "nonstandard_date": "date read with a format other than ISO (e.g. %m/%d/%y): kept",
}
REPORT_COLUMNS = ["file", "row", "doc_id", "reason", "detail", "action"]
UNKNOWN_OUTLET = "(unknown)"
EARLIEST_DATE = dt.date(1800, 1, 1)

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_SPEC_KEYS = ("path", "format", "columns", "date_formats", "on_error", "rules", "description")

# The reports of loaded frames, by a token kept in ``DataFrame.attrs`` (a short string: pandas
# copies attrs on every operation, so the report itself must not live there).
_REPORTS: collections.OrderedDict[str, pd.DataFrame] = collections.OrderedDict()
_MAX_REPORTS = 64
_ATTR = "framing_load_report"


def _remember(frame: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    token = uuid.uuid4().hex
    _REPORTS[token] = report
    while len(_REPORTS) > _MAX_REPORTS:
        _REPORTS.popitem(last=False)
    frame.attrs[_ATTR] = token
    return frame


def load_report(
    articles: pd.DataFrame, *, level: Literal["rows", "reasons"] = "rows"
) -> pd.DataFrame:
    """The bad-row report of a loaded corpus: what was dropped or noted, per row or per reason.

    Args:
        articles: a frame returned by :func:`framing.load_corpus` (or derived from it in the same
            session: filtering and copying keep the link).
        level: ``"rows"`` for one row per reported input row, ``"reasons"`` for counts.

    Returns:
        With ``level="rows"``: ``file, row, doc_id, reason, detail, action`` where ``row`` is the
        1-based data row (JSON Lines: line number; CSV: row after the header; folder: file
        number in sorted order), ``reason`` a key of :data:`BAD_ROW_REASONS` or
        :data:`KEPT_ROW_NOTES`, and ``action`` ``"dropped"`` or ``"kept"``. With
        ``level="reasons"``: ``reason, action, n_rows, doc_ids`` (ids joined by ", ", at most
        20, then "…").

    Raises:
        ValueError: ``level`` is not allowed, or ``articles`` carries no report (it was not
            loaded by :func:`framing.load_corpus` in this Python session).

    Note:
        A manifest corpus loaded with ``on_error="raise"`` has an empty report: any bad row
        would have raised.
    """
    if level not in ("rows", "reasons"):
        raise ValueError(f"level={level!r} is not allowed; use one of ('rows', 'reasons')")
    token = articles.attrs.get(_ATTR)
    if token is None or token not in _REPORTS:
        raise ValueError(
            "articles carries no load report: load it with framing.load_corpus in this session"
        )
    report = _REPORTS[token]
    if level == "rows":
        return report.copy()
    return summarize_report(report)


def summarize_report(report: pd.DataFrame) -> pd.DataFrame:
    """Counts per reason of a row-level report (see :func:`load_report`)."""
    order = {r: i for i, r in enumerate([*BAD_ROW_REASONS, *KEPT_ROW_NOTES])}
    rows = []
    for (reason, action), grp in report.groupby(["reason", "action"], sort=False):
        ids = [str(i) for i in grp.doc_id]
        shown = ", ".join(ids[:20]) + (", …" if len(ids) > 20 else "")
        rows.append((reason, action, len(grp), shown))
    out = pd.DataFrame(rows, columns=["reason", "action", "n_rows", "doc_ids"])
    out["_o"] = out.reason.map(order)
    return out.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def corpus_format(path: str | Path) -> str:
    """Which reader ``load_corpus`` uses for ``path`` (``format="auto"``).

    A folder with ``manifest.csv`` is ``"manifest"``; a folder of ``.txt`` files without it is
    ``"folder"``; a file is recognised by its name: ``manifest.csv`` → ``"manifest"``,
    ``*.toml`` → ``"spec"``, ``*.csv[.gz]`` / ``*.tsv`` → ``"csv"`` (or ``"manifest"`` when its
    header has ``doc_id`` and ``path`` and no text column), ``*.jsonl[.gz]`` / ``*.ndjson[.gz]``
    / ``*.json.gz`` → ``"jsonl"``, ``*.parquet`` / ``*.pq`` → ``"parquet"``.
    """
    path = Path(path)
    if path.is_dir():
        if (path / "manifest.csv").exists():
            return "manifest"
        return "folder" if any(path.rglob("*.txt")) else "manifest"
    name = path.name.lower()
    if name == "manifest.csv":
        return "manifest"
    if name.endswith(".toml"):
        return "spec"
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz", ".json")):
        return "jsonl"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz")):
        try:
            header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
        except Exception:
            return "csv"
        if {"doc_id", "path"} <= set(header) and not set(header) & set(COLUMN_ROLES["text"]):
            return "manifest"
        return "csv"
    return "manifest"  # the manifest reader names the problem


def read_spec(path: Path) -> dict[str, Any]:
    """Read a corpus spec (TOML): where the data is and how to read it.

    Keys: ``path`` (relative to the spec file), ``format``, ``columns`` (role → column),
    ``date_formats``, ``on_error``, ``rules`` (a cleaning-rules file, relative to the spec) and
    ``description``.
    """
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"not a valid TOML corpus spec: {e}", file=path) from None
    unknown = sorted(set(spec) - set(_SPEC_KEYS))
    if unknown:
        raise CorpusError(f"unknown keys {unknown}; allowed are {list(_SPEC_KEYS)}", file=path)
    if "path" not in spec:
        raise CorpusError("a corpus spec needs `path` (the data, relative to the spec)", file=path)
    spec["path"] = (path.parent / spec["path"]).resolve()
    if "rules" in spec:
        spec["rules"] = (path.parent / spec["rules"]).resolve()
    return spec


def _check_options(columns, date_formats, on_error, fmt) -> None:
    if fmt not in _FORMATS:
        raise ValueError(f"format={fmt!r} is not allowed; use one of {_FORMATS}")
    if on_error is not None and on_error not in _ON_ERROR:
        raise ValueError(f"on_error={on_error!r} is not allowed; use one of {_ON_ERROR}")
    if columns is not None:
        bad = sorted(set(columns) - set(COLUMN_ROLES))
        if bad:
            raise ValueError(
                f"columns has unknown roles {bad}; allowed roles are {list(COLUMN_ROLES)}"
            )
    if date_formats is not None and (isinstance(date_formats, str) or not date_formats):
        raise ValueError(
            f"date_formats={date_formats!r} is not allowed; give a non-empty list such as "
            "['iso', '%m/%d/%y']"
        )


def parse_any_date(
    value: Any, formats: Sequence[str], *, latest: dt.date
) -> tuple[dt.date | None, str | None, str]:
    """Parse one date value: (date or None, problem reason or None, format used or detail)."""
    if value is None or (isinstance(value, float) and value != value):
        return None, "missing_date", ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        if pd.isna(value):
            return None, "missing_date", ""
        d = value.date()
        fmt = "iso"
    elif isinstance(value, dt.date):
        d, fmt = value, "iso"
    else:
        s = str(value).strip()
        if not s:
            return None, "missing_date", ""
        d = None
        fmt = ""
        for f in formats:
            try:
                if f == "iso":
                    m = _ISO.fullmatch(s)
                    if not m:
                        continue
                    d = dt.date(int(m[1]), int(m[2]), int(m[3]))
                else:
                    d = dt.datetime.strptime(s, f).date()
            except ValueError:
                continue
            fmt = f
            break
        if d is None:
            return (
                None,
                "unparseable_date",
                f"date {s!r} matches none of the formats {list(formats)}",
            )
    if d < EARLIEST_DATE:
        return None, "impossible_date", f"date {d.isoformat()} is before {EARLIEST_DATE}"
    if d > latest:
        return None, "impossible_date", f"date {d.isoformat()} is in the future"
    return d, None, fmt


# ---------------------------------------------------------------- readers: yield (row, dict)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _jsonl_rows(path: Path, limit: int | None) -> Iterator[tuple[int, dict | CorpusError]]:
    # streamed line by line, so `limit` reads only the start of a large file
    try:
        head = path.open("rb").read(2)
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    opener = gzip.open if head == b"\x1f\x8b" else open
    n = 0
    offset = 0
    with opener(path, "rb") as f:
        for i, bline in enumerate(f, start=1):
            try:
                line = bline.decode("utf-8")
            except UnicodeDecodeError as e:
                bad = bline[e.start : e.start + 4].hex(" ")
                raise CorpusError(
                    f"not valid UTF-8: byte offset {offset + e.start} (bytes {bad}): {e.reason}",
                    file=path,
                    row=i,
                ) from None
            offset += len(bline)
            if i == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError(f"a JSON {type(obj).__name__}, not an object")
            except ValueError as e:
                err = CorpusError(f"unreadable row: {e}", file=path, row=i)
                err.reason = "unreadable_row"
                yield i, err
            else:
                yield i, obj
            n += 1
            if limit is not None and n >= limit:
                return


def _table_rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict]]:
    cols = list(frame.columns)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        yield i, dict(zip(cols, values, strict=True))


def _csv_frame(path: Path, limit: int | None) -> pd.DataFrame:
    text = decode_text(_read_bytes(path), path, None)
    sep = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else ","
    try:
        return pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, nrows=limit
        )
    except (pd.errors.ParserError, ValueError) as e:
        raise CorpusError(f"not a readable CSV file: {e}", file=path) from None


def _parquet_frame(path: Path, limit: int | None) -> pd.DataFrame:
    if not path.exists():
        raise CorpusError("file not found", file=path)
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for a bad file
        raise CorpusError(f"not a readable Parquet file: {e}", file=path) from None
    if limit is None:
        return pf.read().to_pandas()
    import pyarrow as pa

    batches = []
    n = 0
    for batch in pf.iter_batches(batch_size=min(limit, 65536)):
        batches.append(batch)
        n += batch.num_rows
        if n >= limit:
            break
    if not batches:
        return pf.schema_arrow.empty_table().to_pandas()
    return pa.Table.from_batches(batches).slice(0, limit).to_pandas()


def _folder_rows(root: Path, limit: int | None) -> Iterator[tuple[int, dict | CorpusError]]:
    files = sorted(root.rglob("*.txt"), key=lambda p: p.relative_to(root).as_posix())
    for i, f in enumerate(files, start=1):
        if limit is not None and i > limit:
            return
        rel = f.relative_to(root)
        outlet = rel.parts[0] if len(rel.parts) > 1 else ""
        yield i, {"doc_id": rel.with_suffix("").as_posix(), "outlet": outlet, "path": str(f)}


# ---------------------------------------------------------------- the common row pipeline


def _resolve_columns(
    available: Sequence[str], columns: Mapping[str, str] | None, file: Path
) -> dict[str, str]:
    mapping: dict[str, str] = {}
    columns = dict(columns or {})
    for role, name in columns.items():
        if name not in available:
            raise CorpusError(
                f"columns maps {role!r} to {name!r}, which is not a column; the file has "
                f"{list(available)}",
                file=file,
            )
        mapping[role] = name
    for role, candidates in COLUMN_ROLES.items():
        if role in mapping:
            continue
        found = next((c for c in candidates if c in available), None)
        if found is not None and found not in mapping.values():
            mapping[role] = found
    if "text" not in mapping and "path" not in mapping:
        raise CorpusError(
            f"no text column: name it with columns={{'text': ...}} (or 'path' for text files); "
            f"the file has {list(available)}",
            file=file,
        )
    return mapping


def _as_str(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _clean_chunk(items: list[tuple[str, str, str]], rules) -> list[tuple[str, bool, int, int]]:
    from .corpus import count_words_many

    done = [clean_text(raw, rules, doc_id=doc_id, title=title) for doc_id, raw, title in items]
    words = count_words_many(c.text for c in done).tolist()
    return [
        (c.text, any(not heading for _, _, heading, _ in c.paragraphs), len(c.removed), n)
        for c, n in zip(done, words, strict=True)
    ]


_BATCH = 8000  # articles cleaned and turned into a DataFrame at a time


def _clean_all(items: list[tuple[str, str, str]], rules, n_jobs: int) -> list:
    if n_jobs == 1 or len(items) < 2:
        return _clean_chunk(items, rules)
    from joblib import Parallel, delayed, effective_n_jobs

    workers = effective_n_jobs(n_jobs)
    if workers == 1:
        return _clean_chunk(items, rules)
    size = max(1, -(-len(items) // (workers * 4)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    parts = Parallel(n_jobs=workers)(delayed(_clean_chunk)(c, rules) for c in chunks)
    return [r for part in parts for r in part]


def import_corpus(
    path: str | Path,
    *,
    format: Format = "auto",
    columns: Mapping[str, str] | None = None,
    date_formats: Sequence[str] | None = None,
    on_error: OnError | None = None,
    limit: int | None = None,
    rules: str | Path | None = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Read a folder of ``.txt`` files, a CSV, JSON Lines or Parquet file, or a corpus spec.

    Called by :func:`framing.load_corpus`, which documents the arguments; use that.
    """
    path = Path(path)
    _check_options(columns, date_formats, on_error, format)
    fmt = corpus_format(path) if format == "auto" else format
    if fmt == "spec":
        spec = read_spec(path)
        return import_corpus(
            spec["path"],
            format=spec.get("format", "auto") if format in ("auto", "spec") else format,
            columns=columns if columns is not None else spec.get("columns"),
            date_formats=date_formats if date_formats is not None else spec.get("date_formats"),
            on_error=on_error if on_error is not None else spec.get("on_error"),
            limit=limit,
            rules=rules if rules is not None else spec.get("rules"),
            n_jobs=n_jobs,
        )
    if fmt == "manifest":
        from .corpus import load_corpus

        return load_corpus(path, on_error=on_error)
    on_error = on_error or "raise"
    formats = tuple(date_formats) if date_formats is not None else ("iso",)
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit={limit!r} is not allowed; give a positive int or None")

    store_key = None
    if fmt == "folder":
        if not path.is_dir():
            raise CorpusError("not a folder", file=path)
        rows: Iterator = _folder_rows(path, limit)
        mapping = {r: r for r in ("id", "outlet", "path")}
        mapping["id"] = "doc_id"
        base = path
        rules_file = Path(rules) if rules else path / "cleaning_rules.toml"
    else:
        cached, store_key = _cached_load(path, fmt, columns, formats, on_error, limit, rules)
        if cached is not None:
            return cached
        if fmt == "csv":
            frame = _csv_frame(path, limit)
            available = list(frame.columns)
            rows = _table_rows(frame)
        elif fmt == "parquet":
            frame = _parquet_frame(path, limit)
            available = list(frame.columns)
            rows = _table_rows(frame)
        else:  # jsonl: columns are the keys of the first readable object
            # streamed: the columns are the keys of the first readable object
            stream = _jsonl_rows(path, limit)
            head: list = []
            for item in stream:
                head.append(item)
                if isinstance(item[1], dict):
                    break
            first = head[-1][1] if head and isinstance(head[-1][1], dict) else {}
            available = list(first)
            rows = itertools.chain(head, stream)
        mapping = _resolve_columns(available, columns, path)
        base = path.parent
        rules_file = Path(rules) if rules else path.parent / "cleaning_rules.toml"

    rule_set = load_rules(rules_file)
    rules_name = str(rules_file.resolve()) if rules_file.is_file() else ""
    file_name = str(path.resolve())
    latest = dt.date.today()
    used = set(mapping.values())
    report: list[tuple] = []

    def bad(row: int, doc_id: str, reason: str, detail: str, file: str = file_name) -> None:
        if on_error == "raise":
            words = reason.replace("_", " ")
            who = f" (doc_id {doc_id!r})" if doc_id else ""
            raise CorpusError(f"{words}{who}: {detail}", file=file, row=row)
        report.append((file, row, doc_id, reason, detail, "dropped"))

    seen_ids: dict[str, int] = {}
    # texts are remembered by a 16-byte digest, not kept whole, to hold memory down
    seen_text: dict[bytes, tuple[str, int]] = {}
    records: list[dict] = []
    parts: list[pd.DataFrame] = []

    def flush() -> None:
        # clean a batch, check for debris-only articles, keep it as a DataFrame: the Python
        # strings of the batch are then freed, so memory holds the texts about once
        if not records:
            return
        items = [(r["doc_id"], r["text_raw"], r["title"]) for r in records]
        jobs = n_jobs if n_jobs is not None else (-1 if len(items) >= 4000 else 1)
        cleaned = _clean_all(items, rule_set, jobs)
        keep = []
        for rec, (text, has_body, n_removed, n_words) in zip(records, cleaned, strict=True):
            if not has_body:
                bad(
                    rec["_row"],
                    rec["doc_id"],
                    "debris_only",
                    f"cleaning removed all {n_removed} non-blank lines or left only headings",
                    rec["path"],
                )
                continue
            rec["text"] = text
            rec["n_words"] = n_words
            keep.append(rec)
        if keep:
            parts.append(pd.DataFrame.from_records(keep))
        records.clear()

    for row, rec in rows:
        if isinstance(rec, CorpusError):
            if on_error == "raise":
                raise rec
            report.append((file_name, row, "", rec.reason, rec.problem, "dropped"))
            continue
        doc_id = _as_str(rec.get(mapping["id"])).strip() if "id" in mapping else f"row-{row}"
        row_file = file_name
        if "text" in mapping:
            raw = _as_str(rec.get(mapping["text"]))
            raw = raw.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        else:
            text_path = (base / _as_str(rec.get(mapping["path"]))).resolve()
            row_file = str(text_path)
            try:
                raw = decode_text(_read_plain(text_path, row), text_path, row)
            except CorpusError as e:
                if on_error == "raise":
                    raise
                reason = "missing_file" if "not found" in e.problem else "not_utf8"
                bad(row, doc_id, reason, e.problem, file=row_file)
                continue
        if not raw.strip():
            bad(row, doc_id, "empty_text", "the text is empty or only white space", row_file)
            continue
        if not doc_id:
            bad(row, doc_id, "empty_id", f"column {mapping['id']!r} is empty", row_file)
            continue
        if doc_id in seen_ids:
            bad(row, doc_id, "duplicate_id", f"first used in row {seen_ids[doc_id]}", row_file)
            continue
        published, problem, how = (None, "missing_date", "")
        if "date" in mapping:
            published, problem, how = parse_any_date(
                rec.get(mapping["date"]), formats, latest=latest
            )
        if problem in ("unparseable_date", "impossible_date"):
            bad(row, doc_id, problem, how, row_file)
            continue
        key = hashlib.blake2b(raw.strip().encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if key in seen_text:
            first_id, first_row = seen_text[key]
            bad(row, doc_id, "duplicate_text", f"same text as {first_id!r} (row {first_row})")
            continue
        seen_ids[doc_id] = row
        seen_text[key] = (doc_id, row)
        if problem == "missing_date" and "date" in mapping:
            report.append((row_file, row, doc_id, "missing_date", "no date given", "kept"))
        elif how not in ("iso", ""):
            value = _as_str(rec.get(mapping["date"]))
            report.append(
                (row_file, row, doc_id, "nonstandard_date", f"{value!r} read as {how}", "kept")
            )
        outlet = _as_str(rec.get(mapping["outlet"])).strip() if "outlet" in mapping else ""
        if not outlet:
            outlet = UNKNOWN_OUTLET
            report.append((row_file, row, doc_id, "missing_outlet", "no outlet given", "kept"))
        title = _as_str(rec.get(mapping["title"])).strip() if "title" in mapping else ""
        records.append(
            {
                "doc_id": doc_id,
                "outlet": outlet,
                "title": title,
                "published": published,
                "url": _as_str(rec.get(mapping["url"])).strip() if "url" in mapping else "",
                "byline": _as_str(rec.get(mapping["byline"])).strip()
                if "byline" in mapping
                else "",
                "provenance": f"{path.name} row {row}",
                "path": row_file,
                "rules": rules_name,
                "text_raw": raw,
                "_row": row,
                **{
                    (k if k not in _ARTICLE_COLUMNS else f"src_{k}"): v
                    for k, v in rec.items()
                    if k not in used
                },
            }
        )
        if len(records) >= _BATCH:
            flush()

    flush()
    if not parts:
        raise CorpusError(f"no usable articles ({len(report)} bad rows reported)", file=path)

    from .corpus import ARTICLE_COLUMNS

    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    parts.clear()
    out["published"] = pd.to_datetime(out["published"]).astype("datetime64[s]")
    extras = [c for c in out.columns if c not in ARTICLE_COLUMNS and c != "_row"]
    out = out[ARTICLE_COLUMNS + extras].reset_index(drop=True)
    rep = pd.DataFrame(report, columns=REPORT_COLUMNS).astype({"row": "int64"})
    rep = rep.sort_values(["file", "row"], kind="stable").reset_index(drop=True)
    if store_key is not None:
        from .cache import FrameCache

        store = FrameCache("corpus", _LOAD_VERSION)
        store.put_frame(store_key, out)
        store.put_frame(f"{store_key}-report", rep)
    return _remember(out, rep)


# Loading a large table is cached (framing.cache), keyed by the file's path, size and
# modification time, the options, today's date (the latest possible date) and this code: the
# notebooks each load the corpus, and a rerun then reads one Parquet file.
_CACHE_MIN_BYTES = 5_000_000


def _load_version() -> str:
    from importlib import resources

    h = hashlib.sha256()
    pkg = resources.files("framing")
    for name in ("imports.py", "corpus.py", "cleaning.py", "data/cleaning_rules.toml"):
        h.update(pkg.joinpath(name).read_bytes())
    return h.hexdigest()[:16]


_LOAD_VERSION = _load_version()


def _cached_load(path, fmt, columns, formats, on_error, limit, rules):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None, None
    if st.st_size < _CACHE_MIN_BYTES:
        return None, None
    from .cache import FrameCache, content_key

    rules_file = Path(rules) if rules else path.parent / "cleaning_rules.toml"
    rules_text = rules_file.read_text(encoding="utf-8") if rules_file.is_file() else ""
    key = content_key(
        str(path.resolve()),
        str(st.st_size),
        str(st.st_mtime_ns),
        fmt,
        repr(sorted((columns or {}).items())),
        repr(formats),
        str(on_error),
        str(limit),
        rules_text,
        dt.date.today().isoformat(),
    )
    store = FrameCache("corpus", _LOAD_VERSION)
    out = store.get_frame(key)
    rep = store.get_frame(f"{key}-report")
    if out is None or rep is None:
        return None, key
    out["published"] = out["published"].astype("datetime64[s]")  # Parquet stores ms at least
    return _remember(out, rep), key


def _read_plain(path: Path, row: int) -> bytes:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise CorpusError("file not found", file=path, row=row) from None


_ARTICLE_COLUMNS = frozenset(
    [
        "doc_id", "outlet", "title", "published", "url", "byline", "provenance",
        "path", "rules", "text_raw", "text", "n_words",
    ]
)  # fmt: skip
