"""Playwright against the live server, driving Debian's /usr/bin/chromium (never a download)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE_WIDTH = 390


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 768},
        "accept_downloads": True,
    }


@pytest.fixture
def shot(page: Any) -> Any:
    """Screenshots at desktop and phone width, kept in screenshots/ for people to look at."""

    def take(name: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size({"width": 1366, "height": 768})
        # nothing may push the page sideways on a phone (wide tables scroll inside their card)
        assert width <= PHONE_WIDTH + 2, f"{name}: the page is {width}px wide on a phone"

    return take


@pytest.fixture
def login(page: Any, live_server: Any) -> Any:
    def do(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do
