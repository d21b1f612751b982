"""The heavier PII tier: a CRF tagger over the fast tier's patterns.

The fast tier (``pii.detect``) finds what has a shape or a checksum: emails, phone
numbers, cards, IBANs, SSNs, IP addresses, URLs and secrets. Names, places, street
addresses, organisations, dates, job titles, honorifics and driver's licence numbers
have none, so this tier tags each word with a linear-chain conditional random field
(python-crfsuite, 1.2 MB of weights in ``pii_tagger.crfsuite``) on the word's spelling,
shape, neighbours and place in its line, the word lists it is in (``pii_tagger.json.gz``),
and what the patterns found around it.
``training/train_pii.py`` fits it reproducibly; ``seawall eval pii --tier heavy``
measures it.

Types (Presidio's names): PERSON, LOCATION, ADDRESS (a street address, its parts and
postal codes), ORGANIZATION, DATE_TIME, TITLE, PREFIX, US_DRIVER_LICENSE, AGE (a
pattern: "34 years old", "aged 34"), plus every type of the fast tier, whose findings
win wherever the two overlap.

    for found in detect("Send it to Maria Lindqvist in Uppsala"):
        found.type, found.value     # PERSON 'Maria Lindqvist', LOCATION 'Uppsala'
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .pii import Finding, without_overlaps
from .pii import detect as detect_fast

MODEL_FILE = "pii_tagger.crfsuite"
META_FILE = "pii_tagger.json.gz"
# the tagger's own types; the fast tier's patterns are better at everything else
TAGGED = frozenset(
    {
        "PERSON",
        "LOCATION",
        "ADDRESS",
        "ORGANIZATION",
        "DATE_TIME",
        "TITLE",
        "PREFIX",
        "US_DRIVER_LICENSE",
        "PHONE_NUMBER",
    }
)
# a word, a number, or one other visible character; offsets are kept
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_SENTENCE_END = frozenset(".!?:;")
_MAX_SEQUENCE = 256  # tokens per tagged sequence: cut at line or sentence ends
# characters of one text the tagger reads (~0.35 s of CPU); the patterns read all of it
MAX_TAGGED = 262_144
_DIGITS = re.compile(r"\d")


class TaggerUnavailable(ConfigError):
    """python-crfsuite or a file of the model is missing (the heavy tier cannot run)."""


def detect(text: str, tagger: Tagger | None = None) -> list[Finding]:
    """Every finding of both tiers in text order, the longer where two overlap."""
    fast = detect_fast(text)
    fixed = fast + list(ages(text)) if _AGE_HINT.search(text) else fast
    tagged = [
        f
        for f in (tagger or shipped()).findings(text, fast)
        if not any(f.start < g.end and g.start < f.end for g in fixed)
    ]
    return without_overlaps(fixed + tagged) if len(fixed) + len(tagged) else []


# an age: the number of "34 years old", "a 34-year-old", "aged 34", "age: 34", "34 y/o"
_AGE = re.compile(
    r"(?i)\b(?:aged?\s*:?\s*(\d{1,3})\b"
    r"|(\d{1,3})(?:\s*-\s*|\s+)(?:years?|yrs?)(?:\s*-\s*|\s+)old\b"
    r"|(\d{1,3})\s*(?:y/?o|yo)\b"
    r"|(\d{1,3})\s+years?\s+of\s+age\b)"
)
_AGE_HINT = re.compile(r"(?i)\bage|\bold\b|y/?o\b")


def ages(text: str) -> Iterator[Finding]:
    for m in _AGE.finditer(text):
        group = next(g for g in range(1, 5) if m.group(g))
        if 0 < int(m.group(group)) <= 120:
            yield Finding("AGE", m.start(group), m.end(group), m.group(group))


class Tagger:
    """A fitted CRF and the feature function it was trained with."""

    def __init__(self, model: bytes, gazetteer: Gazetteer | None = None) -> None:
        try:
            import pycrfsuite  # type: ignore[import-untyped]
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise TaggerUnavailable(
                "the heavy PII tier needs python-crfsuite (pip install python-crfsuite)"
            ) from exc
        self._model = model
        self.gazetteer: Gazetteer = gazetteer or {}
        self.params: dict[str, Any] = {}  # what it was fitted with (pii_train.Params)
        self._crf = pycrfsuite
        self._local = threading.local()  # a crfsuite tagger is not safe across threads
        self._tagger()  # fail now, not on the first request

    @classmethod
    def from_path(cls, path: str | Path, gazetteer: Gazetteer | None = None) -> Tagger:
        try:
            return cls(Path(path).read_bytes(), gazetteer)
        except OSError as exc:
            raise TaggerUnavailable(f"cannot read the PII tagger {path}: {exc}") from exc

    def _tagger(self) -> Any:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = self._crf.Tagger()
            try:
                tagger.open_inmemory(self._model)
            except (OSError, ValueError) as exc:
                raise TaggerUnavailable(f"the PII tagger model is unreadable: {exc}") from exc
            self._local.tagger = tagger
        return tagger

    def findings(self, text: str, patterns: Sequence[Finding] = ()) -> list[Finding]:
        """What the tagger finds in the first ``MAX_TAGGED`` characters of ``text``."""
        text = text[:MAX_TAGGED]
        tokens = tokenize(text)
        if not tokens:
            return []
        hints = pattern_hints(tokens, patterns)
        tagger = self._tagger()
        out: list[Finding] = []
        for lo, hi in sequences(text, tokens):
            labels = tagger.tag(features(text, tokens[lo:hi], hints[lo:hi], self.gazetteer))
            out.extend(spans(text, tokens[lo:hi], labels))
        return out


@cache
def shipped() -> Tagger:
    """The tagger in the package, loaded once per process."""
    ref = resources.files(__package__) / MODEL_FILE
    try:
        model = ref.read_bytes()
    except FileNotFoundError:
        raise TaggerUnavailable(
            f"{MODEL_FILE} is missing from the package: reinstall seawall"
        ) from None
    meta = shipped_meta()
    tagger = Tagger(model, gazetteer(meta))
    tagger.params = dict(meta.get("params", {}))
    return tagger


@cache
def shipped_meta() -> dict[str, Any]:
    """What ``training/train_pii.py`` wrote beside the model: the gazetteer, the fitting
    parameters, what it was fitted on, and the keys of those texts."""
    ref = resources.files(__package__) / META_FILE
    try:
        return dict(json.loads(gzip.decompress(ref.read_bytes())))
    except FileNotFoundError:
        raise TaggerUnavailable(
            f"{META_FILE} is missing from the package: reinstall seawall"
        ) from None


def gazetteer(meta: dict[str, Any]) -> Gazetteer:
    """Word lists (``meta["gazetteer"]``: kind letter -> words) as word -> kind letters."""
    out: dict[str, str] = {}
    for kind, words in sorted(meta.get("gazetteer", {}).items()):
        for word in words:
            out[word] = out.get(word, "") + kind
    return out


Token = tuple[int, int]  # start, end in the text
Gazetteer = dict[str, str]  # lower-case word -> the lists it is in, one letter each


def tokenize(text: str) -> list[Token]:
    return [m.span() for m in _TOKEN.finditer(text)]


def sequences(text: str, tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """Token ranges of at most ``_MAX_SEQUENCE``, cut after a sentence end or a line
    break where one is near (a CRF's cost is linear, but its memory is not bounded)."""
    lo, n = 0, len(tokens)
    while n - lo > _MAX_SEQUENCE:
        cut = lo + _MAX_SEQUENCE
        for i in range(lo + _MAX_SEQUENCE - 1, lo + _MAX_SEQUENCE // 2, -1):
            if text[tokens[i][0]] in _SENTENCE_END or "\n" in text[tokens[i][1] : tokens[i + 1][0]]:
                cut = i + 1
                break
        yield lo, cut
        lo = cut
    yield lo, n


def pattern_hints(tokens: Sequence[Token], patterns: Sequence[Finding]) -> list[str]:
    """For each token, the type of a pattern finding it lies in ("" for none)."""
    hints = [""] * len(tokens)
    if not patterns:
        return hints
    ordered = sorted(patterns, key=lambda f: f.start)
    j = 0
    for i, (start, end) in enumerate(tokens):
        while j < len(ordered) and ordered[j].end <= start:
            j += 1
        if j < len(ordered) and ordered[j].start < end:
            hints[i] = ordered[j].type
    return hints


def shape(word: str) -> str:
    """The word's shape, runs of one kind collapsed: Xxxx to Xx, AB12 to Xd, o' to x'."""
    out: list[str] = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out[:6])


def features(
    text: str, tokens: Sequence[Token], hints: Sequence[str], lists: Gazetteer
) -> list[list[str]]:
    """Binary features per token: the word (lower case, digits as 0), its shape, prefix
    and suffixes, the word lists it is in, its neighbours two either side, its place in
    its line, and the pattern type it lies in."""
    words = [text[a:b] for a, b in tokens]
    lowers = [_DIGITS.sub("0", w.lower()) for w in words]
    listed = [lists.get(w, "") for w in lowers]
    shapes = [shape(w) for w in words]
    n = len(tokens)
    spaces = [text[tokens[i - 1][1] : tokens[i][0]] if i else "" for i in range(n)]
    line_starts = [i == 0 or "\n" in spaces[i] for i in range(n)]
    line_index, line_len = _line_positions(line_starts)
    out = []
    for i, (word, low, shp) in enumerate(zip(words, lowers, shapes, strict=True)):
        prev = words[i - 1] if i else ""
        f = [
            "w=" + low,
            "s=" + shp,
            "p3=" + low[:3],
            "x3=" + low[-3:],
            "x2=" + low[-2:],
            "n=" + str(min(len(word), 9)),
            "li=" + str(min(line_index[i], 4)),
            "ll=" + str(min(line_len[i], 7)),
        ]
        if line_starts[i]:
            f.append("bol")
        if i + 1 == n or line_starts[i + 1]:
            f.append("eol")
        if i == 0 or line_starts[i] or prev in _SENTENCE_END:
            f.append("sos")
        if i and not spaces[i]:
            f.append("glued")
        if hints[i]:
            f.append("rx=" + hints[i])
        f.extend("g=" + kind for kind in listed[i])
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}={lowers[j]}")
                f.append(f"s{d}={shapes[j]}")
                if hints[j]:
                    f.append(f"rx{d}={hints[j]}")
                if d in (-1, 1):
                    f.extend(f"g{d}={kind}" for kind in listed[j])
            else:
                f.append(f"w{d}=<>")
        if i:
            f.append(f"b-1={lowers[i - 1]}|{low}")
        if i + 1 < n:
            f.append(f"b+1={low}|{lowers[i + 1]}")
        out.append(f)
    return out


def _line_positions(line_starts: Sequence[bool]) -> tuple[list[int], list[int]]:
    index, length = [0] * len(line_starts), [0] * len(line_starts)
    begin = 0
    for i in range(len(line_starts) + 1):
        if i == len(line_starts) or (i and line_starts[i]):
            for j in range(begin, i):
                index[j], length[j] = j - begin, i - begin
            begin = i
    return index, length


def spans(text: str, tokens: Sequence[Token], labels: Sequence[str]) -> list[Finding]:
    """BIO labels to findings: a run of one type, begun by B- or continuing an I-."""
    out: list[Finding] = []
    kind, start, end = "", 0, 0
    for (a, b), label in zip(tokens, labels, strict=True):
        tag, _, name = label.partition("-")
        if tag == "I" and name == kind:
            end = b
            continue
        if kind:
            out.append(Finding(kind, start, end, text[start:end]))
            kind = ""
        if tag in ("B", "I"):
            kind, start, end = name, a, b
    if kind:
        out.append(Finding(kind, start, end, text[start:end]))
    return out
