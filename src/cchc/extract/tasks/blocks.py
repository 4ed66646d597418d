"""Labelled task blocks: `Nhiệm vụ: …` / `Đơn vị chủ trì: …` / `Đơn vị phối hợp: …` /
`Thời gian: …`."""

from __future__ import annotations

import re

from cchc.extract.deadlines import find_deadline, time_limit
from cchc.extract.tasks.model import Paragraph, Task, new_task
from cchc.extract.tasks.sentences import names_only, span_of, task_from_sentence
from cchc.extract.units import Unit, split_units
from cchc.text import squash

_LABEL = re.compile(
    r"^(?P<label>nhiem vu(?: cu the)?|noi dung(?: thuc hien)?|(?:don vi|co quan) chu tri"
    r"|(?:don vi|co quan) phoi hop|thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh)?"
    r"|co quan thuc hien)\s*:\s*"
)


def _unit(data: dict) -> Unit:
    return Unit(data["name"], data["canonical"], data["collective"])


class TaskBlock:
    """The table-like layout of many plans: a duty, then who leads, who helps and by when.

    `a) Nhiệm vụ: …` / `- Nội dung thực hiện: …` open a block (or `- Cơ quan chủ trì: …` under a
    numbered item, whose title is then the duty); `Cơ quan thực hiện: X chủ trì …; Y …` names
    the units in sentences; `Thời gian thực hiện: …` gives the deadline of every duty."""

    def __init__(self, anchor, tasks: list[Task], warnings: list[str]):
        self.anchor, self.tasks, self.warnings = anchor, tasks, warnings
        self.last_item: Paragraph | None = None
        self._reset()

    def _reset(self) -> None:
        self.duties: list[tuple[Paragraph, str]] = []
        self.written: list[tuple[Paragraph, str]] = []
        self.lead: list[Unit] = []
        self.support: list[Unit] = []
        self.when: str | None = None
        self.open_level: int | None = None
        self.collecting = False
        self.section: str | None = None

    def feed(self, para: Paragraph, section: str | None) -> bool:
        """Take `para` when it belongs to a task table; False leaves it to the sentence rules."""
        m = _LABEL.match(para.folded)
        if m:
            self._label(m.group("label"), para.text[m.end() :].strip(), para, section)
            return self.open_level is not None
        if self.open_level is None:
            if para.level <= 2 and para.marker:
                self.last_item = para
            return False
        if (para.level <= self.open_level and not self.collecting) or para.level < self.open_level:
            self.tasks.extend(self.close())
            if para.level <= 2 and para.marker:
                self.last_item = para
            return False
        if self.collecting:
            self.duties.append((para, para.text))
        return True

    def _label(self, label: str, value: str, para: Paragraph, section: str | None) -> None:
        if label.startswith(("nhiem vu", "noi dung")):
            self.tasks.extend(self.close())
            self.open_level, self.collecting, self.section = para.level, True, section
            if value:
                self.duties.append((para, value))
            return
        if self.open_level is None and self.last_item is not None:
            # `2. Tổ chức tập huấn …` then `- Cơ quan chủ trì: …`: the item's title is the duty.
            item = self.last_item
            self.open_level, self.section = item.level + 1, section
            self.duties.append((item, item.text))
        self.collecting = False
        if "chu tri" in label:
            self.lead = split_units(value.rstrip(". "))
        elif "phoi hop" in label:
            self.support = split_units(value.rstrip(". "))
        elif label.startswith("thoi"):
            self.when = value
        elif value:  # `Cơ quan thực hiện: Sở Nội vụ chủ trì …; Sở Tư pháp … chủ động …`
            self.written.append((para, value))

    def close(self) -> list[Task]:
        out: list[Task] = []
        when = time_limit(self.when, self.anchor) if self.when else None
        for para, value in self.written:
            names = names_only(value)
            if names and not self.lead:
                self.lead = names  # `Cơ quan thực hiện: Sở Nội vụ, các sở, ban, ngành …`
                continue
            for clause in re.split(r";\s*", value):
                start = max(para.text.find(clause[:20]), 0)
                found = task_from_sentence(clause, None, self.anchor, None, self.warnings)
                if found and self.duties and not self.lead:
                    # `- Nội dung: …` / `- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với …`:
                    # the content is the duty, the sentence names who leads and who helps.
                    self.lead = [_unit(u) for u in found[0].lead]
                    self.support = self.support or [_unit(u) for u in found[0].support]
                    break
                for task in found:
                    if not task.deadline and when and when.date:
                        task.deadline, task.deadline_text = when.date, when.text
                    task.source_span = span_of(para, start, clause, task.action, len(found) == 1)
                    task.section = self.section
                    out.append(task)
        for para, duty in self.duties if self.lead else ():
            action = squash(duty).strip(" ;,.")
            if len(action) < 8:
                continue
            own = find_deadline(duty, self.anchor)
            deadline = own if own.date else when
            start = max(para.text.find(duty[:20]), 0)
            span = [para.offset(start), para.offset(len(para.text))]
            out.append(
                new_task(
                    self.lead,
                    self.support,
                    action,
                    deadline,
                    source_span=span,
                    section=self.section,
                    evidence="block",
                )
            )
        self._reset()
        return out
