"""Whether an answer is the JSON the request asked for."""

from __future__ import annotations

from seawall.structured.validate import problems, wants_json

SCHEMA = {
    "type": "object",
    "properties": {"amount": {"type": "number"}, "currency": {"enum": ["EUR", "USD"]}},
    "required": ["amount", "currency"],
    "additionalProperties": False,
}
AS_SCHEMA = {"type": "json_schema", "json_schema": {"name": "refund", "schema": SCHEMA}}


def test_nothing_is_asked_without_a_json_response_format():
    assert not wants_json(None) and not wants_json({"type": "text"})
    assert problems("plain prose", None) == []
    assert problems("plain prose", {"type": "text"}) == []


def test_json_object_asks_for_an_object():
    assert problems('{"a": 1}', {"type": "json_object"}) == []
    assert problems("[1]", {"type": "json_object"}) == ["not a JSON object but list"]
    assert problems("```json\n{}\n```", {"type": "json_object"})[0].startswith("not JSON")
    assert problems(None, {"type": "json_object"})[0].startswith("not JSON")


def test_each_schema_violation_is_named_by_its_path():
    assert problems('{"amount": 12.5, "currency": "EUR"}', AS_SCHEMA) == []
    found = problems('{"amount": "12", "currency": "GBP", "note": 1}', AS_SCHEMA)
    assert len(found) == 3
    assert any(p.startswith("$.amount: '12' is not of type 'number'") for p in found)
    assert any(p.startswith("$.currency:") for p in found)
    assert any("note" in p for p in found)


def test_a_broken_schema_checks_only_that_the_answer_is_json():
    broken = {"type": "json_schema", "json_schema": {"schema": {"type": "no-such-type"}}}
    assert problems('{"a": 1}', broken) == []
    assert problems("not json", broken)[0].startswith("not JSON")


def test_a_broken_request_format_is_named_before_anything_is_sent():
    from seawall.structured.validate import format_problem

    assert format_problem(None) is None and format_problem({"type": "text"}) is None
    assert format_problem("json")[0] == "response_format"
    assert format_problem({"type": "json_schema"})[0] == "response_format.json_schema"
    broken = {"type": "json_schema", "json_schema": {"schema": {"properties": {"a": {"type": 1}}}}}
    param, message = format_problem(broken)
    assert param == "response_format.json_schema.schema"
    assert "at .properties.a.type" in message
    assert format_problem(AS_SCHEMA) is None
