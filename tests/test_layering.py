"""The shape issue 14 §1 gave the web layer stays: views and the API call services, apps import
only from their own layer or lower ones (work builds on documents, not the reverse), no two
modules of different packages import each other, and the ingest runs through one executor.

Measured with tools/imports_graph.py, which reads every import, including those inside
functions."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _graph():
    spec = importlib.util.spec_from_file_location("imports_graph", ROOT / "tools/imports_graph.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["imports_graph"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module, module.analyse(SRC)


def test_no_import_runs_against_the_apps_order():
    _, graph = _graph()
    assert graph.against == []  # e.g. documents/ingest.py importing work.assign inside a function


def test_no_module_imports_another_ones_views_as_a_service():
    _, graph = _graph()
    assert graph.view_imports == []  # api.py took apply_corrections, add_evidence from views


def test_no_two_modules_of_different_packages_import_each_other():
    tool, graph = _graph()
    across = [(a, b) for a, b in graph.mutual() if tool.package_of(a) != tool.package_of(b)]
    web = [(a, b) for a, b in across if a.startswith("cchc.web") or b.startswith("cchc.web")]
    assert web == []  # documents.queue <-> web.worker did


def test_no_two_modules_of_the_web_layer_import_each_other():
    _, graph = _graph()
    web = [
        (a, b) for a, b in graph.mutual() if a.startswith("cchc.web") and b.startswith("cchc.web")
    ]
    assert web == []  # documents.exchange <-> documents.ingest did (store_file inside a function)


def test_every_web_app_is_placed_in_the_order():
    tool, _ = _graph()
    apps = {p.name for p in (SRC / "cchc/web").iterdir() if (p / "apps.py").is_file()}
    assert apps <= set(tool.WEB_ORDER), apps - set(tool.WEB_ORDER)


def _modules(path: Path) -> set[str]:
    """`from a.b import c` as a.b.c and a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_the_api_and_the_upload_page_share_one_upload_path():
    api = _modules(SRC / "cchc/web/api.py")
    views = _modules(SRC / "cchc/web/documents/views.py")
    assert not any(".views." in name for name in api)
    assert "cchc.web.documents.services" in api and "cchc.web.documents.services" in views
    for relative in ("cchc/web/api.py", "cchc/web/documents/views.py"):
        source = (SRC / relative).read_text(encoding="utf-8")
        assert "services.receive_uploads(" in source, relative
        assert "store_file(" not in source and "IngestJob.objects.create" not in source


def test_the_thread_celery_and_the_folder_ingest_call_one_executor():
    # the thread and Celery both go through queue.process -> ingest.run_job, which is
    # next(run_jobs([job])); the folder ingest gives run_jobs its process pool's map
    assert "return next(run_jobs(" in (SRC / "cchc/web/documents/ingest.py").read_text("utf-8")
    assert "run_job(" in (SRC / "cchc/web/documents/queue.py").read_text(encoding="utf-8")
    assert "run_jobs(jobs, parse_map=" in (SRC / "cchc/web/documents/watch.py").read_text("utf-8")
    assert (SRC / "cchc/web/documents/tasks.py").is_file()  # the Celery task lives with documents
    worker = (SRC / "cchc/web/worker.py").read_text(encoding="utf-8")
    assert "cchc.web.documents.queue" not in worker
