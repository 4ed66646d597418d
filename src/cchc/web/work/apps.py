from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "cchc.web.work"
    label = "work"
    verbose_name = "Công việc"

    def ready(self) -> None:
        from cchc.web.documents.signals import document_corrected, document_ingested
        from cchc.web.work import assign

        document_ingested.connect(assign.tasks_of_ingested, dispatch_uid="work.tasks")
        document_corrected.connect(assign.redate_tasks, dispatch_uid="work.redate")
