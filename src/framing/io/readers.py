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
import csv
import datetime as dt
import gzip
import hashlib
import io
import itertools
import json
import os
import re
import sys
import tomllib
import uuid
import warnings
import weakref
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import CorpusError
from ..text.boilerplate import BoilerplateSettings, check_boilerplate, learn_boilerplate
from ..text.cleaning import clean_text, load_rules
from .manifest import MAX_CHARS, decode_text, read_file_bytes

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
    "unreadable_row": "the row could not be read (malformed JSON line, or a key given twice)",
    "ragged_row": "a CSV (or manifest) row with more or fewer fields than the header",
    "path_escapes": "the text file the row names lies outside the table's (or corpus) folder: "
    "an absolute path, a ../ path or a symlink pointing out",
    "symlinked_folder": "a symlinked sub-folder of a folder corpus: not followed (a target "
    "inside the folder is read where it lies; one outside would escape it)",
    "missing_file": "the text file the row names does not exist",
    "not_a_file": "the path names a folder (or something else that is not a readable file)",
    "not_utf8": "the text file (or the CSV row's bytes) is not valid UTF-8",
    "not_a_string": "the text is not a string (a list, object, bytes or number in JSON or "
    "Parquet), or another field is a list, object or bytes: never turned into its repr",
    "too_long": "the text has more characters than max_chars (default 5,000,000)",
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
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?"
)
_SPEC_KEYS = (
    "path", "format", "columns", "date_formats", "on_error", "rules", "boilerplate", "description",
)  # fmt: skip

# The reports of loaded frames, by a token kept in ``DataFrame.attrs`` (a short string: pandas
# copies attrs on every operation, so the report itself must not live there). A report is kept
# while the frame load_corpus returned is alive (_LIVE), and the last 64 also after it is gone,
# for frames derived from it (_REPORTS): many loads in one session never lose a live frame's.
_REPORTS: collections.OrderedDict[str, pd.DataFrame] = collections.OrderedDict()
_LIVE: dict[str, pd.DataFrame] = {}
_MAX_REPORTS = 64
_ATTR = "framing_load_report"


def _remember(frame: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    token = uuid.uuid4().hex
    _REPORTS[token] = report
    _LIVE[token] = report
    weakref.finalize(frame, _LIVE.pop, token, None)
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
    report = _LIVE.get(token, _REPORTS.get(token)) if token is not None else None
    if report is None:
        raise ValueError(
            "articles carries no load report: load it with framing.load_corpus in this session"
        )
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
        return "folder" if _folder_entries(path) else "manifest"
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
    ``date_formats``, ``on_error``, ``rules`` (a cleaning-rules file, relative to the spec),
    ``boilerplate`` (``true``, ``false`` or a table of thresholds, as ``load_corpus``'s option)
    and ``description``.
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
    if "boilerplate" in spec:
        try:
            check_boilerplate(spec["boilerplate"])
        except ValueError as e:
            raise CorpusError(str(e), file=path) from None
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
    """Parse one date value: (date or None, problem reason or None, format used or detail).

    A timestamp with a time zone (an ISO string ``2023-03-20T23:30-04:00`` or a Parquet
    ``timestamp[tz=...]``) gives its local date, the date as written in its own zone, never
    the UTC date: a Parquet column stored in UTC therefore gives UTC dates. An ISO time must
    be a real time (hours 00-23, minutes and seconds 00-59, offsets up to 23:59), else the
    value is unparseable.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None, "missing_date", ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        if pd.isna(value):
            return None, "missing_date", ""
        d = value.date()  # a tz-aware value: the date in its own zone
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
                    if not m or not _real_time(m):
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
    problem = date_out_of_range(d, latest)
    if problem:
        return None, "impossible_date", problem
    return d, None, fmt


def _real_time(m: re.Match) -> bool:
    hour, minute, second, off_h, off_m = m[4], m[5], m[6], m[7], m[8]
    if hour is not None and (int(hour) > 23 or int(minute) > 59):
        return False
    if second is not None and int(second) > 59:
        return False
    return off_h is None or (int(off_h) <= 23 and int(off_m) <= 59)


def date_out_of_range(d: dt.date, latest: dt.date) -> str | None:
    """Why a real date is implausible for a news article (before 1800-01-01 or after
    ``latest``, normally today), or None when it is plausible. Every reader applies it."""
    if d < EARLIEST_DATE:
        return f"date {d.isoformat()} is before {EARLIEST_DATE}"
    if d > latest:
        return f"date {d.isoformat()} is in the future"
    return None


# ---------------------------------------------------------------- readers: yield (row, dict)


def _gzip_problem(e: BaseException) -> str:
    if isinstance(e, EOFError):
        return "truncated gzip file: the compressed data ends before its end-of-stream marker"
    if isinstance(e, zlib.error):
        return f"damaged gzip file: the compressed data is corrupt ({e})"
    return f"damaged gzip file: {e}"  # BadGzipFile: a bad header, CRC or length check


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    except IsADirectoryError:
        raise CorpusError("is a folder, not a data file", file=path) from None
    except OSError as e:
        raise CorpusError(f"cannot be read: {e.strerror or e}", file=path) from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
            raise CorpusError(_gzip_problem(e), file=path) from None
    return data


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        # json.loads would keep the last value silently
        raise ValueError(f"the key {dup!r} is given twice")
    return obj


def _jsonl_rows(path: Path, limit: int | None) -> Iterator[tuple[int, dict | CorpusError]]:
    # streamed line by line, so `limit` reads only the start of a large file
    try:
        with path.open("rb") as f:
            head = f.read(2)
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    except IsADirectoryError:
        raise CorpusError("is a folder, not a data file", file=path) from None
    opener = gzip.open if head == b"\x1f\x8b" else open
    n = 0
    offset = 0
    i = 0
    with opener(path, "rb") as f:
        lines = iter(f)
        while True:
            try:
                bline = next(lines)
            except StopIteration:
                return
            except (EOFError, OSError, zlib.error) as e:
                after = f" (after line {i})" if i else ""
                raise CorpusError(f"{_gzip_problem(e)}{after}", file=path) from None
            i += 1
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
                obj = json.loads(line, object_pairs_hook=_no_duplicate_keys)
                if not isinstance(obj, dict):
                    raise ValueError(f"a JSON {type(obj).__name__}, not an object")
            except ValueError as e:
                yield (
                    i,
                    CorpusError(f"unreadable row: {e}", file=path, row=i, reason="unreadable_row"),
                )
            else:
                yield i, obj
            n += 1
            if limit is not None and n >= limit:
                return


_SURROGATE = re.compile("[\udc80-\udcff]")


def _csv_rows(
    path: Path, limit: int | None
) -> tuple[list[str], Iterator[tuple[int, dict | CorpusError]]]:
    """The header and the rows of a CSV/TSV file, read by the csv module: a row with more or
    fewer fields than the header is reported (``ragged_row``), never padded or shifted; a row
    holding bytes that are not UTF-8 is reported by itself (``not_utf8``)."""
    data = _read_bytes(path)
    try:
        text = decode_text(data, path, None)
        bad_utf8 = None
    except CorpusError as e:
        # read on, keeping the bad bytes as lone surrogates, to name the rows that hold them
        bad_utf8 = e
        text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sep = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else ","
    if len(text) > csv.field_size_limit():  # the default (131,072) is shorter than some articles
        csv.field_size_limit(min(len(text) + 1, sys.maxsize))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next((r for r in reader if r), None)
    except csv.Error as e:
        raise CorpusError(f"not a readable CSV file: {e}", file=path) from None
    if header is None:
        raise CorpusError("not a readable CSV file: no header row", file=path)
    if bad_utf8 is not None and any(_SURROGATE.search(h) for h in header):
        raise bad_utf8
    header = [h if h else f"Unnamed: {j}" for j, h in enumerate(header)]
    dups = sorted({h for h in header if header.count(h) > 1})
    if dups:
        raise CorpusError(
            f"the header names the columns {dups} more than once; give each column its own "
            "name (the second is never renamed or dropped silently)",
            file=path,
        )

    def rows() -> Iterator[tuple[int, dict | CorpusError]]:
        n = 0
        first_bad = True
        while limit is None or n < limit:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise CorpusError(f"not a readable CSV file: {e}", file=path, row=n + 1) from None
            if not values:
                continue  # a blank line
            n += 1
            if len(values) != len(header):
                yield (
                    n,
                    CorpusError(
                        f"the row has {len(values)} field{'s' if len(values) != 1 else ''}, the header "
                        f"{len(header)}",
                        file=path,
                        row=n,
                        reason="ragged_row",
                    ),
                )
                continue
            if bad_utf8 is not None:
                hit = next(
                    ((h, v) for h, v in zip(header, values, strict=True) if _SURROGATE.search(v)),
                    None,
                )
                if hit is not None:
                    col, v = hit
                    at = _SURROGATE.search(v).start()
                    bad = v[at : at + 4].encode("utf-8", "surrogateescape").hex(" ")
                    detail = bad_utf8.problem if first_bad else f"not valid UTF-8 (bytes {bad})"
                    first_bad = False
                    yield (
                        n,
                        CorpusError(
                            f"{detail}, in column {col!r}", file=path, row=n, reason="not_utf8"
                        ),
                    )
                    continue
            yield n, dict(zip(header, values, strict=True))

    return header, rows()


def _table_rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict]]:
    cols = list(frame.columns)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        yield i, dict(zip(cols, values, strict=True))


def _parquet_frame(path: Path, limit: int | None) -> pd.DataFrame:
    if not path.exists():
        raise CorpusError("file not found", file=path)
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        dups = sorted({c for c in names if names.count(c) > 1})
        if dups:
            raise CorpusError(
                f"the file names the columns {dups} more than once; give each its own name",
                file=path,
            )
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
    except CorpusError:
        raise
    except Exception as e:  # pyarrow raises several types for a bad file
        raise CorpusError(f"not a readable Parquet file: {e}", file=path) from None


def _folder_entries(root: Path) -> list[tuple[Path, str]]:
    """Every ``.txt`` entry under ``root`` (files, symlinks to files, folders named ``x.txt``)
    as ``(path, "file")`` and every symlinked sub-folder as ``(path, "symlink")``, sorted by
    the path relative to ``root``. Symlinked sub-folders are not followed (a loop, or a way
    out of the folder): they are listed so that the report names them."""
    found: list[tuple[Path, str]] = []

    def walk(folder: Path) -> None:
        with os.scandir(folder) as entries:
            for e in entries:
                p = Path(e.path)
                if e.is_dir(follow_symlinks=False):
                    if e.name.endswith(".txt"):
                        found.append((p, "file"))  # reported: a folder, not a text file
                    walk(p)
                elif e.is_symlink() and p.is_dir():
                    found.append((p, "symlink"))
                elif e.name.endswith(".txt"):
                    found.append((p, "file"))

    walk(root)
    return sorted(found, key=lambda x: x[0].relative_to(root).as_posix())


def _folder_rows(root: Path, limit: int | None) -> Iterator[tuple[int, dict | CorpusError]]:
    real = root.resolve()
    for i, (f, kind) in enumerate(_folder_entries(root), start=1):
        if limit is not None and i > limit:
            return
        rel = f.relative_to(root)
        doc_id = rel.with_suffix("").as_posix() if f.name.endswith(".txt") else rel.as_posix()
        if kind == "symlink":
            target = f.resolve()
            if target.is_relative_to(real):
                err = CorpusError(
                    f"symlinked sub-folder {rel.as_posix()!r} -> {target}: not followed (its "
                    "files are read where they lie, inside the folder)",
                    file=f,
                    row=i,
                    reason="symlinked_folder",
                )
            else:
                err = CorpusError(
                    f"symlinked sub-folder {rel.as_posix()!r} -> {target} lies outside the "
                    f"corpus folder {real}: not read",
                    file=f,
                    row=i,
                    reason="path_escapes",
                )
            err.doc_id = doc_id
            yield i, err
            continue
        outlet = rel.parts[0] if len(rel.parts) > 1 else ""
        yield i, {"doc_id": doc_id, "outlet": outlet, "path": rel.as_posix()}


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


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _as_str(value: Any) -> str:
    if _missing(value):
        return ""
    return str(value)


_NOT_SCALAR = (list, tuple, dict, set, bytes, bytearray, memoryview, np.ndarray)


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray | list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object (dict)"
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


class _BadValue(Exception):
    def __init__(self, detail: str):
        self.detail = detail


def _field(rec: dict, mapping: dict[str, str], role: str) -> str:
    # a metadata value as a string: numbers as written (a JSON id 12 is "12"); a list,
    # object or bytes is refused rather than turned into its Python repr
    if role not in mapping:
        return ""
    value = rec.get(mapping[role])
    if isinstance(value, _NOT_SCALAR):
        raise _BadValue(f"column {mapping[role]!r} holds {_kind(value)}, not a string")
    return _as_str(value).strip()


def debris_detail(n_removed: int, n_headings: int) -> str:
    """Why cleaning left no body text, with the counts that say which case it is."""
    if n_headings == 0:
        return f"cleaning removed all {n_removed} non-blank lines"
    what = f"{n_headings} heading{'s' if n_headings != 1 else ''} (short lines that do not end "
    what += "like a sentence)"
    if n_removed == 0:
        return f"cleaning removed nothing, and the text is only {what}: no body text"
    return f"cleaning removed {n_removed} non-blank lines and left only {what}: no body text"


def _clean_chunk(items: list[tuple], rules) -> list[tuple[str, bool, int, int, int]]:
    from ..text.words import count_words_many

    done = [
        clean_text(raw, rules, doc_id=doc_id, title=title, boilerplate=found)
        for doc_id, raw, title, found in items
    ]
    words = count_words_many(c.text for c in done).tolist()
    return [
        (
            c.text,
            any(not heading for _, _, heading, _ in c.paragraphs),
            len(c.removed),
            n,
            sum(1 for _, _, heading, _ in c.paragraphs if heading),
        )
        for c, n in zip(done, words, strict=True)
    ]


_BATCH = 8000  # articles turned into a DataFrame, then cleaned, at a time


def _clean_all(items: list[tuple], rules, n_jobs: int) -> list:
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


def learn_furniture(
    texts: Sequence[str], outlets: Sequence[str], dates, settings: BoilerplateSettings | None
) -> list[list]:
    """Where each article's learned furniture is (:func:`framing.text.boilerplate.
    find_boilerplate`'s lists), or empty lists when ``settings`` is None (learning off). Both
    loaders call it once all rows are read, before cleaning."""
    if settings is None:
        return [[] for _ in texts]
    return learn_boilerplate(texts, outlets, dates, settings=settings).found


def _clean_parts(parts, rules, settings, n_jobs, bad, progress) -> list[pd.DataFrame]:
    # Learn each outlet's furniture from every row read, then clean each batch once (in worker
    # processes for large tables), with the furniture its articles hold; debris-only articles
    # are reported (or raise) through `bad`.
    from tqdm.auto import tqdm

    from ..text.boilerplate import encode_found

    if not parts:
        return parts
    found = learn_furniture(
        [t for p in parts for t in p["text_raw"]],
        [o for p in parts for o in p["outlet"]],
        [d for p in parts for d in p["published"]],
        settings,
    )
    total = sum(len(p) for p in parts)
    bar = tqdm(total=total, desc="cleaning", unit="row", disable=not progress)
    out, at = [], 0
    for part in parts:
        mine = found[at : at + len(part)]
        at += len(part)
        items = list(zip(part["doc_id"], part["text_raw"], part["title"], mine, strict=True))
        jobs = n_jobs if n_jobs is not None else (-1 if total >= 4000 else 1)
        cleaned = _clean_all(items, rules, jobs)
        text, n_words, keep = [], [], []
        for (row, file, doc_id), (t, has_body, n_removed, n_w, n_heads) in zip(
            part[["_row", "path", "doc_id"]].itertuples(index=False), cleaned, strict=True
        ):
            if not has_body:
                bad(row, doc_id, "debris_only", debris_detail(n_removed, n_heads), file)
                keep.append(False)
                continue
            keep.append(True)
            text.append(t)
            n_words.append(n_w)
        kept = part[np.asarray(keep, dtype=bool)].copy()
        kept["boilerplate"] = [encode_found(f) for f, k in zip(mine, keep, strict=True) if k]
        kept["text"] = text
        kept["n_words"] = n_words
        if len(kept):
            out.append(kept)
        bar.update(len(part))
    bar.close()
    return out


def _check_max_chars(max_chars: Any) -> None:
    if max_chars is not None and (
        isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1
    ):
        raise ValueError(
            f"max_chars={max_chars!r} is not allowed; give a positive int (default "
            f"{MAX_CHARS:,}) or None for no limit"
        )


def too_long_detail(n_chars: int, max_chars: int) -> str:
    """The report's detail for an article longer than ``max_chars``."""
    return (
        f"the text has {n_chars:,} characters, more than max_chars={max_chars:,} (pass a "
        "larger max_chars, or None, to load it)"
    )


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
    max_chars: int | None = MAX_CHARS,
    cache: bool = True,
    progress: bool = False,
    boilerplate: bool | Mapping | BoilerplateSettings | None = None,
) -> pd.DataFrame:
    """Read a folder of ``.txt`` files, a CSV, JSON Lines or Parquet file, or a corpus spec.

    Called by :func:`framing.load_corpus`, which documents the arguments; use that.
    ``boilerplate=None`` means the spec's setting, else the default (learned, default
    thresholds).
    """
    path = Path(path).absolute()  # relative paths: from the working directory, once
    _check_options(columns, date_formats, on_error, format)
    _check_max_chars(max_chars)
    check_boilerplate(True if boilerplate is None else boilerplate)
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
            max_chars=max_chars,
            cache=cache,
            progress=progress,
            boilerplate=boilerplate if boilerplate is not None else spec.get("boilerplate"),
        )
    settings = check_boilerplate(True if boilerplate is None else boilerplate)
    if fmt == "manifest":
        from .manifest import load_corpus

        return load_corpus(
            path,
            on_error=on_error,
            max_chars=max_chars,
            boilerplate=settings if settings is not None else False,
        )
    on_error = on_error or "raise"
    formats = tuple(date_formats) if date_formats is not None else ("iso",)
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit={limit!r} is not allowed; give a positive int or None")

    store_key = None
    src = path.resolve()
    if fmt == "folder":
        if not path.is_dir():
            raise CorpusError("not a folder", file=path)
        rows: Iterator = _folder_rows(path, limit)
        mapping = {r: r for r in ("id", "outlet", "path")}
        mapping["id"] = "doc_id"
        base = path
        rules_file = Path(rules) if rules else path / "cleaning_rules.toml"
    else:
        if cache:
            store_key = _load_cache_key(
                src, fmt, columns, formats, on_error, limit, rules, max_chars, settings
            )
            cached = _load_cache_get(store_key) if store_key else None
            if cached is not None:
                return cached
        if fmt == "csv":
            available, rows = _csv_rows(src, limit)
        elif fmt == "parquet":
            frame = _parquet_frame(src, limit)
            available = list(frame.columns)
            rows = _table_rows(frame)
        else:  # jsonl: streamed; the columns are the keys of the first readable object
            stream = _jsonl_rows(src, limit)
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
    file_name = str(src)
    base_real = base.resolve()
    latest = dt.date.today()
    used = set(mapping.values())
    report: list[tuple] = []

    def bad(row: int, doc_id: str, reason: str, detail: str, file: str = file_name) -> None:
        if on_error == "raise":
            words = reason.replace("_", " ")
            who = f" (doc_id {doc_id!r})" if doc_id else ""
            raise CorpusError(f"{words}{who}: {detail}", file=file, row=row, reason=reason)
        report.append((file, row, doc_id, reason, detail, "dropped"))

    seen_ids: dict[str, int] = {}
    # texts are remembered by a 16-byte digest, not kept whole, to hold memory down
    seen_text: dict[bytes, tuple[str, int]] = {}
    records: list[dict] = []
    parts: list[pd.DataFrame] = []

    def flush() -> None:
        # a batch of rows as a DataFrame: the Python dicts of the batch are then freed. It is
        # cleaned once every row is read, when the furniture of each outlet can be learned.
        if records:
            parts.append(pd.DataFrame.from_records(records))
        records.clear()

    from tqdm.auto import tqdm

    bar = tqdm(rows, desc=f"loading {path.name}", unit="row", disable=not progress)
    for row, rec in bar:
        if isinstance(rec, CorpusError):
            if on_error == "raise":
                raise rec
            where = rec.file if rec.file and fmt == "folder" else file_name
            report.append(
                (where, row, getattr(rec, "doc_id", ""), rec.reason, rec.problem, "dropped")
            )
            continue
        try:
            doc_id = _field(rec, mapping, "id") if "id" in mapping else f"row-{row}"
        except _BadValue as e:
            bad(row, "", "not_a_string", e.detail)
            continue
        row_file = file_name
        if "text" in mapping:
            value = rec.get(mapping["text"])
            if not (_missing(value) or isinstance(value, str)):
                detail = f"column {mapping['text']!r} holds {_kind(value)}, not a string"
                bad(row, doc_id, "not_a_string", detail)
                continue
            raw = _as_str(value)
            raw = raw.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        else:
            value = rec.get(mapping["path"])
            if not (_missing(value) or isinstance(value, str)):
                detail = f"column {mapping['path']!r} holds {_kind(value)}, not a path"
                bad(row, doc_id, "not_a_string", detail)
                continue
            value = _as_str(value)
            if not value.strip():
                bad(row, doc_id, "missing_file", f"column {mapping['path']!r} is empty")
                continue
            text_path = (base / value).resolve()
            if not text_path.is_relative_to(base_real):
                where = "the table's folder" if fmt != "folder" else "the corpus folder"
                detail = f"path {value!r} -> {text_path} lies outside {where} {base_real}"
                bad(row, doc_id, "path_escapes", detail, str(base / value))
                continue
            row_file = str(text_path)
            try:
                raw = decode_text(read_file_bytes(text_path, row=row), text_path, row)
            except CorpusError as e:
                if on_error == "raise":
                    raise
                bad(row, doc_id, e.reason or "not_utf8", e.problem, file=row_file)
                continue
        if max_chars is not None and len(raw) > max_chars:
            bad(row, doc_id, "too_long", too_long_detail(len(raw), max_chars), row_file)
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
        try:
            outlet = _field(rec, mapping, "outlet")
            title = _field(rec, mapping, "title")
            url = _field(rec, mapping, "url")
            byline = _field(rec, mapping, "byline")
        except _BadValue as e:
            bad(row, doc_id, "not_a_string", e.detail, row_file)
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
        if not outlet:
            outlet = UNKNOWN_OUTLET
            report.append((row_file, row, doc_id, "missing_outlet", "no outlet given", "kept"))
        records.append(
            {
                "doc_id": doc_id,
                "outlet": outlet,
                "title": title,
                "published": published,
                "url": url,
                "byline": byline,
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
    parts = _clean_parts(parts, rule_set, settings, n_jobs, bad, progress)
    rep = pd.DataFrame(report, columns=REPORT_COLUMNS).astype({"row": "int64"})
    rep = rep.sort_values(["file", "row"], kind="stable").reset_index(drop=True)
    if not parts:
        err = CorpusError(
            f"no usable articles ({len(report)} rows reported; the report is this error's "
            "`.report`)",
            file=path,
        )
        err.report = rep
        raise err

    from .manifest import ARTICLE_COLUMNS

    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    parts.clear()
    out["published"] = pd.to_datetime(out["published"]).astype("datetime64[s]")
    extras = [c for c in out.columns if c not in ARTICLE_COLUMNS and c != "_row"]
    out = out[ARTICLE_COLUMNS + extras].reset_index(drop=True)
    if store_key is not None:
        _load_cache_put(store_key, out, rep)
    return _remember(out, rep)


# Loading a large table is cached (framing.cache), keyed by the file's path and a sha256 of
# its bytes (its content, not its size and time: an edit that keeps both is still seen), the
# options, today's date (the latest possible date) and this code: the notebooks each load the
# corpus, and a rerun then reads one Parquet file. ``cache=False`` neither reads nor writes it.
_CACHE_MIN_BYTES = 5_000_000


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _load_cache_key(
    path, fmt, columns, formats, on_error, limit, rules, max_chars, boilerplate
) -> str | None:
    try:
        if path.stat().st_size < _CACHE_MIN_BYTES:
            return None
        digest = _file_digest(path)
    except OSError:
        return None  # the reader names the problem
    from ..cache import content_key

    rules_file = Path(rules) if rules else path.parent / "cleaning_rules.toml"
    rules_text = rules_file.read_text(encoding="utf-8") if rules_file.is_file() else ""
    return content_key(
        str(path),
        digest,
        fmt,
        repr(sorted((columns or {}).items())),
        repr(formats),
        str(on_error),
        str(limit),
        str(max_chars),
        rules_text,
        boilerplate.key() if boilerplate is not None else "no-boilerplate",
        dt.date.today().isoformat(),
    )


def _load_store():
    from ..cache import FrameCache, code_version

    return FrameCache("corpus", code_version())


def _load_cache_get(key: str) -> pd.DataFrame | None:
    store = _load_store()
    try:
        out = store.get_frame(key)
        rep = store.get_frame(f"{key}-report")
    except Exception as e:  # an unreadable or damaged cache file is a miss, said once
        warnings.warn(
            f"the load cache {store.path} cannot be read ({e}); loading from the file",
            RuntimeWarning,
            stacklevel=4,
        )
        return None
    if out is None or rep is None:
        return None
    out["published"] = out["published"].astype("datetime64[s]")  # Parquet stores ms at least
    return _remember(out, rep)


def _load_cache_put(key: str, out: pd.DataFrame, rep: pd.DataFrame) -> None:
    # a read-only or full cache folder: FrameCache says so once (CacheWarning) and goes on
    store = _load_store()
    store.put_frame(key, out)
    store.put_frame(f"{key}-report", rep)


_ARTICLE_COLUMNS = frozenset(
    [
        "doc_id", "outlet", "title", "published", "url", "byline", "provenance",
        "path", "rules", "boilerplate", "text_raw", "text", "n_words",
    ]
)  # fmt: skip
