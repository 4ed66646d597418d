"""Content-Security-Policy on every response.

Pages load scripts and styles from /static/ only; no inline script runs (handlers live in
static/cchc/cchc.js). Inline styles stay allowed: the charts are matplotlib SVG drawn into the
page, whose shapes carry style attributes. Stored files (originals, evidence) are served
sandboxed: a PDF's JavaScript or an HTML file's script cannot run with the site's origin.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# URL names (web/urls.py) that answer a stored file as uploaded
STORED_FILES = {"document-file", "evidence", "par-evidence"}


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in STORED_FILES:
            response["Content-Security-Policy"] = FILE_POLICY
            response["X-Content-Type-Options"] = "nosniff"
        elif "Content-Security-Policy" not in response:  # a view may set a stricter one
            response["Content-Security-Policy"] = PAGE_POLICY
        return response
