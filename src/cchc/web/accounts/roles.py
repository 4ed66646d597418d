"""Who may do what: the one place for permission rules, used by pages and the API alike."""

from __future__ import annotations

from cchc.web.accounts.models import Profile

Role = Profile.Role


def role_of(user) -> str:
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else Role.VIEWER


def unit_of(user):
    profile = getattr(user, "profile", None)
    return profile.unit if profile else None


def sees_everything(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER)


def can_ingest(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.OFFICER)


def can_edit_document(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.OFFICER)


def can_change_task(user, task) -> bool:
    """Admins and leaders change any task; an officer only the tasks of their own unit."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.LEADER):
        return True
    if role != Role.OFFICER:
        return False
    unit = unit_of(user)
    return unit is not None and task.unit_id == unit.pk


def can_create_task(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.OFFICER)
