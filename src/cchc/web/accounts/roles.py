"""Who may do what: the one place for permission rules, used by pages and the API alike.

Everyone logged in reads everything (documents, tasks, assessments, charts) but the report
drafts, which are the council's. Changes:

- documents (ingest, corrections): officers, leaders, admins;
- a task, its notes and evidence: leaders and admins any task, an officer only the tasks of
  their own unit (and creates tasks only for it);
- a PAR self-assessment: an officer only their own unit's, leaders and admins any;
- frameworks, opening assessments, appraisal, publication, plans, commitments: the council
  (leaders and admins);
- the audit log is read by the council only; the admin pages by admins only.
"""

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


def _unit_id(user) -> int | None:
    return getattr(unit_of(user), "pk", None)


def sees_everything(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER)


def is_council(user) -> bool:
    """Leaders and admins act as the appraisal council and run frameworks, plans and
    commitments."""
    return role_of(user) in (Role.ADMIN, Role.LEADER)


def can_read_audit(user) -> bool:
    return is_council(user)


def can_make_reports(user) -> bool:
    """Report drafts (the periodic CCHC report, the index results) are for leaders to sign;
    they gather every unit's tasks."""
    return is_council(user)


def can_ingest(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.OFFICER)


def can_edit_document(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.OFFICER)


def acts_for_unit(user, unit_id: int | None) -> bool:
    """Admins and leaders act for any unit; an officer only for their own (never for none)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.LEADER):
        return True
    if role != Role.OFFICER:
        return False
    own = _unit_id(user)
    return own is not None and unit_id == own


def can_see_feed(user, unit) -> bool:
    """A unit's secret calendar feed address: its own people who act for it, and leaders."""
    return unit is not None and acts_for_unit(user, unit.pk)


def can_change_task(user, task) -> bool:
    """Admins and leaders change any task; an officer only the tasks of their own unit."""
    return acts_for_unit(user, task.unit_id)


def can_create_task(user) -> bool:
    """May create tasks at all (for which unit: `can_assign_to`)."""
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.OFFICER)


def can_assign_to(user, unit) -> bool:
    """May a task be created for, or moved to, `unit` (a Unit or None) by this user."""
    return acts_for_unit(user, getattr(unit, "pk", None))


def can_self_assess(user, assessment) -> bool:
    """Enter, explain and submit the self-assessment of the assessment's unit."""
    return acts_for_unit(user, assessment.unit_id)
