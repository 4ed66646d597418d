"""Fixtures for end-to-end tests: `cchc demo --no-serve` then `cchc serve` in subprocesses, as
the user would start them, and Debian's chromium driven by Playwright (never downloaded)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CCHC = str(Path(sys.executable).with_name("cchc"))
PASSWORD = "anphu2026"
SCREENSHOTS = (
    Path(os.environ.get("CCHC_SCREENSHOTS", "")) if os.environ.get("CCHC_SCREENSHOTS") else None
)

SLOW = 120_000  # an ingest (OCR, a garbled document) on a slow, shared machine

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="chromium not installed (make test installs it with apt-get)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("cchc-e2e")
    env = {**os.environ, "CCHC_DATA_DIR": str(data)}
    # this checkout's code, also when the venv's editable install points at another checkout
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in [src, env.get("PYTHONPATH", "")] if p)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([CCHC, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [CCHC, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("cchc serve did not start within 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_as(browser, server):
    pages = []

    def log_in(username: str, **options):
        """Options go to new_page (e.g. a phone's viewport and is_mobile=True)."""
        options = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN", **options}
        page = browser.new_page(**options)
        page.set_default_timeout(20_000)
        page.goto(server + "/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(server + "/")
        pages.append(page)
        return page

    yield log_in
    for page in pages:
        page.close()


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def upload_incoming(page, server: str, path: Path) -> str:
    """Upload as an incoming document from the ingest page; the document's address."""
    page.goto(server + "/van-ban/nhap/")
    page.select_option("select[name=direction]", "den")
    page.set_input_files("input[type=file]", str(path))
    row = page.locator("#jobs tbody tr", has_text=path.name).first
    row.locator(".st-done").wait_for(timeout=SLOW)
    row.locator("a").click()
    page.wait_for_selector("h1")
    return page.url.removeprefix(server)
