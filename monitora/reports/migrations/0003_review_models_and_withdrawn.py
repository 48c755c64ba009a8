"""Review data (comments, revisions, official responses) moves from moderation to reports.

State only: the tables keep their names (`moderation_*`), no row moves. Content types and audit
entries are relabelled so admin permissions and history follow the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("reviewcomment", "reportrevision", "administrationresponse")


def relabel(apps, schema_editor, old="moderation", new="reports"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLog = apps.get_model("core", "AuditLog")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        AuditLog.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, old="reports", new="moderation")


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_legacy_link_kinds'),
        ('moderation', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AdministrationResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('administration_name', models.CharField(max_length=300, verbose_name='amministrazione')),
                        ('text', models.TextField(max_length=10000, verbose_name='risposta')),
                        ('hidden_at', models.DateTimeField(blank=True, null=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='official_responses', to='reports.report')),
                    ],
                    options={
                        'db_table': 'moderation_administrationresponse',
                        'verbose_name': 'risposta ufficiale',
                        'verbose_name_plural': 'risposte ufficiali',
                        'ordering': ['created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('field_key', models.CharField(max_length=100, verbose_name='campo')),
                        ('text', models.TextField(max_length=5000, verbose_name='commento')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='risolto il')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_comments', to='reports.report')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'moderation_reviewcomment',
                        'verbose_name': 'commento di revisione',
                        'verbose_name_plural': 'commenti di revisione',
                        'ordering': ['report', 'field_key', 'created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportRevision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('proposed', models.JSONField(default=dict)),
                        ('status', models.CharField(choices=[('pending', 'In attesa di revisione'), ('approved', 'Approvata'), ('rejected', 'Respinta')], default='pending', max_length=10)),
                        ('base_lock_version', models.PositiveIntegerField()),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                        ('review_note', models.TextField(blank=True, max_length=5000)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='reports.report')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'moderation_reportrevision',
                        'verbose_name': 'revisione',
                        'verbose_name_plural': 'revisioni',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('report',), name='revision_one_pending_per_report')],
                    },
                ),
    
            ],
        ),
        migrations.AlterField(
            model_name='report',
            name='status',
            field=models.CharField(choices=[('draft', 'Bozza'), ('submitted', 'In attesa di revisione'), ('in_review', 'In revisione'), ('changes_requested', 'Modifiche richieste'), ('published', 'Pubblicato'), ('rejected', 'Respinto'), ('withdrawn', 'Ritirato dalla redazione')], db_index=True, default='draft', max_length=20),
        ),
        migrations.RunPython(relabel, unrelabel),
    ]
