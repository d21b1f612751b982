"""Code and maths recognised in user turns, and not in ordinary questions."""

from __future__ import annotations

import pytest

from seawall.route.features import has_code, has_images, has_math, user_text, wants_tools

CODE = [
    "Why does this fail?\n```python\nprint(x)\n```",
    "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'id'",
    "def area(r):\n    return 3.14 * r * r\nWhat is wrong here?",
    "const total = items.reduce((a, b) => a + b, 0);\nconsole.log(total);",
    "Write a function that reverses a linked list",
    "Can you fix the bug in my SQL query?",
    "How do I do this in Python?",
    "SELECT name FROM users WHERE id = 3;\nwhy is it slow?",
    "I get a NullPointerException when the list is empty",
    "Is there a regex for UK postcodes?",
    "Call `client.close()` before `pool.shutdown()`",
]
NOT_CODE = [
    "What is the capital of France?",
    "How do I reset my online banking password?",
    "I want to return my order; it arrived damaged.",
    "Tell me about the history of Java, the island.",
    "Can you recommend a good restaurant for tonight?",
    "My flight leaves at 9:45 - can I still check in?",
    "Plan a trip: day 1 -> Rome, day 2 -> Florence",
]
MATH = [
    "Solve 2x + 3 = 7",
    "What is the derivative of x^2 sin(x)?",
    r"Simplify \frac{a}{b} + \frac{c}{d}",
    "What is 17 * 23?",
    "Prove that the square root of 2 is irrational",
    "What is the probability of two sixes in a row?",
    "f(x) = 3x + 1, find f(2)",
    "∫ x dx from 0 to 1",
]
NOT_MATH = [
    "What is the capital of France?",
    "My card number ends in 4421, is it blocked?",
    "The meeting is on 2026-11-28 from 9-5",
    "Which train goes to platform 9?",
    "Do I need proof of vaccination to travel to Ecuador?",
]


@pytest.mark.parametrize("text", CODE)
def test_code_is_recognised(text):
    assert has_code(text)


@pytest.mark.parametrize("text", NOT_CODE)
def test_prose_is_not_code(text):
    assert not has_code(text)


@pytest.mark.parametrize("text", MATH)
def test_maths_is_recognised(text):
    assert has_math(text)


@pytest.mark.parametrize("text", NOT_MATH)
def test_numbers_in_prose_are_not_maths(text):
    assert not has_math(text)


def test_only_user_turns_are_read():
    body = {
        "messages": [
            {"role": "system", "content": "You write Python code. ```python``` blocks only."},
            {"role": "assistant", "content": "def f(): pass"},
            {"role": "user", "content": [{"type": "text", "text": "hello"}]},
            {"role": "user", "content": "and goodbye"},
        ]
    }
    assert user_text(body) == "hello\nand goodbye"
    assert not has_code(user_text(body))


def test_user_text_keeps_the_latest_part_of_a_long_conversation():
    old = {"role": "user", "content": "```old code```"}
    new = {"role": "user", "content": "x" * 30_000}
    text = user_text({"messages": [old, new]})
    assert len(text) == 20_000 and "```" not in text


def test_tools_and_images():
    tools = [{"type": "function", "function": {"name": "f"}}]
    assert wants_tools({"tools": tools})
    assert not wants_tools({"tools": tools, "tool_choice": "none"})
    assert not wants_tools({})
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAA"}}
    assert has_images({"messages": [{"role": "user", "content": [image]}]})
    assert not has_images({"messages": [{"role": "user", "content": "no image"}]})


def test_dates_fractions_and_everyday_phrases_are_not_maths():
    for text in ("How were people killed on 9/11?", "It uses a combination of locks and alarms"):
        assert not has_math(text)
    assert has_math("What is 12 / 4?")
