"""One typed, frozen configuration, loaded from YAML with ``${VAR}`` and
``${VAR:-default}`` substituted from the environment. This module is the only reader
of configuration files and of the environment.

    settings = load("seawall.yaml")
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from .errors import ConfigError

CONFIG_ENV = "SEAWALL_CONFIG"
ADMIN_KEY_ENV = "SEAWALL_ADMIN_KEY"  # the bootstrap admin key, when the file names none
METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client reads it too, at import


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


PositiveFloat = Annotated[float, Field(gt=0)]


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    max_body_mb: float = Field(default=8.0, gt=0, le=1024)
    drain_s: float = Field(default=30.0, ge=0)
    max_inflight: int = Field(default=2048, ge=1)  # beyond this: 503 overloaded
    keepalive_s: float = Field(default=30.0, gt=0)
    # allocations between young-generation garbage collections in `seawall serve`:
    # higher is less CPU, lower is shorter pauses (README "Performance")
    gc_young: int = Field(default=20_000, ge=100, le=1_000_000)


class Price(_Section):
    """USD per million tokens."""

    input: float = Field(default=0.0, ge=0)
    output: float = Field(default=0.0, ge=0)
    cached_input: float | None = Field(default=None, ge=0)


class Faults(_Section):
    """Failure behaviour of a ``simulated`` deployment (all rates are 0..1 per call)."""

    error_rate: float = Field(default=0.0, ge=0, le=1)
    status: Literal[429, 500, 502, 503] = 503
    retry_after_s: float | None = Field(default=None, ge=0)
    latency_ms: tuple[float, float] = (0.0, 0.0)
    ttft_ms: float = Field(default=0.0, ge=0)
    tokens_per_s: float = Field(default=0.0, ge=0)  # 0: as fast as possible
    timeout_rate: float = Field(default=0.0, ge=0, le=1)  # never answers
    cut_rate: float = Field(default=0.0, ge=0, le=1)  # stream dropped mid-way
    stall_rate: float = Field(default=0.0, ge=0, le=1)  # stream stops sending mid-way
    malformed_rate: float = Field(default=0.0, ge=0, le=1)  # a chunk that is not JSON
    # (every_s, for_s): of every every_s seconds since start, the last for_s fail every call
    outage: tuple[float, float] | None = None
    logprobs: bool = True  # token log-probabilities when the request asks for them
    # answers a confident model would not give (confidence escalation): low token
    # log-probabilities, a refusal, an empty answer
    unsure_rate: float = Field(default=0.0, ge=0, le=1)
    refusal_rate: float = Field(default=0.0, ge=0, le=1)
    empty_rate: float = Field(default=0.0, ge=0, le=1)
    # answers to requests for JSON that drift from the schema, and how (each drifting
    # answer picks one of `drift` at random)
    drift_rate: float = Field(default=0.0, ge=0, le=1)
    drift: list[
        Literal["fenced", "prose", "trailing_comma", "wrapped", "renamed", "missing", "not_json"]
    ] = ["fenced", "prose", "trailing_comma", "wrapped", "renamed", "missing", "not_json"]
    answer_tokens: int = Field(default=24, ge=1, le=4096)
    seed: int = 0

    @model_validator(mode="after")
    def _latency_range(self) -> Faults:
        low, high = self.latency_ms
        if low < 0 or high < low:
            raise ValueError("latency_ms must be [low, high] with 0 <= low <= high")
        return self


class DeploymentSettings(_Section):
    id: str = ""  # defaults to "<group>/<index>"
    provider: str
    model: str
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    weight: float = Field(default=1.0, gt=0)
    max_concurrency: int = Field(default=256, ge=1)
    rpm: int | None = Field(
        default=None, ge=1, strict=True
    )  # the upstream's quota for this deployment
    tpm: int | None = Field(default=None, ge=1, strict=True)
    internal: bool = False
    price: Price = Price()
    headers: dict[str, str] = {}
    faults: Faults | None = None

    @model_validator(mode="after")
    def _url(self) -> DeploymentSettings:
        if self.base_url is not None and not re.match(r"^https?://[^/\s]+", self.base_url):
            raise ValueError(
                f"base_url must start with http:// or https:// (got '{self.base_url}')"
            )
        return self


class GuardSettings(_Section):
    """The input guard of a model group."""

    # PII and secrets: redact (placeholders upstream, restored in the answer) | block |
    # flag (pass, mark the trace) | allow (not looked at)
    pii: Literal["redact", "block", "flag", "allow"] = "redact"
    # fast: patterns with checksums (emails, phones, cards, IBANs, SSNs, IPs, URLs,
    # secrets), ~0.4 ms per 500 tokens | heavy: those plus a CRF tagger for names,
    # places, street addresses, organisations, dates, job titles and ages (~3-4 ms per 500
    # tokens; README "PII tiers")
    pii_tier: Literal["fast", "heavy"] = "fast"
    # a request that carries PII or secrets may go only to deployments marked internal
    pii_internal_only: bool = False
    # PII or secrets in an answer that were not in the request, and system-prompt leaks:
    # redact ([REDACTED:TYPE]) | block (400, or an error event on a started stream) |
    # flag | allow. Streams are held back ~96 characters so a match is cut before sending.
    output: Literal["redact", "block", "flag", "allow"] = "redact"
    canary: bool = False  # mark the system prompt; an answer repeating it is a leak
    # prompt injection and jailbreaks: block (400 guard_blocked, param "injection") |
    # flag (pass, mark the trace; the default until the screen has met your traffic) |
    # allow (not looked at)
    injection: Literal["block", "flag", "allow"] = "flag"
    # probability of injection at which the screen acts; null = the shipped default
    # (see README "Input guard: prompt injection" for how it was chosen)
    injection_threshold: float | None = Field(default=None, gt=0, lt=1)
    # time the embedding stage may take before stage one decides alone
    injection_budget_ms: int = Field(default=300, ge=1, le=10_000)
    # roles whose messages are screened; an application whose system prompt is its own,
    # fixed text may leave "system" out (system prompts that forbid revealing themselves
    # read much like the attacks that ask for them)
    injection_roles: list[
        Literal["system", "developer", "user", "assistant", "tool", "function"]
    ] = [
        "system",
        "developer",
        "user",
        "assistant",
        "tool",
        "function",
    ]

    @model_validator(mode="after")
    def _needs_detection(self) -> GuardSettings:
        if self.pii_internal_only and self.pii in ("allow", "block"):
            raise ValueError("pii_internal_only needs pii: redact or flag (something to route)")
        return self


class GuardOverride(_Section):
    """A key's own guard settings, over its model group's: only the fields set here
    change (a support bot's key may block PII that the group redacts, an internal batch
    key may skip the injection screen)."""

    pii: Literal["redact", "block", "flag", "allow"] | None = None
    pii_tier: Literal["fast", "heavy"] | None = None
    pii_internal_only: bool | None = None
    output: Literal["redact", "block", "flag", "allow"] | None = None
    canary: bool | None = None
    injection: Literal["block", "flag", "allow"] | None = None
    injection_threshold: float | None = Field(default=None, gt=0, lt=1)

    def fields(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class CacheSettings(_Section):
    """A model group's answer cache (README "Cache")."""

    # the same request (everything that changes the answer) answered from the cache
    exact: bool = True
    # a paraphrase of the last user turn, in the same scope, answered from the cache
    semantic: bool = True
    # cosine similarity a stored question must reach to be a candidate; each candidate
    # is then verified word by word (cache/verify.py). null = the shipped default.
    threshold: float | None = Field(default=None, gt=0, le=1)
    # the verifier's own acceptance threshold; null = the shipped default
    verify_threshold: float | None = Field(default=None, ge=0, le=1)
    ttl_s: float = Field(default=3600.0, gt=0, le=365 * 86400)
    # entries kept per replica (least recently used go first)
    max_entries: int = Field(default=10_000, ge=1, le=10_000_000)
    # stored answers longer than this are not cached
    max_answer_bytes: int = Field(default=256 * 1024, ge=1, le=16 * 1024 * 1024)
    # tenant: one tenant's entries serve that tenant only | key: each API key its own
    scope: Literal["tenant", "key"] = "tenant"
    # requests that set temperature > 0 ask for variety: cache (answer them anyway) | skip
    sampled: Literal["cache", "skip"] = "cache"
    # time the embedding of the last user turn may take before the lookup goes on
    # without the semantic cache
    embed_budget_ms: int = Field(default=150, ge=1, le=10_000)
    # last user turns longer than this skip the semantic cache (exact still applies)
    max_semantic_chars: int = Field(default=2000, ge=1, le=100_000)


class TokenSettings(_Section):
    """A model group's token budget for each request (README "Token budgets")."""

    # prompt tokens (messages and tool definitions) a request may send; null: no limit
    max_input: int | None = Field(default=None, ge=1, le=10_000_000)
    # over max_input: reject (400 context_too_long) | trim (drop the oldest turns, each
    # with its tool calls and results, never the system prompt or the last user turn)
    overflow: Literal["reject", "trim"] = "reject"
    # answer tokens a request may ask for: a larger max_tokens is lowered to this, and a
    # request without one gets it; null: what the client asks
    max_output: int | None = Field(default=None, ge=1, le=1_000_000)
    # refuse (400 cost_limit_exceeded) a request whose estimate (its prompt at the
    # group's dearest input price, plus its output cap at the dearest output price)
    # is over this many US dollars; null: no cap
    max_request_usd: float | None = Field(default=None, gt=0)


class StructuredSettings(_Section):
    """Answers to requests that ask for JSON (``response_format``): checked, repaired,
    re-asked (README "Structured output")."""

    # attempts on one deployment (the answer, then re-asks with the errors fed back)
    # before the next deployment or fallback group is tried
    max_attempts: int = Field(default=3, ge=1, le=10)
    # deployments tried in all before 422 structured_output_failed
    max_deployments: int = Field(default=2, ge=1, le=10)
    # fix the drifts that are safe to fix: markdown fences, prose around the JSON,
    # trailing commas, one object wrapped in a list
    repair: bool = True
    backoff_ms: float = Field(default=100.0, ge=0, le=60_000)  # before a re-ask, doubling
    max_backoff_ms: float = Field(default=2000.0, ge=0, le=60_000)


class ReviewIntent(_Section):
    intent: str | list[str]  # the request's intent label is (one of) this


class ReviewJsonPath(_Section):
    # a path into the JSON answer: $.amount, $.items[0].price
    json_path: str = Field(pattern=r"^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])+$")
    op: Literal[">", ">=", "<", "<=", "==", "!="]
    value: float | int | str | bool | None


def _review_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "json_path" if "json_path" in value else "intent"
    return "name"


# one branch per shape, so a bad item gets that shape's error only
ReviewWhen = Annotated[
    Annotated[Literal["always", "flagged", "low_confidence"], Tag("name")]
    | Annotated[ReviewIntent, Tag("intent")]
    | Annotated[ReviewJsonPath, Tag("json_path")],
    Discriminator(_review_kind),
]


class ReviewSettings(_Section):
    """Answers held for a person to approve before the caller gets them (README
    "Human review")."""

    # any one of these catches an answer: always | flagged (a guard flagged the
    # request) | low_confidence (the router had to return an unsure answer) |
    # {intent: NAME} | {json_path: "$.amount", op: ">", value: 1000} on a JSON answer
    when: list[ReviewWhen] = Field(min_length=1)
    wait_s: float = Field(default=5.0, ge=0, le=300)  # a caller waits this long for a decision
    expire_s: float = Field(default=86400.0, gt=0)  # undecided this long: on_expire applies
    on_expire: Literal["reject", "approve"] = "reject"


class RouteWhen(_Section):
    """What a request must have for a routing rule to apply: every key given must hold."""

    # prompt tokens (messages and tool definitions, as the token budget counts them)
    min_tokens: int | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, ge=0)
    tools: bool | None = None  # the request offers tools (and does not set tool_choice none)
    code: bool | None = None  # code, a stack trace, or a request to write code (route/features)
    math: bool | None = None  # formulas, equations, or a maths task
    images: bool | None = None  # image content parts
    pii: bool | None = None  # the input guard found PII or secrets (redacted or flagged)
    intent: list[str] | None = None  # the intent label is one of these
    tenant: list[str] | None = None
    key: list[str] | None = None  # API key ids (the name of a key in the file)

    @model_validator(mode="after")
    def _not_empty(self) -> RouteWhen:
        if not self.model_dump(exclude_none=True):
            raise ValueError("a rule needs at least one condition")
        return self


class RouteRule(_Section):
    tier: str
    when: RouteWhen
    # the reason in x-seawall-route, traces and metrics (default: the conditions' names)
    name: str = Field(default="", max_length=40, pattern=r"^[a-z0-9_.:-]*$")


Signal = Literal["logprob", "empty", "refusal", "schema", "length", "error"]


class EscalationSettings(_Section):
    """When the answer of one tier is not trusted and the request goes to another."""

    to: str
    # what counts as low confidence: mean token log-probability under min_logprob (only
    # where the provider returns log-probabilities), an empty answer, a refusal, JSON that
    # does not parse or fit the requested schema, an answer cut at its token limit, or
    # the tier failing upstream altogether
    signals: list[Signal] = ["logprob", "empty", "refusal", "schema", "error"]
    min_logprob: float = Field(default=-1.0, lt=0, ge=-20)
    # ask the tier for log-probabilities when the client did not (they are removed
    # from the answer the client gets)
    request_logprobs: bool = True


class RouterSettings(_Section):
    """A model group that serves nothing itself and sends each request to one of its
    tiers (other model groups) by rules (README "Routing")."""

    tiers: list[str] = Field(min_length=1)
    default: str = ""  # the tier when no rule applies (default: the first tier)
    rules: list[RouteRule] = []  # the first that applies wins
    escalate: dict[str, EscalationSettings] = {}  # tier -> where its unsure answers go

    @model_validator(mode="after")
    def _tiers(self) -> RouterSettings:
        tiers = set(self.tiers)
        problems = []
        if len(tiers) != len(self.tiers):
            problems.append("tiers: each tier may be listed once")
        if self.default and self.default not in tiers:
            problems.append(f"default: '{self.default}' is not one of the tiers")
        for index, rule in enumerate(self.rules):
            if rule.tier not in tiers:
                problems.append(f"rules[{index}].tier: '{rule.tier}' is not one of the tiers")
        for tier, escalation in self.escalate.items():
            if tier not in tiers or escalation.to not in tiers:
                problems.append(f"escalate.{tier}: both tiers must be listed in tiers")
            elif escalation.to == tier:
                problems.append(f"escalate.{tier}: a tier cannot escalate to itself")
        if not problems and _escalation_cycle(self.escalate):
            problems.append("escalate: the escalations form a cycle")
        if problems:  # every one at once, not one a run
            raise ValueError("; ".join(problems))
        return self

    @property
    def default_tier(self) -> str:
        return self.default or self.tiers[0]

    @property
    def most_calls(self) -> int:
        """Upstream answers one request may be charged for: the longest escalation chain."""
        longest = 1
        for tier in self.escalate:
            calls, at = 1, tier
            while at in self.escalate:
                calls, at = calls + 1, self.escalate[at].to
            longest = max(longest, calls)
        return longest


def _escalation_cycle(escalate: Mapping[str, EscalationSettings]) -> bool:
    for start in escalate:
        seen, tier = {start}, escalate[start].to
        while tier in escalate:
            if tier in seen:
                return True
            seen.add(tier)
            tier = escalate[tier].to
    return False


class GroupSettings(_Section):
    name: str = Field(min_length=1)
    # a group with a router has no deployments of its own; every other group has some
    deployments: list[DeploymentSettings] = []
    router: RouterSettings | None = None
    fallbacks: list[str] = []
    balance: Literal["least_busy", "weighted"] = "least_busy"
    # what admission reserves for the answer when a request sets no max_tokens
    max_output_tokens: int = Field(default=4096, ge=1)
    guard: GuardSettings = GuardSettings()
    cache: CacheSettings | None = None  # no cache unless the section is there
    tokens: TokenSettings = TokenSettings()
    structured: StructuredSettings = StructuredSettings()
    review: ReviewSettings | None = None  # no review unless the section is there

    @model_validator(mode="after")
    def _router_or_deployments(self) -> GroupSettings:
        if self.router is None and not self.deployments:
            raise ValueError("deployments: a model group needs at least one (or a router)")
        if self.router is not None and (self.deployments or self.fallbacks):
            raise ValueError(
                "router: a router group has no deployments or fallbacks of its own; "
                "its tiers have them"
            )
        return self

    @model_validator(mode="before")
    @classmethod
    def _default_ids(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("deployments"), list):
            for index, dep in enumerate(data["deployments"]):
                if isinstance(dep, dict) and not dep.get("id"):
                    dep["id"] = f"{data.get('name')}/{index}"
        return data


class RetrySettings(_Section):
    attempts: int = Field(default=3, ge=1, le=20)  # total tries per model group
    backoff_ms: float = Field(default=100.0, ge=0)
    max_backoff_ms: float = Field(default=5000.0, ge=0)


class TimeoutSettings(_Section):
    connect_s: PositiveFloat = 2.0
    first_token_s: PositiveFloat = 10.0
    idle_s: PositiveFloat = 30.0
    total_s: PositiveFloat = 600.0
    queue_s: float = Field(default=1.0, ge=0)  # bounded wait for a concurrency slot


class BreakerSettings(_Section):
    window_s: PositiveFloat = 30.0
    min_requests: int = Field(default=20, ge=1)
    failure_rate: float = Field(default=0.5, gt=0, le=1)
    cooldown_s: PositiveFloat = 15.0


class StoreSettings(_Section):
    hot: str = "memory"  # memory | redis://host:port/db
    durable: str = "sqlite:///seawall.db"  # sqlite:///path | postgresql://...
    # how often each replica reads the cache entries other replicas stored
    cache_sync_s: float = Field(default=1.0, gt=0, le=3600)


class TracingSettings(_Section):
    capture_content: bool = False  # prompt and answer text in traces
    max_age_h: float = Field(default=72.0, gt=0)
    max_traces: int = Field(default=100_000, ge=100)
    otlp_endpoint: str | None = None  # e.g. http://127.0.0.1:4318 (OTLP/HTTP, JSON)
    otlp_headers: dict[str, str] = {}


class MetricsSettings(_Section):
    public: bool = False


Role = Literal["user", "reviewer", "admin"]
StorePolicy = Literal["fail_open", "fail_closed"]
Tenant = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class BudgetSettings(_Section):
    usd: float = Field(gt=0)
    period: Literal["day", "month", "total"] = "month"


class KeySettings(_Section):
    """A key defined in the file. Keys made through the admin API live in the durable
    store instead."""

    key: str = Field(min_length=16, max_length=256, repr=False)
    # its id in usage, limits and the admin API (default: "cfg_" and a digest prefix)
    name: str = Field(default="", max_length=64, pattern=r"^[A-Za-z0-9_.-]*$")
    tenant: Tenant = "default"
    roles: list[Role] = ["user"]
    models: list[str] | None = None  # model groups it may call; None: all
    rpm: int | None = Field(default=None, ge=1, strict=True)
    tpm: int | None = Field(default=None, ge=1, strict=True)
    budget: BudgetSettings | None = None
    expires_at: datetime | None = None
    metadata: dict[str, Any] = {}
    guard: GuardOverride | None = None  # its own guard settings over the model group's


class TenantSettings(_Section):
    """Limits shared by all of a tenant's keys, and what to do when the shared store
    that counts them is unreachable."""

    name: Tenant
    rpm: int | None = Field(default=None, ge=1, strict=True)
    tpm: int | None = Field(default=None, ge=1, strict=True)
    budget: BudgetSettings | None = None
    on_store_failure: StorePolicy | None = None  # None: limits.on_store_failure


class AuthSettings(_Section):
    # HMAC key for stored key digests; unset: generated once and kept in the durable store
    secret: str | None = Field(default=None, min_length=16, repr=False)
    cache_s: float = Field(default=5.0, ge=0, le=300)  # a replica's copy of a key, at most
    # without admin_key and keys the gateway runs open; if the durable store holds API
    # keys, that is taken for a missing secret and start-up is refused unless this is set
    allow_open: bool = False


class LimitSettings(_Section):
    window_s: int = Field(default=60, ge=1, le=3600)  # what "per minute" means
    on_store_failure: StorePolicy = "fail_open"
    store_retry_s: float = Field(default=5.0, gt=0, le=300)  # after a store failure
    # budget counters are rebuilt from the ledger at least this often (which also drops
    # holds that a crashed replica never settled)
    rebuild_s: int = Field(default=900, ge=10, le=86400)
    ledger_flush_s: float = Field(default=0.5, gt=0, le=60)


class OutboundSettings(_Section):
    """Calls Seawall makes itself (intent webhooks): see outbound.py."""

    # networks outbound calls may reach although private, loopback or link-local
    allow_private: list[str] = []
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    max_response_bytes: int = Field(default=1 << 20, ge=1024, le=16 << 20)

    @model_validator(mode="after")
    def _networks(self) -> OutboundSettings:
        for index, network in enumerate(self.allow_private):
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(
                    f"allow_private[{index}]: '{network}' is not a network (10.0.0.0/8, ::1)"
                ) from None
        return self


class HandlerSettings(_Section):
    """How an intent is answered without a model: exactly one of the three."""

    webhook: str | None = Field(default=None, pattern=r"^https?://")  # POST, signed
    template: str | None = None  # $intent, $text substituted
    python: str | None = Field(default=None, pattern=r"^[\w.]+:[\w.]+$")  # "module:function"
    timeout_s: float | None = Field(default=None, gt=0, le=60)

    @model_validator(mode="after")
    def _one(self) -> HandlerSettings:
        given = [n for n in ("webhook", "template", "python") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("a handler needs exactly one of webhook, template, python")
        return self

    @property
    def kind(self) -> str:
        return next(n for n in ("webhook", "template", "python") if getattr(self, n) is not None)


class IntentSettings(_Section):
    """Intent routing: requests that clearly are a configured intent are labelled, and
    answered by the intent's handler when it has one (see README "Intent routing")."""

    examples_file: str = Field(min_length=1)  # {intents: {name: [utterances]}}
    # the share of in-scope requests given up to the model; null = the shipped 0.03
    threshold: float | None = Field(default=None, gt=0, lt=1)
    models: list[str] = []  # model groups routed; empty = every group
    handlers: dict[str, HandlerSettings] = {}
    signing_secret: str | None = Field(default=None, repr=False)  # Standard Webhooks key
    budget_ms: int = Field(default=300, ge=1, le=10_000)  # the embedding's time budget

    @model_validator(mode="after")
    def _secret(self) -> IntentSettings:
        _check_signing_secret(self.signing_secret)
        return self


def _check_signing_secret(secret: str | None) -> None:
    """A Standard Webhooks ``whsec_`` secret is base64 after its prefix."""
    if secret and secret.startswith("whsec_"):
        import base64
        import binascii

        try:
            base64.b64decode(secret[len("whsec_") :], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(
                "signing_secret: a whsec_ secret must be base64 after the prefix"
            ) from None


class WebhookSettings(_Section):
    """Deliveries of finished jobs to their webhook_url (README "Async jobs")."""

    # Standard Webhooks signing key (whsec_<base64> or plain text); null: unsigned
    signing_secret: str | None = Field(default=None, repr=False)
    attempts: int = Field(default=5, ge=1, le=50)  # tries per delivery
    backoff_s: float = Field(default=1.0, ge=0, le=3600)  # before the second, doubling
    max_backoff_s: float = Field(default=60.0, ge=0, le=86400)

    @model_validator(mode="after")
    def _secret(self) -> WebhookSettings:
        _check_signing_secret(self.signing_secret)
        return self


class JobSettings(_Section):
    """Async jobs (README "Async jobs")."""

    # jobs `seawall serve` runs at once (0: none; `seawall worker` processes run them)
    workers: int = Field(default=4, ge=0, le=1024)
    lease_s: float = Field(default=60.0, ge=1, le=86400)  # renewed every third of it
    poll_s: float = Field(default=0.5, gt=0, le=60)  # an idle worker looks this often
    expire_s: float = Field(default=86400.0, gt=0)  # queued this long unstarted: expired
    max_attempts: int = Field(default=3, ge=1, le=100)  # claims before a job is failed
    max_metadata_bytes: int = Field(default=16384, ge=0, le=1_048_576)


class Settings(_Section):
    server: ServerSettings = ServerSettings()
    models: list[GroupSettings] = Field(min_length=1)
    retry: RetrySettings = RetrySettings()
    timeouts: TimeoutSettings = TimeoutSettings()
    breaker: BreakerSettings = BreakerSettings()
    stores: StoreSettings = StoreSettings()
    tracing: TracingSettings = TracingSettings()
    metrics: MetricsSettings = MetricsSettings()
    admin_key: str | None = Field(default=None, min_length=16, repr=False)
    keys: list[KeySettings] = []
    tenants: list[TenantSettings] = []
    auth: AuthSettings = AuthSettings()
    limits: LimitSettings = LimitSettings()
    intents: IntentSettings | None = None
    outbound: OutboundSettings = OutboundSettings()
    jobs: JobSettings = JobSettings()
    webhooks: WebhookSettings = WebhookSettings()

    @model_validator(mode="before")
    @classmethod
    def _blank_admin_key(cls, data: Any) -> Any:
        # `admin_key: ${SEAWALL_ADMIN_KEY:-}` means "none unless the variable is set"
        if isinstance(data, dict) and data.get("admin_key") == "":
            data = {**data, "admin_key": None}
        return data

    @property
    def auth_enabled(self) -> bool:
        return bool(self.keys) or self.admin_key is not None

    @model_validator(mode="after")
    def _key_references(self) -> Settings:
        names = {group.name for group in self.models}
        secrets = [k.key for k in self.keys] + ([self.admin_key] if self.admin_key else [])
        if len(set(secrets)) != len(secrets):
            raise ValueError("keys: the same key is defined twice")
        named = [k.name for k in self.keys if k.name]
        if len(set(named)) != len(named):
            raise ValueError("keys: each key name may be used once (it is the key's id)")
        for index, key in enumerate(self.keys):
            if key.name == "admin" or re.match(r"^(key|cfg)_", key.name):
                raise ValueError(
                    f"keys[{index}].name: '{key.name}' is reserved (admin, key_..., cfg_...)"
                )
            for model in key.models or ():
                if model not in names:
                    raise ValueError(f"keys[{index}].models: unknown model group '{model}'")
            if key.guard is not None:
                from .guard.policy import check

                groups = {
                    g.name: g.guard
                    for g in self.models
                    if key.models is None or g.name in key.models
                }
                problem = check(key.guard.fields(), groups)
                if problem:
                    raise ValueError(f"keys[{index}].guard: {problem}")
        tenants = [t.name for t in self.tenants]
        if len(set(tenants)) != len(tenants):
            raise ValueError("tenants: each tenant may be listed once")
        for model in self.intents.models if self.intents else ():
            if model not in names:
                raise ValueError(f"intents.models: unknown model group '{model}'")
        return self

    @model_validator(mode="after")
    def _references(self) -> Settings:
        names = [group.name for group in self.models]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"model group names must be unique: {', '.join(dupes)}")
        ids = [dep.id for group in self.models for dep in group.deployments]
        dup_ids = sorted({i for i in ids if ids.count(i) > 1})
        if dup_ids:
            raise ValueError(f"deployment ids must be unique: {', '.join(dup_ids)}")
        routers = {g.name for g in self.models if g.router is not None}
        for index, group in enumerate(self.models):
            for name in group.fallbacks:
                if name not in names:
                    raise ValueError(f"models[{index}].fallbacks: unknown model group '{name}'")
                if name in routers:
                    raise ValueError(
                        f"models[{index}].fallbacks: '{name}' is a router; fall back to a tier"
                    )
            for name in group.router.tiers if group.router is not None else ():
                if name not in names:
                    raise ValueError(f"models[{index}].router.tiers: unknown model group '{name}'")
                if name in routers:
                    raise ValueError(
                        f"models[{index}].router.tiers: '{name}' is a router itself; "
                        "routers do not nest"
                    )
        return self

    def reachable(self, name: str) -> list[DeploymentSettings]:
        """Every deployment a request to this group could be served by: its own and its
        fallbacks', or for a router, its tiers' and their fallbacks'."""
        seen: set[str] = set()
        queue, found = [name], []
        while queue:
            group = self.group(queue.pop(0))
            if group is None or group.name in seen:
                continue
            seen.add(group.name)
            found += group.deployments
            queue += group.fallbacks + (group.router.tiers if group.router else [])
        return found

    def group(self, name: str) -> GroupSettings | None:
        for group in self.models:
            if group.name == name:
                return group
        return None


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def substitute(
    value: str, env: Mapping[str, str], where: str = "", missing: list[str] | None = None
) -> str:
    """Replace ``${VAR}`` and ``${VAR:-default}``. A missing variable without a default
    is an error that names it, or, given ``missing``, is noted there and left empty."""

    def replace(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env and (env[name] or default is None):
            return env[name]
        if default is not None:
            return default
        problem = f"environment variable {name} is not set and has no default"
        problem += f" (at {where})" if where else ""
        if missing is None:
            raise ConfigError(problem)
        missing.append(problem)
        return ""

    return _VAR.sub(replace, value)


def _substitute_tree(node: Any, env: Mapping[str, str], path: str, missing: list[str]) -> Any:
    if isinstance(node, str):
        return substitute(node, env, path, missing)
    if isinstance(node, list):
        return [_substitute_tree(v, env, f"{path}[{i}]", missing) for i, v in enumerate(node)]
    if isinstance(node, dict):
        return {
            k: _substitute_tree(v, env, f"{path}.{k}" if path else str(k), missing)
            for k, v in node.items()
        }
    return node


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, _KNOWN_KEYS, n=1, cutoff=0.75)
        return "unknown key" + (f" (did you mean '{close[0]}'?)" if close else "")
    return str(error["msg"])


def _line(error: Any) -> str:
    """``path: message``; a check across fields names its own path in the message."""
    message = _message(error)
    if error["type"] == "value_error":
        message = message.removeprefix("Value error, ")
        if not error["loc"] and re.match(r"^[\w.\[\]]+: ", message):
            return message
    return f"{_error_path(error['loc'])}: {message}"


def _error_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"


def parse(data: Any, env: Mapping[str, str] | None = None) -> Settings:
    """Validate an already-parsed YAML document."""
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping of sections")
    missing: list[str] = []
    env = os.environ if env is None else env
    data = _substitute_tree(data, env, "", missing)
    if "admin_key" not in data and env.get(ADMIN_KEY_ENV):
        data["admin_key"] = env[ADMIN_KEY_ENV]
    if missing:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(missing))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = [_line(e) for e in exc.errors()]
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines)) from None


def _keys(model: type[BaseModel]) -> set[str]:
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for kind in (field.annotation, *getattr(field.annotation, "__args__", ())):
            inner = getattr(kind, "__args__", (kind,))
            for candidate in (kind, *inner):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    names |= _keys(candidate)
    return names


_KNOWN_KEYS = sorted(_keys(Settings))


def load(path: str | Path, env: Mapping[str, str] | None = None) -> Settings:
    """Read, substitute and validate a YAML configuration file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read configuration {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    intents = data.get("intents") if isinstance(data, dict) else None
    if isinstance(intents, dict) and isinstance(intents.get("examples_file"), str):
        # a relative examples file is read beside the configuration, not the working dir
        where = Path(path).parent / intents["examples_file"]
        if not Path(intents["examples_file"]).is_absolute() and "${" not in str(where):
            data["intents"] = {**intents, "examples_file": str(where)}
    return parse(data, env)


def metrics_directory() -> str | None:
    """Where worker processes share their metrics (set by ``seawall serve --workers``)."""
    return os.environ.get(METRICS_ENV) or None


def load_from_environment() -> Settings:
    """For worker processes started by ``seawall serve --workers N``."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        raise ConfigError(f"{CONFIG_ENV} is not set")
    return load(path)
