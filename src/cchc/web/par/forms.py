"""The query strings and forms of the PAR pages, checked before anything reads them: a bad
parameter answers 400 with a message, never a 500."""

from __future__ import annotations

from django import forms

from cchc.web.accounts.models import Unit
from cchc.web.forms import DayField
from cchc.web.par.models import Criterion, Framework
from cchc.web.par.reports import PERIODS
from cchc.web.params import MAX_ID
from cchc.web.work.models import Task

FIRST_YEAR, LAST_YEAR = 1990, 2100
YEAR_MESSAGE = f"Năm phải là số từ {FIRST_YEAR} đến {LAST_YEAR}."
ID_MESSAGE = "Mã không hợp lệ."


def year_field(required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        required=required,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": YEAR_MESSAGE,
            "min_value": YEAR_MESSAGE,
            "max_value": YEAR_MESSAGE,
            "required": "Chưa nhập năm.",
        },
    )


def id_field(required: bool = False) -> forms.IntegerField:
    message = {"invalid": ID_MESSAGE, "min_value": ID_MESSAGE, "max_value": ID_MESSAGE}
    return forms.IntegerField(
        required=required, min_value=1, max_value=MAX_ID, error_messages=message
    )


def choices(queryset, what: str, required: bool = True) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset,
        required=required,
        error_messages={
            "invalid_pk_value": f"{what} “%(pk)s” không hợp lệ.",
            "invalid_choice": f"Không có {what} “%(value)s”.",
            "required": f"Chưa chọn {what}.",
        },
    )


def one(queryset, what: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset,
        error_messages={
            "invalid_choice": f"Không có {what} này.",
            "required": f"Chưa chọn {what}.",
        },
    )


class ChartQuery(forms.Form):
    framework = id_field()
    year = year_field(required=False)
    assessment = id_field()
    unit = id_field()


class OpenAssessmentForm(forms.Form):
    framework = one(Framework.objects.all(), "bộ tiêu chí")
    year = year_field()
    units = choices(Unit.objects.active(), "đơn vị")


class CommitmentForm(forms.Form):
    unit = one(Unit.objects.active(), "đơn vị")
    year = year_field()
    head_name = forms.CharField(
        max_length=200, error_messages={"required": "Chưa nhập người đứng đầu."}
    )
    head_title = forms.CharField(max_length=200, error_messages={"required": "Chưa nhập chức vụ."})
    signed_on = DayField(required=False)
    deadline = DayField(error_messages={"required": "Chưa nhập hạn."})
    criteria = choices(Criterion.objects.all(), "tiêu chí", required=False)
    tasks = choices(Task.work.all(), "công việc", required=False)


class ReportQuery(forms.Form):
    report = forms.ChoiceField(
        choices=[("dinh-ky", "định kỳ"), ("chi-so", "chỉ số")],
        error_messages={"invalid_choice": "Không có loại báo cáo này."},
    )
    format = forms.ChoiceField(
        choices=[("docx", "docx"), ("xlsx", "xlsx")],
        required=False,
        error_messages={"invalid_choice": "Chỉ lập được báo cáo .docx hoặc .xlsx."},
    )
    year = year_field()
    period = forms.ChoiceField(
        choices=list(PERIODS.items()),
        required=False,
        error_messages={"invalid_choice": "Không có kỳ báo cáo này."},
    )
    framework = id_field()


def first_error(form: forms.Form) -> str:
    """The form's problems as one line, for a message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
