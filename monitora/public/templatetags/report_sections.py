"""`{% report_sections sections language %}`: the sections of the report page and of its PDF.

The markup `public/_report_sections.html` and `_report_blocks.html` had, byte for byte, built in
Python: a report has 5–15 sections and the include per section (a template context each, a
variable lookup per block) was the largest part of rendering the article. Text is escaped by
`format_html` as the templates did; answers go through `reflow_html` as the `reflow` filter did.
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from monitora.core.reflow import reflow_html

register = template.Library()


def _block(block: dict[str, Any], level: int, language: str) -> SafeString:
    kind, text = block["kind"], block["text"]
    if kind == "subheading":
        return format_html("<h{}>{}</h{}>\n    ", level, text, level)
    if kind == "label":
        return format_html('<p class="answer-label" lang="{}"><strong>{}</strong></p>\n    ', language, text)
    if kind == "bullets":
        return format_html(
            '{}<ul lang="{}">{}</ul>\n    ',
            format_html("<h{}>{}</h{}>", level, text, level) if text else "",
            language,
            format_html_join("", "<li>{}</li>", ((item,) for item in block["items"])),
        )
    return format_html('<div class="answer-text" lang="{}">{}</div>', language, reflow_html(str(text or "")))


def _blocks(blocks: Iterable[dict[str, Any]], level: int, language: str) -> SafeString:
    shown = format_html_join("", "\n    {}\n", ((_block(b, level, language),) for b in blocks))
    return SafeString(shown + "\n")


def _children(children: Iterable[dict[str, Any]], language: str) -> SafeString:
    return format_html_join(
        "",
        '\n  <section id="{0}" class="report-subsection" aria-labelledby="titolo-{0}">\n'
        '    <h3 id="titolo-{0}">{1}</h3>\n    {2}\n  </section>\n  ',
        ((c["slug"], c["heading"], _blocks(c["blocks"], 4, language)) for c in children),
    )


@register.simple_tag
def report_sections(sections: Iterable[dict[str, Any]], language: str) -> SafeString:
    """Every section of `presenters.translated_sections`, its nested ones one level below."""
    return format_html_join(
        "",
        '\n<section id="{0}" class="report-section" aria-labelledby="titolo-{0}">\n'
        '  <h2 id="titolo-{0}">{1}</h2>\n  {2}\n  {3}\n</section>\n',
        (
            (s["slug"], s["heading"], _blocks(s["blocks"], 3, language), _children(s["children"], language))
            for s in sections
        ),
    )
