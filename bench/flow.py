"""The workflow pages at 100,000 documents (issue 15): the direction queue, the registers and
"Việc của tôi", each p95 against 150 ms:

    .venv/bin/python bench/flow.py [--data bench-data/flow] [--docs 100000] [--rounds 5]

What is measured is reading: each page as its user opens it, through Django's test client on a
SQLite database of `--docs` documents. The database is built once in `--data` (a later run
reuses it) by copying the demo's parsed sample documents as rows, with bulk inserts rather than
the parser: bench/web.py and bench/scale.py measure the ingest; here only the size and the mix of
the tables matter. Of the incoming documents, 2% wait for direction, 1% are sent on to a unit;
one document in five has three tasks (proposed, confirmed or discarded), confirmed tasks are
spread over the units and the demo's people, and a tenth of them are done (some late). Outgoing
documents are one in four.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from web import percentile, summary, verdict  # noqa: E402  (bench/web.py: one way to report)

REPO = HERE.parent
PAGE_TARGET_MS = 150.0
BATCH = 2000


def build(target: int) -> None:
    """Add documents (and their tasks) until the registry holds `target`."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from cchc.web.accounts.models import Unit
    from cchc.web.demo import ingest_samples
    from cchc.web.documents.models import Document, Register
    from cchc.web.work.models import Task

    if not Document.objects.exists():
        ingest_samples()
    have = Document.objects.count()
    if have >= target:
        return
    templates = list(Document.objects.order_by("id")[:5])
    units = list(Unit.objects.exclude(kind=Unit.Kind.DISTRICT))
    people = {
        u.profile.unit_id: u
        for u in get_user_model().objects.select_related("profile").exclude(profile=None)
        if u.profile.unit_id
    }
    registers = {d: Register.default(d) for d in ("den", "di")}
    random = Random(have)
    began, today = time.perf_counter(), timezone.localdate()
    while have < target:
        rows = []
        for i in range(have, min(target, have + BATCH)):
            source = templates[i % len(templates)]
            direction = "di" if i % 4 == 3 else "den"
            received = today - timedelta(days=(i * 37) % 1460)
            doc = Document(
                **{
                    f.attname: getattr(source, f.attname)
                    for f in Document._meta.concrete_fields
                    if f.attname not in ("id", "created_at")
                }
            )
            doc.sha256 = f"bench-{i:012d}".ljust(64, "0")
            doc.number = f"{i % 9999 + 1}/{source.number.partition('/')[2] or 'UBND-VP'}"
            doc.date = received - timedelta(days=3)
            doc.direction, doc.register = direction, registers[direction]
            doc.received_date = received if direction == "den" else None
            doc.incoming_number = i + 1 if direction == "den" else None
            doc.handling = ""
            if direction == "den":
                roll = random.random()
                doc.handling = (
                    Document.Handling.WAITING
                    if roll < 0.02
                    else Document.Handling.FORWARDED
                    if roll < 0.03
                    else Document.Handling.DIRECTED
                    if roll < 0.5
                    else Document.Handling.INFORMATION
                )
                if doc.handling == Document.Handling.FORWARDED:
                    doc.unit = random.choice(units)
            doc.derive()
            rows.append(doc)
        with transaction.atomic():
            Document.objects.bulk_create(rows, batch_size=500)
            tasks = []
            for doc in rows[::5]:
                for k in range(3):
                    unit = random.choice(units)
                    deadline = (doc.received_date or doc.date) + timedelta(days=15 + 10 * k)
                    state = random.choice(
                        (Task.State.CONFIRMED, Task.State.CONFIRMED, Task.State.PROPOSED)
                        if doc.handling != Document.Handling.WAITING
                        else (Task.State.PROPOSED,)
                    )
                    done = state == Task.State.CONFIRMED and random.random() < 0.1
                    tasks.append(
                        Task(
                            document=doc,
                            unit=unit,
                            lead_text=unit.name,
                            action=f"Nhiệm vụ {k + 1} của văn bản {doc.number}",
                            deadline=deadline,
                            state=state,
                            confidence=round(random.uniform(0.4, 1.0), 2),
                            assignee=people.get(unit.pk) if state == Task.State.CONFIRMED else None,
                            status=Task.Status.DONE if done else Task.Status.TODO,
                            completed_at=timezone.make_aware(
                                timezone.datetime.combine(
                                    deadline + timedelta(days=random.choice((-2, 0, 3))),
                                    timezone.datetime.min.time(),
                                )
                            )
                            if done
                            else None,
                        )
                    )
            Task.objects.bulk_create(tasks, batch_size=500)
        have += len(rows)
        print(f"  {have} documents ({time.perf_counter() - began:.0f} s)", flush=True)


def time_pages(urls: dict[str, list[tuple[str, str]]], rounds: int) -> dict[str, list[float]]:
    """Each (user, url) of each kind, warmed once, then timed `rounds` times."""
    from django.test import Client

    clients: dict[str, Client] = {}
    times: dict[str, list[float]] = {kind: [] for kind in urls}
    for group in urls.values():
        for user, url in group:
            if user not in clients:
                clients[user] = Client()
                if not clients[user].login(username=user, password="anphu2026"):
                    raise SystemExit(f"cannot log in as {user}")
            response = clients[user].get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {user}: HTTP {response.status_code}")
    for _ in range(rounds):
        for kind, group in urls.items():
            for user, url in group:
                began = time.perf_counter()
                clients[user].get(url)
                times[kind].append((time.perf_counter() - began) * 1000)
    return times


def pages() -> dict[str, list[tuple[str, str]]]:
    """The pages the issue names, as their users open them (first, middle and last pages)."""
    from django.urls import reverse

    from cchc.web.documents.models import Document

    incoming = Document.objects.filter(direction="den").count()
    last = max(1, incoming // 50)
    return {
        "direction queue": [
            ("lanhdao", reverse("direction-queue")),
            ("truongnv", reverse("direction-queue")),
        ],
        "incoming register": [
            ("vanthu", reverse("incoming-register")),
            ("vanthu", f"{reverse('incoming-register')}?trang={last // 2}"),
            ("vanthu", f"{reverse('incoming-register')}?tu-ngay=01/01/2025&den-ngay=31/03/2025"),
        ],
        "outgoing register": [
            ("vanthu", reverse("outgoing-register")),
            ("vanthu", f"{reverse('outgoing-register')}?tu-ngay=01/01/2025&den-ngay=31/12/2025"),
        ],
        "tracking register": [
            ("lanhdao", reverse("tracking-register")),
            ("lanhdao", f"{reverse('tracking-register')}?tu-ngay=01/01/2025&den-ngay=31/03/2025"),
        ],
        "my work": [("noivu", reverse("my-work")), ("truongnv", reverse("my-work"))],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "bench-data" / "flow")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each page")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    args.data = args.data.resolve()
    args.data.mkdir(parents=True, exist_ok=True)
    os.environ["CCHC_DATA_DIR"] = str(args.data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CCHC_DEBUG", None)
    os.environ["CCHC_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.demo import create_deployment
    from cchc.web.documents.models import Document
    from cchc.web.work.models import Task

    create_deployment()
    build(args.docs)
    print(
        f"{Document.objects.count()} documents, {Task.objects.count()} tasks "
        f"({Task.work.count()} confirmed)",
        flush=True,
    )
    if args.build_only:
        return 0
    for kind, values in time_pages(pages(), args.rounds).items():
        p95 = percentile(values, 95)
        print(
            f"{kind}: {summary(values)}; target p95 ≤ {PAGE_TARGET_MS:.0f} ms: "
            f"{verdict(p95 <= PAGE_TARGET_MS)}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
