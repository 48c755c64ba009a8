"""`{% stats_table table %}`: the number table under each chart of the statistics page.

The same markup the template loops wrote, built in Python: a page has seven tables and ~300
cells, and a template `{% for %}`/`{% if %}` per cell was a third of a statistics-page miss.
Cells are localised (decimal comma) and escaped as `{{ cell }}` did.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..selectors import Table

register = template.Library()


def _cell(value: object) -> str:
    """`{{ value }}` before escaping: `localize`, whose answer for an int without grouping is str()."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return localize(value)


@register.simple_tag
def stats_table(table: Table) -> SafeString:
    # One format_html per table: the format string is markup only, every cell is an escaped argument.
    rows = "".join(
        '<tr><th scope="row">{}</th>' + "<td>{}</td>" * (len(row) - 1) + "</tr>" for row in table.rows
    )
    return format_html(
        '<div class="table-scroll">\n  <table class="stats-table">\n'
        '    <caption class="visually-hidden">{}</caption>\n'
        "    <thead><tr>" + '<th scope="col">{}</th>' * len(table.columns) + "</tr></thead>\n"
        "    <tbody>" + rows + "</tbody>\n  </table>\n  </div>",
        table.title,
        *(_cell(column) for column in table.columns),
        *(_cell(cell) for row in table.rows for cell in row),
    )


def _with_title(message: str, title: str) -> SafeString:
    """What `{% blocktrans with title=... %}` gave: the translation as written, the title escaped."""
    return format_html(message.replace("{", "{{").replace("}", "}}").replace("%(title)s", "{}"), title)


@register.simple_tag
def stats_sections(tables: list[Table], query_string: str = "") -> SafeString:
    """Every table's section, each on its own lines; the CSV links reversed once for all."""
    urls = (reverse("stats:csv", args=["SLUG"]), reverse("stats:csv_excel", args=["SLUG"]))
    query = f"?{query_string}" if query_string else ""
    return format_html_join("", "\n{}\n", ((_section(table, urls, query),) for table in tables))


def _section(table: Table, urls: tuple[str, str], query: str) -> SafeString:
    """One table's section: heading, note, chart, numbers and its two CSV links."""
    csv, excel = (url.replace("/SLUG.csv", f"/{table.slug}.csv") for url in urls)
    if table.rows:
        body = format_html(
            '\n  <div class="chart-box"><canvas data-chart="{}" role="img" aria-label="{}"></canvas></div>\n'
            "  {}\n  ",
            table.slug,
            _with_title(gettext("Grafico: %(title)s. I valori sono nella tabella che segue."), table.title),
            stats_table(table),
        )
    else:
        body = format_html("\n  <p>{}</p>\n  ", gettext("Nessun dato."))
    return format_html(
        '<section class="stats-block" id="{}" aria-labelledby="{}-title">\n'
        '  <h2 id="{}-title">{}</h2>\n'
        "  {}\n"
        "  {}\n"
        '  <p><a href="{}{}" download>{}</a>\n'
        '    · <a href="{}{}" download>{}</a></p>\n'
        "</section>",
        table.slug,
        table.slug,
        table.slug,
        table.title,
        format_html('<p class="meta">{}</p>', table.note) if table.note else "",
        body,
        csv,
        query,
        _with_title(gettext("Scarica i dati in CSV: %(title)s"), table.title),
        excel,
        query,
        _with_title(gettext("CSV per Excel in italiano: %(title)s"), table.title),
    )
