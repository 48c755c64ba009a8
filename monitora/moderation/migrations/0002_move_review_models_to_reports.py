"""The review models now belong to reports (reports/0002): drop them from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0001_initial'),
        ('reports', '0003_review_models_and_withdrawn'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='AdministrationResponse'),
                migrations.DeleteModel(name='ReviewComment'),
                migrations.DeleteModel(name='ReportRevision'),
            ],
        ),
    ]
