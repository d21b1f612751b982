"""A redis-server of a test's own, on a spare port, to stop, freeze and restart
(never the machine's shared server)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

from tests.fakes.openai_server import free_socket


class OwnRedis:
    def __init__(self, directory: Path) -> None:
        sock = free_socket()
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._directory = directory
        self._process: subprocess.Popen[bytes] | None = None

    async def start(self) -> OwnRedis:
        self._process = subprocess.Popen(  # noqa: ASYNC220 (returns at once)
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self._directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            probe = await asyncio.create_subprocess_exec(
                "redis-cli",
                "-p",
                str(self.port),
                "ping",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if await probe.wait() == 0:
                return self
            await asyncio.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def freeze(self) -> None:
        """Unreachable but alive: connections time out, the data stays."""
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGCONT)
            self._process.kill()
            self._process.wait()
