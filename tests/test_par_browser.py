"""The PAR INDEX end to end in chromium: a framework from Excel, self-assessment with evidence,
appraisal, publication, ranking and radar, an improvement plan on the board, the report .docx."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from tests.browser_fixtures import needs_chromium, shot

pytestmark = needs_chromium

ROWS = [
    ["BỘ TIÊU CHÍ CẢI CÁCH HÀNH CHÍNH CẤP XÃ (THỬ)"],
    ["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Đơn vị chịu trách nhiệm"],
    ["I", "Công tác chỉ đạo, điều hành", 6, None],
    [1, "Kế hoạch cải cách hành chính năm", 3, "Phòng Nội vụ"],
    [2, "Báo cáo cải cách hành chính đúng hạn", 3, "Phòng Nội vụ"],
    ["II", "Cải cách thủ tục hành chính", 4, None],
    [1, "Công khai thủ tục hành chính", 4, "Văn phòng HĐND và UBND thị xã"],
    [None, "Tổng cộng", 10, None],
]


@pytest.fixture
def framework_xlsx(tmp_path):
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    path = tmp_path / "bo-tieu-chi-xa.xlsx"
    book.save(path)
    return path


def _fill(page, values: list[str]) -> None:
    for field, value in zip(page.locator("input.score").all(), values, strict=True):
        field.fill(value)


def test_from_excel_framework_to_ranking_plan_and_report(page_as, server, framework_xlsx, tmp_path):
    leader = page_as("lanhdao")
    leader.goto(server + "/chi-so/")
    leader.set_input_files("input[name=file]", str(framework_xlsx))
    leader.fill("input[name=name]", "Bộ tiêu chí xã (thử)")
    leader.fill("input[name=year]", "2026")
    leader.select_option("select[name=level]", "xa")
    leader.click("form[action$='/nhap/'] button.primary")
    assert "Bộ tiêu chí xã (thử)" in leader.inner_text("h1")
    assert leader.locator("table tbody tr").count() == 5
    shot(leader, "chi-so-bo-tieu-chi")
    framework_url = leader.url

    leader.select_option("select[name=units]", label=["UBND phường An Lạc", "UBND xã Phú Mỹ"])
    leader.click("form[action$='/danh-gia/mo/'] button.primary")
    leader.goto(framework_url)
    links = {
        a.inner_text().split(" – ")[0]: a.get_attribute("href")
        for a in leader.locator(".side a[href*='/danh-gia/']").all()
    }
    an_lac, phu_my = links["UBND phường An Lạc"], links["UBND xã Phú Mỹ"]

    officer = page_as("anlac")  # the phường's own officer self-assesses with evidence
    officer.goto(server + an_lac)
    _fill(officer, ["2", "3", "3"])
    officer.locator("input[name^=doc-]").first.fill("18/KH-UBND")
    evidence = tmp_path / "ke-hoach-cchc-phuong.pdf"
    evidence.write_bytes(b"%PDF-1.4 minh chung")
    officer.locator("input[type=file][name^=files-]").first.set_input_files(str(evidence))
    officer.click("button[value=self]")
    assert "Đã lưu bản tự đánh giá" in officer.inner_text(".messages")
    assert officer.locator("ul.evidence li").count() == 2
    officer.click("button[value=submit]")
    assert "Đã gửi thẩm định" in officer.inner_text("#status")
    shot(officer, "chi-so-tu-danh-gia")

    leader.goto(server + phu_my)
    _fill(leader, ["3", "3", "4"])
    leader.click("button[value=self]")
    leader.click("button[value=submit]")
    for url, adjust in ((an_lac, "1"), (phu_my, None)):
        leader.goto(server + url)
        if adjust:
            leader.locator("input[name^=appraised-]").first.fill(adjust)
            leader.locator("input[name^=reason-]").first.fill("Kế hoạch ban hành chậm")
            leader.click("button[value=appraise-scores]")
            assert "Đã lưu điểm thẩm định" in leader.inner_text(".messages")
        for step in ("appraise", "accept", "lock", "publish"):  # no giải trình here
            leader.click(f"button[value={step}]")
        assert "Đã công bố" in leader.inner_text("#status")
    assert leader.inner_text("#rank") == "1/2"  # Phú Mỹ: 10 points against An Lạc's 1 + 3 + 3
    radar = leader.locator("img.radar")
    radar.scroll_into_view_if_needed()
    leader.wait_for_function(  # the chart is drawn on the server when the page asks for it
        "img => img.complete && img.naturalWidth > 0", arg=radar.element_handle()
    )
    shot(leader, "chi-so-danh-gia")

    framework_id = re.search(r"/bo-tieu-chi/(\d+)/", framework_url).group(1)
    leader.goto(server + f"/chi-so/?framework={framework_id}&year=2026")
    ranking = leader.inner_text("#ranking")
    assert ranking.index("UBND xã Phú Mỹ") < ranking.index("UBND phường An Lạc")
    assert leader.locator(".chart-box svg").count() == 1
    shot(leader, "chi-so-xep-hang")

    leader.goto(server + an_lac + "ke-hoach/")
    leader.locator("#plan input[type=checkbox]").first.check()
    action = leader.locator("#plan textarea").first.input_value()
    leader.click("#plan button.primary")
    assert "Đã tạo 1 nhiệm vụ" in leader.inner_text(".messages")
    shot(leader, "chi-so-ke-hoach")
    board = page_as("noivu")  # the criterion's responsible unit sees the task on its board
    board.goto(server + "/cong-viec/")
    assert action[:60] in board.inner_text(".board")

    leader.goto(server + "/chi-so/bao-cao/")
    with leader.expect_download() as download:
        leader.click("#periodic button[value=docx]")
    data = download.value.path().read_bytes()
    import docx

    document = docx.Document(io.BytesIO(data))
    assert any(p.text == "BÁO CÁO" for p in document.paragraphs)
