"""At phone width (390 px, an iPhone 12-15) every main page fits the screen: no sideways scroll
of the whole page (wide tables scroll inside their own box or turn into cards). In Debian's
chromium driven by Playwright, as each demo role."""

from __future__ import annotations

import pytest

from tests.browser_fixtures import needs_chromium, shot

pytestmark = needs_chromium

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/",
    "/van-ban/",
    "/van-ban/nhap/",
    "/cong-viec/",
    "/chi-so/",
    "/tim-kiem/?q=cai+cach+hanh+chinh",
    "/lich/",
    "/lich/?year=2026&month=3",
    "/don-vi/",
    # the workflow of Nghị định 30/2020: my work, registers, drafts, notifications
    "/viec-cua-toi/",
    "/van-ban/den/",
    "/van-ban-di/",
    "/so/van-ban-di/",
    "/so/giai-quyet-van-ban-den/",
    "/thong-bao/",
]
# pages only some roles open: the audit log, the queue of documents waiting for direction
EXTRA = {"lanhdao": ["/nhat-ky/", "/van-ban/cho-chi-dao/"]}


@pytest.fixture
def phone_as(page_as):
    return lambda username: page_as(username, viewport=PHONE, is_mobile=True, has_touch=True)


WIDE = """() => {
  const classes = (e) => typeof e.className === 'string' && e.className.trim()
    ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes(e);
  const wide = [...document.body.querySelectorAll('*')].filter(
    (e) => e.getBoundingClientRect().right > 391);
  return wide.filter((e) => !wide.includes(e.parentElement)).slice(0, 5).map(name);
}"""


def overflow(page) -> int | tuple[int, list[str]]:
    """The page's width, with the outermost elements that stick out when it is too wide."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return width if width <= PHONE["width"] else (width, page.evaluate(WIDE))


@pytest.mark.parametrize("username", ["xem", "noivu", "lanhdao"])
def test_the_main_pages_fit_a_phone_without_sideways_scrolling(phone_as, server, username):
    page = phone_as(username)
    widths = {}
    for path in PAGES + EXTRA.get(username, []):
        page.goto(server + path)
        widths[path] = overflow(page)
        shot(page, f"phone-{username}-{path.strip('/').replace('/', '-') or 'tong-quan'}")
    # one page of each kind behind a link: a document, a task, an assessment
    for start, link in [
        ("/van-ban/", "table a[href^='/van-ban/']"),
        ("/cong-viec/", "a.task-card"),
        ("/chi-so/", "#ranking a[href^='/chi-so/danh-gia/']"),
        ("/van-ban-di/", "table a[href^='/van-ban-di/']"),
        *([("/van-ban/cho-chi-dao/", "a[href$='/chi-dao/']")] if username == "lanhdao" else []),
    ]:
        page.goto(server + start)
        page.locator(link).first.click()
        page.wait_for_selector("h1")
        widths[page.url.removeprefix(server)] = overflow(page)
        shot(page, f"phone-{username}-{start.strip('/').replace('/', '-')}-chi-tiet")
    assert {path: w for path, w in widths.items() if isinstance(w, tuple)} == {}


def test_the_viewer_does_not_see_the_ingest_link(phone_as, server):
    page = phone_as("xem")
    assert page.locator("nav a[href='/van-ban/nhap/']").count() == 0


def test_read_only_fields_look_read_only(phone_as, server):
    page = phone_as("xem")
    page.goto(server + "/van-ban/")
    page.locator("table a[href^='/van-ban/']").first.click()
    number = page.locator("input[name=number]")
    assert number.get_attribute("readonly") is not None
    look = number.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderTopColor]"
    )
    assert look[0] != "rgb(255, 255, 255)"  # not the white box of an editable field
    assert look[1] == "rgba(0, 0, 0, 0)"
    assert page.locator("form.fields button").count() == 0
