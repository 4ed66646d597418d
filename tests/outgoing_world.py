"""Drafts of outgoing documents for the role walk of tests/test_web_access.py: one of unit A
(written by its officer) in each state a step starts from, made the first time a URL names it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.web.outgoing import services
from cchc.web.work.models import Task

STEPS = ["du-thao", "trinh-ky", "da-duyet", "da-cap-so", "da-phat-hanh"]


def _user(name: str):
    return get_user_model().objects.get(username=name)


def draft(world, state: str):
    """Unit A's draft in `state` (an issued one answers the walk's document, whose task of
    unit A is still open)."""
    key = f"outgoing-{state}"
    if key in world.extra:
        return world.extra[key]
    text = f"ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\nV/v thử quyền ({state})\nKính gửi: Sở Nội vụ.\n"
    made = services.create_draft(
        _user("anlac"),
        subject=f"V/v thử quyền ({state})",
        type="Công văn",
        unit=world.unit_a,
        upload=SimpleUploadedFile(f"{state}.txt", text.encode()),
        answers=[world.doc],
    )
    steps = STEPS[1 : STEPS.index(state) + 1]
    if "trinh-ky" in steps:
        services.submit(made, _user("anlac"))
    if "da-duyet" in steps:
        services.review(made, _user("lanhdao"), "duyet")
    if "da-cap-so" in steps:
        services.give_number(made, _user("vanthu"))
    if "da-phat-hanh" in steps:
        services.issue(made, _user("vanthu"), timezone.localdate())
        world.extra["outgoing-task"] = Task.objects.create(
            document=world.doc, unit=world.unit_a, action="Trả lời văn bản", state="confirmed"
        )
    world.extra[key] = made
    return made


def url(world, state: str, step: str = "") -> str:
    return f"/van-ban-di/{draft(world, state).pk}/{step}"


def version(world) -> int:
    return draft(world, "du-thao").versions.get().pk


def task(world) -> int:
    draft(world, "da-phat-hanh")
    return world.extra["outgoing-task"].pk


def today() -> str:
    """Today as the phát hành form takes it (an issue date lies between approval and today)."""
    return f"{timezone.localdate():%d/%m/%Y}"
