"""Keys, roles, tenants and the admin API, as clients see them."""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
import pytest

from seawall import config
from seawall.gateway import Gateway

ADMIN = "admin-key-0123456789abcdef"
ALICE = "alice-key-0123456789abcdef"  # tenant acme, user
REVIEWER = "review-key-0123456789abcdef"  # tenant acme, reviewer only
SIM = {"name": "sim", "deployments": [{"id": "s", "provider": "simulated", "model": "m"}]}
OTHER = {"name": "other", "deployments": [{"id": "o", "provider": "simulated", "model": "m"}]}
BODY = {"model": "sim", "messages": [{"role": "user", "content": "hello"}]}
KEYS = [
    {"key": ALICE, "name": "alice", "tenant": "acme", "models": ["sim"]},
    {"key": REVIEWER, "name": "rev", "tenant": "acme", "roles": ["reviewer"]},
]


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


@pytest.fixture
def make(in_process):
    async def make(**extra: object) -> httpx.AsyncClient:
        return await in_process({"models": [SIM, OTHER], **extra})

    return make


async def secured(make, **extra: object) -> httpx.AsyncClient:
    return await make(admin_key=ADMIN, keys=KEYS, **extra)


async def new_key(http: httpx.AsyncClient, **fields: object) -> dict:
    response = await http.post("/admin/keys", json=fields, headers=bearer(ADMIN))
    assert response.status_code == 201, response.text
    return response.json()


PROTECTED = [
    ("POST", "/v1/chat/completions"),
    ("POST", "/v1/embeddings"),
    ("GET", "/v1/models"),
    ("GET", "/v1/models/sim"),
    ("GET", "/v1/traces"),
    ("GET", "/v1/traces/abc"),
    ("GET", "/metrics"),
    ("GET", "/admin/keys"),
    ("POST", "/admin/keys"),
    ("DELETE", "/admin/keys/key_1"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_every_protected_route_refuses_a_missing_or_wrong_key(make, method, path):
    http = await secured(make)
    for headers in ({}, bearer("not-a-key-at-all-0000"), {"authorization": ALICE}):
        response = await http.request(method, path, headers=headers, json=BODY)
        assert response.status_code == 401, (method, path, headers, response.text)
        error = response.json()["error"]
        assert error["type"] == "authentication_error" and error["code"] == "invalid_api_key"
        assert response.headers["x-should-retry"] == "false"


async def test_probes_need_no_key_and_metrics_can_be_made_public(make):
    http = await secured(make)
    assert (await http.get("/healthz")).status_code == 200
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and "warnings" not in ready.json()
    # metrics span every tenant: a tenant's key may not read them, an admin may
    assert (await http.get("/metrics", headers=bearer(ALICE))).status_code == 403
    assert (await http.get("/metrics", headers=bearer(ADMIN))).status_code == 200
    public = await secured(make, metrics={"public": True})
    assert (await public.get("/metrics")).status_code == 200


async def test_a_key_calls_only_its_model_groups(make):
    http = await secured(make)
    ok = await http.post("/v1/chat/completions", json=BODY, headers=bearer(ALICE))
    assert ok.status_code == 200
    refused = await http.post(
        "/v1/chat/completions", json={**BODY, "model": "other"}, headers=bearer(ALICE)
    )
    assert refused.status_code == 403
    assert refused.json()["error"] | {"message": ""} == {
        "message": "",
        "type": "permission_error",
        "code": "forbidden",
        "param": "model",
    }
    listed = (await http.get("/v1/models", headers=bearer(ALICE))).json()["data"]
    assert [m["id"] for m in listed] == ["sim"]
    assert (await http.get("/v1/models/other", headers=bearer(ALICE))).status_code == 404


async def test_admin_routes_need_the_admin_role(make):
    http = await secured(make)
    for key in (ALICE, REVIEWER):
        response = await http.get("/admin/keys", headers=bearer(key))
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert (await http.get("/admin/keys", headers=bearer(ADMIN))).status_code == 200


async def test_an_open_gateway_says_so_and_has_no_admin_api(make):
    http = await make()
    assert (await http.post("/v1/chat/completions", json=BODY)).status_code == 200
    ready = (await http.get("/readyz")).json()
    assert ready["status"] == "ok" and "authentication is off" in ready["warnings"][0]
    response = await http.get("/admin/keys")
    assert response.status_code == 403 and "admin_key" in response.json()["error"]["message"]


async def test_created_key_is_shown_once_and_works(make):
    http = await secured(make)
    created = await new_key(http, tenant="globex", name="ci", rpm=10, budget={"usd": 5})
    key = created["key"]
    assert key.startswith("sk-sw-") and len(key) >= 40
    assert created["prefix"] == key[:10] + "..." and created["budget"]["period"] == "month"
    shown = (await http.get("/admin/keys/alice", headers=bearer(ADMIN))).json()
    assert shown["prefix"] == ALICE[:6] + "..."  # a short key shows only a quarter of itself
    answer = await http.post("/v1/chat/completions", json=BODY, headers=bearer(key))
    assert answer.status_code == 200
    shown = (await http.get(f"/admin/keys/{created['id']}", headers=bearer(ADMIN))).json()
    assert "key" not in shown and shown["tenant"] == "globex" and shown["rpm"] == 10
    listing = (await http.get("/admin/keys?tenant=globex", headers=bearer(ADMIN))).json()
    assert [k["id"] for k in listing["data"]] == [created["id"]]
    everything = (await http.get("/admin/keys", headers=bearer(ADMIN))).json()["data"]
    assert {k["id"] for k in everything} >= {"alice", "rev", "admin", created["id"]}
    assert all("key" not in k for k in everything)


async def test_keys_are_stored_as_keyed_digests_never_in_plain_text(make, tmp_path):
    http = await secured(make, tracing={"capture_content": True})
    created = await new_key(http, tenant="globex")
    await http.post("/v1/chat/completions", json=BODY, headers=bearer(created["key"]))
    await http._transport.app.gateway.traces.flush()  # type: ignore[attr-defined]
    raw = (tmp_path / "gw.db").read_bytes()
    for path in tmp_path.glob("gw.db*"):
        raw += path.read_bytes()
    assert created["key"].encode() not in raw and created["key"][6:].encode() not in raw
    with sqlite3.connect(tmp_path / "gw.db") as db:
        (stored,) = db.execute("SELECT digest FROM api_keys").fetchone()
    assert len(stored) == 64 and stored not in created["key"]


async def test_revoked_and_expired_keys_are_refused(make):
    http = await secured(make)
    created = await new_key(http, tenant="globex")
    revoked = await http.delete(f"/admin/keys/{created['id']}", headers=bearer(ADMIN))
    assert revoked.json()["revoked_at"] is not None
    response = await http.post("/v1/chat/completions", json=BODY, headers=bearer(created["key"]))
    assert response.status_code == 401 and "revoked" in response.json()["error"]["message"]
    past = await http.post(
        "/admin/keys", json={"expires_at": "2020-01-01T00:00:00Z"}, headers=bearer(ADMIN)
    )
    assert past.status_code == 400 and past.json()["error"]["param"] == "expires_at"
    expired = {"key": "expired-key-0123456789", "name": "old", "expires_at": "2020-01-01T00:00:00Z"}
    http = await make(admin_key=ADMIN, keys=[*KEYS, expired])
    response = await http.post("/v1/chat/completions", json=BODY, headers=bearer(expired["key"]))
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]


async def test_rotation_keeps_the_old_key_for_its_grace_period_only(make):
    http = await secured(make)
    created = await new_key(http, tenant="globex")
    path = f"/admin/keys/{created['id']}/rotate"
    rotated = (await http.post(path, json={"grace_s": 0.3}, headers=bearer(ADMIN))).json()
    assert rotated["id"] == created["id"] and rotated["key"] != created["key"]
    for key in (created["key"], rotated["key"]):
        response = await http.post("/v1/chat/completions", json=BODY, headers=bearer(key))
        assert response.status_code == 200
    await asyncio.sleep(0.35)
    stale = await http.post("/v1/chat/completions", json=BODY, headers=bearer(created["key"]))
    assert stale.status_code == 401 and "rotated" in stale.json()["error"]["message"]
    assert rotated["prefix"] not in stale.json()["error"]["message"]  # names no new key
    fresh = await http.post("/v1/chat/completions", json=BODY, headers=bearer(rotated["key"]))
    assert fresh.status_code == 200


async def test_update_changes_only_the_fields_sent(make):
    http = await secured(make)
    created = await new_key(http, tenant="globex", rpm=5, models=["sim"])
    path = f"/admin/keys/{created['id']}"
    changed = await http.patch(
        path, json={"rpm": None, "roles": ["user", "reviewer"]}, headers=bearer(ADMIN)
    )
    body = changed.json()
    assert body["rpm"] is None and body["roles"] == ["user", "reviewer"]
    assert body["models"] == ["sim"] and body["tenant"] == "globex"
    # the replica that made the change drops its cached copy at once
    review = await http.get("/admin/keys", headers=bearer(created["key"]))
    assert review.status_code == 403


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"rpm": 0}, "rpm"),
        ({"rpm": "5"}, "rpm"),
        ({"roles": ["root"]}, "roles.0"),
        ({"models": ["nope"]}, "models"),
        ({"tenant": "has space"}, "tenant"),
        ({"colour": "red"}, "colour"),
        ({"budget": {"usd": -1}}, "budget.usd"),
    ],
)
async def test_bad_key_fields_are_400_naming_the_field(make, body, param):
    http = await secured(make)
    response = await http.post("/admin/keys", json=body, headers=bearer(ADMIN))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == param


async def test_config_keys_cannot_be_changed_through_the_api(make):
    http = await secured(make)
    response = await http.delete("/admin/keys/alice", headers=bearer(ADMIN))
    assert response.status_code == 409 and "config file" in response.json()["error"]["message"]
    assert (await http.get("/admin/keys/nope", headers=bearer(ADMIN))).status_code == 404


async def test_revocation_reaches_another_replica_within_the_cache_time(make):
    first = await secured(make, auth={"cache_s": 0.2})
    second = await secured(make, auth={"cache_s": 0.2})  # same durable store
    created = await new_key(first, tenant="globex")
    call = {"json": BODY, "headers": bearer(created["key"])}
    assert (await second.post("/v1/chat/completions", **call)).status_code == 200
    await first.delete(f"/admin/keys/{created['id']}", headers=bearer(ADMIN))
    await asyncio.sleep(0.25)
    assert (await second.post("/v1/chat/completions", **call)).status_code == 401


async def test_a_tenant_reads_only_its_own_traces(make):
    http = await secured(make)
    globex = (await new_key(http, tenant="globex"))["key"]
    mine = await http.post("/v1/chat/completions", json=BODY, headers=bearer(ALICE))
    theirs = await http.post("/v1/chat/completions", json=BODY, headers=bearer(globex))
    await http._transport.app.gateway.traces.flush()  # type: ignore[attr-defined]
    mine_id, theirs_id = (r.headers["x-seawall-trace-id"] for r in (mine, theirs))
    listed = (await http.get("/v1/traces", headers=bearer(ALICE))).json()["data"]
    assert [t["id"] for t in listed] == [mine_id] and listed[0]["tenant"] == "acme"
    assert (await http.get(f"/v1/traces/{theirs_id}", headers=bearer(ALICE))).status_code == 404
    assert (await http.get(f"/v1/traces/{mine_id}", headers=bearer(ALICE))).status_code == 200
    every = (await http.get("/v1/traces", headers=bearer(ADMIN))).json()["data"]
    assert {t["id"] for t in every} == {mine_id, theirs_id}


async def test_the_bootstrap_admin_key_can_come_from_the_environment():
    settings = config.parse({"models": [SIM]}, env={"SEAWALL_ADMIN_KEY": ADMIN})
    assert settings.admin_key == ADMIN and settings.auth_enabled
    assert ADMIN not in repr(settings)


async def test_known_keys_keep_working_while_the_key_store_is_down(make):
    http = await secured(make, auth={"cache_s": 0})
    created = await new_key(http, tenant="globex")
    call = {"json": BODY, "headers": bearer(created["key"])}
    assert (await http.post("/v1/chat/completions", **call)).status_code == 200
    store = http._transport.app.gateway.accounts  # type: ignore[attr-defined]

    async def down(digest: str) -> None:
        raise ConnectionError("the database is gone")

    store.key_by_digest = down
    assert (await http.post("/v1/chat/completions", **call)).status_code == 200  # last copy
    unknown = await http.post("/v1/chat/completions", json=BODY, headers=bearer("x" * 30))
    assert unknown.status_code == 503 and unknown.json()["error"]["code"] == "auth_unavailable"
    assert unknown.headers["retry-after"] == "2"
    assert (await http.get("/healthz")).status_code == 200


async def test_a_change_racing_a_revocation_does_not_undo_it(make):
    first = await secured(make)
    second = await secured(make)  # another replica, same durable store
    created = await new_key(first, tenant="globex")
    path = f"/admin/keys/{created['id']}"
    ring = second._transport.app.gateway.keys  # type: ignore[attr-defined]
    stale = await ring.get(created["id"])  # the other replica read the key ...
    await first.delete(path, headers=bearer(ADMIN))  # ... then it was revoked ...
    original = ring._store.key_by_id

    async def stale_once(key_id: str):  # ... and that replica writes from its old read
        ring._store.key_by_id = original
        return stale

    ring._store.key_by_id = stale_once
    patched = await second.patch(path, json={"rpm": 1200}, headers=bearer(ADMIN))
    assert patched.status_code == 200
    body = patched.json()
    assert body["revoked_at"] is not None and body["rpm"] == 1200
    call = {"json": BODY, "headers": bearer(created["key"])}
    assert (await second.post("/v1/chat/completions", **call)).status_code == 401


async def test_a_missing_admin_key_does_not_silently_open_a_gateway_with_keys(make, tmp_path):
    from seawall.errors import ConfigError

    http = await secured(make)
    await new_key(http, tenant="globex")
    settings = config.parse(
        {"models": [SIM], "stores": {"durable": f"sqlite:///{tmp_path}/gw.db"}}, env={}
    )
    gateway = Gateway(settings)
    with pytest.raises(ConfigError, match="would be open"):
        await gateway.start()
    await gateway.close()
    deliberate = config.parse(
        {
            "models": [SIM],
            "stores": {"durable": f"sqlite:///{tmp_path}/gw.db"},
            "auth": {"allow_open": True},
        },
        env={},
    )
    opened = Gateway(deliberate)
    await opened.start()
    await opened.close()


async def test_a_flood_of_made_up_keys_does_not_evict_real_ones(make, monkeypatch):
    from seawall.auth import keyring

    monkeypatch.setattr(keyring, "_CACHE_ENTRIES", 3)
    http = await secured(make, auth={"cache_s": 60})
    created = await new_key(http, tenant="globex")
    call = {"json": BODY, "headers": bearer(created["key"])}
    assert (await http.post("/v1/chat/completions", **call)).status_code == 200
    for n in range(10):
        bad = await http.post("/v1/chat/completions", json=BODY, headers=bearer(f"{n:030d}"))
        assert bad.status_code == 401
    store = http._transport.app.gateway.accounts  # type: ignore[attr-defined]
    looked_up = []
    original = store.key_by_digest

    async def counting(digest: str):
        looked_up.append(digest)
        return await original(digest)

    store.key_by_digest = counting
    assert (await http.post("/v1/chat/completions", **call)).status_code == 200
    assert looked_up == []  # still cached


async def test_config_keys_come_first_and_pages_keep_their_limit(make):
    http = await secured(make)
    for n in range(3):
        await new_key(http, tenant="globex", name=f"made-{n}")
    seen, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await http.get("/admin/keys" + query, headers=bearer(ADMIN))).json()
        assert len(page["data"]) <= 2
        seen += [k["id"] for k in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen[:3] == ["alice", "rev", "admin"] and len(seen) == len(set(seen)) == 6
