"""edXML packages read per second on one core: the envelope alone (`edxml.read_package`: XML,
checks, base64 of the attachments) and the whole `cchc.parse_file` (the main attachment read,
parsed, its tasks extracted), over the test fixture and packages built from the samples.

    .venv/bin/python bench/edxml.py [--seconds 5] [--web 60]

`--web N` also ingests N packages (each a new document, with a second attachment) through the
web's one ingest path (`ingest_file`: the parse, each attachment stored as an original, tasks,
search entry, số đến, the 03 status message to the outbox) into a fresh demo deployment in a
temporary folder, then as many revoke messages, each marking its document revoked.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import cchc
from cchc import edxml

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "edxml" / "cong-van-1287.edxml"
SAMPLES = ROOT / "src" / "cchc" / "samples"


def build_packages(folder: Path) -> list[Path]:
    """The fixture and one package per sample document (the sample attached as its text)."""
    packages = [FIXTURE]
    for sample in sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.md")):
        doc = cchc.parse_file(sample, tasks=False)
        if not (doc.number or doc.symbol):
            continue
        data = edxml.build_package(
            doc, edxml.Organ("000.00.31.H99"), [edxml.Organ("000.15.31.H99")], [sample]
        )
        packages.append(edxml.write_atomically(folder / f"{sample.stem}.edxml", data))
    return packages


def large_package(folder: Path) -> Path:
    """A package whose second attachment is 5 MB (a scan's size): base64 and XML at scale."""
    sample = SAMPLES / "cong-van-tang-cuong-cchc.txt"
    blob = folder / "ban-quet.bin"
    blob.write_bytes(os.urandom(5 * 1024 * 1024))
    doc = cchc.parse_file(sample, tasks=False)
    data = edxml.build_package(doc, edxml.Organ("000.00.31.H99"), [], [sample, blob])
    return edxml.write_atomically(folder / "lon.edxml", data)


def rate(work, packages: list[Path], seconds: float) -> tuple[float, int]:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for path in packages:
            work(path)
        done += len(packages)
    return done / (time.perf_counter() - started), done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measure")
    parser.add_argument("--web", type=int, default=0, help="packages through the web ingest")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as folder:
        packages = build_packages(Path(folder))
        size = sum(p.stat().st_size for p in packages) / len(packages)
        print(f"{len(packages)} packages, {size / 1024:.1f} KB on average, one core")
        envelope, n1 = rate(edxml.read_package, packages, args.seconds)
        print(f"envelope only (read_package): {envelope:,.0f} packages/s ({n1} read)")
        whole, n2 = rate(cchc.parse_file, packages, args.seconds)
        print(f"whole parse (parse_file, tasks): {whole:,.1f} packages/s ({n2} read)")
        big = large_package(Path(folder))
        heavy, n3 = rate(edxml.read_package, [big], args.seconds)
        print(f"envelope with a 5 MB attachment: {heavy:,.1f} packages/s ({n3} read)")
        if args.web:
            web_ingest(Path(folder), args.web)
    return 0


def web_ingest(folder: Path, count: int) -> None:
    """Packages and their revoke messages through the web ingest, one core, SQLite."""
    sys.path.insert(0, str(ROOT))
    from tests.edxml_packages import OURS, package_bytes

    os.environ["CCHC_DATA_DIR"] = str(folder / "data")
    os.environ["CCHC_EDXML_OUTBOX"] = str(folder / "outbox")
    os.environ.pop("DATABASE_URL", None)
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.accounts.models import Unit
    from cchc.web.demo import create_deployment
    from cchc.web.documents.ingest import ingest_file
    from cchc.web.documents.models import Document, StatusMessage

    create_deployment()
    Unit.objects.filter(parent=None).update(organ_id=OURS)
    annex = os.urandom(200 * 1024)
    paths = {}
    for kind, business in (("goi", 0), ("thu-hoi", 1)):
        paths[kind] = []
        for n in range(count):
            path = folder / f"{kind}-{n}.edxml"
            number, document_id = str(2000 + n), f"000.15.31.H99,2026/11/05,{2000 + n}/SXD-VP"
            path.write_bytes(
                package_bytes(
                    business,
                    [("phu-luc.bin", annex + n.to_bytes(4, "big"))],
                    document_id=document_id,
                    code_number=number,
                )
            )
            paths[kind].append(path)
    for kind, label in (("goi", "new packages"), ("thu-hoi", "revoke messages")):
        started = time.perf_counter()
        for path in paths[kind]:
            job = ingest_file(path)
            assert job.document_id, job.message
        took = time.perf_counter() - started
        print(
            f"web ingest, {label} (200 KB second attachment): {count / took:,.1f} packages/s "
            f"({took / count * 1000:,.0f} ms each)"
        )
    revoked = Document.objects.filter(exchange_state="thu-hoi").count()
    print(
        f"{revoked} documents revoked, {StatusMessage.objects.count()} status messages "
        f"written to {folder / 'outbox'}"
    )


if __name__ == "__main__":
    sys.exit(main())
