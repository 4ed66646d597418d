"""The JSON contract lives in the repository (docs/document-json.md) and names every key the
parser emits; the README and `cchc parse --help` point to it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cchc.cli import main

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "docs" / "document-json.md"


def emitted_keys(paths: list[str]) -> set[str]:
    answer = CliRunner().invoke(main, ["parse", "--json", *paths])
    keys: set[str] = set()
    for doc in json.loads(answer.output):
        keys |= set(doc) | set(doc["quality"]) | set(doc["signer"] or {})
        for part in ("bases", "references", "sections"):
            for item in doc[part]:
                keys |= set(item)
        for task in doc["tasks"]:
            keys |= set(task)
            for unit in task["lead"] + task["support"]:
                keys |= set(unit)
    return keys


def test_the_contract_names_every_key_the_parser_emits(sample_path):
    paths = [str(sample_path(n)) for n in ("cong-van-tang-cuong-cchc.txt", "ke-hoach-cchc-2026.md")]
    text = CONTRACT.read_text(encoding="utf-8")
    missing = {key for key in emitted_keys(paths) if f"`{key}`" not in text}
    assert not missing


def test_readme_and_help_point_to_the_contract_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/document-json.md" in readme and "shared/spec" not in readme
    help_text = CliRunner().invoke(main, ["parse", "--help"]).output
    assert "docs/document-json.md" in help_text
