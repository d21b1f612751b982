"""Fitting the heavy PII tier (``pii_tagger.py``): used by ``training/train_pii.py`` and
by ``seawall eval pii --tier heavy`` for its out-of-fold figures. Needs python-crfsuite
and Faker (``pip install 'seawall[train]'``); serving never imports this module.

Training text, all of it labelled by construction:
- rows of a labelled file (the dev file), as they are;
- the same rows with every entity replaced by a fresh fake value of its type and of
  the same look (case, digit layout, line layout), so that the tagger learns contexts
  and shapes rather than the few thousand values the file happens to hold;
- sentences of ``corpus/pii_templates.py`` (written for this project) filled with fake
  values, and text with no personal data at all.
Fake values come from Faker's locales with Latin script, from a fixed seed (not it_IT,
whose addresses depend on Python's string hashing and so differ from run to run).
"""

from __future__ import annotations

import random
import re
import string
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pii import detect as detect_fast
from .pii_tagger import (
    TAGGED,
    Gazetteer,
    Tagger,
    features,
    gazetteer,
    pattern_hints,
    sequences,
    tokenize,
)

SEED = 20261127
LOCALES = (
    "en_US",
    "en_GB",
    "en_AU",
    "en_CA",
    "en_IE",
    "de_DE",
    "de_AT",
    "fr_FR",
    "es_ES",
    "es_MX",
    "pt_BR",
    "pt_PT",
    "nl_NL",
    "no_NO",
    "da_DK",
    "sv_SE",
    "fi_FI",
    "pl_PL",
    "cs_CZ",
    "hu_HU",
    "ro_RO",
    "tr_TR",
    "hr_HR",
    "sl_SI",
)
Entity = tuple[str, int, int]  # type, start, end
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_PREFIXES = ("Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Prof.")
_UNITS = re.compile(r"(?i)^(apt|suite|unit|flat|apartment|ste)\.?\s*\d")


@dataclass
class Row:
    text: str
    entities: list[Entity]
    group: str = ""  # rows of one group (a template) share a fold


@dataclass(frozen=True)
class Params:
    augment: int = 3  # fake-value copies of each labelled row
    templates: int = 1000  # filled template sentences
    negatives: int = 200  # texts with nothing to find
    c1: float = 0.05
    c2: float = 0.02
    iterations: int = 120


def _libraries() -> tuple[Any, Any]:
    try:
        import pycrfsuite  # type: ignore[import-untyped]
        from faker import Faker
    except ImportError as exc:
        raise RuntimeError(
            "refitting the PII tagger needs python-crfsuite and Faker "
            "(pip install python-crfsuite faker, or the package's [train] extra)"
        ) from exc
    return pycrfsuite, Faker


class Fakes:
    """Fake values of each type, from a fixed seed."""

    def __init__(self, seed: int = SEED) -> None:
        _, faker_class = _libraries()
        self.rng = random.Random(seed)
        self._fakers = []
        for locale in LOCALES:
            faker = faker_class(locale)
            faker.seed_instance(seed)
            self._fakers.append(faker)
        self.us = self._fakers[0]
        self._countries = {c.lower() for c in (self.us.country() for _ in range(600))}

    def any_locale(self) -> Any:
        return self.rng.choice(self._fakers)

    def city(self) -> str:
        """A made-up town of some locale, or now and then a real, well-known city."""
        if self.rng.random() < 0.3:
            return self.rng.choice(_cities())
        return str(self.any_locale().city())

    def person(self, words: int = 2) -> str:
        f = self.any_locale()
        if words <= 1:
            return str(self.rng.choice((f.first_name, f.last_name))())
        names = [f.first_name()] + [f.last_name() for _ in range(words - 1)]
        return " ".join(names)

    def value(self, kind: str, like: str = "") -> str:
        """A fresh value of ``kind``; with ``like``, one that looks like it."""
        out = self._value(kind, like)
        if like.islower():
            return out.lower()
        if like.isupper() and any(c.isalpha() for c in like):
            return out.upper()
        return out

    def _value(self, kind: str, like: str) -> str:
        f, rng = self.any_locale(), self.rng
        if kind == "PERSON":
            words = like.split() or ["x", "x"]
            prefix = words[0] if words[0].rstrip(".").lower() in _PREFIX_WORDS else ""
            body = self.person(len(words) - bool(prefix)) if len(words) > bool(prefix) else ""
            return f"{prefix} {body}".strip() if prefix else body
        if kind == "LOCATION":
            if like.lower() in self._countries or (not like and rng.random() < 0.4):
                return str(self.us.country())
            return str(f.city())
        if kind == "ADDRESS":
            return self._address(like)
        if kind == "ORGANIZATION":
            return str(f.company())
        if kind == "TITLE":
            return str(self.us.job()).split(",")[0]
        if kind == "DATE_TIME":
            return self._date(like)
        if kind == "PREFIX":
            return rng.choice(_PREFIXES)
        if kind == "US_DRIVER_LICENSE":
            return _reshape(like or "A1234567", rng)
        if kind == "PHONE_NUMBER":
            return str(f.phone_number())
        if kind == "EMAIL_ADDRESS":
            return str(f.email())
        if kind == "CREDIT_CARD":
            return str(self.us.credit_card_number())
        if kind == "IBAN_CODE":
            return str(f.iban())
        if kind == "US_SSN":
            return str(self.us.ssn())
        if kind == "IP_ADDRESS":
            return str(f.ipv4() if rng.random() < 0.8 else f.ipv6())
        if kind in ("URL", "DOMAIN_NAME"):
            return str(f.url())
        return like

    def _address(self, like: str) -> str:
        f, rng = self.any_locale(), self.rng
        if like and not any(c.isalpha() for c in like):
            return _reshape(like, rng)  # a building number or a postal code
        if _UNITS.match(like):
            return _reshape(like, rng)
        if "\n" in like:
            return str(f.address())
        street = str(f.street_address())
        words = len(like.split()) if like else rng.choice((3, 3, 6))
        if "," in like or (not like and rng.random() < 0.5):
            return f"{street}, {f.city()} {f.postcode()}"
        if words >= 5:
            return f"{street} {f.city()} {self.us.country()}"
        return street

    def _date(self, like: str) -> str:
        rng = self.rng
        if not like:
            like = rng.choice(
                (
                    "2/19/1988",
                    "1990-12-30 04:51:40",
                    "Sunday",
                    "March 3, 2021",
                    "10:45",
                    "12.05.2019",
                )
            )
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", like)}
        out = _reshape(like, rng, letters=False)
        for day in _WEEKDAYS:
            if day.lower() in words:
                out = re.sub(day, rng.choice(_WEEKDAYS), out, flags=re.IGNORECASE)
        for month in _MONTHS:
            if month.lower() in words:
                out = re.sub(month, rng.choice(_MONTHS), out, flags=re.IGNORECASE)
        return out


_PREFIX_WORDS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"}


# gazetteer letters: the kinds of word list a word is in
_LISTS = {
    "f": ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"),
    "l": ("last_names",),
    "c": ("cities", "city_names"),
    "s": ("street_suffixes", "street_names", "streets", "street_prefixes"),
    "o": ("company_suffixes",),
}
_WORD = re.compile(r"[^\W\d_]+")


def word_lists() -> dict[str, list[str]]:
    """Lower-case words of Faker's name, place, street and company lists (plus cities,
    countries and, from the English locales, job titles drawn from its generators): the
    tagger's gazetteer, shipped in ``pii_tagger.json.gz``."""
    _, faker_class = _libraries()
    found: dict[str, set[str]] = {kind: set() for kind in "flcsonj"}
    for locale in LOCALES:
        faker = faker_class(locale)
        faker.seed_instance(SEED)
        for provider in faker.providers:
            for kind, attributes in _LISTS.items():
                for attribute in attributes:
                    values = getattr(provider, attribute, None)
                    if isinstance(values, (list, tuple, dict, set)):
                        found[kind].update(_words(values))
        found["c"].update(_words(faker.city() for _ in range(300)))
        if locale.startswith("en_"):
            found["j"].update(_words(faker.job() for _ in range(400)))
    found["n"].update(_words(faker_class("en_US").country() for _ in range(2000)))
    found["c"].update(_words(_cities()))
    return {kind: sorted(words) for kind, words in found.items()}


def _cities() -> tuple[str, ...]:
    from .corpus.pii_templates import CITIES

    return CITIES


def _words(values: Iterable[Any]) -> set[str]:
    return {w for v in values for w in _WORD.findall(str(v).lower()) if len(w) > 1}


def _reshape(like: str, rng: random.Random, letters: bool = True) -> str:
    """Each digit a random digit, each letter (when ``letters``) a random letter of its case."""
    out = []
    for ch in like:
        if ch.isdigit():
            out.append(rng.choice(string.digits))
        elif letters and ch.isalpha() and ch.isascii():
            out.append(
                rng.choice(string.ascii_uppercase if ch.isupper() else string.ascii_lowercase)
            )
        else:
            out.append(ch)
    return "".join(out)


def substitute(row: Row, fakes: Fakes) -> Row:
    """``row`` with each entity replaced by a fake of its type and look."""
    pieces, entities, at, length = [], [], 0, 0
    for kind, start, end in sorted(row.entities, key=lambda e: e[1]):
        if start < at:
            continue  # overlapping gold spans: keep the first
        pieces.append(row.text[at:start])
        length += start - at
        value = fakes.value(kind, row.text[start:end]) or row.text[start:end]
        entities.append((kind, length, length + len(value)))
        pieces.append(value)
        length += len(value)
        at = end
    pieces.append(row.text[at:])
    return Row("".join(pieces), entities, row.group)


_SLOTS = {
    "FIRST_NAME": "PERSON",
    "LAST_NAME": "PERSON",
    "CITY": "LOCATION",
    "COUNTRY": "LOCATION",
    "STATE": "LOCATION",
    "ZIP": "ADDRESS",
    "STREET": "ADDRESS",
}


def fill(template: str, fakes: Fakes, group: str) -> Row:
    """A template with each ``{SLOT}`` filled, the spans recorded."""
    out, entities, length = [], [], 0
    for literal, slot, _, _ in string.Formatter().parse(template):
        out.append(literal)
        length += len(literal)
        if slot is None:
            continue
        value = _slot_value(slot, fakes)
        entities.append((_SLOTS.get(slot, slot), length, length + len(value)))
        out.append(value)
        length += len(value)
    return Row("".join(out), entities, group)


def _slot_value(slot: str, fakes: Fakes) -> str:
    f = fakes.any_locale()
    if slot == "FIRST_NAME":
        return str(f.first_name())
    if slot == "LAST_NAME":
        return str(f.last_name())
    if slot == "CITY":
        return fakes.city()
    if slot == "COUNTRY":
        return str(fakes.us.country())
    if slot == "STATE":
        return str(fakes.us.state() if fakes.rng.random() < 0.7 else fakes.us.state_abbr())
    if slot == "ZIP":
        return str(f.postcode())
    if slot == "STREET":
        return str(f.street_address())
    return fakes.value(slot)


def synthetic(params: Params, fakes: Fakes) -> list[Row]:
    """Filled templates and text with nothing to find."""
    from .corpus.pii_templates import NEGATIVES, TEMPLATES

    rows = []
    for _ in range(params.templates):
        index = fakes.rng.randrange(len(TEMPLATES))
        rows.append(fill(TEMPLATES[index], fakes, f"template:{index}"))
    for i in range(min(params.negatives, len(NEGATIVES))):
        rows.append(Row(NEGATIVES[i], [], f"negative:{i}"))
    return rows


def labels(text: str, tokens: Sequence[tuple[int, int]], entities: Iterable[Entity]) -> list[str]:
    """BIO label of each token: the entity it overlaps (types the tagger leaves to the
    patterns are O)."""
    out = ["O"] * len(tokens)
    for kind, start, end in sorted(entities, key=lambda e: e[1]):
        if kind not in TAGGED:
            continue
        first = True
        for i, (a, b) in enumerate(tokens):
            if a < end and start < b and out[i] == "O":
                out[i] = ("B-" if first else "I-") + kind
                first = False
    return out


def examples(rows: Sequence[Row], lists: Gazetteer) -> Iterable[tuple[list[list[str]], list[str]]]:
    for row in rows:
        tokens = tokenize(row.text)
        if not tokens:
            continue
        hints = pattern_hints(tokens, detect_fast(row.text))
        gold = labels(row.text, tokens, row.entities)
        for lo, hi in sequences(row.text, tokens):
            yield features(row.text, tokens[lo:hi], hints[lo:hi], lists), gold[lo:hi]


def training_rows(labelled: Sequence[Row], params: Params, fakes: Fakes) -> list[Row]:
    rows = list(labelled)
    for _ in range(params.augment):
        rows.extend(substitute(r, fakes) for r in labelled if r.entities)
    if params.templates or params.negatives:
        rows.extend(synthetic(params, fakes))
    return rows


def fit(rows: Sequence[Row], path: Path, params: Params, lists: Gazetteer) -> Tagger:
    crfsuite, _ = _libraries()
    trainer = crfsuite.Trainer(verbose=False)
    for xseq, yseq in examples(rows, lists):
        trainer.append(xseq, yseq)
    trainer.set_params(
        {
            "c1": params.c1,
            "c2": params.c2,
            "max_iterations": params.iterations,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(path))
    return Tagger.from_path(path, lists)


def folds(rows: Sequence[Row], k: int = 5, seed: int = SEED) -> list[int]:
    """A fold per row; rows of one group share it (a template never straddles)."""
    groups = sorted({r.group for r in rows})
    random.Random(seed).shuffle(groups)
    fold_of_group = {g: i % k for i, g in enumerate(groups)}
    return [fold_of_group[r.group] for r in rows]


def out_of_fold(
    rows: Sequence[Row],
    params: Params,
    k: int = 5,
    progress: Callable[[str], None] = lambda line: None,
) -> list[Tagger]:
    """One tagger per fold, each fitted without its fold's rows (and their fakes);
    ``folds(rows, k)`` says which one scores a row."""
    fold_of = folds(rows, k)
    lists = gazetteer({"gazetteer": word_lists()})
    taggers = []
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(k):
            chosen = [r for r, f in zip(rows, fold_of, strict=True) if f != fold]
            fakes = Fakes(SEED + fold)
            progress(f"fold {fold + 1}/{k}: fitting on {len(chosen)} rows")
            path = Path(tmp) / f"fold{fold}.crfsuite"
            taggers.append(fit(training_rows(chosen, params, fakes), path, params, lists))
    return taggers
