from django.core.management.base import BaseCommand

from monitora.questionnaires import models
from monitora.questionnaires.services import questionnaire_sync_all


class Command(BaseCommand):
    help = "Upsert every questionnaire definition into the database (idempotent)."

    def handle(self, *args, **options):
        questionnaire_sync_all(models=models)
        self.stdout.write(f"{models.Questionnaire.objects.count()} questionari sincronizzati")
