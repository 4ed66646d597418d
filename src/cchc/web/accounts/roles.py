"""Who may do what: the one place for permission rules, used by pages and the API alike.

Everyone logged in reads everything (documents, tasks, assessments, charts) but the report
drafts, which are the council's, and confidential documents (mật, or in a secret register:
`reads_all_documents`). Changes:

- documents (ingest, corrections): officers, leaders, admins;
- a task, its notes and evidence: leaders and admins any task, an officer only the tasks of
  their own unit (and creates tasks only for it);
- a PAR self-assessment: an officer only their own unit's, leaders and admins any;
- the flow of Nghị định 30 (README, "Văn bản đến và giao việc"): the văn thư registers (vào
  sổ) and numbers outgoing documents; leaders and those they delegate direct incoming
  documents and confirm proposed tasks; a unit's head confirms what is sent on to the unit and
  assigns the unit's people; who assigned a task alone moves its deadline or lead;
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


# People of a unit: they act for their own unit (never for none).
UNIT_ROLES = (Role.CLERK, Role.HEAD, Role.OFFICER)


def can_ingest(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, *UNIT_ROLES)


def can_edit_document(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.LEADER, *UNIT_ROLES)


def acts_for_unit(user, unit_id: int | None) -> bool:
    """Admins and leaders act for any unit; a unit's people only for their own (never for
    none)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.LEADER):
        return True
    if role not in UNIT_ROLES:
        return False
    own = _unit_id(user)
    return own is not None and unit_id == own


# --- the flow of Nghị định 30/2020 -----------------------------------------------------------


def can_register(user) -> bool:
    """Vào sổ: the văn thư sets the intake fields, moves a document between registers and
    submits it to the leaders; leaders and admins may too."""
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.CLERK)


def can_direct(user) -> bool:
    """Write the direction on incoming documents and confirm their proposed tasks for any
    unit: leaders, admins, and the people leaders delegate (`Profile.directs`)."""
    if role_of(user) in (Role.ADMIN, Role.LEADER):
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.directs and role_of(user) != Role.VIEWER)


def heads_unit(user, unit_id: int | None) -> bool:
    """The head of this unit (trưởng đơn vị), who assigns within it."""
    own = _unit_id(user)
    return role_of(user) == Role.HEAD and own is not None and unit_id == own


def can_assign_within(user, unit_id: int | None) -> bool:
    """Confirm proposals sent on to a unit and name who of the unit does a task: whoever
    directs, and the unit's head."""
    return can_direct(user) or heads_unit(user, unit_id)


def can_reassign(user, task) -> bool:
    """Change a task's assignee (người xử lý): whoever directs, the head of the task's unit."""
    return can_assign_within(user, task.unit_id)


def can_reschedule(user, task) -> bool:
    """Change a task's deadline or lead unit (always with a reason), and decide a request for
    more time: whoever directs; the unit's head for work the unit gave itself."""
    if can_direct(user):
        return True
    confirmed_by = getattr(task, "confirmed_by", None) or getattr(task, "created_by", None)
    return heads_unit(user, task.unit_id) and _unit_id(confirmed_by) == task.unit_id


def can_number_outgoing(user) -> bool:
    """Cấp số and phát hành outgoing documents: the văn thư, leaders, admins."""
    return role_of(user) in (Role.ADMIN, Role.LEADER, Role.CLERK)


def can_approve_outgoing(user) -> bool:
    """Sign off a draft (trình ký → duyệt, or return it): leaders, admins and their delegates."""
    return can_direct(user)


# --- confidential documents ---


def reads_all_documents(user) -> bool:
    """Documents marked mật (or kept in a secret register) are read by those who keep and
    direct them: the văn thư, leaders, admins and whom the leaders delegate; others read them
    only when their unit was sent the document or given work from it
    (`documents.services.readable`)."""
    return can_register(user) or can_direct(user)


# --- incoming (helper A adds here) ---


def sees_direction_queue(user) -> bool:
    """The queue of documents waiting for direction: whoever directs, and unit heads (for what
    is sent on to their unit)."""
    return can_direct(user) or role_of(user) == Role.HEAD


def can_direct_document(user, document) -> bool:
    """Write the direction on this incoming document and decide its proposals: whoever
    directs; the head of the unit it was sent on to (for that unit only: `can_confirm_for`)."""
    if can_direct(user):
        return True
    forwarded = document.handling == document.Handling.FORWARDED
    return forwarded and heads_unit(user, document.unit_id)


def can_confirm_for(user, document, unit_id: int | None) -> bool:
    """Confirm a task of this document for `unit_id`: whoever directs for any unit; the head
    of the unit the document was sent on to only for that unit."""
    if can_direct(user):
        return True
    return can_direct_document(user, document) and unit_id == document.unit_id


# --- work on a task (helper B adds here) ---


def works_on_tasks(user) -> bool:
    """May change tasks at all (which ones: `can_change_task`; deadline, lead, assignee:
    `can_reschedule`, `can_reassign`): admins, leaders and a unit's people, its head too."""
    return role_of(user) in (Role.ADMIN, Role.LEADER, *UNIT_ROLES)


# --- outgoing (helper C adds here) ---


def can_draft_outgoing(user) -> bool:
    """Start a draft of an outgoing document (for one's own unit; leaders and admins for
    any): a unit's people, leaders, admins."""
    return role_of(user) in (Role.ADMIN, Role.LEADER, *UNIT_ROLES)


def can_edit_draft(user, draft) -> bool:
    """Upload a new version of a draft and submit it for signature: its author and the people
    who act for its drafting unit (leaders and admins for any)."""
    if role_of(user) in ("", Role.VIEWER):
        return False
    return draft.author_id == user.pk or acts_for_unit(user, draft.unit_id)


def can_close_answered(user, draft, task) -> bool:
    """Close a task an issued answer answers: who may change the task itself
    (`can_change_task`: its unit's people, leaders, admins) — never another unit's task, not
    even for the answer's author or the văn thư; that unit closes it."""
    if role_of(user) in ("", Role.VIEWER):
        return False
    return can_change_task(user, task)


def drafting_unit_ids(user) -> list[int] | None:
    """The units a draft may be written for by this user: None for any (leaders, admins),
    else their own unit (or none)."""
    if role_of(user) in (Role.ADMIN, Role.LEADER):
        return None
    own = _unit_id(user)
    return [own] if own is not None and role_of(user) in UNIT_ROLES else []


def can_see_feed(user, unit) -> bool:
    """A unit's secret calendar feed address: its own people who act for it, and leaders."""
    return unit is not None and acts_for_unit(user, unit.pk)


def can_change_task(user, task) -> bool:
    """Admins and leaders change any task; an officer only the tasks of their own unit."""
    return acts_for_unit(user, task.unit_id)


def can_create_task(user) -> bool:
    """May create tasks at all (for which unit: `can_assign_to`)."""
    return role_of(user) in (Role.ADMIN, Role.LEADER, *UNIT_ROLES)


def can_assign_to(user, unit) -> bool:
    """May a task be created for, or moved to, `unit` (a Unit or None) by this user."""
    return acts_for_unit(user, getattr(unit, "pk", None))


def can_self_assess(user, assessment) -> bool:
    """Enter, explain and submit the self-assessment of the assessment's unit."""
    return acts_for_unit(user, assessment.unit_id)


# --- edxml: documents as offices exchange them (edXML, signatures) ---


def can_export_edxml(user) -> bool:
    """Lập gói edXML of a registered document to send through the LGSP: who issues outgoing
    documents (the văn thư, leaders, admins)."""
    return can_number_outgoing(user)


# --- survey ---


def can_run_survey(user) -> bool:
    """Open survey rounds (điều tra xã hội học), hand out codes, read the results and write
    them into assessments: the council, as for appraisal. Respondents need no account: a
    one-time code lets them answer (survey.services.submit)."""
    return is_council(user)
