"""PAR INDEX frameworks as data: areas (lĩnh vực) → criteria (tiêu chí) → sub-criteria (tiêu chí
thành phần), each with its maximum points and how it is scored.

Frameworks load from YAML (the ones shipped in `cchc/data/par/`), from the Excel sheets that
provinces circulate and from the Quyết định that issues them (its appendix table, in a .docx or a
PDF printed from Word: `load_decision`, `cchc.par.pdftable`), and export back to Excel. Besides
the criteria, a table and the lines around it give the bonus and penalty caps ("Điểm thưởng"
rows), each sub-criterion's assessment method and evidence rule, and the classification bands.
Loading is all or nothing: either a valid `Framework` or a `FrameworkError` listing every
problem, each naming its row ("dòng 14 (I.2): …"). Points are `Decimal`, so "children add up to
the parent" is checked exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from os import PathLike
from pathlib import Path

import yaml

from cchc.errors import CchcError
from cchc.text import fold, nfc

SCORING = ("points", "yesno", "ratio", "scale", "options", "bands")
LEVELS = {"tinh": "tỉnh", "so": "sở, ban, ngành", "huyen": "huyện", "xa": "xã"}
# How a sub-criterion is assessed: by the council's appraisal of evidence (thẩm định) or by the
# sociological survey (điều tra xã hội học).
METHODS = {"appraisal": "thẩm định", "survey": "điều tra xã hội học"}
# What "không áp dụng" does to a unit's result: its maximum drops by the criterion's points and
# the index is taken on what applies ("rescale"), or the criterion counts its full points ("full").
# Sub-criteria cchc computes from the work it tracks (cchc.web.par.evidence implements them): a
# framework binds a sub-criterion to one by name (`evidence_rule: plan_on_time`).
EVIDENCE_RULES = {
    "plan_on_time": "ban hành kế hoạch CCHC năm đúng hạn (mức: đúng hạn / chậm / không ban hành)",
    "reports_on_time": "báo cáo CCHC quý, 6 tháng, năm đúng hạn (đủ và đúng hạn / chậm / thiếu)",
    "tasks_on_time": "tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn (%)",
    "inspection_held": "tổ chức kiểm tra CCHC trong năm (có / không)",
    "documents_on_time": "tỷ lệ văn bản đến xử lý đúng hạn (%)",
}
NOT_APPLICABLE = {"rescale": "tính trên tổng điểm áp dụng", "full": "được tính điểm tối đa"}


@dataclass
class RuleItem:
    """One line of a scoring rule: a graded option ("ban hành đúng hạn: 1") or a band of a
    percent ("trên 90%: 2", "70–90%: 1", "dưới 70%: 0")."""

    label: str
    points: Decimal
    low: Decimal | None = None  # bands only: the range of the percent
    low_inclusive: bool = True
    high: Decimal | None = None
    high_inclusive: bool = True

    def contains(self, percent: Decimal) -> bool:
        if self.low is not None and (
            percent < self.low or (percent == self.low and not self.low_inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (percent > self.high or (percent == self.high and not self.high_inclusive))
        )


@dataclass
class Band:
    """A classification a framework names: from `minimum` percent of the index up."""

    name: str
    minimum: Decimal


@dataclass
class Criterion:
    code: str
    name: str
    max_points: Decimal | None
    scoring: str = "points"
    scale_levels: int | None = None
    unit: str | None = None
    evidence: str | None = None
    children: list[Criterion] = field(default_factory=list)
    rule: list[RuleItem] = field(default_factory=list)  # for "options" and "bands"
    method: str = "appraisal"
    evidence_rule: str | None = None  # a named query over tracked work (cchc.web.par.evidence)
    # Where it was read (Excel row, YAML line), for messages; not part of what it is.
    row: int | None = field(default=None, compare=False)


@dataclass
class Framework:
    name: str
    year: int | None
    level: str
    source: str | None
    areas: list[Criterion]
    classes: list[Band] = field(default_factory=list)  # best first
    bonus_max: Decimal | None = None
    penalty_max: Decimal | None = None
    not_applicable: str = "rescale"

    def classify(self, index: float) -> str | None:
        for band in sorted(self.classes, key=lambda b: -b.minimum):
            if index >= float(band.minimum):
                return band.name
        return None

    def walk(self) -> Iterator[tuple[Criterion, int, Criterion | None]]:
        """(criterion, depth, parent), depth first, in the framework's order."""

        def visit(c: Criterion, depth: int, parent: Criterion | None):
            yield c, depth, parent
            for child in c.children:
                yield from visit(child, depth + 1, c)

        for area in self.areas:
            yield from visit(area, 0, None)

    def leaves(self) -> list[Criterion]:
        return [c for c, _, _ in self.walk() if not c.children]

    def total(self) -> Decimal | None:
        """Sum of the areas' maxima; None when an area has no points (a template)."""
        if not self.areas or any(a.max_points is None for a in self.areas):
            return None
        return sum((a.max_points for a in self.areas), Decimal(0))


class FrameworkError(CchcError):
    """A framework that cannot be used; `.problems` lists every problem, each naming its row."""

    problem = "bộ tiêu chí không hợp lệ"

    def __init__(self, path: str | PathLike, problems: list[str]):
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            str(path), f"bộ tiêu chí không hợp lệ ({count} lỗi): " + "; ".join(self.problems)
        )


# ---------------------------------------------------------------- validation


def _where(c: Criterion) -> str:
    return f"dòng {c.row} ({c.code})" if c.row else (c.code or "?")


def validate(framework: Framework, scorable: bool | None = None) -> list[str]:
    """Every problem of `framework`, each naming the row and code.

    `scorable`: True requires points on every criterion; False accepts a template without points;
    None (default) requires them as soon as any criterion has points (so a blank cell in a scored
    sheet is caught, while an all-blank template passes).
    """
    problems: list[str] = []
    if not (framework.name or "").strip():
        problems.append("bộ tiêu chí thiếu tên")
    if framework.level not in LEVELS:
        problems.append(
            f"cấp '{framework.level}' không hợp lệ (phải là một trong: {', '.join(LEVELS)})"
        )
    if not framework.areas:
        problems.append("bộ tiêu chí không có lĩnh vực nào")
    nodes = list(framework.walk())
    if scorable is None:
        scorable = any(c.max_points is not None for c, _, _ in nodes)
    seen: dict[str, Criterion] = {}
    for c, _, _ in nodes:
        where = _where(c)
        if not (c.code or "").strip():
            problems.append(f"{where}: thiếu mã tiêu chí")
        elif c.code in seen:
            first = seen[c.code]
            at = f" với dòng {first.row}" if first.row else ""
            problems.append(f"{where}: mã {c.code} bị trùng{at}")
        else:
            seen[c.code] = c
        if not (c.name or "").strip():
            problems.append(f"{where}: thiếu tên tiêu chí")
        if c.max_points is None:
            if scorable:
                problems.append(f"{where}: thiếu điểm tối đa")
        elif not _is_number(c.max_points):
            problems.append(f"{where}: điểm tối đa '{c.max_points}' không phải là số")
        elif c.max_points < 0:
            problems.append(f"{where}: điểm tối đa âm ({c.max_points})")
        if c.scoring not in SCORING:
            problems.append(
                f"{where}: cách chấm '{c.scoring}' không hợp lệ (phải là một trong: "
                f"{', '.join(SCORING)})"
            )
        elif c.scoring == "scale" and not (isinstance(c.scale_levels, int) and c.scale_levels >= 1):
            problems.append(f"{where}: chấm theo thang nhưng thiếu số mức (scale_levels ≥ 1)")
        elif c.scoring in ("options", "bands"):
            problems.extend(_rule_problems(c, where))
        if c.method not in METHODS:
            problems.append(
                f"{where}: phương pháp '{c.method}' không hợp lệ "
                "(thẩm định hoặc điều tra xã hội học)"
            )
        if c.evidence_rule and c.evidence_rule not in EVIDENCE_RULES:
            problems.append(
                f"{where}: quy tắc minh chứng '{c.evidence_rule}' không có (phải là một trong: "
                f"{', '.join(EVIDENCE_RULES)})"
            )
        if c.children and (c.rule or c.evidence_rule):
            problems.append(
                f"{where}: chỉ tiêu chí thành phần (không có tiêu chí con) mới có cách chấm "
                "theo mức hoặc quy tắc minh chứng"
            )
        child_points = [k.max_points for k in c.children]
        if c.children and _is_number(c.max_points) and all(_is_number(p) for p in child_points):
            got = sum(child_points, Decimal(0))
            if got != c.max_points:
                problems.append(
                    f"{where}: tổng điểm các tiêu chí con là {_show(got)}, "
                    f"khác điểm tối đa {_show(c.max_points)}"
                )
    if framework.not_applicable not in NOT_APPLICABLE:
        problems.append(
            f"cách tính 'không áp dụng' '{framework.not_applicable}' không hợp lệ "
            f"(phải là một trong: {', '.join(NOT_APPLICABLE)})"
        )
    for what, cap in (("điểm thưởng", framework.bonus_max), ("điểm trừ", framework.penalty_max)):
        if cap is not None and (not _is_number(cap) or cap < 0):
            problems.append(f"{what} tối đa '{cap}' không hợp lệ")
    minima = [b.minimum for b in framework.classes]
    if len(set(minima)) != len(minima):
        problems.append("các mức xếp loại có ngưỡng trùng nhau")
    for band in framework.classes:
        if not (0 <= band.minimum <= 100):
            problems.append(
                f"mức xếp loại “{band.name}”: ngưỡng {_show(band.minimum)}% ngoài 0–100"
            )
    return problems


def _rule_problems(c: Criterion, where: str) -> list[str]:
    """A rule's items within the maximum, its best item worth the maximum, bands not overlapping."""
    out = []
    if not c.rule:
        return [f"{where}: chấm theo mức nhưng chưa có các mức (ví dụ “đúng hạn: 1; chậm: 0,5”)"]
    for item in c.rule:
        if c.max_points is not None and _is_number(c.max_points) and item.points > c.max_points:
            out.append(
                f"{where}: mức “{item.label}” {_show(item.points)} điểm vượt điểm tối đa "
                f"{_show(c.max_points)}"
            )
        if c.scoring == "bands" and item.low is None and item.high is None:
            out.append(f"{where}: mức “{item.label}” không nêu khoảng tỷ lệ (trên/từ/dưới …%)")
    best = max(item.points for item in c.rule)
    if c.max_points is not None and _is_number(c.max_points) and best != c.max_points:
        out.append(
            f"{where}: mức cao nhất {_show(best)} điểm khác điểm tối đa {_show(c.max_points)}"
        )
    if c.scoring == "bands":
        for probe in range(0, 101):
            hits = [i.label for i in c.rule if i.contains(Decimal(probe))]
            if len(hits) > 1:
                out.append(f"{where}: các mức “{hits[0]}” và “{hits[1]}” chồng lên nhau ở {probe}%")
                break
    return out


# ---------------------------------------------------------------- rules as written

_RULE_POINTS = re.compile(
    r"^(?P<label>.+?)\s*[:=]\s*(?P<points>[+-]?\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\.?$", re.I
)
_PERCENT = r"(\d+(?:[.,]\d+)?)\s*%?"


def parse_rule(text: str) -> tuple[str, list[RuleItem]]:
    """A rule as a framework writes it, "ban hành đúng hạn: 1; chậm: 0,5; không ban hành: 0" or
    "trên 90%: 2; 70–90%: 1; dưới 70%: 0", as ("options" | "bands", items). ValueError, in
    Vietnamese, naming the part it cannot read."""
    parts = [p.strip(" -–•+\t") for p in re.split(r"[;\n]", nfc(text or "")) if p.strip(" -–•\t")]
    items = []
    for part in parts:
        found = _RULE_POINTS.match(part)
        if not found:
            raise ValueError(f"không đọc được mức “{part}” (cần dạng “nội dung: điểm”)")
        label, points = found.group("label").strip(), _number(found.group("points"))
        items.append(_rule_item(label, points))
    if not items:
        raise ValueError("cách chấm trống")
    banded = [i.low is not None or i.high is not None for i in items]
    if all(banded):
        return "bands", items
    return "options", [RuleItem(i.label, i.points) for i in items]


def _rule_item(label: str, points: Decimal) -> RuleItem:
    """The percent range a label names, when it names one."""
    t = fold(label)
    numbers = [_number(n) for n in re.findall(r"\d+(?:[.,]\d+)?(?=\s*%)", label)]
    if "%" not in label or not numbers:
        return RuleItem(label, points)
    both = re.search(_PERCENT + r"\s*(?:-|–|—|den)\s*(duoi\s*)?" + _PERCENT, t)
    if both:
        low, under, high = _number(both.group(1)), both.group(2), _number(both.group(3))
        return RuleItem(label, points, low, True, high, not under)
    value = numbers[0]
    if re.search(r"\b(tren|lon hon|hon)\b|>(?!=)", t) and not re.search(r"tro len", t):
        return RuleItem(label, points, value, False, None)
    if re.search(r"\btu\b|tro len|>=|≥|toi thieu", t):
        return RuleItem(label, points, value, True, None)
    if re.search(r"\bduoi\b|<(?!=)|nho hon", t):
        return RuleItem(label, points, None, True, value, False)
    if re.search(r"\btoi da\b|<=|≤|khong qua", t):
        return RuleItem(label, points, None, True, value, True)
    return RuleItem(label, points, value, True, value, True)  # "đạt 100%": exactly


def rule_text(c: Criterion) -> str:
    """The rule as a framework writes it: "đúng hạn: 1; chậm: 0,5"."""
    return "; ".join(f"{i.label}: {_show(i.points)}" for i in c.rule)


def _is_number(value) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)


def _show(d: Decimal) -> str:
    """14.5 → '14,5' (Vietnamese decimal comma), 10.00 → '10'."""
    text = format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
    return text.replace(".", ",")


def _checked(framework: Framework, path, problems: list[str]) -> Framework:
    problems = problems + validate(framework)
    if problems:
        raise FrameworkError(path, problems)
    return framework


# ---------------------------------------------------------------- scoring one value


def _tidy(d: Decimal) -> Decimal:
    d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


_YES = {"co", "x", "dat", "yes", "y", "true", "1"}
_NO = {"khong", "khong dat", "no", "n", "false", "0"}


def points(criterion: Criterion, value) -> Decimal:
    """The points `value` earns on `criterion`, by its scoring method.

    points: the number entered; yesno: True/"có"/"đạt"/1 → maximum, False/"không"/0 → 0;
    ratio: 0..1, or a percent (a value above 1, or text ending in "%"), × maximum;
    scale: a level 0..scale_levels → level / levels × maximum. Ratio and scale round to 0.01.
    Raises ValueError, in Vietnamese and naming the code, for anything invalid or above maximum.
    """
    c = criterion
    top = c.max_points
    if top is None:
        raise ValueError(f"{c.code}: tiêu chí chưa có điểm tối đa, không chấm điểm được")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{c.code}: chưa nhập giá trị")
    if c.scoring == "options":
        chosen = _number(value)
        if chosen is None or all(item.points != chosen for item in c.rule):
            offered = "; ".join(f"{i.label}: {_show(i.points)}" for i in c.rule)
            raise ValueError(f"{c.code}: “{value}” không phải một mức của tiêu chí ({offered})")
        return chosen
    if c.scoring == "yesno":
        key = fold(str(value).strip()) if not isinstance(value, bool) else str(value).lower()
        if key in _YES:
            return top
        if key in _NO:
            return Decimal(0)
        raise ValueError(f"{c.code}: giá trị '{value}' không phải có/không")
    percent = isinstance(value, str) and value.strip().endswith("%")
    number = _number(value.strip().rstrip("%") if percent else value)
    if number is None:
        raise ValueError(f"{c.code}: giá trị '{value}' không phải là số")
    if number < 0:
        raise ValueError(f"{c.code}: giá trị {_show(number)} âm")
    if c.scoring == "points":
        if number > top:
            raise ValueError(
                f"{c.code}: {_show(number)} điểm vượt điểm tối đa {_show(top)} của tiêu chí"
            )
        return number
    if c.scoring == "bands":
        share = number if percent or number > 1 else number * 100
        if share > 100:
            raise ValueError(f"{c.code}: tỷ lệ {_show(share)}% vượt quá 100%")
        for item in c.rule:
            if item.contains(share):
                return item.points
        raise ValueError(f"{c.code}: tỷ lệ {_show(share)}% không thuộc mức nào của tiêu chí")
    if c.scoring == "ratio":
        ratio = number / 100 if percent or number > 1 else number
        if ratio > 1:
            raise ValueError(f"{c.code}: tỷ lệ {_show(number)}% vượt quá 100%")
        return _tidy(ratio * top)
    if c.scoring == "scale":
        levels = c.scale_levels or 0
        if levels < 1:
            raise ValueError(f"{c.code}: tiêu chí chấm theo thang nhưng thiếu số mức")
        if number != number.to_integral_value() or number > levels:
            raise ValueError(
                f"{c.code}: mức {_show(number)} không hợp lệ (thang có các mức 0 đến {levels})"
            )
        return _tidy(top * number / levels)
    raise ValueError(f"{c.code}: cách chấm '{c.scoring}' không hợp lệ")


def entered_value(text: str) -> Decimal | None:
    """A value as typed in the assessment form, as it is stored: a number ("14,5", "10 điểm"),
    a percent as its ratio ("50%" → 0.5), có/đạt → 1, không → 0; None if empty. Raises
    ValueError for anything else; `points` then checks it against its criterion."""
    text = nfc(text).strip()
    if not text:
        return None
    key = fold(text)
    if key in _YES or key in _NO:
        return Decimal(key in _YES)
    percent = text.endswith("%")
    number = _number(text[:-1] if percent else text)
    if number is None:
        raise ValueError(f"“{text}” không phải là số")
    return number / 100 if percent else number


def form_value(criterion: Criterion, text: str):
    """What a person typed in the assessment form for `criterion`, as `points` reads it; None
    if empty. A ratio's field is in percent, so "85" and "85%" are 85% (and "120%" is refused
    by `points`, not read as 1.2 and then as 1.2%)."""
    text = nfc(text or "").strip()
    if not text:
        return None
    if criterion.scoring in ("ratio", "bands"):
        number = _number(text.rstrip("%").strip())
        if number is None:
            raise ValueError(f"“{text}” không phải là tỷ lệ phần trăm")
        return f"{format(number, 'f')}%"
    return entered_value(text)


def as_percent(value) -> Decimal:
    """A ratio as stored: its percent (0–100), from "85%", 85 or 0.85."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return _number(value.strip().rstrip("%"))
    number = _number(value)
    return number * 100 if number <= 1 else number


def number(value) -> Decimal | None:
    """A Decimal from an int, a float or text as typed ("14,5", "10 điểm"); None if not one."""
    return _number(value)


def _number(value) -> Decimal | None:
    """A Decimal from an int, a float (as printed) or text ("14,5", "10 điểm"); None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(round(value, 6))) if value == value else None
    if isinstance(value, str):
        text = re.sub(r"\s*(điểm|đ)\.?$", "", nfc(value).strip(), flags=re.IGNORECASE)
        text = text.replace(",", ".").replace(" ", "")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


# ---------------------------------------------------------------- YAML

_FRAMEWORK_KEYS = {
    "name", "year", "level", "source", "areas", "classes", "bonus_max", "penalty_max",
    "not_applicable", "note",
}  # fmt: skip
_CRITERION_KEYS = {
    "code", "name", "max_points", "scoring", "scale_levels", "unit", "evidence", "children",
    "rule", "method", "evidence_rule",
}  # fmt: skip
_LINE = "__line__"


# What an imported framework may be: a real one is tens of kilobytes, a few hundred rows and a
# dozen columns. Beyond these a file is refused before it is read into memory (a sheet with one
# cell at XFD1048576, or YAML aliases nested to a billion items, took gigabytes).
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_EXCEL_XML_BYTES = 20 * 1024 * 1024  # all parts of the .xlsx, unzipped
MAX_ROWS = 5000
MAX_COLUMNS = 100
MAX_ALIASES = 50  # YAML "*name" references; a framework needs none


class _TooManyAliases(yaml.YAMLError):
    pass


class _LineLoader(yaml.SafeLoader):
    """Safe loader that records each mapping's line, so messages can say "dòng 14", and refuses
    more than MAX_ALIASES aliases (each can repeat a whole tree: the billion laughs)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _TooManyAliases()
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _check_size(path: str | PathLike) -> None:
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise FrameworkError(path, [f"không đọc được tệp: {exc.strerror or exc}"]) from exc
    if size > MAX_FILE_BYTES:
        raise FrameworkError(
            path,
            [f"tệp quá lớn ({_megabytes(size)} MB, tối đa {_megabytes(MAX_FILE_BYTES)} MB)"],
        )


def _megabytes(size: int) -> str:
    return str(max(1, round(size / (1024 * 1024))))


def load_yaml(path: str | PathLike) -> Framework:
    """Load and validate a framework written in YAML (see `cchc/data/par/` for the shape)."""
    _check_size(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(path, [f"không đọc được tệp: {exc.strerror or exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise FrameworkError(path, ["tệp YAML phải ở dạng chữ UTF-8"]) from exc
    return _from_yaml(text, path)


def _from_yaml(text: str, path) -> Framework:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except _TooManyAliases as exc:
        raise FrameworkError(
            path,
            [
                f"tệp YAML dùng quá {MAX_ALIASES} tham chiếu (*tên): hãy viết đầy đủ từng "
                "tiêu chí, không dùng &neo và *tham chiếu"
            ],
        ) from exc
    except yaml.YAMLError as exc:
        raise FrameworkError(path, [f"YAML sai cú pháp: {exc}"]) from exc
    if not isinstance(data, dict):
        raise FrameworkError(path, ["tệp YAML phải là một bảng có name, level, areas"])
    problems: list[str] = []
    unknown = set(data) - _FRAMEWORK_KEYS - {_LINE}
    if unknown:
        problems.append(f"khóa không biết: {', '.join(sorted(map(str, unknown)))}")
    year = data.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool)):
        problems.append(f"năm '{year}' không phải là số năm")
        year = None
    areas = data.get("areas")
    if not isinstance(areas, list):
        problems.append("thiếu danh sách lĩnh vực (areas)")
        areas = []
    framework = Framework(
        name=nfc(str(data.get("name") or "")).strip(),
        year=year,
        level=str(data.get("level") or ""),
        source=_text(data.get("source")),
        areas=[_criterion(item, None, i, problems) for i, item in enumerate(areas, 1)],
        not_applicable=str(data.get("not_applicable") or "rescale"),
    )
    for key in ("bonus_max", "penalty_max"):
        if data.get(key) is not None:
            cap = _number(data[key])
            if cap is None:
                problems.append(f"{key} '{data[key]}' không phải là số")
            setattr(framework, key, cap)
    classes = data.get("classes") or []
    if not isinstance(classes, list):
        problems.append("classes phải là danh sách {name, min}")
        classes = []
    for item in classes:
        minimum = _number(item.get("min")) if isinstance(item, dict) else None
        if minimum is None or not _text(item.get("name")):
            problems.append(f"mức xếp loại '{item}' cần name và min (số)")
            continue
        framework.classes.append(Band(_text(item["name"]), minimum))
    return _checked(framework, path, problems)


def _criterion(item, parent: Criterion | None, index: int, problems: list[str]) -> Criterion:
    if not isinstance(item, dict):
        problems.append(f"{parent.code if parent else 'areas'}: mục thứ {index} không phải bảng")
        item = {}
    row = item.get(_LINE)
    code = _text(item.get("code"))
    if code is None:  # derived from the position: I, II…; I.1; I.1.2
        code = f"{parent.code}.{index}" if parent else _roman(index)
    c = Criterion(
        code=code,
        name=_text(item.get("name")) or "",
        max_points=None,
        scoring=str(item.get("scoring") or "points"),
        scale_levels=item.get("scale_levels"),
        unit=_text(item.get("unit")),
        evidence=_text(item.get("evidence")),
        row=row,
    )
    where = _where(c)
    unknown = set(item) - _CRITERION_KEYS - {_LINE}
    if unknown:
        problems.append(f"{where}: khóa không biết: {', '.join(sorted(map(str, unknown)))}")
    raw = item.get("max_points")
    if raw is not None:
        c.max_points = _number(raw)
        if c.max_points is None:
            problems.append(f"{where}: điểm tối đa '{raw}' không phải là số")
    c.method = str(item.get("method") or "appraisal")
    c.evidence_rule = _text(item.get("evidence_rule"))
    if item.get("rule") is not None:
        try:
            c.scoring, c.rule = parse_rule(str(item["rule"]))
        except ValueError as exc:
            problems.append(f"{where}: cách chấm: {exc}")
    children = item.get("children") or []
    if not isinstance(children, list):
        problems.append(f"{where}: children phải là một danh sách")
        children = []
    c.children = [_criterion(k, c, i, problems) for i, k in enumerate(children, 1)]
    return c


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(nfc(str(value)).split())
    return text or None


def to_yaml(framework: Framework, path: str | PathLike) -> None:
    """Write `framework` in the YAML shape `load_yaml` reads (codes kept, defaults left out)."""

    def item(c: Criterion) -> dict:
        out: dict = {"code": c.code, "name": c.name, "max_points": c.max_points}
        if c.rule:
            out["rule"] = rule_text(c)
        elif c.scoring != "points":
            out["scoring"] = c.scoring
        if c.method != "appraisal":
            out["method"] = c.method
        for key in ("scale_levels", "unit", "evidence", "evidence_rule"):
            if getattr(c, key) is not None:
                out[key] = getattr(c, key)
        if c.children:
            out["children"] = [item(k) for k in c.children]
        return out

    data = {
        "name": framework.name,
        "year": framework.year,
        "level": framework.level,
        "source": framework.source,
        "areas": [item(a) for a in framework.areas],
    }
    if framework.classes:
        data["classes"] = [{"name": b.name, "min": b.minimum} for b in framework.classes]
    for key in ("bonus_max", "penalty_max"):
        if getattr(framework, key) is not None:
            data[key] = getattr(framework, key)
    if framework.not_applicable != "rescale":
        data["not_applicable"] = framework.not_applicable
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    Path(path).write_text(text, encoding="utf-8")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, d: Decimal):
    if d == d.to_integral_value():
        return dumper.represent_scalar("tag:yaml.org,2002:int", str(int(d)))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(d, "f"))


_Dumper.add_representer(Decimal, _represent_decimal)


def shipped() -> dict[str, Framework]:
    """The frameworks shipped in `cchc/data/par/`, by file stem (fresh objects on each call)."""
    folder = resources.files("cchc.data").joinpath("par")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found[entry.name.removesuffix(".yaml")] = _from_yaml(
                entry.read_text(encoding="utf-8"), entry.name
            )
    return found


# ---------------------------------------------------------------- Roman numerals

_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _is_roman(text: str) -> bool:
    """I … XXXIX, written the usual way (so 'IIII' or 'VX' are not)."""
    if not text or not re.fullmatch(r"[IVX]+", text):
        return False
    value, i = 0, 0
    while i < len(text):
        for number, letters in _ROMAN:
            if text.startswith(letters, i):
                value += number
                i += len(letters)
                break
    return 0 < value < 40 and _roman(value) == text


# ---------------------------------------------------------------- Excel

_STT_TITLES = {"stt", "tt", "so tt", "so thu tu"}
# a cell merged down these columns applies to each row
_FILL_DOWN = ("method", "assess", "unit", "evidence")
_HEADER_SCAN = 60
_STT = r"[IVX]+|\d+(?:\.\d+)*|[a-zđ]"
_STT_AND_NAME = re.compile(rf"^\s*({_STT})\s*[.)\-–:]\s*(\S.*)$", re.DOTALL)
_TOTALS = {"tong", "cong", "tong cong", "tong so", "tong diem", "tong so diem", "tong cong diem"}
_META = re.compile(
    r"^\s*(cap|nam|nguon|diem thuong toi da|diem tru toi da|xep loai|khong ap dung)\s*:\s*(.*)$",
    re.DOTALL,
)
# A row of the table that is not a criterion but the framework's bonus or penalty points
# ("Điểm thưởng (tối đa 2 điểm)"); the rows under it name what earns them.
_EXTRA = re.compile(r"^(?:cac\s+)?(?:tieu chi\s+|noi dung\s+)?diem (thuong|tru|cong)\b")


def _column_kind(title: str) -> str | None:
    t = " ".join(fold(title).split())
    if not t:
        return None
    if "diem toi da" in t or t in ("thang diem", "diem chuan"):
        return "max"
    if "quy tac minh chung" in t or "minh chung tu dong" in t or t == "evidence_rule":
        return "evidence_rule"
    if re.search(r"(hinh thuc|phuong phap|phuong thuc|cach) (danh gia|xac dinh diem)", t) or (
        "tham dinh" in t and "dieu tra" in t  # "Thẩm định / Điều tra XHH"
    ):
        return "assess"  # not "Điểm thẩm định", a column of results
    if "cach cham" in t or "phuong phap" in t:
        return "method"
    if "kiem chung" in t or "minh chung" in t:
        return "evidence"
    if "don vi" in t:
        return "unit"
    if t.rstrip(".") in _STT_TITLES:
        return "stt"
    if "linh vuc" in t or "tieu chi" in t or "noi dung" in t:
        return "name"
    return None


def _header_columns(titles: list[str]) -> dict[str, int] | None:
    """Column index by kind, when these titles make a header row (STT, name and maximum)."""
    columns: dict[str, int] = {}
    for index, title in enumerate(titles):
        kind = _column_kind(title)
        if kind and kind not in columns:
            columns[kind] = index
    return columns if {"stt", "name", "max"} <= columns.keys() else None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(nfc(str(value)).split())


def _find_header(grid: list[list]) -> tuple[int, int, dict[str, int]] | None:
    """(first header row index, rows it spans, columns); a header may span two rows
    ("Điểm" over "Tối đa")."""
    limit = min(len(grid), _HEADER_SCAN)
    for r in range(limit):
        columns = _header_columns([_cell_text(v) for v in grid[r]])
        if columns:
            return r, 1, columns
    for r in range(limit - 1):
        titles = [
            f"{_cell_text(a)} {_cell_text(b)}" for a, b in zip(grid[r], grid[r + 1], strict=True)
        ]
        columns = _header_columns(titles)
        if columns:
            return r, 2, columns
    return None


def _check_unzipped_size(path: str | PathLike) -> None:
    """An .xlsx is a zip of XML parts: refuse one that unzips to more than MAX_EXCEL_XML_BYTES
    (a few kilobytes can hold millions of cells) before openpyxl reads it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says what is wrong with it
    if unzipped > MAX_EXCEL_XML_BYTES:
        raise FrameworkError(
            path,
            [
                f"tệp Excel quá lớn khi giải nén ({_megabytes(unzipped)} MB, tối đa "
                f"{_megabytes(MAX_EXCEL_XML_BYTES)} MB): bộ tiêu chí chỉ cần một bảng vài trăm dòng"
            ],
        )


def _check_extent(ws, path) -> None:
    """The sheet's used range (its real cells, not the dimension it claims) within MAX_ROWS
    rows and MAX_COLUMNS columns: reading it as a grid fills every empty cell in between."""
    from openpyxl.utils import get_column_letter

    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        corner = f"{get_column_letter(ws.max_column)}{ws.max_row}"
        raise FrameworkError(
            path,
            [
                f"trang '{ws.title}' có dữ liệu tới ô {corner}, quá {MAX_ROWS} dòng hoặc "
                f"{MAX_COLUMNS} cột: xóa các ô thừa ngoài bảng tiêu chí rồi lưu lại"
            ],
        )


def _grid(ws) -> list[list]:
    """The sheet's values, with merged cells in the fill-down columns repeated on every row."""
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    return rows


def _fill_merged(ws, grid: list[list], columns: dict[str, int]) -> None:
    fill = {columns[k] for k in _FILL_DOWN if k in columns}
    for merged in ws.merged_cells.ranges:
        col = merged.min_col - 1
        if col not in fill:
            continue
        value = grid[merged.min_row - 1][col]
        for r in range(merged.min_row, merged.max_row + 1):
            grid[r - 1][col] = value


def _scoring_of(text: str) -> tuple[str, int | None] | None:
    """'có/không' → yesno, 'tỷ lệ %' → ratio, 'thang 4 mức' → scale 4, '' or 'điểm' → points."""
    t = fold(text)
    if not t or t in ("diem", "cham diem", "nhap diem", "points"):
        return "points", None
    if "khong" in t or t == "yesno":
        return "yesno", None
    if "ty le" in t or "%" in t or "phan tram" in t or t == "ratio":
        return "ratio", None
    if "thang" in t or "muc" in t or t.startswith("scale"):
        number = re.search(r"\d+", t)
        return ("scale", int(number.group())) if number else ("scale", None)
    return None


_SCORING_LABELS = {"points": "điểm", "yesno": "có/không", "ratio": "tỷ lệ"}


def _scoring_label(c: Criterion) -> str:
    if c.rule:
        return rule_text(c)
    if c.scoring == "scale":
        return f"thang {c.scale_levels} mức"
    return _SCORING_LABELS.get(c.scoring, c.scoring)


def _guess_level(text: str) -> str | None:
    t = fold(text)
    if re.search(r"\bso\s*,?\s*ban\s*,?\s*nganh\b|\bcac so\b|co quan chuyen mon", t):
        return "so"
    if re.search(r"\bcap xa\b|\bxa\s*,\s*phuong\b|\bubnd xa\b", t):
        return "xa"
    if re.search(r"\bcap huyen\b|\bhuyen\b|\bthi xa\b", t):
        return "huyen"
    if re.search(r"\bcap tinh\b", t):
        return "tinh"
    return None


def load_excel(
    path: str | PathLike,
    *,
    level: str | None = None,
    year: int | None = None,
    name: str | None = None,
) -> Framework:
    """Load and validate a framework from an .xlsx sheet as provinces circulate them.

    The header row is found by its titles wherever it is; extra columns are ignored. Name, year
    and level come from the lines above the table ("Cấp: huyện", "Năm: 2025", "Nguồn: …" as
    `to_excel` writes them, or words of the title); the keyword arguments override them.
    """
    import openpyxl  # only Excel import/export needs it

    if not Path(path).is_file():
        raise FrameworkError(path, ["không tìm thấy tệp"])
    _check_size(path)
    _check_unzipped_size(path)
    try:
        # not read_only: the merged cells of the fill-down columns are needed, and read-only
        # sheets do not have them; the size checks above bound what this loads
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML, key and value errors alike
        raise FrameworkError(
            path,
            [f"không đọc được tệp Excel .xlsx ({exc}); tệp .xls cũ hãy mở và lưu lại dạng .xlsx"],
        ) from exc
    for ws in workbook.worksheets:
        _check_extent(ws, path)
        grid = _grid(ws)
        header = _find_header(grid)
        if header:
            break
    else:
        sheets = ", ".join(ws.title for ws in workbook.worksheets)
        raise FrameworkError(
            path,
            [
                f"không tìm thấy dòng tiêu đề có các cột STT, Lĩnh vực/Tiêu chí, Điểm tối đa "
                f"(đã xem {_HEADER_SCAN} dòng đầu của trang: {sheets})"
            ],
        )
    start, span, columns = header
    _fill_merged(ws, grid, columns)
    problems: list[str] = []
    meta = _metadata(grid[:start])
    chosen_level = level or meta["level"]
    if chosen_level is None:
        problems.append(
            "không xác định được cấp của bộ tiêu chí (tỉnh, sở, huyện, xã): ghi dòng "
            "'Cấp: huyện' phía trên bảng, hoặc chọn cấp khi nhập"
        )
    extras: dict = {}
    framework = Framework(
        name=name or meta["name"] or Path(path).stem,
        year=year if year is not None else meta["year"],
        level=chosen_level or "",
        source=meta["source"],
        areas=_rows_to_areas(grid, start + span, columns, problems, extras),
    )
    _apply_extras(framework, [meta], extras)
    return _checked(framework, path, problems + meta["problems"])


def _apply_extras(framework: Framework, metas: list[dict], extras: dict) -> None:
    """Bonus and penalty caps (a table row wins over a line "Điểm thưởng tối đa: 2"), the
    classification bands and the "không áp dụng" rule, from what was read around the table."""
    for key in ("bonus_max", "penalty_max"):
        stated = [m[key] for m in metas if m[key] is not None]
        setattr(framework, key, extras.get(key, stated[0] if stated else None))
    for meta in metas:
        if meta["classes"] and not framework.classes:
            framework.classes = _as_classes(meta["classes"], framework.total())
        if meta["not_applicable"]:
            framework.not_applicable = meta["not_applicable"]


def _metadata(rows: list[list], strict: bool = True) -> dict:
    """Name, year, level, source, caps, bands and "không áp dụng" from the lines above a table.
    `strict`: a "Xếp loại:" line that names no thresholds is a problem (in a sheet); in a
    decision's prose it is passed over."""
    meta: dict = {
        "name": None, "year": None, "level": None, "source": None, "bonus_max": None,
        "penalty_max": None, "classes": [], "not_applicable": None, "problems": [],
    }  # fmt: skip
    titles = []
    for row in rows:
        for value in row:
            text = _cell_text(value)
            if not text:
                continue
            match = _META.match(fold(text))
            if not match:
                titles.append(text)
                continue
            value_text = text[match.start(2) :].strip()
            if match.group(1) == "cap":
                folded = fold(value_text)
                meta["level"] = folded if folded in LEVELS else _guess_level("cap " + folded)
            elif match.group(1) == "nam" and value_text.isdigit():
                meta["year"] = int(value_text)
            elif match.group(1) == "nguon":
                meta["source"] = value_text or None
            elif match.group(1).startswith("diem"):
                key = "bonus_max" if "thuong" in match.group(1) else "penalty_max"
                meta[key] = _number(value_text)
                if meta[key] is None:
                    meta["problems"].append(f"“{text}”: điểm tối đa không phải là số")
            elif match.group(1) == "xep loai":
                try:
                    meta["classes"] = _bands_in(value_text)
                except ValueError as exc:
                    if strict:
                        meta["problems"].append(f"“{text}”: {exc}")
            elif match.group(1) == "khong ap dung":
                chosen = [k for k, v in NOT_APPLICABLE.items() if fold(v) == fold(value_text)]
                meta["not_applicable"] = chosen[0] if chosen else value_text
    if titles:
        preferred = [t for t in titles if re.search(r"tieu chi|chi so", fold(t))]
        meta["name"] = (preferred or sorted(titles, key=len, reverse=True))[0]
        joined = " ".join(titles)
        meta["level"] = meta["level"] or _guess_level(joined)
        if meta["year"] is None and (found := re.search(r"\bnam (\d{4})\b", fold(joined))):
            meta["year"] = int(found.group(1))
    return meta


def _rows_to_areas(
    grid: list[list],
    first: int,
    columns: dict[str, int],
    problems: list[str],
    extras: dict | None = None,
) -> list[Criterion]:
    """The areas of the table from row `first`; bonus and penalty caps read from "Điểm thưởng"
    / "Điểm trừ" rows go into `extras` (bonus_max, penalty_max)."""

    def cell(row: list, kind: str):
        return row[columns[kind]] if kind in columns else None

    extras = {} if extras is None else extras
    section: tuple[str, Decimal | None] | None = None  # inside a bonus/penalty block
    after_total = False

    areas: list[Criterion] = []
    area: Criterion | None = None
    numbered: dict[str, Criterion] = {}  # printed arabic STT within the area → criterion
    last_numbered: Criterion | None = None
    letters: dict[int, set[str]] = {}  # id(parent) → letters used under it
    last: Criterion | None = None
    rule_lines: dict[int, tuple[Criterion, list[tuple[int, str]]]] = {}
    for index in range(first, len(grid)):
        row, line = grid[index], index + 1
        stt, text = _cell_text(cell(row, "stt")), _cell_text(cell(row, "name"))
        raw_max = cell(row, "max")
        if index == first and re.fullmatch(r"\(?\d+\)?", stt) and re.fullmatch(r"\(?\d+\)?", text):
            continue  # the column-numbering row under a header: (1) (2) (3)
        if not stt and not text and _cell_text(raw_max) == "":
            continue
        if fold(stt or text).rstrip(":. ") in _TOTALS and (not stt or not text):
            if areas and not after_total:
                _check_total(areas, raw_max, line, problems)
                after_total = True  # notes follow; only bonus/penalty rows are still read
            continue
        # "I. Công tác chỉ đạo…" in one cell: merged across STT and name, or STT left blank
        split = None
        if stt and not text:
            split = _STT_AND_NAME.match(stt)
        elif text and not stt:
            split = _STT_AND_NAME.match(text)
        if split and len(split.group(1)) <= 6:
            stt, text = split.group(1), split.group(2)
        stt = stt.rstrip(".)").strip()
        extra = _EXTRA.match(fold(text))
        if extra:
            key = "penalty_max" if extra.group(1) == "tru" else "bonus_max"
            cap = _number(raw_max) if _cell_text(raw_max) else _cap_in(text)
            if cap is None:
                problems.append(f"dòng {line}: “{text}” không ghi số điểm tối đa")
            elif key in extras:
                what = "điểm trừ" if key == "penalty_max" else "điểm thưởng"
                problems.append(f"dòng {line}: {what} tối đa đã ghi ở một dòng phía trên")
            else:
                extras[key] = abs(cap)
            section, last = (key, abs(cap) if cap is not None else None), None
            continue
        if section is not None:
            if not _is_roman(stt):
                # what earns (or loses) the points: each within the cap, not a criterion
                worth = _number(raw_max) if _cell_text(raw_max) else None
                if _cell_text(raw_max) and worth is None:
                    problems.append(f"dòng {line}: điểm '{_cell_text(raw_max)}' không phải là số")
                elif worth is not None and section[1] is not None and abs(worth) > section[1]:
                    what = "điểm trừ" if section[0] == "penalty_max" else "điểm thưởng"
                    problems.append(
                        f"dòng {line}: {_show(abs(worth))} điểm vượt mức tối đa "
                        f"{_show(section[1])} của {what}"
                    )
                continue
            section = None
        if after_total:
            continue
        if not stt and text[:1] in "-+•–" and _cell_text(raw_max) and last is not None:
            # "- Ban hành đúng hạn: 1 điểm" under a sub-criterion: a level of its rule
            label = re.sub(
                r"\s*[:(]?\s*[\d.,]+\s*(điểm|đ)?\)?\.?$", "", text.lstrip("-+•– ")
            ).strip()
            rule_lines.setdefault(id(last), (last, []))[1].append(
                (line, f"{label}: {_cell_text(raw_max)}")
            )
            continue
        if not stt:
            if _cell_text(raw_max):
                problems.append(f"dòng {line}: có điểm nhưng thiếu STT")
            continue  # a line of guidance or continuation text under a criterion
        max_points = None
        if _cell_text(raw_max):
            max_points = _number(raw_max)
            if max_points is None:
                problems.append(
                    f"dòng {line}: điểm tối đa '{_cell_text(raw_max)}' không phải là số"
                )
        method_text = _cell_text(cell(row, "method"))
        how, rule = "appraisal", []
        assessed = _assessment_of(_cell_text(cell(row, "assess")))
        if assessed is False:
            problems.append(
                f"dòng {line}: phương pháp đánh giá '{_cell_text(cell(row, 'assess'))}' không rõ "
                "(thẩm định hoặc điều tra xã hội học)"
            )
        if "dieu tra" in fold(method_text) or (assessed == "survey" and not method_text):
            how, method = "survey", ("ratio", None)
        elif ":" in method_text and re.search(r"\d", method_text):
            try:
                kind, rule = parse_rule(method_text)
                method = (kind, None)
            except ValueError as exc:
                problems.append(f"dòng {line}: cách chấm: {exc}")
                method = ("points", None)
        else:
            method = _scoring_of(method_text)
        if method is None:
            problems.append(f"dòng {line}: cách chấm '{method_text}' không rõ")
            method = ("points", None)
        c = Criterion(
            code="",
            name=text,
            max_points=max_points,
            scoring=method[0],
            scale_levels=method[1],
            unit=_cell_text(cell(row, "unit")) or None,
            evidence=_cell_text(cell(row, "evidence")) or None,
            row=line,
            rule=rule,
            method=assessed or how,
            evidence_rule=_evidence_rule_of(_cell_text(cell(row, "evidence_rule"))),
        )
        last = c
        parent: Criterion | None = None
        if _is_roman(stt):
            c.code = stt
            area, numbered, last_numbered = c, {}, None
            areas.append(c)
            continue
        if area is None:
            problems.append(f"dòng {line}: tiêu chí {stt} nằm trước lĩnh vực đầu tiên (I, II…)")
            continue
        if re.fullmatch(r"\d+(\.\d+)*", stt):
            parts = [str(int(p)) for p in stt.split(".")]
            parent = area if len(parts) == 1 else numbered.get(".".join(parts[:-1]))
            if parent is None:
                problems.append(
                    f"dòng {line}: STT {stt} không nằm dưới tiêu chí {'.'.join(parts[:-1])}"
                )
                continue
            c.code = f"{parent.code}.{parts[-1]}"
            numbered[".".join(parts)] = c
            last_numbered = c
        elif re.fullmatch(r"[a-zđ]", stt):
            parent = last_numbered
            if parent is None:
                problems.append(f"dòng {line}: tiêu chí {stt} không nằm dưới tiêu chí nào (1, 2…)")
                continue
            used = letters.setdefault(id(parent), set())
            if stt in used:
                problems.append(f"dòng {line}: STT {stt} lặp lại trong tiêu chí {parent.code}")
            used.add(stt)
            c.code = f"{parent.code}.{len(parent.children) + 1}"
        else:
            problems.append(
                f"dòng {line}: STT '{stt}' không rõ cấp (lĩnh vực I, II…; tiêu chí 1, 2…; "
                f"tiêu chí thành phần 1.1, a, b…)"
            )
            continue
        parent.children.append(c)
    for c, lines in rule_lines.values():
        where = f"dòng {lines[0][0]}"
        if c.children:
            problems.append(f"{where}: mức chấm nằm dưới tiêu chí {c.code} có tiêu chí con")
            continue
        try:
            kind, c.rule = parse_rule("; ".join(text for _, text in lines))
        except ValueError as exc:
            problems.append(f"{where} ({c.code}): cách chấm: {exc}")
            continue
        c.scoring = kind
    return areas


def _assessment_of(text: str) -> str | bool | None:
    """'thẩm định' → appraisal, 'điều tra xã hội học' (ĐTXHH) → survey, '' → None, else False."""
    t = fold(text).replace(".", "").strip()
    if not t:
        return None
    if "dieu tra" in t or t in ("dtxhh", "xhh", "survey"):
        return "survey"
    if "tham dinh" in t or t in ("appraisal", "hoi dong"):
        return "appraisal"
    return False


def _evidence_rule_of(text: str) -> str | None:
    """A rule's name as written ("plan_on_time"), or the name whose description is written;
    an unknown name is kept for `validate` to report with its row."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text)  # a narrow column wraps "plan_on_ time" in a PDF
    for key, described in EVIDENCE_RULES.items():
        if compact.lower() == key or fold(text) == fold(described):
            return key
    return compact if re.fullmatch(r"\w+", compact) else text


def _cap_in(text: str) -> Decimal | None:
    """The points a bonus/penalty row names: "Điểm thưởng (tối đa 2 điểm)" → 2."""
    found = re.search(r"(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\b", text, re.I)
    return _number(found.group(1)) if found else None


_BAND = re.compile(
    r"^[-+•\s]*(?:loại\s+|mức\s+)?(?P<name>[^:;0-9]{2,40}?)\s*[:–]\s*(?P<rest>.*\d.*)$", re.I
)
_FROM = re.compile(
    r"(?:từ|trên|đạt|≥|>=?)\s*(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>%|điểm\b|đ\b)?", re.I
)
_BELOW = re.compile(r"(?:dưới|<)\s*(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>%|điểm\b|đ\b)?", re.I)


def _bands_in(text: str) -> list[tuple[str, Decimal, str]]:
    """Classification bands as a decision writes them: "Xuất sắc: từ 90 điểm trở lên; Tốt: từ
    80 đến dưới 90 điểm; …; Yếu: dưới 50 điểm" → [(name, minimum, "%" | "điểm")]. ValueError
    naming a part that names no threshold."""
    out = []
    for part in re.split(r"[;\n]", nfc(text)):
        part = part.strip(" .,")
        if not part:
            continue
        found = _BAND.match(part)
        if not found:
            raise ValueError(f"không đọc được mức xếp loại “{part}” (cần dạng “Tốt: từ 80 điểm”)")
        name, rest = found.group("name").strip(), found.group("rest")
        if not re.search(r"%|\bđiểm\b", rest, re.I) or len(name.split()) > 5:
            raise ValueError(f"mức xếp loại “{part}” không nêu ngưỡng theo điểm hoặc %")
        low, below = _FROM.search(rest), _BELOW.search(rest)
        if low and not (below and below.start() < low.start()):
            minimum, unit = _number(low.group("n")), low.group("unit") or ""
        elif below:  # the lowest band: "dưới 50 điểm"
            minimum, unit = Decimal(0), below.group("unit") or ""
        else:
            raise ValueError(f"mức xếp loại “{part}” không nêu ngưỡng (từ … điểm/%)")
        unit = unit or ("%" if "%" in rest else "điểm")
        out.append((name[:1].upper() + name[1:], minimum, "%" if unit == "%" else "điểm"))
    return out


def _classes_in_lines(lines: list[str]) -> list[tuple[str, Decimal, str]]:
    """The bands a decision's text states on a line naming "xếp loại" ("Xếp loại: Xuất sắc: từ
    90 điểm; …") or one a line right under it, up to the first other line. A "xếp loại" in a
    sentence with no bands under it within two lines is passed over."""
    found: list[tuple[str, Decimal, str]] = []
    waiting = 0  # lines still allowed before the first band, after a "xếp loại"
    for line in lines:
        if not found and "xep loai" in fold(line):
            waiting = 3
            line = line.split(":", 1)[1] if ":" in line else ""
        if not waiting:
            continue
        try:
            bands = _bands_in(line) if re.search(r"\d", line) else []
        except ValueError:
            bands = []
        if bands:
            found.extend(bands)
        elif found:
            break
        else:
            waiting -= 1
    return found


def _as_classes(raw: list[tuple[str, Decimal, str]], total: Decimal | None) -> list[Band]:
    """Bands as percents of the index: a threshold in points is taken on the framework's total."""
    out = []
    for name, minimum, unit in raw:
        if unit == "điểm" and total and total != 100:
            minimum = _tidy(minimum * 100 / total)
        out.append(Band(name, minimum))
    return out


def _check_total(areas: list[Criterion], raw, line: int, problems: list[str]) -> None:
    printed = _number(raw) if _cell_text(raw) else None
    points = [a.max_points for a in areas]
    if printed is None or any(p is None for p in points):
        return
    total = sum(points, Decimal(0))
    if printed != total:
        problems.append(
            f"dòng {line}: dòng tổng cộng ghi {_show(printed)} nhưng tổng điểm các lĩnh vực "
            f"là {_show(total)}"
        )


def to_excel(framework: Framework, path: str | PathLike) -> None:
    """Write `framework` as a sheet `load_excel` reads back to an equal framework."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from cchc.reports.drafts import keep_as_text

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Bộ tiêu chí"

    def put(row: int, column: int, value):
        """Text typed as '=HYPERLINK(…)' in a criterion or the framework's name stays text."""
        return keep_as_text(ws.cell(row, column, value))

    put(1, 1, framework.name).font = Font(bold=True, size=13)
    put(2, 1, f"Cấp: {LEVELS.get(framework.level, framework.level)}")
    if framework.year is not None:
        put(3, 1, f"Năm: {framework.year}")
    if framework.source:
        put(4, 1, f"Nguồn: {framework.source}")
    lines = []
    if framework.bonus_max is not None:
        lines.append(f"Điểm thưởng tối đa: {_show(framework.bonus_max)}")
    if framework.penalty_max is not None:
        lines.append(f"Điểm trừ tối đa: {_show(framework.penalty_max)}")
    if framework.classes:
        bands = sorted(framework.classes, key=lambda b: -b.minimum)
        lines.append("Xếp loại: " + "; ".join(f"{b.name}: từ {_show(b.minimum)}%" for b in bands))
    if framework.not_applicable != "rescale":
        lines.append(f"Không áp dụng: {NOT_APPLICABLE[framework.not_applicable]}")
    for offset, line in enumerate(lines):
        put(5 + offset, 1, line)
    header = 6 + len(lines)
    titles = [
        "STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Cách chấm", "Đơn vị chịu trách nhiệm",
        "Tài liệu kiểm chứng", "Phương pháp đánh giá", "Quy tắc minh chứng (cchc)",
    ]  # fmt: skip
    widths = (8, 70, 12, 30, 30, 45, 20, 22)
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), 1):
        cell = ws.cell(header, col, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = width
    use_codes = _codes_follow_numbering(framework)
    row = header
    for c, depth, positional in _numbered(framework):
        row += 1
        stt = _printed_stt(c, depth) if use_codes else positional
        values = [
            stt, c.name, _excel_number(c.max_points), _scoring_label(c), c.unit, c.evidence,
            METHODS[c.method] if not c.children else None, c.evidence_rule,
        ]  # fmt: skip
        for col, value in enumerate(values, 1):
            cell = put(row, col, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if depth == 0:
                cell.font = Font(bold=True)
    row += 1
    ws.cell(row, 2, "Tổng cộng").font = Font(bold=True)
    ws.cell(row, 3, _excel_number(framework.total())).font = Font(bold=True)
    workbook.save(path)


def _numbered(framework: Framework) -> Iterator[tuple[Criterion, int, str]]:
    """(criterion, depth, positional STT): I; 1; 1.1; 1.1.1 — for codes that do not follow it."""

    def visit(c: Criterion, depth: int, stt: str):
        yield c, depth, stt
        for i, child in enumerate(c.children, 1):
            yield from visit(child, depth + 1, str(i) if depth == 0 else f"{stt}.{i}")

    for i, area in enumerate(framework.areas, 1):
        yield from visit(area, 0, _roman(i))


def _codes_follow_numbering(framework: Framework) -> bool:
    """True when codes are I / I.1 / I.1.2…, so the printed STT can carry them through Excel."""
    for c, _, parent in framework.walk():
        if parent is None:
            if not _is_roman(c.code):
                return False
        elif not re.fullmatch(re.escape(parent.code) + r"\.[1-9]\d*", c.code):
            return False
    return True


def _printed_stt(c: Criterion, depth: int) -> str:
    return c.code if depth == 0 else ".".join(c.code.split(".")[1:])


def _excel_number(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


# ---------------------------------------------------------------- Quyết định (.docx, .pdf)


def load_decision(
    path: str | PathLike,
    *,
    level: str | None = None,
    year: int | None = None,
    name: str | None = None,
) -> Framework:
    """A framework from the Quyết định that issues it: the appendix table (STT, nội dung, điểm
    tối đa, cách chấm, tài liệu kiểm chứng, phương pháp đánh giá, quy tắc minh chứng), read with
    cchc's own readers (.docx; a PDF with a text layer through its ruled table), with the bonus
    and penalty rows and the classification bands the text states, checked like a sheet, errors
    naming the table row. A scan is refused with what to import instead."""
    path = Path(path)
    _check_size(path)
    before, grid, after = _read_decision(path)
    if not grid:
        raise FrameworkError(
            path, ["không thấy bảng tiêu chí (STT, nội dung, điểm tối đa) trong văn bản"]
        )
    header = _find_header(grid)
    if header is None:
        raise FrameworkError(
            path, ["bảng trong văn bản không có các cột STT, Nội dung/Tiêu chí, Điểm tối đa"]
        )
    start, span, columns = header
    problems: list[str] = []
    meta = _metadata([[line] for line in before], strict=False)
    chosen_level = level or meta["level"]
    if chosen_level is None:
        problems.append("không xác định được cấp của bộ tiêu chí (sở, xã…): chọn cấp khi nhập")
    framework = Framework(
        name=name or meta["name"] or path.stem,
        year=year if year is not None else meta["year"],
        level=chosen_level or "",
        source=meta["source"] or _decision_number(before),
        areas=[],
    )
    extras: dict = {}
    framework.areas = _rows_to_areas(grid, start + span, columns, problems, extras)
    meta_after = _metadata([[line] for line in after], strict=False)
    _apply_extras(framework, [meta, meta_after], extras)
    if not framework.classes:
        bands = _classes_in_lines(before + after)
        framework.classes = _as_classes(bands, framework.total())
    problems += meta["problems"] + meta_after["problems"]
    problems = [_table_row(p) for p in problems + validate(framework)]
    if problems:
        raise FrameworkError(path, problems)
    return framework


def _read_decision(path: Path) -> tuple[list[str], list[list[str]], list[str]]:
    """(lines before the criteria table, the table as a grid, lines after it) of a .docx or of a
    PDF with a text layer, chosen by the file's first bytes; a scan is refused with the fix."""
    from cchc import errors, readers
    from cchc.par import pdftable

    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FrameworkError(path, [f"không đọc được tệp: {exc.strerror or exc}"]) from exc
    try:
        if head.startswith(b"%PDF"):
            readers.read_pdf(path, ocr=False)  # opens it, refuses scans, damaged or locked PDFs
            table = pdftable.ruled_table(path)
            if table.scanned and not (table.grid and _find_header(table.grid)):
                pages = ", ".join(map(str, table.scanned[:10]))
                raise FrameworkError(
                    path,
                    [
                        f"không thấy bảng tiêu chí có lớp chữ; trang {pages} của PDF là ảnh quét: "
                        "bảng tiêu chí không đọc được đủ tin cậy từ ảnh — hãy nhập bản .docx "
                        "hoặc PDF in từ Word của Quyết định, hoặc bảng Excel"
                    ],
                )
            if not table.grid:
                raise FrameworkError(
                    path,
                    [
                        "không thấy bảng tiêu chí có kẻ ô (STT, nội dung, điểm tối đa) trong PDF; "
                        "nếu có bản Word (.docx) của Quyết định hoặc bảng Excel, hãy nhập bản đó"
                    ],
                )
            return table.before, table.grid, table.after
        if head.startswith(b"PK\x03\x04"):
            return _decision_table(readers.read_docx(path).text)
    except errors.NeedsOcr as exc:
        raise FrameworkError(
            path,
            [
                "PDF là bản quét (ảnh), không có lớp chữ: bảng tiêu chí không đọc được đủ tin cậy "
                "từ ảnh — hãy nhập bản .docx hoặc PDF in từ Word của Quyết định, hoặc bảng Excel"
            ],
        ) from exc
    except FrameworkError:
        raise
    except errors.CchcError as exc:
        raise FrameworkError(path, [exc.detail or exc.problem]) from exc
    except Exception as exc:  # pdfium raises its own errors on a PDF it opened but cannot walk
        raise FrameworkError(path, [f"không đọc được bảng trong PDF: {exc}"]) from exc
    raise FrameworkError(
        path, ["Quyết định phải là tệp Word .docx hoặc PDF (tệp .doc cũ hãy lưu lại dạng .docx)"]
    )


def _table_row(problem: str) -> str:
    """A sheet's "dòng 7" is the table's row 7 in a decision."""
    return re.sub(r"^dòng (\d+)", r"dòng \1 của bảng", problem)


def _decision_number(lines: list[str]) -> str | None:
    """ "Quyết định số 99/QĐ-UBND" from the decision's "Số: 99/QĐ-UBND" line."""
    for line in lines:
        found = re.search(r"\bSố\s*:?\s*(\d+[\w/.-]*/QĐ-[\w.-]+)", line, re.I)
        if found:
            return f"Quyết định số {found.group(1)}"
    return None


def _decision_table(text: str) -> tuple[list[str], list[list[str]], list[str]]:
    """The lines before the criteria table and the table as a grid, from `read_docx` text
    (each row "|", cell, "|", cell, … "|"). The table is the first one with a header row."""
    lines = text.split("\n")
    before: list[str] = []
    tables: list[tuple[list[str], list[list[str]]]] = []
    i, n = 0, len(lines)
    while i < n:
        if lines[i].strip() != "|":
            before.append(lines[i].strip())
            i += 1
            continue
        grid: list[list[str]] = []
        width = None
        while i < n and lines[i].strip() == "|":
            i += 1  # the row's opening bar
            row: list[str] = []
            cell: list[str] = []
            while i < n:
                if lines[i].strip() == "|":
                    row.append(" ".join(x.strip() for x in cell if x.strip()))
                    cell = []
                    i += 1
                    if i < n and lines[i].strip() == "|":
                        break  # the next row opens
                    if width is not None and len(row) >= width:
                        break  # the table ends
                    if i >= n:
                        break
                    continue
                cell.append(lines[i])
                i += 1
            grid.append(row)
            if width is None:
                width = len(row)
            if not (i < n and lines[i].strip() == "|"):
                break
        tables.append((list(before), grid))
    for prefix, grid in tables:
        if _find_header(grid):
            width = max(len(r) for r in grid)
            after = before[len(prefix) :]  # the paragraphs after this table
            return prefix, [r + [""] * (width - len(r)) for r in grid], after
    return before, [], []
