"""The input guard through the server, with the official openai SDK."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import openai
import pytest

from tests.fakes.openai_server import Reply

SECRET_MAIL = "jasmin.rasmussen@fleckens.hu"
MESSAGES = [
    {"role": "system", "content": "You help with mail."},
    {"role": "user", "content": f"Draft a note to {SECRET_MAIL}, card 4929 7524 9019 7650."},
]
DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "pii_dev.jsonl"


def guarded(url: str, pii: str, tier: str = "fast") -> dict:
    chat = {
        "name": "chat",
        "deployments": [{"id": "a", "provider": "openai", "base_url": url, "model": "m"}],
        "guard": {"pii": pii, "pii_tier": tier},
    }
    return {"models": [chat], "tracing": {"capture_content": False}}


async def test_redacted_upstream_restored_for_the_caller(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Sent to <EMAIL_ADDRESS_1> using <CREDIT_CARD_1>.")
    gw = await start_gateway(guarded(upstream_a.url, "redact"))
    answer = await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    seen = json.dumps(upstream_a.fake.seen[0].body)
    assert SECRET_MAIL not in seen and "4929" not in seen
    assert "<EMAIL_ADDRESS_1>" in seen and "<CREDIT_CARD_1>" in seen
    assert answer.choices[0].message.content == (
        f"Sent to {SECRET_MAIL} using 4929 7524 9019 7650."
    )


async def test_a_streamed_answer_is_restored_across_chunks(start_gateway, upstream_a):
    # the fake streams word by word: "<EMAIL_ADDRESS_1>" arrives in one piece, so split it
    upstream_a.fake.default = Reply(text="To <EMAIL_ AD DRESS_1> done")
    gw = await start_gateway(guarded(upstream_a.url, "redact"))
    stream = await gw.client().chat.completions.create(model="chat", messages=MESSAGES, stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert "<EMAIL_ AD DRESS_1>" in text  # not a placeholder once split by spaces

    upstream_a.fake.default = Reply(text="To <EMAIL_ADDRESS_1> done")
    stream = await gw.client().chat.completions.create(model="chat", messages=MESSAGES, stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text.strip() == f"To {SECRET_MAIL} done"


async def test_block_refuses_naming_the_check(start_gateway, upstream_a):
    gw = await start_gateway(guarded(upstream_a.url, "block"))
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    assert refused.value.code == "guard_blocked"
    assert refused.value.param == "pii:CREDIT_CARD"
    assert upstream_a.fake.seen == []


async def test_flag_passes_the_text_and_marks_the_trace(start_gateway, upstream_a):
    gw = await start_gateway(guarded(upstream_a.url, "flag"))
    raw = await gw.client().chat.completions.with_raw_response.create(
        model="chat", messages=MESSAGES
    )
    assert SECRET_MAIL in json.dumps(upstream_a.fake.seen[0].body)
    await gw.gateway.traces.flush()
    async with httpx.AsyncClient() as http:
        trace = (await http.get(f"{gw.base_url}/traces/{raw.headers['x-seawall-trace-id']}")).json()
    span = next(s for s in trace["spans"] if s["name"] == "guard.pii")
    assert span["status"] == "flagged"
    assert span["attributes"]["types"] == "CREDIT_CARD,EMAIL_ADDRESS"


async def test_the_heavy_tier_redacts_names_and_places_and_restores_them(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Booked for <PERSON_1>, arriving in <LOCATION_1>.")
    gw = await start_gateway(guarded(upstream_a.url, "redact", "heavy"))
    messages = [
        {
            "role": "user",
            "content": "Book a room for Margarethe Lindqvist in Reykjavik; mail "
            f"{SECRET_MAIL} the details.",
        }
    ]
    stream = await gw.client().chat.completions.create(model="chat", messages=messages, stream=True)
    answer = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    seen = json.dumps(upstream_a.fake.seen[0].body)
    assert "Lindqvist" not in seen and "Reykjavik" not in seen and SECRET_MAIL not in seen
    assert "<PERSON_1>" in seen and "<LOCATION_1>" in seen and "<EMAIL_ADDRESS_1>" in seen
    assert answer.strip() == "Booked for Margarethe Lindqvist, arriving in Reykjavik."


async def test_the_fast_tier_leaves_names_alone(start_gateway, upstream_a):
    gw = await start_gateway(guarded(upstream_a.url, "redact"))
    messages = [{"role": "user", "content": "Book a room for Margarethe Lindqvist in Reykjavik."}]
    await gw.client().chat.completions.create(model="chat", messages=messages)
    assert "Margarethe Lindqvist" in json.dumps(upstream_a.fake.seen[0].body)


async def test_allow_does_not_look(start_gateway, upstream_a):
    gw = await start_gateway(guarded(upstream_a.url, "allow"))
    await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    assert SECRET_MAIL in json.dumps(upstream_a.fake.seen[0].body)


def eval_pii(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "seawall.cli.main", "eval", "pii", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_eval_pii_prints_the_contract_json(tmp_path):
    data = tmp_path / "pii.jsonl"
    rows = [
        {"text": "mail a@b.io now", "entities": [{"type": "EMAIL_ADDRESS", "start": 5, "end": 11}]},
        {"text": "Ann lives here", "entities": [{"type": "PERSON", "start": 0, "end": 3}]},
        {"text": "ip 10.1.2.3 ok", "entities": []},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows))
    done = eval_pii("--data", str(data), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["task"] == "pii" and result["tier"] == "fast" and result["n_entities"] == 2
    assert (result["precision"], result["recall"]) == (0.5, 0.5)  # 1 of 2 found; 1 wrong
    assert result["by_type"]["PERSON"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert set(result["latency_ms"]) == {"p50", "p99"}


def test_eval_pii_heavy_tier_scores_unseen_files_as_shipped(tmp_path):
    data = tmp_path / "pii.jsonl"
    text = "Please forward the invoice to Margarethe Lindqvist, who is 34 years old."
    rows = [
        {
            "text": text,
            "entities": [
                {"type": "PERSON", "start": 30, "end": 50},
                {"type": "AGE", "start": 59, "end": 61},
            ],
        }
    ]
    data.write_text(json.dumps(rows[0]))
    done = eval_pii("--data", str(data), "--tier", "heavy", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["tier"] == "heavy" and result["out_of_fold"] is False
    assert result["rows_seen_in_training"] == 0
    assert (result["precision"], result["recall"]) == (1.0, 1.0), result


def test_eval_pii_names_the_tiers_it_knows(tmp_path):
    data = tmp_path / "pii.jsonl"
    data.write_text('{"text": "x", "entities": []}\n')
    done = eval_pii("--data", str(data), "--tier", "huge")
    assert done.returncode == 2 and "fast, heavy" in done.stderr


@pytest.mark.skipif(not DATA.exists(), reason="the shared dev data is not beside the repo")
@pytest.mark.timeout(600)
def test_the_heavy_tier_out_of_fold_dev_figures_hold():
    """Five refits, each without a fifth of the templates: ~2 minutes on one core. The
    target is micro F1 >= 0.80; what the tier reaches is in the README, and this floor
    sits just under it so that a regression fails."""
    done = eval_pii("--data", str(DATA), "--tier", "heavy", "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["out_of_fold"] is True and result["rows_seen_in_training"] > 1800
    assert result["f1"] >= 0.73 and result["precision"] >= 0.75, result
    assert result["by_type"]["PERSON"]["f1"] >= 0.8, result["by_type"]["PERSON"]


def test_eval_pii_refuses_bad_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n')
    done = eval_pii("--data", str(bad), "--json")
    assert done.returncode == 2 and "missing entities" in done.stderr and done.stdout == ""


@pytest.mark.skipif(not DATA.exists(), reason="the shared dev data is not beside the repo")
def test_the_fast_tier_holds_its_figures_on_the_dev_data():
    done = eval_pii("--data", str(DATA), "--json")
    result = json.loads(done.stdout)
    by_type = result["by_type"]
    for name in ("EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "URL"):
        assert by_type[name]["f1"] >= 0.95, (name, by_type[name])
    assert by_type["PHONE_NUMBER"]["f1"] >= 0.9
    assert result["precision"] >= 0.95


async def test_traces_keep_no_value_the_guard_found(start_gateway, upstream_a):
    config = guarded(upstream_a.url, "redact")
    config["tracing"] = {"capture_content": True}
    upstream_a.fake.default = Reply(text="Sent to <EMAIL_ADDRESS_1>.")
    gw = await start_gateway(config)
    raw = await gw.client().chat.completions.with_raw_response.create(
        model="chat", messages=MESSAGES
    )
    await gw.gateway.traces.flush()
    async with httpx.AsyncClient() as http:
        trace = (await http.get(f"{gw.base_url}/traces/{raw.headers['x-seawall-trace-id']}")).json()
    assert "<EMAIL_ADDRESS_1>" in trace["request"] and SECRET_MAIL not in trace["request"]
    assert trace["response"] is None


def split_config(url_a: str, url_b: str) -> dict:
    chat = {
        "name": "chat",
        "deployments": [
            {"id": "cloud", "provider": "openai", "base_url": url_a, "model": "m"},
            {"id": "edge", "provider": "openai", "base_url": url_b, "model": "m", "internal": True},
        ],
        "guard": {"pii": "flag", "pii_internal_only": True},
    }
    cloud_only = {
        "name": "cloud-only",
        "deployments": [{"id": "c2", "provider": "openai", "base_url": url_a, "model": "m"}],
        "guard": {"pii": "redact", "pii_internal_only": True},
    }
    return {"models": [chat, cloud_only]}


async def test_requests_with_pii_go_only_to_internal_deployments(
    start_gateway, upstream_a, upstream_b
):
    gw = await start_gateway(split_config(upstream_a.url, upstream_b.url))
    sdk = gw.client()
    for _ in range(4):
        raw = await sdk.chat.completions.with_raw_response.create(model="chat", messages=MESSAGES)
        assert raw.headers["x-seawall-deployment"] == "edge"
    plain = [{"role": "user", "content": "What is the capital of France?"}]
    served = set()
    for _ in range(8):
        raw = await sdk.chat.completions.with_raw_response.create(model="chat", messages=plain)
        served.add(raw.headers["x-seawall-deployment"])
    assert "cloud" in served  # without PII the cloud deployment serves too
    with pytest.raises(openai.InternalServerError) as refused:
        await sdk.chat.completions.create(model="cloud-only", messages=MESSAGES)
    assert refused.value.status_code == 502 and "skipped:external" in refused.value.message
    assert all(SECRET_MAIL not in json.dumps(s.body) for s in upstream_a.fake.seen)


@pytest.mark.parametrize(
    "row",
    [
        {"text": "x", "entities": [{"type": "EMAIL_ADDRESS", "end": 1}]},
        {"text": "x", "entities": [{"type": "EMAIL_ADDRESS", "start": 0, "end": 9}]},
        {"text": 5, "entities": []},
        {"text": "x", "entities": None},
    ],
)
def test_eval_pii_refuses_malformed_entities(tmp_path, row):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row))
    done = eval_pii("--data", str(bad), "--json")
    assert done.returncode == 2 and "row 1" in done.stderr and done.stdout == ""


async def test_a_blocked_request_leaves_no_text_in_traces(start_gateway, upstream_a):
    config = guarded(upstream_a.url, "block")
    config["tracing"] = {"capture_content": True}
    gw = await start_gateway(config)
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    trace_id = refused.value.response.headers["x-seawall-trace-id"]
    await gw.gateway.traces.flush()
    async with httpx.AsyncClient() as http:
        trace = (await http.get(f"{gw.base_url}/traces/{trace_id}")).json()
    assert trace["request"] is None and trace["status"] == 400


async def test_the_output_guard_through_the_server(start_gateway, upstream_a):
    key = "sk-proj-abcdefghijklmnopqrstuvwxyz123456"
    upstream_a.fake.default = Reply(text=f"Try the key {key} please")
    gw = await start_gateway(guarded(upstream_a.url, "redact"))
    answer = await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    assert answer.choices[0].message.content == "Try the key [REDACTED:SECRET] please"
    stream = await gw.client().chat.completions.create(model="chat", messages=MESSAGES, stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert key not in text and "[REDACTED:SECRET]" in text

    blocking = guarded(upstream_a.url, "redact")
    blocking["models"][0]["guard"]["output"] = "block"
    gw = await start_gateway(blocking)
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    assert refused.value.code == "guard_blocked" and refused.value.param == "output:SECRET"


async def test_embeddings_inputs_follow_the_same_policy(start_gateway, upstream_a):
    gw = await start_gateway(guarded(upstream_a.url, "redact"))
    await gw.client().embeddings.create(model="chat", input=[f"mail {SECRET_MAIL}", "plain"])
    sent = upstream_a.fake.seen[-1].body["input"]
    assert sent == ["mail <EMAIL_ADDRESS_1>", "plain"]
    await gw.client().embeddings.create(model="chat", input=[[1, 2, 3]])  # token arrays pass
    assert upstream_a.fake.seen[-1].body["input"] == [[1, 2, 3]]

    gw = await start_gateway(guarded(upstream_a.url, "block"))
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().embeddings.create(model="chat", input=f"mail {SECRET_MAIL}")
    assert refused.value.param == "pii:EMAIL_ADDRESS"
