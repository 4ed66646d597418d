"""Log-in required everywhere except the log-in page, static files, the secret calendar feeds and
the survey questionnaire (opened with a one-time code)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

from cchc.web.error_pages import method_not_allowed

# /khao-sat/: the survey's questionnaire, answered with a one-time code (survey app)
OPEN_PREFIXES = ("/dang-nhap/", "/static/", "/lich/feed/", "/khao-sat/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if "HTTP_AUTHORIZATION" in request.META:  # HTTP Basic, checked by the API itself
                return self.get_response(request)
            return JsonResponse({"detail": "Cần đăng nhập."}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (GET on the log-out address) with an empty 405; this gives it
    a Vietnamese page with a way back (JSON for the API). Responses with a body are kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = self.get_response(request)
        if answer.status_code != 405 or answer.get("Content-Type", "").startswith(
            "application/json"
        ):
            return answer
        if getattr(answer, "streaming", False) or answer.content:
            return answer
        return method_not_allowed(request, answer.get("Allow", ""))
