from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "cchc.web.work"
    label = "work"
    verbose_name = "Công việc"
