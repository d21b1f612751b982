"""What the checks read: the text with its disguises taken off.

Unicode NFKC (full-width letters, ligatures, compatibility forms), invisible and bidi
control characters removed, look-alike Cyrillic and Greek letters folded to Latin inside
words that mix scripts (a Russian word stays Russian), whitespace squeezed, runs of one
symbol cut to three ("#####" to "###"); and, as extra views, words spelled out letter by
letter ("i g n o r e", "i.g.n.o.r.e") or in digits ("1gn0r3") put back together, and
payloads hidden in base64, hex or URL encoding decoded. The checks see these views;
what goes upstream is the original text (unless redacted).

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
# a symbol repeated past three ("#####", "=====", "-----"): a ruler in a source file and
# padding in an attack alike; counted whole, its n-grams outweighed the words around it
_RUNS = re.compile(r"([^\w\s])\1{3,}")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Fa-f])")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2}){3,}")
_MAX_VIEWS = 8


# a word of three or more letters spelled out with one separator between them
_SPELLED = re.compile(r"(?<![\w])(?:[^\W\d_][ .\-_*|/+]){2,}[^\W\d_](?![\w])")
_SEPARATORS = re.compile(r"[ .\-_*|/+]")
# digits and symbols standing for letters, inside words that also hold letters
_LEET_WORD = re.compile(
    r"\b(?=[\w@$]{0,19}[a-z])(?=[\w@$]{0,19}[0134578@$])[\w@$]{3,20}\b", re.IGNORECASE
)
_LEET = str.maketrans("0134578@$", "oieastbas")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    return _squeezed(_unmasked(text))


def _squeezed(text: str) -> str:
    return _RUNS.sub(r"\1\1\1", _SPACES.sub(" ", text))


def _unmasked(text: str) -> str:
    """NFKC, invisible characters out, look-alike letters folded; spaces as they were."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    if not text.isascii():
        text = _WORD.sub(_fold_mixed, text)
    return text


def _fold_mixed(match: re.Match[str]) -> str:
    word = match.group()
    if word.isascii() or not any("a" <= ch.lower() <= "z" for ch in word):
        return word
    return word.translate(_HOMOGLYPHS)


def views(text: str) -> list[str]:
    """The normalised text, then the same with spelled-out and digit-for-letter words
    joined (when there are any), then what encoded payloads decode to (normalised)."""
    unmasked = _unmasked(text)
    plain = _squeezed(unmasked)
    out = [plain]
    # joined before spaces are squeezed: in "I G N O R E   Y O U R" the wider gap is
    # where one word ends, and the view keeps it ("IGNORE YOUR")
    joined = _squeezed(_join_spelled(unmasked))
    if joined != plain:
        out.append(joined)
    for decoded in _decoded(plain):
        if len(out) >= _MAX_VIEWS:
            break
        out.append(normalize(decoded))
    return out


def _join_spelled(text: str) -> str:
    text = _SPELLED.sub(lambda m: _SEPARATORS.sub("", m.group()), text)
    return _LEET_WORD.sub(_unleet, text)


def _unleet(match: re.Match[str]) -> str:
    word = match.group()
    mixed_case = word != word.lower() and word != word.upper()  # base64, identifiers
    if mixed_case or word.isdigit() or sum(ch.isalpha() for ch in word) < 2:
        return word
    return word.translate(_LEET)


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
