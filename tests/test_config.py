from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from seawall import config
from seawall.errors import ConfigError

SIM_DEP = {"provider": "simulated", "model": "m"}

ROOT = Path(__file__).resolve().parents[1]

ISSUE_EXAMPLE = """
models:
  - name: chat                      # what clients send as "model"
    deployments:
      - provider: openai
        base_url: http://127.0.0.1:9101/v1
        model: upstream-a
        api_key: ${UPSTREAM_KEY}
        max_concurrency: 64
      - provider: openai
        base_url: http://127.0.0.1:9102/v1
        model: upstream-b
    fallbacks: [backup]
  - name: backup
    deployments:
      - provider: anthropic
        base_url: http://127.0.0.1:9103
        model: claude-test
        api_key: ${ANTHROPIC_KEY:-none}
  - name: sim
    deployments:
      - provider: simulated
        model: flaky
        faults: {error_rate: 0.3, status: 503, latency_ms: [5, 50]}
retry: {attempts: 3, backoff_ms: 100, max_backoff_ms: 5000}
timeouts: {connect_s: 2, first_token_s: 10, idle_s: 30, total_s: 600}
"""


def test_the_documented_example_loads(tmp_path):
    path = tmp_path / "seawall.yaml"
    path.write_text(ISSUE_EXAMPLE)
    settings = config.load(path, env={"UPSTREAM_KEY": "sk-1"})
    chat = settings.group("chat")
    assert [d.id for d in chat.deployments] == ["chat/0", "chat/1"]
    assert chat.deployments[0].api_key == "sk-1" and chat.deployments[0].max_concurrency == 64
    assert settings.group("backup").deployments[0].api_key == "none"
    assert settings.group("sim").deployments[0].faults.latency_ms == (5.0, 50.0)
    assert settings.timeouts.first_token_s == 10 and settings.retry.attempts == 3


def test_reference_config_loads_and_builds_a_gateway():
    from seawall.gateway import Gateway

    settings = config.load(ROOT / "examples" / "seawall.yaml", env={})
    assert {g.name for g in settings.models} == {"chat", "backup", "sim", "auto"}
    gateway = Gateway(settings)
    assert set(gateway.providers) == {"chat-a", "chat-b", "backup/0", "sim/0"}
    assert set(gateway.groups) == {"chat", "backup", "sim"}  # the router dispatches to them


def test_missing_variable_is_named(tmp_path):
    path = tmp_path / "seawall.yaml"
    path.write_text(ISSUE_EXAMPLE)
    with pytest.raises(
        ConfigError, match=r"UPSTREAM_KEY is not set .*models\[0\]\.deployments\[0\]\.api_key"
    ):
        config.load(path, env={})


def test_bad_fields_are_reported_by_path():
    data = yaml.safe_load(ISSUE_EXAMPLE)
    data["models"][0]["deployments"][1]["max_concurrency"] = 0
    data["models"][0]["deployments"][0]["base_url"] = 5
    data["retry"]["atempts"] = 2
    with pytest.raises(ConfigError) as caught:
        config.parse(data, env={"UPSTREAM_KEY": "k"})
    message = str(caught.value)
    assert (
        "models[0].deployments[1].max_concurrency: Input should be greater than or equal to 1"
        in message
    )
    assert "models[0].deployments[0].base_url: Input should be a valid string" in message
    assert "retry.atempts: unknown key (did you mean 'attempts'?)" in message


def test_unknown_fallback_and_duplicate_names_are_refused():
    data = {
        "models": [
            {
                "name": "a",
                "fallbacks": ["ghost"],
                "deployments": [{"provider": "simulated", "model": "m"}],
            }
        ]
    }
    with pytest.raises(ConfigError, match="unknown model group 'ghost'"):
        config.parse(data, env={})
    data = {"models": [{"name": "a", "deployments": [{"provider": "simulated", "model": "m"}]}] * 2}
    with pytest.raises(ConfigError, match="model group names must be unique: a"):
        config.parse(data, env={})


def test_unknown_provider_is_a_config_error():
    from seawall.gateway import Gateway

    settings = config.parse(
        {"models": [{"name": "a", "deployments": [{"provider": "nope", "model": "m"}]}]}, env={}
    )
    with pytest.raises(
        ConfigError, match="unknown provider 'nope' \\(known: anthropic, openai, simulated\\)"
    ):
        Gateway(settings)


def test_substitution_defaults_and_empty_values():
    assert config.substitute("${A:-x}", {}) == "x"
    assert config.substitute("${A:-x}", {"A": ""}) == "x"
    assert config.substitute("${A}", {"A": ""}) == ""
    assert config.substitute("a-${A}-${B:-b}", {"A": "1"}) == "a-1-b"


def test_invalid_yaml_and_missing_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("models: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        config.load(path)
    with pytest.raises(ConfigError, match="cannot read configuration"):
        config.load(tmp_path / "missing.yaml")


def test_every_missing_variable_is_reported_at_once():
    data = {
        "models": [
            {
                "name": "a",
                "deployments": [
                    {"provider": "openai", "model": "m", "api_key": "${ONE}", "base_url": "${TWO}"}
                ],
            }
        ]
    }
    with pytest.raises(ConfigError) as caught:
        config.parse(data, env={})
    assert "ONE is not set" in str(caught.value) and "TWO is not set" in str(caught.value)


def test_base_url_needs_a_scheme():
    data = {
        "models": [
            {
                "name": "a",
                "deployments": [
                    {"provider": "openai", "model": "m", "base_url": "127.0.0.1:9101/v1"}
                ],
            }
        ]
    }
    with pytest.raises(ConfigError, match="base_url must start with http:// or https://"):
        config.parse(data, env={})


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ([{"key": "a" * 20, "name": "prod"}, {"key": "b" * 20, "name": "prod"}], "used once"),
        ([{"key": "a" * 20, "name": "admin"}], "reserved"),
        ([{"key": "a" * 20, "name": "key_0011223344556677"}], "reserved"),
        ([{"key": "a" * 20, "name": "a:b"}], "keys[0].name"),
        ([{"key": "a" * 20, "tenant": "acme:eu"}], "keys[0].tenant"),
        ([{"key": "a" * 20}, {"key": "a" * 20}], "defined twice"),
    ],
)
def test_key_names_cannot_collide(keys, problem):
    with pytest.raises(ConfigError, match=re.escape(problem)):
        config.parse({"models": [{"name": "m", "deployments": [SIM_DEP]}], "keys": keys}, env={})


def test_internal_only_routing_needs_pii_detection():
    group = {
        "name": "m",
        "deployments": [SIM_DEP],
        "guard": {"pii": "allow", "pii_internal_only": True},
    }
    with pytest.raises(ConfigError, match=r"models\[0\]\.guard: .*needs pii: redact or flag"):
        config.parse({"models": [group]}, env={})


def _routed(router: dict, **auto: object) -> dict:
    groups = [{"name": n, "deployments": [SIM_DEP]} for n in ("fast", "frontier")]
    return {"models": [*groups, {"name": "auto", "router": router, **auto}]}


@pytest.mark.parametrize(
    ("router", "extra", "problem"),
    [
        ({"tiers": ["fast", "ghost"]}, {}, "models[2].router.tiers: unknown model group 'ghost'"),
        ({"tiers": ["fast", "auto"]}, {}, "'auto' is a router itself; routers do not nest"),
        ({"tiers": ["fast"], "default": "frontier"}, {}, "default: 'frontier' is not one"),
        (
            {"tiers": ["fast"], "rules": [{"tier": "frontier", "when": {"code": True}}]},
            {},
            "rules[0].tier: 'frontier' is not one of the tiers",
        ),
        ({"tiers": ["fast"], "rules": [{"tier": "fast", "when": {}}]}, {}, "at least one"),
        (
            {"tiers": ["fast", "frontier"], "escalate": {"fast": {"to": "fast"}}},
            {},
            "cannot escalate to itself",
        ),
        (
            {
                "tiers": ["fast", "frontier"],
                "escalate": {"fast": {"to": "frontier"}, "frontier": {"to": "fast"}},
            },
            {},
            "form a cycle",
        ),
        ({"tiers": ["fast"]}, {"deployments": [SIM_DEP]}, "no deployments or fallbacks"),
        (
            {"tiers": ["fast"], "escalate": {"fast": {"to": "x", "signals": ["vibes"]}}},
            {},
            "models[2].router.escalate.fast.signals[0]: Input should be",
        ),
    ],
)
def test_router_groups_are_checked(router, extra, problem):
    with pytest.raises(ConfigError) as refused:
        config.parse(_routed(router, **extra), env={})
    assert problem in str(refused.value)


def test_a_group_needs_deployments_or_a_router_and_nothing_falls_back_to_a_router():
    with pytest.raises(ConfigError, match="needs at least one"):
        config.parse({"models": [{"name": "a"}]}, env={})
    data = _routed({"tiers": ["fast"]})
    data["models"][1]["fallbacks"] = ["auto"]
    with pytest.raises(ConfigError, match="'auto' is a router; fall back to a tier"):
        config.parse(data, env={})


def test_reachable_deployments_of_a_router_span_its_tiers_and_their_fallbacks():
    data = _routed({"tiers": ["fast"]})
    data["models"][0]["fallbacks"] = ["frontier"]
    settings = config.parse(data, env={})
    assert [d.id for d in settings.reachable("auto")] == ["fast/0", "frontier/0"]


def test_the_young_gc_threshold_is_a_bounded_setting_that_serve_applies():
    import gc

    from seawall.server.app import _settle_garbage_collector

    data = {"models": [{"name": "m", "deployments": [SIM_DEP]}]}
    assert config.parse(data, env={}).server.gc_young == 20_000
    with pytest.raises(ConfigError, match=r"server\.gc_young"):
        config.parse({**data, "server": {"gc_young": 10}}, env={})
    before = gc.get_threshold()
    try:
        _settle_garbage_collector(3_000)
        assert gc.get_threshold() == (3_000, 20, 20)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_a_router_reports_all_its_problems_at_once():
    router = {
        "tiers": ["fast"],
        "default": "other",
        "rules": [{"tier": "x", "when": {"code": True}}],
    }
    with pytest.raises(ConfigError) as refused:
        config.parse(_routed(router), env={})
    assert "default: 'other'" in str(refused.value) and "rules[0].tier: 'x'" in str(refused.value)
