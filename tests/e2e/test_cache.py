"""The answer cache through the server, with the official openai SDK."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import openai
import psycopg
import pytest

from seawall import embed
from tests.conftest import RunningGateway
from tests.fakes.openai_server import Reply

ADMIN = "admin-key-0123456789abcdef"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PRICE = {"input": 2.0, "output": 8.0}


def cached(url: str, cache: dict | None = None, guard: dict | None = None, **extra: Any) -> dict:
    chat = {
        "name": "chat",
        "deployments": [
            {"id": "a", "provider": "openai", "base_url": url, "model": "m", "price": PRICE}
        ],
        "cache": cache if cache is not None else {},
        "guard": guard or {"injection": "allow"},
    }
    return {"models": [chat], **extra}


def ask(text: str, system: str = "You answer briefly.") -> list[dict]:
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


def local(gw: RunningGateway) -> Any:
    """This replica's in-memory entries of the "chat" group."""
    return gw.gateway.cache_replica.local["chat"]


async def chat(gw: RunningGateway, text: str, client: Any = None, **options: Any) -> Any:
    """The raw response (headers) of one chat completion; the cache's writes are waited
    for, so the next request sees them."""
    client = client or gw.client()
    messages = options.pop("messages", None) or ask(text)
    raw = await client.chat.completions.with_raw_response.create(
        model="chat", messages=messages, **options
    )
    await gw.gateway.cache.drain()
    return raw


async def test_a_repeat_is_answered_from_the_cache(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Paris.")
    gw = await start_gateway(cached(upstream_a.url))
    first = await chat(gw, "What is the capital of France?")
    assert first.headers["x-seawall-cache"] == "miss"
    again = await chat(gw, "What is the capital of France?")
    assert again.headers["x-seawall-cache"] == "hit-exact"
    assert again.headers["x-seawall-deployment"] == "cache"
    answer = again.parse()
    assert answer.choices[0].message.content == "Paris."
    assert answer.usage.total_tokens == 0  # nothing was spent upstream
    assert len(upstream_a.fake.seen) == 1
    metrics = (await httpx.AsyncClient().get(f"{gw.url}/metrics")).text
    assert 'seawall_cache_lookups_total{model="chat",result="hit-exact"} 1.0' in metrics
    assert 'seawall_cache_saved_tokens_total{kind="completion",model="chat"}' in metrics


async def test_a_paraphrase_hits_and_a_near_miss_does_not(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Use the reset link on the sign-in page.")
    gw = await start_gateway(cached(upstream_a.url))
    await chat(gw, "How do I reset my password?")
    para = await chat(gw, "how can i reset my password")
    assert para.headers["x-seawall-cache"] == "hit-semantic"
    assert 0.85 <= float(para.headers["x-seawall-cache-similarity"]) < 1.0
    assert len(upstream_a.fake.seen) == 1
    for other in ("How do I reset my username?", "How do I not reset my password?"):
        miss = await chat(gw, other)
        assert miss.headers["x-seawall-cache"] == "miss", other


@pytest.mark.parametrize(
    ("first", "second", "vetoed"),
    [
        # MiniLM puts these two at 0.66: no candidate at all
        ("What is the capital of France?", "What is the capital of Germany?", ""),
        # these are at 0.93-0.99: candidates the verifier must turn down
        (
            "Is it safe to take ibuprofen with alcohol?",
            "Is it not safe to take ibuprofen with alcohol?",
            "negation",
        ),
        ("What was the score in week 3?", "What was the score in week 13?", "number"),
        ("Convert 10 euros to dollars", "Convert 10 dollars to euros", "order"),
    ],
)
async def test_traps_are_not_hits(start_gateway, upstream_a, first, second, vetoed):
    gw = await start_gateway(cached(upstream_a.url))
    await chat(gw, first)
    miss = await chat(gw, second)
    assert miss.headers["x-seawall-cache"] == "miss"
    assert len(upstream_a.fake.seen) == 2
    await gw.gateway.traces.flush()  # the trace says why
    async with httpx.AsyncClient() as http:
        trace = (
            await http.get(f"{gw.base_url}/traces/{miss.headers['x-seawall-trace-id']}")
        ).json()
    span = next(s for s in trace["spans"] if s["name"] == "cache.lookup")
    attrs = span["attributes"]
    if vetoed:
        assert attrs["candidates"] == 1 and attrs["rejected"] == vetoed
        assert attrs["nearest"] >= 0.85
    else:
        assert attrs["candidates"] == 0 and "rejected" not in attrs


async def test_scopes_never_share(start_gateway, upstream_a):
    keys = [
        {"key": "acme-key-0123456789abcdef", "tenant": "acme"},
        {"key": "glob-key-0123456789abcdef", "tenant": "globex"},
    ]
    gw = await start_gateway(cached(upstream_a.url, keys=keys, admin_key=ADMIN))
    acme = gw.client(api_key="acme-key-0123456789abcdef")
    globex = gw.client(api_key="glob-key-0123456789abcdef")
    question = "What is the capital of France?"
    await chat(gw, question, acme)
    assert (await chat(gw, question, acme)).headers["x-seawall-cache"] == "hit-exact"
    assert (await chat(gw, question, globex)).headers["x-seawall-cache"] == "miss"
    other_system = ask(question, system="You answer in French.")
    assert (await chat(gw, "", acme, messages=other_system)).headers["x-seawall-cache"] == "miss"
    history = [
        {"role": "user", "content": "I mean France in 1800."},
        {"role": "assistant", "content": "Noted."},
        {"role": "user", "content": question},
    ]
    assert (await chat(gw, "", acme, messages=history)).headers["x-seawall-cache"] == "miss"
    for options in ({"temperature": 0.2}, {"max_tokens": 7}, {"seed": 1}):
        assert (await chat(gw, question, acme, **options)).headers["x-seawall-cache"] == "miss"
    assert (await chat(gw, "What's the capital of France?", globex)).headers[
        "x-seawall-cache"
    ] == "hit-semantic"  # globex's own first answer, not acme's
    assert len(upstream_a.fake.seen) == 1 + 1 + 1 + 1 + 3


async def test_pii_is_neither_stored_nor_served_across_users(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="I wrote to <EMAIL_ADDRESS_1> about the invoice.")
    gw = await start_gateway(cached(upstream_a.url, guard={"pii": "redact", "injection": "allow"}))
    one = await chat(gw, "Email ana.silva@example.org about the invoice.")
    assert (
        one.parse().choices[0].message.content
        == "I wrote to ana.silva@example.org about the invoice."
    )
    two = await chat(gw, "Email li.wei@example.com about the invoice.")
    assert two.headers["x-seawall-cache"] == "hit-exact"  # the same question once redacted
    assert (
        two.parse().choices[0].message.content == "I wrote to li.wei@example.com about the invoice."
    )
    stream = await gw.client().chat.completions.create(
        model="chat", messages=ask("Email bo.berg@example.net about the invoice."), stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == "I wrote to bo.berg@example.net about the invoice."  # replayed, restored
    stored = json.dumps([(e.question, e.reply()) for e in local(gw).entries()])
    await gw.gateway.cache_replica.flush()
    rows = await gw.gateway.cache_replica.log.changes(0, 0.0, 100)
    stored += json.dumps([(c.entry.question, c.entry.reply()) for c in rows if c.entry])
    assert "<EMAIL_ADDRESS_1>" in stored
    assert "ana.silva" not in stored and "li.wei" not in stored and "bo.berg" not in stored
    assert len(upstream_a.fake.seen) == 1


async def test_flagged_answers_are_not_stored(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Call our desk at +1 415 555 0132 for that.")
    gw = await start_gateway(cached(upstream_a.url, guard={"output": "flag", "injection": "allow"}))
    await chat(gw, "Who do I call about my order?")
    assert (await chat(gw, "Who do I call about my order?")).headers["x-seawall-cache"] == "miss"
    assert len(local(gw)) == 0


async def test_only_finished_answers_are_stored(start_gateway, upstream_a):
    gw = await start_gateway(cached(upstream_a.url))
    upstream_a.fake.default = Reply(text="A long story", cut_after=2)
    with pytest.raises(openai.APIError):
        stream = await gw.client().chat.completions.create(
            model="chat", messages=ask("Tell me a story"), stream=True
        )
        async for _ in stream:
            pass
    await gw.gateway.cache.drain()
    assert len(local(gw)) == 0


async def test_a_hit_replays_as_a_stream(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Paris is the capital.")
    gw = await start_gateway(cached(upstream_a.url))
    stream = await gw.client().chat.completions.create(
        model="chat", messages=ask("Capital of France?"), stream=True
    )
    first = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    await gw.gateway.cache.drain()
    stream = await gw.client().chat.completions.create(
        model="chat",
        messages=ask("Capital of France?"),
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [c async for c in stream]
    replayed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert replayed == first.strip() or replayed == first
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 0
    plain = await chat(gw, "Capital of France?")  # a plain request shares the entry
    assert plain.headers["x-seawall-cache"] == "hit-exact"
    assert len(upstream_a.fake.seen) == 1


async def test_tool_calls_are_replayed(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(tool_call=True)
    gw = await start_gateway(cached(upstream_a.url))
    tools = [{"type": "function", "function": {"name": "weather", "parameters": {}}}]
    await chat(gw, "Weather in Paris?", tools=tools)
    hit = await chat(gw, "Weather in Paris?", tools=tools)
    assert hit.headers["x-seawall-cache"] == "hit-exact"
    call = hit.parse().choices[0].message.tool_calls[0]
    assert call.function.name == "weather" and json.loads(call.function.arguments) == {
        "city": "Paris"
    }


async def test_request_headers_control_the_cache(start_gateway, upstream_a):
    gw = await start_gateway(cached(upstream_a.url))
    q = "What is the capital of Spain?"
    await chat(gw, q, extra_headers={"Cache-Control": "no-store"})
    assert len(local(gw)) == 0
    await chat(gw, q)
    for fresh in ("no-cache", "max-age=0"):
        again = await chat(gw, q, extra_headers={"Cache-Control": fresh})
        assert again.headers["x-seawall-cache"] == "miss", fresh
    assert (await chat(gw, q, extra_headers={"x-seawall-cache-namespace": "faq"})).headers[
        "x-seawall-cache"
    ] == "miss"
    assert (await chat(gw, q, extra_headers={"x-seawall-cache-namespace": "faq"})).headers[
        "x-seawall-cache"
    ] == "hit-exact"
    await chat(gw, "Short lived?", extra_headers={"x-seawall-cache-ttl": "5"})
    entry = next(e for e in local(gw).entries() if e.question == "Short lived?")
    assert entry.expires_at - gw.gateway.clock.wall() <= 5
    for bad in ({"x-seawall-cache-ttl": "forever"}, {"x-seawall-cache-namespace": "a b"}):
        with pytest.raises(openai.BadRequestError) as refused:
            await chat(gw, q, extra_headers=bad)
        assert refused.value.param == next(iter(bad))


async def test_a_failing_embedder_skips_the_semantic_lookup(start_gateway, upstream_a, monkeypatch):
    gw = await start_gateway(cached(upstream_a.url))
    await chat(gw, "How do I reset my password?")

    async def broken(texts: Any) -> Any:
        raise embed.EmbedderUnavailable("gone")

    monkeypatch.setattr(embed.shared(), "aembed", broken)
    para = await chat(gw, "how can i reset my password")
    assert para.headers["x-seawall-cache"] == "miss"
    assert (await chat(gw, "How do I reset my password?")).headers["x-seawall-cache"] == "hit-exact"


async def test_a_slow_embedder_is_not_waited_for(start_gateway, upstream_a, monkeypatch):
    gw = await start_gateway(cached(upstream_a.url, cache={"embed_budget_ms": 20}))
    await chat(gw, "How do I reset my password?")

    async def slow(texts: Any) -> Any:
        await asyncio.sleep(1.0)
        raise AssertionError("not reached")

    monkeypatch.setattr(embed.shared(), "aembed", slow)
    para = await chat(gw, "how can i reset my password")
    assert para.headers["x-seawall-cache"] == "miss"


async def test_other_words_hit_only_when_the_model_can_align_them(
    start_gateway, upstream_a, monkeypatch
):
    gw = await start_gateway(cached(upstream_a.url, cache={"embed_budget_ms": 5000}))
    await chat(gw, "How can I speak English fluently?")
    question = "How do I talk fluent English?"  # 0.93, and "talk", "fluent" differ

    async def busy(texts: Any) -> Any:
        raise embed.EmbedderBusy("queue full")

    with monkeypatch.context() as patch:
        patch.setattr(embed.shared(), "apieces", busy)
        miss = await chat(gw, question)
    hit = await chat(gw, "How can I talk fluent English?")  # both are candidates
    assert [miss.headers["x-seawall-cache"], hit.headers["x-seawall-cache"]] == [
        "miss",
        "hit-semantic",
    ]
    await gw.gateway.traces.flush()
    spans = {}
    async with httpx.AsyncClient() as http:
        for name, response in (("miss", miss), ("hit", hit)):
            trace_id = response.headers["x-seawall-trace-id"]
            trace = (await http.get(f"{gw.base_url}/traces/{trace_id}")).json()
            spans[name] = {s["name"]: s for s in trace["spans"]}
    skipped = spans["miss"]["cache.align"]
    assert skipped["status"] == "skipped" and skipped["attributes"]["reason"] == "EmbedderBusy"
    assert spans["miss"]["cache.lookup"]["attributes"]["rejected"] == "unaligned"
    assert spans["hit"]["cache.align"]["attributes"] == {"texts": 2}


async def test_admin_deletes_entries_by_scope(start_gateway, upstream_a):
    keys = [
        {"key": "acme-key-0123456789abcdef", "tenant": "acme"},
        {"key": "glob-key-0123456789abcdef", "tenant": "globex"},
    ]
    gw = await start_gateway(cached(upstream_a.url, keys=keys, admin_key=ADMIN))
    for name in ("acme", "glob"):
        await chat(gw, "Capital of Italy?", gw.client(api_key=f"{name}-key-0123456789abcdef"))
    admin = {"authorization": f"Bearer {ADMIN}"}
    async with httpx.AsyncClient() as http:
        denied = await http.delete(
            f"{gw.url}/admin/cache", headers={"authorization": "Bearer acme-key-0123456789abcdef"}
        )
        assert denied.status_code == 403
        bad = await http.delete(f"{gw.url}/admin/cache?colour=red", headers=admin)
        assert bad.status_code == 400 and "colour" in bad.json()["error"]["message"]
        gone = await http.delete(f"{gw.url}/admin/cache?tenant=acme", headers=admin)
        assert gone.json() == {"deleted": 1}
    acme = gw.client(api_key="acme-key-0123456789abcdef")
    globex = gw.client(api_key="glob-key-0123456789abcdef")
    assert (await chat(gw, "Capital of Italy?", acme)).headers["x-seawall-cache"] == "miss"
    assert (await chat(gw, "Capital of Italy?", globex)).headers["x-seawall-cache"] == "hit-exact"


async def test_groups_without_the_section_are_not_cached(start_gateway, upstream_a):
    config = cached(upstream_a.url)
    del config["models"][0]["cache"]
    gw = await start_gateway(config)
    await chat(gw, "Capital of France?")
    raw = await chat(gw, "Capital of France?")
    assert "x-seawall-cache" not in raw.headers
    assert len(upstream_a.fake.seen) == 2


async def test_replicas_share_the_cache_through_redis_and_postgres(start_gateway, upstream_a):
    schema = f"seawall_test_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(POSTGRES, autocommit=True) as conn:
        await conn.execute(f"CREATE SCHEMA {schema}".encode())
    try:
        stores = {
            "hot": "redis://127.0.0.1:6379/0",
            "durable": f"{POSTGRES}?options=-csearch_path%3D{schema}",
            "cache_sync_s": 0.1,
        }
        # a loaded CI machine can take longer than the default 150 ms to embed, and the
        # lookup then goes on exact-only, by design: this test is about the replicas
        config = cached(upstream_a.url, cache={"embed_budget_ms": 5000}, stores=stores)
        one, two = await start_gateway(config), await start_gateway(config)
        question = f"What is the capital of France? ({schema})"
        await chat(one, question)
        exact = await chat(two, question)  # Redis: at once
        assert exact.headers["x-seawall-cache"] == "hit-exact"
        # the log: written and read at each replica's next beat, done here at once so
        # that a slow machine does not decide the test
        await one.gateway.cache_replica.flush()
        await two.gateway.cache_replica.sync()
        para = await chat(two, f"what's the capital of France? ({schema})")
        if para.headers["x-seawall-cache"] != "hit-semantic":  # rare: say why, for next time
            await two.gateway.traces.flush()
            trace = await two.gateway.traces.get(para.headers["x-seawall-trace-id"], None)
            looked = [span for span in trace.spans if span[0].startswith("cache")]
            local = two.gateway.cache_replica.local["chat"]
            entries = [e.question for e in local.entries()]
            vectors = sum(len(index.rows) for index in local._scopes.values())
            raise AssertionError(
                f"no semantic hit: {looked} {entries} vectors={vectors} "
                f"warm={two.gateway.cache_replica.warm}"
            )
        assert len(upstream_a.fake.seen) == 1
        admin = await start_gateway({**config, "admin_key": ADMIN})
        async with httpx.AsyncClient() as http:
            gone = await http.delete(
                f"{admin.url}/admin/cache", headers={"authorization": f"Bearer {ADMIN}"}
            )
        assert gone.json()["deleted"] >= 1
        await one.gateway.cache_replica.sync()  # the invalidation, read from the log
        assert (await chat(one, question)).headers["x-seawall-cache"] == "miss"
    finally:
        async with await psycopg.AsyncConnection.connect(POSTGRES, autocommit=True) as conn:
            await conn.execute(f"DROP SCHEMA {schema} CASCADE".encode())


async def test_a_restarted_gateway_keeps_its_cache(start_gateway, upstream_a, tmp_path):
    config = cached(
        upstream_a.url, stores={"hot": "memory", "durable": f"sqlite:///{tmp_path}/c.db"}
    )
    first = await start_gateway(config)
    await chat(first, "What is the capital of Peru?")
    await first.gateway.cache_replica.flush()
    second = await start_gateway(config)
    await asyncio.sleep(0.2)  # its first read of the log
    assert (await chat(second, "what's the capital of peru")).headers[
        "x-seawall-cache"
    ] == "hit-semantic"
