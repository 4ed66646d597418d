"""Bad input: one clear line naming the file and the problem, a distinct exit status, and the
other files of the same call still parsed."""

import json
import subprocess
import sys
import unicodedata

import pytest
from click.testing import CliRunner

from cchc import errors, parse_file
from cchc.cli import main
from cchc.errors import ExitCode
from tests.documents import plain_text, write_pdf


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(plain_text(), encoding="utf-8")
    return path


def _encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    source = write_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="mat-khau", owner_password="chu")
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _truncated_pdf(tmp_path):
    data = write_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


BAD_INPUTS = {
    "empty": (lambda t: (t / "empty.txt").write_bytes(b"") and None, "empty.txt", ExitCode.empty),
    "blank": (
        lambda t: (t / "blank.txt").write_text("  \n\n ") and None,
        "blank.txt",
        ExitCode.empty,
    ),
    "binary": (
        lambda t: (t / "blob.txt").write_bytes(bytes(range(256)) * 64) and None,
        "blob.txt",
        ExitCode.unsupported,
    ),
    "missing": (lambda t: None, "missing.txt", ExitCode.not_found),
    "directory": (lambda t: (t / "folder").mkdir(), "folder", ExitCode.not_a_file),
    "too-large": (
        lambda t: (t / "big.txt").write_bytes(b"van ban " * (50 * 1024 * 1024 // 8)) and None,
        "big.txt",
        ExitCode.too_large,
    ),
    "encrypted-pdf": (_encrypted_pdf, "encrypted.pdf", ExitCode.encrypted),
    "truncated-pdf": (_truncated_pdf, "truncated.pdf", ExitCode.damaged),
    "broken-docx": (
        lambda t: (t / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 200) and None,
        "broken.docx",
        ExitCode.damaged,
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_file_gets_one_line_and_its_exit_status_and_the_batch_goes_on(tmp_path, good, case):
    make, name, code = BAD_INPUTS[case]
    make(tmp_path)
    bad = tmp_path / name
    result = CliRunner().invoke(main, ["parse", str(bad), str(good), "--json"])
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("lỗi:")]
    assert len(error_lines) == 1
    assert name in error_lines[0]
    parsed = json.loads(result.stdout)
    assert [d["number"] for d in parsed] == ["412/UBND-NV"]


def test_encrypted_pdf_message_says_how_to_fix(tmp_path):
    with pytest.raises(errors.EncryptedPdf, match="qpdf --decrypt"):
        parse_file(_encrypted_pdf(tmp_path))


def test_utf16_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(plain_text().encode("utf-16"))
    result = CliRunner().invoke(main, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["number"] == "412/UBND-NV"
    assert "utf16.txt" in result.stderr and "UTF-8" in result.stderr


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: â, ơ, đ… precomposed, tones as combining marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tone = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            rest = "".join(m for m in marks if m not in tone)
            out += (unicodedata.normalize("NFC", base + rest) + "".join(tone)).encode("cp1258")
    return bytes(out)


def test_windows_1258_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "cp1258.txt"
    path.write_bytes(_cp1258(plain_text()))
    doc = parse_file(path)
    assert doc.issuer == "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ"
    assert doc.quality.encoding == "cp1258"
    assert any("Windows-1258" in w for w in doc.warnings)


def test_command_line_never_shows_a_traceback(tmp_path, good):
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cchc.cli",
            "parse",
            str(tmp_path / "empty.txt"),
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == ExitCode.empty
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 2


def test_json_for_one_file_is_an_object_and_for_several_an_array(good, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(plain_text(), encoding="utf-8")
    one = CliRunner().invoke(main, ["parse", str(good), "--json"])
    two = CliRunner().invoke(main, ["parse", str(good), str(other), "--json"])
    assert isinstance(json.loads(one.stdout), dict)
    assert len(json.loads(two.stdout)) == 2
    assert "ỦY BAN" in one.stdout  # not ASCII-escaped
