"""The heavy PII tier: the shipped CRF tagger over the fast tier's patterns."""

from __future__ import annotations

import threading

import pytest

from seawall.guard import pii_tagger
from seawall.guard.pii_tagger import ages, detect, sequences, shape, spans, tokenize
from seawall.guard.redact import Vault


def kinds(text: str) -> dict[str, str]:
    return {f.value: f.type for f in detect(text)}


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        (
            "Please forward the invoice to Margarethe Lindqvist before Friday.",
            "Margarethe Lindqvist",
            "PERSON",
        ),
        ("my friend ingrid olsen moved last year", "ingrid olsen", "PERSON"),
        ("We are flying to Reykjavik next week for the conference.", "Reykjavik", "LOCATION"),
        (
            "Ship the parcel to 41 Wexford Street, Apt. 3 please.",
            "41 Wexford Street, Apt. 3",
            "ADDRESS",
        ),
        (
            "The contract was signed on 2019-04-12 10:30:00 in the office.",
            "2019-04-12 10:30:00",
            "DATE_TIME",
        ),
    ],
)
def test_names_places_addresses_and_dates_are_found(text, value, kind):
    found = kinds(text)
    assert found.get(value) == kind, found


def test_pattern_types_come_from_the_fast_tier_and_win_overlaps():
    text = "Call Margarethe Lindqvist on +1-415-555-0142 or mail m.lindqvist@example.org"
    found = kinds(text)
    assert found["+1-415-555-0142"] == "PHONE_NUMBER"
    assert found["m.lindqvist@example.org"] == "EMAIL_ADDRESS"
    assert found["Margarethe Lindqvist"] == "PERSON"


def test_ordinary_technical_text_has_nothing_to_find():
    text = (
        "Refactor the Python service so that the PostgreSQL pool is created once. "
        "Then add a Kubernetes readiness probe and document the API in the README."
    )
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I am 34 years old", "34"),
        ("a 7-year-old boy", "7"),
        ("aged 81, she retired", "81"),
        ("Age: 45", "45"),
        ("he is 19 y/o", "19"),
    ],
)
def test_ages_are_the_number_of_an_age_phrase(text, age):
    assert [f.value for f in ages(text)] == [age]


@pytest.mark.parametrize("text", ["turn to page 34, it is old", "a 200 years old oak", "stage 4"])
def test_numbers_that_are_not_ages_are_left(text):
    assert list(ages(text)) == []


def test_heavy_redaction_round_trips_through_the_vault():
    vault = Vault(detect)
    text = "Book a table for Margarethe Lindqvist in Reykjavik."
    redacted = vault.redact(text)
    assert "Margarethe" not in redacted and "<PERSON_1>" in redacted
    assert vault.restore(redacted) == text


def test_tokens_keep_their_offsets_and_shapes_collapse():
    text = "O'Brien, 41 Elm St."
    assert [text[a:b] for a, b in tokenize(text)] == [
        "O",
        "'",
        "Brien",
        ",",
        "41",
        "Elm",
        "St",
        ".",
    ]
    assert (shape("Lindqvist"), shape("AB12"), shape("2019")) == ("Xx", "Xd", "d")


def test_bio_labels_become_spans():
    text = "Ann Lee met Bob"
    tokens = tokenize(text)
    found = spans(text, tokens, ["B-PERSON", "I-PERSON", "O", "B-PERSON"])
    assert [(f.type, f.value) for f in found] == [("PERSON", "Ann Lee"), ("PERSON", "Bob")]
    # an I- without its B- still starts an entity; a new B- ends the last one
    found = spans(text, tokens, ["I-PERSON", "B-PERSON", "O", "O"])
    assert [f.value for f in found] == ["Ann", "Lee"]


def test_long_texts_are_cut_into_bounded_sequences_at_sentence_ends():
    text = "This is one sentence of filler words. " * 200
    tokens = tokenize(text)
    cuts = list(sequences(text, tokens))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(tokens)
    assert all(hi - lo <= 256 for lo, hi in cuts)
    assert all(text[tokens[hi - 1][0]] == "." for lo, hi in cuts[:-1])
    # and a long text is tagged whole: a name near the end is still found
    assert (
        kinds(text + "Send the notes to Margarethe Lindqvist.")["Margarethe Lindqvist"] == "PERSON"
    )


def test_the_tagger_is_safe_across_threads():
    text = "Please forward the invoice to Margarethe Lindqvist before Friday."
    expected = detect(text)
    results: list[object] = []
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        results.extend(detect(text) for _ in range(50))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 200


def test_only_the_head_of_a_huge_text_is_tagged_but_patterns_read_all_of_it():
    filler = "the quick brown fox jumps over the lazy dog. " * 7000  # ~315,000 characters
    text = filler + "Send it to Margarethe Lindqvist at m.lindqvist@example.org"
    assert len(filler) > pii_tagger.MAX_TAGGED
    found = kinds(text)
    assert found == {"m.lindqvist@example.org": "EMAIL_ADDRESS"}


def test_the_shipped_meta_names_what_it_was_fitted_with():
    meta = pii_tagger.shipped_meta()
    assert meta["params"]["augment"] >= 1 and meta["data"]["dev_rows"] > 1000
    assert len(meta["train_keys"]) == meta["data"]["dev_rows"]
    assert {"f", "l", "c"} <= set(meta["gazetteer"])
