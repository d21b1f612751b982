"""Seawall's keys-and-limits benchmark: what API keys, rate limits and budgets cost per
request, and whether two replicas sharing Redis admit exactly a key's requests per
minute under a burst.

    python bench/limits.py [--json] [--redis URL] [--iterations N] [--requests N]

It measures, on a ``simulated`` model group that answers at once:

1. in process: ``KeyRing.authenticate`` and ``Admission.admit`` + ``settle`` on a
   started ``Gateway``, one call at a time (memory and Redis hot stores);
2. over HTTP: ``seawall serve`` driven with sequential keep-alive requests, open (no
   keys), with a limited key on the memory hot store, and on Redis;
3. a burst: two ``seawall serve`` replicas sharing Redis and one SQLite file, a key
   limited to ``rpm``, all requests fired at once and split evenly between them.

Progress goes to stderr, the table (or one JSON object with --json) to stdout. The exit
status is 0 when all was measured and every burst admitted exactly ``rpm``, 4 when a
burst did not (the table says how, with what the replicas logged), 1 when something
could not be measured (a ``note`` line says why), 3 past the time budget, 130 on
Ctrl-C; the work folder (configs, logs) is kept and named unless the status is 0. Key and
deployment names carry a run id, so old Redis counters never interfere; this run's
Redis keys are deleted at the end and nothing else in Redis is touched. Everything
listens on 127.0.0.1; every child process is stopped on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import redis
import redis.asyncio as aioredis
import uvloop
import yaml
from procs import Children, Layout, choose_layout, free_port
from ttft import percentile

from seawall.config import parse
from seawall.gateway import Gateway
from seawall.types import ChatRequest, Usage

MODEL = "sim"
CHAT_PATH = "/v1/chat/completions"
BODY: dict[str, Any] = {
    "model": MODEL,
    "messages": [{"role": "user", "content": "Say something short about foxes."}],
    "max_tokens": 16,
}
BODY_BYTES = json.dumps(BODY).encode()
USAGE = Usage(20, 10, 30)
HIGH = 1_000_000_000  # rpm and tpm that nothing in this run comes near
BUDGET = {"usd": 1_000_000.0, "period": "day"}
PRICE = {"input": 1.0, "output": 2.0}  # USD per million tokens: budgets hold real sums
TIME_BUDGET_S = 300  # SIGALRM: the whole run, with room to spare


@dataclass(frozen=True, slots=True)
class Options:
    redis_url: str
    iterations: int
    requests: int
    warmup: int
    burst: int
    rpm: int
    bursts: int
    as_json: bool
    keep_logs: bool


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    parser.add_argument("--iterations", type=int, default=20_000, help="in-process calls timed")
    parser.add_argument("--requests", type=int, default=2000, help="sequential HTTP requests")
    parser.add_argument("--warmup", type=int, default=200, help="HTTP requests not counted")
    parser.add_argument("--burst", type=int, default=300, help="requests fired at once")
    parser.add_argument("--rpm", type=int, default=100, help="the burst key's rpm")
    parser.add_argument("--bursts", type=int, default=3, help="bursts, one fresh key each")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the work folder even when all went well"
    )
    args = parser.parse_args(argv)
    return Options(
        redis_url=args.redis,
        iterations=args.iterations,
        requests=args.requests,
        warmup=args.warmup,
        burst=args.burst,
        rpm=args.rpm,
        bursts=args.bursts,
        as_json=args.json,
        keep_logs=args.keep_logs,
    )


def log(message: str) -> None:
    print(f"[limits] {message}", file=sys.stderr, flush=True)


# figures


@dataclass(frozen=True, slots=True)
class Stat:
    """Percentiles of one timed step, in microseconds."""

    p50_us: float
    p99_us: float
    mean_us: float
    n: int

    @classmethod
    def of(cls, samples_ns: Sequence[int]) -> Stat:
        us = [s / 1000 for s in samples_ns]
        mean = sum(us) / len(us) if us else float("nan")
        return cls(percentile(us, 50), percentile(us, 99), mean, len(us))


@dataclass(slots=True)
class HttpTarget:
    key: str  # open | memory | redis
    name: str
    latency: Stat | None = None
    failed: int = 0


@dataclass(slots=True)
class Burst:
    index: int
    key: str
    sent: int
    rpm: int
    admitted: int = 0
    refused: int = 0
    other: dict[str, int] = field(default_factory=dict)  # status (or error) -> count
    duration_ms: float = 0.0
    per_replica: list[int] = field(default_factory=list)  # admitted by each replica

    @property
    def over(self) -> int:
        return max(0, self.admitted - self.rpm)

    @property
    def under(self) -> int:
        return max(0, min(self.rpm, self.sent) - self.admitted)


@dataclass(slots=True)
class Results:
    run_id: str
    cores: str
    in_process: dict[str, Stat] = field(default_factory=dict)
    http: list[HttpTarget] = field(default_factory=list)
    bursts: list[Burst] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be measured
    warnings: list[str] = field(default_factory=list)  # measured, and not as it should be


# configuration


class Run:
    """Names unique to this run: keys, deployment, secrets."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex[:10]
        self.deployment = f"sim-{self.id}"

    def name(self, role: str) -> str:
        return f"bench-{self.id}-{role}"

    def secret(self, role: str) -> str:
        return f"sk-bench-{self.id}-{role}"

    def key(self, role: str, **limits: Any) -> dict[str, Any]:
        return {"key": self.secret(role), "name": self.name(role), "tenant": "t", **limits}

    def limited(self, role: str) -> dict[str, Any]:
        return self.key(role, rpm=HIGH, tpm=HIGH, budget=BUDGET)

    def config(self, hot: str, durable: Path, keys: list[dict[str, Any]]) -> dict[str, Any]:
        deployment = {
            "id": self.deployment,
            "provider": "simulated",
            "model": "m",
            "max_concurrency": 4096,
            "price": PRICE,
        }
        return {
            "server": {"host": "127.0.0.1"},
            "models": [{"name": MODEL, "deployments": [deployment]}],
            "stores": {"hot": hot, "durable": f"sqlite:///{durable}"},
            "keys": keys,
        }


# 1. in process


async def measure_in_process(
    options: Options, run: Run, workdir: Path, use_redis: bool
) -> dict[str, Stat]:
    out: dict[str, Stat] = {}
    keys = [run.limited("limited"), run.key("unlimited")]
    n = options.iterations
    gateway = await _started(run.config("memory", workdir / "b.db", keys))
    try:
        log(f"in process: authenticate, config key, {n} calls")
        out["auth_config"] = await _time_auth(gateway, run.secret("limited"), n)
        _, api_key = await gateway.keys.create(
            {"tenant": "t", "rpm": HIGH, "tpm": HIGH, "budget_usd": 1e6, "budget_period": "day"}
        )
        log(f"in process: authenticate, API-made key, {n} calls")
        out["auth_api"] = await _time_auth(gateway, api_key, n)
        log(f"in process: admit+settle, key without limits, {n} calls")
        out.update(_prefixed("none", await _time_admission(gateway, run.secret("unlimited"), n)))
        log(f"in process: counting the prompt's tokens, {n} calls")
        out["count_prompt"] = _time_count(gateway, n)
        log(f"in process: admit+settle, memory hot store, {n} calls")
        out.update(_prefixed("memory", await _time_admission(gateway, run.secret("limited"), n)))
    finally:
        await gateway.close()
    if not use_redis:
        return out
    log(f"in process: Redis PING round trip, {n} calls")
    out["redis_ping"] = await _time_ping(options.redis_url, n)
    redis_keys = [run.limited("limited-redis")]
    gateway = await _started(run.config(options.redis_url, workdir / "b.db", redis_keys))
    try:
        log(f"in process: admit+settle, Redis hot store, {n} calls")
        secret = run.secret("limited-redis")
        out.update(_prefixed("redis", await _time_admission(gateway, secret, n)))
    finally:
        await gateway.close()
    return out


async def _started(config: dict[str, Any]) -> Gateway:
    gateway = Gateway(parse(config, env={}))
    await gateway.start()
    for _ in range(200):  # exact token counting loads in the background: up to 10 s
        if gateway.tokens.exact:
            break
        await asyncio.sleep(0.05)
    return gateway


async def _time_auth(gateway: Gateway, secret: str, n: int) -> Stat:
    header = f"Bearer {secret}"
    authenticate = gateway.keys.authenticate
    samples = []
    for i in range(n + n // 10):
        start = time.perf_counter_ns()
        await authenticate(header)
        elapsed = time.perf_counter_ns() - start
        if i >= n // 10:
            samples.append(elapsed)
        await asyncio.sleep(0)  # let background tasks run, as between requests in a server
    return Stat.of(samples)


async def _time_admission(gateway: Gateway, secret: str, n: int) -> dict[str, Stat]:
    """authenticate, admit and settle, each timed; the first n/10 rounds not counted."""
    header = f"Bearer {secret}"
    admission, keys = gateway.admission, gateway.keys
    auth, admit, settle = [], [], []
    for i in range(n + n // 10):
        request = ChatRequest(dict(BODY), MODEL)
        t0 = time.perf_counter_ns()
        principal = await keys.authenticate(header)
        t1 = time.perf_counter_ns()
        ticket = await admission.admit(principal, request)
        t2 = time.perf_counter_ns()
        await admission.settle(ticket, USAGE, gateway.settings.models[0].deployments[0].id, "")
        t3 = time.perf_counter_ns()
        if i >= n // 10:
            auth.append(t1 - t0)
            admit.append(t2 - t1)
            settle.append(t3 - t2)
        await asyncio.sleep(0)
    return {
        "admit": Stat.of(admit),
        "settle": Stat.of(settle),
        "admit_settle": Stat.of([a + s for a, s in zip(admit, settle, strict=True)]),
        "all": Stat.of([u + a + s for u, a, s in zip(auth, admit, settle, strict=True)]),
    }


def _time_count(gateway: Gateway, n: int) -> Stat:
    """What admission spends counting the prompt when a key has tpm or a budget."""
    count, samples = gateway.tokens.messages, []
    for i in range(n + n // 10):
        start = time.perf_counter_ns()
        count(BODY)
        if i >= n // 10:
            samples.append(time.perf_counter_ns() - start)
    return Stat.of(samples)


async def _time_ping(url: str, n: int) -> Stat:
    """One Redis round trip through redis-py's asyncio client, for scale."""
    client = aioredis.Redis.from_url(url)
    samples = []
    try:
        for i in range(n + n // 10):
            start = time.perf_counter_ns()
            await client.ping()
            if i >= n // 10:
                samples.append(time.perf_counter_ns() - start)
    finally:
        await client.aclose()
    return Stat.of(samples)


def _prefixed(prefix: str, stats: dict[str, Stat]) -> dict[str, Stat]:
    return {f"{prefix}_{name}": stat for name, stat in stats.items()}


# processes


def _seawall() -> str:
    beside = Path(sys.executable).parent / "seawall"  # skips version-manager shims
    command = str(beside) if beside.exists() else shutil.which("seawall")
    if command is None:
        raise RuntimeError("`seawall` is not installed: pip install -e .")
    return command


def start_seawall(
    children: Children, config: dict[str, Any], name: str, workdir: Path, cpu: int | None
) -> tuple[subprocess.Popen[bytes], int]:
    path = workdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    port = free_port()
    argv = [_seawall(), "serve", "--config", str(path), "--port", str(port)]
    proc = children.spawn(argv, cpu=cpu, log=workdir / f"{name}.log")
    if not _wait_healthy(port, proc, 30.0):
        children.stop(proc)
        tail = (workdir / f"{name}.log").read_text(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{name} did not answer /healthz; log tail: " + " | ".join(tail))
    log(f"{name}: serving on 127.0.0.1:{port}, pid {proc.pid}")
    return proc, port


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return True
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    return False


# 2. over HTTP


def measure_http(
    options: Options,
    run: Run,
    workdir: Path,
    children: Children,
    layout: Layout,
    use_redis: bool,
) -> list[HttpTarget]:
    key = f"Bearer {run.secret('http')}"  # sent to the open gateway too: same bytes
    targets = [
        (HttpTarget("open", "open"), "memory", []),
        (HttpTarget("memory", "key, memory"), "memory", [run.limited("http")]),
    ]
    if use_redis:
        targets.append(
            (HttpTarget("redis", "key, Redis"), options.redis_url, [run.limited("http")])
        )
    for target, hot, keys in targets:
        name = f"http-{target.key}"
        config = run.config(hot, workdir / f"{name}.db", keys)
        proc, port = start_seawall(children, config, name, workdir, layout.gateway)
        time.sleep(1.0)  # the token table loads in a thread at start-up (~0.3 s): not measured
        try:
            total = options.warmup + options.requests
            log(f"{target.name}: {total} sequential requests ({options.warmup} warm-up)")
            samples, target.failed = _sequential(port, key, options.warmup, options.requests)
            target.latency = Stat.of(samples)
        finally:
            children.stop(proc)
    return [t for t, _, _ in targets]


def _sequential(port: int, authorization: str, warmup: int, count: int) -> tuple[list[int], int]:
    """Requests one after another on one keep-alive connection: (timings of the 200s
    after the warm-up, in ns; answers that were not 200)."""
    headers = {"Content-Type": "application/json", "Authorization": authorization}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    samples, failed = [], 0
    try:
        for i in range(warmup + count):
            start = time.perf_counter_ns()
            conn.request("POST", CHAT_PATH, body=BODY_BYTES, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter_ns() - start
            if response.status != 200:
                failed += 1
            elif i >= warmup:
                samples.append(elapsed)
    finally:
        conn.close()
    if not samples:
        raise RuntimeError(f"no request answered 200 ({failed} failed)")
    return samples, failed


# 3. two replicas, one burst per key


def measure_bursts(
    options: Options, run: Run, workdir: Path, children: Children, warnings: list[str]
) -> list[Burst]:
    roles = [f"burst{i + 1}" for i in range(options.bursts)]
    keys = [run.key(role, rpm=options.rpm) for role in roles]
    config = run.config(options.redis_url, workdir / "burst.db", keys)
    replicas = ("replica-a", "replica-b")
    procs, ports = [], []
    try:
        for replica in replicas:  # one at a time: the first creates the SQLite schema
            proc, port = start_seawall(children, config, replica, workdir, None)
            procs.append(proc)
            ports.append(port)
        secrets = [(run.name(role), run.secret(role)) for role in roles]
        return uvloop.run(_bursts(ports, secrets, options, warnings))
    finally:
        for proc in procs:
            children.stop(proc)
        warnings.extend(_errors_logged([workdir / f"{r}.log" for r in replicas]))


async def _bursts(
    ports: list[int], secrets: list[tuple[str, str]], options: Options, warnings: list[str]
) -> list[Burst]:
    """One client per connection, each connection opened before the bursts: a single
    httpx client with hundreds of requests in flight spends seconds in its own pool
    bookkeeping, which spreads the "burst" over seconds and hides what it is for."""
    clients = [
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{ports[i % len(ports)]}",
            limits=httpx.Limits(max_connections=1),
            timeout=30.0,
            trust_env=False,
        )
        for i in range(options.burst)
    ]
    try:
        await asyncio.gather(*(c.get("/healthz") for c in clients))
        out = []
        for index, (name, secret) in enumerate(secrets, start=1):
            if not await _settled(clients[: len(ports)]):
                warnings.append(f"burst {index}: a replica still reported a degraded store")
            log(f"burst {index}: {options.burst} requests at once, key {name} (rpm {options.rpm})")
            out.append(await _burst(clients, len(ports), index, name, secret, options))
        return out
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


async def _settled(replicas: list[httpx.AsyncClient], timeout_s: float = 10.0) -> bool:
    """Wait until no replica reports a degraded store on /readyz (a limit store marked
    unreachable stays so for 5 s), so that each burst starts from the shared counters."""
    deadline = time.monotonic() + timeout_s
    while True:
        answers = await asyncio.gather(*(c.get("/readyz") for c in replicas))
        if all(not a.json().get("degraded") for a in answers):
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.25)


async def _burst(
    clients: list[httpx.AsyncClient],
    replicas: int,
    index: int,
    name: str,
    secret: str,
    options: Options,
) -> Burst:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}
    calls = [c.post(CHAT_PATH, content=BODY_BYTES, headers=headers) for c in clients]
    start = time.perf_counter()
    answers = await asyncio.gather(*calls, return_exceptions=True)
    result = Burst(index, name, options.burst, options.rpm)
    result.duration_ms = (time.perf_counter() - start) * 1000
    statuses = Counter(
        a.status_code if isinstance(a, httpx.Response) else type(a).__name__ for a in answers
    )
    result.admitted = statuses.pop(200, 0)
    result.refused = statuses.pop(429, 0)
    result.other = {str(k): v for k, v in statuses.items()}
    result.per_replica = [
        sum(1 for a in answers[r::replicas] if isinstance(a, httpx.Response) and a.is_success)
        for r in range(replicas)
    ]
    return result


def _errors_logged(logs: list[Path]) -> list[str]:
    """The distinct ERROR messages the replicas logged, with how often each came."""
    seen: Counter[str] = Counter()
    for path in logs:
        for line in path.read_text(errors="replace").splitlines() if path.exists() else ():
            if " ERROR " in line:
                seen[f"{path.stem}: {line.split(' ERROR ', 1)[1]}"] += 1
    return [f"logged {n}x by {message}" for message, n in sorted(seen.items())]


# Redis


def redis_reachable(url: str) -> str | None:
    """None when Redis answers, else why not."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return str(exc)
    return None


def clean_redis(url: str, run: Run) -> int:
    """Delete this run's keys (every one carries the run id); returns how many."""
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
    try:
        found = list(client.scan_iter(match=f"seawall:*{run.id}*", count=1000))
        if found:
            client.delete(*found)
        return len(found)
    finally:
        client.close()


# printing

IN_PROCESS_ROWS = (
    ("authenticate, config key", "auth_config"),
    ("authenticate, API-made key (key cache)", "auth_api"),
    ("admit+settle, key without limits", "none_admit_settle"),
    ("admit+settle, rpm+tpm+budget, memory", "memory_admit_settle"),
    ("  admit", "memory_admit"),
    ("    of which counting the prompt's tokens", "count_prompt"),
    ("  settle", "memory_settle"),
    ("admit+settle, rpm+tpm+budget, Redis", "redis_admit_settle"),
    ("  admit", "redis_admit"),
    ("  settle", "redis_settle"),
    ("authenticate+admit+settle, no limits", "none_all"),
    ("authenticate+admit+settle, memory", "memory_all"),
    ("authenticate+admit+settle, Redis", "redis_all"),
    ("for scale: one Redis PING (redis-py asyncio)", "redis_ping"),
)


def _fmt(value: float | None, pattern: str = "{:,.1f}") -> str:
    return "-" if value is None or value != value else pattern.format(value)


def _table(
    title: str, columns: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]
) -> list[str]:
    width = max(len(title), *(len(label) for label, _ in rows))
    cols = [max(len(c), *(len(cells[i]) for _, cells in rows)) for i, c in enumerate(columns)]

    def line(label: str, cells: Sequence[str]) -> str:
        return f"{label:<{width}}" + "".join(
            f"  {v:>{w}}" for v, w in zip(cells, cols, strict=True)
        )

    return [line(title, columns), *(line(label, cells) for label, cells in rows)]


def render(results: Results, options: Options) -> str:
    lines = [
        f"Seawall keys + limits benchmark, run {results.run_id}; Redis {options.redis_url}",
        f"cores: {results.cores}",
        "",
    ]
    stats = results.in_process
    rows = [
        (label, [_fmt(getattr(stats.get(key), f, None)) for f in ("p50_us", "p99_us", "mean_us")])
        for label, key in IN_PROCESS_ROWS
        if key in stats
    ]
    title = f"1. in process, {options.iterations:,} calls each (us)"
    lines += _table(title, ["p50", "p99", "mean"], rows) if rows else [f"{title}: not measured"]
    lines += ["", *_http_lines(results.http, options), "", *_burst_lines(results.bursts, options)]
    lines += [f"warning: {warning}" for warning in results.warnings]
    lines += [f"note: {note}" for note in results.notes]
    return "\n".join(lines)


def _http_lines(targets: list[HttpTarget], options: Options) -> list[str]:
    title = f"2. over HTTP, c=1, {options.requests:,} sequential requests (us)"
    measured = [t for t in targets if t.latency is not None]
    if not measured:
        return [f"{title}: not measured"]
    base = next((t.latency for t in measured if t.key == "open"), None)

    def added(t: HttpTarget, name: str) -> str:
        if base is None or t.latency is None or t.key == "open":
            return "-"
        return _fmt(getattr(t.latency, name) - getattr(base, name), "{:+,.0f}")

    rows = [
        ("latency p50", [_fmt(t.latency and t.latency.p50_us, "{:,.0f}") for t in measured]),
        ("latency p99", [_fmt(t.latency and t.latency.p99_us, "{:,.0f}") for t in measured]),
        ("added p50 vs open", [added(t, "p50_us") for t in measured]),
        ("added p99 vs open", [added(t, "p99_us") for t in measured]),
        ("answers not 200", [str(t.failed) for t in measured]),
    ]
    return _table(title, [t.name for t in measured], rows)


def _burst_lines(bursts: list[Burst], options: Options) -> list[str]:
    title = (
        f"3. two replicas, shared Redis, rpm {options.rpm}, "
        f"{options.burst} requests at once, split evenly"
    )
    if not bursts:
        return [f"{title}: not measured"]
    columns = ["admitted", "per replica", "refused", "other", "over", "under", "ms"]
    rows = [
        (
            f"burst {b.index}",
            [
                str(b.admitted),
                " + ".join(str(n) for n in b.per_replica),
                str(b.refused),
                ", ".join(f"{k}x{v}" for k, v in b.other.items()) or "0",
                str(b.over),
                str(b.under),
                f"{b.duration_ms:,.0f}",
            ],
        )
        for b in bursts
    ]
    return [title, *_table("", columns, rows), f"expected: admitted {options.rpm}, over 0, under 0"]


def to_json(results: Results, options: Options) -> dict[str, Any]:
    base = next((t.latency for t in results.http if t.key == "open" and t.latency), None)
    http_out: dict[str, Any] = {}
    for t in results.http:
        entry: dict[str, Any] = {"name": t.name, "failed": t.failed}
        if t.latency is not None:
            entry.update(asdict(t.latency))
            if base is not None and t.key != "open":
                entry["added_p50_us"] = t.latency.p50_us - base.p50_us
                entry["added_p99_us"] = t.latency.p99_us - base.p99_us
        http_out[t.key] = entry
    return {
        "run_id": results.run_id,
        "settings": {**asdict(options), "cores": results.cores},
        "in_process_us": {k: asdict(v) for k, v in results.in_process.items()},
        "http_us": http_out,
        "bursts": [{**asdict(b), "over": b.over, "under": b.under} for b in results.bursts],
        "warnings": results.warnings,
        "notes": results.notes,
    }


# running


class OutOfTime(BaseException):
    """Raised by SIGALRM; a BaseException so that no step's error handling swallows it."""


def _raise_out_of_time(signum: int, frame: FrameType | None) -> None:
    raise OutOfTime("the benchmark ran past its time budget")


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _install_signals() -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGALRM, _raise_out_of_time)
    signal.alarm(TIME_BUDGET_S)


def run_all(options: Options, results: Results, run: Run, workdir: Path, layout: Layout) -> None:
    problem = redis_reachable(options.redis_url)
    if problem:
        results.notes.append(
            f"Redis at {options.redis_url} unreachable, its rows skipped: {problem}"
        )
    use_redis = problem is None
    try:
        results.in_process = uvloop.run(measure_in_process(options, run, workdir, use_redis))
    except Exception as exc:
        results.notes.append(f"in process: {type(exc).__name__}: {exc}")
    with Children() as children:
        try:
            results.http = measure_http(options, run, workdir, children, layout, use_redis)
        except Exception as exc:
            results.notes.append(f"over HTTP: {type(exc).__name__}: {exc}")
        if use_redis:
            try:
                results.bursts = measure_bursts(options, run, workdir, children, results.warnings)
            except Exception as exc:
                results.notes.append(f"bursts: {type(exc).__name__}: {exc}")
    for burst in results.bursts:
        if burst.admitted != burst.rpm:
            results.warnings.append(
                f"burst {burst.index} admitted {burst.admitted}, not exactly {burst.rpm}"
            )


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    layout = choose_layout()
    if layout.load is not None:
        os.sched_setaffinity(0, {layout.load})  # the in-process runs and HTTP clients
    run = Run()
    results = Results(run.id, _cores(layout))
    _install_signals()
    workdir = Path(tempfile.mkdtemp(prefix="seawall-limits-"))
    started = time.monotonic()
    try:
        run_all(options, results, run, workdir, layout)
    except (KeyboardInterrupt, OutOfTime) as exc:
        log(f"stopped: {exc or 'interrupted'}; child processes ended; logs in {workdir}")
        return 130 if isinstance(exc, KeyboardInterrupt) else 3
    finally:
        signal.alarm(0)
        if redis_reachable(options.redis_url) is None:
            log(f"deleted {clean_redis(options.redis_url, run)} Redis keys of run {run.id}")
    log(f"done in {time.monotonic() - started:.0f} s")
    failed, inexact = bool(results.notes), bool(results.warnings)
    if failed or inexact or options.keep_logs:
        results.notes.append(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    if options.as_json:
        print(json.dumps(to_json(results, options), indent=2))
    else:
        print(render(results, options))
    return 1 if failed else 4 if inexact else 0


def _cores(layout: Layout) -> str:
    if layout.gateway is None:
        return "not pinned (taskset missing or fewer than 2 cores)"
    return (
        f"HTTP servers on core {layout.gateway}; this process (in-process runs, HTTP client) "
        f"on core {layout.load}; burst replicas and Redis not pinned"
    )


if __name__ == "__main__":
    sys.exit(main())
