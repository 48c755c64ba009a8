"""`{% stats_sections tables %}`: every section of the statistics page, number tables included.

The same markup the template loops wrote, built in Python: a page has seven tables and ~300
cells, and a template `{% for %}`/`{% if %}` per cell was a third of a statistics-page miss.
Cells are localised (decimal comma) and every value is escaped as `{{ cell }}` did (`escaped_text`,
as `report_sections` does); only the markup written here is trusted.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from monitora.core.htmltext import escaped_text

from ..selectors import Table

register = template.Library()


def _cell(value: object) -> str:
    """`{{ value }}`: `localize` (whose answer for an int without grouping is str(), and for text
    the text itself), escaped."""
    kind = type(value)
    if kind is str:
        return escaped_text(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escaped_text(localize(value))


@register.simple_tag
def stats_table(table: Table) -> SafeString:
    head = "".join(f'<th scope="col">{_cell(column)}</th>' for column in table.columns)
    rows = "".join(
        f'<tr><th scope="row">{_cell(row[0])}</th>'
        + "".join(f"<td>{_cell(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in table.rows
    )
    return SafeString(
        '<div class="table-scroll">\n  <table class="stats-table">\n'
        f'    <caption class="visually-hidden">{escaped_text(table.title)}</caption>\n'
        f"    <thead><tr>{head}</tr></thead>\n"
        f"    <tbody>{rows}</tbody>\n  </table>\n  </div>"
    )


def _with_title(message: str, title: str) -> str:
    """What `{% blocktrans with title=... %}` gave: the translation as written, the title escaped."""
    return message.replace("%(title)s", escaped_text(title))


@register.simple_tag
def stats_sections(tables: list[Table], query_string: str = "") -> SafeString:
    """Every table's section, each on its own lines; the CSV links reversed once for all."""
    urls = (reverse("stats:csv", args=["SLUG"]), reverse("stats:csv_excel", args=["SLUG"]))
    query = escaped_text(f"?{query_string}") if query_string else ""
    return SafeString("".join(f"\n{_section(table, urls, query)}\n" for table in tables))


def _section(table: Table, urls: tuple[str, str], query: str) -> str:
    """One table's section: heading, note, chart, numbers and its two CSV links."""
    slug, title = escaped_text(table.slug), escaped_text(table.title)
    csv, excel = (escaped_text(url.replace("/SLUG.csv", f"/{table.slug}.csv")) for url in urls)
    if table.rows:
        label = _with_title(
            gettext("Grafico: %(title)s. I valori sono nella tabella che segue."), table.title
        )
        body = (
            f'\n  <div class="chart-box"><canvas data-chart="{slug}" role="img" aria-label="{label}">'
            "</canvas></div>\n"
            f"  {stats_table(table)}\n  "
        )
    else:
        body = f"\n  <p>{escaped_text(gettext('Nessun dato.'))}</p>\n  "
    note = f'<p class="meta">{escaped_text(table.note)}</p>' if table.note else ""
    return (
        f'<section class="stats-block" id="{slug}" aria-labelledby="{slug}-title">\n'
        f'  <h2 id="{slug}-title">{title}</h2>\n'
        f"  {note}\n"
        f"  {body}\n"
        f'  <p><a href="{csv}{query}" download>'
        f"{_with_title(gettext('Scarica i dati in CSV: %(title)s'), table.title)}</a>\n"
        f'    · <a href="{excel}{query}" download>'
        f"{_with_title(gettext('CSV per Excel in italiano: %(title)s'), table.title)}</a></p>\n"
        "</section>"
    )
