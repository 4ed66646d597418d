from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cchc.web.documents"
    label = "documents"
    verbose_name = "Văn bản"
