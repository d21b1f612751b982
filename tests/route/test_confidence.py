"""Judging a tier's answer: each signal on its own, and only when enabled."""

from __future__ import annotations

from typing import Any

import pytest

from seawall.config import EscalationSettings
from seawall.route.confidence import judge, mean_logprob

ALL = EscalationSettings(to="frontier", signals=["logprob", "empty", "refusal", "schema", "length"])


def answer(content: Any = "Paris is the capital.", logprob: float | None = None, **extra: Any):
    choice: dict[str, Any] = {"index": 0, "message": {"role": "assistant", "content": content}}
    choice["finish_reason"] = extra.pop("finish_reason", "stop")
    if logprob is not None:
        tokens = str(content).split()
        choice["logprobs"] = {"content": [{"token": t, "logprob": logprob} for t in tokens]}
    choice["message"].update(extra)
    return {"choices": [choice]}


def test_a_plain_confident_answer_is_trusted():
    verdict = judge(answer(logprob=-0.2), {}, ALL)
    assert verdict.trusted and verdict.mean_logprob == pytest.approx(-0.2)


def test_low_mean_logprob_is_unsure_and_missing_logprobs_are_not_judged():
    assert judge(answer(logprob=-1.5), {}, ALL).reason == "logprob"
    assert judge(answer(logprob=-0.9), {}, ALL).trusted  # default threshold -1.0
    strict = EscalationSettings(to="x", min_logprob=-0.5)
    assert judge(answer(logprob=-0.9), {}, strict).reason == "logprob"
    assert judge(answer(), {}, ALL).trusted  # the provider gave none


@pytest.mark.parametrize(
    "content",
    [
        "I'm sorry, but I can't help with that.",
        "I’m sorry, I cannot provide that information.",
        "As an AI language model, I do not have opinions.",
        "I don't know the answer to that.",
        "Unfortunately, I don't have access to your account.",
        "  I cannot assist with this request.",
    ],
)
def test_refusals_and_non_answers(content):
    assert judge(answer(content), {}, ALL).reason == "refusal"


def test_an_apology_inside_a_real_answer_is_not_a_refusal():
    text = "Your card was blocked for your safety. I'm sorry, I cannot unblock it myself."
    assert judge(answer(text), {}, ALL).trusted
    assert judge(answer(None, refusal="No."), {}, ALL).reason == "refusal"


def test_empty_answers_but_not_tool_calls():
    assert judge(answer("  "), {}, ALL).reason == "empty"
    assert judge({"choices": []}, {}, ALL).reason == "empty"
    call = [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    assert judge(answer(None, tool_calls=call, finish_reason="tool_calls"), {}, ALL).trusted


def test_json_that_does_not_fit_the_requested_schema():
    schema = {
        "type": "object",
        "properties": {"amount": {"type": "number"}},
        "required": ["amount"],
    }
    body = {"response_format": {"type": "json_schema", "json_schema": {"schema": schema}}}
    assert judge(answer('{"amount": 12.5}'), body, ALL).trusted
    assert judge(answer('{"amount": "twelve"}'), body, ALL).reason == "schema"
    assert judge(answer("The amount is 12.5"), body, ALL).reason == "schema"
    as_object = {"response_format": {"type": "json_object"}}
    assert judge(answer("[1, 2]"), as_object, ALL).reason == "schema"
    assert judge(answer("The amount is 12.5"), {}, ALL).trusted  # no JSON asked
    call = [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    assert judge(answer(None, tool_calls=call, finish_reason="tool_calls"), body, ALL).trusted


def test_only_enabled_signals_count():
    only_empty = EscalationSettings(to="x", signals=["empty"])
    assert judge(answer("I'm sorry, but I can't.", logprob=-5), {}, only_empty).trusted
    assert judge(answer("cut", finish_reason="length"), {}, ALL).reason == "length"


def test_mean_logprob_spans_every_choice():
    a = answer("a b", logprob=-1.0)["choices"][0]
    b = answer("c d e f", logprob=-0.25)["choices"][0]
    assert mean_logprob([a, b]) == pytest.approx((2 * -1.0 + 4 * -0.25) / 6)
