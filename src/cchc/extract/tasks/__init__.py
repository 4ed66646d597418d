"""Tasks: who must do what by when, read from the body of a directive document.

The body is cut into paragraphs at list markers (`1.`, `a)`, `-`, `+`, `Điều 2.`); a paragraph
that names a unit and ends with `:` is a heading whose duties follow it. Each sentence finds its
lead unit after a trigger (`Giao X`, `Đề nghị X`), at its start (`Sở Tài chính chủ trì …`) or in
its heading, then its support units (`phối hợp với …`), where results go (`báo cáo UBND …`), its
deadline, recurrence and kind. Report calendars (`Báo cáo Quý 1/2021: … chốt số liệu từ ngày …`)
become report tasks with their data window and due date.

One module per extractor: `sentences` (duties written as sentences), `blocks` (labelled
`Nhiệm vụ: … / Đơn vị chủ trì: …` blocks), `tables` (task tables), `calendars` (report
calendars); `body` walks the body and calls them; `model` holds the `Task` and the rules'
confidence; `rescore` lowers that confidence with a model learned from the gold set's tune
documents (`data/task_model.json`, rebuilt by `tools/train_tasks_model.py`).
"""

from cchc.extract.tasks.body import extract_tasks
from cchc.extract.tasks.calendars import report_calendar
from cchc.extract.tasks.model import Task, words
from cchc.extract.tasks.sentences import paragraphs
from cchc.extract.tasks.tables import table_tasks

__all__ = ["Task", "extract_tasks", "paragraphs", "report_calendar", "table_tasks", "words"]
