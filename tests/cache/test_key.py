"""Cache keys: everything that changes the answer is in the scope; nothing else is."""

from __future__ import annotations

from typing import Any

from seawall.cache.key import keys_of, question_of

BASE: dict[str, Any] = {
    "model": "chat",
    "messages": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "What is the capital of France?"},
    ],
}


def keys(body: dict[str, Any], partition: str = "acme", namespace: str = "") -> Any:
    return keys_of(body, partition, "chat", namespace)


def test_the_last_question_is_outside_the_scope_and_inside_the_exact_key() -> None:
    other = {**BASE, "messages": [BASE["messages"][0], {"role": "user", "content": "Paris?"}]}
    assert keys(other).scope == keys(BASE).scope
    assert keys(other).exact != keys(BASE).exact
    assert keys(BASE).question == "What is the capital of France?"


def test_what_changes_the_answer_changes_the_scope() -> None:
    base = keys(BASE).scope
    changes = [
        {"messages": [{"role": "system", "content": "Be verbose."}, BASE["messages"][1]]},
        {
            "messages": [
                BASE["messages"][0],
                {"role": "user", "content": "I live in Lyon."},
                {"role": "assistant", "content": "Noted."},
                BASE["messages"][1],
            ]
        },
        {"temperature": 0.7},
        {"max_tokens": 5},
        {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]},
        {"response_format": {"type": "json_object"}},
        {"seed": 3},
    ]
    for change in changes:
        assert keys({**BASE, **change}).scope != base, change
    assert keys(BASE, partition="globex").scope != base
    assert keys(BASE, namespace="faq").scope != base
    assert keys_of(BASE, "acme", "other-group", "").scope != base


def test_what_does_not_change_the_answer_shares_entries() -> None:
    same = {**BASE, "stream": True, "stream_options": {"include_usage": True}, "user": "u-1"}
    assert keys(same) == keys(BASE)
    reordered = dict(reversed(list(BASE.items())))
    assert keys(reordered) == keys(BASE)


def test_a_planted_marker_does_not_split_the_cache() -> None:
    mark = "\n\n(ref sw-0123456789ab)"
    planted = {
        **BASE,
        "messages": [
            {"role": "system", "content": "You are terse." + mark},
            BASE["messages"][1],
        ],
    }
    assert keys_of(planted, "acme", "chat", "", strip=mark) == keys(BASE)


def test_only_a_text_user_turn_is_a_question() -> None:
    assert question_of({"messages": [{"role": "assistant", "content": "hi"}]}) == ""
    image = {"type": "image_url", "image_url": {"url": "data:,"}}
    parts = [{"type": "text", "text": "What is this?"}, image]
    assert question_of({"messages": [{"role": "user", "content": parts}]}) == ""
    texts = [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]
    assert question_of({"messages": [{"role": "user", "content": texts}]}) == "a\nb"
