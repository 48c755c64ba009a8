"""Database mirror of the questionnaire definitions, so answers point at real rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .spec import Kind


class Questionnaire(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("questionario")
        verbose_name_plural = _("questionari")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in Kind])
    step = models.PositiveSmallIntegerField(default=2)
    section = models.CharField(max_length=50, blank=True)
    position = models.PositiveIntegerField(default=0)
    label_it = models.TextField()
    label_en = models.TextField(blank=True)
    help_it = models.TextField(blank=True)
    required = models.BooleanField(default=False)
    condition = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return f"{self.questionnaire.code}:{self.key}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0)
    label_it = models.TextField()
    label_en = models.TextField(blank=True)
    short_label_it = models.TextField(blank=True)
    variants = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("opzione")
        verbose_name_plural = _("opzioni")
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.label_it[:60]}"
