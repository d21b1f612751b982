"""What answers an intent without a model: a signed webhook, a template, or a Python
function. Each turns (the match, the user's text, the request's context) into the
answer's text, or raises HandlerFailed, and the request then goes to the model.

    webhook   POST {"type": "intent.matched", "intent", "score", "text", "messages",
              "request_id", "tenant"}; a 2xx reply of {"content": "..."} is the answer
    template  string.Template with $intent and $text
    python    "module:function", called with the same dict as the webhook body; returns
              the answer (a str), sync or async
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import string
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ..config import HandlerSettings
from ..errors import ConfigError
from ..outbound import Outbound, OutboundError

MAX_ANSWER_CHARS = 32_768


class HandlerFailed(Exception):
    """The handler gave no usable answer; the model answers instead."""


class Handler(Protocol):
    kind: str

    async def __call__(self, event: Mapping[str, Any]) -> str: ...


class WebhookHandler:
    kind = "webhook"

    def __init__(
        self, url: str, outbound: Outbound, secret: str | None, timeout_s: float | None
    ) -> None:
        self.url, self._outbound, self._secret, self._timeout = url, outbound, secret, timeout_s

    async def __call__(self, event: Mapping[str, Any]) -> str:
        try:
            reply = await self._outbound.post_json(
                self.url, dict(event), secret=self._secret, timeout_s=self._timeout
            )
        except OutboundError as exc:
            raise HandlerFailed(str(exc)) from exc
        if not 200 <= reply.status < 300:
            raise HandlerFailed(f"{self.url} answered {reply.status}")
        try:
            content = reply.json().get("content")
        except (ValueError, AttributeError, RecursionError):
            raise HandlerFailed(f"{self.url} did not answer a JSON object") from None
        return _checked(content, self.url)


class TemplateHandler:
    kind = "template"

    def __init__(self, template: str) -> None:
        self._template = string.Template(template)

    async def __call__(self, event: Mapping[str, Any]) -> str:
        return self._template.safe_substitute(intent=event["intent"], text=event["text"])


class PythonHandler:
    kind = "python"

    def __init__(self, target: str, timeout_s: float) -> None:
        self.target, self._timeout = target, timeout_s
        self._function = _import(target)

    async def __call__(self, event: Mapping[str, Any]) -> str:
        try:
            async with asyncio.timeout(self._timeout):
                if inspect.iscoroutinefunction(self._function):
                    answer = await self._function(dict(event))
                else:
                    answer = await asyncio.to_thread(self._function, dict(event))
        except TimeoutError:
            raise HandlerFailed(f"{self.target} took longer than {self._timeout}s") from None
        except Exception as exc:  # the application's code: any failure falls back
            raise HandlerFailed(f"{self.target} raised {type(exc).__name__}: {exc}") from exc
        return _checked(answer, self.target)


def _import(target: str) -> Callable[..., Any]:
    module_name, _, attribute = target.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"intents.handlers: cannot import {target}: {exc}") from None
    if not callable(found):
        raise ConfigError(f"intents.handlers: {target} is not callable")
    return found  # type: ignore[no-any-return]


def _checked(answer: Any, who: str) -> str:
    if not isinstance(answer, str) or not answer.strip():
        raise HandlerFailed(f"{who} gave no answer text")
    if len(answer) > MAX_ANSWER_CHARS:
        raise HandlerFailed(f"{who} answered more than {MAX_ANSWER_CHARS} characters")
    return answer


def build(
    settings: HandlerSettings, outbound: Outbound, secret: str | None, default_timeout: float
) -> Handler:
    timeout = settings.timeout_s or default_timeout
    factories: dict[str, Callable[[], Handler]] = {
        "webhook": lambda: WebhookHandler(str(settings.webhook), outbound, secret, timeout),
        "template": lambda: TemplateHandler(str(settings.template)),
        "python": lambda: PythonHandler(str(settings.python), timeout),
    }
    return factories[settings.kind]()
