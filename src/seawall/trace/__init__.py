"""Observability: a trace per request with a span per stage, and Prometheus metrics."""
