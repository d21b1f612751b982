"""Which tier serves a request: a pure decision over what is known of it.

    router = Router("auto", settings.router, internal={"local": True, "cloud": False})
    choice = router.choose(facts)        # Choice(tier="cloud", reason="code")

Rules are tried in order and the first whose every condition holds wins; no rule, the
default tier. A request whose data may only go to internal deployments (the guard's
``pii_internal_only``) is moved to the first tier that has one, and never escalated to
a tier that has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..config import EscalationSettings, RouterSettings, RouteRule, RouteWhen


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules may look at. ``tokens`` is None when no rule needs a count."""

    tokens: int | None = None
    tools: bool = False
    code: bool = False
    math: bool = False
    images: bool = False
    pii: bool = False
    intent: str = ""
    tenant: str = ""
    key: str = ""
    internal_only: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    tier: str
    reason: str


class Router:
    def __init__(self, name: str, settings: RouterSettings, internal: Mapping[str, bool]) -> None:
        self.name = name
        self.settings = settings
        self._internal = internal  # tier -> whether some deployment it can reach is internal
        self._reasons = [rule.name or reason_of(rule.when) for rule in settings.rules]
        self.counts_tokens = any(
            r.when.min_tokens is not None or r.when.max_tokens is not None for r in settings.rules
        )
        self.reads_text = any(
            r.when.code is not None or r.when.math is not None for r in settings.rules
        )

    @property
    def tiers(self) -> list[str]:
        return self.settings.tiers

    def choose(self, facts: Facts) -> Choice:
        choice = Choice(self.settings.default_tier, "default")
        for rule, reason in zip(self.settings.rules, self._reasons, strict=True):
            if applies(rule, facts):
                choice = Choice(rule.tier, reason)
                break
        if facts.internal_only and not self._internal.get(choice.tier, False):
            internal = next((t for t in self.settings.tiers if self._internal.get(t)), None)
            if internal is not None:
                return Choice(internal, "pii-internal")
        return choice

    def escalation(self, tier: str, internal_only: bool) -> EscalationSettings | None:
        """Where an unsure answer of this tier goes, if anywhere it may go."""
        escalation = self.settings.escalate.get(tier)
        if escalation is None or (internal_only and not self._internal.get(escalation.to)):
            return None
        return escalation


def applies(rule: RouteRule, facts: Facts) -> bool:
    when = rule.when
    checks = (
        when.min_tokens is None or (facts.tokens or 0) >= when.min_tokens,
        when.max_tokens is None or (facts.tokens or 0) <= when.max_tokens,
        when.tools is None or facts.tools == when.tools,
        when.code is None or facts.code == when.code,
        when.math is None or facts.math == when.math,
        when.images is None or facts.images == when.images,
        when.pii is None or facts.pii == when.pii,
        when.intent is None or facts.intent in when.intent,
        when.tenant is None or facts.tenant in when.tenant,
        when.key is None or facts.key in when.key,
    )
    return all(checks)


def reason_of(when: RouteWhen) -> str:
    """A short reason from a rule's conditions: ``tokens>=4000``, ``code+tools``,
    ``no-pii``, ``intent``."""
    parts = []
    for name, value in when.model_dump(exclude_none=True).items():
        if name == "min_tokens":
            parts.append(f"tokens>={value}")
        elif name == "max_tokens":
            parts.append(f"tokens<={value}")
        elif isinstance(value, bool):
            parts.append(name if value else f"no-{name}")
        else:
            parts.append(name)
    return "+".join(parts)
