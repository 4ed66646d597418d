"""The project's own tooling: `make lint` exists and checks formatting, `make test` checks that
the models and migrations agree and installs what the tests need."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
needs_make = pytest.mark.skipif(not shutil.which("make"), reason="make not installed")


def dry_run(target: str) -> str:
    answer = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert answer.returncode == 0, answer.stderr
    return answer.stdout


@needs_make
def test_make_lint_checks_the_rules_and_the_formatting():
    commands = dry_run("lint")
    assert "ruff check src tests bench" in commands
    assert "ruff format --check src tests bench" in commands


@needs_make
def test_make_test_checks_that_no_migration_is_missing():
    commands = dry_run("test")
    assert "makemigrations --check --dry-run" in commands


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_make_installs_libreoffice_for_the_report_rendering_test():
    makefile = (ROOT / "Makefile").read_text()
    packages = re.search(r"DEB_PACKAGES :=((?:.*\\\n)*.*)", makefile)[1]
    assert "libreoffice-writer-nogui" in packages.split()
