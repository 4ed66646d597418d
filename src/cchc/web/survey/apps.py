from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "cchc.web.survey"
    label = "survey"
    verbose_name = "Điều tra xã hội học"
