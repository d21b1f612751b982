from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import seawall

ROOT = Path(__file__).resolve().parents[1]


def test_public_surface_is_pinned():
    assert seawall.__all__ == sorted(seawall.__all__)
    assert seawall.__all__ == [
        "ChatRequest",
        "Chunk",
        "ChunkStream",
        "ClientError",
        "Completion",
        "ConfigError",
        "Context",
        "Gateway",
        "NoRouteAvailable",
        "Pipeline",
        "SeawallError",
        "Settings",
        "Stage",
        "UpstreamError",
        "Usage",
        "load_config",
    ]


def test_workers_need_a_shared_hot_store():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "seawall.cli.main",
            "serve",
            "--config",
            str(ROOT / "examples" / "seawall.yaml"),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--workers 2 needs a shared hot store" in result.stderr
    assert "redis://" in result.stderr


def test_bad_config_exits_nonzero_with_the_field_path(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "models:\n  - name: x\n    deployments:\n      - provider: openai\n        weight: -1\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "seawall.cli.main", "serve", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "models[0].deployments[0].model: Field required" in result.stderr
    assert "models[0].deployments[0].weight: Input should be greater than 0" in result.stderr


def test_demo_runs_and_ends_by_itself_with_plain_lines():
    # the test extras bring httpx; a plain install does not, so the demo must not need it
    script = (
        "import sys; sys.modules['httpx'] = None; "
        "from seawall.cli.main import main; sys.exit(main(['demo', '--duration', '3']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = result.stdout
    assert "\x1b[" not in text  # not a terminal: no cursor tricks
    assert "requests" in text and "answered" in text
    assert "Email <EMAIL_ADDRESS_1> the receipt for card <CREDIT_CARD_1>" in text
    assert "backup; reason=code" in text  # the router sent the code question on
    assert "backup; reason=escalated:logprob; from=small" in text
    assert text.rstrip().splitlines()[-1].endswith("See README.md.")  # ends with what next
