"""Seawall's proxy benchmark: the same load direct to a fake upstream, through Seawall,
and (with --litellm) through LiteLLM's proxy, printed side by side.

    python bench/run.py [--duration S] [--connections C] [--litellm] [--soak [S]] [--json]

Everything listens on 127.0.0.1; every child process is stopped on exit.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import uvloop
from litellm_target import (
    VENV,
    LiteLLMSetupError,
    ensure_venv,
    installed_version,
    litellm_command,
    write_config,
)
from load import INSTALL_HINT, POST_LUA, STREAM_LUA, Wrk, WrkError, WrkRun, find_wrk, run_wrk
from procs import (
    Children,
    Layout,
    choose_layout,
    core_busy_seconds,
    cpu_seconds,
    free_port,
    memory,
    wait_until_serving,
)
from report import TargetResult, render_table, to_json
from ttft import StreamError, measure_ttft, percentile, stream_body

HERE = Path(__file__).resolve().parent
CHAT_PATH = "/v1/chat/completions"
PROBE_BODY = b'{"model":"chat","messages":[{"role":"user","content":"hi"}]}'
SOAK_EVERY_S = 10.0


@dataclass(frozen=True, slots=True)
class Launch:
    """How to start one gateway: argv, extra environment, start-up allowance, version."""

    argv: list[str]
    env: dict[str, str | None]
    start_s: float
    version: str


Command = Callable[[int], Launch]  # given the port to listen on


@dataclass(frozen=True, slots=True)
class Options:
    duration_s: float
    connections: int
    ttft_requests: int
    soak_s: float
    litellm: bool
    seawall: bool
    config: Path
    chunk_delay_ms: float
    as_json: bool
    keep_logs: bool

    def time_budget_s(self) -> int:
        """An upper bound for the whole run, enforced with SIGALRM."""
        per_target = 4 * self.duration_s + 2 * self.soak_s + 240
        install = 900 if self.litellm and not (VENV / "bin" / "litellm").exists() else 0
        return int(3 * per_target + install + 120)


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=50, help="for the throughput runs")
    parser.add_argument("--ttft-requests", type=int, default=200, help="sequential streams")
    parser.add_argument(
        "--soak",
        type=float,
        nargs="?",
        const=300.0,
        default=0.0,
        help="also run a soak of S seconds (default 300) sampling RSS",
    )
    parser.add_argument("--litellm", action="store_true", help="also measure LiteLLM's proxy")
    parser.add_argument("--no-seawall", action="store_true", help="measure the upstream only")
    parser.add_argument("--config", type=Path, default=HERE / "seawall-bench.yaml")
    parser.add_argument(
        "--chunk-delay-ms",
        type=float,
        default=0.0,
        help="fake upstream pause before each stream chunk",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the work folder even when all went well"
    )
    args = parser.parse_args(argv)
    return Options(
        duration_s=args.duration,
        connections=args.connections,
        ttft_requests=args.ttft_requests,
        soak_s=args.soak,
        litellm=args.litellm,
        seawall=not args.no_seawall,
        config=args.config,
        chunk_delay_ms=args.chunk_delay_ms,
        as_json=args.json,
        keep_logs=args.keep_logs,
    )


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Bench:
    """Starts the upstream and each gateway in turn and measures them the same way."""

    def __init__(self, options: Options, layout: Layout, children: Children, workdir: Path):
        self.options = options
        self.layout = layout
        self.children = children
        self.workdir = workdir
        self.upstream_port = free_port()
        self.upstream_pid = 0

    def run(self) -> list[TargetResult]:
        direct = TargetResult("direct", "direct upstream")
        upstream = self._start_upstream()
        self.upstream_pid = upstream.pid
        self._measure(direct, self.upstream_port, upstream.pid)
        results = [direct]
        if self.options.seawall:
            results.append(self._gateway("seawall", "through seawall", self._seawall_command))
        if self.options.litellm:
            results.append(self._gateway("litellm", "through litellm", self._litellm_command))
        return results

    def _start_upstream(self) -> subprocess.Popen[bytes]:
        argv = [
            sys.executable,
            str(HERE / "upstream.py"),
            "--port",
            str(self.upstream_port),
            "--chunk-delay-ms",
            str(self.options.chunk_delay_ms),
        ]
        proc = self.children.spawn(argv, cpu=self.layout.load, log=self.workdir / "upstream.log")
        status, _ = wait_until_serving(self._url(self.upstream_port), PROBE_BODY, proc, 10)
        if status != 200:
            raise RuntimeError(f"fake upstream did not start; see {self.workdir}/upstream.log")
        log(f"fake upstream on 127.0.0.1:{self.upstream_port}, pid {proc.pid}")
        return proc

    def _seawall_command(self, port: int) -> Launch:
        beside = Path(sys.executable).parent / "seawall"  # skips version-manager shims
        command = str(beside) if beside.exists() else shutil.which("seawall")
        if command is None:
            raise RuntimeError("`seawall` is not installed: pip install -e .")
        argv = [command, "serve", "--config", str(self.options.config), "--port", str(port)]
        env: dict[str, str | None] = {
            "BENCH_UPSTREAM_PORT": str(self.upstream_port),
            "BENCH_DIR": str(self.workdir),
        }
        return Launch(argv, env, 30.0, _seawall_version())

    def _litellm_command(self, port: int) -> Launch:
        log(f"preparing litellm in {VENV} (first time: pip install, a few minutes)")
        command = ensure_venv(VENV, self.workdir / "litellm-install.log")
        config = write_config(self.workdir / "litellm.yaml", self.upstream_port)
        argv, env = litellm_command(command, config, port)
        return Launch(argv, env, 180.0, installed_version(command))

    def _gateway(self, key: str, name: str, command: Command) -> TargetResult:
        result = TargetResult(key, name)
        port = free_port()
        logfile = self.workdir / f"{key}.log"
        try:
            launch = command(port)
        except (RuntimeError, LiteLLMSetupError) as exc:
            result.notes.append(f"not run: {exc}")
            return result
        result.version = launch.version
        proc = self.children.spawn(
            launch.argv, cpu=self.layout.gateway, log=logfile, env=launch.env
        )
        try:
            status, body = wait_until_serving(self._url(port), PROBE_BODY, proc, launch.start_s)
            if status != 200:
                result.notes.append(_start_failure(status, body, proc, logfile))
                return result
            log(f"{name}: serving on 127.0.0.1:{port}, pid {proc.pid}")
            self._measure(result, port, proc.pid)
        finally:
            self.children.stop(proc)
        return result

    def _measure(self, result: TargetResult, port: int, pid: int) -> None:
        steps = (self._throughput, self._latency, self._streams, self._ttft, self._soak)
        result.rss_before_kb = memory(pid).rss_kb
        for step in steps:
            try:
                step(result, port, pid)
            except (WrkError, StreamError, OSError, TimeoutError) as exc:
                result.notes.append(f"{step.__name__.strip('_')}: {exc}")
        mem = memory(pid)
        result.rss_after_kb = mem.rss_kb
        result.hwm_kb = mem.hwm_kb

    def _wrk(self, port: int, script: Path, connections: int, duration_s: float) -> Wrk:
        return Wrk(self._url(port), script, connections, duration_s, self.layout.load)

    def _throughput(self, result: TargetResult, port: int, pid: int) -> None:
        o = self.options
        log(f"{result.name}: warm-up, then non-streamed c={o.connections} for {o.duration_s:g}s")
        warmup = self._wrk(port, POST_LUA, o.connections, min(3.0, o.duration_s))
        run_wrk(warmup, self.children)
        core = self.layout.load if pid == self.upstream_pid else self.layout.gateway
        before = self._cpu_snapshot(pid, core)
        run = run_wrk(self._wrk(port, POST_LUA, o.connections, o.duration_s), self.children)
        server_s, upstream_s, core_s = (
            b - a for a, b in zip(before, self._cpu_snapshot(pid, core), strict=True)
        )
        result.rps = run.rps
        result.cpu_us_per_request = server_s / max(1, run.requests) * 1e6
        result.cpu_pct = server_s / run.duration_s * 100
        result.upstream_cpu_pct = upstream_s / run.duration_s * 100
        result.wrk_cpu_pct = run.wrk_cpu_share * 100
        if core is not None:
            ours = server_s + (run.wrk_cpu_s if core == self.layout.load else 0.0)
            result.other_cpu_pct = max(0.0, core_s - ours) / run.duration_s * 100
        result.failed_requests += run.error_count

    def _cpu_snapshot(self, pid: int, core: int | None) -> tuple[float, float, float]:
        """CPU seconds of the server, of the upstream, and busy time of ``core``."""
        busy = core_busy_seconds(core) if core is not None else 0.0
        return cpu_seconds(pid), cpu_seconds(self.upstream_pid), busy

    def _latency(self, result: TargetResult, port: int, pid: int) -> None:
        log(f"{result.name}: non-streamed c=1 for {self.options.duration_s:g}s")
        run = run_wrk(self._wrk(port, POST_LUA, 1, self.options.duration_s), self.children)
        result.p50_us, result.p99_us = run.latency_us["50"], run.latency_us["99"]
        result.failed_requests += run.error_count

    def _streams(self, result: TargetResult, port: int, pid: int) -> None:
        o = self.options
        log(f"{result.name}: streamed c={o.connections} for {o.duration_s:g}s")
        run = run_wrk(self._wrk(port, STREAM_LUA, o.connections, o.duration_s), self.children)
        result.stream_rps = run.rps
        result.failed_requests += run.error_count

    def _ttft(self, result: TargetResult, port: int, pid: int) -> None:
        count = self.options.ttft_requests
        log(f"{result.name}: time to first token over {count} sequential streams")
        samples = uvloop.run(measure_ttft("127.0.0.1", port, CHAT_PATH, stream_body("chat"), count))
        result.ttft_p50_us = percentile(samples, 50) * 1e6
        result.ttft_p99_us = percentile(samples, 99) * 1e6

    def _soak(self, result: TargetResult, port: int, pid: int) -> None:
        if self.options.soak_s <= 0 or result.key == "direct":
            return
        o = self.options
        log(f"{result.name}: soak, non-streamed c={o.connections} for {o.soak_s:g}s")
        run = WrkRun(self._wrk(port, POST_LUA, o.connections, o.soak_s), self.children)
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < o.soak_s:
            result.soak_rss_kb.append((elapsed, memory(pid).rss_kb))
            time.sleep(min(SOAK_EVERY_S, max(0.0, o.soak_s - elapsed)))
        finished = run.finish()
        result.soak_rss_kb.append((time.monotonic() - started, memory(pid).rss_kb))
        result.soak_rps = finished.rps
        result.failed_requests += finished.error_count

    @staticmethod
    def _url(port: int) -> str:
        return f"http://127.0.0.1:{port}{CHAT_PATH}"


def _seawall_version() -> str:
    try:
        return importlib.metadata.version("seawall")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _start_failure(status: int, body: bytes, proc: subprocess.Popen[bytes], logfile: Path) -> str:
    if proc.poll() is not None:
        tail = logfile.read_text(errors="replace").strip().splitlines()[-5:]
        return f"not run: exited {proc.returncode} at start; log tail: " + " | ".join(tail)
    if status == 0:
        return f"not run: no answer on its port in time; see {logfile}"
    return f"not run: probe answered {status}: {body[:300]!r}"


class OutOfTime(BaseException):
    """Raised by SIGALRM; a BaseException so that no step's error handling swallows it."""


def _raise_out_of_time(signum: int, frame: FrameType | None) -> None:
    raise OutOfTime("the benchmark ran past its time budget")


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _header(options: Options, layout: Layout) -> list[str]:
    return [
        (
            f"Seawall proxy benchmark: wrk, 1 thread, {options.duration_s:g} s per run; "
            f"throughput at c={options.connections}, latency at c=1, "
            f"TTFT over {options.ttft_requests} sequential streams"
        ),
        f"cores: {layout.describe()}",
        (
            "added = through the gateway minus direct; CPU per request = the measured server's "
            "user+system time / requests (direct: the fake upstream itself)"
        ),
    ]


def _install_signals(budget_s: int) -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGALRM, _raise_out_of_time)
    signal.alarm(budget_s)


def _emit(results: list[TargetResult], options: Options, layout: Layout, logs: str) -> None:
    settings = {
        "duration_s": options.duration_s,
        "connections": options.connections,
        "ttft_requests": options.ttft_requests,
        "soak_s": options.soak_s,
        "chunk_delay_ms": options.chunk_delay_ms,
        "cores": layout.describe(),
        "logs": logs,
    }
    if options.as_json:
        print(json.dumps(to_json(results, settings), indent=2))
        return
    print(render_table(results, _header(options, layout), options.connections))
    if logs:
        print(f"\nlogs: {logs}")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if find_wrk() is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    layout = choose_layout()
    if layout.load is not None:
        os.sched_setaffinity(0, {layout.load})  # the TTFT client runs in this process
    _install_signals(options.time_budget_s())
    workdir = Path(tempfile.mkdtemp(prefix="seawall-bench-"))
    try:
        with Children() as children:
            results = Bench(options, layout, children, workdir).run()
    except (KeyboardInterrupt, OutOfTime, RuntimeError) as exc:
        log(f"stopped: {exc or 'interrupted'}; child processes ended; logs in {workdir}")
        return 130 if isinstance(exc, KeyboardInterrupt) else 3 if isinstance(exc, OutOfTime) else 1
    finally:
        signal.alarm(0)
    failed = any(r.notes for r in results)
    keep = failed or options.keep_logs
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
    _emit(results, options, layout, str(workdir) if keep else "")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
