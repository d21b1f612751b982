"""Prompts written one at a time for this project, not drawn from templates
(``written.jsonl``, 2,070 rows): the kinds the generated corpora covered too thinly,
found when ordinary prompts and attacks written apart from the training text
(``tests/data/injection_carry.jsonl``) were scored.

Benign, ``synthetic/benign/<kind>``: long "act as" set-ups (``act_as_long``), personas and
games with "stay in character" (``persona_play``), tasks about manuals, rules, prompts
and commands (``instruction_words``), everyday ignore / forget / skip / secret /
password (``override_words``), product system prompts with defensive rules
(``developer_rules``), questions about security and prompt injection
(``security_questions``), about the assistant itself (``about_the_assistant``) and about
developers' own prompts and models (``ml_engineering``), safe requests that sound unsafe
(``sounds_unsafe``), long pasted texts to work on (``long_paste``), support requests
(``support_agent``), and everyday requests in German, French, Spanish, Italian,
Portuguese and Dutch (``multilingual_plain``, ``multilingual_meta``,
``multilingual_daily``).

Attacks, ``synthetic/attack/<kind>``: attacks written natively in those six languages
(``multilingual_written``), secrets asked for piecemeal: backwards, letter by letter,
as an acrostic, encoded (``piecemeal_extraction``), and stories and games that smuggle
the request (``story_smuggling``).
"""

from __future__ import annotations

import json
from importlib import resources


def rows() -> list[dict[str, str]]:
    """Every row of ``written.jsonl``: ``{"text", "label", "source"}``."""
    data = resources.files(__package__).joinpath("written.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in data.splitlines() if line.strip()]
