"""Rebuild the lexicon of proper names shipped in `src/cchc/data/names.json`.

    .venv/bin/python tools/build_names.py [--corpus ../shared/corpus] \
        [--divisions nested-divisions.json]

The repair of garbled OCR reads personal and place names from this lexicon, not from the general
n-gram model (`Pham Thuy Luan` → Phạm Thụy Luân, `huyén Pirc Co` → huyện Đức Cơ). It holds:
- `family`, `middle`, `given`: how often each marked syllable is seen in that position of a
  personal name, keyed by its folded form. Personal names are the signers of
  `../shared/corpus/metadata.tsv` and the names after `ông`/`bà`/`đồng chí` in the corpus text.
  Places count too (weight 0.5 against 3 for persons): their syllables are the same Sino-Vietnamese
  stock, a place's last syllable counting as a given name and the others as middle names;
  family names come from persons and the common ones listed below (weighted by how common
  they are). So do the runs of two to four capitalised words inside a sentence of the corpus
  (after a lowercase word or a comma; not one a lowercase word continues unless it starts
  with a family name: `Bộ Tư pháp` made `Tú` read `Tư`), weight 1: their last word as a given
  name, their middle words as middle names when the run starts with a family name (a person
  named in the text; the middle words of all runs, names of bodies such as `Trung ương Đảng
  Cộng sản`, made `Hoàng Đăng Quang` read `Hoàng Đảng Quang`).
- `symbols`: the parts of ký hiệu (`QĐ`, `UBND`, `SNV`, `CCHC` …) seen at least twice in the
  numbers of the corpus (metadata and text), with their counts, the type codes of Nghị định 30
  (`data/doc_types.yaml`) and the abbreviations of the unit registry (`data/units.yaml`): the
  number channel's lexicon.
- `places`: place names (without their `huyện`, `xã` …) by level: `province`, `district`,
  `commune`. From the division lists of the `vietnam-provinces` package (the 63 provinces and
  their districts and communes before the 2025 reform: the names documents of 2020–2025 print)
  when `--divisions` points at its `nested-divisions.json`
  (`pip download --no-deps vietnam-provinces==0.6.0`, unzip, `vietnam_provinces/data/`), and
  from the corpus: capitalised names after `tỉnh`, `huyện`, `xã` … and before `, ngày`, seen
  at least twice.
Documents of the benchmark's test split (`bench/repair_split.json`) are left out, so the
benchmark's signer and place figures are on names the lexicon may never have seen.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cchc.text import canonical, fold, nfc  # noqa: E402

OUT = ROOT / "src" / "cchc" / "data" / "names.json"
SPLIT = ROOT / "bench" / "repair_split.json"
# The common Vietnamese family names (they cover ~95% of the population).
_FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh "
    "Trương Lâm Phùng Mai Tô Hà Tạ Lưu Lương Thái Châu Cao Quách Đinh Chu Kiều Hứa Tăng Triệu "
    "Văn Khổng Đàm Lục Tống Nông Mạc Hầu Thân Giáp Từ Doãn Ông La Lò Lã Diệp Khúc Viên Mạnh"
)
FAMILY = _FAMILY.split()
# How common the most common ones are (share of the population, %, rounded; the rest of the
# list counts 0.5): a prior, so that an OCR `Ng` reads the common `Ngô`, not the rare `Ông`.
FAMILY_SHARE = {
    "Nguyễn": 38,
    "Trần": 12,
    "Lê": 9.5,
    "Phạm": 7,
    "Hoàng": 3,
    "Huỳnh": 2,
    "Phan": 4.5,
    "Vũ": 2,
    "Võ": 2,
    "Đặng": 2,
    "Bùi": 2,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1,
}
PERSON_WEIGHT = 3
# A place counts less than a person: thousands of communes would outweigh the persons seen
# (`Hoằng` of Thanh Hóa's communes over `Hoàng`); chosen on the tune split (0.5 and 1 tried).
PLACE_WEIGHT = 0.5
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LOWER = _UPPER.lower()
_CAP = f"[{_UPPER}][{_LOWER}]+"
_CAP_RUN = rf"{_CAP}(?: {_CAP}){{0,3}}"
_PERSON = re.compile(rf"\b(?:[Ôô]ng|[Bb]à|[Đđ]ồng chí) ({_CAP}(?: {_CAP}){{1,3}})")
_PLACE_KIND = {
    "tỉnh": "province",
    "thành phố": "district",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
}
_PLACE = re.compile(rf"\b({'|'.join(sorted(_PLACE_KIND, key=len, reverse=True))}) ({_CAP_RUN})")
_DATE_PLACE = re.compile(rf"^\s*\*?({_CAP_RUN}), ngày\b", re.MULTILINE)
_PROPER_RUN = re.compile(rf"(?<=[{_LOWER},] )({_CAP}(?: {_CAP}){{1,3}})")
_GOES_ON = re.compile(rf" [{_LOWER}]")
_NUMBER = re.compile(r"\b\d{1,5}/(?:\d{4}/)?([A-ZĐ][\wĐđ&.]*(?:[-/][\wĐđ&.]+)*)")
_DIVISION_PREFIX = re.compile(r"^(?:Thành phố|Tỉnh|Quận|Huyện|Thị xã|Phường|Xã|Thị trấn) ")
# Capitalised words after a place word that are not part of its name.
_NOT_NAME = {"Ủy", "Uỷ", "Hội", "Sở", "Phòng", "Ban", "Về", "Và", "Theo", "Trong", "Nhân", "Quy"}


def _clean_place(name: str) -> str | None:
    name = _DIVISION_PREFIX.sub("", name)
    words = []
    for word in name.split():
        if word in _NOT_NAME:
            break
        words.append(word)
    if not words or any(not w[:1].isalpha() for w in words):
        return None
    return canonical(" ".join(words))


def _divisions(province: dict):
    yield "province", province["name"]
    for district in province["districts"]:
        yield "district", district["name"]
        for ward in district["wards"]:
            yield "commune", ward["name"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--divisions", type=Path, help="vietnam-provinces nested-divisions.json")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--leave-out-tune",
        action="store_true",
        help="leave the tune documents out too (to measure on tune names never seen)",
    )
    args = parser.parse_args()
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    test = set(split["test"]) | (set(split["tune"]) if args.leave_out_tune else set())

    persons: Counter = Counter()
    proper: Counter = Counter()
    symbols: Counter = Counter()
    places: dict[str, Counter] = defaultdict(Counter)
    with (args.corpus / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["filename"] in test:
                continue
            for m in _NUMBER.finditer(row["number"]):
                symbols.update(re.split(r"[-/]", m.group(1)))
            if row["signer"].strip():
                persons[canonical(nfc(row["signer"].strip()))] += 1
    for path in sorted((args.corpus / "docs").glob("*.md")):
        if path.name in test:
            continue
        text = nfc(path.read_text(encoding="utf-8"))
        for m in _PERSON.finditer(text):
            if m.group(1).split()[0] in FAMILY:
                persons[canonical(m.group(1))] += 1
        for m in _NUMBER.finditer(text):
            symbols.update(part.rstrip(".") for part in re.split(r"[-/]", m.group(1)))
        for m in _PROPER_RUN.finditer(text):
            run = m.group(1)
            if run.split()[0] not in FAMILY and _GOES_ON.match(text, m.end()):
                continue  # the head of a body's name: `Bộ Tư` of `Bộ Tư pháp`, not a name
            proper[canonical(run)] += 1
        for m in _PLACE.finditer(text):
            place = _clean_place(m.group(2))
            if place:
                places[_PLACE_KIND[m.group(1)]][place] += 1
        for m in _DATE_PLACE.finditer(text):
            place = _clean_place(m.group(1))
            if place and len(place.split()) <= 4:
                places["district"][place] += 1
    if args.divisions:
        for province in json.loads(args.divisions.read_text(encoding="utf-8")):
            for kind, name in _divisions(province):
                place = _clean_place(name)
                if place:
                    places[kind][place] += 2  # sure: always kept

    positions: dict[str, dict[str, Counter]] = {
        "family": defaultdict(Counter),
        "middle": defaultdict(Counter),
        "given": defaultdict(Counter),
    }

    def count(position: str, syllable: str, n: float) -> None:
        positions[position][fold(syllable).lower()][syllable] += n

    for family in FAMILY:
        count("family", canonical(family), FAMILY_SHARE.get(family, 0.5))
    for name, n in persons.items():
        words = name.split()
        if len(words) < 2:
            continue
        count("family", words[0], n * PERSON_WEIGHT)
        for word in words[1:-1]:
            count("middle", word, n * PERSON_WEIGHT)
        count("given", words[-1], n * PERSON_WEIGHT)
    for counter in places.values():
        for place in counter:
            words = place.split()
            if len(words) < 2 or any(not w[:1].isupper() for w in words):
                continue
            for word in words[:-1]:
                count("middle", word, PLACE_WEIGHT)
            count("given", words[-1], PLACE_WEIGHT)
    for run, n in proper.items():
        words = run.split()
        count("given", words[-1], n)
        if words[0] in FAMILY:  # a person named in the text
            for word in words[1:-1]:
                count("middle", word, n)
    data = {
        position: {
            key: {form: round(n, 1) for form, n in forms.most_common()}
            for key, forms in sorted(table.items())
        }
        for position, table in positions.items()
    }
    data["places"] = {
        # A name of the corpus seen once may be a capitalised word after it (`Bình Phước Bổ`).
        kind: sorted(p for p, n in counter.items() if n >= 2 and 1 <= len(p.split()) <= 4)
        for kind, counter in sorted(places.items())
    }
    codes = re.findall(r"code: (\S+?)\}", (ROOT / "src/cchc/data/doc_types.yaml").read_text())
    # With their counts: `QD`, a typing slip, is rarer than `QĐ`.
    kept = {
        p: n for p, n in symbols.items() if n >= 2 and re.fullmatch(r"[A-ZĐ][A-Za-z0-9Đđ&]*", p)
    }
    units = (ROOT / "src/cchc/data/units.yaml").read_text(encoding="utf-8")
    abbreviations = re.findall(r"^  ([A-ZĐ][A-Za-zĐđ&]*):", units, re.MULTILINE)
    for code in (*codes, *abbreviations):
        kept[code] = kept.get(code, 0) + 100
    data["symbols"] = dict(sorted(kept.items()))
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    sizes = ", ".join(f"{kind} {len(v)}" for kind, v in data["places"].items())
    print(f"wrote {args.out}: {len(persons)} personal names; places: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
