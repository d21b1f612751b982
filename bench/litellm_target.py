"""LiteLLM's proxy as a comparison target: a throwaway venv, a config pointing one model
at the fake upstream, and the command that starts it.

    python = ensure_venv(Path("/tmp/seawall-bench-litellm"), log)
    argv, env = litellm_command(venv, config_path, port)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import IO

from procs import LOCAL_ENV

VENV = Path("/tmp/seawall-bench-litellm")
INSTALL_TIMEOUT_S = 900
MODEL_NAME = "chat"


class LiteLLMSetupError(RuntimeError):
    """The venv could not be created or litellm[proxy] could not be installed."""


def ensure_venv(venv: Path, log: Path) -> Path:
    """Create ``venv`` and install ``litellm[proxy]`` in it unless already there; return
    the path of its ``litellm`` command."""
    command = venv / "bin" / "litellm"
    if command.exists():
        return command
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "pip"), "install", "-q", "litellm[proxy]"],
    ]
    with log.open("ab") as out:
        for step in steps:
            _run_step(step, out)
    if not command.exists():
        raise LiteLLMSetupError(f"{command} missing after install; see {log}")
    return command


def _run_step(argv: list[str], out: IO[bytes]) -> None:
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LiteLLMSetupError(f"timed out after {INSTALL_TIMEOUT_S}s: {' '.join(argv)}") from None
    if done.returncode != 0:
        raise LiteLLMSetupError(f"exit {done.returncode}: {' '.join(argv)}")


def installed_version(command: Path) -> str:
    python = command.parent / "python"
    done = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def write_config(path: Path, upstream_port: int) -> Path:
    """One model group named like Seawall's, on the same fake upstream; no database."""
    path.write_text(
        "model_list:\n"
        f"  - model_name: {MODEL_NAME}\n"
        "    litellm_params:\n"
        "      model: openai/bench-model\n"
        f"      api_base: http://127.0.0.1:{upstream_port}/v1\n"
        "      api_key: x\n"
        "litellm_settings:\n"
        "  telemetry: false\n",
        encoding="utf-8",
    )
    return path


def litellm_command(
    command: Path, config: Path, port: int
) -> tuple[list[str], dict[str, str | None]]:
    argv = [
        str(command),
        "--config",
        str(config),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--num_workers",
        "1",
    ]
    env: dict[str, str | None] = {
        **LOCAL_ENV,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # no fetch of the cost map at start
        "LITELLM_TELEMETRY": "False",
        "DATABASE_URL": None,  # unset: the proxy runs without a database
        # no master key, like the bench's Seawall config without `keys:`; recent releases
        # refuse to start keyless unless told this is deliberate
        "LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY": "true",
        "DISABLE_SCHEMA_UPDATE": "True",
    }
    return argv, env
