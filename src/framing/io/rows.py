"""The one row checker: every reader's records become articles, or bad rows, by the same rules.

A reader (:mod:`framing.io.readers`) yields each row's raw fields and a :class:`Layout` saying
which field plays which role and where the row's text file lies; :class:`RowChecker` turns a row
into an article (with the notes it is kept with) or raises a :class:`CorpusError` whose
``reason`` is a key of :data:`BAD_ROW_REASONS`, checking in the order that dict lists.
"""

from __future__ import annotations

__all__ = [
    "BAD_ROW_REASONS",
    "KEPT_ROW_NOTES",
    "MAX_CHARS",
    "bad_row",
    "Layout",
    "RowChecker",
    "parse_any_date",
    "date_out_of_range",
    "too_long_detail",
    "debris_detail",
]

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import CorpusError
from .files import read_text

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
    "empty_field": "a column the reader requires is empty in this row: a manifest's outlet or "
    "published (a table keeps such a row, noting missing_outlet or missing_date)",
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

# The longest article load_corpus accepts by default, in characters (about 800,000 words; the
# longest of the 37,554 AllSides articles has 76,553 characters): longer is reported as
# too_long, never truncated.
MAX_CHARS = 5_000_000
UNKNOWN_OUTLET = "(unknown)"
EARLIEST_DATE = dt.date(1800, 1, 1)
# the metadata roles every article has, as stripped strings ("" when the reader has none)
FIELD_ROLES = ("outlet", "title", "url", "byline")
# the columns of an article, in order: a reader's other columns follow them (renamed src_<name>
# when a column has one of these names)
ARTICLE_COLUMNS = [
    "doc_id", "outlet", "title", "published", "url", "byline", "provenance",
    "path", "rules", "boilerplate", "text_raw", "text", "n_words",
]  # fmt: skip

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?"
)
_ARTICLE_COLUMN_SET = frozenset(ARTICLE_COLUMNS)
_NOT_SCALAR = (list, tuple, dict, set, bytes, bytearray, memoryview, np.ndarray)


@dataclass(frozen=True)
class Layout:
    """How one reader's records become articles.

    Attributes:
        file: the input the report names for the rows' own problems (table, manifest or folder).
        name: its name as given, for ``provenance`` (``"articles.csv row 3"``).
        folder: the folder the ``path`` role's text files are read from, and must lie inside.
        folder_kind: what messages call that folder (``"the table's folder"``).
        roles: which record field plays which role (keys of :data:`framing.COLUMN_ROLES`).
        required: roles whose value may not be empty (a manifest's ``outlet`` and ``date``):
            an empty one is ``empty_field``. The text, path and id have their own reasons.
        provenance: the field holding each article's provenance; None: ``"<name> row <n>"``.
    """

    file: Path
    name: str
    folder: Path
    folder_kind: str
    roles: Mapping[str, str]
    required: frozenset[str] = frozenset()
    provenance: str | None = None

    @property
    def texts_inside(self) -> bool:
        """Whether the texts are in the input itself (a ``text`` role), not in files it names."""
        return "text" in self.roles


def bad_row(reason: str, detail: str, *, file: str | Path, row: int, doc_id: str) -> CorpusError:
    """The error of a row the checker refuses: ``<reason in words> (doc_id ...): <detail>``."""
    who = f" (doc_id {doc_id!r})" if doc_id else ""
    words = reason.replace("_", " ")
    return CorpusError(
        f"{words}{who}: {detail}", file=file, row=row, reason=reason, doc_id=doc_id, detail=detail
    )


class RowChecker:
    """Checks rows one at a time, remembering the ids and texts of the rows kept so far.

    Args:
        layout: the reader's :class:`Layout`.
        date_formats: accepted date formats (see :func:`parse_any_date`).
        max_chars: the longest text accepted, or None.
        rules_name: the corpus rule file, for the ``rules`` column ("" for none).
        latest: the latest plausible date (today).
    """

    def __init__(
        self,
        layout: Layout,
        *,
        date_formats: Sequence[str],
        max_chars: int | None,
        rules_name: str,
        latest: dt.date,
    ):
        self.layout = layout
        self.date_formats = tuple(date_formats)
        self.max_chars = max_chars
        self.rules_name = rules_name
        self.latest = latest
        self.folder_real = layout.folder.resolve()
        self.table = str(layout.file)
        # the record's fields that are not kept as extra columns
        self.role_columns = frozenset([*layout.roles.values(), layout.provenance]) - {None}
        self.first_row_of_id: dict[str, int] = {}
        # texts are remembered by a 16-byte digest, not kept whole, to hold memory down
        self.first_row_of_text: dict[bytes, tuple[str, int]] = {}

    def check(self, row: int, record: Mapping[str, Any]) -> tuple[dict, list[tuple]]:
        """The article of one row, and the report rows of the notes it is kept with.

        Raises:
            CorpusError: the row is bad; its ``reason`` says why (the first that applies, in the
                order of :data:`BAD_ROW_REASONS`).
        """
        doc_id = self._doc_id(row, record)
        raw, text_file = self._raw_text(row, record, doc_id)
        fields = self._fields(row, record, doc_id, text_file)
        self._check_text(row, raw, doc_id, text_file)
        published, date_problem, date_format = parse_any_date(
            record.get(self.layout.roles["date"]) if "date" in self.layout.roles else None,
            self.date_formats,
            latest=self.latest,
        )
        self._check_id_and_required_fields(row, doc_id, fields, date_problem, text_file)
        if date_problem in ("unparseable_date", "impossible_date"):
            raise bad_row(date_problem, date_format, file=text_file, row=row, doc_id=doc_id)
        text_key = self._new_text_key(row, raw, doc_id)
        self.first_row_of_id[doc_id] = row
        self.first_row_of_text[text_key] = (doc_id, row)
        notes = self._notes(row, record, fields, date_problem, date_format, text_file)
        if not fields["outlet"]:
            fields["outlet"] = UNKNOWN_OUTLET
        return self._article(row, record, fields, published, raw, text_file), notes

    def _doc_id(self, row: int, record: Mapping[str, Any]) -> str:
        # the id as a string, or "" when it is not one (refused with the other fields, below)
        if "id" not in self.layout.roles:
            return f"row-{row}"
        value = record.get(self.layout.roles["id"])
        return "" if isinstance(value, _NOT_SCALAR) else _as_str(value).strip()

    def _raw_text(self, row: int, record: Mapping[str, Any], doc_id: str) -> tuple[str, str]:
        """The text as read (LF line endings) and the file the row's later problems name."""
        roles = self.layout.roles
        role = "text" if "text" in roles else "path"
        value = record.get(roles[role])
        if not (_missing(value) or isinstance(value, str)):
            what = "a string" if role == "text" else "a path"
            detail = f"column {roles[role]!r} holds {_kind(value)}, not {what}"
            raise bad_row("not_a_string", detail, file=self.table, row=row, doc_id=doc_id)
        value = _as_str(value)
        if role == "text":
            text = value.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
            return text, self.table
        text_path = self._text_path(row, value, doc_id)
        try:
            return read_text(text_path, row=row), str(text_path)
        except CorpusError as e:  # the file's own message: "file not found", "not valid UTF-8"
            raise CorpusError(
                e.problem, file=e.file, row=row, reason=e.reason, doc_id=doc_id
            ) from None

    def _text_path(self, row: int, value: str, doc_id: str) -> Path:
        """The text file a row names, which must lie inside the layout's folder."""
        if not value.strip():
            detail = f"column {self.layout.roles['path']!r} is empty"
            raise bad_row("missing_file", detail, file=self.table, row=row, doc_id=doc_id)
        given = self.layout.folder / value
        try:
            text_path = given.resolve()
        except RuntimeError:  # Path.resolve's error for a symlink loop
            detail = f"path {value!r} is a symlink loop"
            raise bad_row("not_a_file", detail, file=given, row=row, doc_id=doc_id) from None
        if not text_path.is_relative_to(self.folder_real):
            detail = (
                f"path {value!r} -> {text_path} lies outside {self.layout.folder_kind} "
                f"{self.folder_real}"
            )
            raise bad_row("path_escapes", detail, file=given, row=row, doc_id=doc_id)
        return text_path

    def _fields(
        self, row: int, record: Mapping[str, Any], doc_id: str, text_file: str
    ) -> dict[str, str]:
        """The id and metadata as stripped strings; a list, object or bytes is refused."""
        fields = {}
        for role in ("id", *FIELD_ROLES):
            column = self.layout.roles.get(role)
            value = None if column is None else record.get(column)
            if isinstance(value, _NOT_SCALAR):
                detail = f"column {column!r} holds {_kind(value)}, not a string"
                raise bad_row("not_a_string", detail, file=text_file, row=row, doc_id=doc_id)
            fields[role] = _as_str(value).strip()
        fields["id"] = doc_id
        return fields

    def _check_text(self, row: int, raw: str, doc_id: str, text_file: str) -> None:
        if self.max_chars is not None and len(raw) > self.max_chars:
            detail = too_long_detail(len(raw), self.max_chars)
            raise bad_row("too_long", detail, file=text_file, row=row, doc_id=doc_id)
        if not raw.strip():
            detail = "the text is empty or only white space"
            raise bad_row("empty_text", detail, file=text_file, row=row, doc_id=doc_id)

    def _check_id_and_required_fields(
        self, row: int, doc_id: str, fields: dict, date_problem: str | None, text_file: str
    ) -> None:
        roles = self.layout.roles
        if not doc_id:
            detail = f"column {roles['id']!r} is empty"
            raise bad_row("empty_id", detail, file=text_file, row=row, doc_id=doc_id)
        for role in sorted(self.layout.required):
            empty = date_problem == "missing_date" if role == "date" else not fields[role]
            if empty:
                detail = f"column {roles[role]!r} is empty ({self.layout.name} requires a value)"
                raise bad_row("empty_field", detail, file=text_file, row=row, doc_id=doc_id)
        if doc_id in self.first_row_of_id:
            detail = f"first used in row {self.first_row_of_id[doc_id]}"
            raise bad_row("duplicate_id", detail, file=text_file, row=row, doc_id=doc_id)

    def _new_text_key(self, row: int, raw: str, doc_id: str) -> bytes:
        """The digest of a text not seen before; a repeated text is ``duplicate_text``."""
        stripped = raw.strip().encode("utf-8", "surrogatepass")
        key = hashlib.blake2b(stripped, digest_size=16).digest()
        if key in self.first_row_of_text:
            first_id, first_row = self.first_row_of_text[key]
            detail = f"same text as {first_id!r} (row {first_row})"
            raise bad_row("duplicate_text", detail, file=self.table, row=row, doc_id=doc_id)
        return key

    def _notes(
        self,
        row: int,
        record: Mapping[str, Any],
        fields: dict[str, str],
        date_problem: str | None,
        date_format: str,
        text_file: str,
    ) -> list[tuple]:
        """The report rows of a kept row: no date, a non-ISO date, no outlet."""
        notes = []
        doc_id = fields["id"]
        date_column = self.layout.roles.get("date")
        if date_problem == "missing_date" and date_column is not None:
            notes.append((text_file, row, doc_id, "missing_date", "no date given", "kept"))
        elif date_format not in ("iso", ""):
            value = _as_str(record.get(date_column))
            detail = f"{value!r} read as {date_format}"
            notes.append((text_file, row, doc_id, "nonstandard_date", detail, "kept"))
        if not fields["outlet"]:
            notes.append((text_file, row, doc_id, "missing_outlet", "no outlet given", "kept"))
        return notes

    def _article(
        self,
        row: int,
        record: Mapping[str, Any],
        fields: dict[str, str],
        published: dt.date | None,
        raw: str,
        text_file: str,
    ) -> dict:
        """The article's fields, then the record's other columns (``_row``: the row, for the
        cleaning pass's report)."""
        provenance = self.layout.provenance
        return {
            "doc_id": fields["id"],
            "outlet": fields["outlet"],
            "title": fields["title"],
            "published": published,
            "url": fields["url"],
            "byline": fields["byline"],
            "provenance": (
                f"{self.layout.name} row {row}"
                if provenance is None
                else _as_str(record.get(provenance)).strip()
            ),
            "path": text_file,
            "rules": self.rules_name,
            "text_raw": raw,
            "_row": row,
            **{
                (k if k not in _ARTICLE_COLUMN_SET else f"src_{k}"): v
                for k, v in record.items()
                if k not in self.role_columns
            },
        }


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
    if _missing(value) or (isinstance(value, pd.Timestamp | dt.datetime) and pd.isna(value)):
        return None, "missing_date", ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        d, fmt = value.date(), "iso"  # a tz-aware value: the date in its own zone
    elif isinstance(value, dt.date):
        d, fmt = value, "iso"
    else:
        s = str(value).strip()
        if not s:
            return None, "missing_date", ""
        d, fmt = _parse_date_text(s, formats)
        if d is None:
            detail = f"date {s!r} matches none of the formats {list(formats)}"
            return None, "unparseable_date", detail
    problem = date_out_of_range(d, latest)
    if problem:
        return None, "impossible_date", problem
    return d, None, fmt


def _parse_date_text(s: str, formats: Sequence[str]) -> tuple[dt.date | None, str]:
    """The date a string gives with the first format that reads it, and that format."""
    for f in formats:
        try:
            if f != "iso":
                return dt.datetime.strptime(s, f).date(), f
            m = _ISO.fullmatch(s)
            if m and _real_time(m):
                return dt.date(int(m[1]), int(m[2]), int(m[3])), f
        except ValueError:
            continue
    return None, ""


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


def too_long_detail(n_chars: int, max_chars: int) -> str:
    """The report's detail for an article longer than ``max_chars``."""
    return (
        f"the text has {n_chars:,} characters, more than max_chars={max_chars:,} (pass a "
        "larger max_chars, or None, to load it)"
    )


def debris_detail(n_removed: int, n_headings: int) -> str:
    """Why cleaning left no body text, with the counts that say which case it is."""
    if n_headings == 0:
        return f"cleaning removed all {n_removed} non-blank lines"
    what = f"{n_headings} heading{'s' if n_headings != 1 else ''} (short lines that do not end "
    what += "like a sentence)"
    if n_removed == 0:
        return f"cleaning removed nothing, and the text is only {what}: no body text"
    return f"cleaning removed {n_removed} non-blank lines and left only {what}: no body text"


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _as_str(value: Any) -> str:
    return "" if _missing(value) else str(value)


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray | list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object (dict)"
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
