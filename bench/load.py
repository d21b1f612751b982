"""Drive wrk with the Lua scripts beside this file and read back what they print.

result = run_wrk(Wrk(url, script=POST_LUA, connections=50, duration_s=10, cpu=1), children)
result.rps, result.latency_us["99"], result.wrk_cpu_s
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from procs import LOCAL_ENV, Children, pinned

HERE = Path(__file__).resolve().parent
POST_LUA = HERE / "post.lua"
STREAM_LUA = HERE / "stream.lua"
INSTALL_HINT = "wrk not found: install it with `apt-get install -y wrk` (Debian/Ubuntu)"
_MARK = "BENCH_RESULT "


class WrkError(RuntimeError):
    """wrk failed, hung, or printed no result line."""


def find_wrk() -> str | None:
    return shutil.which("wrk")


@dataclass(frozen=True, slots=True)
class Wrk:
    """One wrk invocation: a single wrk thread holding ``connections`` keep-alive sockets."""

    url: str
    script: Path
    connections: int
    duration_s: float
    cpu: int | None
    model: str = "chat"

    def argv(self) -> list[str]:
        return pinned(
            [
                "wrk",
                "-t1",
                f"-c{self.connections}",
                f"-d{max(1, round(self.duration_s))}s",
                "--timeout",
                "10s",
                "-s",
                str(self.script),
                self.url,
            ],
            self.cpu,
        )


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    duration_s: float
    errors: dict[str, int]
    latency_us: dict[str, float]
    wrk_cpu_s: float  # wrk's own user + system time, to show it was not the bottleneck
    stdout: str = field(repr=False, default="")

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def wrk_cpu_share(self) -> float:
        """wrk's CPU as a fraction of one core over the run."""
        return self.wrk_cpu_s / self.duration_s if self.duration_s else 0.0


class WrkRun:
    """A wrk process in flight; ``finish()`` waits for it and parses its result."""

    def __init__(self, spec: Wrk, children: Children) -> None:
        self.spec = spec
        self._children = children
        self._out = tempfile.TemporaryFile()  # closed in finish()
        self._proc = subprocess.Popen(
            spec.argv(),
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **LOCAL_ENV, "BENCH_MODEL": spec.model},
            start_new_session=True,
        )
        children.adopt(self._proc)
        self._deadline = time.monotonic() + spec.duration_s + 30

    def finish(self) -> WrkResult:
        returncode, cpu_s = self._reap()  # if interrupted, the children registry kills wrk
        self._children.forget(self._proc)
        self._out.seek(0)
        stdout = self._out.read().decode(errors="replace")
        self._out.close()
        return parse(stdout, returncode, cpu_s)

    def _reap(self) -> tuple[int, float]:
        """Wait for wrk with wait4, which also hands back wrk's own CPU usage."""
        while True:
            pid, status, usage = os.wait4(self._proc.pid, os.WNOHANG)
            if pid:
                self._proc.returncode = os.waitstatus_to_exitcode(status)
                return self._proc.returncode, usage.ru_utime + usage.ru_stime
            if time.monotonic() > self._deadline:
                self.kill()
                raise WrkError(f"wrk did not finish in time: {' '.join(self.spec.argv())}")
            time.sleep(0.05)

    def kill(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=5)


def parse(stdout: str, returncode: int, wrk_cpu_s: float = 0.0) -> WrkResult:
    line = next((ln for ln in stdout.splitlines() if ln.startswith(_MARK)), None)
    if line is None:
        raise WrkError(f"wrk exited {returncode} without a result:\n{stdout.strip()[-2000:]}")
    data = json.loads(line[len(_MARK) :])
    return WrkResult(
        requests=int(data["requests"]),
        duration_s=data["duration_us"] / 1e6,
        errors={k: int(v) for k, v in data["errors"].items()},
        latency_us={k: float(v) for k, v in data["latency_us"].items()},
        wrk_cpu_s=wrk_cpu_s,
        stdout=stdout,
    )


def run_wrk(spec: Wrk, children: Children) -> WrkResult:
    return WrkRun(spec, children).finish()
