"""Shared fixtures: the real documents that sit beside the repo in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
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
