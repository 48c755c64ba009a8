from typing import Any

from .definitions import QUESTIONNAIRES
from .spec import QuestionnaireSpec


def questionnaire_sync(*, spec: QuestionnaireSpec, models: Any) -> None:
    """Upsert one questionnaire definition into its tables.

    `models` is anything with Questionnaire/Question/Option attributes, so a data migration can
    pass its historical models. Idempotent: running it twice changes nothing.
    """
    questionnaire, _ = models.Questionnaire.objects.update_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "valid_from": spec.valid_from or None,
            "valid_to": spec.valid_to or None,
        },
    )
    for position, q in enumerate(spec.questions):
        question, _ = models.Question.objects.update_or_create(
            questionnaire=questionnaire,
            key=q.key,
            defaults={
                "kind": q.kind.value,
                "step": q.step,
                "section": q.section,
                "position": position,
                "label_it": q.label_it,
                "label_en": q.label_en,
                "help_it": q.help_it,
                "required": q.required,
                "condition": q.condition,
            },
        )
        for option_position, o in enumerate(q.options):
            models.Option.objects.update_or_create(
                question=question,
                code=o.code,
                defaults={
                    "position": option_position,
                    "label_it": o.label_it,
                    "label_en": o.label_en,
                    "short_label_it": o.short_label_it,
                    "variants": o.variants,
                },
            )


def questionnaire_sync_all(*, models: Any) -> None:
    for spec in QUESTIONNAIRES.values():
        questionnaire_sync(spec=spec, models=models)
