"""Signed PDFs validated per second on one core (pyHanko, offline, the root configured).

    .venv/bin/python bench/signatures.py [--files 60] [--rounds 3]

Signs `--files` copies of the test công văn with a throw-away CA made here (tests/signed_pdfs.py):
a third with one signature and an RFC 3161 timestamp, a third with the person's and the
organisation's signatures, a third with one signature tampered after signing. Prints the
validation speed (`cchc.signatures.read_signatures`, files/s and signatures/s) and the speed of the
whole `cchc.parse_file` on the same files (text, fields, tasks and signatures), best of `--rounds`.
The process is pinned to one CPU.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.signed_pdfs import issue, make_root, plain_pdf, sign, write_roots  # noqa: E402

from cchc import parse_file  # noqa: E402
from cchc.signatures import load_trust_roots, read_signatures  # noqa: E402


def make_files(folder: Path, count: int) -> tuple[list[Path], Path]:
    root = make_root()
    person = issue(root, "Nguyễn Văn A", "UBND tỉnh Bình Long")
    organisation = issue(root, "UBND tỉnh Bình Long", "UBND tỉnh Bình Long")
    tsa = issue(root, "Dịch vụ cấp dấu thời gian", "Tổ chức thử", timestamping=True)
    pdf = plain_pdf(folder)
    kinds = [
        sign(pdf, person, root, tsa=tsa),
        sign(sign(pdf, person, root, field="CaNhan"), organisation, root, field="ToChuc"),
    ]
    tampered = bytearray(sign(pdf, person, root))
    at = tampered.index(b"/Producer (") + len(b"/Producer (")
    tampered[at] = ord("X")
    kinds.append(bytes(tampered))
    paths = []
    for n in range(count):
        path = folder / f"ky-so-{n}.pdf"
        path.write_bytes(kinds[n % len(kinds)])
        paths.append(path)
    return paths, write_roots(folder / "roots", root)


def best_of(rounds: int, run) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        paths, roots_folder = make_files(Path(tmp), args.files)
        os.environ["CCHC_TRUST_ROOTS"] = str(roots_folder)
        roots = load_trust_roots(roots_folder)
        signatures = sum(len(read_signatures(p, roots)[0]) for p in paths)  # warm-up
        validate_s = best_of(args.rounds, lambda: [read_signatures(p, roots) for p in paths])
        parse_s = best_of(args.rounds, lambda: [parse_file(p, ocr=False) for p in paths])
    n = len(paths)
    kinds = "1/3 timestamped, 1/3 two signatures, 1/3 tampered"
    print(f"files: {n} signed PDFs, {signatures} signatures ({kinds})")
    print(
        f"validation: {n / validate_s:.1f} PDFs/s, {signatures / validate_s:.1f} signatures/s "
        f"on one core ({validate_s * 1000 / n:.1f} ms per PDF)"
    )
    print(
        f"parse_file with signatures: {n / parse_s:.1f} PDFs/s on one core "
        f"({parse_s * 1000 / n:.1f} ms per PDF)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
