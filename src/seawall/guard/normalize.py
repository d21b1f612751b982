"""What the checks read: the text with its disguises taken off.

Unicode NFKC (full-width letters, ligatures, compatibility forms), invisible and bidi
control characters removed, common homoglyphs folded to Latin, whitespace squeezed;
and, as extra views, payloads hidden in base64, hex or URL encoding, decoded. The
checks see these views; what goes upstream is the original text (unless redacted).

    views(text)   # ["the normalised text", "a decoded payload", ...]
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from urllib.parse import unquote

# zero-width and bidi controls, soft hyphen, word joiner, BOM, tag characters
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]"
)
# letters that look Latin in most fonts: Cyrillic, Greek and a few symbols
_HOMOGLYPHS = str.maketrans(
    "АВЕКМНОРСТХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριυνκτ",
    "ABEKMHOPCTXaeopcyxijsdqwABEZHIKMNOPTYXaopiuvkt",
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Fa-f])")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2}){3,}")
_MAX_VIEWS = 8


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.translate(_HOMOGLYPHS)
    return _SPACES.sub(" ", text)


def views(text: str) -> list[str]:
    """The normalised text, then what its encoded payloads decode to (normalised)."""
    plain = normalize(text)
    out = [plain]
    for decoded in _decoded(plain):
        if len(out) >= _MAX_VIEWS:
            break
        out.append(normalize(decoded))
    return out


def _decoded(text: str) -> list[str]:
    found = []
    if "%" in text:
        unquoted = unquote(text)
        if unquoted != text:
            found.append(unquoted)
    for match in _BASE64.finditer(text):
        value = _printable(_b64(match.group()))
        if value:
            found.append(value)
    for match in _HEX.finditer(text):
        try:
            value = _printable(binascii.unhexlify(match.group()))
        except binascii.Error:
            continue
        if value:
            found.append(value)
    return found


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _printable(raw: bytes) -> str | None:
    """Decoded bytes that read as text (most of them printable), else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) < 4:
        return None
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text)
    return text if printable / len(text) > 0.95 else None
