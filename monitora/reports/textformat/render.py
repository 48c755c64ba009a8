"""Print a report document in the published text layout (`data/examples/wecare-report.txt`)."""

from monitora.reports.models import Report
from monitora.reports.selectors import REPORT_BANNER, ReportDocument, report_document

BULLET = "  • "
SENT_PREFIX = "Inviato il"
AUTHOR_PREFIX = "Di"


def render_meta_line(document: ReportDocument) -> str:
    parts = []
    if document.sent_on:
        parts.append(f"{SENT_PREFIX} {document.sent_on}")
    if document.author:
        parts.append(f"{AUTHOR_PREFIX} {document.author}")
    if document.handle:
        parts.append(f"@{document.handle}")
    return " | ".join(parts)


def render_report_text(document: ReportDocument) -> str:
    """Banner, title, meta line, then each section: heading, blank line, blocks separated by blank lines."""
    lines = [REPORT_BANNER, document.title, ""]
    meta = render_meta_line(document)
    if meta:
        lines += [meta, ""]
    for section in document.sections:
        lines += [section.heading, ""]
        for block in section.blocks:
            if block.kind == "bullets":
                if block.text:
                    lines += [block.text, ""]
                lines += [f"{BULLET}{item}" for item in block.items]
                lines.append("")
            else:
                lines += [block.text, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def report_export_text(*, report: Report) -> str:
    """The report in the published text layout, from the same document the public page renders.

    An operator's copy (a management command, never served): it keeps the stored author line, even
    an e-mail address the public channels hide, so that importing it back changes nothing."""
    return render_report_text(report_document(report, public=False))
