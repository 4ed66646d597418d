"""In chromium: a framework imported from a Quyết định .docx, self-assessed with the rule's
options, submitted after the incompleteness warning, appraised and published."""

from __future__ import annotations

from tests.browser_fixtures import needs_chromium, shot
from tests.par_decision import write_decision

pytestmark = needs_chromium


def test_decision_import_self_assess_incomplete_submit_appraise_publish(page_as, server, tmp_path):
    leader = page_as("lanhdao")
    leader.goto(server + "/chi-so/")
    leader.set_input_files("input[name=file]", str(write_decision(tmp_path / "qd-99.docx")))
    leader.fill("input[name=year]", "2026")
    leader.click("form[action$='/nhap/'] button.primary")
    assert "Đã nhập bộ tiêu chí" in leader.inner_text(".messages")
    leader.select_option("select[name=units]", label=["UBND phường An Lạc"])
    leader.click("form[action$='/danh-gia/mo/'] button.primary")
    assessment = leader.url

    officer = page_as("anlac")
    officer.goto(assessment)
    plan = officer.locator("select.score").first
    plan.select_option(label="Ban hành chậm (0,5)")
    officer.locator("input.score").first.fill("95")  # the band "trên 90%"
    officer.click("button[value=self]")
    assert "Đã lưu bản tự đánh giá" in officer.inner_text(".messages")
    officer.click("button[value=submit]")
    warning = officer.inner_text("#incomplete")
    assert "Còn 4 tiêu chí chưa tự chấm" in warning and "I.2.1" in warning
    assert "Đang tự đánh giá" in officer.inner_text("#status")
    shot(officer, "chi-so-gui-chua-du")
    officer.click("#incomplete button[value=submit]")
    assert "Đã gửi thẩm định" in officer.inner_text("#status")
    assert "chưa thẩm định" in officer.inner_text("#totals")

    leader.goto(assessment)
    for step in ("appraise", "accept", "lock", "publish"):  # the two rounds: test_par_cycle_browser
        leader.click(f"button[value={step}]")
    assert "Đã công bố" in leader.inner_text("#status")
    assert "sau thẩm định 2,5" in leader.inner_text("#totals")
    assert leader.inner_text("#rank") == "1/1"
