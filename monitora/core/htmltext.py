"""Text into HTML for the template tags that build markup in Python (report cards and sections,
search lists, statistics tables, recurring problems).

`escaped_text` gives what the templates' autoescape gave for plain text, without
`conditional_escape`'s lazy-string and safe-string checks, which were a third to a half of those
tags' time. Only for text that is never a safe string (titles, answers, labels, numbers): markup is
written in the tag itself, and nothing from the database is trusted.
"""

from html import escape


def escaped_text(value: object) -> str:
    return escape(str(value), quote=True)
