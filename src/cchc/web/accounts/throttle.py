"""Log-in rate limit: after `CCHC_LOGIN_MAX_FAILURES` failed log-ins for one username from one
address within `CCHC_LOGIN_WINDOW` seconds, every further attempt for that username from that
address is refused until the window ends (HTTP 429 with a message in Vietnamese).

It sits in the authentication backend, so the log-in page, the admin's log-in page and the API's
HTTP Basic all count and all refuse. Counters live in Django's cache (a database table shared by
every thread and process of the deployment).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled


def max_failures() -> int:
    return settings.CCHC_LOGIN_MAX_FAILURES


def window() -> int:
    return settings.CCHC_LOGIN_WINDOW


def message() -> str:
    minutes = max(1, window() // 60)
    return (
        f"Đăng nhập sai quá {max_failures()} lần trong {minutes} phút. Tài khoản tạm khóa "
        f"đăng nhập từ máy này; vui lòng thử lại sau {minutes} phút hoặc liên hệ quản trị."
    )


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted reverse proxy
    (CCHC_BEHIND_PROXY=1) the address the proxy appended last to X-Forwarded-For."""
    meta = getattr(request, "META", {})
    if settings.CCHC_BEHIND_PROXY and (forwarded := meta.get("HTTP_X_FORWARDED_FOR", "")):
        return forwarded.split(",")[-1].strip()
    return meta.get("REMOTE_ADDR", "")


def _key(request, username: str | None) -> str:
    who = f"{(username or '').strip().casefold()}|{client_ip(request)}"
    return "login-failures:" + hashlib.sha256(who.encode()).hexdigest()


def locked(request, username: str | None) -> bool:
    if request is None:  # no address to count by (management commands, shell)
        return False
    entry = cache.get(_key(request, username))
    return bool(entry) and entry["n"] >= max_failures() and entry["until"] > time.time()


def record_failure(request, username: str | None) -> None:
    if request is None:
        return
    key, now = _key(request, username), time.time()
    entry = cache.get(key)
    if not entry or entry["until"] <= now:  # a fixed window from the first failure
        entry = {"n": 0, "until": now + window()}
    entry["n"] += 1
    cache.set(key, entry, timeout=max(1, int(entry["until"] - now) + 1))


def clear(request, username: str | None) -> None:
    if request is not None:
        cache.delete(_key(request, username))


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    record_failure(request, credentials.get("username"))


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs) -> None:
    clear(request, user.get_username())


class ThrottledModelBackend(ModelBackend):
    """Django's own backend (default password hasher), refusing while the limit is reached."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if locked(request, username):
            raise PermissionDenied(message())
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottledBasicAuthentication(BasicAuthentication):
    """The API's HTTP Basic: 429 with the same message once the limit is reached."""

    def authenticate_credentials(self, userid, password, request=None):
        if locked(request, userid):
            raise Throttled(detail=message())
        try:
            return super().authenticate_credentials(userid, password, request)
        except AuthenticationFailed:
            if locked(request, userid):  # this failure reached the limit
                raise Throttled(detail=message()) from None
            raise
