"""Reflow free text typed or pasted with hard line breaks (e-mail, PDF, a narrow textarea).

Authors' answers keep the line breaks of their source, so a paragraph arrives as ragged lines
(`data/examples/wecare-report.txt`). Readers should see paragraphs and lists instead: a line
that continues a sentence joins the previous one; a blank line, a sentence that ends where the
line ends, or a short line followed by a capital starts a new paragraph; a line that starts with
a list marker (`1)`, `2.`, `-`, `•`) starts a list item, and the lines that continue it join it.
The stored text is never changed: this is only how the report page and its PDF display it (the
`reflow` template filter).
"""

import re
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

ITEM = re.compile(r"^\s*(?:(?P<number>\d{1,3})[.)]|[-–•*·▪])\s+(?P<text>\S.*)$")
# A line ending like this closes its sentence (closing quotes and brackets may follow).
SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
# Hard wraps happen near the width of the source (60-100 characters): a shorter line followed by
# one starting with a capital was meant as a line of its own (a list of names, an address).
SHORT_LINE = 40


@dataclass
class Paragraph:
    """A paragraph (`items` empty) or a list: ordered when its items are numbered."""

    text: str = ""
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    start: int = 1

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence of `previous` (a hard wrap, not a new paragraph)."""
    if line[:1].islower():
        return True
    if SENTENCE_END.search(previous):
        return False
    return not (len(previous) < SHORT_LINE and line[:1].isupper())


def reflow(text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    previous = ""
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            current, previous = None, ""
            continue
        item = ITEM.match(line)
        if item:
            number = item.group("number")
            if current is None or not current.is_list or current.ordered != bool(number):
                current = Paragraph(ordered=bool(number), start=int(number) if number else 1)
                paragraphs.append(current)
            current.items.append(item.group("text"))
        elif current is not None and _continues(previous, line):
            if current.is_list:
                current.items[-1] += " " + line
            else:
                current.text += " " + line
        else:
            current = Paragraph(text=line)
            paragraphs.append(current)
        previous = line
    return paragraphs


def reflow_html(text: str) -> SafeString:
    """The paragraphs as HTML; every piece of the author's text is escaped by `format_html`."""
    parts = []
    for paragraph in reflow(text):
        if not paragraph.is_list:
            parts.append(format_html("<p>{}</p>", paragraph.text))
            continue
        items = format_html_join("", "<li>{}</li>", ((item,) for item in paragraph.items))
        if paragraph.ordered:
            start = format_html(' start="{}"', paragraph.start) if paragraph.start != 1 else ""
            parts.append(format_html("<ol{}>{}</ol>", start, items))
        else:
            parts.append(format_html("<ul>{}</ul>", items))
    return SafeString("".join(parts))
