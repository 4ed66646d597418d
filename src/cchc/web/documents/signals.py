"""What the documents app tells the apps built on it (work, search…), so that it never
imports them: they connect to these signals in their `AppConfig.ready`."""

from __future__ import annotations

from django.dispatch import Signal

# A parsed document was stored, inside the storing transaction. Arguments: `document` (the
# row), `parsed` (the core's `cchc.Document`). Receivers add what they derive from it (the
# work app: tasks) and may return a list of warnings, which the ingest job reports.
document_ingested = Signal()

# A user corrected fields of a stored document. Arguments: `document`, `fields` (the names
# changed), `old_date` (the date before the correction).
document_corrected = Signal()
