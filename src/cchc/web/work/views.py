"""Pages of the work: the tasks board, a task's page, the calendar and its feeds, the dashboard."""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.dates import MAX_YEAR, MIN_YEAR
from cchc.extract.recurrence_words import recurrence_in_words
from cchc.web.accounts.models import Unit
from cchc.web.accounts.roles import (
    acts_for_unit,
    can_assign_to,
    can_change_task,
    can_create_task,
    can_reassign,
    can_reschedule,
    can_see_feed,
    heads_unit,
    sees_everything,
    unit_of,
)
from cchc.web.documents.models import Document
from cchc.web.documents.store import UploadRejected, safe_name
from cchc.web.forms import DayField
from cchc.web.params import MAX_ID, InvalidRequest, id_param, int_param
from cchc.web.work import assign, notify, services, stats
from cchc.web.work.calendar import month_grid, unit_feed
from cchc.web.work.models import Evidence, ExtensionRequest, Notification, Task

CARDS_PER_COLUMN = 50
COUNT_CAP = 999
COLUMNS = [
    ("overdue", "Quá hạn"),
    ("todo", "Chưa làm"),
    ("doing", "Đang làm"),
    ("done", "Hoàn thành"),
]

# What a task card (includes/task_row.html) shows.
CARD_FIELDS = (
    "kind",
    "deadline",
    "urgent",
    "recurrence",
    "action",
    "status",
    "lead_text",
    "completed_at",
    "unit__name",
    "unit__short_name",
    "document__type",
    "document__number",
    "document__original_name",
)


def chosen_unit(request) -> Unit | None:
    """The unit a page shows: `?unit=N`, everyone's with `?unit=all`, else the person's own
    (a leader's: everyone's)."""
    chosen = id_param(request.GET, "unit", "đơn vị", allow=("all",))
    if chosen == "all":
        return None
    if chosen is not None:
        return get_object_or_404(Unit, pk=chosen)
    return None if sees_everything(request.user) else unit_of(request.user)


def board(request):
    """A unit's tasks by column; overdue and due-soon first. Leaders pick any unit."""
    unit = chosen_unit(request)
    # only what a card shows: the parse kept in JSON and the document's text are most of the
    # page's time on a large registry, building the other fields most of the rest
    tasks = Task.work.select_related("unit", "document").exclude(collective=True).only(*CARD_FIELDS)
    if unit is not None:
        tasks = tasks.filter(unit=unit)
    today = timezone.localdate()
    open_statuses = [Task.Status.TODO, Task.Status.DOING]
    overdue = tasks.filter(status__in=open_statuses, deadline__lt=today)
    labels = dict(COLUMNS)
    overdue = tasks.filter(status__in=[Task.Status.TODO, Task.Status.DOING], deadline__lt=today)
    parts = {"overdue": [overdue.order_by("deadline", "id")]}
    for status in (Task.Status.TODO, Task.Status.DOING):  # due soonest, then without a deadline
        current = tasks.filter(status=status)
        parts[status] = [
            current.filter(deadline__gte=today).order_by("deadline", "id"),
            current.filter(deadline=None).order_by("id"),
        ]
    parts["done"] = [tasks.filter(status=Task.Status.DONE).order_by("-completed_at")]
    columns = [(key, labels[key], *_column(parts[key])) for key, _label in COLUMNS]
    return render(
        request,
        "work/board.html",
        {
            "unit": unit,
            "units": Unit.objects.all(),
            "columns": columns,
            "unassigned": Task.work.filter(unit=None, collective=False).exists(),
            "today": today,
            "soon": today + timedelta(days=7),
        },
    )


def _column(querysets) -> tuple[list[Task], str, bool]:
    """A column's first cards, how many there are ("999+" past that: counting a whole town's
    open tasks costs more than the page), and whether there are more than it shows."""
    cards, count = [], 0
    for tasks in querysets:
        if len(cards) < CARDS_PER_COLUMN:
            cards += list(tasks[: CARDS_PER_COLUMN - len(cards)])
        count += tasks[: COUNT_CAP + 1].count()
    label = f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)
    return cards, label, count > len(cards)


# what names a document in a list (its __str__ and link): never its text or machine JSON
DOCUMENT_NAME = ("id", "type", "number", "original_name")


def task_page(request, pk: int):
    task = get_object_or_404(
        # the page names the document (type, number, subject): not its text or machine JSON
        Task.objects.select_related("unit", "document", "parent", "assignee").defer(
            "document__text", "document__machine"
        ),
        pk=pk,
    )
    answering = Document.objects.none()
    if task.document_id:  # documents that cite the task's document may be its answer
        answering = (
            Document.objects.filter(citations__target=task.document_id)
            .exclude(pk__in=task.answers.values("pk"))
            .only(*DOCUMENT_NAME, "subject")
        )
    user = request.user
    can_assign = can_reassign(user, task)
    return render(
        request,
        "work/task.html",
        {
            "task": task,
            "can_change": can_change_task(user, task),
            "can_assign": can_assign,
            "can_reschedule": can_reschedule(user, task),
            # who can move the deadline itself does not ask for more time
            "can_ask_more_time": acts_for_unit(user, task.unit_id)
            and not can_reschedule(user, task)
            and task.status != Task.Status.DONE,
            "people": services.unit_people(task.unit) if can_assign else [],
            "extensions": task.extension_requests.filter(
                state=ExtensionRequest.State.PENDING
            ).select_related("user"),
            "statuses": Task.Status.choices,
            "history": services.history(task),
            "evidence": task.evidence.all(),
            "children": task.children.select_related("unit"),
            "answers": task.answers.only(*DOCUMENT_NAME),
            "suggested": answering[:10],
        },
    )


def _guard(request, task: Task) -> None:
    if not can_change_task(request.user, task):
        raise PermissionDenied("Bạn chỉ được cập nhật công việc của đơn vị mình.")


@require_POST
def task_update(request, pk: int):
    """Status change, progress note, evidence file or answering document, from the task page."""
    task = get_object_or_404(Task, pk=pk)
    _guard(request, task)
    note = request.POST.get("note", "").strip()
    status = request.POST.get("status", "")
    version = int_param(request.POST, "version", "Phiên bản", 1, MAX_ID, None)
    if status in Task.Status.values and status != task.status:
        try:
            assign.set_status(task, status, request.user, note, expected_version=version)
        except assign.Conflict as exc:
            messages.error(request, f"{exc} Trạng thái chưa được đổi; ghi chú của bạn: {note}")
            return redirect("task", pk=task.pk)
        messages.success(request, f"Đã chuyển sang “{Task.Status(status).label}”.")
    elif note:
        assign.add_note(task, request.user, note)
        messages.success(request, "Đã ghi tiến độ.")
    for f in request.FILES.getlist("evidence"):
        try:
            services.add_evidence(task, f, request.user)
            messages.success(request, f"Đã đính kèm {safe_name(f.name)}.")
        except UploadRejected as exc:
            messages.error(request, str(exc))
    if (answer := id_param(request.POST, "answer", "văn bản")) is not None:
        doc = get_object_or_404(Document, pk=answer)
        services.link_answers(task, [doc], request.user)
        messages.success(request, f"Đã gắn văn bản {doc}.")
    return redirect("task", pk=task.pk)


def evidence_file(request, pk: int):
    evidence = get_object_or_404(Evidence, pk=pk)
    return services.attachment(evidence.path, evidence.name)


class TaskForm(forms.ModelForm):
    deadline = DayField(label="Hạn", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = forms.CharField(
        label="Lý do thay đổi (bắt buộc khi đổi hạn hoặc đơn vị chủ trì)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Task
        fields = ["action", "unit", "kind", "deadline", "urgent", "report_to", "recurrence"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "recurrence": forms.TextInput(attrs={"list": "recurrence-presets"}),
        }


# Rules offered in the recurrence field, shown in words (typing a rule by hand stays possible).
COMMON_RECURRENCES = (
    "FREQ=MONTHLY;BYMONTHDAY=25",
    "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20",
    "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=15",
    "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15",
    "FREQ=WEEKLY;BYDAY=FR",
)

# What the edit form keeps as it is when a POST does not carry it (a script's partial form):
# the deadline and the lead are changed only on purpose.
KEPT_WHEN_ABSENT = ("deadline", "unit")


def _form_value(task: Task, name: str) -> str:
    value = getattr(task, f"{name}_id" if name == "unit" else name)
    return "" if value is None else str(value)


def locked_fields(user, task: Task) -> list[str]:
    """The edit form's fields this person may not change on this task (`check_change`)."""
    if can_reschedule(user, task):
        return []
    return [*KEPT_WHEN_ABSENT, *(["action"] if task.document_id else [])]


def task_edit(request, pk: int | None = None):
    """Create a task by hand, or edit one (extracted or hand-made) through `update_task`:
    deadline and lead only by whoever has the right, with a reason; a save from a stale page
    is shown again with the user's values and what changed meanwhile."""
    task = get_object_or_404(Task, pk=pk) if pk else None
    if task is not None:
        _guard(request, task)
    elif not can_create_task(request.user):
        raise PermissionDenied("Bạn không có quyền tạo công việc.")
    chosen = id_param(request.POST, "unit", "đơn vị") if request.method == "POST" else None
    if chosen is not None and not can_assign_to(
        request.user, Unit.objects.filter(pk=chosen).first()
    ):
        raise PermissionDenied("Bạn chỉ được giao công việc cho đơn vị mình.")
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if task is not None:
            for name in KEPT_WHEN_ABSENT:
                if name not in data:
                    data[name] = _form_value(task, name)
    form = TaskForm(data, instance=task, initial={"version": getattr(task, "version", None)})
    if task is not None:
        form.fields["reason"].help_text = ""
    else:
        del form.fields["reason"], form.fields["version"]
    if not sees_everything(request.user):  # officers create tasks for their own unit
        form.fields["unit"].queryset = Unit.objects.filter(
            pk=getattr(unit_of(request.user), "pk", None)
        )
        form.fields["unit"].required = True
    if task is not None:  # what only the assigner changes is shown, not offered
        for name in locked_fields(request.user, task):
            form.fields[name].disabled = True
            form.fields[name].help_text = "Chỉ người giao việc được đổi."
    conflict = None
    if request.method == "POST" and form.is_valid():
        if task is None:
            saved = form.save(commit=False)
            if not can_assign_to(request.user, saved.unit):
                raise PermissionDenied("Bạn chỉ được giao công việc cho đơn vị mình.")
            services.create_task(saved, request.user)
            messages.success(request, "Đã lưu công việc.")
            return redirect("task", pk=saved.pk)
        task.refresh_from_db()  # the form wrote its values into the instance
        changes = services.form_changes(task, form.cleaned_data, TaskForm.Meta.fields)
        try:
            services.update_task(
                task,
                changes,
                request.user,
                form.cleaned_data.get("reason") or "",
                form.cleaned_data.get("version"),
            )
        except services.InvalidChange as exc:
            form.add_error("reason", str(exc))
        except services.Conflict as exc:
            conflict = exc.task
            form.add_error(None, str(exc))
            form.data["version"] = str(conflict.version)  # a new save, after a look, goes in
            if not can_reschedule(request.user, conflict):  # what they may not change: as now
                for name in KEPT_WHEN_ABSENT:
                    form.data[name] = _form_value(conflict, name)
        else:
            messages.success(request, "Đã lưu công việc.")
            return redirect("task", pk=task.pk)
    return render(
        request,
        "work/task_form.html",
        {
            "form": form,
            "task": task,
            "conflict": conflict,
            "theirs": services.differences(conflict, form) if conflict else [],
            "recurrences": [(rule, recurrence_in_words(rule)) for rule in COMMON_RECURRENCES],
        },
    )


def calendar_page(request):
    today = timezone.localdate()
    # the grid links to the month before and after: the first and last years have no neighbour
    year = int_param(request.GET, "year", "Năm", MIN_YEAR + 1, MAX_YEAR - 1, today.year)
    month = int_param(request.GET, "month", "Tháng", 1, 12, today.month)
    first = date(year, month, 1)
    unit = chosen_unit(request)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    tasks = Task.work.filter(deadline__range=(first, last)).exclude(collective=True)
    if unit is not None:
        tasks = tasks.filter(unit=unit)
    by_day = defaultdict(list)
    for task in tasks.select_related("unit"):
        by_day[task.deadline].append(task)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    feed = None
    if can_see_feed(request.user, unit):  # the secret address: that unit's people and leaders
        feed = request.build_absolute_uri(f"/lich/feed/{unit.feed_token}.ics")
    return render(
        request,
        "work/calendar.html",
        {
            "first": first,
            "weeks": month_grid(first, by_day),
            "previous": previous,
            "following": following,
            "unit": unit,
            "units": Unit.objects.all(),
            "feed": feed,
            "today": today,
        },
    )


@require_POST
def rotate_feed(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    if not can_see_feed(request.user, unit):
        raise PermissionDenied("Chỉ đơn vị và lãnh đạo đổi được địa chỉ lịch của đơn vị.")
    services.rotate_feed(unit, request.user)
    messages.success(request, "Đã đổi địa chỉ lịch: địa chỉ cũ không dùng được nữa.")
    return redirect(f"{reverse('calendar')}?unit={unit.pk}")


def ics_feed(request, token: str):
    """A unit's deadlines as iCalendar, at a secret URL phones and Outlook can subscribe to."""
    unit = Unit.objects.filter(feed_token=token).first()
    if unit is None:
        raise Http404("Không có lịch này")
    response = HttpResponse(unit_feed(unit), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cchc.ics"'
    return response


def dashboard(request):
    today = timezone.localdate()
    rows = stats.unit_rows(today)
    week_end = today + timedelta(days=7)
    due_week = (
        Task.work.filter(deadline__range=(today, week_end))
        .exclude(status=Task.Status.DONE)
        .exclude(collective=True)
        .select_related("unit")
        .order_by("deadline")[:50]
    )
    totals = Task.work.exclude(collective=True).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Task.Status.DONE)),
        done_late=Count(
            "id", filter=Q(status=Task.Status.DONE, completed_at__date__gt=F("deadline"))
        ),
        overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=Task.Status.DONE)),
    )
    return render(
        request,
        "work/dashboard.html",
        {
            "rows": rows,
            "chart": stats.on_time_chart(rows),
            "due_week": due_week,
            "totals": totals,
            "documents": Document.objects.count(),
            "today": today,
        },
    )


# --- work on a task: my work, assignment, requests for more time, notifications --------------

MY_FIELDS = (
    "action",
    "deadline",
    "status",
    "completed_at",
    "urgent",
    "kind",
    "document__type",
    "document__number",
    "document__original_name",
)
MY_ROWS = 200


def my_work(request):
    """Việc của tôi: the tasks given to me (open first, the overdue marked), for a unit's head
    the unit's tasks nobody is named for, the requests for more time I decide, and how many
    documents wait for my direction."""
    user = request.user
    today = timezone.localdate()
    mine = Task.work.filter(assignee=user).select_related("document").only(*MY_FIELDS)
    open_tasks = list(mine.exclude(status=Task.Status.DONE).order_by("deadline", "id")[:MY_ROWS])
    done = list(mine.filter(status=Task.Status.DONE).order_by("-completed_at")[:20])
    unit = unit_of(user)
    unassigned = []
    if unit is not None and heads_unit(user, unit.pk):
        unassigned = list(
            Task.work.filter(unit=unit, assignee=None, collective=False)
            .exclude(status=Task.Status.DONE)
            .select_related("document")
            .only(*MY_FIELDS)
            .order_by("deadline", "id")[:MY_ROWS]
        )
    return render(
        request,
        "work/my_work.html",
        {
            "open_tasks": open_tasks,
            "done": done,
            "unassigned": unassigned,
            "extensions": services.pending_extensions(user),
            "waiting": notify.waiting_for(user),  # as the person's direction queue counts
            "today": today,
        },
    )


def _version(request) -> int | None:
    return int_param(request.POST, "version", "Phiên bản", 1, MAX_ID, None)


@require_POST
def task_assign(request, pk: int):
    """The unit's head (or a leader) names who of the task's unit does it, with a reason."""
    task = get_object_or_404(Task.objects.select_related("unit", "assignee"), pk=pk)
    if not can_reassign(request.user, task):
        raise PermissionDenied("Chỉ lãnh đạo hoặc trưởng đơn vị được giao việc cho người xử lý.")
    chosen = id_param(request.POST, "assignee", "người xử lý")
    person = None
    if chosen is not None:
        person = services.unit_people(task.unit).filter(pk=chosen).first()
        if person is None:
            raise InvalidRequest("Người xử lý phải là người của đơn vị chủ trì.")
    try:
        services.assign_person(
            task, person, request.user, request.POST.get("reason", ""), _version(request)
        )
    except (services.InvalidChange, services.Conflict) as exc:
        messages.error(request, str(exc))
    else:
        who = person.get_full_name() or person.get_username() if person else "không ai"
        messages.success(request, f"Đã giao cho {who}.")
    return redirect("task", pk=task.pk)


class ExtensionForm(forms.Form):
    deadline = DayField(label="Hạn đề nghị")
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


@require_POST
def task_extension(request, pk: int):
    """Xin gia hạn: a person of the task's unit asks for a new deadline, with a reason."""
    task = get_object_or_404(Task.objects.select_related("unit"), pk=pk)
    if not acts_for_unit(request.user, task.unit_id):
        raise PermissionDenied("Chỉ đơn vị chủ trì được xin gia hạn công việc của mình.")
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("task", pk=task.pk)
    try:
        services.ask_extension(
            task, request.user, form.cleaned_data["deadline"], form.cleaned_data["reason"]
        )
    except services.InvalidChange as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã gửi đề nghị gia hạn.")
    return redirect("task", pk=task.pk)


@require_POST
def extension_decide(request, pk: int):
    """Whoever may reschedule the task approves or refuses a request for more time."""
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("task", "task__unit", "user"), pk=pk
    )
    if not can_reschedule(request.user, extension.task):
        raise PermissionDenied("Bạn không có quyền duyệt đề nghị gia hạn này.")
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "refuse"):
        raise InvalidRequest("Chọn đồng ý (approve) hoặc không đồng ý (refuse).")
    try:
        services.decide_extension(
            extension, request.user, decision == "approve", request.POST.get("answer", "")
        )
    except (services.InvalidChange, services.Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Đã đồng ý gia hạn." if decision == "approve" else "Đã không đồng ý gia hạn."
        )
    return redirect("task", pk=extension.task_id)


NOTIFICATIONS_SHOWN = 100


def notifications_page(request):
    """My notifications, newest first; POST marks them read (all, or `id`)."""
    if request.method == "POST":
        chosen = id_param(request.POST, "id", "thông báo")
        notify.mark_read(request.user, None if chosen is None else [chosen])
        return redirect("notifications")
    shown = Notification.objects.filter(user=request.user).only(
        "at", "kind", "text", "url", "read_at"
    )[:NOTIFICATIONS_SHOWN]
    return render(request, "work/notifications.html", {"notifications": shown})
