"""The router's pure decision: rules in order, the default, the privacy pin."""

from __future__ import annotations

from typing import Any

from seawall.config import RouterSettings
from seawall.route.rules import Facts, Router, reason_of


def router(internal: dict[str, bool] | None = None, **settings: Any) -> Router:
    data: dict[str, Any] = {"tiers": ["fast", "frontier", "local"], **settings}
    parsed = RouterSettings.model_validate(data)
    return Router("auto", parsed, {"local": True} if internal is None else internal)


RULES = [
    {"tier": "frontier", "when": {"min_tokens": 4000}},
    {"tier": "frontier", "when": {"code": True, "tools": False}},
    {"tier": "frontier", "when": {"math": True}, "name": "maths"},
    {"tier": "fast", "when": {"intent": ["balance"]}},
    {"tier": "frontier", "when": {"tenant": ["vip"]}},
    {"tier": "frontier", "when": {"key": ["ci-bot"]}},
    {"tier": "local", "when": {"pii": True}},
]


def test_no_rule_applies_so_the_default_tier_serves():
    choice = router(rules=RULES).choose(Facts(tokens=10))
    assert (choice.tier, choice.reason) == ("fast", "default")
    assert router(default="frontier").choose(Facts()).tier == "frontier"


def test_the_first_rule_that_applies_wins_with_its_reason():
    r = router(rules=RULES)
    assert r.choose(Facts(tokens=5000, intent="balance")).reason == "tokens>=4000"
    assert r.choose(Facts(code=True)).reason == "no-tools+code"
    assert r.choose(Facts(code=True, tools=True)).reason == "default"  # both must hold
    assert r.choose(Facts(math=True, intent="balance")).reason == "maths"  # its own name
    assert r.choose(Facts(intent="balance", tenant="vip")).tier == "fast"
    assert r.choose(Facts(tenant="vip")).reason == "tenant"
    assert r.choose(Facts(key="ci-bot")).tier == "frontier"
    assert r.choose(Facts(pii=True)).tier == "local"


def test_token_bounds_are_inclusive():
    r = router(rules=[{"tier": "frontier", "when": {"min_tokens": 100, "max_tokens": 200}}])
    assert [r.choose(Facts(tokens=t)).tier for t in (99, 100, 200, 201)] == [
        "fast",
        "frontier",
        "frontier",
        "fast",
    ]
    assert r.counts_tokens and not r.reads_text


def test_data_for_internal_deployments_only_moves_to_an_internal_tier():
    r = router(rules=RULES)
    choice = r.choose(Facts(code=True, internal_only=True))
    assert (choice.tier, choice.reason) == ("local", "pii-internal")
    # no internal tier at all: the choice stands (dispatch then refuses the external ones)
    assert router({}, rules=RULES).choose(Facts(code=True, internal_only=True)).tier == "frontier"


def test_no_escalation_to_a_tier_the_data_may_not_reach():
    escalate = {"local": {"to": "frontier"}, "fast": {"to": "local"}}
    r = router(escalate=escalate)
    assert r.escalation("local", internal_only=False).to == "frontier"
    assert r.escalation("local", internal_only=True) is None
    assert r.escalation("fast", internal_only=True).to == "local"
    assert r.escalation("frontier", internal_only=False) is None


def test_reasons_name_the_conditions():
    from seawall.config import RouteWhen

    when = RouteWhen(min_tokens=10, max_tokens=20, pii=False, intent=["a"])
    assert reason_of(when) == "tokens>=10+tokens<=20+no-pii+intent"


def test_most_calls_is_the_longest_escalation_chain():
    assert router().settings.most_calls == 1
    chain = {"fast": {"to": "local"}, "local": {"to": "frontier"}}
    assert router(escalate=chain).settings.most_calls == 3
