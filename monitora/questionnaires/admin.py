"""Read-only admin: questionnaire versions are data in `definitions.py`, mirrored by migrations."""

from django.contrib import admin

from .models import Option, Question, Questionnaire


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionInline(ReadOnlyMixin, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "key", "kind", "step", "section", "label_it", "required"]
    readonly_fields = fields
    show_change_link = True


class OptionInline(ReadOnlyMixin, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "code", "label_it", "short_label_it", "variants"]
    readonly_fields = fields


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["key", "questionnaire", "kind", "step", "section", "required"]
    list_filter = ["questionnaire", "kind", "step", "section"]
    search_fields = ["key", "label_it"]
    inlines = [OptionInline]
