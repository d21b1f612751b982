"""Whether an answer is the JSON the request asked for: a pure check.

    problems('{"a": 1}', {"type": "json_schema", "json_schema": {"schema": {...}}})
    -> []  or  ["$.amount: 'x' is not of type 'number'", ...]

``json_object`` asks for any JSON object; ``json_schema`` for one that the schema
accepts (JSON Schema draft 2020-12, through ``jsonschema``). Any other
``response_format`` (or none) asks for nothing, so nothing is wrong.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson

_MAX_PROBLEMS = 5


def wants_json(response_format: Any) -> bool:
    return isinstance(response_format, dict) and response_format.get("type") in (
        "json_object",
        "json_schema",
    )


def format_problem(response_format: Any) -> tuple[str, str] | None:
    """What is wrong with a request's ``response_format`` itself: (param, message), or
    None. Types other than the JSON ones are left to the provider."""
    if response_format is None:
        return None
    if not isinstance(response_format, dict):
        return (
            "response_format",
            'response_format must be an object such as {"type": "json_object"}',
        )
    if response_format.get("type") != "json_schema":
        return None
    spec = response_format.get("json_schema")
    if not isinstance(spec, dict) or not isinstance(spec.get("schema"), dict):
        return "response_format.json_schema", 'json_schema needs a "schema" object'
    problem = _schema_problem(orjson.dumps(spec["schema"], option=orjson.OPT_SORT_KEYS))
    return None if problem is None else ("response_format.json_schema.schema", problem)


@functools.lru_cache(maxsize=256)
def _schema_problem(schema: bytes) -> str | None:
    import jsonschema  # type: ignore[import-untyped]

    loaded = orjson.loads(schema)
    cls = jsonschema.validators.validator_for(loaded, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(loaded)
    except jsonschema.SchemaError as exc:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in exc.path)
        return f"not a valid JSON Schema (at {where or 'the top'}): {exc.message}"
    return None


def problems(text: str | None, response_format: Any) -> list[str]:
    if not wants_json(response_format):
        return []
    try:
        value = orjson.loads(text or "")
    except orjson.JSONDecodeError as exc:
        return [f"not JSON: {exc}"]
    if not isinstance(value, dict):
        return [f"not a JSON object but {type(value).__name__}"]
    schema = _schema_of(response_format)
    if schema is None:
        return []
    validator = _validator(orjson.dumps(schema, option=orjson.OPT_SORT_KEYS))
    if validator is None:  # the client's schema is itself broken: only JSON is checked
        return []
    found = []
    for error in validator.iter_errors(value):
        found.append(f"{error.json_path}: {error.message}")
        if len(found) == _MAX_PROBLEMS:
            break
    return found


def _schema_of(response_format: dict[str, Any]) -> dict[str, Any] | None:
    spec = response_format.get("json_schema")
    schema = spec.get("schema") if isinstance(spec, dict) else None
    return schema if isinstance(schema, dict) else None


@functools.lru_cache(maxsize=256)
def _validator(schema: bytes) -> Any:
    import jsonschema

    loaded = orjson.loads(schema)
    cls = jsonschema.validators.validator_for(loaded, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(loaded)
    except jsonschema.SchemaError:
        return None
    return cls(loaded)
