"""End to end in a real browser: Debian's chromium driven by Playwright against `cchc serve`,
on a deployment loaded by `cchc demo --no-serve`, both started here as the user would."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.documents import write_docx

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CCHC = str(Path(sys.executable).with_name("cchc"))
PASSWORD = "anphu2026"
SCREENSHOTS = (
    Path(os.environ.get("CCHC_SCREENSHOTS", "")) if os.environ.get("CCHC_SCREENSHOTS") else None
)

pytestmark = pytest.mark.skipif(
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

    def log_in(username: str):
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
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


def _document_to_upload(tmp_path: Path) -> tuple[Path, str]:
    """Seed 000 (garbled OCR of 595/UBND-NC) when ../shared is there, else our own công văn."""
    seed = SHARED / "seeds" / "000_be70aa770c8bee3d.txt"
    if seed.exists():
        return seed, "595/UBND-NC"
    return write_docx(tmp_path / "412.docx"), "412/UBND-NV"


def test_upload_see_fields_and_tasks_then_find_it_without_diacritics(page_as, server, tmp_path):
    path, number = _document_to_upload(tmp_path)
    page = page_as("noivu")
    page.goto(server + "/van-ban/nhap/")
    page.set_input_files("input[type=file]", str(path))
    row = page.locator("#jobs tbody tr", has_text=path.name).first
    row.locator(".st-done").wait_for(timeout=60_000)
    shot(page, "nhap-van-ban")
    row.locator("a").click()
    page.wait_for_selector("h1")
    assert number in page.inner_text("h1")
    assert page.input_value("input[name=number]") == number
    assert page.locator(".task-line").count() >= 1
    shot(page, "van-ban")

    page.goto(
        server
        + "/tim-kiem/?q="
        + ("cam ket thuc hien nhiem vu" if number == "595/UBND-NC" else "tang cuong ky luat")
    )
    hits = page.locator("article.hit")
    assert hits.count() >= 1
    assert number in hits.first.inner_text()
    assert page.locator("article.hit mark").count() >= 1
    shot(page, "tim-kiem")


def test_an_officer_finishes_their_task_and_is_refused_on_another_units(page_as, server):
    page = page_as("noivu")
    page.goto(server + "/cong-viec/")
    shot(page, "cong-viec")
    card = page.locator(".col-overdue a.task-card, .col-todo a.task-card").first
    card.click()
    page.select_option("select[name=status]", "done")
    page.fill("textarea[name=note]", "Đã hoàn thành, gửi kèm báo cáo")
    page.click("form.panel button.primary")
    assert "Hoàn thành" in page.inner_text(".page-head .pill")
    assert "Đã hoàn thành, gửi kèm báo cáo" in page.inner_text(".history")
    shot(page, "cong-viec-chi-tiet")

    page.goto(server + "/cong-viec/?unit=all")
    other = page.locator("a.task-card", has_text="VP HĐND-UBND").first
    other.click()
    assert page.locator("select[name=status]").count() == 0
    assert "Bạn chỉ xem được" in page.inner_text("main")
    refused = page.evaluate(
        """async () => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const id = location.pathname.split('/')[2];
            const r = await fetch(`/api/tasks/${id}/`, {method: 'PATCH',
              headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
              body: JSON.stringify({status: 'done'})});
            return r.status;
        }"""
    )
    assert refused == 403


def test_leaders_pages_render_without_raw_data(page_as, server):
    page = page_as("lanhdao")
    for name, url in [
        ("tong-quan", "/"),
        ("so-van-ban", "/van-ban/"),
        ("lich", "/lich/?year=2026&month=3&unit=all"),
        ("don-vi", "/don-vi/"),
    ]:
        page.goto(server + url)
        text = page.inner_text("main")
        assert "{'" not in text and '{"' not in text and "None" not in text, url
        if url == "/":
            assert page.locator("svg.chart rect").count() > 0
        shot(page, name)
