"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright against
pytest-django's live server. Nothing is downloaded: Playwright's own browsers are not used.

These tests never skip: if Chromium is missing they fail and say how to install it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Assertions wait longer than Playwright's 5 s default: CI runs two workers on two cores.
expect.set_options(timeout=15_000)


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """``new_context(**options)``: a fresh browser context (cookies, viewport) closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
        context.set_default_timeout(20_000)  # generous: CI runs two workers on two cores
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def demo(transactional_db):
    """The Cluster 9 demo data, loaded fresh for a browser test."""
    from django.core.management import call_command

    # The 2020 campaign stops in the self-assessment phase: the journeys below act in it.
    call_command("load_demo", force=True, stage="assessments", verbosity=0)


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(username)``: sign in through the real login form with the demo password."""
    from thidua.accounts.demo_accounts import DEMO_PASSWORD

    def do(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
