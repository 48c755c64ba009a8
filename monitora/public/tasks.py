"""Background rendering of report PDFs, queued by the change hook (see apps.py)."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from monitora.reports.models import Report

from .pdfstore import delete_report_pdfs, stored_report_pdf
from .presenters import report_context


@task
def render_report_pdfs(report_ids: list[int]) -> int:
    """Store the PDF of the current version of these reports in every language; drop the PDFs of
    reports that are no longer public. Returns how many PDFs are now current."""
    published = Report.objects.published().with_public_relations().prefetch_related("links")
    done = 0
    seen: set[int] = set()
    for report in published.filter(pk__in=report_ids):
        seen.add(report.pk)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                stored_report_pdf(report=report, context=report_context(report))
            done += 1
    for report_id in set(report_ids) - seen:
        delete_report_pdfs(report_id)
    return done
