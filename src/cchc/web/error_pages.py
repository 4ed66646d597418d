"""The pages a user meets when something goes wrong: 403, 404, 405 and 500, in Vietnamese and in
the site's layout with a way back. API paths answer JSON with a Vietnamese `detail` instead.

404 and 403 render with the request (menu, the person's name); 500 renders the template alone,
without a request context or the database, which may be what failed.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework import exceptions
from rest_framework.views import exception_handler

from cchc.web.params import InvalidRequest

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _back(request: HttpRequest) -> str:
    """The page the person came from, when it is one of this site's (a way back to the form or
    list whose address was wrong, instead of only the dashboard)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    ):
        return referer if referer != request.build_absolute_uri() else ""
    return ""


def _render(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    context.setdefault("back", _back(request))
    body = loader.render_to_string(template, context, request)
    return HttpResponse(body, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Không tìm thấy."}, status=404)
    return _render(request, "404.html", 404, request_path=request.path)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # our own PermissionDenied messages are Vietnamese sentences meant for the user
    reason = str(exception) if exception is not None and exception.args else ""
    if _is_api(request):
        return JsonResponse({"detail": reason or "Bạn không có quyền làm việc này."}, status=403)
    return _render(request, "403.html", 403, reason=reason)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # only our own InvalidRequest messages are sentences meant for the user
    reason = str(exception) if isinstance(exception, InvalidRequest) else ""
    if _is_api(request):
        return JsonResponse({"detail": reason or "Yêu cầu không hợp lệ."}, status=400)
    return _render(request, "400.html", 400, reason=reason)


class InvalidRequestMiddleware:
    """A parameter a person or a script got wrong (cchc.web.params.InvalidRequest, raised by any
    view or service) answers 400 with its message, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, InvalidRequest):
            return bad_request(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Lỗi máy chủ. Vui lòng thử lại sau."}, status=500)
    # no request context: the context processors read the database, which may be down
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """The page for a 405 (e.g. opening the log-out address, which only takes a form's POST)."""
    if _is_api(request):
        answer = JsonResponse(
            {"detail": f"Không dùng được phương thức {request.method} ở địa chỉ này."},
            status=405,
        )
    else:
        answer = _render(request, "405.html", 405, method=request.method)
    answer["Allow"] = allowed
    return answer


def api_exception_handler(exc: Exception, context: dict):
    """REST framework's handler, except that a missing object answers its Vietnamese "Không tìm
    thấy." rather than Django's English "No Document matches the given query."."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, InvalidRequest):
        exc = exceptions.ValidationError({"detail": str(exc)})
    return exception_handler(exc, context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (most often: the page stayed open past the session,
    or cookies are blocked). Django's own page for it is English."""
    if _is_api(request):
        return JsonResponse(
            {"detail": "Thiếu mã bảo mật CSRF: gửi kèm tiêu đề X-CSRFToken."}, status=403
        )
    return _render(request, "403_csrf.html", 403)
