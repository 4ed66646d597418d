"""The workflow's pages at 100,000 documents (issue 15), each p95 against 150 ms: the queue of
documents waiting for direction, the register of incoming documents, "Việc của tôi", the drafts
of outgoing documents, the register of outgoing documents and the register of the handling of
incoming ones (and, without a target, a month of each register exported).

    .venv/bin/python bench/flow.py [--data bench-data/flow] [--docs 100000] [--rounds 10]

The pages read register fields, tasks and drafts, never a document's text, so the set is written
directly (bulk inserts of rows as the ingest, the direction and the drafts leave them), not
parsed (bench/web.py and bench/scale.py measure the ingest): 80 % incoming documents over six
years with their số đến; 2 % of them wait for direction and 1 % were sent on to a unit's head,
each with three proposals; a third of the rest have one to three confirmed tasks with the unit's
person named (some done, some late); 20 % outgoing documents, each issued from a draft with its
number and ký hiệu and answering one of those. Built once in `--data`, reused afterwards. Each
page is timed as the person who uses it opens it.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_MS = 150.0
YEARS = range(2021, 2027)


def handling(rng: random.Random) -> str:
    """Where an incoming document of the set stands in the flow."""
    roll = rng.random()
    if roll < 0.02:
        return "cho-chi-dao"
    if roll < 0.03:
        return "chuyen-don-vi"
    return "da-phan-cong" if roll < 0.6 else "de-biet"


def build(total: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from cchc.web.accounts.models import Profile, Unit
    from cchc.web.documents.models import Document, Register
    from cchc.web.outgoing.models import Draft
    from cchc.web.work.models import Task

    have = Document.objects.count()
    if have >= total:
        return
    rng = random.Random(15)
    units = list(Unit.objects.filter(kind="phong"))
    town = Unit.objects.get(kind="huyen")
    people = {  # who of each unit is named on its confirmed tasks
        p.unit_id: p.user for p in Profile.objects.select_related("user").filter(role="officer")
    }
    noivu = get_user_model().objects.get(username="noivu")
    incoming, outgoing = Register.default("den"), Register.default("di")
    numbers: dict[tuple[str, int], int] = {}
    began = time.perf_counter()
    for start in range(have, total, 5000):
        with transaction.atomic():
            docs = []
            for i in range(start, min(total, start + 5000)):
                year = YEARS[i * len(YEARS) // total]
                day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
                out = i % 5 == 4
                key = ("di" if out else "den", year)
                step = "" if out else handling(rng)
                numbers[key] = numbers.get(key, 0) + 1
                doc = Document(
                    sha256=f"{i:064x}",
                    original=f"originals/{i}.txt",
                    original_name=f"van-ban-{i}.txt",
                    content_type="text/plain",
                    size=1000,
                    direction=key[0],
                    register=outgoing if out else incoming,
                    incoming_number=None if out else numbers[key],
                    received_date=None if out else day,
                    handling=step,
                    unit=units[i % len(units)] if step == "chuyen-don-vi" else None,
                    type="Công văn",
                    number=f"{numbers[key]}/UBND-NV" if out else f"{numbers[key]}/SNV-CCHC",
                    issuer=town.name if out else "Sở Nội vụ tỉnh Bình Long",
                    date=day,
                    subject=f"V/v văn bản số {i} về cải cách hành chính",
                    text="",
                )
                doc.derive()
                docs.append(doc)
            Document.objects.bulk_create(docs)
            tasks, drafts = [], []
            for doc in docs:
                if doc.direction == "di":
                    drafts.append(
                        Draft(
                            subject=doc.subject,
                            type="Công văn",
                            unit=units[doc.pk % len(units)],
                            author=noivu,
                            state=Draft.State.ISSUED,
                            signer_name="Nguyễn Văn Bình",
                            recipients="Sở Nội vụ tỉnh Bình Long\nLưu: VT, NV",
                            register=outgoing,
                            year=doc.date.year,
                            number=int(doc.number.split("/")[0]),
                            notation=doc.number,
                            issued_document=doc,
                            issued_date=doc.date,
                            copies=2,
                        )
                    )
                elif doc.handling in ("cho-chi-dao", "chuyen-don-vi"):  # proposals wait
                    for k in range(3):
                        unit = units[(doc.pk + k) % len(units)]
                        tasks.append(
                            Task(
                                document=doc,
                                unit=unit,
                                action=f"Đề xuất {k + 1} của văn bản {doc.number}",
                                deadline=doc.received_date + timedelta(days=15),
                                state="proposed",
                                confidence=round(rng.uniform(0.4, 1.0), 2),
                                source_start=0,
                                source_end=0,
                            )
                        )
                elif doc.pk % 3 == 0:
                    for k in range(1 + doc.pk % 3):
                        deadline = doc.received_date + timedelta(days=10 + k * 5)
                        done = (doc.pk + k) % 2 == 0
                        late = rng.randrange(-5, 6) if done else 0
                        finished = timezone.make_aware(
                            datetime.combine(deadline + timedelta(days=late), datetime.min.time())
                        )
                        unit = units[(doc.pk + k) % len(units)]
                        tasks.append(
                            Task(
                                document=doc,
                                unit=unit,
                                assignee=people.get(unit.pk),
                                action=f"Thực hiện nội dung {k + 1} của văn bản {doc.number}",
                                deadline=deadline,
                                state="confirmed",
                                status="done" if done else "todo",
                                completed_at=finished if done else None,
                            )
                        )
            Task.objects.bulk_create(tasks)
            Draft.objects.bulk_create(drafts)
            # every outgoing document answers an incoming one of the batch that gave work
            worked = [doc for doc in docs if doc.direction == "den" and doc.pk % 3 == 0]
            Draft.answers.through.objects.bulk_create(
                Draft.answers.through(draft_id=draft.pk, document_id=worked[n % len(worked)].pk)
                for n, draft in enumerate(drafts)
            )
        done_now = min(total, start + 5000)
        print(f"  {done_now} documents ({time.perf_counter() - began:.0f} s)", flush=True)


def time_pages(rounds: int) -> bool:
    from django.test import Client

    from cchc.web.documents.models import Register

    clients: dict[str, Client] = {}
    year = max(YEARS)
    secret, _ = Register.objects.get_or_create(name="Sổ văn bản đi mật", direction="di")
    month = f"tu=01/03/{year}&den=31/03/{year}"
    urls = {  # (who opens it, address)
        "chờ chỉ đạo": [
            ("lanhdao", "/van-ban/cho-chi-dao/"),
            ("lanhdao", "/van-ban/cho-chi-dao/?page=20"),
            ("truongnv", "/van-ban/cho-chi-dao/"),
        ],
        "sổ văn bản đến": [
            ("vanthu", "/van-ban/den/"),
            ("vanthu", f"/van-ban/den/?{month}"),
            ("vanthu", "/van-ban/den/?page=500"),
            ("vanthu", f"/van-ban/den/?tu=01/01/2021&den=31/12/{year}&page=1500"),
        ],
        "việc của tôi": [
            ("noivu", "/viec-cua-toi/"),
            ("truongnv", "/viec-cua-toi/"),
            ("lanhdao", "/viec-cua-toi/"),
        ],
        "dự thảo": [
            ("lanhdao", "/van-ban-di/"),
            ("lanhdao", "/van-ban-di/?tinh-trang=da-phat-hanh&page=100"),
        ],
        "sổ văn bản đi": [
            ("vanthu", "/so/van-ban-di/"),
            ("vanthu", f"/so/van-ban-di/?{month}"),
            ("vanthu", f"/so/van-ban-di/?tu=01/01/{year}&den=31/12/{year}&page=60"),
            ("vanthu", f"/so/van-ban-di/?tu=01/01/2021&den=31/12/{year}&page=300"),
            ("vanthu", f"/so/van-ban-di/?so={secret.pk}"),
        ],
        "sổ theo dõi giải quyết": [
            ("lanhdao", "/so/giai-quyet-van-ban-den/"),
            ("lanhdao", f"/so/giai-quyet-van-ban-den/?{month}"),
            ("lanhdao", f"/so/giai-quyet-van-ban-den/?tu=01/01/{year}&den=31/12/{year}&page=40"),
            ("lanhdao", f"/so/giai-quyet-van-ban-den/?tu=01/01/2021&den=31/12/{year}&page=200"),
        ],
        "xuất một tháng": [
            ("lanhdao", f"/so/van-ban-di/?{month}&dinh-dang=xlsx"),
            ("lanhdao", f"/so/giai-quyet-van-ban-den/?{month}&dinh-dang=xlsx"),
            ("lanhdao", f"/so/van-ban-di/?{month}&dinh-dang=docx"),
        ],
    }
    ok = True
    for group, group_urls in urls.items():
        times = []
        for user, url in group_urls:
            if user not in clients:
                clients[user] = Client()
                if not clients[user].login(username=user, password="anphu2026"):
                    raise SystemExit(f"cannot log in as {user}")
            client = clients[user]
            client.get(url)  # warm
            mine = []
            for _ in range(rounds):
                began = time.perf_counter()
                answer = client.get(url)
                mine.append((time.perf_counter() - began) * 1000)
                if answer.status_code != 200:
                    raise SystemExit(f"{url} as {user}: HTTP {answer.status_code}")
            times += mine
            print(
                f"    {max(mine):7.1f} ms worst  {statistics.median(mine):7.1f} median"
                f"  {user} {url}"
            )
        ordered = sorted(times)
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        pages = group != "xuất một tháng"
        verdict = ("ok" if p95 <= TARGET_MS else "TOO SLOW") if pages else "(no target)"
        ok &= p95 <= TARGET_MS or not pages
        print(f"  {group}: p95 {p95:.1f} ms over {len(times)} requests {verdict}", flush=True)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parent / "bench-data" / "flow")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
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
        f"{Document.objects.count()} documents, {Task.work.count()} confirmed tasks, "
        f"{Task.objects.filter(state='proposed').count()} proposals; "
        f"target p95 ≤ {TARGET_MS:.0f} ms:",
        flush=True,
    )
    return 0 if time_pages(args.rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
