"""The sociological survey end to end in chromium, on the demo: the council hands out codes,
respondents without an account answer through the public link, the council applies the
results and the survey criterion's points on the assessment page move."""

from __future__ import annotations

from decimal import Decimal

from tests.browser_fixtures import needs_chromium, shot

pytestmark = needs_chromium

CRITERION = "II.1.3"  # the demo's 2026 commune framework: satisfaction, assessed by survey


def _number(text: str) -> Decimal:
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def _self_points(page, server: str, assessment: str) -> str:
    page.goto(server + assessment)
    row = page.locator(f"tr:has(td:text-is('{CRITERION}'))")
    return row.locator("td").nth(3).inner_text().strip()


def _apply(leader, round_url: str) -> str:
    leader.goto(round_url)
    leader.click("button[value=apply]")
    assert "Đã áp dụng kết quả khảo sát" in leader.inner_text(".messages")
    return leader.locator("#criteria td.survey-points").first.inner_text().strip()


def _answer_all(page, choice: str) -> None:
    for radio in page.locator(f"input[type=radio][value={choice}]").all():
        radio.check()
    page.fill("textarea", "Cần rút ngắn thời gian chờ (kiểm thử)")
    page.click("#survey-form button.primary")


def test_public_answers_move_the_survey_criterion(page_as, browser, server):
    leader = page_as("lanhdao")
    leader.click("nav a:has-text('Khảo sát')")
    leader.click("#rounds a:has-text('UBND phường An Lạc')")
    round_url = leader.url
    assessment = leader.locator("a[href^='/chi-so/danh-gia/']").first.get_attribute("href")

    viewer = page_as("xem")
    assert _self_points(viewer, server, assessment) == "—"  # the demo has not applied yet
    first = _apply(leader, round_url)  # the demo's invented replies
    assert _self_points(viewer, server, assessment) == first

    leader.fill("input[name=count]", "3")
    leader.click("button[value=codes]")
    assert "Đã tạo 3 mã" in leader.inner_text(".messages")
    leader.goto(round_url + "ma/?chua-dung=1")
    shot(leader, "khao-sat-ma")
    codes = [c.strip() for c in leader.locator("#codes td.code").all_inner_texts()][:3]
    assert len(codes) == 3

    public = browser.new_page(locale="vi-VN")  # no account
    try:
        public.goto(server + "/khao-sat/")
        public.fill("input[name=ma]", codes[0].lower())  # typed as people type it
        public.click("#code-form button.primary")
        assert "UBND phường An Lạc" in public.inner_text("h1")
        shot(public, "khao-sat-phieu")
        public.click("#survey-form button.primary")  # nothing chosen: the browser asks first
        assert public.url.endswith(f"/khao-sat/{codes[0]}/")
        _answer_all(public, "D")
        assert "Phiếu đã được ghi nhận" in public.inner_text(".messages")
        for code in codes[1:]:
            public.goto(f"{server}/khao-sat/{code}/")
            _answer_all(public, "D")
            assert "Phiếu đã được ghi nhận" in public.inner_text(".messages")
        public.goto(f"{server}/khao-sat/{codes[0]}/")
        assert "đã được dùng" in public.inner_text("main")
    finally:
        public.close()

    second = _apply(leader, round_url)
    shot(leader, "khao-sat-ket-qua")
    assert _number(second) < _number(first)  # three "không hài lòng" more
    assert _self_points(viewer, server, assessment) == second
