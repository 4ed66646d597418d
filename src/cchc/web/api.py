"""The REST API: everything the pages do, with the same permission rules (accounts.roles)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, parser_classes
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    NotAuthenticated,
    PermissionDenied,
    ValidationError,
)
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cchc.web.accounts.models import Unit
from cchc.web.accounts.roles import (
    can_assign_to,
    can_change_task,
    can_create_task,
    can_edit_document,
    can_ingest,
    works_on_tasks,
)
from cchc.web.documents import search, services
from cchc.web.documents.models import Document, IngestJob
from cchc.web.documents.services import REGISTRY_FIELDS, registry_filters
from cchc.web.documents.store import UploadRejected
from cchc.web.error_pages import api_exception_handler
from cchc.web.params import MAX_ID, id_param
from cchc.web.work import assign, flow
from cchc.web.work import services as work
from cchc.web.work.models import Task


def exception_handler(exc, context):
    """DRF's, but a request with HTTP Basic credentials that fail is told 401 with the Basic
    challenge (RFC 7235), not 403: the session log-in, first of the authentications, has no
    challenge to give, so DRF answered 403 to every wrong API password."""
    response = api_exception_handler(exc, context)  # Vietnamese messages
    request = context.get("request")
    header = request.META.get("HTTP_AUTHORIZATION", "") if request is not None else ""
    refused = isinstance(exc, (NotAuthenticated, AuthenticationFailed))
    if response is not None and refused and header[:6].lower() == "basic ":
        response.status_code = 401
        response["WWW-Authenticate"] = 'Basic realm="api"'
    return response


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "parent"]


class DocumentListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [*REGISTRY_FIELDS, "place"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        exclude = ["machine", "sha256", "original", "number_key"]


class TaskSerializer(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    days_late = serializers.IntegerField(read_only=True)
    # the version the change was made from (or If-Match): a stale one answers 409
    version = serializers.IntegerField(required=False, min_value=1)
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "document",
            "parent",
            "unit",
            "unit_name",
            "lead_text",
            "support",
            "collective",
            "action",
            "kind",
            "deadline",
            "deadline_text",
            "urgent",
            "recurrence",
            "report_to",
            "period",
            "data_from",
            "data_to",
            "source_start",
            "source_end",
            "status",
            "completed_at",
            "overdue",
            "days_late",
            "assignee",
            "version",
            "reason",
            "answers",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "document",
            "parent",
            "lead_text",
            "support",
            "collective",
            "source_start",
            "source_end",
            "completed_at",
            "created_at",
            "updated_at",
            "period",
            "data_from",
            "data_to",
            "deadline_text",
        ]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer


class DocumentViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Document.objects.all()

    def get_serializer_class(self):
        return DocumentListSerializer if self.action == "list" else DocumentSerializer

    def get_queryset(self):
        return services.registry_documents(self.request.query_params, self.request.user)[0]

    def update(self, request, *args, **kwargs):
        """Corrections of the editable fields; the machine's values are kept."""
        doc = self.get_object()
        if not can_edit_document(request.user):
            raise PermissionDenied("Bạn không có quyền sửa văn bản.")
        try:
            services.apply_corrections(doc, request.data, request.user)
        except services.CorrectionError as exc:
            raise ValidationError(str(exc)) from exc
        return Response(DocumentSerializer(doc).data)


class TaskPermission(permissions.BasePermission):
    message = "Bạn chỉ được cập nhật công việc của đơn vị mình."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "create":
            return can_create_task(request.user)
        # changes of a task: as on the task's page, the object's rule (a unit's head too)
        return works_on_tasks(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_change_task(request.user, obj)


class TaskViewSet(viewsets.ModelViewSet):
    serializer_class = TaskSerializer
    permission_classes = [permissions.IsAuthenticated, TaskPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        tasks = Task.work.select_related("unit")
        params = self.request.query_params
        if (unit := id_param(params, "unit", "đơn vị")) is not None:
            tasks = tasks.filter(unit_id=unit)
        if params.get("status") in Task.Status.values:
            tasks = tasks.filter(status=params["status"])
        if (document := id_param(params, "document", "văn bản")) is not None:
            tasks = tasks.filter(document_id=document)
        return tasks

    def perform_create(self, serializer):
        if not can_assign_to(self.request.user, serializer.validated_data.get("unit")):
            raise PermissionDenied("Bạn chỉ được tạo công việc cho đơn vị mình.")
        data = dict(serializer.validated_data)
        status_ = data.pop("status", Task.Status.TODO)
        answers = data.pop("answers", [])
        assignee = data.pop("assignee", None)
        reason = data.pop("reason", "")
        data.pop("version", None)
        with transaction.atomic():
            task = work.create_task(Task(**data), self.request.user, status_)
            task.answers.set(answers)
            if assignee is not None:
                _changed(
                    work.update_task,
                    task,
                    {"assignee": assignee},
                    self.request.user,
                    reason or "Giao khi tạo công việc",
                )
        serializer.instance = task

    def perform_update(self, serializer):
        """Every change through `update_task` (rights, reasons, history) and `set_status`;
        from the version in the body or the If-Match header, else the one just read."""
        task = serializer.instance
        data = dict(serializer.validated_data)
        expected = data.pop("version", None) or _if_match(self.request)
        reason = data.pop("reason", "")
        new_status = data.pop("status", task.status)
        answers = data.pop("answers", None)
        new_unit = data.get("unit", task.unit)
        if new_unit != task.unit and not can_assign_to(self.request.user, new_unit):
            raise PermissionDenied("Không thể giao công việc cho đơn vị khác.")
        if expected is not None and expected != task.version:
            raise VersionConflict(str(assign.Conflict(task)))
        with transaction.atomic():
            _changed(work.update_task, task, data, self.request.user, reason, expected)
            if new_status != task.status:
                _changed(assign.set_status, task, new_status, self.request.user)
            if answers is not None:
                work.link_answers(task, answers, self.request.user, replace=True)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        """Evidence files (multipart `files`) for a task of one's own unit."""
        task = self.get_object()
        saved, refused = [], []
        for f in request.FILES.getlist("files"):
            try:
                saved.append(work.add_evidence(task, f, request.user).name)
            except UploadRejected as exc:
                refused.append(str(exc))
        if not saved and not refused:
            raise ValidationError("Chưa có tệp (trường files).")
        return Response({"saved": saved, "refused": refused}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        task = self.get_object()
        text = str(request.data.get("text", "")).strip()
        if not text:
            raise ValidationError("Ghi chú trống.")
        assign.add_note(task, request.user, text)
        return Response({"ok": True}, status=status.HTTP_201_CREATED)


class VersionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Công việc đã được người khác sửa; hãy tải lại rồi sửa."
    default_code = "conflict"


def _if_match(request) -> int | None:
    """The version an If-Match header names ("3" or the ETag form "\"3\"")."""
    header = request.META.get("HTTP_IF_MATCH", "").strip().removeprefix("W/").strip('"')
    if not header:
        return None
    if not (header.isascii() and header.isdigit()) or not 0 < int(header) <= MAX_ID:
        raise ValidationError({"detail": f"If-Match không hợp lệ: “{header[:40]}”."})
    return int(header)


def _changed(change, *args):
    """A change of a task, its refusals as the API answers them."""
    try:
        return change(*args)
    except assign.Conflict as exc:
        raise VersionConflict(str(exc)) from exc
    except work.InvalidChange as exc:
        raise ValidationError({"detail": str(exc)}) from exc
    except work.ChangeRefused as exc:
        raise PermissionDenied(str(exc)) from exc


@api_view(["GET"])
def search_api(request):
    query = search.Query.parse(request.query_params.get("q", ""))
    if not query:
        raise ValidationError("Thiếu từ khóa q.")
    filters = registry_filters(request.query_params)
    filters.pop("unit", None)
    order = "date" if request.query_params.get("sort") == "date" else "relevance"
    try:
        page = max(1, int(request.query_params.get("page", 1)))
    except ValueError:
        page = 1
    results = search.search(query, filters, order, page, visible=services.visible_ids(request.user))
    docs = services.readable(Document.objects.all(), request.user).in_bulk(results.ids)
    return Response(
        {
            "total": results.total,
            "capped": results.capped,
            "facets": {
                k: [{"value": v, "count": n} for v, n in vals] for k, vals in results.facets.items()
            },
            "results": [
                {
                    **DocumentListSerializer(docs[i]).data,
                    "snippet": search.snippet(docs[i].text, query),
                }
                for i in results.ids
                if i in docs
            ],
        }
    )


@api_view(["POST"])
@parser_classes([MultiPartParser])
def upload_api(request):
    """The upload page's path (documents.services.receive_uploads), with its checks."""
    if not can_ingest(request.user):
        raise PermissionDenied("Bạn không có quyền nhập văn bản.")
    try:
        jobs = services.receive_uploads(
            request.FILES.getlist("files"), request.user, request.data.get("direction")
        )
    except services.InvalidRequest as exc:
        raise ValidationError(str(exc)) from exc
    return Response({"jobs": jobs}, status=status.HTTP_202_ACCEPTED)


@api_view(["GET"])
def job_api(request, pk: int):
    job = IngestJob.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if job is None:
        return Response({"detail": "Không có."}, status=404)
    return Response(services.job_json(job))


# --- incoming: proposals (helper A) -------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    """A proposed task with the sentence it was read from."""

    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    source = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "document",
            "unit",
            "unit_name",
            "lead_text",
            "support",
            "collective",
            "action",
            "kind",
            "deadline",
            "deadline_text",
            "assignee",
            "confidence",
            "state",
            "source_start",
            "source_end",
            "source",
            "version",
        ]

    def get_source(self, task) -> str:
        return getattr(task, "source_text", None) or ""


class ProposalEditSerializer(serializers.Serializer):
    """What a person may set on a proposal: content, lead, support, person, deadline."""

    action = serializers.CharField(required=False, max_length=5000)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.active(), required=False, allow_null=True
    )
    support = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    deadline = serializers.DateField(required=False, allow_null=True)


def _proposal_edits(request) -> flow.Edits:
    data = request.data if hasattr(request.data, "get") else {}
    serializer = ProposalEditSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return flow.Edits.of(serializer.validated_data)


class ProposalViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The machine's proposed tasks (`?document=`): confirm, edit or discard them with the same
    services and rights as the direction page (work.flow)."""

    serializer_class = ProposalSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        tasks = (
            Task.objects.filter(state=Task.State.PROPOSED, parent=None)
            .select_related("unit")
            .defer("machine")
            # the sentence only, cut by the database: never the document's whole text
            .annotate(
                source_text=Substr(
                    "document__text", F("source_start") + 1, F("source_end") - F("source_start")
                )
            )
        )
        if (document := id_param(self.request.query_params, "document", "văn bản")) is not None:
            tasks = tasks.filter(document_id=document)
        return tasks.order_by("document_id", "source_start", "id")

    def partial_update(self, request, *args, **kwargs):
        flow.edit(self.get_object(), request.user, _proposal_edits(request))
        return Response(ProposalSerializer(self.get_object()).data)

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        task = flow.confirm(self.get_object(), request.user, _proposal_edits(request))
        return Response(TaskSerializer(task).data)

    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        reason = str(request.data.get("reason", ""))[:500] if hasattr(request.data, "get") else ""
        task = flow.discard(self.get_object(), request.user, reason)
        return Response(ProposalSerializer(task).data)
