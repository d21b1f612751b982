"""The simulated provider behaves like a model where the gateway relies on it."""

from __future__ import annotations

from seawall.config import DeploymentSettings
from seawall.providers.base import ProviderOptions, create
from seawall.types import ChatRequest


async def test_an_answer_never_exceeds_max_tokens():
    provider = create(
        DeploymentSettings(id="s", provider="simulated", model="m"), ProviderOptions()
    )
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    full = await provider.complete(ChatRequest(dict(body), "m"), {})
    capped = await provider.complete(ChatRequest({**body, "max_tokens": 5}, "m"), {})
    assert full.usage is not None and full.usage.completion_tokens > 5
    assert capped.usage is not None and capped.usage.completion_tokens == 5
    await provider.close()
