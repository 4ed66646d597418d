from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from cchc.par.framework import (
    Criterion,
    Framework,
    FrameworkError,
    entered_value,
    load_excel,
    load_yaml,
    points,
    shipped,
    to_excel,
    to_yaml,
    validate,
)

DEMO_UNITS = {
    "Phòng Nội vụ",
    "Văn phòng HĐND và UBND thị xã",
    "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Văn hóa, Khoa học và Thông tin",
}


def _xlsx(tmp_path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    """An .xlsx whose first sheet holds `rows` from A1; `merges` like "A7:B7"."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
    for merged in merges:
        ws.merge_cells(merged)
    path = tmp_path / "bo-tieu-chi.xlsx"
    workbook.save(path)
    return path


def _district_sheet(tmp_path: Path, *rows: list) -> Path:
    """A district sheet: level line, header on row 2, `rows` from row 3."""
    return _xlsx(tmp_path, [["Cấp: huyện"], ["STT", "Tiêu chí", "Điểm tối đa"], *rows])


def _problems(call) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        call()
    return caught.value.problems


# ---------------------------------------------------------------- shipped frameworks


def test_shipped_frameworks_load_and_validate():
    frameworks = shipped()
    assert set(frameworks) == {
        "qd2948-tinh", "mau-huyen-6-linh-vuc", "minh-hoa-huyen", "minh-hoa-xa-2026",
    }  # fmt: skip
    for framework in frameworks.values():
        assert validate(framework) == []
        assert framework.source


def test_2948_is_eight_areas_totalling_100_with_its_source_named():
    par = shipped()["qd2948-tinh"]
    assert par.level == "tinh"
    assert par.year is None
    assert par.source == "Quyết định số 2948/QĐ-BNV của Bộ Nội vụ (cấp lĩnh vực)"
    assert [a.code for a in par.areas] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert [a.max_points for a in par.areas] == [
        Decimal(p) for p in ("10", "10", "14.5", "11", "16", "7", "16", "15.5")
    ]
    assert par.total() == 100
    assert all(not a.children for a in par.areas)  # nothing the source does not state
    assert par.areas[2].name == "Cải cách thủ tục hành chính"


def test_district_template_has_the_six_areas_of_the_2021_letter_without_points():
    template = shipped()["mau-huyen-6-linh-vuc"]
    assert template.level == "huyen"
    assert "mẫu" in template.name.lower()
    assert [a.name for a in template.areas] == [
        "Cải cách thể chế",
        "Cải cách thủ tục hành chính",
        "Cải cách tổ chức bộ máy",
        "Cải cách công vụ",
        "Cải cách tài chính công",
        "Xây dựng và phát triển Chính phủ điện tử",
    ]
    assert template.total() is None
    assert validate(template) == []
    assert len(validate(template, scorable=True)) == 6  # "thiếu điểm tối đa" on each area


def test_demo_sample_says_it_is_made_up_and_adds_up_to_100():
    sample = shipped()["minh-hoa-huyen"]
    assert sample.name == "Bộ tiêu chí mẫu (minh họa, không phải văn bản chính thức) – cấp huyện"
    assert sample.level == "huyen"
    assert sample.total() == 100
    assert len(sample.areas) == 6
    leaves = sample.leaves()
    assert 20 <= len(leaves) <= 30
    assert {c.unit for c in leaves} <= DEMO_UNITS
    assert all(c.evidence for c in leaves)
    assert {c.scoring for c in leaves} == {"points", "yesno", "ratio", "scale"}
    assert validate(sample, scorable=True) == []


def test_walk_is_depth_first_with_depth_and_parent():
    sample = shipped()["minh-hoa-huyen"]
    walked = [(c.code, depth, p.code if p else None) for c, depth, p in sample.walk()]
    assert walked[:4] == [("I", 0, None), ("I.1", 1, "I"), ("I.1.1", 2, "I.1"), ("I.1.2", 2, "I.1")]
    assert walked[4] == ("I.2", 1, "I")


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize(
    "stem", ["qd2948-tinh", "mau-huyen-6-linh-vuc", "minh-hoa-huyen", "minh-hoa-xa-2026"]
)
def test_excel_round_trip_gives_the_same_framework(tmp_path, stem):
    framework = shipped()[stem]
    to_excel(framework, tmp_path / "out.xlsx")
    assert load_excel(tmp_path / "out.xlsx") == framework


def test_yaml_round_trip_gives_the_same_framework(tmp_path):
    framework = shipped()["minh-hoa-huyen"]
    framework.year = 2026
    to_yaml(framework, tmp_path / "out.yaml")
    again = load_yaml(tmp_path / "out.yaml")
    assert again == framework
    assert again.areas[0].children[0].row is not None  # YAML line, for messages


def test_excel_round_trip_keeps_codes_that_do_not_follow_the_numbering(tmp_path):
    framework = Framework(
        "Bộ tiêu chí thử",
        2025,
        "xa",
        None,
        [Criterion("A", "Lĩnh vực A", Decimal(3), children=[Criterion("A-x", "x", Decimal(3))])],
    )
    to_excel(framework, tmp_path / "out.xlsx")
    again = load_excel(tmp_path / "out.xlsx")
    assert [c.code for c, _, _ in again.walk()] == ["I", "I.1"]  # numbered by position
    assert again.total() == 3
    assert again.level == "xa"
    assert again.year == 2025


# ---------------------------------------------------------------- Excel as circulated


def _province_sheet(tmp_path: Path) -> Path:
    rows = [
        ["UBND TỈNH AN PHÚ"],
        ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH NĂM 2025"],
        [],
        [
            "STT",
            "Lĩnh vực/Tiêu chí",
            "Điểm tối đa",
            "Điểm tự đánh giá",
            "Tài liệu kiểm chứng",
            "Đơn vị chịu trách nhiệm",
            "Ghi chú",
        ],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", None, 6, None, None, None, None],  # row 6, A6:B6
        [1, "Kế hoạch CCHC năm", 4, 3, "Kế hoạch", "Văn phòng", "ban hành trước 15/01"],
        ["1.1", "Ban hành kịp thời", 2, None, "Quyết định ban hành", "Phòng Nội vụ"],  # F8:F9
        ["1.2", "Đầy đủ nhiệm vụ", 2, None, "Kế hoạch"],
        [2, "Tuyên truyền CCHC", 2, None, None, "Phòng Văn hóa"],  # row 10
        ["a", "Có kế hoạch tuyên truyền", 1],
        ["b", "Đa dạng hình thức", 1],
        [None, "Mỗi hình thức 0,25 điểm"],  # guidance line, no STT, no points: skipped
        [None, None, None, None, None, None, "chú thích lạc"],  # only an extra column
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 4.5],  # row 15
        ["1", "Công khai thủ tục hành chính", "4,5"],
        [None, "Tổng cộng", 10.5],  # row 17
        ["Ghi chú: tài liệu kiểm chứng gửi kèm bản giấy"],
    ]
    return _xlsx(tmp_path, rows, merges=("A6:B6", "F8:F9", "A2:G2"))


def test_excel_sheet_with_header_below_titles_extra_columns_and_merged_cells(tmp_path):
    framework = load_excel(_province_sheet(tmp_path))
    assert framework.name == "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH NĂM 2025"
    assert framework.level == "so"
    assert framework.year == 2025
    codes = [(c.code, c.max_points, c.row) for c, _, _ in framework.walk()]
    assert codes == [
        ("I", 6, 6),
        ("I.1", 4, 7),
        ("I.1.1", 2, 8),
        ("I.1.2", 2, 9),
        ("I.2", 2, 10),
        ("I.2.1", 1, 11),
        ("I.2.2", 1, 12),
        ("II", Decimal("4.5"), 15),
        ("II.1", Decimal("4.5"), 16),
    ]
    area = framework.areas[0]
    assert area.name == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"  # merged A:B, split off its STT
    assert [c.unit for c in area.children[0].children] == ["Phòng Nội vụ", "Phòng Nội vụ"]
    assert area.children[0].evidence == "Kế hoạch"
    assert framework.total() == Decimal("10.5")


def test_excel_header_over_two_rows_and_scoring_column(tmp_path):
    rows = [
        ["Cấp: xã"],
        ["TT", "Nội dung", "Điểm", None, "Phương pháp chấm"],
        [None, None, "Tối đa", "Tự chấm", None],
        ["I", "Thủ tục hành chính", 10],
        ["1", "Hồ sơ đúng hạn", 4, None, "Tỷ lệ %"],
        ["2", "Niêm yết", 3, None, "Có/Không"],
        ["3", "Hài lòng", 3, None, "Thang 5 mức"],
    ]
    framework = load_excel(_xlsx(tmp_path, rows, merges=("A2:A3", "B2:B3", "C2:D2", "E2:E3")))
    assert framework.level == "xa"
    assert [(c.scoring, c.scale_levels) for c in framework.leaves()] == [
        ("ratio", None),
        ("yesno", None),
        ("scale", 5),
    ]


def test_excel_points_that_do_not_add_up_are_refused_naming_the_row(tmp_path):
    path = _district_sheet(
        tmp_path,
        ["I", "Cải cách thể chế", 10],
        ["1", "Ban hành văn bản", 5],
        ["1.1", "Đúng hạn", 2],
        ["1.2", "Đúng quy trình", 2],
        ["2", "Rà soát văn bản", 5],
    )
    problems = _problems(lambda: load_excel(path))
    assert problems == ["dòng 4 (I.1): tổng điểm các tiêu chí con là 4, khác điểm tối đa 5"]


def test_excel_total_row_that_disagrees_is_refused(tmp_path):
    path = _district_sheet(
        tmp_path,
        ["I", "Cải cách thể chế", 10],
        ["II", "Cải cách công vụ", 5],
        [None, "Tổng điểm", 100],
    )
    problems = _problems(lambda: load_excel(path))
    assert problems == [
        "dòng 5: dòng tổng cộng ghi 100 nhưng tổng điểm các lĩnh vực là 15",
    ]


def test_excel_duplicate_codes_are_refused_naming_both_rows(tmp_path):
    path = _district_sheet(
        tmp_path, ["I", "Cải cách thể chế", 10], ["1", "Ban hành văn bản", 5], ["1", "Rà soát", 5]
    )
    problems = _problems(lambda: load_excel(path))
    assert problems == ["dòng 5 (I.1): mã I.1 bị trùng với dòng 4"]


def test_excel_reports_every_problem_at_once(tmp_path):
    rows = [
        ["BỘ TIÊU CHÍ"],
        ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm"],
        ["1", "Trước mọi lĩnh vực", 2],
        ["I", "Cải cách thể chế", 10],
        ["1", "Ban hành văn bản", "mười"],
        ["2", "Rà soát", 5, "tùy hứng"],
        ["3.1", "Không có tiêu chí 3", 1],
        ["A", "STT lạ", 1],
        [None, "Thiếu STT", 2],
        ["4", "Điểm âm", -1],
    ]
    problems = _problems(lambda: load_excel(_xlsx(tmp_path, rows)))
    assert any(p.startswith("không xác định được cấp") for p in problems)
    assert "dòng 3: tiêu chí 1 nằm trước lĩnh vực đầu tiên (I, II…)" in problems
    assert "dòng 5: điểm tối đa 'mười' không phải là số" in problems
    assert "dòng 6: cách chấm 'tùy hứng' không rõ" in problems
    assert "dòng 7: STT 3.1 không nằm dưới tiêu chí 3" in problems
    assert any(p.startswith("dòng 8: STT 'A' không rõ cấp") for p in problems)
    assert "dòng 9: có điểm nhưng thiếu STT" in problems
    assert "dòng 10 (I.4): điểm tối đa âm (-1)" in problems
    assert "dòng 5 (I.1): thiếu điểm tối đa" in problems


def test_excel_level_can_be_given_when_the_sheet_does_not_say(tmp_path):
    rows = [["STT", "Tiêu chí", "Điểm tối đa"], ["I", "Cải cách thể chế", 10]]
    path = _xlsx(tmp_path, rows)
    assert load_excel(path, level="xa", year=2026).level == "xa"
    assert _problems(lambda: load_excel(path))[0].startswith("không xác định được cấp")


def test_excel_without_the_header_columns_is_refused(tmp_path):
    path = _xlsx(tmp_path, [["Họ tên", "Chức vụ"], ["Nguyễn Văn A", "Trưởng phòng"]])
    problems = _problems(lambda: load_excel(path))
    assert problems[0].startswith("không tìm thấy dòng tiêu đề")


def test_a_file_that_is_not_excel_is_refused(tmp_path):
    path = tmp_path / "bang.xlsx"
    path.write_text("không phải Excel")
    assert "không đọc được tệp Excel" in _problems(lambda: load_excel(path))[0]


# ---------------------------------------------------------------- YAML problems


def test_yaml_problems_name_the_line_and_code(tmp_path):
    path = tmp_path / "sai.yaml"
    path.write_text(
        "name: Bộ thử\n"
        "level: huyen\n"
        "areas:\n"
        "  - name: Thể chế\n"
        "    max_points: 10\n"
        "    children:\n"
        "      - code: I.1\n"
        "        name: Văn bản\n"
        "        max_points: 6\n"
        "      - code: I.1\n"
        "        name: Rà soát\n"
        "        max_points: 3\n"
        "        scoring: thang\n"
        "        maxpoint: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError) as caught:
        load_yaml(path)
    error = caught.value
    assert error.problems == [
        "dòng 10 (I.1): khóa không biết: maxpoint",
        "dòng 4 (I): tổng điểm các tiêu chí con là 9, khác điểm tối đa 10",
        "dòng 10 (I.1): mã I.1 bị trùng với dòng 7",
        "dòng 10 (I.1): cách chấm 'thang' không hợp lệ (phải là một trong: points, yesno, "
        "ratio, scale, options, bands)",
    ]
    assert str(error).startswith(f"{path}: bộ tiêu chí không hợp lệ (4 lỗi)")


def test_validate_requires_points_when_asked_to_check_a_scorable_framework():
    framework = Framework("Thử", None, "so", None, [Criterion("I", "Thể chế", None)])
    assert validate(framework) == []
    assert validate(framework, scorable=True) == ["I: thiếu điểm tối đa"]


def test_validate_flags_an_unknown_level_and_a_scale_without_levels():
    framework = Framework(
        "Thử", None, "bo", None, [Criterion("I", "Thể chế", Decimal(2), scoring="scale")]
    )
    assert validate(framework) == [
        "cấp 'bo' không hợp lệ (phải là một trong: tinh, so, huyen, xa)",
        "I: chấm theo thang nhưng thiếu số mức (scale_levels ≥ 1)",
    ]


# ---------------------------------------------------------------- points()


def test_points_entered_are_kept_and_above_maximum_refused():
    c = Criterion("I.1.2", "Đúng hạn", Decimal(2))
    assert points(c, "1,5") == Decimal("1.5")
    assert points(c, 2) == 2
    with pytest.raises(ValueError, match=r"I\.1\.2: 3 điểm vượt điểm tối đa 2"):
        points(c, 3)
    with pytest.raises(ValueError, match="âm"):
        points(c, -1)
    with pytest.raises(ValueError, match="không phải là số"):
        points(c, "hai")


def test_a_value_typed_in_the_form_is_read_as_the_scoring_reads_it():
    assert entered_value(" 14,5 ") == Decimal("14.5")
    assert entered_value("10 điểm") == 10
    assert entered_value("50%") == Decimal("0.5") and entered_value("0,5 %") == Decimal("0.005")
    assert [entered_value(v) for v in ("Có", "đạt", "không", "Không đạt")] == [1, 1, 0, 0]
    assert entered_value("") is None
    for text in ("hai", "NaN", "1e5", "Infinity"):
        with pytest.raises(ValueError, match="không phải là số"):
            entered_value(text)


def test_points_yes_no_gives_the_maximum_or_nothing():
    c = Criterion("II.1", "Niêm yết", Decimal(3), scoring="yesno")
    assert [points(c, v) for v in (True, "Có", "đạt", 1)] == [3, 3, 3, 3]
    assert [points(c, v) for v in (False, "không", "Không đạt", 0)] == [0, 0, 0, 0]
    with pytest.raises(ValueError, match=r"II\.1: giá trị 'có lẽ' không phải có/không"):
        points(c, "có lẽ")


def test_points_ratio_accepts_a_fraction_or_a_percent():
    c = Criterion("II.2", "Hồ sơ đúng hạn", Decimal(6), scoring="ratio")
    assert points(c, 0.85) == Decimal("5.1")
    assert points(c, 85) == Decimal("5.1")
    assert points(c, "85%") == Decimal("5.1")
    assert points(c, "1%") == Decimal("0.06")
    assert points(c, 1) == 6
    with pytest.raises(ValueError, match=r"II\.2: tỷ lệ 120% vượt quá 100%"):
        points(c, 120)


def test_points_scale_converts_the_level_and_refuses_one_above_the_top():
    c = Criterion("VI.1.3", "Trang thông tin", Decimal(2), scoring="scale", scale_levels=3)
    assert points(c, 3) == 2
    assert points(c, 0) == 0
    assert points(c, 2) == Decimal("1.33")
    with pytest.raises(ValueError, match=r"VI\.1\.3: mức 4 không hợp lệ"):
        points(c, 4)
    with pytest.raises(ValueError, match="không hợp lệ"):
        points(c, 1.5)


def test_points_on_a_template_without_maximum_is_refused():
    area = shipped()["mau-huyen-6-linh-vuc"].areas[0]
    with pytest.raises(ValueError, match="I: tiêu chí chưa có điểm tối đa"):
        points(area, 1)


# ---------------------------------------------------------------- hostile files


def _valid_rows() -> list[list]:
    return [["Cấp: huyện"], ["STT", "Tiêu chí", "Điểm tối đa"], ["I", "Cải cách thể chế", 10]]


def test_excel_with_a_cell_far_outside_the_table_is_refused_naming_it(tmp_path):
    path = _xlsx(tmp_path, _valid_rows())
    workbook = openpyxl.load_workbook(path)
    workbook.active["CW6000"] = "x"  # 101 columns, 6,000 rows
    workbook.save(path)
    problems = _problems(lambda: load_excel(path))
    assert "CW6000" in problems[0] and "xóa các ô thừa" in problems[0]


def test_excel_with_one_cell_at_the_last_cell_of_a_sheet_is_refused(tmp_path):
    path = _xlsx(tmp_path, _valid_rows())
    workbook = openpyxl.load_workbook(path)
    workbook.active["XFD1048576"] = "x"  # a few kilobytes; as a grid, 17 billion cells
    workbook.save(path)
    assert path.stat().st_size < 10_000
    assert "XFD1048576" in _problems(lambda: load_excel(path))[0]


def test_excel_that_unzips_to_too_much_is_refused_before_it_is_read(tmp_path):
    import zipfile

    path = _xlsx(tmp_path, _valid_rows())
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (21 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert "quá lớn khi giải nén" in _problems(lambda: load_excel(path))[0]


def test_yaml_with_many_aliases_is_refused(tmp_path):
    # the billion laughs: each line repeats the one above ten times
    lines = ['a0: &a0 ["x"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    path = tmp_path / "bom.yaml"
    path.write_text("\n".join(lines) + "\nname: x\nareas: *a9\n", encoding="utf-8")
    assert path.stat().st_size < 3000
    assert "tham chiếu" in _problems(lambda: load_yaml(path))[0]


def test_yaml_with_a_few_aliases_over_the_bound_is_refused(tmp_path):
    path = tmp_path / "nhieu.yaml"
    path.write_text(
        "name: x\nlevel: huyen\nnote: &n Ghi chú\nareas: []\nextra: ["
        + ", ".join(["*n"] * 51)
        + "]\n",
        encoding="utf-8",
    )
    assert "tham chiếu" in _problems(lambda: load_yaml(path))[0]


def test_a_framework_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "lon.yaml"
    path.write_text("# " + "x" * (11 * 1024 * 1024) + "\nname: x\n", encoding="utf-8")
    assert "quá lớn" in _problems(lambda: load_yaml(path))[0]


# ---------------------------------------------------------------- bonus, bands, method, rules


def test_excel_export_writes_caps_bands_methods_rules_and_evidence_rules(tmp_path):
    framework = shipped()["minh-hoa-xa-2026"]
    to_excel(framework, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    lines = [row[0] for row in cells if row[0]]
    assert "Điểm thưởng tối đa: 2" in lines and "Điểm trừ tối đa: 3" in lines
    assert any(str(line).startswith("Xếp loại: Xuất sắc: từ 90%") for line in lines)
    header = next(row for row in cells if row[0] == "STT")
    assert header[6:8] == ["Phương pháp đánh giá", "Quy tắc minh chứng (cchc)"]
    by_name = {row[1]: row for row in cells if row[1]}
    plan = next(row for name, row in by_name.items() if "kế hoạch" in name.lower() and row[7])
    assert plan[3].startswith("ban hành đúng hạn: 1; ban hành chậm: 0,5")
    assert (plan[6], plan[7]) == ("thẩm định", "plan_on_time")
    assert any(row[6] == "điều tra xã hội học" for row in cells)


def _scored_sheet(tmp_path: Path, *extra_rows, above=()) -> Path:
    return _xlsx(
        tmp_path,
        [
            ["Cấp: xã"],
            *[[line] for line in above],
            ["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm", "Phương pháp đánh giá",
             "Quy tắc minh chứng"],
            ["I", "Chỉ đạo điều hành", 3],
            ["1", "Kế hoạch CCHC", 3],
            ["1.1", "Ban hành kế hoạch đúng hạn", 2, "đúng hạn: 2; chậm: 1; không: 0", "Thẩm định",
             "plan_on_time"],
            ["1.2", "Hài lòng của người dân", 1, "tỷ lệ", "Điều tra XHH", None],
            [None, "Tổng cộng", 3],
            *extra_rows,
        ],
    )  # fmt: skip


def test_excel_reads_bonus_and_penalty_rows_and_the_lines_above_the_table(tmp_path):
    path = _scored_sheet(
        tmp_path,
        [None, "Điểm thưởng", 1],
        [None, "- Có sáng kiến", 1],
        [None, "Điểm trừ (tối đa 2 điểm)", None],
        above=["Xếp loại: Tốt: từ 80%; Khá: từ 65%; Chưa đạt: dưới 65%"],
    )
    data = load_excel(path)
    assert (data.bonus_max, data.penalty_max) == (1, 2)
    assert [(b.name, b.minimum) for b in data.classes] == [
        ("Tốt", 80),
        ("Khá", 65),
        ("Chưa đạt", 0),
    ]
    leaves = {c.code: c for c in data.leaves()}
    assert leaves["I.1.1"].evidence_rule == "plan_on_time" and leaves["I.1.1"].scoring == "options"
    assert (leaves["I.1.2"].method, leaves["I.1.2"].scoring) == ("survey", "ratio")


def test_excel_unknown_evidence_rule_and_unclear_method_name_their_rows(tmp_path):
    path = _xlsx(
        tmp_path,
        [
            ["Cấp: xã"],
            ["STT", "Tiêu chí", "Điểm tối đa", "Phương pháp đánh giá", "Quy tắc minh chứng"],
            ["I", "Chỉ đạo điều hành", 2],
            ["1", "Kế hoạch", 2],
            ["1.1", "Ban hành kế hoạch", 1, "thẩm định", "ke_hoach"],
            ["1.2", "Kiểm tra", 1, "hỏi ý kiến", None],
        ],
    )
    problems = _problems(lambda: load_excel(path))
    assert any(
        p.startswith("dòng 5 (I.1.1): quy tắc minh chứng 'ke_hoach' không có") for p in problems
    )
    assert any(p.startswith("dòng 6: phương pháp đánh giá 'hỏi ý kiến' không rõ") for p in problems)


def test_excel_bands_without_a_threshold_are_refused(tmp_path):
    path = _scored_sheet(tmp_path, above=["Xếp loại: Tốt: khi đạt nhiều điểm"])
    problems = _problems(lambda: load_excel(path))
    assert any("Xếp loại" in p and "không" in p for p in problems)


def test_excel_result_columns_are_not_read_as_the_assessment_method(tmp_path):
    """A circulated scoring sheet has "Điểm tự đánh giá" and "Điểm thẩm định" columns: numbers,
    not how a criterion is assessed."""
    path = _xlsx(
        tmp_path,
        [
            ["Cấp: xã"],
            ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định",
             "Hình thức đánh giá"],
            ["I", "Chỉ đạo điều hành", 2, 2, 1.5],
            ["1", "Kế hoạch", 2, 2, 1.5],
            ["1.1", "Ban hành kế hoạch", 1, 1, 1, "Thẩm định"],
            ["1.2", "Hài lòng", 1, 1, 0.5, "Điều tra xã hội học"],
        ],
    )  # fmt: skip
    leaves = load_excel(path).leaves()
    assert [(c.method, c.scoring) for c in leaves] == [("appraisal", "points"), ("survey", "ratio")]
