"""Reading a PDF the server drew, without reportlab: the text on its pages."""

import base64
import re
import zlib

_STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", re.S)
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes (ISO 32000-1, 7.3.4.2), without its parentheses."""
    out, i, body = bytearray(), 0, literal[1:-1]
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def page_text(pdf: bytes) -> str:
    """The text shown on the pages, read without reportlab: each content stream is undone
    (ASCII85, Flate), and its strings decoded as the CJK font's UCS-2 (UTF-16BE)."""
    shown = []
    for header, raw in _STREAM.findall(pdf):
        data = raw.strip()
        if b"/ASCII85Decode" in header:
            data = base64.a85decode(data, adobe=True)
        if b"/FlateDecode" in header:
            data = zlib.decompress(data)
        if b" Tj" not in data:
            continue
        for literal in _LITERAL.findall(data):
            text = _unescape(literal)
            shown.append(text.decode("utf-16-be") if len(text) % 2 == 0 else "")
    return "\n".join(shown)
