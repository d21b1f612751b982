"""Text written for this project to train the injection screen: ordinary prompts of many
kinds and languages (``benign``; security, operations and long task briefs in
``benign_technical``; short turns to "you" and account requests in ``benign_short``;
personas, "act as" requests, everyday uses of "ignore" and "forget", retrieval prompts,
transcripts, tool results and defensive system prompts in ``benign_hard``; long
package metadata, licences, source files, READMEs, configs, logs and raw emails in
``benign_docs``, as windows) and attacks of many shapes (``attacks``), generated from a
fixed seed; and prompts of both kinds written one at a time (``written``). Shipped so
that ``seawall eval injection`` can refit the screen for its out-of-fold figures;
serving never imports it.

The attacks hide their payloads in ordinary documents (articles, emails, reviews, long
questions, errands for an agent). ``carriers`` puts the same documents, clean, among the
benign rows, and ``implanted`` does the converse: benign prompts of every kind with one
attack sentence put in at the start, the end or between two sentences
(``implanted_long``: the same in a window's worth of a long text, where a page of
ordinary words dilutes the sentence). Both teach the screen the payload, not the topic
or the document around it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from ..injection import STRIDE, WINDOW
from ..injection_train import Row
from . import attacks, benign, benign_docs, benign_hard, benign_short, benign_technical, written

SEED = 20261127
_CARRIERS = 400


def synthetic_rows(seed: int = SEED) -> list[Row]:
    written_rows = written.rows()  # the same whatever the seed
    prose = (
        benign.rows(seed)
        + benign_technical.rows(seed)
        + benign_short.rows(seed)
        + benign_hard.rows(seed)
        + [r for r in written_rows if r["label"] == "benign"]
    )
    ordinary = prose + windows(benign_docs.rows(seed))
    hostile = attacks.rows(seed) + [r for r in written_rows if r["label"] == "injection"]
    rows = (
        ordinary
        + carriers(seed)
        + hostile
        + implanted(ordinary, seed)
        + implanted_long(prose, seed)
    )
    return [Row(r["text"], r["label"] == "injection", r["source"]) for r in rows]


def windows(rows: list[dict[str, str]], most: int = 6) -> list[dict[str, str]]:
    """Long documents as the screen reads them: windows of ``WINDOW`` characters,
    ``STRIDE`` apart (at most ``most`` of each), each a row of its own."""
    out = []
    for row in rows:
        text = row["text"]
        for start in range(0, max(1, len(text) - STRIDE), STRIDE)[:most]:
            out.append({**row, "text": text[start : start + WINDOW]})
    return out


def implanted(
    ordinary: list[dict[str, str]], seed: int = SEED, count: int = 1200
) -> list[dict[str, str]]:
    """Benign prompts (short enough to be one window) with an attack sentence put in."""
    rng = random.Random(seed + 2)
    fitting = [r["text"] for r in ordinary if len(r["text"]) <= 900]
    out: dict[str, dict[str, str]] = {}
    for text in rng.sample(fitting, min(count, len(fitting))):
        payload = attacks._appended_injection(rng)
        joined = _planted(rng, text, payload, (0.5, 0.7), _between_sentences)
        out.setdefault(
            joined, {"text": joined, "label": "injection", "source": "synthetic/attack/implanted"}
        )
    return list(out.values())


def implanted_long(
    prose: list[dict[str, str]], seed: int = SEED, count: int = 600
) -> list[dict[str, str]]:
    """A window's worth (500 characters to a whole window) of a long benign prompt with
    one attack sentence at its end, its start or inside: the shape of an attack appended
    to a pasted page, as the screen reads it; each with the same chunk clean, as a
    benign row, so that what tells them apart is the payload alone.

    A trade, measured: an attack sentence appended to a page of ordinary text is caught
    0.78 of the time against 0.55 without these rows, but stage one averages a long
    window's n-grams, and to separate one diluted sentence it pulls long texts towards
    the middle: 17 of 60 Python standard-library files flagged against 9 without them.
    The carriers are prose, not the windows of ``benign_docs`` (with those too: 18)."""
    rng = random.Random(seed + 3)
    long = [r["text"] for r in prose if len(r["text"]) > 900]
    out: dict[str, dict[str, str]] = {}
    for text in rng.sample(long, min(count, len(long))):
        payload = attacks._appended_injection(rng)
        size = rng.randint(500, max(500, WINDOW - len(payload) - 20))
        start = rng.randint(0, max(0, len(text) - size))
        chunk = text[start : start + size].strip()
        joined = _planted(rng, chunk, payload, (0.6, 0.8), _after_a_third)
        attack = "synthetic/attack/implanted_long"
        out.setdefault(joined, {"text": joined, "label": "injection", "source": attack})
        clean = "synthetic/benign/long_chunk"
        out.setdefault(chunk, {"text": chunk, "label": "benign", "source": clean})
    return list(out.values())


def _planted(
    rng: random.Random,
    text: str,
    payload: str,
    shares: tuple[float, float],
    inside: Callable[[random.Random, str, str], str],
) -> str:
    """``payload`` appended to ``text`` (the first share of draws), put before it (up to
    the second), or put inside it by ``inside``."""
    where = rng.random()
    if where < shares[0]:
        return f"{text}{rng.choice(attacks.APPEND_SEP)}{payload}"
    if where < shares[1]:
        return f"{payload}\n\n{text}"
    return inside(rng, text, payload)


def _between_sentences(rng: random.Random, text: str, payload: str) -> str:
    sentences = re.split(r"(?<=[.?!])\s+", text)
    cut = rng.randint(0, len(sentences))
    return " ".join([*sentences[:cut], payload, *sentences[cut:]])


def _after_a_third(rng: random.Random, text: str, payload: str) -> str:
    """After the first sentence end past a third of the text (or at its middle)."""
    cut = text.find(". ", len(text) // 3)
    cut = cut + 2 if cut > 0 else len(text) // 2
    return f"{text[:cut]}{payload} {text[cut:]}"


def carriers(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed + 1)
    makers = (_article, _email, _reviews, _long_question, _errands)
    out: dict[str, dict[str, str]] = {}
    for attempt in range(_CARRIERS * 4):
        if len(out) >= _CARRIERS:
            break
        make = makers[attempt % len(makers)]
        text = make(rng)
        out.setdefault(
            text,
            {"text": text, "label": "benign", "source": f"synthetic/carrier/{make.__name__[1:]}"},
        )
    return list(out.values())


def _article(rng: random.Random) -> str:
    title, paragraphs = rng.choice(attacks.WEB_ARTICLES)
    body = "\n\n".join(paragraphs[: rng.randint(2, len(paragraphs))])
    page = f"{title}\n\n{body}" if rng.random() < 0.6 else f"<h1>{title}</h1>\n<p>{body}</p>"
    return f"{rng.choice(attacks.WEB_ASK)} {page}"


def _email(rng: random.Random) -> str:
    subject, body = rng.choice(attacks.EMAILS)
    return f"{rng.choice(attacks.EMAIL_ASK)}\n\nSubject: {subject}\n\n{body}"


def _reviews(rng: random.Random) -> str:
    picked = rng.sample(attacks.REVIEWS, rng.randint(2, 6))
    names = rng.sample(attacks.REVIEW_NAMES, len(picked))
    lines = "\n".join(f"{name}: {review}" for name, review in zip(names, picked, strict=True))
    return f"Summarise what customers say in these reviews:\n{lines}"


def _long_question(rng: random.Random) -> str:
    return attacks._window(rng, rng.choice(attacks.BENIGN_LONG), 0.5)


def _errands(rng: random.Random) -> str:
    steps = rng.sample(attacks.TOOL_BENIGN_STEPS, rng.randint(3, 8))
    return "Please do the following for me:\n" + "\n".join(f"- {s}" for s in steps)
