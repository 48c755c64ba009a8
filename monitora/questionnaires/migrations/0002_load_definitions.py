"""Load the questionnaire definitions. Re-run the sync (a new migration) when they change."""

from types import SimpleNamespace

from django.db import migrations


def load(apps, schema_editor):
    from monitora.questionnaires.services import questionnaire_sync_all

    models = SimpleNamespace(
        Questionnaire=apps.get_model("questionnaires", "Questionnaire"),
        Question=apps.get_model("questionnaires", "Question"),
        Option=apps.get_model("questionnaires", "Option"),
    )
    questionnaire_sync_all(models=models)


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
