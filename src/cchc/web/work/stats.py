"""Figures for leaders: per-unit on-time rate and overdue count, and a bar chart of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cchc.text import vn_number
from cchc.web.accounts.models import Unit
from cchc.web.work.models import Task


@dataclass
class UnitRow:
    unit: Unit
    total: int
    done: int
    done_on_time: int
    overdue: int
    due_week: int

    @property
    def on_time_rate(self) -> float | None:
        """Share of finished tasks with a deadline that were finished by it."""
        return round(100 * self.done_on_time / self.done, 1) if self.done else None


def unit_rows(today: date) -> list[UnitRow]:
    work = Q(task__state=Task.State.CONFIRMED)  # proposals are nobody's work yet
    open_q = work & ~Q(task__status=Task.Status.DONE)
    units = Unit.objects.annotate(
        total=Count("task", filter=work & Q(task__collective=False)),
        done=Count(
            "task", filter=work & Q(task__status=Task.Status.DONE, task__deadline__isnull=False)
        ),
        done_on_time=Count(
            "task",
            filter=work
            & Q(task__status=Task.Status.DONE, task__completed_at__date__lte=F("task__deadline")),
        ),
        overdue=Count("task", filter=open_q & Q(task__deadline__lt=today)),
        due_week=Count(
            "task",
            filter=open_q
            & Q(
                task__deadline__gte=today,
                task__deadline__lte=today.fromordinal(today.toordinal() + 7),
            ),
        ),
    )
    rows = [
        UnitRow(u, u.total, u.done, u.done_on_time, u.overdue, u.due_week) for u in units if u.total
    ]
    return sorted(rows, key=lambda r: (-r.overdue, r.unit.name))


def on_time_chart(rows: list[UnitRow]) -> str:
    """A horizontal SVG bar chart: on-time rate per unit, overdue count beside it."""
    rows = rows[:25]
    if not rows:
        return ""
    bar_h, label_w, bar_w = 26, 260, 360
    height = bar_h * len(rows) + 30
    parts = [
        f'<svg class="chart" viewBox="0 0 {label_w + bar_w + 120} {height}" role="img" '
        f'aria-label="Tỷ lệ đúng hạn theo đơn vị" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, row in enumerate(rows):
        y = 20 + i * bar_h
        rate = row.on_time_rate
        width = bar_w * (rate or 0) / 100
        color = "#1b7f4b" if (rate or 0) >= 80 else "#c77700" if (rate or 0) >= 50 else "#b3261e"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(row.unit.name[:36])}'
            f"</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" fill="#eef1f5" rx="3"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="16" '
            f'fill="{color}" rx="3"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}">'
            f"{'—' if rate is None else f'{vn_number(rate, 1)}%'}"
            f"{f' · {row.overdue} quá hạn' if row.overdue else ''}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
