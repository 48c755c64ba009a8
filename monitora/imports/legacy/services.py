"""Write a checked legacy CSV: teams and reports (with their notes), in one transaction."""

import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from monitora.catalogue.models import Project, Territory
from monitora.imports.models import NoteKind
from monitora.imports.recording import CellNote, corrections_for, import_run_for
from monitora.questionnaires.models import Questionnaire
from monitora.reports.models import Report, ReportSource
from monitora.teams.models import Team

from ..errors import (
    ImportFailed,
    ImportIssue,
    ImportResult,
    read_bytes,
    read_utf8,
    validation_messages,
)
from ..persist import ReportRecord, reports_import_published
from .columns import FIELD_COLUMNS, TEAM_COLUMNS
from .parse import LegacyRow, read_legacy_csv, read_legacy_record

NO_TERRITORIES = (
    "Attenzione: nessun territorio caricato, quindi nessun report viene collocato in regioni, province "
    "o comuni tramite il progetto. Carica i territori con `python manage.py load_territories`, poi i "
    "progetti con `python manage.py import_catalogue ... --localizzazioni ...`."
)


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


def _model_issues(filename: str, line: int | None, legacy_id: str, exc: ValidationError, stage: str):
    """Name the source column of a value a model refused at save."""
    columns = FIELD_COLUMNS[stage]
    return [
        ImportIssue(
            filename,
            line,
            columns.get(key, f"{stage}.{key}" if key else "(riga)"),
            message,
            record=f"record ID_Monithon2 {legacy_id}",
        )
        for key, messages in validation_messages(exc).items()
        for message in messages
    ]


def legacy_record(*, row: LegacyRow, questionnaire: Questionnaire, team: Team | None) -> ReportRecord:
    """The report of a checked row; the project is linked when the catalogue holds its code.

    Projects missing from the catalogue are not created here (the catalogue import owns them): the
    report keeps the code and the OpenCoesione record of the time in its snapshot.
    """
    code = row.fields["project_code"]
    project = Project.objects.filter(code=code).first() if code else None
    return ReportRecord(
        source=ReportSource.LEGACY_CSV,
        legacy_id=row.legacy_id,
        fields={**row.fields, "questionnaire": questionnaire, "team": team, "project": project},
        answers=row.answers,
        links=row.links,
        published_at=row.published_at,
        impact_published=row.has_impact,
        line=row.line,
        cells=row.cells,
        notes=row.notes,
    )


def _team_notes(row: LegacyRow, team: Team) -> list[CellNote]:
    """Account attributes that differ from the team's (set by the account's first record)."""
    columns = {field: column for column, field in TEAM_COLUMNS.items()}
    return [
        CellNote(
            row.line,
            columns[name],
            row.cells.get(columns[name], ""),
            NoteKind.TEAM_VALUE,
            f"diverso dal valore del team {team.name!r} ({getattr(team, name)!r}): resta su questo report",
        )
        for name, value in (row.team or {}).items()
        if name in columns and value != getattr(team, name)
    ]


def _apply_corrections(rows: list[LegacyRow], *, filename: str, strict: bool) -> list[LegacyRow]:
    """Editors' corrections win over the same source value on re-import (a new value wins over them)."""
    ids = dict(
        Report.objects.filter(
            source=ReportSource.LEGACY_CSV, legacy_id__in=[r.legacy_id for r in rows]
        ).values_list("legacy_id", "pk")
    )
    corrections = corrections_for(report_ids=list(ids.values()))
    out = []
    for row in rows:
        fixes = corrections.get(ids.get(row.legacy_id, 0), {})
        cells = {
            col: fixes[col][1] if col in fixes and fixes[col][0] == raw else raw
            for col, raw in row.cells.items()
        }
        if cells != row.cells:
            corrected, _issues = read_legacy_record(cells, filename=filename, line=row.line, strict=strict)
            corrected.cells, corrected.repairs = row.cells, row.repairs
            row = corrected
        out.append(row)
    return out


def _places_linked(report_ids: list[int]) -> int:
    return Report.objects.filter(pk__in=report_ids, project__territories__isnull=False).distinct().count()


def legacy_csv_import(
    *, path: Path, dry_run: bool = False, actor: Any = None, strict: bool = False
) -> ImportResult:
    """Import a legacy Monithon CSV. Lenient by default; `strict` refuses the file on any bad cell.

    Lenient: every record imports; a cell that fails its check leaves its field empty and becomes a
    data-quality note for the editors. Structural problems (header, unreadable file, missing or
    repeated ids) refuse the file in both modes, and so does a value a model refuses at save
    (nothing is written). Reports are upserted by `ID_Monithon2`, so running it again creates
    nothing and leaves unchanged reports untouched. `dry_run` writes and rolls back.
    """
    result = ImportResult(file=path.name, dry_run=dry_run)
    data = read_bytes(path)
    checked = read_legacy_csv(read_utf8(path, data), filename=path.name, strict=strict)
    result.warnings += checked.warnings
    if checked.issues:
        raise ImportFailed(checked.issues)
    questionnaire = Questionnaire.objects.get(code="legacy")
    with transaction.atomic():
        run = import_run_for(source=ReportSource.LEGACY_CSV, file_name=path.name, data=data)
        rows = _apply_corrections(checked.rows, filename=path.name, strict=strict)
        teams: dict[tuple[str, str], Team] = {}
        records: list[ReportRecord] = []
        issues: list[ImportIssue] = []
        for row in rows:
            team = None
            if row.team:
                key = (row.team["name"], row.team["category_label"])
                try:
                    team = teams.get(key) or legacy_team_upsert(values=row.team)
                except ValidationError as exc:
                    issues += _model_issues(path.name, row.line, row.legacy_id, exc, "team")
                    continue
                row.notes = [*row.notes, *_team_notes(row, team)]
                teams[key] = team
            records.append(legacy_record(row=row, questionnaire=questionnaire, team=team))
        bulk = reports_import_published(records=records, actor=actor, run=run)
        for record, exc in bulk.refused:
            issues += _model_issues(path.name, record.line, record.legacy_id, exc, "report")
        if issues:
            raise ImportFailed(issues)
        for record, report, outcome in bulk.outcomes:
            result.count(outcome)
            result.report_ids.append(report.pk)
            result.notes.update((note.column, note.kind) for note in record.notes)
        for row in rows:
            result.repairs.update(row.repairs)
        result.places_linked = _places_linked(result.report_ids)
        if not Territory.objects.exists():
            result.warnings.append(NO_TERRITORIES)
        if dry_run:
            transaction.set_rollback(True)
    return result
