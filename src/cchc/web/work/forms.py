"""Forms of the incoming flow: the register's filter, the văn thư's intake, the submission to
the leaders and the direction (one form per proposal, a few for tasks added by hand)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from cchc.web.accounts.models import Profile, Unit
from cchc.web.documents.models import Document, Register
from cchc.web.forms import DayField
from cchc.web.work import flow


def _incoming_registers():
    return Register.objects.filter(direction=Document.Direction.INCOMING)


def _people():
    """Who can be named người xử lý or trình lãnh đạo: active users with a profile."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .select_related("profile__unit")
        .order_by("profile__unit__name", "first_name", "username")
    )


class PersonChoice(forms.ModelChoiceField):
    """A person shown as "Tên (đơn vị)"."""

    def label_from_instance(self, obj) -> str:
        unit = obj.profile.unit
        name = obj.get_full_name() or obj.username
        if unit is None or unit.name.casefold() in name.casefold():
            return name  # "Trần Thị Mai (Phòng Nội vụ)" says it already
        return f"{name} ({unit.name})"


WHOLE_NUMBER = {"invalid": "Nhập số nguyên."}
MAX_PAGES = 10_000


class RegisterFilterForm(forms.Form):
    register = forms.ModelChoiceField(
        label="Sổ", queryset=Register.objects.none(), required=False, empty_label="Mọi sổ đến"
    )
    start = DayField(label="Đến từ ngày", required=False)
    end = DayField(label="đến ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = _incoming_registers()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("Ngày bắt đầu sau ngày kết thúc.")
        return data


class IntakeForm(forms.ModelForm):
    """The văn thư's fields of Phụ lục IV (the parse pre-filled what it could)."""

    handling_deadline = DayField(label="Hạn xử lý", required=False)
    page_count = forms.IntegerField(label="Số trang", required=False, error_messages=WHOLE_NUMBER)
    transferred_date = DayField(label="Ngày chuyển", required=False)

    class Meta:
        model = Document
        fields = list(flow.INTAKE_FIELDS)  # the fields `flow.save_intake` sets
        labels = {"unit": "Đơn vị hoặc người nhận", "register": "Sổ văn bản đến"}
        widgets = {"register_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = _incoming_registers()
        self.fields["register"].required = True
        self.fields["unit"].queryset = Unit.objects.active().order_by("name")
        self.fields["page_count"].widget.attrs.update(min=1, max=MAX_PAGES)

    def clean_page_count(self):
        pages = self.cleaned_data.get("page_count")
        if pages is not None and not 1 <= pages <= MAX_PAGES:
            raise forms.ValidationError(f"Số trang từ 1 đến {MAX_PAGES}.")
        return pages

    def clean_handling_deadline(self):
        """Not before the document itself (its date, else the day it came)."""
        deadline = self.cleaned_data.get("handling_deadline")
        issued = self.instance.date or self.instance.received_date
        if deadline and issued and deadline < issued:
            raise forms.ValidationError(
                f"Hạn xử lý {deadline:%d/%m/%Y} trước ngày của văn bản ({issued:%d/%m/%Y})."
            )
        return deadline


class SubmitForm(forms.Form):
    submitted_to = PersonChoice(
        label="Trình lãnh đạo", queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = Q(profile__role__in=(Profile.Role.LEADER, Profile.Role.ADMIN))
        self.fields["submitted_to"].queryset = _people().filter(leaders | Q(profile__directs=True))


OUTCOMES = (
    ("direct", "Phân công"),
    ("inform", "Để biết"),
    ("forward", "Chuyển đơn vị"),
    ("return", "Trả lại văn thư"),
)
VERDICTS = (
    ("keep", "Để sau"),
    ("confirm", "Giao"),
    ("discard", "Loại"),
    ("merge", "Gộp vào"),
)


class DirectionForm(forms.Form):
    text = forms.CharField(label="Ý kiến chỉ đạo", widget=forms.Textarea, required=False)
    outcome = forms.ChoiceField(choices=OUTCOMES, initial="direct")
    state = forms.CharField(widget=forms.HiddenInput, required=False)  # flow.direction_state
    confirm_rest = forms.BooleanField(
        label="Giao tất cả đề xuất còn để sau (như máy đề xuất, với chỉnh sửa ở trên)",
        required=False,
    )
    forward_unit = forms.ModelChoiceField(
        label="Chuyển đơn vị", queryset=Unit.objects.active().order_by("name"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "forward" and not data.get("forward_unit"):
            raise forms.ValidationError("Chọn đơn vị để chuyển văn bản.")
        return data


def _names(text: str) -> list[str]:
    """Unit names one per line or between semicolons: a name may hold a comma ("Phòng Văn hóa,
    Khoa học và Thông tin")."""
    return [n.strip() for n in re.split(r"[;\n]", text) if n.strip()]


class TaskFields(forms.Form):
    """What a leader sets on a task: content, lead, support, person, deadline."""

    action = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(
        label="Đơn vị chủ trì", queryset=Unit.objects.active().order_by("name"), required=False
    )
    support = forms.CharField(
        label="Phối hợp", required=False, help_text="Các đơn vị cách nhau bằng dấu chấm phẩy."
    )
    assignee = PersonChoice(
        label="Người xử lý", queryset=get_user_model().objects.none(), required=False
    )
    deadline = DayField(label="Hạn", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the units' chuyên viên and trưởng đơn vị; flow.check_assignee: of the lead unit
        self.fields["assignee"].queryset = flow.assignees()

    def clean_support(self) -> list[str]:
        return _names(self.cleaned_data.get("support") or "")


class ProposalForm(TaskFields):
    verdict = forms.ChoiceField(choices=VERDICTS, initial="keep")
    merge_into = forms.IntegerField(required=False, min_value=1, error_messages=WHOLE_NUMBER)
    split = forms.CharField(label="Tách thành việc mới", required=False)

    def clean(self):
        data = super().clean()
        if data.get("verdict") == "merge" and not data.get("merge_into"):
            raise forms.ValidationError("Chọn đề xuất để gộp vào.")
        return data


class NewTaskForm(TaskFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].required = False
