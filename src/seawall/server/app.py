"""The HTTP surface (CONTRACT.md, "HTTP") as one ASGI application.

Handlers are thin: parse, call the gateway, write. Request ids, trace headers, the
key check and error rendering live once, in :meth:`SeawallApp._http`. Each route names
the role it needs (None: no key at all).

    app = SeawallApp(Gateway(config.load("seawall.yaml")))
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Awaitable, Callable

import orjson

from .. import config as config_module
from ..auth.keys import ANONYMOUS, Principal
from ..cache.store import Selector
from ..errors import (
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    ModelNotFound,
    NotFound,
    Overloaded,
    SeawallError,
    StreamBroken,
)
from ..gateway import Gateway
from ..pipeline import Context
from ..resilience.dispatch import NullObserver
from ..sse import DONE_EVENT, encode_error
from ..stores.base import TraceRecord
from ..trace.metrics import Metrics
from ..trace.tracer import Trace
from ..types import ChunkStream, Completion, StreamAccumulator, Usage
from .admin import AdminKeys
from .asgi import (
    ClientGone,
    DisconnectWatch,
    Exchange,
    Headers,
    Receive,
    Scope,
    Send,
    encode_headers,
    header_map,
    read_body,
    send_bytes,
    send_error,
    send_json,
)
from .jobs import JobsApi
from .parse import chat_request, embedding_request, iso_time, page_limit, query_params
from .reviews import ReviewsApi
from .ui import ReviewPage
from .usage import UsageApi

log = logging.getLogger("seawall.server")

Handler = Callable[[Exchange], Awaitable[None]]
Route = tuple[Handler, str | None]  # the handler and the role it needs (None: public)

_SSE_HEADERS: Headers = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]


class SeawallApp:
    """``own_process``: the app runs its own server process (``seawall serve``), so it
    may tune process-wide settings such as the garbage collector."""

    def __init__(self, gateway: Gateway, *, own_process: bool = False) -> None:
        self.gateway = gateway
        self._own_process = own_process
        server = gateway.settings.server
        self._limit = int(server.max_body_mb * 1024 * 1024)
        self._max_inflight = server.max_inflight
        self._capture = gateway.settings.tracing.capture_content
        self.inflight = 0
        admin = AdminKeys(
            gateway.keys, {g.name: g.guard for g in gateway.settings.models}, self._limit
        )
        usage = UsageApi(gateway.settings, gateway.accounts, gateway.admission, gateway.clock)
        reviews = ReviewsApi(gateway.jobs, gateway.clock, self._limit, gateway.webhooks)
        page = ReviewPage(gateway.keys, reviews, self._limit)
        jobs = JobsApi(
            gateway.jobs,
            gateway.models,
            gateway.settings.jobs,
            gateway.clock,
            self._limit,
            gateway.job_workers.wake,
        )
        user, public = "user", None
        # metrics span every tenant (spend included): operators only, unless made public
        # (or the gateway runs open, where every route is)
        settings = gateway.settings
        open_metrics = settings.metrics.public or not settings.auth_enabled
        metrics_role = public if open_metrics else "admin"
        self._routes: dict[str, dict[str, Route]] = {
            "/v1/chat/completions": {"POST": (self._chat, user)},
            "/chat/completions": {"POST": (self._chat, user)},
            "/v1/embeddings": {"POST": (self._embeddings, user)},
            "/embeddings": {"POST": (self._embeddings, user)},
            "/v1/models": {"GET": (self._models, user)},
            "/healthz": {"GET": (self._healthz, public)},
            "/readyz": {"GET": (self._readyz, public)},
            "/metrics": {"GET": (self._metrics, metrics_role)},
            "/v1/traces": {"GET": (self._traces, user)},
            "/v1/usage": {"GET": (usage, user)},
            "/admin/keys": {
                "GET": (admin.collection, "admin"),
                "POST": (admin.collection, "admin"),
            },
            "/admin/cache": {"DELETE": (self._cache_delete, "admin")},
            "/v1/jobs": {"POST": (jobs.create, user)},
            "/v1/reviews": {"GET": (reviews.collection, "reviewer")},
            # pages for people: a session cookie, not a bearer key (server/ui.py)
            "/ui/login": {"GET": (page.login_form, public), "POST": (page.login, public)},
            "/ui/logout": {"POST": (page.logout, public)},
            "/ui/reviews": {"GET": (page.listing, public)},
        }
        any_method: dict[str, Route] = dict.fromkeys(
            ("GET", "POST", "PATCH", "DELETE"), (admin.item, "admin")
        )
        self._prefixes: list[tuple[str, dict[str, Route]]] = [
            ("/v1/traces/", {"GET": (self._trace, user)}),
            ("/v1/models/", {"GET": (self._model, user)}),
            ("/v1/jobs/", {"GET": (jobs.item, user), "DELETE": (jobs.item, user)}),
            ("/ui/reviews/", {"POST": (page.decide, public)}),
            (
                "/v1/reviews/",
                {"GET": (reviews.item, "reviewer"), "POST": (reviews.item, "reviewer")},
            ),
            ("/admin/keys/", any_method),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = header_map(scope)
        request_id = headers.get("x-request-id") or os.urandom(12).hex()
        trace = Trace.start(request_id[:128], headers.get("traceparent"))
        base: Headers = [
            (b"x-seawall-trace-id", trace.trace_id.encode()),
            (b"x-request-id", trace.request_id.encode("latin-1")),
            (b"traceparent", trace.traceparent().encode()),
        ]
        try:
            handler, role = self._handler(scope["path"], scope["method"])
            principal = ANONYMOUS
            if role is not None:
                principal = await self._authorize(headers, role)
                trace.tenant = principal.tenant
            await handler(Exchange(scope, receive, send, headers, trace, base, principal))
        except SeawallError as exc:
            await send_error(send, exc, base)
        except ClientGone:
            return
        except Exception:
            log.exception("unexpected error serving %s %s", scope["method"], scope["path"])
            await send_error(send, SeawallError("internal error; see the gateway log"), base)

    async def _authorize(self, headers: dict[str, str], role: str) -> Principal:
        keys = self.gateway.keys
        principal = await keys.authenticate(headers.get("authorization"))
        if role == "admin" and not keys.enabled:
            raise Forbidden(
                "the admin API is off while the gateway runs without keys; set admin_key"
            )
        if not principal.has(role):
            raise Forbidden(f"this key lacks the '{role}' role")
        return principal

    def _handler(self, path: str, method: str) -> Route:
        methods = self._routes.get(path)
        if methods is None:
            for prefix, candidates in self._prefixes:
                if path.startswith(prefix) and len(path) > len(prefix):
                    methods = candidates
                    break
        if methods is None:
            raise NotFound(f"no route {path}")
        handler = methods.get(method)
        if handler is None:
            raise MethodNotAllowed(f"{method} is not allowed on {path}")
        return handler

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.gateway.start()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                if self._own_process:
                    _settle_garbage_collector(self.gateway.settings.server.gc_young)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.gateway.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # chat completions

    async def _chat(self, x: Exchange) -> None:
        trace = x.trace
        outcome = _Outcome()
        body: bytes | None = None
        ctx: Context | None = None
        try:
            if self.inflight >= self._max_inflight:
                raise Overloaded("the gateway is at its in-flight request limit", retry_after=1)
            body = await read_body(x.receive, x.headers, self._limit)
            request = chat_request(body)
            trace.stream = request.stream
            if request.model not in self.gateway.models:
                raise ModelNotFound(
                    f"model '{request.model}' does not exist; GET /v1/models lists them",
                    param="model",
                )
            _check_model(x.principal, request.model)
            trace.model = request.model
            ctx = Context(request, trace, x.headers, {"traceparent": trace.traceparent()})
            ctx.principal, ctx.tenant = x.principal, x.principal.tenant
            await self._dispatch_chat(x, ctx, outcome)
        except SeawallError as exc:
            outcome.status, trace.error = exc.status, exc.message
            await send_error(x.send, exc, x.base)
        finally:
            if ctx is not None and outcome.status == 200:
                for done in ctx.on_success:
                    done()
            if ctx is not None and ctx.pii:  # traces keep no sensitive value
                outcome.text = None
                # redacted: as it went upstream; flagged or blocked: no text at all
                body = orjson.dumps(ctx.request.body) if ctx.pii == "redacted" else None
            self._record(trace, outcome, body if self._capture else None)

    async def _dispatch_chat(self, x: Exchange, ctx: Context, outcome: _Outcome) -> None:
        self.inflight += 1
        self.gateway.metrics.inflight.inc()
        watch = DisconnectWatch(x.receive)
        try:
            result = await self.gateway.chat(ctx)
            if isinstance(result, ChunkStream):
                await self._stream(x, ctx, result, watch, outcome)
                return
            watch.stop()
            outcome.done(200, result.deployment, result.usage)
            extra = [*x.base, (b"x-seawall-deployment", result.deployment.encode())]
            extra += encode_headers(ctx.response_headers)
            await send_bytes(x.send, 200, result.encoded(), b"application/json", extra)
            if self._capture:
                outcome.text = _completion_text(result)
        except asyncio.CancelledError:
            if not watch.fired:
                raise
            _uncancel()
            outcome.status, ctx.trace.error = 499, "client disconnected"
        finally:
            watch.stop()
            self.inflight -= 1
            self.gateway.metrics.inflight.dec()

    async def _stream(
        self,
        x: Exchange,
        ctx: Context,
        stream: ChunkStream,
        watch: DisconnectWatch,
        outcome: _Outcome,
    ) -> None:
        send, trace = x.send, ctx.trace
        trace.ttft_ms = trace.now_ms()
        self.gateway.metrics.first_token(ctx.request.model, trace.ttft_ms / 1000)
        outcome.done(200, stream.deployment, None)
        headers = [*_SSE_HEADERS, *x.base, (b"x-seawall-deployment", stream.deployment.encode())]
        headers += encode_headers(ctx.response_headers)
        keep_usage = ctx.request.include_usage
        captured = StreamAccumulator() if self._capture else None
        try:  # from here on the stream is closed whatever happens (its slot, its hold)
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            async for chunk in stream:
                data = chunk.data
                if data.get("usage"):
                    outcome.usage = Usage.from_json(data["usage"])
                    if not keep_usage and chunk.is_usage_only:
                        continue
                if captured is not None:
                    captured.add(chunk)
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"data: " + chunk.encoded() + b"\n\n",
                        "more_body": True,
                    }
                )
        except StreamBroken as exc:
            watch.stop()
            outcome.status, trace.error = exc.status, exc.message
            await send(
                {"type": "http.response.body", "body": encode_error(exc.body()), "more_body": False}
            )
            return
        finally:
            await stream.close()
            if captured is not None:
                outcome.text = captured.content
        watch.stop()
        await send({"type": "http.response.body", "body": DONE_EVENT, "more_body": False})

    def _record(self, trace: Trace, outcome: _Outcome, body: bytes | None) -> None:
        metrics = self.gateway.metrics
        model = trace.model or "-"  # "-": refused before a known model group was named
        metrics.request(model, outcome.deployment or "-", outcome.status, trace.now_ms() / 1000)
        usage = outcome.usage or Usage()
        if outcome.deployment:
            metrics.tokens(model, outcome.deployment, usage.prompt_tokens, usage.completion_tokens)
        trace.deployment = outcome.deployment
        if outcome.status >= 500:
            log.warning(
                "%s -> %d (trace %s): %s", model, outcome.status, trace.trace_id, trace.error
            )
        self.gateway.record(
            trace.record(
                outcome.status, usage.prompt_tokens, usage.completion_tokens, body, outcome.text
            )
        )

    async def _cache_delete(self, x: Exchange) -> None:
        """``DELETE /admin/cache?tenant=&key=&model=&namespace=``: the entries that match
        every filter given (no filter: all) on this replica's cache."""
        params = query_params(x.scope)
        unknown = sorted(set(params) - {"tenant", "key", "model", "namespace"})
        if unknown:
            raise BadRequest(f"unknown filter {unknown[0]}; use tenant, key, model, namespace")
        model = params.get("model")
        if model is not None and model not in self.gateway.models:
            raise ModelNotFound(f"model '{model}' does not exist", param="model")
        selector = Selector(
            tenant=params.get("tenant"),
            key_id=params.get("key"),
            group=model,
            namespace=params.get("namespace"),
        )
        deleted = await self.gateway.cache.delete(selector)
        await send_json(x.send, 200, {"deleted": deleted}, x.base)

    # embeddings

    async def _embeddings(self, x: Exchange) -> None:
        receive, trace = x.receive, x.trace
        body = await read_body(receive, x.headers, self._limit)
        request = embedding_request(body)
        trace.model = request.model
        if request.model not in self.gateway.models:
            raise ModelNotFound(f"model '{request.model}' does not exist", param="model")
        _check_model(x.principal, request.model)
        if request.model not in self.gateway.groups:
            raise BadRequest(
                f"model '{request.model}' is a router for chat completions; send embeddings "
                "to a model group with deployments",
                param="model",
            )
        request.body, internal_only = await self.gateway.input_guard.screen_embedding(
            request.model, request.body, trace, x.principal.guard
        )
        admission = self.gateway.admission
        ticket = await admission.admit_embedding(x.principal, request)
        outcome = _Outcome()
        watch = DisconnectWatch(receive)
        call = self.gateway.dispatcher.call(
            request.model, {"traceparent": trace.traceparent()}, NullObserver()
        )
        call.internal_only = internal_only
        try:
            deployment, data = await self.gateway.dispatcher.embed(call, request)
            watch.stop()
            outcome.done(200, deployment, Usage.from_json(data.get("usage")))
            extra = [*x.base, (b"x-seawall-deployment", deployment.encode())]
            extra += encode_headers(ticket.headers)
            await send_json(x.send, 200, data, extra)
        except asyncio.CancelledError:
            if not watch.fired:
                raise
            _uncancel()
            outcome.status = 499
        except SeawallError as exc:
            outcome.status, trace.error = exc.status, exc.message
            raise
        finally:
            watch.stop()
            admission.settle_later(ticket, outcome.usage, outcome.deployment, "")
            self._record(trace, outcome, None)

    # reading

    async def _models(self, x: Exchange) -> None:
        allowed = x.principal.may_use
        data = [_model_json(name) for name in self.gateway.models if allowed(name)]
        await x.json(200, {"object": "list", "data": data})

    async def _model(self, x: Exchange) -> None:
        name = x.scope["path"][len("/v1/models/") :]
        if name not in self.gateway.models or not x.principal.may_use(name):
            raise ModelNotFound(f"model '{name}' does not exist", param="model")
        await x.json(200, _model_json(name))

    async def _healthz(self, x: Exchange) -> None:
        await x.json(200, {"status": "ok"})

    async def _readyz(self, x: Exchange) -> None:
        serving, degraded = self.gateway.readiness()
        status = "ok" if not degraded else "degraded"
        if not serving:
            status = "unavailable"
        body: dict[str, object] = {"status": status, "degraded": degraded}
        warnings = []
        if not self.gateway.keys.enabled:
            warnings.append("authentication is off: no keys are configured, anyone may call")
        if self.gateway.injection_guard.problem:
            warnings.append(
                f"injection screen on stage one alone: {self.gateway.injection_guard.problem}"
            )
        if warnings:
            body["warnings"] = warnings
        await x.json(200 if serving else 503, body)

    async def _metrics(self, x: Exchange) -> None:
        body = self.gateway.metrics.render()
        await send_bytes(x.send, 200, body, b"text/plain; version=0.0.4; charset=utf-8", x.base)

    async def _traces(self, x: Exchange) -> None:
        query = query_params(x.scope)
        limit = page_limit(query.get("limit"))
        cursor = query.get("cursor")
        if cursor is not None and not cursor.isdigit():
            raise BadRequest("'cursor' must come from a previous page", param="cursor")
        page, next_cursor = await self.gateway.traces.recent(_scope(x.principal), limit, cursor)
        data = [_trace_json(t) for t in page]
        await x.json(200, {"object": "list", "data": data, "next_cursor": next_cursor})

    async def _trace(self, x: Exchange) -> None:
        trace_id = x.scope["path"][len("/v1/traces/") :]
        found = await self.gateway.traces.get(trace_id, _scope(x.principal))
        if found is None:
            raise NotFound(f"no trace {trace_id}")
        await x.json(200, _trace_json(found))


class _Outcome:
    __slots__ = ("deployment", "status", "text", "usage")

    def __init__(self) -> None:
        self.status = 500
        self.deployment = ""
        self.usage: Usage | None = None
        self.text: str | None = None

    def done(self, status: int, deployment: str, usage: Usage | None) -> None:
        self.status, self.deployment, self.usage = status, deployment, usage


def _settle_garbage_collector(young: int) -> None:
    """Move everything alive after start-up (modules, settings, pools) out of the
    collector's reach, and collect the young generation every ``young`` allocations
    (``server.gc_young``): the request path creates mostly acyclic garbage that
    reference counting frees anyway. Fewer, larger young collections cost less CPU;
    more, smaller ones shorten the pauses that make the p99."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, 20, 20)


def _uncancel() -> None:
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


def _model_json(name: str) -> dict[str, object]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "seawall"}


def _completion_text(result: Completion) -> str:
    choices = result.data.get("choices") or [{}]
    message = choices[0].get("message") or {} if isinstance(choices[0], dict) else {}
    content = message.get("content")
    return content if isinstance(content, str) else orjson.dumps(message).decode()


def _check_model(principal: Principal, model: str) -> None:
    if not principal.may_use(model):
        raise Forbidden(f"this key may not use model '{model}'", param="model")


def _scope(principal: Principal) -> str | None:
    """Whose traces a caller may read: its own tenant's, or every tenant's for admins."""
    return None if principal.sees_all_tenants else principal.tenant


def _trace_json(t: TraceRecord) -> dict[str, object]:
    return {
        "id": t.trace_id,
        "object": "trace",
        "request_id": t.request_id,
        "tenant": t.tenant,
        "started_at": iso_time(t.started_at),
        "model": t.model,
        "deployment": t.deployment or None,
        "status": t.status,
        "duration_ms": round(t.duration_ms, 3),
        "ttft_ms": None if t.ttft_ms is None else round(t.ttft_ms, 3),
        "stream": t.stream,
        "usage": {"prompt_tokens": t.prompt_tokens, "completion_tokens": t.completion_tokens},
        "error": t.error,
        "spans": [
            {
                "name": s[0],
                "start_ms": round(s[1], 3),
                "duration_ms": round(s[2], 3),
                "status": s[3],
                "attributes": dict(s[4]),
            }
            for s in t.spans
        ],
        "request": None if t.request is None else t.request.decode("utf-8", "replace"),
        "response": t.response,
    }


def app_from_environment() -> SeawallApp:
    """The app factory for worker processes (``seawall serve --workers N``)."""
    multiprocess = config_module.metrics_directory() is not None
    gateway = Gateway(config_module.load_from_environment(), metrics=Metrics(multiprocess))
    return SeawallApp(gateway, own_process=True)
