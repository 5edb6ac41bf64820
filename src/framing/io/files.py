"""Reading the bytes of text and data files, with a :class:`CorpusError` naming the file."""

from __future__ import annotations

__all__ = [
    "read_text",
    "read_file_bytes",
    "decode_text",
    "decode_utf8",
    "read_data_bytes",
    "gzip_problem",
]

import gzip
import zlib
from pathlib import Path

from ..errors import CorpusError


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
    text = decode_utf8(data, file, row, reason="not_utf8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def decode_utf8(
    data: bytes,
    file: str | Path,
    row: int | None = None,
    *,
    offset: int = 0,
    reason: str | None = None,
) -> str:
    """Decode UTF-8 bytes as they are (BOM and line ends kept).

    Args:
        offset: where ``data`` starts in its file, so the message gives the file's byte offset
            (a line of a JSON Lines file).

    Raises:
        CorpusError: not valid UTF-8; the message gives the byte offset and the bytes.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start : e.start + 4].hex(" ")
        raise CorpusError(
            f"not valid UTF-8: byte offset {offset + e.start} (bytes {bad}): {e.reason}",
            file=file,
            row=row,
            reason=reason,
        ) from None


def read_data_bytes(path: Path) -> bytes:
    """The bytes of a data file (a table), gunzipped when they start with the gzip magic.

    Raises:
        CorpusError: the file is missing, a folder, unreadable, or a truncated or damaged gzip.
    """
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
            raise CorpusError(gzip_problem(e), file=path) from None
    return data


def gzip_problem(e: BaseException) -> str:
    """What is wrong with a gzip file, from the exception reading it raised."""
    if isinstance(e, EOFError):
        return "truncated gzip file: the compressed data ends before its end-of-stream marker"
    if isinstance(e, zlib.error):
        return f"damaged gzip file: the compressed data is corrupt ({e})"
    return f"damaged gzip file: {e}"  # BadGzipFile: a bad header, CRC or length check
