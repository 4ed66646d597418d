from django.apps import AppConfig


class OutgoingConfig(AppConfig):
    name = "cchc.web.outgoing"
    label = "outgoing"
    verbose_name = "Văn bản đi"
