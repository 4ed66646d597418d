"""Typed errors, one per way an input can fail, each with its own exit status and a message
that tells the user what to do next (the OCRmyPDF habit)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    usage = 2  # click's own status for a bad command line
    not_found = 3
    not_a_file = 4
    empty = 5
    too_large = 6
    unsupported = 7
    bad_encoding = 8
    damaged = 9
    encrypted = 10
    needs_ocr = 11
    missing_dependency = 12
    child_process_error = 13  # an outside program (Tesseract, Poppler…) crashed or failed
    other = 15


class CchcError(Exception):
    """An input that cchc cannot read; `str(err)` is one line naming the file and the problem."""

    exit_code = ExitCode.other
    problem = "không đọc được tệp"

    def __init__(self, path: str, detail: str | None = None):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{self.path}: {detail or self.problem}")


class FileNotFound(CchcError):
    exit_code = ExitCode.not_found
    problem = "không tìm thấy tệp (file not found)"


class NotAFile(CchcError):
    exit_code = ExitCode.not_a_file
    problem = "là thư mục, không phải tệp (is a directory)"


class EmptyFile(CchcError):
    exit_code = ExitCode.empty
    problem = "tệp rỗng, không có nội dung (empty file)"


class FileTooLarge(CchcError):
    exit_code = ExitCode.too_large


class UnsupportedFile(CchcError):
    exit_code = ExitCode.unsupported
    problem = "không phải văn bản: tệp nhị phân hoặc định dạng chưa hỗ trợ (binary or unsupported)"


class BadEncoding(CchcError):
    exit_code = ExitCode.bad_encoding
    problem = "không nhận ra bảng mã của văn bản (unknown text encoding); hãy lưu lại dạng UTF-8"


class DamagedFile(CchcError):
    exit_code = ExitCode.damaged


class EncryptedPdf(CchcError):
    exit_code = ExitCode.encrypted
    problem = (
        "PDF được mã hóa bằng mật khẩu (encrypted); hãy gỡ mật khẩu, ví dụ "
        "`qpdf --decrypt --password=… vào.pdf ra.pdf`, rồi chạy lại"
    )


class NeedsOcr(CchcError):
    exit_code = ExitCode.needs_ocr
    problem = (
        "tệp là ảnh quét, không có lớp chữ (needs OCR); hãy chạy lại với nhận dạng chữ "
        "(bỏ --no-ocr)"
    )


class ProgramFailed(CchcError):
    """An outside program crashed or failed for a reason of its own, not because of the file
    (OCRmyPDF's child_process_error): the file may be fine, the installation needs a look."""

    exit_code = ExitCode.child_process_error
