"""Prompts written one at a time for this project, not drawn from templates
(``written.jsonl``, 3,630 rows): the kinds the generated corpora covered too thinly,
found when ordinary prompts and attacks written apart from the training text
(``tests/data/injection_carry.jsonl``, then ``injection_blind.jsonl``) were scored.

Benign, ``synthetic/benign/<kind>``: long "act as" set-ups (``act_as_long``), personas and
games with "stay in character" (``persona_play``), tasks about manuals, rules, prompts
and commands (``instruction_words``), everyday ignore / forget / skip / secret /
password (``override_words``), product system prompts with defensive rules
(``developer_rules``), questions about security and prompt injection
(``security_questions``), about the assistant itself (``about_the_assistant``) and about
developers' own prompts and models (``ml_engineering``), safe requests that sound unsafe
(``sounds_unsafe``), long pasted texts to work on (``long_paste``), support requests
(``support_agent``), everyday requests in German, French, Spanish, Italian, Portuguese
and Dutch (``multilingual_plain``, ``multilingual_meta``, ``multilingual_daily``), the
user taking back their own earlier words (``reset_near_miss``), pasted chat logs and
transcripts to work on (``chat_transcripts``), code, tests and reviews that quote
attacks (``code_quoting_attacks``), agents' traces and tool results
(``agent_traces``), pasted documents (``pasted_documents``), operations requests
(``ops_and_admin``), and everyday requests in sixteen languages from Russian to Bengali,
most in other scripts than Latin (``non_latin_everyday``).

Attacks, ``synthetic/attack/<kind>``: attacks written natively in those six languages
(``multilingual_written``), secrets asked for piecemeal: backwards, letter by letter,
as an acrostic, encoded (``piecemeal_extraction``), stories and games that smuggle
the request (``story_smuggling``), resets of the context with a harmless new task
(``context_reset``), attacks in the sixteen languages (``non_latin_attacks``), attacks
planted in what an agent or a retrieval step reads (``indirect_in_context``), and
quiet ones without the usual words (``quiet_english``).
"""

from __future__ import annotations

import json
from importlib import resources


def rows() -> list[dict[str, str]]:
    """Every row of ``written.jsonl``: ``{"text", "label", "source"}``."""
    data = resources.files(__package__).joinpath("written.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in data.splitlines() if line.strip()]
