"""The users of the load benchmark (bench/load.py starts it; it can also be run by hand):

    .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 2 --run-time 5m \
        --host http://127.0.0.1:8000

Each user logs in as one of the demo accounts (in turn), then, 1–3 s apart, reads the dashboard,
the registry (filters, sorts, pages), a document, searches (with and without diacritics, a
document number), the tasks board, a task, the calendar, and updates tasks it may change (a
status change or a progress note, posted with the CSRF token as the task page's form does).
Pages are found the way a person finds them: document and task links are read from the pages.

Every request is recorded (name, milliseconds, error) to the file named by CCHC_LOAD_RECORDS, one
tab-separated line each, for bench/load.py's exact percentiles. A response outside 2xx/3xx, a
redirect to the log-in page (a lost session), an update refused, or an exception is an error.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

PASSWORD = "anphu2026"
# leader, officers of three units, a viewer, the administrator
ACCOUNTS = itertools.cycle(["lanhdao", "noivu", "vanphong", "anlac", "xem", "quantri"])
SEARCHES = [
    "cai cach hanh chinh",
    "cải cách hành chính",
    "kế hoạch",
    "ke hoach",
    "thu tuc hanh chinh",
    '"thủ tục hành chính"',
    "chuyen doi so",
    "dịch vụ công trực tuyến",
    "mot cua lien thong",
    "ủy ban nhân dân",
    "bao cao dinh ky",
    "Nghị định 30/2020/NĐ-CP",
]
REGISTRY_FILTERS = [
    "",
    "?sort=date",
    "?sort=number",
    "?sort=-received",
    "?direction=den",
    "?type=Công+văn",
    "?type=Kế+hoạch",
    "?type=Quyết+định&sort=date",
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOCUMENT_LINK = re.compile(r'<td class="nowrap"><a href="/van-ban/(\d+)/">([^<]+)</a>')
TASK_LINK = re.compile(r'href="/cong-viec/(\d+)/"')
COUNT = re.compile(r"([\d.,]+) văn bản</p>")

_records = None


@events.test_start.add_listener
def _open_records(environment, **_kwargs):
    global _records
    if path := os.environ.get("CCHC_LOAD_RECORDS"):
        _records = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed at test stop)


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs):
    if _records is not None:
        _records.write(f"{name}\t{response_time:.2f}\t{'' if exception is None else exception}\n")


@events.test_stop.add_listener
def _close_records(environment, **_kwargs):
    global _records
    if _records is not None:
        _records.close()
        _records = None


class Clerk(FastHttpUser):  # geventhttpclient: the least CPU taken from the server
    wait_time = between(1, 3)

    def on_start(self):
        self.username = next(ACCOUNTS)
        self.documents: list[tuple[str, str]] = []  # (id, number) seen on registry pages
        self.task_ids: list[str] = []  # ids seen on the board
        self.registry_pages = 1
        page = self.get("/dang-nhap/", "login page")
        self.post(
            "/dang-nhap/",
            "log in",
            {
                "csrfmiddlewaretoken": _csrf(page),
                "username": self.username,
                "password": PASSWORD,
                "next": "/",
            },
            expect="/",
        )

    # -------------------------------------------------------------- helpers

    def get(self, url: str, name: str, params: dict | None = None) -> str:
        """GET one page, not following redirects; an error unless it answers 200."""
        if params:
            url += "?" + urlencode(params)
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location')}")
            return response.text or ""

    def post(self, url: str, name: str, data: dict, expect: str) -> None:
        """POST a form; an error unless it redirects to `expect` (Django's answer to a form
        accepted; a refused log-in or update answers otherwise)."""
        with self.client.post(
            url,
            data=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location != expect:
                response.failure(f"HTTP {response.status_code} {location}")

    # -------------------------------------------------------------- what people do

    @task(2)
    def dashboard(self):
        self.get("/", "dashboard")

    @task(4)
    def registry(self):
        query = random.choice(REGISTRY_FILTERS)
        if random.random() < 0.5 and self.registry_pages > 1:
            page = random.randint(2, min(self.registry_pages, 40))
            query += ("&" if query else "?") + f"page={page}"
        html = self.get("/van-ban/" + query, "registry")
        if query == "" and (count := COUNT.search(html)):
            self.registry_pages = max(1, int(re.sub(r"\D", "", count[1])) // 25)
        if found := DOCUMENT_LINK.findall(html):
            self.documents = (found + self.documents)[:200]

    @task(3)
    def document(self):
        if not self.documents:
            return self.registry()
        pk, _number = random.choice(self.documents)
        self.get(f"/van-ban/{pk}/", "document")

    @task(3)
    def search(self):
        self.get("/tim-kiem/", "search", params={"q": random.choice(SEARCHES)})

    @task(1)
    def search_number(self):
        numbers = [n for _pk, n in self.documents if "/" in n]
        if not numbers:
            return self.registry()
        self.get("/tim-kiem/", "search", params={"q": random.choice(numbers)})

    @task(3)
    def board(self):
        html = self.get("/cong-viec/", "board")
        if found := TASK_LINK.findall(html):
            self.task_ids = found

    @task(3)
    def update_task(self):
        """Open a task from the board; change its status or note progress if allowed."""
        if not self.task_ids:
            return self.board()
        pk = random.choice(self.task_ids)
        page = self.get(f"/cong-viec/{pk}/", "task")
        if "/cap-nhat/" not in page:  # a viewer, or another unit's task: read only
            return
        status = re.search(r'<option value="(\w+)" selected>', page)
        current = status[1] if status else "todo"
        data = {"csrfmiddlewaretoken": _csrf(page), "note": "Đã triển khai, đang tổng hợp."}
        data["status"] = random.choice(
            [s for s in ("todo", "doing", "done") if s != current] + [current] * 2
        )
        self.post(f"/cong-viec/{pk}/cap-nhat/", "task update", data, f"/cong-viec/{pk}/")
        self.get(f"/cong-viec/{pk}/", "task")  # the browser follows the redirect

    @task(1)
    def calendar(self):
        self.get("/lich/", "calendar")


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found[1] if found else ""
