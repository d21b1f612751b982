"""The reviewer page, driven in headless Chromium (Playwright): sign in with a reviewer
key, read a held answer in its context, edit and approve it, reject another; the
session cookie is HttpOnly and SameSite, and forms without the CSRF token are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import openai
import pytest

from tests.conftest import RunningGateway
from tests.e2e.test_reviews import REVIEWER, USER, configured
from tests.fakes.openai_server import Reply

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


async def shows(page: Any, text: str) -> None:
    """Wait for the page a form's submission leads to, then find ``text`` on it (read at
    once, the page can still be the one being left, or empty)."""
    await page.get_by_text(text).first.wait_for(timeout=10_000)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        await launched.close()


async def hold(gw: RunningGateway, text: str) -> str:
    """One answer held for review; its job id."""
    messages = [{"role": "user", "content": text}]
    with pytest.raises(openai.ConflictError) as held:
        await gw.client(api_key=USER).chat.completions.create(model="chat", messages=messages)
    return str(held.value.body["job_id"])


async def job(gw: RunningGateway, job_id: str) -> dict:
    async with httpx.AsyncClient() as http:
        response = await http.get(
            f"{gw.url}/v1/jobs/{job_id}", headers={"authorization": f"Bearer {USER}"}
        )
    return dict(response.json())


async def test_a_reviewer_signs_in_edits_approves_and_rejects(browser, start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="Refund of 1500 EUR <b>approved</b>.")
    gw = await start_gateway(configured(upstream_a.url, {"when": ["always"], "wait_s": 0}))
    first = await hold(gw, "Refund order 42 <script>alert(1)</script>")
    second = await hold(gw, "Refund order 43")
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{gw.url}/ui/reviews")
    assert page.url.endswith("/ui/login")  # no session: sent to sign in
    await page.fill("input[name=key]", "wrong-key-0123456789abcdef")
    await page.click("button[type=submit]")
    await shows(page, "invalid API key")
    await page.fill("input[name=key]", REVIEWER)
    await page.click("button[type=submit]")
    assert page.url.endswith("/ui/reviews")
    assert await page.locator("h1").inner_text() == "Reviews waiting (2)"
    cookie = next(c for c in await context.cookies() if c["name"] == "seawall_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/ui"
    assert REVIEWER not in cookie["value"]  # the key itself is never in the cookie
    section = page.locator(f"#review-{first}")
    # the request is shown as text, never run as markup
    assert "<script>alert(1)</script>" in await section.locator("pre").first.inner_text()
    textarea = section.locator("textarea[name=edited_response]")
    assert await textarea.input_value() == "Refund of 1500 EUR <b>approved</b>."
    await textarea.fill("Refund of 150 EUR approved.\nThanks for waiting.")
    await section.locator("button[value=approve]").click()
    assert "approved" in await page.locator(".notice").inner_text()
    assert await page.locator("h1").inner_text() == "Reviews waiting (1)"
    done = await job(gw, first)
    assert done["status"] == "succeeded"
    # the browser sends the textarea's line break as CRLF; the caller gets \n
    content = done["result"]["choices"][0]["message"]["content"]
    assert content == "Refund of 150 EUR approved.\nThanks for waiting."
    other = page.locator(f"#review-{second}")
    await other.locator("input[name=reason]").fill("needs a manager")
    await other.locator("button[value=reject]").click()
    await shows(page, "Nothing to review.")
    rejected = await job(gw, second)
    assert rejected["status"] == "failed" and "needs a manager" in rejected["error"]["message"]
    await page.click("text=Sign out")
    await page.goto(f"{gw.url}/ui/reviews")
    assert page.url.endswith("/ui/login")
    await context.close()


async def test_forms_need_the_csrf_token_and_users_cannot_sign_in(
    browser, start_gateway, upstream_a
):
    gw = await start_gateway(configured(upstream_a.url, {"when": ["always"], "wait_s": 0}))
    held = await hold(gw, "Refund order 44")
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{gw.url}/ui/login")
    await page.fill("input[name=key]", USER)
    await page.click("button[type=submit]")
    await shows(page, "no reviewer role")
    await page.fill("input[name=key]", REVIEWER)
    await page.click("button[type=submit]")
    # a forged form from this session's browser, without the token
    response = await context.request.post(
        f"{gw.url}/ui/reviews/{held}/approve", form={"edited_response": "forged"}
    )
    assert response.status == 403
    assert "CSRF token is missing or" in await response.text()  # a page, not JSON
    assert (await job(gw, held))["status"] == "pending_review"
    headers = (await context.request.get(f"{gw.url}/ui/reviews")).headers
    assert "default-src 'none'" in headers["content-security-policy"]
    await context.close()


async def test_forms_posted_from_another_site_are_refused(start_gateway, upstream_a):
    gw = await start_gateway(configured(upstream_a.url, {"when": ["always"], "wait_s": 0}))
    async with httpx.AsyncClient() as http:
        form = {"key": REVIEWER}
        foreign = await http.post(
            f"{gw.url}/ui/login", data=form, headers={"origin": "https://evil.example"}
        )
        assert foreign.status_code == 403  # no session is made for another site's form
        assert "set-cookie" not in foreign.headers
        own = await http.post(f"{gw.url}/ui/login", data=form, headers={"origin": gw.url})
        assert own.status_code == 303 and "seawall_session" in own.headers["set-cookie"]
