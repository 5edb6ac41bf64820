"""Load a corpus into a DataFrame, one row per article, with clear errors."""

from __future__ import annotations

__all__ = ["load_corpus", "read_text"]

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import CorpusError
from ..text.boilerplate import BoilerplateSettings, check_boilerplate
from ..text.cleaning import clean_text, load_rules
from ..text.words import count_words

Format = Literal["auto", "manifest", "folder", "csv", "jsonl", "parquet", "spec"]
OnError = Literal["raise", "drop"]

MANIFEST = "manifest.csv"
RULES = "cleaning_rules.toml"
REQUIRED_COLUMNS = ("doc_id", "path", "outlet", "title", "published")
OPTIONAL_COLUMNS = ("url", "byline", "provenance")
ARTICLE_COLUMNS = [
    "doc_id", "outlet", "title", "published", "url", "byline", "provenance",
    "path", "rules", "boilerplate", "text_raw", "text", "n_words",
]  # fmt: skip

# The longest article load_corpus accepts by default, in characters (about 800,000 words; the
# longest of the 37,554 AllSides articles has 76,553 characters): longer is reported as
# too_long, never truncated.
MAX_CHARS = 5_000_000


def read_text(path: Path, *, row: int | None = None) -> str:
    """Read a UTF-8 text file; a leading BOM is dropped and CRLF or CR become LF.

    Raises:
        CorpusError: the file is missing or not valid UTF-8 (the message gives the byte offset).
    """
    return decode_text(read_file_bytes(path, row=row), path, row)


def read_file_bytes(path: Path, *, row: int | None = None) -> bytes:
    """The bytes of an article's file; a missing file, a folder or an unreadable file is a
    :class:`CorpusError` naming the file and row (``missing_file`` / ``not_a_file``)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", file=path, row=row, reason="missing_file") from None
    except IsADirectoryError:
        raise CorpusError(
            "is a folder, not a text file", file=path, row=row, reason="not_a_file"
        ) from None
    except OSError as e:
        raise CorpusError(
            f"cannot be read: {e.strerror or e}", file=path, row=row, reason="not_a_file"
        ) from None


def decode_text(data: bytes, file: str | Path, row: int | None = None) -> str:
    """Decode UTF-8 bytes; a leading BOM is dropped and CRLF or CR become LF.

    Raises:
        CorpusError: not valid UTF-8; the message gives the byte offset and the bytes.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start : e.start + 4].hex(" ")
        raise CorpusError(
            f"not valid UTF-8: byte offset {e.start} (bytes {bad}): {e.reason}",
            file=file,
            row=row,
            reason="not_utf8",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_date(value: str) -> dt.date:
    """An ISO date ``YYYY-MM-DD``; raises ValueError otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"published {value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"published {value!r} is not a real date: {e}") from None


def _read_manifest(manifest: Path) -> list[dict[str, str] | CorpusError]:
    text = read_text(manifest)
    # newline="": only CR and LF end a record (str.splitlines would also split a field at
    # U+2028, U+0085 or a form feed), and a line break inside a quoted field is kept
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next((r for r in reader if r), [])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CorpusError(
            f"missing columns {missing}; a manifest needs {list(REQUIRED_COLUMNS)} and may have "
            f"{list(OPTIONAL_COLUMNS)}",
            file=manifest,
        )
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise CorpusError(
            f"unknown columns {unknown}; allowed are {list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}",
            file=manifest,
        )
    dups = sorted({c for c in header if header.count(c) > 1})
    if dups:
        raise CorpusError(f"the header names the columns {dups} more than once", file=manifest)
    rows: list[dict[str, str] | CorpusError] = []
    for values in reader:
        if not values:
            continue  # a blank line
        if len(values) != len(header):
            rows.append(
                CorpusError(
                    f"the row has {len(values)} field{'s' if len(values) != 1 else ''}, the header "
                    f"{len(header)}",
                    file=manifest,
                    row=len(rows) + 1,
                    reason="ragged_row",
                )
            )
            continue
        rows.append({k: v.strip() for k, v in zip(header, values, strict=True)})
    return rows


def load_corpus(
    path: str | Path,
    *,
    format: Format = "auto",
    columns: Mapping[str, str] | None = None,
    date_formats: Sequence[str] | None = None,
    on_error: OnError | None = None,
    limit: int | None = None,
    n_jobs: int | None = None,
    max_chars: int | None = MAX_CHARS,
    cache: bool = True,
    progress: bool = False,
    boilerplate: bool | Mapping | BoilerplateSettings | None = None,
) -> pd.DataFrame:
    """Load a corpus: a manifest folder, a folder of text files, a CSV, JSON Lines or Parquet file.

    Args:
        path: one of
            - a corpus folder with ``manifest.csv`` (or the manifest itself): one row per article
              with ``doc_id, path, outlet, title, published`` and optionally ``url, byline,
              provenance``; ``path`` is relative to the folder;
            - a folder of ``.txt`` files without a manifest: ``doc_id`` is the file's path
              without ``.txt``, ``outlet`` the first sub-folder (``(unknown)`` for files at the
              top), no title or date;
            - a ``.csv``/``.tsv`` (optionally ``.gz``), ``.jsonl``/``.ndjson`` (plain or ``.gz``)
              or ``.parquet`` file, one article per row, read through ``columns``;
            - a ``.toml`` corpus spec naming such a file and how to read it (``path``,
              ``format``, ``columns``, ``date_formats``, ``on_error``, ``rules``); the AllSides
              corpus is the worked example, ``corpus/allsides.toml``.
            A ``cleaning_rules.toml`` beside the manifest or data file adds corpus-specific
            debris rules to the generic ones.
        format: the reader; ``"auto"`` decides from the path (see :func:`framing.corpus_format`).
        columns: for tables, which column plays which role: ``{"text": ..., "outlet": ...,
            "date": ..., "title": ..., "id": ..., "url": ..., "byline": ...}`` (or ``"path"``
            instead of ``"text"``: text files relative to the table). Roles not named are found
            by usual names (:data:`framing.COLUMN_ROLES`); only the text is required. Other
            columns are kept as extra columns (e.g. AllSides' ``bias_text``).
        date_formats: accepted date formats, tried in order: ``"iso"`` (``YYYY-MM-DD``, with an
            optional time) or ``strptime`` patterns such as ``"%m/%d/%y"``. Default ``["iso"]``:
            a US-style ``9/6/17`` is then reported as an unparseable date, because ``9/6`` is
            ambiguous unless the source documents its convention.
        on_error: ``"raise"`` (default) raises :class:`CorpusError` at the first bad row, naming
            file, row and problem; ``"drop"`` drops bad rows and keeps the report, which
            :func:`framing.load_report` returns. Tables: a corpus spec may set it.
        limit: read only the first ``limit`` rows of a table (samples, tests, benchmarks).
        n_jobs: processes for cleaning large tables (joblib; default: all cores from 4,000 rows).
        progress: a tqdm bar over the rows read and cleaned (tables and folders; a manifest
            corpus is read without one).
        max_chars: the longest article accepted, in characters of the text as read (default
            5,000,000; ``None``: no limit). A longer one is never truncated: it raises, or is
            dropped and reported as ``too_long`` with its size.
        cache: read and write the load cache (tables of 5 MB or more; see Note). ``False``
            neither reads nor writes it (the CLI's ``--no-cache``).
        boilerplate: page furniture learned from the corpus, removed as rule
            ``repeated_boilerplate`` (:mod:`framing.text.boilerplate`): lines, and sentences
            inside lines, that recur near-verbatim in many articles of one outlet over time and
            are concentrated in it. ``None`` (the default) is a corpus spec's ``boilerplate``
            setting, else ``True``. ``True`` learns with
            the default thresholds of :class:`framing.text.boilerplate.BoilerplateSettings`
            (at least 5 articles and 0.5% of the outlet's, 10 times as common as in the other
            outlets, over at least 60 days); a mapping such as ``{"min_articles": 10}`` changes
            some; ``False`` learns nothing. Learning needs several articles per outlet: a
            corpus of one article per outlet is cleaned by the rules alone.

    Returns:
        One row per article, in input order: ``doc_id, outlet, title, published`` (pandas
        Timestamp; NaT when a table gives no date), ``url, byline, provenance`` (for tables: file
        and row), ``path`` (absolute), ``rules`` (the corpus rule file, or ""), ``boilerplate``
        (the learned furniture the article holds, as keys and article counts, "" for none:
        :func:`framing.cleaning_audit` re-runs cleaning with it), ``text_raw`` (as read),
        ``text`` (cleaned: kept paragraphs separated by a blank line) and ``n_words``, then a
        table's extra columns.

    Raises:
        CorpusError: with the file, the row (1 = first row after the header; JSON Lines: the line
            number) and the problem. Manifest: missing, unknown or repeated columns, empty
            ``doc_id`` or ``path``, duplicate ``doc_id``, and the reasons of
            :data:`framing.BAD_ROW_REASONS` that apply to it. Tables and folders: those reasons
            (a path escaping the table's folder, empty text, unparseable or impossible date,
            duplicate id, duplicate text, too long, …), a missing or repeated column, a
            truncated or damaged ``.gz`` file. When no row is usable, the error's ``report``
            attribute holds the load report.
        ValueError: an option has a value that is not allowed.

    Note:
        A UTF-8 byte-order mark and CRLF line endings are accepted; ``text_raw`` has them
        removed (LF endings) and is otherwise the text unchanged. Rows that are kept but
        noteworthy (missing date or outlet, a date read with a non-ISO format) are in the
        report with ``action = "kept"``. Dates must lie between 1800-01-01 and today, else they
        are impossible; a time must be a real time; a time-zone timestamp gives its local date
        (as written), for every reader. One rule for every reader: a text file named by a
        manifest, a table's ``path`` column or a folder (also through a symlink) must lie inside
        that manifest's, table's or folder's own folder; symlinked sub-folders are not followed
        but reported; a text that is a list, object, bytes or number is refused, never turned
        into its repr; a repeated text is ``duplicate_text``. Relative paths are taken from
        the working directory. The load cache of a large table is keyed by the file's bytes (a
        sha256), not its size and time; a cache folder that cannot be written is skipped with
        one warning.
    """
    from .readers import _check_max_chars, _check_options, _remember, corpus_format, import_corpus

    _check_options(columns, date_formats, on_error, format)
    _check_max_chars(max_chars)
    settings = check_boilerplate(True if boilerplate is None else boilerplate)
    path = Path(path).absolute()
    fmt = corpus_format(path) if format == "auto" else format
    if fmt != "manifest":
        return import_corpus(
            path,
            format=fmt,
            columns=columns,
            date_formats=date_formats,
            on_error=on_error,
            limit=limit,
            n_jobs=n_jobs,
            max_chars=max_chars,
            cache=cache,
            progress=progress,
            boilerplate=boilerplate,
        )
    manifest = path if path.is_file() else path / MANIFEST
    if not manifest.exists():
        raise CorpusError(f"no {MANIFEST} here (and no .txt files)", file=manifest)
    root = manifest.parent.resolve()
    rules_file = root / RULES
    rules = load_rules(rules_file)
    rules_name = str(rules_file) if rules_file.is_file() else ""
    seen: dict[str, int] = {}
    seen_text: dict[bytes, tuple[str, int]] = {}
    records = []
    report: list[tuple] = []

    def drop(e: CorpusError, i: int, row) -> None:
        if on_error != "drop":
            raise e
        doc_id = row["doc_id"] if isinstance(row, dict) else ""
        report.append((e.file, i, doc_id, _reason(e), e.problem, "dropped"))

    for i, row in enumerate(_read_manifest(manifest), start=1):
        try:
            if isinstance(row, CorpusError):
                raise row
            records.append(
                _manifest_article(i, row, root, manifest, rules_name, seen, seen_text, max_chars)
            )
        except CorpusError as e:
            drop(e, i, row)
    # every row read: learn each outlet's furniture, then clean each article once
    from .readers import learn_furniture

    found = learn_furniture(
        [r["text_raw"] for r in records],
        [r["outlet"] for r in records],
        [r["published"] for r in records],
        settings,
    )
    cleaned_records = []
    for rec, mine in zip(records, found, strict=True):
        i = rec.pop("_row")
        try:
            cleaned_records.append(_clean_article(rec, i, rules, mine))
        except CorpusError as e:
            drop(e, i, rec)
    records = cleaned_records
    if not records and not report:
        raise CorpusError("the manifest lists no articles", file=manifest)
    from .readers import REPORT_COLUMNS

    rep = pd.DataFrame(report, columns=REPORT_COLUMNS).astype({"row": "int64"})
    # debris-only rows are found after every row is read: back in row order
    rep = rep.sort_values("row", kind="stable").reset_index(drop=True)
    if not records:
        err = CorpusError(
            f"no usable articles ({len(report)} rows reported; the report is this error's "
            "`.report`)",
            file=manifest,
        )
        err.report = rep
        raise err
    out = pd.DataFrame.from_records(records, columns=ARTICLE_COLUMNS)
    return _remember(out, rep)


def _reason(err: CorpusError) -> str:
    if err.reason:
        return err.reason
    p = err.problem
    for fragment, reason in (
        ("empty article", "empty_text"),
        ("debris-only", "debris_only"),
        ("duplicate doc_id", "duplicate_id"),
        ("empty doc_id", "empty_id"),
        ("not a real date", "impossible_date"),
        ("published", "unparseable_date"),
        ("not found", "missing_file"),
        ("not valid UTF-8", "not_utf8"),
        ("escapes", "path_escapes"),
    ):
        if fragment in p:
            return reason
    return "bad_manifest_row"


def _manifest_article(
    i: int,
    row: dict,
    root: Path,
    manifest: Path,
    rules_name: str,
    seen: dict[str, int],
    seen_text: dict[bytes, tuple[str, int]],
    max_chars: int | None,
) -> dict:
    from .readers import date_out_of_range, too_long_detail

    doc_id = row["doc_id"]
    for col in ("doc_id", "path", "outlet"):
        if not row[col]:
            raise CorpusError(f"empty {col}", file=manifest, row=i)
    if doc_id in seen:
        raise CorpusError(
            f"duplicate doc_id {doc_id!r} (first in row {seen[doc_id]})", file=manifest, row=i
        )
    seen[doc_id] = i
    article = (root / row["path"]).resolve()
    if not article.is_relative_to(root):
        raise CorpusError(
            f"path {row['path']!r} escapes the corpus folder {root}",
            file=manifest,
            row=i,
            reason="path_escapes",
        )
    try:
        published = parse_date(row["published"])
    except ValueError as e:
        raise CorpusError(str(e), file=manifest, row=i) from None
    # the same plausible range as every table reader (1800-01-01 to today)
    problem = date_out_of_range(published, dt.date.today())
    if problem:
        raise CorpusError(
            f"published {row['published']!r} is impossible: {problem}",
            file=manifest,
            row=i,
            reason="impossible_date",
        )
    raw = read_text(article, row=i)
    if max_chars is not None and len(raw) > max_chars:
        raise CorpusError(
            f"too long (doc_id {doc_id!r}): {too_long_detail(len(raw), max_chars)}",
            file=article,
            row=i,
            reason="too_long",
        )
    if not raw.strip():
        raise CorpusError(f"empty article (doc_id {doc_id!r})", file=article, row=i)
    key = hashlib.blake2b(raw.strip().encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if key in seen_text:
        first_id, first_row = seen_text[key]
        raise CorpusError(
            f"duplicate text (doc_id {doc_id!r}): same text as {first_id!r} (row {first_row})",
            file=manifest,
            row=i,
            reason="duplicate_text",
        )
    seen_text[key] = (doc_id, i)
    return {
        "doc_id": doc_id,
        "outlet": row["outlet"],
        "title": row["title"],
        "published": pd.Timestamp(published),
        "url": row.get("url", ""),
        "byline": row.get("byline", ""),
        "provenance": row.get("provenance", ""),
        "path": str(article),
        "rules": rules_name,
        "text_raw": raw,
        "_row": i,
    }


def _clean_article(rec: dict, i: int, rules, found: list) -> dict:
    """A manifest article read by :func:`_manifest_article`, cleaned (with the furniture it
    holds); a debris-only article raises :class:`CorpusError`."""
    from ..text.boilerplate import encode_found
    from .readers import debris_detail

    cleaned = clean_text(
        rec["text_raw"], rules, doc_id=rec["doc_id"], title=rec["title"], boilerplate=found
    )
    if not any(not heading for _, _, heading, _ in cleaned.paragraphs):
        n_heads = sum(1 for _, _, heading, _ in cleaned.paragraphs if heading)
        raise CorpusError(
            f"debris-only article (doc_id {rec['doc_id']!r}): "
            f"{debris_detail(len(cleaned.removed), n_heads)}",
            file=rec["path"],
            row=i,
            reason="debris_only",
        )
    return {
        **rec,
        "boilerplate": encode_found(found),
        "text": cleaned.text,
        "n_words": count_words(cleaned.text),
    }
