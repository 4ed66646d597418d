"""Parse time of texts shaped to be slow (issue 14): the figures behind tests/test_parse_budget.py,
which asserts behaviour only.

    .venv/bin/python bench/parse_budget.py

Before the fix, 8,000 `Căn cứ` lines took 6.6 s (every clause tested against every reference)
and a 17 MB file of them 88 s; the budget is 10 s (cchc.parse.PARSE_BUDGET_S).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from cchc import parse_file
from cchc.parse import PARSE_BUDGET_S, parse_text


def bases(count: int) -> str:
    return "".join(
        f"Căn cứ Nghị định số {i}/2020/NĐ-CP ngày 1/1/2020 của Chính phủ;\n" for i in range(count)
    )


def timed(label: str, run) -> None:
    started = time.perf_counter()
    doc = run()
    took = time.perf_counter() - started
    cut = [w for w in doc.warnings if "quá" in w]
    print(f"{label:42} {took:6.2f} s  {len(doc.bases):6} căn cứ  {'; '.join(cut)[:60]}")


def main() -> int:
    print(f"budget {PARSE_BUDGET_S:g} s")
    timed("8,000 Căn cứ lines (parse_text)", lambda: parse_text(bases(8000)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "17mb.txt"
        text = bases(8000)
        path.write_text(text * (17 * 1024 * 1024 // len(text.encode()) + 1), encoding="utf-8")
        label = f"{path.stat().st_size / 1e6:.0f} MB file of them (parse_file)"
        timed(label, lambda: parse_file(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
