"""Seawall: a production AI gateway. Applications call it as they call OpenAI; behind
that door deterministic code screens, routes, retries, falls back and records.

    from seawall import Gateway, load_config
    gateway = Gateway(load_config("seawall.yaml"))
"""

from .config import Settings
from .config import load as load_config
from .errors import (
    ClientError,
    ConfigError,
    NoRouteAvailable,
    SeawallError,
    UpstreamError,
)
from .gateway import Gateway
from .pipeline import Context, Pipeline, Stage
from .types import ChatRequest, Chunk, ChunkStream, Completion, Usage

__all__ = [
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

__version__ = "0.1.0"
