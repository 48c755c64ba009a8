"""What the public report page and its PDF show besides the sections: sidebar, materials, previews.

The sections come from `reports.selectors.report_document` (one layout for page, text and PDF);
this module turns the official-data snapshot, the links and the closed answers around them into
display values, so that the HTML page and the PDF cannot drift apart.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from monitora.attachments.models import Attachment
from monitora.attachments.selectors import public_materials, report_links
from monitora.catalogue.models import OPENCOESIONE_PROJECT_URL, Project, project_slug
from monitora.core.excerpt import excerpt
from monitora.core.siteurl import site_url
from monitora.questionnaires.definitions import IMPACT_RESPONSE_KEYS, get_spec
from monitora.reports.models import Report, ReportLink
from monitora.reports.selectors import (
    ReportDocument,
    Section,
    StoredAnswer,
    report_answer_map,
    report_document,
)

# Headings of the published page keyed by section slug (`report_document`), translatable.
SECTION_TITLES = {
    "descrizione": _("Descrizione"),
    "scoperto": _("Cosa abbiamo scoperto"),
    "avanzamento": _("Avanzamento"),
    "risultati": _("Risultati"),
    "punti-deboli": _("Punti di debolezza"),
    "punti-forza": _("Punti di forza"),
    "rischi": _("Rischi"),
    "soluzioni": _("Soluzioni e Idee"),
    "genere": _("Parità di genere"),
    "impatto": _("Risultati e impatto del monitoraggio"),
    "metodo": _("Metodo di indagine"),
    "domande": _("Domande principali"),
    "risposte": _("Risposte principali"),
}
BLOCK_TITLES = {
    "Come sono state raccolte le informazioni?": _("Come sono state raccolte le informazioni?"),
    "Problemi rilevati": _("Problemi rilevati"),
    "Obiettivi": _("Obiettivi"),
    "Attività previste": _("Attività previste"),
    "Origine": _("Origine"),
    "Soggetti Beneficiari": _("Soggetti Beneficiari"),
    "Contesto": _("Contesto"),
}
# OpenCoesione roles in the order the Monithon sidebar lists them; at most four names each.
SUBJECT_ROLES = {
    "Programmatore": _("Programmatore"),
    "Attuatore": _("Attuatore"),
    "Beneficiario": _("Beneficiario"),
    "Realizzatore": _("Realizzatore"),
}
SUBJECTS_PER_ROLE = 4


@dataclass
class Fact:
    label: str
    value: str


@dataclass
class SubjectGroup:
    role: str
    names: list[str]
    more: int = 0


@dataclass
class Materials:
    """MATERIALI: uploaded photos and documents (attachments app), then links kept elsewhere."""

    uploads: list[Attachment] = field(default_factory=list)
    documents: list[Attachment] = field(default_factory=list)
    images: list[ReportLink] = field(default_factory=list)
    videos: list[ReportLink] = field(default_factory=list)
    sources: list[ReportLink] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.uploads or self.documents or self.images or self.videos or self.sources)


@dataclass
class Sidebar:
    judgement: str
    progress: str
    overall: str
    impact: list[str]
    facts: list[Fact]
    subjects: list[SubjectGroup]
    materials: Materials
    opencoesione_url: str
    project_code: str = ""


def is_web_url(url: str) -> bool:
    """Only http(s) URLs become links: stored URLs are user input and may hold `javascript:`."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def format_date(value: Any) -> str:
    """Snapshot dates arrive as ISO strings, `YYYYMMDD` (OpenCoesione files) or dates."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text[:10], pattern).date().strftime("%d/%m/%Y")  # noqa: DTZ007
        except ValueError:
            continue
    return text


def format_euro(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value).replace(",", ".") if isinstance(value, str) else str(value))
    except InvalidOperation:
        return str(value)
    return "€ " + formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _join(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value if v)
    return str(value or "")


def snapshot_facts(snapshot: dict[str, Any]) -> list[Fact]:
    """The "official data at monitoring time" box; snapshot keys are Project field names."""
    rows: list[tuple[Any, str]] = [
        (_("Titolo del progetto"), _join(snapshot.get("title"))),
        (_("Codice locale progetto"), _join(snapshot.get("code"))),
        ("CUP", _join(snapshot.get("cup"))),
        (_("Tema"), _join(snapshot.get("theme"))),
        (_("Data inizio"), format_date(snapshot.get("start_date"))),
        (
            _("Data fine"),
            format_date(snapshot.get("actual_end_date")),
        ),
        (_("Data fine prevista"), format_date(snapshot.get("planned_end_date"))),
        (_("Stato del progetto"), _join(snapshot.get("state"))),
        (
            _("Costo totale"),
            format_euro(snapshot.get("net_public_funding") or snapshot.get("public_funding")),
        ),
        (_("Pagamenti"), format_euro(snapshot.get("payments"))),
        (_("Progetto finanziato da"), _join(snapshot.get("programmes"))),
        (_("Fondo"), _join(snapshot.get("fund"))),
        (_("Nel ciclo"), _join(snapshot.get("cycle"))),
        (_("Dati OpenCoesione aggiornati al"), format_date(snapshot.get("source_updated_on"))),
    ]
    return [Fact(str(label), value) for label, value in rows if value]


PROJECT_FACT_FIELDS = [
    "title", "code", "cup", "theme", "start_date", "actual_end_date", "planned_end_date", "state",
    "net_public_funding", "public_funding", "payments", "programmes", "fund", "cycle", "source_updated_on",
]  # fmt: skip


def project_facts(project: Project) -> list[Fact]:
    """The current catalogue record, laid out like a report's snapshot box (minus the title)."""
    facts = snapshot_facts({name: getattr(project, name) for name in PROJECT_FACT_FIELDS})
    return facts[1:] if facts and facts[0].value == project.title else facts


def subject_groups(subjects: Any) -> list[SubjectGroup]:
    """Subjects grouped by OpenCoesione role (known roles first), at most four names per role."""
    if not isinstance(subjects, list):
        return []
    by_role: dict[str, list[str]] = {}
    for subject in subjects:
        if not isinstance(subject, dict) or not subject.get("name"):
            continue
        roles = subject.get("roles") or [subject.get("role") or ""]
        for role in roles if isinstance(roles, list) else [roles]:
            names = by_role.setdefault(str(role), [])
            if subject["name"] not in names:
                names.append(str(subject["name"]))
    order = list(SUBJECT_ROLES) + sorted(r for r in by_role if r not in SUBJECT_ROLES)
    return [
        SubjectGroup(
            role=str(SUBJECT_ROLES.get(role, role or _("Altro"))),
            names=by_role[role][:SUBJECTS_PER_ROLE],
            more=max(0, len(by_role[role]) - SUBJECTS_PER_ROLE),
        )
        for role in order
        if by_role.get(role)
    ]


def _links(report: Report) -> Iterable[ReportLink]:
    """The report's links: prefetched by batch readers (`tasks`), else read in the Meta order within
    one report, without the join on `reports_report` that ordering by `report` would add."""
    if "links" in getattr(report, "_prefetched_objects_cache", {}):
        return report.links.all()
    return report_links(report.pk)


def report_materials(report: Report) -> Materials:
    materials = Materials()
    for attachment in public_materials(report.pk):
        (materials.uploads if attachment.is_image else materials.documents).append(attachment)
    for link in _links(report):
        if not is_web_url(link.url):
            continue
        if link.kind in (ReportLink.Kind.IMAGE, ReportLink.Kind.TEAM_IMAGE):
            materials.images.append(link)
        elif link.kind == ReportLink.Kind.VIDEO:
            materials.videos.append(link)
        else:
            materials.sources.append(link)
    return materials


def impact_labels(report: Report, answers: dict[str, StoredAnswer] | None = None) -> list[str]:
    """Short labels of the administrations' responses, shown only once Step 3 is published."""
    if not report.impact_is_public:
        return []
    spec = get_spec(report.questionnaire.code)
    if answers is None:
        answers = report_answer_map(report)
    labels = []
    for key in IMPACT_RESPONSE_KEYS:
        question = spec.question(key)
        answer = answers.get(key)
        if question and answer and answer.boolean:
            labels.append(question.help_it or question.label_it)
    return labels


def opencoesione_link(report: Report) -> str:
    if report.project_id:
        return report.project.opencoesione_url
    if is_web_url(report.opencoesione_url):
        return report.opencoesione_url.strip()
    if report.project_code:
        return OPENCOESIONE_PROJECT_URL.format(slug=project_slug(report.project_code))
    return ""


def report_sidebar(
    report: Report, document: ReportDocument, answers: dict[str, StoredAnswer] | None = None
) -> Sidebar:
    snapshot = report.project_snapshot if isinstance(report.project_snapshot, dict) else {}
    return Sidebar(
        judgement=document.judgement_label,
        progress=document.progress_label,
        overall=document.overall_label,
        impact=impact_labels(report, answers),
        facts=snapshot_facts(snapshot),
        subjects=subject_groups(snapshot.get("subjects")),
        materials=report_materials(report),
        opencoesione_url=opencoesione_link(report),
        project_code=report.project.code if report.project_id and report.project.removed_at is None else "",
    )


# Sections that the questionnaire groups under another one: the page nests them one heading
# level below it (h3 under h2), as the form and the Monithon page do.
PARENT_SECTION = {
    "avanzamento": "scoperto",
    "risultati": "scoperto",
    "punti-deboli": "scoperto",
    "punti-forza": "scoperto",
    "rischi": "scoperto",
    "soluzioni": "scoperto",
    "genere": "scoperto",
    "domande": "metodo",
    "risposte": "metodo",
}


def _display_section(section: Section) -> dict[str, Any]:
    return {
        "slug": section.slug,
        "heading": SECTION_TITLES.get(section.slug, section.heading),
        "blocks": [
            {
                "kind": block.kind,
                "text": BLOCK_TITLES.get(block.text, block.text)
                if block.kind in ("subheading", "bullets")
                else block.text,
                "items": block.items,
            }
            for block in section.blocks
        ],
        "children": [],
    }


def translated_sections(document: ReportDocument) -> list[dict[str, Any]]:
    """Top-level sections, each with the sections nested under it (`children`), headings in the
    reader's language; the answers stay as written. A nested section whose parent has no answers
    still gets the parent's heading, so it never looks like part of the section before it."""
    top: list[dict[str, Any]] = []
    by_slug: dict[str, dict[str, Any]] = {}
    for section in document.sections:
        shown = _display_section(section)
        parent_slug = PARENT_SECTION.get(section.slug)
        if parent_slug is None:
            top.append(shown)
            by_slug[section.slug] = shown
            continue
        parent = by_slug.get(parent_slug)
        if parent is None:
            parent = _display_section(Section(SECTION_TITLES[parent_slug], parent_slug))
            top.append(parent)
            by_slug[parent_slug] = parent
        parent["children"].append(shown)
    return top


def report_summary(document: ReportDocument, *, length: int = 200) -> str:
    """Plain text for social previews and meta description: the first answer text that says more
    than the title (`core.excerpt`)."""
    texts = (block.text for section in document.sections for block in section.blocks if block.kind == "text")
    return excerpt(document.title, texts, length=length)


def report_context(report: Report) -> dict[str, Any]:
    """Everything the report page and its PDF show (the PDF task builds it outside a request)."""
    answers = report_answer_map(report)  # read once: the document and the sidebar's impact
    document = report_document(report, answers=answers)
    sidebar = report_sidebar(report, document, answers)
    permalink = site_url() + reverse("public:report_detail", args=[report.pk])
    return {
        "report": report,
        "document": document,
        "sections": translated_sections(document),
        "sidebar": sidebar,
        "summary": report_summary(document),
        "permalink": permalink,
        "preview_image": _preview_image(sidebar.materials),
    }


def _preview_image(materials: Materials) -> str:
    """Absolute URL of the social preview image: the uploaded cover first, else a linked image."""
    if materials.uploads:
        return site_url() + reverse("attachments:file", args=[materials.uploads[0].pk])
    return materials.images[0].url if materials.images else ""
