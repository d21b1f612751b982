"""Child processes of a benchmark run: start them pinned, read their CPU and memory
from /proc, and make sure every one of them is gone when the run ends.

    with Children() as children:
        proc = children.spawn(["python", "bench/upstream.py"], cpu=1, log=path)
        cpu_seconds(proc.pid)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

_TICKS = os.sysconf("SC_CLK_TCK")
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
LOCAL_ENV = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


@dataclass(frozen=True, slots=True)
class Layout:
    """Which core each side runs on; ``None`` means unpinned."""

    gateway: int | None
    load: int | None  # the fake upstream, wrk and the TTFT client

    def describe(self) -> str:
        if self.gateway is None:
            return "not pinned (taskset missing or fewer than 2 cores): figures are noisier"
        return (
            f"gateway on core {self.gateway}; "
            f"fake upstream, wrk and TTFT client on core {self.load}"
        )


def choose_layout() -> Layout:
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2 or shutil.which("taskset") is None:
        return Layout(None, None)
    return Layout(cores[0], cores[1])


def pinned(argv: Sequence[str], cpu: int | None) -> list[str]:
    return ["taskset", "-c", str(cpu), *argv] if cpu is not None else list(argv)


class Children:
    """Every process started through it is killed, with its process group, on exit."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []

    def spawn(
        self,
        argv: Sequence[str],
        *,
        cpu: int | None,
        log: Path,
        env: Mapping[str, str | None] | None = None,
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` pinned to ``cpu``; ``env`` adds variables, a ``None`` value unsets one."""
        with log.open("ab") as out:
            proc = subprocess.Popen(
                pinned(argv, cpu),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=_environment(env or {}),
                start_new_session=True,  # its own process group, so stop() reaches grandchildren
            )
        self._procs.append(proc)
        return proc

    def adopt(self, proc: subprocess.Popen[bytes]) -> None:
        """Track a process started elsewhere (in its own session) so that exit stops it."""
        self._procs.append(proc)

    def forget(self, proc: subprocess.Popen[bytes]) -> None:
        if proc in self._procs:
            self._procs.remove(proc)

    def stop(self, proc: subprocess.Popen[bytes], grace_s: float = 5.0) -> None:
        if proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                pass
        _signal_group(proc.pid, signal.SIGKILL)  # stragglers left in the group
        if proc.poll() is None:
            proc.wait(timeout=grace_s)
        self.forget(proc)

    def stop_all(self) -> None:
        for proc in list(reversed(self._procs)):
            self.stop(proc)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()


def _environment(changes: Mapping[str, str | None]) -> dict[str, str]:
    merged: dict[str, str | None] = {**os.environ, **LOCAL_ENV, **changes}
    return {k: v for k, v in merged.items() if v is not None}


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat_fields(int(entry))
            if stat:
                parents.setdefault(int(stat[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _stat_fields(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name (state is index 0)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` and its descendants."""
    total = 0
    for member in _tree(pid):
        fields = _stat_fields(member)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def core_busy_seconds(core: int) -> float:
    """Non-idle time of one CPU core since boot, from /proc/stat."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            ticks = [int(v) for v in line.split()[1:]]
            return (sum(ticks[:8]) - ticks[3] - ticks[4]) / _TICKS  # minus idle, iowait
    return 0.0


@dataclass(frozen=True, slots=True)
class Memory:
    rss_kb: int
    hwm_kb: int  # peak resident set (VmHWM), summed over the process tree


def memory(pid: int) -> Memory:
    rss = hwm = 0
    for member in _tree(pid):
        status = _status(member)
        rss += status.get("VmRSS", 0)
        hwm += status.get("VmHWM", 0)
    return Memory(rss, hwm)


def _status(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    out: dict[str, int] = {}
    for line in lines:
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            out[key] = int(value.split()[0])
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def post(url: str, body: bytes, timeout_s: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer sk-bench"},
    )
    try:
        with _LOCAL.open(request, timeout=timeout_s) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_serving(
    url: str, body: bytes, proc: subprocess.Popen[bytes], timeout_s: float
) -> tuple[int, bytes]:
    """Poll ``url`` until it answers 200, the process dies, or time runs out; return the
    last answer ((0, b"") if it never answered)."""
    deadline = time.monotonic() + timeout_s
    last: tuple[int, bytes] = (0, b"")
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            last = post(url, body)
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
            continue
        if last[0] == 200:
            return last
        time.sleep(0.5)
    return last
