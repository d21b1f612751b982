"""``/ui/reviews``: the reviewer's page. Server-rendered HTML, no script, no build step.

    GET  /ui/login                       a form for a reviewer key
    POST /ui/login                       key=...  -> session cookie, 303 to /ui/reviews
    GET  /ui/reviews                     pending reviews with their context, and forms
    POST /ui/reviews/{id}/approve        csrf=..., edited_response=...  -> 303 back
    POST /ui/reviews/{id}/reject         csrf=..., reason=...           -> 303 back
    POST /ui/logout                      csrf=...

The session is a cookie (``HttpOnly``, ``SameSite=Strict``, ``Path=/ui``, ``Secure``
behind https): the key's id and an expiry, signed with the secret every replica shares,
never the key. Each request checks the key again (revoked, expired, rotated out), so a
session ends with its key. Every form carries a CSRF token bound to the session; a
POST without the right one is refused. Pages send a strict Content-Security-Policy.
"""

from __future__ import annotations

import hmac
import html
import time
from typing import Any
from urllib.parse import parse_qs, quote

from ..auth.keyring import KeyRing
from ..auth.keys import Principal
from ..errors import BadRequest, Forbidden, SeawallError, Unauthorized
from .asgi import Exchange, read_body, send_bytes
from .reviews import ReviewsApi

COOKIE = "seawall_session"
_SESSION_S = 8 * 3600
_MAX_FORM = 256 * 1024
_SECURITY = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.review{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.meta{color:#555;font-size:.85rem}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}
textarea{width:100%;min-height:6rem;font:inherit}input[type=text]{width:60%}
.notice{background:#eef6ee;padding:.5rem}.error{background:#fbeaea;padding:.5rem}
"""


class ReviewPage:
    def __init__(self, keys: KeyRing, reviews: ReviewsApi, limit: int) -> None:
        self._keys = keys
        self._reviews = reviews
        self._limit = min(limit, _MAX_FORM)

    # sign in and out

    async def login_form(self, x: Exchange, problem: str = "") -> None:
        error = f'<p class="error">{html.escape(problem)}</p>' if problem else ""
        body = f"""<h1>Seawall reviews: sign in</h1>{error}
<form method="post" action="/ui/login">
<label>Reviewer key <input type="password" name="key" autocomplete="off" required></label>
<button type="submit">Sign in</button></form>"""
        await self._page(x, 401 if problem else 200, "Sign in", body)

    async def login(self, x: Exchange) -> None:
        form = await self._form(x)
        try:
            principal = await self._keys.authenticate(f"Bearer {form.get('key', '')}")
        except Unauthorized as exc:
            await self.login_form(x, exc.message)
            return
        if not principal.has("reviewer"):
            await self.login_form(x, "this key has no reviewer role")
            return
        expires = int(time.time()) + _SESSION_S
        payload = f"{principal.key_id}|{expires}"
        token = f"{payload}|{self._keys.mac('ui-session', payload)}"
        secure = "; Secure" if x.scope.get("scheme") == "https" else ""
        cookie = (
            f"{COOKIE}={quote(token)}; Path=/ui; HttpOnly; SameSite=Strict; "
            f"Max-Age={_SESSION_S}{secure}"
        )
        await _redirect(x, "/ui/reviews", [(b"set-cookie", cookie.encode())])

    async def logout(self, x: Exchange) -> None:
        session = await self._session(x)
        if session is not None and not self._csrf_ok(session[1], await self._form(x)):
            await self._page(x, 403, "Refused", _CSRF_REFUSED)
            return
        cookie = f"{COOKIE}=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0"
        await _redirect(x, "/ui/login", [(b"set-cookie", cookie.encode())])

    # the queue

    async def listing(self, x: Exchange) -> None:
        session = await self._session(x)
        if session is None:
            await _redirect(x, "/ui/login")
            return
        principal, token = session
        csrf = self._csrf(token)
        pending = await self._reviews.listed(principal, "pending", 100)
        query = parse_qs(x.scope.get("query_string", b"").decode())
        notice = "".join(
            f'<p class="notice">{html.escape(v[:300])}</p>' for v in query.get("done", [])[:1]
        ) + "".join(
            f'<p class="error">{html.escape(v[:300])}</p>' for v in query.get("problem", [])[:1]
        )
        items = "".join(_review_html(r, csrf) for r in pending) or "<p>Nothing to review.</p>"
        body = f"""<h1>Reviews waiting ({len(pending)})</h1>
<p class="meta">Signed in as {html.escape(principal.key_id)} ({html.escape(principal.tenant)})
<form method="post" action="/ui/logout" style="display:inline">
<input type="hidden" name="csrf" value="{csrf}"><button type="submit">Sign out</button>
</form></p>{notice}{items}"""
        await self._page(x, 200, "Reviews", body)

    async def decide(self, x: Exchange) -> None:
        session = await self._session(x)
        if session is None:
            await _redirect(x, "/ui/login")
            return
        principal, token = session
        form = await self._form(x)
        if not self._csrf_ok(token, form):
            await self._page(x, 403, "Refused", _CSRF_REFUSED)
            return
        rest = x.scope["path"].removeprefix("/ui/reviews/")
        review_id, _, action = rest.partition("/")
        if action not in ("approve", "reject"):
            raise BadRequest(f"no action {action!r}")
        document: dict[str, Any] = {}
        if action == "reject":
            document["reason"] = form.get("reason", "")
        else:
            # browsers send a textarea's line breaks as CRLF
            edited = form.get("edited_response", "").replace("\r\n", "\n")
            if edited != form.get("proposed", "").replace("\r\n", "\n"):
                document["edited_response"] = edited
        try:
            await self._reviews.act(principal, review_id, action, document)
        except SeawallError as exc:
            await _redirect(x, f"/ui/reviews?problem={quote(f'{review_id}: {exc.message}')}")
            return
        done = f"{review_id}: {'approved' if action == 'approve' else 'rejected'}"
        await _redirect(x, f"/ui/reviews?done={quote(done)}")

    # plumbing

    async def _session(self, x: Exchange) -> tuple[Principal, str] | None:
        token = _cookie(x.headers.get("cookie", ""), COOKIE)
        parts = token.split("|") if token else []
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        payload = f"{parts[0]}|{parts[1]}"
        if not hmac.compare_digest(parts[2], self._keys.mac("ui-session", payload)):
            return None
        if int(parts[1]) < time.time():
            return None
        try:
            principal = await self._keys.principal_of(parts[0])
        except Unauthorized:
            return None  # the key was revoked or expired since: the session ends with it
        return (principal, token) if principal.has("reviewer") else None

    def _csrf(self, token: str) -> str:
        return self._keys.mac("ui-csrf", token)

    def _csrf_ok(self, token: str, form: dict[str, str]) -> bool:
        return hmac.compare_digest(form.get("csrf", ""), self._csrf(token))

    async def _form(self, x: Exchange) -> dict[str, str]:
        origin = x.headers.get("origin")
        if origin is not None and origin != "null" and _host(origin) != x.headers.get("host"):
            # a form posted from another site (login CSRF included): browsers say where
            # a POST comes from, and this page only takes its own
            raise Forbidden("forms are taken from this gateway's own pages only")
        kind = x.headers.get("content-type", "")
        if not kind.startswith("application/x-www-form-urlencoded"):
            raise BadRequest("expected a form (application/x-www-form-urlencoded)")
        raw = await read_body(x.receive, x.headers, self._limit)
        fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v[0] for k, v in fields.items()}

    async def _page(self, x: Exchange, status: int, title: str, body: str) -> None:
        document = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} - Seawall</title><style>{_STYLE}</style></head>
<body>{body}</body></html>"""
        headers = [*x.base, *_SECURITY]
        await send_bytes(x.send, status, document.encode(), b"text/html; charset=utf-8", headers)


_CSRF_REFUSED = """<h1>Refused</h1><p class="error">The form's CSRF token is missing or
wrong, so nothing was done. <a href="/ui/reviews">Reload the reviews</a> and try again.</p>"""


def _review_html(review: dict[str, Any], csrf: str) -> str:
    review_id = html.escape(review["id"])
    request = review.get("request") or {}
    turns = "".join(
        f"<p><b>{html.escape(str(m.get('role', '?')))}</b></p><pre>{html.escape(_text(m))}</pre>"
        for m in request.get("messages") or []
        if isinstance(m, dict)
    )
    proposed = _answer_text(review.get("proposed") or {})
    escaped = html.escape(proposed)
    return f"""<section class="review" id="review-{review_id}">
<p class="meta">{review_id} &middot; model {html.escape(review["model"])} &middot;
caught by {html.escape(review["reason"])}</p>
<details open><summary>Request</summary>{turns}</details>
<form method="post" action="/ui/reviews/{review_id}/approve">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="proposed" value="{escaped}">
<label>Answer (edit before approving if needed)
<textarea name="edited_response">{escaped}</textarea></label>
<button type="submit" name="action" value="approve">Approve</button></form>
<form method="post" action="/ui/reviews/{review_id}/reject">
<input type="hidden" name="csrf" value="{csrf}">
<label>Reason <input type="text" name="reason" maxlength="2000"></label>
<button type="submit" name="action" value="reject">Reject</button></form>
</section>"""


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _answer_text(answer: dict[str, Any]) -> str:
    for choice in answer.get("choices") or ():
        message = choice.get("message") if isinstance(choice, dict) else None
        if isinstance(message, dict):
            return str(message.get("content") or "")
    return ""


def _host(origin: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(origin).netloc


def _cookie(header: str, name: str) -> str:
    from urllib.parse import unquote

    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return unquote(value)
    return ""


async def _redirect(x: Exchange, to: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [*x.base, *_SECURITY, (b"location", to.encode()), *(extra or [])]
    await send_bytes(x.send, 303, b"", b"text/plain", headers)
