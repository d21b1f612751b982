"""Reversible pseudonymisation, in whole answers and in streams split anywhere."""

from __future__ import annotations

import pytest

from seawall.guard.redact import Vault

TEXT = "write to a@b.io and a@b.io, cc c@d.io; card 4929 7524 9019 7650"


def test_the_same_value_gets_the_same_placeholder():
    vault = Vault()
    assert vault.redact(TEXT) == (
        "write to <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_1>, cc <EMAIL_ADDRESS_2>; "
        "card <CREDIT_CARD_1>"
    )
    assert vault.types == ["CREDIT_CARD", "EMAIL_ADDRESS"]
    assert vault.restore("to <EMAIL_ADDRESS_2>, not <EMAIL_ADDRESS_9>") == (
        "to c@d.io, not <EMAIL_ADDRESS_9>"
    )


def test_a_stream_is_restored_wherever_the_chunks_split():
    vault = Vault()
    vault.redact(TEXT)
    answer = "Sent to <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>; charged <CREDIT_CARD_1>. x < y <"
    expected = vault.restore(answer)
    for size in range(1, 12):
        restorer = vault.stream_restorer()
        out = "".join(restorer.feed(answer[i : i + size]) for i in range(0, len(answer), size))
        assert out + restorer.flush() == expected, size


def test_nothing_is_held_back_longer_than_a_placeholder_can_be():
    vault = Vault()
    vault.redact(TEXT)
    restorer = vault.stream_restorer()
    assert restorer.feed("a < b and then a long tail of plain words") == (
        "a < b and then a long tail of plain words"
    )
    assert restorer.feed("<EMAIL_ADD") == ""
    assert restorer.feed("RESS_1> ok") == "a@b.io ok"


def test_placeholders_the_model_altered_are_restored():
    vault = Vault()
    vault.redact("to a@b.io")
    assert vault.restore("<email_address_1>, < EMAIL_ADDRESS_1 >") == "a@b.io, a@b.io"
    assert vault.restore('{"to": "\\u003cEMAIL_ADDRESS_1\\u003e"}', json_string=True) == (
        '{"to": "a@b.io"}'
    )


def test_a_placeholder_the_caller_wrote_is_never_given_a_real_value():
    vault = Vault()
    vault.reserve("my template says <EMAIL_ADDRESS_1>")
    assert vault.redact("write to a@b.io") == "write to <EMAIL_ADDRESS_2>"
    assert vault.restore("<EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>") == (
        "<EMAIL_ADDRESS_1> and a@b.io"
    )


def test_values_restored_into_json_strings_stay_valid_json():
    import json

    vault = Vault()
    key = "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----"
    vault.redact(f"use {key} now")
    arguments = '{"key": "<SECRET_1>"}'
    assert json.loads(vault.restore(arguments, json_string=True)) == {"key": key}
    restorer = vault.stream_restorer(json_string=True)
    pieces = ['{"key": "\\u00', "3cSECRET_", "1\\u003e", '"}']
    out = "".join(restorer.feed(p) for p in pieces) + restorer.flush()
    assert json.loads(out) == {"key": key}


def test_invisible_characters_cannot_hide_a_value():
    vault = Vault()
    assert vault.redact("mail jane.doe@corp\u200b.example now") == "mail <EMAIL_ADDRESS_1> now"


def test_parts_are_read_as_one_text_and_each_keeps_its_own():
    vault = Vault()
    parts = ["mail ann@exa", "mple.org now", "nothing here\u200b", "call +44 20 7946 0958"]
    out = vault.redact_parts(parts)
    assert out == ["mail <EMAIL_ADDRESS_1>", " now", "nothing here\u200b", "call <PHONE_NUMBER_1>"]
    assert vault.restore(out[0] + out[1]) == "mail ann@example.org now"


def test_a_value_over_three_parts_is_one_placeholder():
    vault = Vault()
    out = vault.redact_parts(["id 4929 75", "24 9019", " 7650 ok"])
    assert out == ["id <CREDIT_CARD_1>", "", " ok"]
    assert [f.value for f in vault.found] == ["4929 7524 9019 7650"]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # a whole value in one part is not glued to the next part's first character
        (
            ["card 4539 1488 0343 6467", "5 items please"],
            ["card <CREDIT_CARD_1>", "5 items please"],
        ),
        (["IBAN GB82 WEST 1234 5698 7654 32", "1 copy"], ["IBAN <IBAN_CODE_1>", "1 copy"]),
        (
            ["Write to jane@corp.io", "Thanks for the help"],
            ["Write to <EMAIL_ADDRESS_1>", "Thanks for the help"],
        ),
        (["ip 10.1.2.3", "4 hosts"], ["ip <IP_ADDRESS_1>", "4 hosts"]),
    ],
)
def test_a_value_whole_in_one_part_stays_that_part_s(parts, expected):
    vault = Vault()
    assert vault.redact_parts(parts) == expected
    assert len(vault.found) == 1
