"""Tasks extracted from directive documents: leads, support, deadlines, kinds, calendars."""

import json

from click.testing import CliRunner
from icalendar import Calendar

from cchc import parse_text
from cchc.cli import main
from cchc.extract.tasks import rescore
from cchc.extract.units import canonical_name, split_units
from tests.test_parse_seeds import seed

HEAD = "ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\nSố: 7/UBND-NV\nAn Phú, ngày 05 tháng 01 năm 2026\n"


def _tasks(body: str):
    return parse_text(HEAD + body).tasks


def _leads(task):
    return [u["name"] for u in task["lead"]]


def test_giao_names_the_lead_and_phoi_hop_the_support():
    (task,) = _tasks(
        "1. Giao Phòng Nội vụ chủ trì, phối hợp với Phòng Tài chính - Kế hoạch rà soát "
        "các tiêu chí bị trừ điểm, báo cáo UBND thị xã trước ngày 31/3/2026.\n"
    )
    assert _leads(task) == ["Phòng Nội vụ"]
    assert [u["name"] for u in task["support"]] == ["Phòng Tài chính - Kế hoạch"]
    assert (task["deadline"], task["report_to"]) == ("2026-03-31", "UBND thị xã")


def test_unit_with_trach_nhiem_is_the_lead():
    (task,) = _tasks("Sở Công Thương có trách nhiệm hướng dẫn các doanh nghiệp trong quý I/2026.\n")
    assert _leads(task) == ["Sở Công Thương"]
    assert task["deadline"] == "2026-03-31"


def test_de_nghi_and_yeu_cau_name_the_lead():
    tasks = _tasks(
        "Đề nghị Thuế tỉnh Bình Long căn cứ quy định nêu trên để xử lý.\n"
        "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện.\n"
    )
    assert [_leads(t) for t in tasks] == [
        ["Thuế tỉnh Bình Long"],
        ["Thủ trưởng các cơ quan, đơn vị"],
    ]


def test_bullets_under_a_unit_heading_are_its_tasks():
    tasks = _tasks(
        "III. TỔ CHỨC THỰC HIỆN\n1. Phòng Nội vụ\n"
        "a) Tham mưu UBND thị xã ban hành kế hoạch kiểm tra.\n"
        "b) Tổng hợp kết quả, báo cáo UBND thị xã hằng quý.\n"
        "2. UBND các phường, xã:\n- Quán triệt đến cán bộ, công chức.\n"
    )
    assert [_leads(t) for t in tasks] == [
        ["Phòng Nội vụ"],
        ["Phòng Nội vụ"],
        ["UBND các phường, xã"],
    ]
    assert tasks[1]["kind"] == "task"
    assert tasks[1]["recurrence"] == "FREQ=YEARLY;BYMONTH=3,6,9,12"
    assert tasks[2]["lead"][0]["collective"] is True


def test_plan_table_layout():
    (task,) = _tasks(
        "1. Số hóa hồ sơ thủ tục hành chính\n- Nội dung thực hiện: Số hóa hồ sơ tiếp nhận.\n"
        "- Cơ quan chủ trì: Văn phòng HĐND và UBND thị xã.\n"
        "- Cơ quan phối hợp: Phòng Văn hóa, Khoa học và Thông tin.\n"
        "- Thời gian thực hiện: Hoàn thành trong năm 2026.\n"
    )
    assert _leads(task) == ["Văn phòng HĐND và UBND thị xã"]
    assert task["support"][0]["name"] == "Phòng Văn hóa, Khoa học và Thông tin"
    assert task["deadline"] == "2026-12-31"


def test_kinds_commitment_event_report():
    tasks = _tasks(
        "1. Thủ trưởng các phòng ký cam kết thực hiện nhiệm vụ cải cách hành chính năm 2026.\n"
        "2. Văn phòng HĐND và UBND thị xã tổ chức hội nghị công bố chỉ số trước ngày 30/4/2026.\n"
        "3. Phòng Nội vụ báo cáo kết quả về UBND tỉnh trước ngày 15/12/2026.\n"
    )
    assert [t["kind"] for t in tasks] == ["commitment", "event", "report"]


def test_source_span_points_at_the_sentence():
    doc = parse_text(
        HEAD + "1. Giao Phòng Nội vụ kiểm tra,\nđôn đốc các phường trước ngày 31/3/2026.\n"
    )
    start, end = doc.tasks[0]["source_span"]
    assert doc.text[start:end].startswith("Giao Phòng Nội vụ kiểm tra,\nđôn đốc")


def test_document_without_tasks_gives_an_empty_list():
    assert _tasks("Cục Thuế nhận được công văn số 12/CT-CS ngày 01/01/2026 của Công ty A.\n") == []


def test_aliases_group_the_same_unit():
    assert canonical_name("P.Nội vụ-LĐTB&XH") == canonical_name(
        "Phòng Nội vụ - Lao động, Thương binh và Xã hội"
    )
    assert canonical_name("Sở NN&MT") == canonical_name("Sở Nông nghiệp và Môi trường")


def test_collective_names_stay_collective():
    units = split_units("Phòng Nội vụ, các cơ quan, đơn vị và UBND các xã, phường")
    assert [(u.name, u.collective) for u in units] == [
        ("Phòng Nội vụ", False),
        ("các cơ quan, đơn vị", True),
        ("UBND các xã, phường", True),
    ]


def test_seed_004_report_calendar(seeds_dir):
    reports = [t for t in seed(seeds_dir, "004").tasks if t.get("period")]
    assert [(t["period"], t["data_from"], t["data_to"], t["due"]) for t in reports] == [
        ("Q1/2021", "2020-12-15", "2021-03-05", "2021-03-06"),
        ("H1/2021", "2020-12-15", "2021-06-05", "2021-06-06"),
        ("Q3/2021", "2021-06-15", "2021-09-05", "2021-09-06"),
        ("2021", "2020-12-15", None, "2021-12-06"),
    ]
    assert {t["report_to"] for t in reports} == {"Phòng Nội vụ"}


def test_seed_002_deadlines(seeds_dir):
    tasks = seed(seeds_dir, "002").tasks
    assert [t["deadline"] for t in tasks if t["deadline"]] == ["2021-04-16", "2021-04-30"]


def test_tasks_command_json_and_ics(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_text(
        HEAD + "1. Giao Phòng Nội vụ kiểm tra trước ngày 31/3/2026.\n", encoding="utf-8"
    )
    ics = tmp_path / "han.ics"
    result = CliRunner().invoke(main, ["tasks", str(path), "--json", "--ics", str(ics)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tasks"][0]["deadline"] == "2026-03-31"
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert [str(e["dtstart"].dt) for e in events] == ["2026-03-31"]


def test_theo_doi_under_a_unit_heading_is_a_duty():
    tasks = _tasks("1. Phòng Nội vụ:\na) Theo dõi sát tình hình thực hiện trên địa bàn.\n")
    assert [(_leads(t), t["action"][:9]) for t in tasks] == [(["Phòng Nội vụ"], "Theo dõi ")]


def test_a_list_of_names_under_a_heading_is_no_duty():
    assert _tasks("- Bộ trưởng các Bộ:\n\nQuốc phòng, Công an, Nông nghiệp và Môi trường.\n") == []


def test_passive_giao_does_not_keep_a_title_from_being_a_heading():
    tasks = _tasks(
        "3. Xây dựng các văn bản được giao trong Luật\n\n"
        "Sở Tư pháp có trách nhiệm rà soát các văn bản quy phạm pháp luật.\n"
    )
    assert [_leads(t) for t in tasks] == [["Sở Tư pháp"]]


def test_de_nghi_on_its_own_line_after_an_item_title():
    tasks = _tasks(
        "1. Về thuế giá trị gia\ntăng\nĐề nghị Chi cục Thuế khu vực căn cứ quy định nêu trên "
        "để xác định số thuế phải nộp.\n"
    )
    assert [_leads(t) for t in tasks] == [["Chi cục Thuế khu vực"]]


def test_de_nghi_is_not_a_purpose_lead_in():
    tasks = _tasks("Đề nghị Sở Tài chính căn cứ các quy định nêu trên, hướng dẫn các xã làm.\n")
    assert [_leads(t) for t in tasks] == [["Sở Tài chính"]]


def test_hang_nam_bao_cao_goes_on_with_the_previous_lead():
    tasks = _tasks(
        "3. Phòng Văn hóa xây dựng kế hoạch triển khai. Hằng năm báo cáo kết quả về UBND thị xã.\n"
    )
    assert [_leads(t) for t in tasks] == [["Phòng Văn hóa"], ["Phòng Văn hóa"]]
    assert tasks[1]["kind"] == "report"


def test_va_bao_cao_ket_qua_ve_is_a_report_of_its_own():
    tasks = _tasks(
        "3. Phòng Nội vụ chịu trách nhiệm triển khai Kế hoạch này và báo cáo kết quả thực "
        "hiện về UBND thị xã.\n"
    )
    assert [t["action"] for t in tasks] == [
        "triển khai Kế hoạch này",
        "báo cáo kết quả thực hiện về UBND thị xã",
    ]


def test_nhan_duoc_cong_van_is_a_lead_in():
    (task,) = _tasks("Nhận được Công văn này, yêu cầu Thủ trưởng các cơ quan nghiêm túc thực hiện.")
    assert _leads(task) == ["Thủ trưởng các cơ quan"]


def test_duoc_giao_stays_inside_the_lead_name():
    body = "1. Đề nghị UBND các xã, các đơn vị được giao làm chủ đầu tư:\n- Rà soát hồ sơ.\n"
    (task,) = _tasks(body)
    assert _leads(task) == ["UBND các xã", "các đơn vị được giao làm chủ đầu tư"]


def test_giao_pho_thu_tuong_names_the_lead_before_theo_nhiem_vu():
    (task,) = _tasks(
        "5. Giao Phó Thủ tướng Nguyễn Văn A theo nhiệm vụ được phân công chỉ đạo, kiểm tra.\n"
    )
    assert _leads(task) == ["Phó Thủ tướng Nguyễn Văn A"]


def test_a_date_between_the_lead_and_its_duty_is_not_part_of_the_name():
    (task,) = _tasks("Sở Xây dựng trước ngày 15/02/2026 trực tiếp kiểm tra công trình.\n")
    assert (_leads(task), task["deadline"]) == (["Sở Xây dựng"], "2026-02-15")


def test_de_nghi_after_neu_co_kho_khan_without_a_comma():
    (task,) = _tasks(
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc đề nghị các phòng, ban kịp "
        "thời phản ánh về Phòng Nội vụ.\n"
    )
    assert _leads(task) == ["các phòng, ban"]


def test_trong_qua_trinh_clause_after_a_semicolon_is_a_duty_of_its_own():
    tasks = _tasks(
        "Chủ đầu tư hoàn thành dự án trong năm 2027; trong quá trình thi công bảo đảm an toàn "
        "cho người lao động.\n"
    )
    assert [(t["action"][:20], t["deadline"]) for t in tasks] == [
        ("hoàn thành dự án tro", "2027-12-31"),
        ("trong quá trình thi ", None),
    ]


def test_co_quan_thuc_hien_naming_units_only_leads_the_item_title():
    (task,) = _tasks(
        "4. Tổ chức kiểm tra việc thi hành Luật Việc làm\n\n"
        "- Cơ quan thực hiện: Phòng Nội vụ, các phòng, ban trong phạm vi chức năng của mình "
        "và các cơ quan, tổ chức khác có liên quan.\n\n- Thời gian thực hiện: Năm 2026.\n"
    )
    assert task["action"] == "Tổ chức kiểm tra việc thi hành Luật Việc làm"
    assert _leads(task) == [
        "Phòng Nội vụ",
        "các phòng, ban",
        "các cơ quan, tổ chức khác có liên quan",
    ]


def test_every_ics_event_has_a_dtstamp(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_text(
        HEAD + "1. Giao Phòng Nội vụ kiểm tra trước ngày 31/3/2026.\n"
        "2. Phòng Tài chính báo cáo định kỳ hằng quý.\n",
        encoding="utf-8",
    )
    ics = tmp_path / "han.ics"
    assert CliRunner().invoke(main, ["tasks", str(path), "--ics", str(ics)]).exit_code == 0
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) > 1
    assert all(e.get("dtstamp") is not None for e in events)


def test_a_stored_task_reads_back_as_typed_fields():
    from cchc.extracted import ExtractedTask

    item = {
        "id": "1",
        "lead": [
            {
                "name": "UBND các xã, phường",
                "canonical": "uy ban nhan dan cac xa, phuong",
                "collective": True,
            }
        ],
        "support": [{"name": "Phòng Nội vụ", "canonical": "phong noi vu"}],
        "action": "Rà soát thủ tục",
        "deadline": "2026-03-31",
        "deadline_text": None,
        "source_span": [10, 42],
        "unknown_later_field": 1,
    }
    task = ExtractedTask.from_json(item)
    assert task.lead[0].collective and task.lead[0].canonical.startswith("uy ban")
    assert task.support[0].name == "Phòng Nội vụ" and not task.support[0].collective
    assert (task.deadline, task.deadline_text, task.source_span) == ("2026-03-31", "", (10, 42))
    assert ExtractedTask.from_json({"action": "x"}).source_span == (None, None)
    assert ExtractedTask.from_json({"action": "x", "confidence": 0.92}).confidence == 0.92


DECISION = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 12/QĐ-UBND\nAn Giang, ngày 05 tháng 01 năm 2026\n"
    "QUYẾT ĐỊNH\nBan hành Kế hoạch phòng, chống thiên tai năm 2026\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2026.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Y tế, Thủ trưởng các sở, ban,\n"
    "ngành chịu trách nhiệm thi hành Quyết định này./.\n"
    "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An\n\n"
    "KẾ HOẠCH\nPhòng, chống thiên tai năm 2026\n"
    "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05 tháng 01 năm 2026)\n"
    "I. TỔ CHỨC THỰC HIỆN\n"
    "1. Sở Y tế chủ trì, phối hợp với Ủy ban nhân dân các xã:\n"
    "- Tập huấn sơ cấp cứu cho lực lượng xung kích trước ngày 31/3/2026;\n"
    "- Dự trữ thuốc, hóa chất khử trùng phục vụ ứng phó thiên tai.\n"
)


def test_plan_issued_with_a_decision_assigns_its_duties():
    tasks = parse_text(DECISION).tasks
    by_action = {t["action"]: t for t in tasks}
    training = by_action["Tập huấn sơ cấp cứu cho lực lượng xung kích trước ngày 31/3/2026"]
    assert _leads(training) == ["Sở Y tế"] and training["deadline"] == "2026-03-31"
    assert "Dự trữ thuốc, hóa chất khử trùng phục vụ ứng phó thiên tai" in by_action


def test_markdown_bold_article_title_names_the_unit_of_its_items():
    tasks = _tasks(
        "**Điều 5. Nội\ndung Sở Dân tộc và Tôn giáo có trách nhiệm chủ trì**\n\n"
        "1. Xây dựng, ban hành, đánh giá\nviệc thực hiện chính sách về tín ngưỡng, tôn giáo.\n\n"
        "2. Kiểm tra việc thực hiện chính sách, pháp luật về tín ngưỡng.\n\n"
        "**Điều 6. Trách nhiệm của Công an tỉnh**\n\n"
        "1. Nắm tình hình, tham mưu giải quyết các vấn đề liên quan đến tín ngưỡng.\n"
    )
    assert [(_leads(t), t["action"][:20]) for t in tasks] == [
        (["Sở Dân tộc và Tôn giáo"], "Xây dựng, ban hành, "),
        (["Sở Dân tộc và Tôn giáo"], "Kiểm tra việc thực h"),
        (["Công an tỉnh"], "Nắm tình hình, tham "),
    ]


def test_giao_in_ton_giao_is_no_duty():
    (task,) = _tasks(
        "Giám đốc Sở Dân tộc và Tôn giáo, Chủ tịch Ủy ban nhân dân cấp xã hướng dẫn "
        "các cơ sở tôn giáo thực hiện Kế hoạch.\n"
    )
    assert _leads(task) == ["Giám đốc Sở Dân tộc và Tôn giáo", "Chủ tịch Ủy ban nhân dân cấp xã"]


def test_unit_then_colon_then_its_duty():
    (task,) = _tasks(
        "2. Sở Tài chính: Căn cứ khả năng cân đối ngân sách, trình cấp có thẩm quyền phê duyệt "
        "kinh phí thực hiện kế hoạch.\n"
    )
    assert _leads(task) == ["Sở Tài chính"]
    assert task["action"].startswith("Căn cứ khả năng cân đối ngân sách, trình")


def test_enterprises_and_producers_lead_their_duties():
    tasks = _tasks(
        "4. Các doanh nghiệp viễn thông:\n"
        "- Xây dựng kế hoạch phủ sóng 5G tại các khu công nghiệp;\n"
        "5. Các cơ sở sản xuất có lưu lượng xả khí thải lớn:\n"
        "- Rà soát, bảo đảm hệ thống xử lý khí thải vận hành thường xuyên.\n"
    )
    assert [_leads(t) for t in tasks] == [
        ["Các doanh nghiệp viễn thông"],
        ["Các cơ sở sản xuất có lưu lượng xả khí thải lớn"],
    ]


def test_a_topic_heading_is_not_a_phong():
    tasks = _tasks(
        "1. Sở Y tế:\n- Tổ chức tiêm vắc xin cho trẻ em.\n"
        "2. Phòng, chống bạo lực trên cơ sở giới\n"
        "- Chỉ tiêu 3: Đến năm 2025 đạt 80% người bị bạo lực được hỗ trợ.\n"
        "3. Ban hành hướng dẫn kỹ thuật về quản lý chất thải rắn.\n"
    )
    assert all(not _leads(t)[0].startswith(("Phòng", "Ban hành")) for t in tasks)


def test_content_block_takes_the_lead_named_in_its_executing_sentence():
    tasks = _tasks(
        "a) Hoạt động 1\n"
        "- Nội dung: Triển khai Tháng hành động vì bình đẳng giới trên địa bàn.\n"
        "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Y tế và các đơn vị liên quan.\n"
    )
    assert [(_leads(t), t["action"][:20]) for t in tasks] == [
        (["Sở Nội vụ"], "Triển khai Tháng hàn")
    ]
    assert [u["name"] for u in tasks[0]["support"]][:1] == ["Sở Y tế"]


def test_unnumbered_heading_governs_only_the_items_of_its_own_item():
    tasks = _tasks(
        "d) Các hoạt động chính\n\n"
        "Căn cứ tình hình thực tế, các cơ quan, đơn vị phối hợp thực hiện các hoạt động sau:\n"
        "- Tăng cường truyền thông về bình đẳng giới.\n"
        "II. GIẢI PHÁP THỰC HIỆN\n"
        "1. Đẩy mạnh công tác truyền thông nâng cao nhận thức.\n"
    )
    assert [t["action"] for t in tasks] == ["Tăng cường truyền thông về bình đẳng giới"]


def test_closing_formula_is_no_task():
    tasks = _tasks(
        "1. Sở Y tế tổ chức tiêm vắc xin cho trẻ em trước ngày 31/3/2026.\n"
        "Yêu cầu các sở, ban, ngành, đơn vị, địa phương nghiêm túc triển khai thực hiện./.\n"
    )
    assert [_leads(t) for t in tasks] == [["Sở Y tế"]]


def test_execution_article_is_one_task_for_all_its_units():
    tasks = _tasks(
        "Điều 14: Trách nhiệm thi hành\n\n"
        "Thủ trưởng các cơ quan, tổ chức, đơn vị thuộc phạm vi quản lý của tỉnh, các cơ quan "
        "Trung ương trên địa bàn tỉnh và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi "
        "hành Quyết định này./.\n"
    )
    (task,) = tasks
    assert task["action"] == "thi hành Quyết định này" and task["deadline"] is None
    assert _leads(task)[0].startswith("Thủ trưởng các cơ quan, tổ chức, đơn vị")
    assert len(task["lead"]) == 3


def test_confidence_is_high_for_a_named_unit_and_low_for_a_lead_that_is_no_unit():
    # The rules' own rating (model.rate); the shipped confidence is at most this
    # (tests/test_tasks_model.py).
    with rescore.rules_only():
        named, caught = _tasks(
            "1. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát, tổng hợp nhu cầu "
            "kinh phí thực hiện Kế hoạch của các cơ quan, đơn vị, tham mưu UBND tỉnh bố trí dự "
            "toán năm 2026 theo quy định của Luật Ngân sách nhà nước.\n"
            "2. Các đơn vị liên quan tích cực phối hợp, tạo điều kiện cho các doanh nghiệp.\n"
        )
    assert _leads(named) == ["Sở Tài chính"] and named["confidence"] >= 0.8
    assert _leads(caught) == ["Các đơn vị liên quan tích cực"] and caught["confidence"] < 0.8


def test_parse_json_carries_each_task_confidence(sample_path):
    answer = CliRunner().invoke(
        main, ["parse", "--json", str(sample_path("ke-hoach-cchc-2026.md"))]
    )
    doc = json.loads(answer.output)
    doc = doc[0] if isinstance(doc, list) else doc
    assert doc["tasks"] and all(0 <= t["confidence"] <= 1 for t in doc["tasks"])


def test_answer_letter_assigns_nothing_to_the_enquirer():
    tasks = _tasks(
        "Kính gửi: Công ty TNHH Minh Long\n"
        "Trả lời công văn số 01/ML ngày 02/01/2026 của Công ty về thủ tục hải quan, Chi cục "
        "Hải quan có ý kiến như sau:\n"
        "1. Về thủ tục hải quan: đề nghị Công ty nghiên cứu quy định tại Điều 16 Luật Hải quan.\n"
        "2. Văn phòng giao dịch là nơi tiếp nhận hồ sơ của khách hàng.\n"
        "Đề nghị Chi cục Thuế khu vực I kiểm tra hồ sơ hoàn thuế của Công ty theo quy định.\n"
        "Chi cục Hải quan trả lời để Công ty biết và thực hiện.\n"
    )
    assert [_leads(t) for t in tasks] == [["Chi cục Thuế khu vực I"]]


def test_a_duty_word_inside_a_name_does_not_cut_the_lead():
    tasks = _tasks(
        "1. Các đơn vị sự nghiệp công\nlập trực thuộc Sở tổ chức tập huấn cho viên chức.\n"
        "2. Văn phòng Ban chỉ đạo phòng thủ dân sự tỉnh theo dõi, tổng hợp tình hình.\n"
        "3. Các Bộ: Công Thương, Ngoại giao thành lập các Tổ công tác thúc đẩy thị trường mới.\n"
    )
    assert [_leads(t) for t in tasks] == [
        ["Các đơn vị sự nghiệp công lập trực thuộc Sở"],
        ["Văn phòng Ban chỉ đạo phòng thủ dân sự tỉnh"],
        ["Các Bộ: Công Thương, Ngoại giao"],
    ]


def test_a_clause_that_only_gives_the_time_limit_stays_with_its_duty():
    (task,) = _tasks(
        "Bộ Tài chính nghiên cứu, xây dựng các phương án hỗ trợ cụ thể cho doanh nghiệp bị ảnh "
        "hưởng; hoàn thành trong tháng 11 năm 2025.\n"
    )
    assert task["action"].startswith("nghiên cứu, xây dựng") and task["deadline"] == "2025-11-30"


def test_a_time_limit_opening_the_sentence_is_the_duty_deadline():
    (task,) = _tasks(
        "Trước ngày 20 tháng 12 hằng năm, Ủy ban nhân dân xã lập danh sách người thuộc hộ cận "
        "nghèo gửi cơ quan Bảo hiểm xã hội.\n"
    )
    assert _leads(task) == ["Ủy ban nhân dân xã"]
    assert (task["deadline"], task["recurrence"]) == (
        "2026-12-20",
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20",
    )


def test_a_heading_that_only_folds_like_a_board_is_no_unit():
    tasks = _tasks(
        "1. Ban Tuyên giáo tỉnh:\n- Hướng dẫn nội dung sinh hoạt chi bộ hằng tháng.\n"
        "2. Bản tin sinh hoạt thường kỳ, tập trung vào các nhóm nội dung:\n"
        "- Phổ biến, quán triệt chủ trương, đường lối của Đảng.\n"
    )
    assert [_leads(t) for t in tasks] == [["Ban Tuyên giáo tỉnh"]]


def test_unmarked_paragraphs_after_a_numbered_item_go_on_with_its_unit():
    tasks = _tasks(
        "2. Các tỉnh ủy, thành ủy trực thuộc Trung ương cụ thể hóa hướng dẫn này phù hợp với "
        "thực tiễn địa phương.\n\n"
        "Bố trí kinh phí, trang bị phương tiện phục vụ công tác biên soạn Bản tin.\n\n"
        "Hướng dẫn này thay thế Hướng dẫn số 31-HD/BTGTW.\n\n"
        "3. Sở Y tế tổ chức tiêm vắc xin cho trẻ em.\n"
    )
    assert [(_leads(t), t["action"][:12]) for t in tasks] == [
        (["Các tỉnh ủy, thành ủy trực thuộc Trung ương"], "cụ thể hóa h"),
        (["Các tỉnh ủy, thành ủy trực thuộc Trung ương"], "Bố trí kinh "),
        (["Sở Y tế"], "tổ chức tiêm"),
    ]
