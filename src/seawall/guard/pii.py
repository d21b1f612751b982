"""The fast PII and secrets tier: patterns with checksums, no model.

Types (Presidio's names, so evaluations line up): EMAIL_ADDRESS, PHONE_NUMBER,
CREDIT_CARD (Luhn), IBAN_CODE (mod 97), US_SSN (the SSA's invalid ranges refused),
IP_ADDRESS (v4 and v6), URL, and SECRET: API keys and tokens by their known prefixes
(OpenAI, Anthropic, GitHub, Slack, AWS, Google, Stripe, JWTs, private key blocks)
and long random-looking strings by their entropy.

    for found in detect("mail me at a@b.io"):
        found.type, found.start, found.end, found.value   # EMAIL_ADDRESS 11 17 a@b.io
"""

from __future__ import annotations

import ipaddress
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    type: str
    start: int
    end: int
    value: str


_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b"
)
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
_SSN = re.compile(r"(?<![\d-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\d-])")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![:\w])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![:\w])")
_URL = re.compile(r"\bhttps?://[^\s<>\"'\\)\]]+", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}"
    r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w])"
)
_SECRET_PREFIXED = re.compile(
    r"\b(?:sk-ant-[A-Za-z0-9_-]{20,}|sk-(?:proj-)?[A-Za-z0-9_-]{20,}|sk-sw-[A-Za-z0-9_-]{20,}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|(?:sk|rk)_live_[0-9A-Za-z]{20,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"
)
_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----")
_KEY_END = re.compile(r"-----END [A-Z ]{0,40}PRIVATE KEY-----")
_DATA_URL = re.compile(r"data:[\w/+.-]{1,100};base64,[A-Za-z0-9+/=]+")
_MAX_FINDINGS = 10_000
_TOKEN = re.compile(r"(?<![\w/+=-])[A-Za-z0-9_\-+/=]{32,}(?![\w/+=-])")


def detect(text: str) -> list[Finding]:
    """Every finding, longest first where two overlap, in text order. Full-width and
    other compatibility forms ("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ") are read as what they stand
    for; spans and values stay those of ``text``."""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        return _detect_folded(text)
    return _detect(text)


def _detect_folded(text: str) -> list[Finding]:
    pieces = [unicodedata.normalize("NFKC", ch) for ch in text]
    origin = [i for i, piece in enumerate(pieces) for _ in piece]
    origin.append(len(text))
    folded = "".join(pieces)
    out = []
    for f in _detect(folded):
        start, end = origin[f.start], origin[f.end - 1] + 1
        out.append(Finding(f.type, start, end, text[start:end]))
    return out


def _detect(text: str) -> list[Finding]:
    if not _MAYBE.search(text):  # no digit, "@", "://", key prefix or long token: nothing
        return []
    found: list[Finding] = []
    scans = _SCANS if _DIGIT.search(text) else _WITHOUT_DIGITS
    for scan in scans:
        found.extend(scan(text))
    return without_overlaps(found)


def _emails(text: str) -> Iterator[Finding]:
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Finding("EMAIL_ADDRESS", m.start(), m.end(), m.group())


def _cards(text: str) -> Iterator[Finding]:
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits) and len(set(digits)) > 2:
            yield Finding("CREDIT_CARD", m.start(), m.end(), m.group())


def _ibans(text: str) -> Iterator[Finding]:
    for m in _IBAN.finditer(text):
        if _iban_valid(m.group().replace(" ", "").upper()):
            yield Finding("IBAN_CODE", m.start(), m.end(), m.group())


def _ssns(text: str) -> Iterator[Finding]:
    for m in _SSN.finditer(text):
        area, group, serial = m.groups()
        if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
            continue
        yield Finding("US_SSN", m.start(), m.end(), m.group())


def _ips(text: str) -> Iterator[Finding]:
    patterns = (_IPV4, _IPV6) if text.count(":") >= 2 else (_IPV4,)
    for pattern in patterns:
        for m in pattern.finditer(text):
            try:
                ipaddress.ip_address(m.group())
            except ValueError:
                continue
            if m.group().count(":") == 2 and len(m.group()) < 8:
                continue  # a time such as 12:30:45 parses as nothing, but "1::2" might
            yield Finding("IP_ADDRESS", m.start(), m.end(), m.group())


def _urls(text: str) -> Iterator[Finding]:
    if "://" not in text:
        return
    for m in _URL.finditer(text):
        value = m.group().rstrip(".,;:!?")
        yield Finding("URL", m.start(), m.start() + len(value), value)


def _phones(text: str) -> Iterator[Finding]:
    for m in _PHONE.finditer(text):
        value = m.group()
        digits = re.sub(r"\D", "", value.split("x")[0].split("ext")[0])
        separated = bool(re.search(r"[ .()+-]", value))
        if 7 <= len(digits) <= 15 and (separated or value.startswith("+")):
            if not _looks_like_date(value) and not _SSN_SHAPE.fullmatch(value):
                yield Finding("PHONE_NUMBER", m.start(), m.end(), value)


def _secrets(text: str) -> Iterator[Finding]:
    for m in _SECRET_PREFIXED.finditer(text):
        yield Finding("SECRET", m.start(), m.end(), m.group())
    yield from _private_keys(text)
    if len(text) < 32:
        return
    data_urls = [(m.start(), m.end()) for m in _DATA_URL.finditer(text)]  # images, not keys
    for m in _TOKEN.finditer(text):
        value = m.group()
        if any(a <= m.start() < b for a, b in data_urls) or "/" in value:
            continue  # paths, image names and base64 payloads are not credentials
        if _random_looking(value):
            yield Finding("SECRET", m.start(), m.end(), value)


def _private_keys(text: str) -> Iterator[Finding]:
    """BEGIN ... END blocks, found with one forward scan (no backtracking)."""
    position = 0
    while True:
        begin = _KEY_BEGIN.search(text, position)
        if begin is None:
            return
        end = _KEY_END.search(text, begin.end())
        if end is None:
            return
        yield Finding("SECRET", begin.start(), end.end(), text[begin.start() : end.end()])
        position = end.end()


def _random_looking(value: str) -> bool:
    """Lower, upper case and digits all present, and the characters spread evenly."""
    if not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value)):
        return False
    digits = sum(c.isdigit() for c in value)
    return digits >= 2 and _entropy(value) >= 4.0


# what any finding needs somewhere in the text: a cheap test that clears most prose
_MAYBE = re.compile(
    r"\d|@|://|-----BEGIN|sk-|gh[pousr]_|github_pat_|xox[abposr]-|AIza|eyJ"
    r"|[A-Za-z0-9_\-+/=]{32}"
)
_DIGIT = re.compile(r"\d")

_SCANS: tuple[Callable[[str], Iterator[Finding]], ...] = (
    _secrets,
    _emails,
    _urls,
    _ibans,
    _cards,
    _ssns,
    _ips,
    _phones,
)
# without a digit only these can find anything (a random-looking token needs digits)
_WITHOUT_DIGITS: tuple[Callable[[str], Iterator[Finding]], ...] = (_secrets, _emails, _urls)


def without_overlaps(found: list[Finding]) -> list[Finding]:
    """Where findings overlap, the longer wins (one sweep in text order; at most
    ``_MAX_FINDINGS``, so a text made of nothing but addresses stays cheap)."""
    kept: list[Finding] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and item.start < kept[-1].end:
            if item.end - item.start > kept[-1].end - kept[-1].start:
                kept[-1] = item  # a longer one over the last kept: keep the longer
            continue
        kept.append(item)
        if len(kept) >= _MAX_FINDINGS:
            break
    return kept


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _iban_valid(iban: str) -> bool:
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _entropy(value: str) -> float:
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")  # no phone plan writes numbers so
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


def _looks_like_date(value: str) -> bool:
    return bool(_DATE.match(value))
