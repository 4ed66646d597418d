"""The audit log in words: what each action code and object type means, and a document edit's
field names as the forms label them."""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

ACTIONS = {
    "ingest": "Nhập văn bản",
    "document-edit": "Sửa văn bản",
    "task-create": "Tạo công việc",
    "task-edit": "Sửa công việc",
    "task-status": "Đổi trạng thái công việc",
    "task-note": "Ghi tiến độ",
    "task-answer": "Gắn văn bản trả lời",
    "task-evidence": "Đính kèm minh chứng",
    "unit-feed": "Đổi địa chỉ lịch iCalendar",
    "document-intake": "Vào sổ văn bản đến",
    "document-submit": "Trình lãnh đạo",
    "document-direct": "Ý kiến chỉ đạo",
    "task-confirm": "Xác nhận giao việc",
    "task-discard": "Loại việc đề xuất",
    "task-split": "Tách việc đề xuất",
    "task-merge": "Gộp việc đề xuất",
    "task-assign": "Giao người xử lý",
    "task-extension": "Gia hạn công việc",
    "draft-create": "Tạo dự thảo văn bản đi",
    "draft-version": "Thêm bản dự thảo",
    "draft-submit": "Trình ký",
    "draft-review": "Cho ý kiến dự thảo",
    "draft-number": "Cấp số văn bản đi",
    "draft-issue": "Phát hành văn bản đi",
    "framework-import": "Nhập bộ tiêu chí",
    "par-self": "Tự đánh giá",
    "par-appraise": "Thẩm định",
    "par-submit": "Gửi thẩm định",
    "par-publish": "Công bố kết quả",
    "par-reopen": "Trả lại để sửa",
    "par-plan": "Giao nhiệm vụ nâng điểm",
    "admin-add": "Thêm (trang quản trị)",
    "admin-change": "Sửa (trang quản trị)",
    "admin-delete": "Xóa (trang quản trị)",
}

# fields of a document without a verbose name of their own
_FIELD_NAMES = {"signer_title": "chức vụ người ký"}
# "Sửa number, date của 12/UBND-VP": the field codes a document edit writes
_EDITED_FIELDS = re.compile(r"^Sửa (?P<fields>[a-z_]+(?:, [a-z_]+)*) của ")


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def object_types() -> dict[str, str]:
    """Every model's code (as the log stores it) → its Vietnamese name."""
    return {m._meta.model_name: str(m._meta.verbose_name) for m in apps.get_models()}


def object_type_label(code: str) -> str:
    return object_types().get(code, code)


def summary_in_words(action: str, summary: str) -> str:
    """The summary with a document edit's field codes as the edit form names them."""
    if action != "document-edit" or not (match := _EDITED_FIELDS.match(summary)):
        return summary
    document = apps.get_model("documents", "Document")
    names = []
    for code in match["fields"].split(", "):
        if code in _FIELD_NAMES:
            names.append(_FIELD_NAMES[code])
            continue
        try:
            names.append(str(document._meta.get_field(code).verbose_name))
        except FieldDoesNotExist:  # a field since removed: keep its code
            names.append(code)
    return f"Sửa {', '.join(names)} của " + summary[match.end() :]
