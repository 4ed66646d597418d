"""The gold set of tasks is split once into tune and test documents (tests/gold/split.json);
bench/tasks.py refuses a gold file that is in neither, so a new annotation cannot slip into the
figures without being placed."""

from __future__ import annotations

import json
from pathlib import Path

GOLD = Path(__file__).parent / "gold"


def _split() -> dict:
    return json.loads((GOLD / "split.json").read_text(encoding="utf-8"))


def test_every_gold_document_is_in_exactly_one_split():
    split = _split()
    tune, test = set(split["tune"]), set(split["test"])
    assert not tune & test
    stems = {p.stem.removesuffix("-garbled") for p in (GOLD / "tasks").glob("*.json")}
    assert stems == tune | test


def test_the_test_split_is_two_fifths_of_at_least_a_hundred_gold_files():
    split = _split()
    files = list((GOLD / "tasks").glob("*.json"))
    assert len(files) >= 100
    share = len(split["test"]) / (len(split["tune"]) + len(split["test"]))
    assert 0.35 <= share <= 0.45


def test_a_garbled_twin_annotates_the_same_document_as_its_clean_file():
    for twin in (GOLD / "tasks").glob("*-garbled.json"):
        garbled = json.loads(twin.read_text(encoding="utf-8"))
        clean = json.loads(
            (twin.parent / f"{twin.stem.removesuffix('-garbled')}.json").read_text(encoding="utf-8")
        )
        assert garbled["garble"] == "no-diacritics"
        assert (garbled["file"], garbled["tasks"]) == (clean["file"], clean["tasks"])


def test_the_bench_strips_diacritics_as_ocr_without_the_vietnamese_model_does():
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from tasks import strip_marks

    assert strip_marks("Kính gửi: Đồng chí Chủ tịch UBND") == "Kinh gui: Dong chi Chu tich UBND"
