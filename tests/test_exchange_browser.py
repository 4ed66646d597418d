"""Documents as offices exchange them, end to end in a real browser (issue 18, §4): the văn thư
uploads an edXML package and a PDF signed by a throw-away CA, sees the package's fields, its
sender and attachments, and the PDF's signatures on their pages; then uploads the revoke message
and the first document shows revoked. Debian's chromium driven by Playwright against
`cchc serve` on the demo deployment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.browser_fixtures import needs_chromium, shot, upload_incoming
from tests.edxml_packages import write_package

pytestmark = needs_chromium

ANNEX = "Phụ lục: danh sách thủ tục hành chính cần rà soát.\n".encode()


def _signed_pdf(folder: Path) -> Path:
    """Signed in another thread: pyHanko runs its own event loop, Playwright's is running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_sign, folder).result()


def _sign(folder: Path) -> Path:
    from tests.signed_pdfs import issue, make_root, plain_pdf, sign

    root = make_root()
    person = issue(root, "Nguyễn Văn A", "UBND tỉnh Bình Long")
    organisation = issue(root, "UBND tỉnh Bình Long", "UBND tỉnh Bình Long")
    once = sign(plain_pdf(folder), person, root, field="ChuKyCaNhan")
    path = folder / "cong-van-ky-so.pdf"
    path.write_bytes(sign(once, organisation, root, field="ChuKyToChuc"))
    return path


def test_a_package_and_a_signed_pdf_come_in_and_the_revoke_marks_the_first(
    page_as, server, tmp_path
):
    clerk = page_as("vanthu")
    # --- the edXML package: its header's fields, its sender, its attachments
    package = write_package(tmp_path, "goi-1287.edxml", attachments=[("phu-luc.txt", ANNEX)])
    doc_url = upload_incoming(clerk, server, package)
    assert "1287/SXD-VP" in clerk.inner_text("h1")
    assert clerk.input_value("input[name=issuer]") == "Sở Xây dựng tỉnh Bình Long"
    assert clerk.input_value("input[name=date]") == "05/11/2026"
    assert clerk.input_value("input[name=signer_name]") == "Nguyễn Văn Bình"
    box = clerk.inner_text("#edxml")
    assert "000.15.31.H99" in box and "cong-van-1287.txt" in box and "phu-luc.txt" in box
    assert "Khẩn" in clerk.inner_text("#incoming")  # Priority 1
    with clerk.expect_download() as download:
        clerk.click("#edxml a:has-text('phu-luc.txt')")
    assert Path(download.value.path()).read_bytes() == ANNEX
    assert clerk.locator("#proposals .task-line").count() == 2
    shot(clerk, "edxml-goi-tin")

    # --- the signed PDF: both signatures, intact, signer not verified (no root installed)
    upload_incoming(clerk, server, _signed_pdf(tmp_path))
    panel = clerk.locator(".panel", has_text="Chữ ký số (2)")
    text = panel.inner_text()
    assert "Nguyễn Văn A" in text and "UBND tỉnh Bình Long" in text
    assert "còn nguyên vẹn" in text and "chưa xác minh người ký" in text
    assert "Còn nguyên vẹn, chưa xác minh người ký" in text
    shot(clerk, "edxml-chu-ky-so")
    clerk.goto(server + "/van-ban/?chu-ky=co")
    assert "412/UBND-NV" in clerk.inner_text("table") and "1287/SXD-VP" not in clerk.inner_text(
        "table"
    )

    # --- the revoke message: stored, and the first document shows revoked
    revoke = write_package(tmp_path, "thu-hoi-1287.edxml", business=1, reason="Ban hành nhầm")
    upload_incoming(clerk, server, revoke)
    assert "Thu hồi: Ban hành nhầm" in clerk.inner_text("#edxml")
    clerk.goto(server + doc_url)
    banner = clerk.inner_text("#revoked")
    assert "Văn bản đã bị thu hồi" in banner and "1287/SXD-VP" in banner
    assert clerk.locator("#proposals .pill", has_text="văn bản bị thu hồi").count() == 2
    clerk.goto(server + "/van-ban/")
    assert "Đã bị thu hồi" in clerk.inner_text("table")
    shot(clerk, "edxml-thu-hoi")
