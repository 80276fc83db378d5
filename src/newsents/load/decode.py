"""Bytes to text: BOMs, UTF-8, UTF-16 without a BOM, then a legacy 8-bit guess."""

from __future__ import annotations

import codecs
import logging
import re

from newsents.errors import InputError

# The package's logger: what decoding guesses is said as the loader's warning.
logger = logging.getLogger("newsents.load")


# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOM_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY = "binary file (contains NUL bytes)"


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode an article's bytes; return (text, name of the encoding used).

    A BOM decides (UTF-8, UTF-16, UTF-32; the BOM is dropped); otherwise UTF-8 if the bytes are
    valid UTF-8; otherwise a legacy encoding is guessed (and a warning logged): cp1252 for
    Western text, else charset-normalizer's best guess. Newlines are left as they are.

    UTF-16 without a BOM is recognised by where its NUL bytes fall (and a warning logged).

    Raises InputError for empty, binary (NUL bytes) or undecodable data.
    """
    if not data:
        raise InputError(path, "file is empty")
    bom_encoding = _bom_encoding(data)
    if bom_encoding is not None:
        text = _decode_with_bom(data, bom_encoding, path)
        encoding = bom_encoding
    elif b"\x00" in data:
        text, encoding = _decode_utf16_without_bom(data, path)
    else:
        text, encoding = _decode_without_bom(data, path)
    if "\x00" in text:
        raise InputError(path, _BINARY)
    return text, encoding


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOM_ENCODINGS:
        if data.startswith(bom):
            return encoding
    return None


def _decode_with_bom(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"cannot decode as {encoding} (despite its BOM)") from error


def _decode_utf16_without_bom(data: bytes, path: str) -> tuple[str, str]:
    """NUL bytes are binary, unless the data reads as UTF-16 without its BOM (as some Windows
    tools save): nearly all NUL bytes on one side of their pairs (the high byte of Latin
    letters), and the decoded text printable."""
    encoding = _utf16_by_nul_side(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        if text and _mostly_printable(text):
            logger.warning("%s: UTF-16 without a byte order mark; decoded as %s", path, encoding)
            return text, encoding
    raise InputError(path, _BINARY)


def _utf16_by_nul_side(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 9 * even:
        return "utf-16-le"
    if even >= 9 * odd:
        return "utf-16-be"
    return None


def _mostly_printable(text: str) -> bool:
    unprintable = sum(1 for c in text if not c.isprintable() and c not in "\n\r\t")
    return unprintable <= len(text) // 100


def _decode_without_bom(data: bytes, path: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text, encoding = _decode_legacy(data, path)
    logger.warning("%s: not UTF-8; decoded as %s", path, encoding)
    return text, encoding


def _decode_legacy(data: bytes, path: str) -> tuple[str, str]:
    # charset-normalizer often names an odd code page for short Western texts (one '£' in
    # ASCII); cp1252 is what such files nearly always are, so it wins when it fits.
    if _looks_western(data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot decode: not UTF-8, and no known encoding fits")
    return str(best), codecs.lookup(best.encoding).name


def _looks_western(data: bytes) -> bool:
    """Mostly ASCII, with non-ASCII bytes alone or in pairs (accented letters, symbols: ``ü``,
    ``Größe``), as in Western European text. Cyrillic, Greek or CJK text has longer runs.
    """
    runs = [len(run) for run in re.findall(rb"[\x80-\xff]+", data)]
    high = sum(runs)
    if not high or high > len(data) * 0.3:
        return False
    in_long_runs = sum(length for length in runs if length >= 3)
    return in_long_runs <= high * 0.2
