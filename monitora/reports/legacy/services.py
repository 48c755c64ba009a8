"""Write a checked legacy CSV: teams, catalogue projects and reports, in one transaction."""

import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from monitora.catalogue.models import Project
from monitora.questionnaires.models import Questionnaire
from monitora.reports.models import ReportSource
from monitora.teams.models import Team

from ..importing.errors import ImportFailed, ImportIssue, ImportResult, read_utf8, validation_messages
from ..importing.persist import ReportRecord, report_upsert
from .columns import FIELD_COLUMNS
from .parse import LegacyRow, read_legacy_csv

EMPTY = (None, "", [], {})


def team_slug_candidates(username: str, author_type: str) -> list[str]:
    """`monithon-<username>`; a hashed variant when another team already holds that slug."""
    base = f"monithon-{slugify(username)[:150] or 'team'}"
    digest = hashlib.sha256(f"{username}\n{author_type}".encode()).hexdigest()[:8]
    return [base, f"{base}-{digest}"]


def legacy_team_upsert(*, values: dict[str, str]) -> Team:
    """One team per legacy account and author type.

    On the old platform one account was one team (ASOC classes shared a login). The author type
    (`Type_auth`) belongs to the team, but the editorial account also posted reports on behalf of
    other authors ("Local community"): such an account becomes one team per author type, so that
    every report keeps its author type and re-imports always find the same team.
    """
    name, author_type = values["name"], values["category_label"]
    team = Team.objects.filter(name=name, category_label=author_type, slug__startswith="monithon-").first()
    if team is None:
        free = [
            slug
            for slug in team_slug_candidates(name, author_type)
            if not Team.objects.filter(slug=slug).exists()
        ]
        if not free:
            raise ValidationError({"username": f"nessuno slug libero per il team {name!r}"})
        team = Team(slug=free[0])
    elif all(getattr(team, field) == value for field, value in values.items()):
        return team
    for field, value in values.items():
        setattr(team, field, value)
    team.full_clean()
    team.save()
    return team


def legacy_project_ensure(*, values: dict[str, Any]) -> Project:
    """The catalogue project of a report: created from the report's OpenCoesione columns if missing.

    An existing project only gets its empty fields filled: the catalogue import is the authority
    and overwrites these values with the current release later.
    """
    code = values["code"]
    fields = {k: v for k, v in values.items() if k != "code" and v not in EMPTY}
    project = Project.objects.filter(code=code).first()
    if project is None:
        project = Project(code=code, **{"title": code, **fields})
        project.full_clean()
        project.save()
        return project
    changed = [name for name, value in fields.items() if getattr(project, name) in EMPTY]
    if changed:
        for name in changed:
            setattr(project, name, fields[name])
        project.full_clean()
        project.save(update_fields=[*changed, "updated_at"])
    return project


def _row_issues(filename: str, row: LegacyRow, exc: ValidationError, stage: str) -> list[ImportIssue]:
    """Name the source column of a value a model refused (e.g. a 600-character title)."""
    columns = FIELD_COLUMNS[stage]
    return [
        ImportIssue(
            filename,
            row.line,
            columns.get(key, f"{stage}.{key}" if key else "(riga)"),
            message,
            record=f"record ID_Monithon2 {row.legacy_id}",
        )
        for key, messages in validation_messages(exc).items()
        for message in messages
    ]


def legacy_csv_import(*, path: Path, dry_run: bool = False, actor: Any = None) -> ImportResult:
    """Import a legacy Monithon CSV: every row is checked first, then all are written or none.

    Reports are upserted by `ID_Monithon2` (source `legacy_csv`), so running it again creates
    nothing new and leaves unchanged reports untouched. `dry_run` writes and rolls back, so it
    also catches what only the database can check.
    """
    result = ImportResult(file=path.name, dry_run=dry_run)
    checked = read_legacy_csv(read_utf8(path), filename=path.name)
    result.warnings += checked.warnings
    if checked.issues:
        raise ImportFailed(checked.issues)
    questionnaire = Questionnaire.objects.get(code="legacy")
    issues: list[ImportIssue] = []
    with transaction.atomic():
        for row in checked.rows:
            stage = "team"
            try:
                with transaction.atomic():
                    team = legacy_team_upsert(values=row.team) if row.team else None
                    stage = "project"
                    project = legacy_project_ensure(values=row.project) if row.project else None
                    stage = "report"
                    record = ReportRecord(
                        source=ReportSource.LEGACY_CSV,
                        legacy_id=row.legacy_id,
                        fields={
                            **row.fields,
                            "questionnaire": questionnaire,
                            "team": team,
                            "project": project,
                        },
                        answers=row.answers,
                        links=row.links,
                    )
                    report, outcome = report_upsert(record=record, actor=actor)
            except ValidationError as exc:
                issues += _row_issues(path.name, row, exc, stage)
                continue
            result.count(outcome)
            result.report_ids.append(report.pk)
        if issues:
            raise ImportFailed(issues)
        if dry_run:
            transaction.set_rollback(True)
    return result
