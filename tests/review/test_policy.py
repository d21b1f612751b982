"""Which answers a review policy catches."""

from __future__ import annotations

import pytest

from seawall.config import ReviewSettings
from seawall.review.policy import Facts, caught


def rules(*when: object) -> list:
    return ReviewSettings.model_validate({"when": list(when)}).when


def answer(content: str) -> dict:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


def test_always_flagged_low_confidence_and_intent():
    plain = answer("fine")
    assert caught(rules("always"), Facts(), plain) == "always"
    assert caught(rules("flagged"), Facts(), plain) == ""
    assert caught(rules("flagged"), Facts(flagged=True), plain) == "flagged"
    assert (
        caught(rules("low_confidence"), Facts(low_confidence="logprob"), plain) == "low_confidence"
    )
    by_intent = rules({"intent": ["card_lost", "dispute"]})
    assert caught(by_intent, Facts(intent="dispute"), plain) == "intent:dispute"
    assert caught(by_intent, Facts(intent="balance"), plain) == ""


@pytest.mark.parametrize(
    ("content", "hit"),
    [
        ('{"amount": 1500}', True),
        ('{"amount": 1000}', False),
        ('{"amount": 1000.01, "currency": "EUR"}', True),
        ('{"amount": "1500"}', False),  # a string is not a number to compare
        ('{"total": 1500}', False),  # no such path
        ("not json", False),
        ("[1500]", False),
    ],
)
def test_a_json_path_condition(content, hit):
    rule = rules({"json_path": "$.amount", "op": ">", "value": 1000})
    assert bool(caught(rule, Facts(), answer(content))) is hit


def test_nested_paths_and_equality():
    rule = rules({"json_path": "$.items[1].sku", "op": "==", "value": "X-9"})
    assert caught(rule, Facts(), answer('{"items": [{"sku": "A"}, {"sku": "X-9"}]}'))
    assert not caught(rule, Facts(), answer('{"items": [{"sku": "X-9"}]}'))
    flag = rules({"json_path": "$.refund", "op": "==", "value": True})
    assert caught(flag, Facts(), answer('{"refund": true}'))
    assert not caught(flag, Facts(), answer('{"refund": 1}'))  # 1 is not true here


def test_a_bad_path_or_empty_policy_is_refused_at_load():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        ReviewSettings.model_validate({"when": [{"json_path": "amount", "op": ">", "value": 1}]})
    with pytest.raises(ValidationError):
        ReviewSettings.model_validate({"when": []})


def test_a_bad_policy_item_gets_the_errors_of_its_own_shape_only():
    from seawall import config
    from seawall.errors import ConfigError

    group = {"name": "m", "deployments": [{"provider": "simulated", "model": "x"}]}
    bad = {"when": [{"json_path": "amount", "op": "~", "value": 1}]}
    with pytest.raises(ConfigError) as refused:
        config.parse({"models": [{**group, "review": bad}]}, env={})
    lines = str(refused.value).splitlines()[1:]
    assert len(lines) == 2  # the path's pattern and the operator, nothing about other shapes
    assert "literal" not in str(refused.value) and "did you mean" not in str(refused.value)
