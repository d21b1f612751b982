"""Safe repairs of drifted JSON, and what a re-ask sends."""

from __future__ import annotations

import pytest

from seawall.structured.repair import reask, repair

OBJECT = {"type": "json_object"}
SCHEMA = {
    "type": "json_schema",
    "json_schema": {"schema": {"type": "object", "required": ["a"], "properties": {"a": {}}}},
}


@pytest.mark.parametrize(
    ("drifted", "fixed"),
    [
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```\n{"a": 1}\n```', '{"a": 1}'),
        ('Sure! {"a": "x } y"} Hope this helps.', '{"a": "x } y"}'),
        ('{"a": [1, 2,],}', '{"a": [1, 2]}'),
        ('{"a": "keep, }", }', '{"a": "keep, }" }'),  # a comma inside a string stays
        ('{"a": "say \\"hi\\",}"}', None),  # already valid: nothing to repair
        ('[{"a": 1}]', '{"a":1}'),
    ],
)
def test_safe_repairs(drifted, fixed):
    from seawall.structured.validate import problems

    if fixed is None:
        assert problems(drifted, OBJECT) == []
        return
    assert repair(drifted, OBJECT) == fixed


def test_what_a_repair_cannot_know_is_left_alone():
    assert repair('{"b": 1}', SCHEMA) is None  # a missing field is not guessed
    assert repair("the amount is 12", OBJECT) is None
    assert repair('[{"a": 1}, {"a": 2}]', OBJECT) is None  # which one? not ours to say
    assert repair("", OBJECT) is None and repair(None, OBJECT) is None


def test_a_reask_carries_the_bad_answer_and_the_errors():
    messages = [{"role": "user", "content": "refund?"}]
    out = reask(messages, '{"b": 1}', ["$: 'a' is a required property"])
    assert out[:2] == [messages[0], {"role": "assistant", "content": '{"b": 1}'}]
    assert out[2]["role"] == "user"
    assert "'a' is a required property" in out[2]["content"]
    assert messages == [{"role": "user", "content": "refund?"}]  # the client's list is kept
