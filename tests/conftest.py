"""Shared fixtures: the real documents that sit beside the repo in ../shared (or in
CCHC_SHARED_DIR; point it at a missing folder to run as a fresh clone would)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("CCHC_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)
MISSING = "../shared not found: the seeds and corpus sit beside the repo in CI"


def shared_dir() -> Path:
    """The ../shared folder, or skip the calling test when it is not there."""
    if not SHARED.is_dir():
        pytest.skip(MISSING)
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def seeds_dir(shared: Path) -> Path:
    path = shared / "seeds"
    if not path.is_dir():
        pytest.skip(f"{path} not found: the seeds sit beside the repo in CI")
    return path


@pytest.fixture(scope="session")
def corpus_docs(shared: Path) -> Path:
    path = shared / "corpus" / "docs"
    if not path.is_dir():
        pytest.skip(f"{path} not found: the corpus sits beside the repo in CI")
    return path


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded originals and evidence go to a folder of this test."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def deployment(db, media):
    """The demo deployment: tỉnh Bình Long (fictional, two tiers) with its sở and two phường/xã,
    the former thị xã An Phú's bodies ended on 30/06/2025 with their successors, one user per
    role."""
    from cchc.web import demo

    demo.create_deployment()
    return demo


@pytest.fixture
def login(client, deployment):
    """`login("noivu")` logs the test client in as that demo user and returns the client."""
    from django.contrib.auth import get_user_model

    def as_user(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return as_user


@pytest.fixture
def sample_path():
    """A sample document shipped with the package (the fictional former thị xã An Phú)."""
    from importlib import resources

    def path(name: str) -> Path:
        return Path(str(resources.files("cchc") / "samples" / name))

    return path


def plan_with_tasks(text: str, count: int, number: str, name: str = "ke-hoach.txt"):
    """A stored Kế hoạch of 5/1/2026 with this (long) text, and `count` confirmed tasks of Sở
    Nội vụ due 10/2/2026 made from it: what pages and reports must list without the text."""
    import hashlib
    from datetime import date

    from cchc.web.accounts.models import Unit
    from cchc.web.documents.models import Document
    from cchc.web.work.models import Task

    sha = hashlib.sha256(name.encode()).hexdigest()
    document = Document.objects.create(
        sha256=sha, original=f"originals/{sha[:2]}", original_name=name,
        content_type="text/plain", size=len(text), type="Kế hoạch", number=number,
        date=date(2026, 1, 5), text=text, machine={"text": text},
    )  # fmt: skip
    unit = Unit.objects.get(name="Sở Nội vụ")
    tasks = Task.objects.bulk_create(
        Task(unit=unit, document=document, action=f"Việc {n}", deadline=date(2026, 2, 10))
        for n in range(count)
    )
    return document, tasks


pytest_plugins = ["tests.browser_fixtures"]
