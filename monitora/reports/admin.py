"""Admin for editors to find and inspect reports.

Read-only on purpose: every write to a report goes through the services (validation, audit
log, optimistic locking), so the admin only searches, filters and shows.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Answer, Report, ReportLink


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question_label", "value_display"]
    readonly_fields = fields
    verbose_name = _("risposta")
    verbose_name_plural = _("risposte")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "option")

    @admin.display(description=_("domanda"))
    def question_label(self, answer: Answer) -> str:
        return f"{answer.question.label_it} [{answer.question.key}]"

    @admin.display(description=_("risposta"))
    def value_display(self, answer: Answer) -> str:
        if answer.option_id:
            return f"{answer.option.label_it} ({answer.option.code})"
        if answer.boolean is not None:
            return str(_("Sì") if answer.boolean else _("No"))
        return answer.text


class ReportLinkInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportLink
    extra = 0
    fields = ["kind", "url", "title", "position"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "status",
        "questionnaire",
        "source",
        "project_code",
        "author_name",
        "team",
        "published_at",
    ]
    list_display_links = ["id", "title"]
    list_filter = ["status", "impact_status", "questionnaire", "source", "published_at", "language"]
    search_fields = ["title", "project_code", "author_name", "handle", "team__name", "legacy_id"]
    date_hierarchy = "published_at"
    list_select_related = ["questionnaire", "team"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["public_page", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "public_page", "status", "impact_status", "questionnaire", "language"]}),
        (_("Autori"), {"fields": ["author_name", "handle", "team", "created_by"]}),
        (_("Progetto"), {"fields": ["project", "project_code", "opencoesione_url", "project_snapshot"]}),
        (_("Date"), {"fields": ["submitted_at", "published_at", "impact_submitted_at"]}),
        (_("Luogo"), {"fields": ["address", "postcode", "latitude", "longitude"]}),
        (_("Provenienza"), {"fields": ["source", "legacy_id", "lock_version", "created_at", "updated_at"]}),
    ]
    inlines = [AnswerInline, ReportLinkInline]

    @admin.display(description=_("pagina pubblica"))
    def public_page(self, report: Report) -> str:
        if not report.is_published:
            return str(_("non pubblicato"))
        url = reverse("public:report_detail", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, url)
