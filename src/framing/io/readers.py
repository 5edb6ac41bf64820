"""One small reader per input format: a manifest corpus, a folder of text files, a CSV/TSV,
JSON Lines or Parquet table, and the corpus spec (TOML) that names a table.

Each reader opens its input, refuses what makes the whole file unusable (a missing file, a
damaged ``.gz``, a column given twice, a manifest's missing columns) with a
:class:`~framing.CorpusError` naming the file, and returns a :class:`Source`: its rows, a
generator of ``(row number, record or CorpusError)`` holding each row's raw fields, and the
:class:`~framing.io.rows.Layout` saying which field plays which role. A row that cannot even be
read as a record (a malformed JSON line, a ragged CSV row) is yielded as its ``CorpusError``;
every other check is the row checker's (:mod:`framing.io.rows`), the same for every reader.
"""

from __future__ import annotations

__all__ = [
    "COLUMN_ROLES",
    "READERS",
    "Source",
    "corpus_format",
    "read_spec",
    "read_manifest",
    "read_folder",
    "read_csv",
    "read_jsonl",
    "read_parquet",
]

import csv
import gzip
import io
import itertools
import json
import os
import re
import sys
import tomllib
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CorpusError
from .files import decode_text, decode_utf8, gzip_problem, read_data_bytes
from .rows import Layout

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

MANIFEST = "manifest.csv"
# A manifest's columns are fixed, each playing one role; besides an id and a path, a row needs
# an outlet and a date (else empty_field), where a table keeps the row with a note.
MANIFEST_REQUIRED = ("doc_id", "path", "outlet", "title", "published")
MANIFEST_OPTIONAL = ("url", "byline", "provenance")
MANIFEST_ROLES = {
    "id": "doc_id",
    "path": "path",
    "outlet": "outlet",
    "title": "title",
    "date": "published",
    "url": "url",
    "byline": "byline",
}
MANIFEST_REQUIRED_ROLES = frozenset({"outlet", "date"})
FOLDER_ROLES = {"id": "doc_id", "outlet": "outlet", "path": "path"}
TABLES_FOLDER = "the table's folder"
CORPUS_FOLDER = "the corpus folder"
SPEC_KEYS = (
    "path", "format", "columns", "date_formats", "on_error", "rules", "boilerplate", "description",
)  # fmt: skip

Rows = Iterator[tuple[int, "dict[str, Any] | CorpusError"]]


@dataclass
class Source:
    """An opened input: how its records become articles, and the records, read lazily."""

    layout: Layout
    rows: Rows


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
        if (path / MANIFEST).exists():
            return "manifest"
        return "folder" if _folder_entries(path) else "manifest"
    name = path.name.lower()
    if name == MANIFEST:
        return "manifest"
    if name.endswith(".toml"):
        return "spec"
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz", ".json")):
        return "jsonl"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".tsv", ".tsv.gz")):
        return "csv"
    if name.endswith((".csv", ".csv.gz")):
        header = set(_csv_header(path))
        if {"doc_id", "path"} <= header and not header & set(COLUMN_ROLES["text"]):
            return "manifest"
        return "csv"
    return "manifest"  # the manifest reader names the problem


def _csv_header(path: Path) -> list[str]:
    """The first non-blank row of a CSV file, or [] when it cannot be read (the CSV reader
    then names the problem)."""
    try:
        with path.open("rb") as f:
            magic = f.read(2)
        opener = gzip.open if magic == b"\x1f\x8b" else open
        with opener(path, "rt", encoding="utf-8-sig", newline="") as text:
            return next((r for r in csv.reader(text) if r), [])
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error):
        return []


def read_spec(path: Path) -> dict[str, Any]:
    """Read a corpus spec (TOML): where the data is and how to read it.

    Keys: ``path`` (relative to the spec file), ``format``, ``columns`` (role → column),
    ``date_formats``, ``on_error``, ``rules`` (a cleaning-rules file, relative to the spec),
    ``boilerplate`` (``true``, ``false`` or a table of thresholds: ``load_corpus``'s option) and
    ``description``. ``path`` and ``rules`` are returned resolved.

    Raises:
        CorpusError: the spec is missing, not TOML, has unknown keys, no ``path``, or a value of
            the wrong type.
    """
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as e:
        raise CorpusError(f"cannot be read: {e}", file=path) from None
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"not a valid TOML corpus spec: {e}", file=path) from None
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        raise CorpusError(f"unknown keys {unknown}; allowed are {list(SPEC_KEYS)}", file=path)
    if "path" not in spec:
        raise CorpusError("a corpus spec needs `path` (the data, relative to the spec)", file=path)
    _check_spec_types(spec, path)
    spec["path"] = (path.parent / spec["path"]).resolve()
    if "rules" in spec:
        spec["rules"] = (path.parent / spec["rules"]).resolve()
    return spec


def _check_spec_types(spec: Mapping[str, Any], path: Path) -> None:
    for key, value in spec.items():
        if key == "columns":
            ok, want = _is_table_of_strings(value), "a table of role = column name"
        elif key == "date_formats":
            ok, want = _is_list_of_strings(value), "a list of strings"
        elif key == "boilerplate":
            ok, want = isinstance(value, bool | dict), "true, false or a table of thresholds"
        else:
            ok, want = isinstance(value, str), "a string"
        if not ok:
            raise CorpusError(f"`{key}` must be {want}, not {value!r}", file=path)


def _is_table_of_strings(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _is_list_of_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def resolve_columns(
    available: Sequence[str], columns: Mapping[str, str] | None, file: Path
) -> dict[str, str]:
    """Which column plays which role: ``columns`` first, then the usual names of
    :data:`COLUMN_ROLES`; a text (or path) column is required."""
    mapping: dict[str, str] = {}
    for role, name in (columns or {}).items():
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


def _table_layout(path: Path, available: Sequence[str], columns: Mapping | None) -> Layout:
    return Layout(
        file=path.resolve(),
        name=path.name,
        folder=path.parent,
        folder_kind=TABLES_FOLDER,
        roles=resolve_columns(available, columns, path),
    )


# ---------------------------------------------------------------- the readers


def read_manifest(path: Path, columns: Mapping | None, limit: int | None) -> Source:
    """A corpus folder's ``manifest.csv`` (or the manifest itself): a CSV table with fixed
    columns naming each article's text file; ``columns`` is not used."""
    manifest = path if path.is_file() else path / MANIFEST
    if not manifest.exists():
        raise CorpusError(f"no {MANIFEST} here (and no .txt files)", file=manifest)
    header, rows = _csv_rows(manifest, limit)
    missing = [c for c in MANIFEST_REQUIRED if c not in header]
    if missing:
        raise CorpusError(
            f"missing columns {missing}; a manifest needs {list(MANIFEST_REQUIRED)} and may "
            f"have {list(MANIFEST_OPTIONAL)}",
            file=manifest,
        )
    unknown = [c for c in header if c not in MANIFEST_REQUIRED + MANIFEST_OPTIONAL]
    if unknown:
        raise CorpusError(
            f"unknown columns {unknown}; allowed are {list(MANIFEST_REQUIRED + MANIFEST_OPTIONAL)}",
            file=manifest,
        )
    layout = Layout(
        file=manifest.resolve(),
        name=manifest.name,
        folder=manifest.parent,
        folder_kind=CORPUS_FOLDER,
        roles=MANIFEST_ROLES,
        required=MANIFEST_REQUIRED_ROLES,
        provenance="provenance",
    )
    return Source(layout, _stripped(rows))


def _stripped(rows: Rows) -> Rows:
    # a manifest's fields are read without surrounding white space (a path included)
    for i, record in rows:
        if isinstance(record, dict):
            record = {k: v.strip() for k, v in record.items()}
        yield i, record


def read_folder(path: Path, columns: Mapping | None, limit: int | None) -> Source:
    """A folder of ``.txt`` files: ``doc_id`` is a file's path without ``.txt``, ``outlet`` its
    first sub-folder; ``columns`` is not used."""
    if not path.is_dir():
        raise CorpusError("not a folder", file=path)
    layout = Layout(
        file=path.resolve(),
        name=path.name,
        folder=path,
        folder_kind=CORPUS_FOLDER,
        roles=FOLDER_ROLES,
    )
    return Source(layout, _folder_records(path, limit))


def read_csv(path: Path, columns: Mapping | None, limit: int | None) -> Source:
    """A CSV or TSV table (optionally gzipped), one article per row."""
    header, rows = _csv_rows(path.resolve(), limit)
    return Source(_table_layout(path, header, columns), rows)


def read_jsonl(path: Path, columns: Mapping | None, limit: int | None) -> Source:
    """A JSON Lines file (optionally gzipped), one object per line, streamed: the columns are
    the keys of the first readable object."""
    stream = _jsonl_records(path.resolve(), limit)
    head: list[tuple[int, dict | CorpusError]] = []
    for item in stream:
        head.append(item)
        if isinstance(item[1], dict):
            break
    first = head[-1][1] if head and isinstance(head[-1][1], dict) else {}
    return Source(_table_layout(path, list(first), columns), itertools.chain(head, stream))


def read_parquet(path: Path, columns: Mapping | None, limit: int | None) -> Source:
    """A Parquet table, one article per row."""
    frame = _parquet_frame(path.resolve(), limit)
    return Source(_table_layout(path, list(frame.columns), columns), _frame_records(frame))


READERS: dict[str, Callable[[Path, Mapping | None, int | None], Source]] = {
    "manifest": read_manifest,
    "folder": read_folder,
    "csv": read_csv,
    "jsonl": read_jsonl,
    "parquet": read_parquet,
}


# ---------------------------------------------------------------- rows of each format


def _csv_rows(path: Path, limit: int | None) -> tuple[list[str], Rows]:
    """The header and the rows of a CSV/TSV file, read by the csv module: a row with more or
    fewer fields than the header is reported (``ragged_row``), never padded or shifted; a row
    holding bytes that are not UTF-8 is reported by itself (``not_utf8``)."""
    data = read_data_bytes(path)
    try:
        text, bad_utf8 = decode_text(data, path, None), None
    except CorpusError as e:
        # read on, keeping the bad bytes as lone surrogates, to name the rows that hold them
        bad_utf8 = e
        text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sep = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else ","
    if len(text) > csv.field_size_limit():  # the default (131,072) is shorter than some articles
        csv.field_size_limit(min(len(text) + 1, sys.maxsize))
    # newline="": only CR and LF end a record (str.splitlines would also split a field at
    # U+2028, U+0085 or a form feed), and a line break inside a quoted field is kept
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header = _csv_header_row(reader, path, bad_utf8)
    return header, _csv_records(reader, header, path, limit, bad_utf8)


def _csv_header_row(reader, path: Path, bad_utf8: CorpusError | None) -> list[str]:
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
    return header


_SURROGATE = re.compile("[\udc80-\udcff]")


def _csv_records(
    reader, header: list[str], path: Path, limit: int | None, bad_utf8: CorpusError | None
) -> Rows:
    n = 0
    first_bad_bytes = True  # the first row with bad bytes repeats the file's UTF-8 message
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
            s = "s" if len(values) != 1 else ""
            problem = f"the row has {len(values)} field{s}, the header {len(header)}"
            yield n, CorpusError(problem, file=path, row=n, reason="ragged_row")
            continue
        if bad_utf8 is not None:
            problem = _bad_bytes(header, values, bad_utf8 if first_bad_bytes else None)
            if problem is not None:
                first_bad_bytes = False
                yield n, CorpusError(problem, file=path, row=n, reason="not_utf8")
                continue
        yield n, dict(zip(header, values, strict=True))


def _bad_bytes(header: list[str], values: list[str], file_error: CorpusError | None) -> str | None:
    """Where a row holds bytes that are not UTF-8 (kept as lone surrogates), or None."""
    hit = next(((h, v) for h, v in zip(header, values, strict=True) if _SURROGATE.search(v)), None)
    if hit is None:
        return None
    column, value = hit
    at = _SURROGATE.search(value).start()
    bad = value[at : at + 4].encode("utf-8", "surrogateescape").hex(" ")
    detail = file_error.problem if file_error is not None else f"not valid UTF-8 (bytes {bad})"
    return f"{detail}, in column {column!r}"


def _jsonl_records(path: Path, limit: int | None) -> Rows:
    # streamed line by line, so `limit` reads only the start of a large file
    try:
        with path.open("rb") as f:
            magic = f.read(2)
    except FileNotFoundError:
        raise CorpusError("file not found", file=path) from None
    except IsADirectoryError:
        raise CorpusError("is a folder, not a data file", file=path) from None
    except OSError as e:
        raise CorpusError(f"cannot be read: {e.strerror or e}", file=path) from None
    opener = gzip.open if magic == b"\x1f\x8b" else open
    n = 0
    offset = 0
    with opener(path, "rb") as f:
        for i, line in enumerate(_lines(f, path), start=1):
            text = _decoded_line(line, path, i, offset)
            offset += len(line)
            if not text.strip():
                continue
            yield i, _json_object(text, path, i)
            n += 1
            if limit is not None and n >= limit:
                return


def _lines(f, path: Path) -> Iterator[bytes]:
    """The lines of a (gzip) file; a truncated or damaged gzip raises, naming the last line."""
    lines = iter(f)
    i = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except (EOFError, OSError, zlib.error) as e:
            after = f" (after line {i})" if i else ""
            raise CorpusError(f"{gzip_problem(e)}{after}", file=path) from None
        i += 1
        yield line


def _decoded_line(line: bytes, path: Path, i: int, offset: int) -> str:
    text = decode_utf8(line, path, i, offset=offset)
    return text.removeprefix("\ufeff") if i == 1 else text


def _json_object(text: str, path: Path, i: int) -> dict | CorpusError:
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        if not isinstance(obj, dict):
            raise ValueError(f"a JSON {type(obj).__name__}, not an object")
    except ValueError as e:
        return CorpusError(f"unreadable row: {e}", file=path, row=i, reason="unreadable_row")
    return obj


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        # json.loads would keep the last value silently
        raise ValueError(f"the key {dup!r} is given twice")
    return obj


def _frame_records(frame: pd.DataFrame) -> Rows:
    cols = list(frame.columns)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        yield i, dict(zip(cols, values, strict=True))


def _parquet_frame(path: Path, limit: int | None) -> pd.DataFrame:
    if not path.exists():
        raise CorpusError("file not found", file=path)
    import pyarrow as pa
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
        return _parquet_rows(pf, limit).to_pandas()
    except (OSError, pa.ArrowException) as e:  # a folder, a damaged file, an unreadable type
        raise CorpusError(f"not a readable Parquet file: {e}", file=path) from None


def _parquet_rows(pf, limit: int | None):
    """The file's table, or its first ``limit`` rows, read batch by batch."""
    import pyarrow as pa

    if limit is None:
        return pf.read()
    batches = []
    n = 0
    for batch in pf.iter_batches(batch_size=min(limit, 65536)):
        batches.append(batch)
        n += batch.num_rows
        if n >= limit:
            break
    if not batches:
        return pf.schema_arrow.empty_table()
    return pa.Table.from_batches(batches).slice(0, limit)


def _folder_entries(root: Path) -> list[tuple[Path, str]]:
    """Every ``.txt`` entry under ``root`` (files, symlinks to files, folders named ``x.txt``)
    as ``(path, "file")`` and every symlinked sub-folder as ``(path, "symlink")``, sorted by
    the path relative to ``root``. Symlinked sub-folders are not followed (a loop, or a way
    out of the folder): they are listed so that the report names them."""
    found: list[tuple[Path, str]] = []
    folders = [root]
    while folders:
        for e in _entries(folders.pop()):
            p = Path(e.path)
            if e.is_dir(follow_symlinks=False):
                if e.name.endswith(".txt"):
                    found.append((p, "file"))  # reported: a folder, not a text file
                folders.append(p)
            elif e.is_symlink() and p.is_dir():
                found.append((p, "symlink"))
            elif e.name.endswith(".txt"):
                found.append((p, "file"))
    return sorted(found, key=lambda x: x[0].relative_to(root).as_posix())


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError as e:
        raise CorpusError(f"cannot be read: {e.strerror or e}", file=folder) from None


def _folder_records(root: Path, limit: int | None) -> Rows:
    for i, (f, kind) in enumerate(_folder_entries(root), start=1):
        if limit is not None and i > limit:
            return
        rel = f.relative_to(root)
        doc_id = rel.with_suffix("").as_posix() if f.name.endswith(".txt") else rel.as_posix()
        if kind == "symlink":
            yield i, _symlinked_folder(f, rel, root.resolve(), i, doc_id)
            continue
        outlet = rel.parts[0] if len(rel.parts) > 1 else ""
        yield i, {"doc_id": doc_id, "outlet": outlet, "path": rel.as_posix()}


def _symlinked_folder(f: Path, rel: Path, real_root: Path, i: int, doc_id: str) -> CorpusError:
    target = f.resolve()
    if target.is_relative_to(real_root):
        problem = (
            f"symlinked sub-folder {rel.as_posix()!r} -> {target}: not followed (its files "
            "are read where they lie, inside the folder)"
        )
        return CorpusError(problem, file=f, row=i, reason="symlinked_folder", doc_id=doc_id)
    problem = (
        f"symlinked sub-folder {rel.as_posix()!r} -> {target} lies outside the corpus folder "
        f"{real_root}: not read"
    )
    return CorpusError(problem, file=f, row=i, reason="path_escapes", doc_id=doc_id)
