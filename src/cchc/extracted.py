"""Typed access to the tasks of a parse as stored in JSON (`Document.tasks`, the web's
`Document.machine["tasks"]`): read fields by name, not by key, with the defaults in one place."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from cchc.extract.units import Unit


@dataclass
class ExtractedTask:
    """One task of `cchc.extract.tasks.Task.to_dict()`, rebuilt; leads and support as units."""

    action: str = ""
    id: str = ""
    lead: list[Unit] = field(default_factory=list)
    support: list[Unit] = field(default_factory=list)
    deadline: str | None = None
    deadline_text: str = ""
    urgent: bool = False
    recurrence: str = ""
    next_dates: list[str] = field(default_factory=list)
    report_to: str = ""
    source_span: tuple[int | None, int | None] = (None, None)
    section: str = ""
    kind: str = "task"
    note: str = ""
    period: str = ""
    data_from: str | None = None
    data_to: str | None = None
    due: str | None = None
    confidence: float | None = None  # how sure the extractor is (0..1); None in older parses

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> ExtractedTask:
        """Unknown keys are ignored and missing or null ones take the default."""
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in item.items() if k in known and v is not None}
        for key in ("lead", "support"):
            data[key] = [_unit(u) for u in data.get(key) or []]
        start, end, *_ = [*(data.get("source_span") or []), None, None]
        data["source_span"] = (start, end)
        data["urgent"] = bool(data.get("urgent"))
        return cls(**data)


def _unit(value: dict[str, Any]) -> Unit:
    return Unit(
        name=value.get("name") or "",
        canonical=value.get("canonical") or "",
        collective=bool(value.get("collective")),
    )


def tasks_of(items: list[dict[str, Any]]) -> list[ExtractedTask]:
    return [ExtractedTask.from_json(item) for item in items]
