"""The unread-notification badge for the menu: counted only when a page shows it."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cchc.web.work.notify import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
