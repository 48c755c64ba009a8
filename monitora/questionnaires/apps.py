from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "monitora.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionari"
