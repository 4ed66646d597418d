"""Uploads whose form data cannot be read answer a message, not Django's bare 400 page."""

from __future__ import annotations

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError

# Django reads at most 1 KB of a form part's headers, where a file's name is.
NAME_TOO_LONG = (
    "Tên tệp quá dài (tối đa khoảng 1.000 ký tự): hãy đổi tên tệp cho ngắn lại rồi gửi lại."
)
UNREADABLE = "Không đọc được dữ liệu tệp gửi lên (biểu mẫu hỏng); hãy chọn tệp và gửi lại."


class UploadErrorsMiddleware:
    """Reads a multipart POST's form before the CSRF check does (which would answer a failure
    with a bare 400): a part that Django refuses answers 400 with what to do, in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 (parses the form and its files, once)
            except MultiPartParserError as exc:
                message = NAME_TOO_LONG if "header size" in str(exc) else UNREADABLE
                return JsonResponse({"detail": message}, status=400)
        return self.get_response(request)
