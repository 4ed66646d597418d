"""End to end in a real browser: Debian's chromium driven by Playwright against `cchc serve`,
on a deployment loaded by `cchc demo --no-serve`, both started here as the user would."""

from __future__ import annotations

from pathlib import Path

from tests.browser_fixtures import needs_chromium, shot
from tests.conftest import SHARED
from tests.documents import write_docx

pytestmark = needs_chromium


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
    other = page.locator("a.task-card", has_text="VP UBND").first  # Văn phòng UBND tỉnh
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


def test_choosing_a_unit_reloads_the_calendar_under_the_pages_csp(page_as, server):
    page = page_as("lanhdao")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/lich/")
    assert "script-src 'self'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    with page.expect_navigation():
        page.select_option("select[name=unit]", label="Phòng Nội vụ")
    assert "unit=" in page.url
    page.click("input.feed")
    assert page.evaluate("window.getSelection().toString() || document.activeElement.selectionEnd")
    assert not [e for e in errors if "Content Security Policy" in e]
