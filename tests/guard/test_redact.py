"""Reversible pseudonymisation, in whole answers and in streams split anywhere."""

from __future__ import annotations

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
