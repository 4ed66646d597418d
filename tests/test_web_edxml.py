"""edXML packages through the web ingest (upload, CLI, watched folder): the package is accepted,
its header gives the fields and the machine JSON keeps its `edxml` section."""

from __future__ import annotations

from pathlib import Path

from cchc.web.documents.ingest import accept_upload, ingest_file, run_job
from cchc.web.documents.models import IngestJob

PACKAGE = Path(__file__).parent / "fixtures" / "edxml" / "cong-van-1287.edxml"


def test_an_ingested_package_keeps_its_fields_and_its_edxml_section(deployment):
    job = ingest_file(PACKAGE)
    assert job.status == IngestJob.Status.DONE, job.message
    doc = job.document
    assert (doc.number, doc.issuer) == ("1287/SXD-VP", "Sở Xây dựng tỉnh Bình Long")
    assert doc.date.isoformat() == "2026-11-05"
    assert doc.machine["quality"]["source"] == "edxml"
    assert doc.machine["edxml"]["sender"]["organ_id"] == "000.15.31.H99"


def test_an_uploaded_package_is_not_refused_as_markup(deployment):
    job = accept_upload(iter([PACKAGE.read_bytes()]), "goi-tin.edxml")
    job = run_job(job)
    assert job.status == IngestJob.Status.DONE, job.message
    assert job.document.number == "1287/SXD-VP"
