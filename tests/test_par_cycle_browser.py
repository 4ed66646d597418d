"""In chromium, the whole appraisal cycle of the PAR INDEX: a framework imported from a Quyết
định .docx appendix, the survey criteria scored from answers given through the public link
with one-time codes, one criterion pre-filled from tracked work, self-assessment, submission
after the incompleteness warning, round 1 cutting a criterion, the unit's giải trình with a new
evidence file, round 2 beside it, chốt điểm (an edit then refused, mở lại needs a reason),
công bố, and the result in the ranking."""

from __future__ import annotations

import re

from tests.browser_fixtures import needs_chromium, shot
from tests.par_decision import HEADER, ROWS, write_decision

pytestmark = needs_chromium


def decision_binding_one_rule(path):
    """The decision's appendix with cchc's "Quy tắc minh chứng" column, binding I.1.1 (the
    plan issued on time) to the rule that computes it from the registry."""
    rows = [
        (*row, "plan_on_time" if row[0] == "1.1" and i == 2 else "") for i, row in enumerate(ROWS)
    ]
    return write_decision(path, rows=rows, header=(*HEADER, "Quy tắc minh chứng"))


def status(page) -> str:
    return page.inner_text("#status")


def test_import_prefill_submit_round1_giai_trinh_round2_lock_publish_rank(
    page_as, browser, server, tmp_path
):
    leader = page_as("lanhdao")
    leader.goto(server + "/chi-so/")
    leader.set_input_files(
        "input[name=file]", str(decision_binding_one_rule(tmp_path / "qd-99.docx"))
    )
    leader.fill("input[name=year]", "2026")
    leader.click("form[action$='/nhap/'] button.primary")
    assert "Đã nhập bộ tiêu chí" in leader.inner_text(".messages")
    framework_id = int(re.search(r"/bo-tieu-chi/(\d+)/", leader.url).group(1))
    leader.select_option("select[name=units]", label=["UBND phường An Lạc"])
    leader.click("form[action$='/danh-gia/mo/'] button.primary")
    assessment = leader.url

    # the survey criteria (II.1.x): a round for the unit, one-time codes, answers through the
    # public link without an account, the results applied to the unit's assessment
    leader.goto(server + "/chi-so/khao-sat/")
    leader.select_option("#new-round select[name=framework]", value=str(framework_id))
    leader.select_option("#new-round select[name=unit]", label="UBND phường An Lạc")
    leader.fill("#new-round input[name=year]", "2026")
    leader.click("#new-round button.primary")
    round_url = leader.url
    leader.fill("input[name=count]", "2")
    leader.click("button[value=codes]")
    leader.goto(round_url + "ma/?chua-dung=1")
    codes = [c.strip() for c in leader.locator("#codes td.code").all_inner_texts()][:2]
    public = browser.new_page(locale="vi-VN")
    try:
        for code in codes:
            public.goto(f"{server}/khao-sat/{code}/")
            for radio in public.locator("input[type=radio][value=A]").all():
                radio.check()
            public.click("#survey-form button.primary")
            assert "Phiếu đã được ghi nhận" in public.inner_text(".messages")
    finally:
        public.close()
    leader.goto(round_url)
    leader.click("button[value=apply]")
    assert "Đã áp dụng kết quả khảo sát" in leader.inner_text(".messages")
    leader.goto(assessment)
    survey_row = leader.locator("tr:has(td:text-is('II.1.1'))")
    assert "Từ 2 phiếu khảo sát" in survey_row.inner_text()
    assert survey_row.locator("input[name^=value-]").count() == 0  # not the unit's to score

    # the unit: pre-fill from tracked work, self-assess, submit after the warning
    officer = page_as("anlac")
    officer.goto(assessment)
    officer.click("button[value=prefill]")
    assert "Đã tính sẵn 1 tiêu chí" in officer.inner_text(".messages")
    assert "I.1.1" in officer.inner_text(".messages")
    assert officer.locator("small.prefill").count() == 1
    assert "Tính từ công việc đã theo dõi" in officer.inner_text("small.prefill")
    plan = officer.get_by_label("Mức I.1.1", exact=True)
    assert plan.input_value() != ""  # the computed level is the unit's entry now
    officer.get_by_label("Tỷ lệ I.1.2 (%)", exact=True).fill("95")  # the band "trên 90%": 2 points
    officer.click("button[value=self]")
    assert "Đã lưu bản tự đánh giá" in officer.inner_text(".messages")
    officer.click("#steps button[value=submit]")
    warning = officer.inner_text("#incomplete")
    assert "tiêu chí chưa tự chấm" in warning and "I.2.1" in warning
    assert "Đang tự đánh giá" in status(officer)
    officer.click("#incomplete button[value=submit]")
    assert "Đã gửi thẩm định, chờ vòng 1" in status(officer)

    # the council, round 1: I.1.2 cut from 2 to 1 with a reason, round 1 finished
    leader.goto(assessment)
    leader.get_by_label("Thẩm định I.1.2", exact=True).fill("1")
    leader.get_by_label("Lý do thẩm định I.1.2", exact=True).fill("Báo cáo chỉ chứng minh 85%")
    leader.click("button[value=appraise-scores]")
    assert "Đã lưu điểm thẩm định" in leader.inner_text(".messages")
    leader.click("button[value=appraise]")
    assert "Đã thẩm định vòng 1" in status(leader)
    assert "sau thẩm định vòng 1" in leader.inner_text("#totals")
    assert not leader.locator("#rank").count()  # round 1 is not a result to rank

    # the unit: giải trình on the cut criterion, with a new evidence file
    officer.goto(assessment)
    assert "Báo cáo chỉ chứng minh 85%" in officer.inner_text("table")
    officer.get_by_label("Giải trình I.1.2", exact=True).fill(
        "Báo cáo bổ sung quý IV: 95% nhiệm vụ đúng hạn"
    )
    evidence = tmp_path / "bao-cao-bo-sung-quy-4.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao bo sung")
    officer.get_by_label("Minh chứng bổ sung I.1.2", exact=True).set_input_files(str(evidence))
    shot(officer, "chi-so-giai-trinh")
    officer.click("button[value=explain]")
    assert "Đã gửi giải trình" in officer.inner_text(".messages")
    assert "chờ thẩm định vòng 2" in status(officer)

    # the council, round 2: claim, round 1, the explanation and the file side by side
    leader.goto(assessment)
    row = leader.locator("tr", has=leader.get_by_label("Thẩm định vòng 2 I.1.2", exact=True))
    pk = _pk(row, "appraised")
    text = row.inner_text()
    assert "Báo cáo chỉ chứng minh 85%" in text and "quý IV: 95%" in text
    assert "bao-cao-bo-sung-quy-4.pdf" in text and "(giải trình)" in text
    assert leader.locator("input[aria-label^='Thẩm định vòng 2']").count() == 1
    leader.get_by_label("Thẩm định vòng 2 I.1.2", exact=True).fill("2")
    leader.click("button[value=appraise-scores]")  # no reason: refused, the 2 kept
    assert "vòng 2 cần ghi lý do" in leader.inner_text(f"#error-{pk}")
    assert leader.get_by_label("Thẩm định vòng 2 I.1.2", exact=True).input_value() == "2"
    leader.get_by_label("Lý do vòng 2 I.1.2", exact=True).fill("Chấp nhận báo cáo bổ sung")
    leader.click("button[value=appraise-scores]")
    assert "Đã lưu điểm thẩm định" in leader.inner_text(".messages")
    shot(leader, "chi-so-tham-dinh-vong-2")
    leader.click("button[value=lock]")
    assert "Đã chốt điểm" in status(leader)

    # locked: no form for anyone, and a forged edit is refused
    assert leader.locator("input.score").count() == 0
    officer.goto(assessment)
    assert officer.locator("input.score, select.score, textarea").count() == 0
    answer = leader.evaluate(
        """async ([url, pk]) => {
            const form = new FormData();
            form.append("csrfmiddlewaretoken",
                        document.querySelector("input[name=csrfmiddlewaretoken]").value);
            form.append("action", "appraise-scores");
            form.append("appraised-" + pk, "0");
            form.append("reason-" + pk, "sửa sau khi chốt");
            const r = await fetch(url, {method: "POST", body: form});
            return await r.text();
        }""",
        [assessment, pk],
    )
    assert "Không thể nhập điểm thẩm định" in answer and "Đã chốt điểm" in answer
    leader.goto(assessment)
    assert "2" in leader.inner_text(f"#round2-{pk}")

    # mở lại needs a reason (the browser will not send the form without one), back to round 2
    leader.click("#unlock button[value=unlock]")
    assert "Đã chốt điểm" in status(leader)
    leader.get_by_label("Lý do mở lại", exact=True).fill("Rà soát lại theo kiến nghị của đơn vị")
    leader.click("#unlock button[value=unlock]")
    assert "chờ thẩm định vòng 2" in status(leader)
    assert "Rà soát lại theo kiến nghị" in leader.inner_text("#reopened")
    leader.click("button[value=lock]")
    leader.click("button[value=publish]")
    assert "Đã công bố" in status(leader)
    assert leader.inner_text("#rank") == "1/1"

    leader.goto(server + f"/chi-so/?framework={framework_id}&year=2026")
    assert "UBND phường An Lạc" in leader.inner_text("#ranking")
    shot(leader, "chi-so-cong-bo")


def _pk(row, prefix: str) -> str:
    """The criterion id of a row, read from its field's name (appraised-<pk>)."""
    return row.locator(f"input[name^={prefix}-]").first.get_attribute("name").split("-")[1]
