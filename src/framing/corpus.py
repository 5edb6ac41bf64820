"""Load a corpus into a DataFrame, one row per article, with clear errors."""

from __future__ import annotations

__all__ = ["load_corpus", "count_words", "read_text"]

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from .cleaning import clean_text, load_rules
from .errors import CorpusError

MANIFEST = "manifest.csv"
RULES = "cleaning_rules.toml"
REQUIRED_COLUMNS = ("doc_id", "path", "outlet", "title", "published")
OPTIONAL_COLUMNS = ("url", "byline", "provenance")
ARTICLE_COLUMNS = [
    "doc_id", "outlet", "title", "published", "url", "byline", "provenance",
    "path", "rules", "text_raw", "text", "n_words",
]  # fmt: skip

# a dotted abbreviation ("U.S.") is one word; so are "China’s" and "12-point"
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[’'\-]\w+)*")


def count_words(text: str) -> int:
    """Words as the report counts them: runs of letters or digits with inner ’ ' - kept, and
    dotted abbreviations ("U.S.") as one word."""
    return len(_WORD.findall(text))


def read_text(path: Path, *, row: int | None = None) -> str:
    """Read a UTF-8 text file; a leading BOM is dropped and CRLF or CR become LF.

    Raises:
        CorpusError: the file is missing or not valid UTF-8 (the message gives the byte offset).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("file not found", file=path, row=row) from None
    except IsADirectoryError:
        raise CorpusError("is a folder, not a text file", file=path, row=row) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start : e.start + 4].hex(" ")
        raise CorpusError(
            f"not valid UTF-8: byte offset {e.start} (bytes {bad}): {e.reason}", file=path, row=row
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


def _read_manifest(manifest: Path) -> list[dict[str, str]]:
    text = read_text(manifest)
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
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
    rows = []
    for row in reader:
        if None in row:
            raise CorpusError(
                f"row has more fields than the header ({len(header)})",
                file=manifest,
                row=len(rows) + 1,
            )
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def load_corpus(path: str | Path) -> pd.DataFrame:
    """Load a corpus folder: a ``manifest.csv`` and the article files it names.

    Args:
        path: the corpus folder (or its ``manifest.csv``). The manifest has one row per article
            with ``doc_id, path, outlet, title, published`` and optionally ``url, byline,
            provenance``; ``path`` is relative to the folder. A ``cleaning_rules.toml`` beside
            the manifest adds corpus-specific debris rules to the generic ones.

    Returns:
        One row per article, in manifest order: the manifest fields (``published`` as a
        pandas Timestamp), ``path`` (absolute), ``rules`` (the corpus rule file, or ""),
        ``text_raw`` (the file as read), ``text`` (cleaned: kept paragraphs separated by a
        blank line) and ``n_words`` (words of ``text``).

    Raises:
        CorpusError: with the file, the manifest row (1 = first row after the header) and the
            problem: missing or unknown columns, empty ``doc_id`` or ``path``, duplicate
            ``doc_id``, a path that escapes the corpus folder, a missing file, a file that is not
            UTF-8 (with the byte offset), an unparseable date, an empty or debris-only article.

    Note:
        A UTF-8 byte-order mark and CRLF line endings are accepted; ``text_raw`` has them
        removed (LF endings) and is otherwise the file's text unchanged.
    """
    path = Path(path)
    manifest = path if path.is_file() else path / MANIFEST
    if not manifest.exists():
        raise CorpusError(f"no {MANIFEST} here", file=manifest)
    root = manifest.parent.resolve()
    rules_file = root / RULES
    rules = load_rules(rules_file)
    rules_name = str(rules_file) if rules_file.is_file() else ""
    seen: dict[str, int] = {}
    records = []
    for i, row in enumerate(_read_manifest(manifest), start=1):
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
                f"path {row['path']!r} escapes the corpus folder {root}", file=manifest, row=i
            )
        try:
            published = parse_date(row["published"])
        except ValueError as e:
            raise CorpusError(str(e), file=manifest, row=i) from None
        raw = read_text(article, row=i)
        if not raw.strip():
            raise CorpusError(f"empty article (doc_id {doc_id!r})", file=article, row=i)
        cleaned = clean_text(raw, rules, doc_id=doc_id, title=row["title"])
        if not any(not heading for _, _, heading, _ in cleaned.paragraphs):
            raise CorpusError(
                f"debris-only article (doc_id {doc_id!r}): cleaning removed all "
                f"{len(cleaned.removed)} non-blank lines or left only headings",
                file=article,
                row=i,
            )
        records.append(
            {
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
                "text": cleaned.text,
                "n_words": count_words(cleaned.text),
            }
        )
    if not records:
        raise CorpusError("the manifest lists no articles", file=manifest)
    return pd.DataFrame.from_records(records, columns=ARTICLE_COLUMNS)
