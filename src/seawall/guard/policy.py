"""Which guard settings a request runs under: its model group's ``guard``, with the
calling key's own ``guard`` over it (only the fields the key sets change).

    policies = GuardPolicies({"chat": GuardSettings(pii="redact")})
    policies.of("chat", None).pii                      # "redact"
    policies.of("chat", (("pii", "block"),)).pii       # "block": this key's own

A key's settings are checked against the groups it may call when the key is made
(``check``). Should a later config make them invalid for a group (say the group moved
to ``pii: block`` under a key routing PII to internal deployments), that group's own
settings apply to the key's requests, with a warning in the log. Merged settings are
cached per (group, key settings), a bounded map.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..config import GuardSettings

Override = tuple[tuple[str, Any], ...]  # a key's guard fields, sorted: hashable
_CACHE_LIMIT = 4096
log = logging.getLogger("seawall.guard")


def freeze(override: Mapping[str, Any] | None) -> Override | None:
    """A key's guard mapping as the hashable form principals carry (None: no override)."""
    if not override:
        return None
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in override.items()))


class GuardPolicies:
    def __init__(self, groups: Mapping[str, GuardSettings]) -> None:
        self.groups = dict(groups)
        self._merged: dict[tuple[str, Override], GuardSettings] = {}

    @classmethod
    def of_groups(cls, groups: GuardPolicies | Mapping[str, GuardSettings]) -> GuardPolicies:
        return groups if isinstance(groups, GuardPolicies) else cls(groups)

    def of(self, group: str, override: Override | None) -> GuardSettings | None:
        """The settings for a request to ``group`` by a key with ``override``."""
        base = self.groups.get(group)
        if base is None or not override:
            return base
        found = self._merged.get((group, override))
        if found is None:
            if len(self._merged) >= _CACHE_LIMIT:
                self._merged.clear()
            try:
                found = merge(base, override)
            except ValidationError as exc:
                log.warning(
                    "a key's guard settings %s do not fit model group '%s' (%s): the "
                    "group's own settings apply",
                    dict(override),
                    group,
                    exc.errors()[0]["msg"],
                )
                found = base
            self._merged[(group, override)] = found
        return found


def merge(base: GuardSettings, override: Override | Mapping[str, Any]) -> GuardSettings:
    items = dict(override)
    if items.get("pii") in ("block", "allow") and "pii_internal_only" not in items:
        items["pii_internal_only"] = False  # nothing to route: the group's routing lapses
    return GuardSettings.model_validate({**base.model_dump(), **items})


def check(override: Mapping[str, Any], groups: Mapping[str, GuardSettings]) -> str | None:
    """Why a key's guard settings cannot apply to one of ``groups`` (the groups the key
    may call; None when they apply to all)."""
    for name, base in groups.items():
        try:
            merge(base, override)
        except ValidationError as exc:
            first = exc.errors()[0]
            return f"with model group '{name}': {first['msg']}"
    return None
