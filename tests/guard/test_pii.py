"""The fast PII tier: each detector, its checksum, and what it must leave alone."""

from __future__ import annotations

import itertools

import pytest

from seawall.guard.pii import detect


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, f.value) for f in detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "mail JasminTRasmussen@fleckens.hu now",
            ("EMAIL_ADDRESS", "JasminTRasmussen@fleckens.hu"),
        ),
        ("call +44 20 7946 0958", ("PHONE_NUMBER", "+44 20 7946 0958")),
        ("call (227)664-8546x506", ("PHONE_NUMBER", "(227)664-8546x506")),
        ("card 4929 7524 9019 7650", ("CREDIT_CARD", "4929 7524 9019 7650")),
        ("card 5313553129264171", ("CREDIT_CARD", "5313553129264171")),
        ("iban GB91TRST34512687159555", ("IBAN_CODE", "GB91TRST34512687159555")),
        ("iban de89 3704 0044 0532 0130 00", ("IBAN_CODE", "de89 3704 0044 0532 0130 00")),
        ("ssn 311-95-9973", ("US_SSN", "311-95-9973")),
        ("host 207.155.150.156", ("IP_ADDRESS", "207.155.150.156")),
        (
            "host 3b20:9a3a:1b2f:7ce:9ef1:4787:85fc:261e",
            ("IP_ADDRESS", "3b20:9a3a:1b2f:7ce:9ef1:4787:85fc:261e"),
        ),
        ("see https://ShedSizes.ch/ today", ("URL", "https://ShedSizes.ch/")),
        (
            "key sk-proj-abcdefghijklmnopqrstuvwxyz123456",
            ("SECRET", "sk-proj-abcdefghijklmnopqrstuvwxyz123456"),
        ),
        ("aws AKIAIOSFODNN7EXAMPLE here", ("SECRET", "AKIAIOSFODNN7EXAMPLE")),
        (
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            ("SECRET", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        ),
        ("random Zx9fQ2mK7pL4vR8tN1bW6yH3jD5cG0aS", ("SECRET", "Zx9fQ2mK7pL4vR8tN1bW6yH3jD5cG0aS")),
    ],
)
def test_each_detector_finds_its_kind(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "card 4929 7524 9019 7651",  # Luhn fails
        "iban GB91TRST34512687159556",  # mod 97 fails
        "ssn 000-12-3456 and 666-12-3456 and 912-34-5678",  # never issued
        "host 999.1.1.1",
        "on 2024-01-15 at 12:30:45 we met",
        "I have 3 apples, 2024 was good, order 12345678",
        "the_quick_brown_fox_jumps_over_the_lazy_dog_again",  # long but not random
        "PYTHONDONTWRITEBYTECODE and configuration_management_settings",
    ],
)
def test_what_only_looks_sensitive_is_left_alone(text):
    assert found(text) == []


def test_findings_do_not_overlap_and_come_in_text_order():
    text = "write to a@b.io (https://x.io/a@b.io) or 207.155.150.156"
    spans = [(f.start, f.end) for f in detect(text)]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_full_width_forms_are_found_and_keep_their_original_spans():
    text = "mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ, ﬁle ４９２９ ７５２４ ９０１９ ７６５０"
    found = detect(text)
    assert [(f.type, f.value) for f in found] == [
        ("EMAIL_ADDRESS", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        ("CREDIT_CARD", "４９２９ ７５２４ ９０１９ ７６５０"),
    ]
    assert all(text[f.start : f.end] == f.value for f in found)
