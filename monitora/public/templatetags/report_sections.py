"""`{% report_sections sections language %}`: the sections of the report page and of its PDF.

The markup `public/_report_sections.html` and `_report_blocks.html` had, byte for byte, built in
Python: a report has 5–15 sections and the include per section (a template context each, a
variable lookup per block) was the largest part of rendering the article. Every value is escaped
as the templates did (`escaped_text`, as `report_cards` does); answers go through `reflow_html` as the
`reflow` filter did, and only that and the markup written here are trusted.
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from monitora.core.htmltext import escaped_text
from monitora.core.reflow import reflow_html

register = template.Library()


def _block(block: dict[str, Any], level: int, lang: str) -> str:
    kind, text = block["kind"], block["text"]
    if kind == "subheading":
        return f"<h{level:d}>{escaped_text(text)}</h{level:d}>\n    "
    if kind == "label":
        return f'<p class="answer-label" lang="{lang}"><strong>{escaped_text(text)}</strong></p>\n    '
    if kind == "bullets":
        heading = f"<h{level:d}>{escaped_text(text)}</h{level:d}>" if text else ""
        items = "".join(f"<li>{escaped_text(item)}</li>" for item in block["items"])
        return f'{heading}<ul lang="{lang}">{items}</ul>\n    '
    return f'<div class="answer-text" lang="{lang}">{reflow_html(str(text or ""))}</div>'


def _blocks(blocks: Iterable[dict[str, Any]], level: int, lang: str) -> str:
    return "".join(f"\n    {_block(b, level, lang)}\n" for b in blocks) + "\n"


def _child(child: dict[str, Any], lang: str) -> str:
    slug = escaped_text(child["slug"])
    return (
        f'\n  <section id="{slug}" class="report-subsection" aria-labelledby="titolo-{slug}">\n'
        f'    <h3 id="titolo-{slug}">{escaped_text(child["heading"])}</h3>\n'
        f"    {_blocks(child['blocks'], 4, lang)}\n  </section>\n  "
    )


def _section(section: dict[str, Any], lang: str) -> str:
    slug = escaped_text(section["slug"])
    children = "".join(_child(child, lang) for child in section["children"])
    return (
        f'\n<section id="{slug}" class="report-section" aria-labelledby="titolo-{slug}">\n'
        f'  <h2 id="titolo-{slug}">{escaped_text(section["heading"])}</h2>\n'
        f"  {_blocks(section['blocks'], 3, lang)}\n  {children}\n</section>\n"
    )


@register.simple_tag
def report_sections(sections: Iterable[dict[str, Any]], language: str) -> SafeString:
    """Every section of `presenters.translated_sections`, its nested ones one level below."""
    lang = escaped_text(language)
    return SafeString("".join(_section(section, lang) for section in sections))
