"""Running the server: uvicorn with uvloop and httptools; on SIGTERM it stops
accepting, lets in-flight requests and streams finish for up to ``server.drain_s``,
then exits.

    serve(settings, config_path="seawall.yaml", workers=1)
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import uvicorn

from ..config import CONFIG_ENV, METRICS_ENV, Settings
from ..errors import ConfigError
from ..gateway import Gateway
from .app import SeawallApp


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    server = settings.server
    return {
        "host": server.host,
        "port": server.port,
        "loop": "uvloop",
        "http": "httptools",
        "lifespan": "on",
        "access_log": False,
        "log_level": "warning",
        "timeout_graceful_shutdown": server.drain_s,
        "timeout_keep_alive": int(server.keepalive_s),
        "backlog": 4096,
        # the gateway does not act on client addresses; parsing forwarding headers
        # on every request would cost time and trust what any client can write
        "proxy_headers": False,
        "server_header": False,
    }


def check_workers(settings: Settings, workers: int) -> None:
    if workers > 1 and settings.stores.hot == "memory":
        raise ConfigError(
            f"--workers {workers} needs a shared hot store: with stores.hot: memory each worker "
            "would keep its own circuit breakers and concurrency limits. Set stores.hot to a "
            "Redis URL (for example redis://127.0.0.1:6379/0), or run one worker."
        )


def serve(
    settings: Settings, config_path: str, workers: int = 1, gateway: Gateway | None = None
) -> None:
    """Run until SIGTERM. With one worker, ``gateway`` (if given) is the one served."""
    check_workers(settings, workers)
    options = uvicorn_options(settings)
    if workers > 1:
        # each worker process loads the same file; only the paths cross the fork
        os.environ[CONFIG_ENV] = os.path.abspath(config_path)
        with tempfile.TemporaryDirectory(prefix="seawall-metrics-") as shared:
            os.environ[METRICS_ENV] = shared
            uvicorn.run(
                "seawall.server.app:app_from_environment", factory=True, workers=workers, **options
            )
        return
    app = SeawallApp(gateway or Gateway(settings), own_process=True)
    uvicorn.Server(uvicorn.Config(app, **options)).run()
