"""``seawall``: serve, demo, eval.

seawall serve --config seawall.yaml --port 8080
seawall demo --duration 60
seawall eval pii --data pii.jsonl [--tier fast|heavy] [--refit auto|always|never] [--json]
seawall eval injection --data injection.jsonl [--threshold T] [--refit auto|always|never] [--json]
seawall eval intent --examples intents.json --data intent.jsonl [--threshold T] [--json]
seawall eval cache --data pairs.jsonl [--threshold T] [--refit auto|always|never] [--json]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ..errors import ConfigError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="seawall", description="A production AI gateway.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--config", required=True, help="YAML configuration file")
    serve.add_argument("--host", help="overrides server.host")
    serve.add_argument("--port", type=int, help="overrides server.port")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")

    worker = commands.add_parser("worker", help="run queued jobs (no HTTP server)")
    worker.add_argument("--config", required=True, help="YAML configuration file")
    worker.add_argument(
        "--concurrency", type=int, help="jobs at once (default jobs.workers, or 4 when that is 0)"
    )

    demo = commands.add_parser("demo", help="watch the gateway survive flaky providers")
    demo.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    demo.add_argument("--concurrency", type=int, default=8, help="parallel clients (default 8)")

    evaluate = commands.add_parser("eval", help="decision-quality figures on a labelled file")
    kinds = evaluate.add_subparsers(dest="kind", required=True)
    pii = kinds.add_parser("pii", help="PII detection: precision, recall, F1 by type")
    pii.add_argument("--data", required=True, help="JSONL: {text, entities: [{type, start, end}]}")
    pii.add_argument(
        "--tier", default="fast", help="detector tier: fast (the default of serve) or heavy"
    )
    _refit(pii, "heavy tier: out-of-fold refits, auto = when the file holds training texts")
    pii.add_argument("--json", action="store_true", help="print only the JSON")
    injection = kinds.add_parser("injection", help="injection screen: recall and false positives")
    injection.add_argument("--data", required=True, help="JSONL: {text, label, source}")
    injection.add_argument("--threshold", type=float, help="default: the shipped threshold")
    _refit(injection, "out-of-fold refits: auto = when the file holds training texts (default)")
    injection.add_argument("--json", action="store_true", help="print only the JSON")
    intent = kinds.add_parser("intent", help="intent routing: in-scope accuracy, oos recall")
    intent.add_argument("--examples", required=True, help="the intents file (gateway config)")
    intent.add_argument("--data", required=True, help="JSONL: {text, intent | 'oos', source}")
    intent.add_argument("--threshold", type=float, help="default: the shipped threshold")
    intent.add_argument("--json", action="store_true", help="print only the JSON")
    cache = kinds.add_parser("cache", help="semantic cache: right and wrong hits by threshold")
    cache.add_argument("--data", required=True, help="JSONL: {a, b, duplicate, source}")
    cache.add_argument("--threshold", type=float, help="cosine; default: the shipped threshold")
    _refit(cache, "out-of-fold refits of the verifier: auto = when the file holds training pairs")
    cache.add_argument("--json", action="store_true", help="print only the JSON")
    return parser


def _refit(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--refit", choices=("auto", "always", "never"), default="auto", help=help)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "worker":
            from .worker import run_worker

            if args.concurrency is not None and args.concurrency < 1:
                raise ConfigError("--concurrency must be at least 1")
            return run_worker(args.config, args.concurrency)
        if args.command == "eval":
            from .evaluate import run_eval

            return run_eval(args)
        from .demo import run_demo

        return run_demo(duration=args.duration, concurrency=args.concurrency)
    except ConfigError as exc:
        print(f"seawall: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _serve(args: argparse.Namespace) -> int:
    from .. import config
    from ..gateway import Gateway
    from ..server.run import check_workers, serve

    settings = config.load(args.config)
    server = settings.server.model_copy(
        update={k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    )
    settings = settings.model_copy(update={"server": server})
    if args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    check_workers(settings, args.workers)
    gateway = Gateway(settings)  # builds providers and stores: every name is checked here
    groups = ", ".join(g.name for g in settings.models)
    print(
        f"seawall: serving {groups} on http://{server.host}:{server.port}/v1 "
        f"(processes {args.workers}, jobs at once {settings.jobs.workers} each, "
        f"hot store {settings.stores.hot}, "
        f"traces {settings.stores.durable})",
        file=sys.stderr,
        flush=True,
    )
    serve(settings, args.config, args.workers, gateway if args.workers == 1 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
