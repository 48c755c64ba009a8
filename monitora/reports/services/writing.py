"""Create and overwrite reports with their answers: the web form, the API and the importers."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monitora.core.models import log_action
from monitora.questionnaires.models import Option, Question
from monitora.questionnaires.validation import CleanAnswer

from ..changes import reports_changed
from ..models import Answer, Report
from .locking import conditional_update


def report_save_answers(*, report: Report, answers: dict[str, CleanAnswer], replace: bool = True) -> None:
    """Store validated answers; with `replace`, answers absent from `answers` become unanswered."""
    questions = {q.key: q for q in Question.objects.filter(questionnaire_id=report.questionnaire_id)}
    missing = set(answers) - set(questions)
    if missing:
        raise ValidationError(
            f"il questionario {report.questionnaire_id} non ha le domande {sorted(missing)}"
        )
    options = {
        (o.question_id, o.code): o
        for o in Option.objects.filter(question__questionnaire_id=report.questionnaire_id)
    }
    existing = {a.question_id: a for a in report.answers.all()}
    keep: set[int] = set()
    to_create: list[Answer] = []
    to_update: list[Answer] = []
    for key, clean in answers.items():
        question = questions[key]
        option = options[(question.id, clean.option_code)] if clean.option_code else None
        keep.add(question.id)
        answer = existing.get(question.id)
        if answer is None:
            to_create.append(
                Answer(
                    report=report, question=question, text=clean.text, option=option, boolean=clean.boolean
                )
            )
        elif (answer.text, answer.option_id, answer.boolean) != (
            clean.text,
            option.id if option else None,
            clean.boolean,
        ):
            answer.text, answer.option, answer.boolean = clean.text, option, clean.boolean
            to_update.append(answer)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["text", "option", "boolean"])
    if replace:
        report.answers.exclude(question_id__in=keep).delete()


def report_update_locked(
    report: Report,
    *,
    expected_lock_version: int,
    expected: dict[str, Any],
    changes: dict[str, Any],
    answers: dict[str, CleanAnswer],
) -> None:
    """Columns by conditional UPDATE (optimistic locking), then the answers; call inside atomic."""
    conditional_update(
        report,
        expected_lock_version=expected_lock_version,
        expected=expected,
        changes={**changes, "updated_at": timezone.now()},
    )
    report_save_answers(report=report, answers=answers)


@transaction.atomic
def report_create(
    *,
    fields: dict[str, Any],
    answers: dict[str, CleanAnswer],
    actor: Any = None,
    action: str = "report.created",
    announce: bool = True,
) -> Report:
    """Create a report with its answers in one transaction and audit it.

    `announce=False` is for the importers' bulk service, which announces all its reports at once."""
    report = Report(**fields)
    report.full_clean()
    report.save()
    report_save_answers(report=report, answers=answers)
    log_action(report, action=action, actor=actor, data={"status": report.status})
    if announce:
        reports_changed([report.pk], reason=action)
    return report


@transaction.atomic
def report_replace(
    *,
    report: Report,
    fields: dict[str, Any],
    answers: dict[str, CleanAnswer],
    actor: Any = None,
    action: str = "report.replaced",
    announce: bool = True,
) -> Report:
    """Overwrite a report's fields and answers (used by re-imports of the same source record)."""
    for name, value in fields.items():
        setattr(report, name, value)
    report.lock_version += 1
    report.full_clean()
    report.save()
    report_save_answers(report=report, answers=answers)
    log_action(report, action=action, actor=actor, data={"fields": sorted(fields)})
    if announce:
        reports_changed([report.pk], reason=action)
    return report
