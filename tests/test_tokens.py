"""Token counting: estimates that never reserve too little, and the real table."""

from __future__ import annotations

from seawall.tokens import TokenCounter

SAMPLES = [
    "The quick brown fox jumps over the lazy dog.",
    "def add(a, b):\n    return a + b  # plus {'x': [1, 2, 3]}",
    "東京都の天気はどうですか。明日は雨が降るでしょう。",
    "Größenverhältnisse ändern sich schnell, sagte die Ärztin.",
]


async def test_the_real_table_loads_offline_and_counts_exactly():
    counter = TokenCounter()
    assert not counter.exact
    counter.want_exact()
    await counter.close()
    assert counter.exact
    assert counter.text("hello world") == 2
    body = {"messages": [{"role": "user", "content": "hello world"}]}
    assert counter.messages(body) == 2 + 4 + 3  # text, per message, per reply


async def test_estimates_are_never_below_the_real_count():
    exact = TokenCounter()
    exact.want_exact()
    await exact.close()
    estimate = TokenCounter()
    for text in SAMPLES:
        assert estimate.text(text) >= exact.text(text), text


def test_the_prompt_counts_parts_tools_and_images():
    counter = TokenCounter()
    plain = counter.messages({"messages": [{"role": "user", "content": "look"}]})
    parts = counter.messages(
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "look"},
                        {"type": "image_url", "image_url": {"url": "data:..."}},
                    ],
                }
            ],
            "tools": [{"type": "function", "function": {"name": "get_weather"}}],
        }
    )
    assert parts > plain + 765
