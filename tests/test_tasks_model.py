"""The learned re-scorer of task candidates (issue 16): the shipped model file, how the extractor
uses it, its features, the fallback to the rules, and its rebuild."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cchc import parse_text
from cchc.extract.tasks import extract_tasks, rescore
from cchc.extract.tasks.body import body_span
from tests.conftest import shared_dir

ROOT = Path(__file__).resolve().parents[1]
HEAD = "ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\nSố: 7/UBND-NV\nAn Phú, ngày 05 tháng 01 năm 2026\n"
BODY = (
    "Để triển khai hiệu quả công tác cải cách hành chính năm 2026, UBND thị xã yêu cầu:\n"
    "1. Giao Phòng Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị rà soát thủ tục hành chính "
    "thuộc thẩm quyền giải quyết, báo cáo UBND thị xã trước ngày 31/3/2026.\n"
    "2. Văn phòng HĐND và UBND thị xã theo dõi, đôn đốc việc thực hiện Kế hoạch này.\n"
    "3. Các đơn vị liên quan tích cực phối hợp.\n"
)


def _extract(body: str):
    lines = body.count("\n")
    return extract_tasks(body, 0, lines)[0]


def test_the_shipped_model_loads_with_a_use_and_weights_of_known_features():
    model = rescore.load_model()
    assert model is not None and model["use"] in rescore.USES
    assert 0 < model["threshold"] < 1 and "bias" in model["weights"]
    tasks = _extract(BODY)
    with rescore.capturing() as calls:
        _extract(BODY)
    names = set()
    for feats in rescore.candidate_features(*calls[-1]):
        names |= set(feats)
    # Every weight is of a feature `rescore.features` still makes (no stale names), or of a
    # bucket the fixture does not reach.
    stale = {n for n in model["weights"] if n not in names and "=" not in n}
    assert not stale and tasks


def test_the_extractor_lowers_confidence_to_the_model_probability():
    with rescore.using("rules"):
        rules = _extract(BODY)
    with rescore.capturing() as calls, rescore.using("confidence"):
        judged = _extract(BODY)
    assert [t.action for t in judged] == [t.action for t in rules]  # the same tasks
    model = rescore.load_model()
    feats = rescore.candidate_features(*calls[-1])
    for rule_task, task, f in zip(rules, judged, feats, strict=True):
        p = rescore.probability(model, f)
        assert task.confidence == round(min(max(p, 0.5), rule_task.confidence, 0.99), 2)
    assert any(t.confidence < r.confidence for t, r in zip(judged, rules, strict=True))


def test_parse_uses_the_model_file_as_shipped():
    model = rescore.load_model()
    shipped = parse_text(HEAD + BODY).tasks
    with rescore.using(model["use"]):
        forced = parse_text(HEAD + BODY).tasks
    assert shipped == forced


def test_filter_drops_what_the_model_finds_unlikely_and_keeps_the_rest():
    tasks = _extract(BODY)
    span = body_span(BODY, 0, BODY.count("\n"))
    never = {"weights": {"bias": -10.0}, "threshold": 0.4}
    always = {"weights": {"bias": 10.0}, "threshold": 0.4}
    assert rescore.judge(list(tasks), BODY, span, never, "filter") == []
    kept = rescore.judge([*tasks], BODY, span, always, "filter")
    assert [t.confidence for t in kept] == [t.confidence for t in tasks]  # capped by the rules
    assert len(rescore.judge(list(tasks), BODY, span, never, "confidence")) == len(tasks)


def test_without_the_model_file_the_rules_stand(monkeypatch):
    with rescore.using("rules"):
        rules = [(t.action, t.confidence) for t in _extract(BODY)]
    monkeypatch.setattr(rescore, "load_model", lambda: None)
    with rescore.using("filter"):
        assert [(t.action, t.confidence) for t in _extract(BODY)] == rules


def test_a_pathological_number_of_candidates_keeps_the_rules_confidence():
    body = "".join(f"{i}. Phòng Nội vụ báo cáo việc {i}.\n" for i in range(rescore.MAX_SCORED + 1))
    with rescore.using("rules"):
        rules = [t.confidence for t in _extract(body)]
    with rescore.using("filter"):
        assert [t.confidence for t in _extract(body)] == rules


def test_features_of_a_named_duty_and_of_a_clause_caught_as_lead():
    with rescore.capturing() as calls:
        _extract(BODY)
    tasks, text, span = calls[-1]
    named, office, caught = rescore.candidate_features(tasks, text, span)
    assert named["lead_spelled"] == named["lead_plausible"] == named["act_duty"] == 1.0
    assert named["deadline"] == 1.0 and named["report_to"] == 1.0 and named["garbled"] == 0.0
    assert office["deadline"] == 0.0 and office["act_closing"] == 1.0  # `… Kế hoạch này.`
    assert caught["lead_plausible"] == 0.0 and caught["lead_verb_tail"] == 1.0
    assert caught["pos"] > named["pos"] and 0.0 <= caught["index"] <= 1.0


def test_text_without_marks_reads_as_garbled():
    assert rescore.text_marks(BODY) > 0.35
    plain = "Giao Phong Noi vu chu tri, phoi hop voi cac co quan ra soat thu tuc hanh chinh."
    assert rescore.text_marks(plain) == 0.0


def test_garbled_input_gets_lower_confidence():
    clean = (
        "1. Giao Phòng Nội vụ chủ trì kiểm tra công tác văn thư, lưu trữ tại các cơ quan, đơn vị "
        "trên địa bàn thị xã, báo cáo UBND thị xã trước ngày 31/3/2026.\n"
    )
    garbled = (
        "1. Giao Phòng Nội vụ 3l (ban 7] kiểm tra công tác văn thư, lưu trữ tại các cơ quan, đơn "
        "vị trên địa bàn thị xã, báo cáo UBND thị xã trước ngày 31/3/2026.\n"
    )
    (sure,) = parse_text(HEAD + clean).tasks
    (unsure,) = parse_text(HEAD + garbled).tasks
    assert unsure["confidence"] < 0.8 and unsure["confidence"] < sure["confidence"]


def test_rebuilding_reproduces_the_shipped_model(tmp_path):
    """The script trains on tune documents only; its output is the shipped file (about 2
    minutes: it reads 100 documents twice)."""
    shared = shared_dir()
    out = tmp_path / "task_model.json"
    shipped = rescore.load_model()
    subprocess.run(
        [
            sys.executable,
            "tools/train_tasks_model.py",
            "--shared",
            str(shared),
            "--use",
            shipped["use"],
            "--out",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    rebuilt = json.loads(out.read_text(encoding="utf-8"))
    assert rebuilt == shipped


@pytest.mark.parametrize("use", ["nothing", ""])
def test_an_unknown_use_is_refused(use):
    with pytest.raises(ValueError, match="use must be one of"), rescore.using(use):
        pass


def test_text_read_without_diacritics_proposes_no_task_it_is_too_unsure_of():
    """Garbled input proposes less rather than junk (issue 16 §2): after repair every task is
    less sure, and those under UNSURE_TEXT_TASK_BELOW are left out with a warning saying so."""
    from cchc import UNSURE_TEXT_TASK_BELOW, parse_source
    from cchc.readers import Source
    from cchc.text import strip_marks

    clean = parse_source(Source(text=HEAD + BODY, kind="text"), "clean.txt")
    garbled = parse_source(Source(text=strip_marks(HEAD + BODY), kind="text"), "garbled.txt")
    assert garbled.quality.source == "repaired"

    def leads(doc):
        return [t["lead"][0]["name"] for t in doc.tasks]

    assert any(name.startswith("Các đơn vị liên quan") for name in leads(clean))
    assert not any(name.startswith("Các đơn vị liên quan") for name in leads(garbled))
    assert "Phòng Nội vụ" in leads(garbled)
    assert all(t["confidence"] >= UNSURE_TEXT_TASK_BELOW for t in garbled.tasks)
    dropped = len(clean.tasks) - len(garbled.tasks)
    assert dropped >= 1
    assert any(w.startswith(f"{dropped} nhiệm vụ không được đề xuất") for w in garbled.warnings)
