"""The site's chrome around every page of `base.html`: `{% static_links %}` in the head,
`{% site_header %}` (skip link, main navigation, account links, language switch) and `{% site_footer %}`.

The same markup the template had, built in Python: as template nodes (thirteen `{% url %}`, five
`{% static %}`, a dozen `{% trans %}`, the language loop and the include) it cost ~0.7 ms on every
request, a fixed cost of each page even with nothing else to render. What depends only on the code
and the language (reversed URLs, static paths from the manifest, translated labels, the anonymous
account links) is built once per process, language and script prefix (`_chrome`); per request only
the current section's `aria-current`, the signed-in account links (`accounts/_nav.html`, rendered
as the include did) and the `next` path of the language links (URL-encoded, then escaped) are added.
Any settings change (tests) forgets what was built.
"""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info, gettext, gettext_noop

from monitora.core.htmltext import escaped_text

register = template.Library()

NAV_TEMPLATE = "accounts/_nav.html"
# (URL name, label, attribute of request.resolver_match, value that makes the link aria-current)
SECTIONS = (
    ("public:home", gettext_noop("Inizio"), "url_name", "home"),
    ("public:report_list", gettext_noop("Report"), "url_name", "report_list"),
    ("catalogue:search", gettext_noop("Progetti"), "app_name", "catalogue"),
    ("search:reports", gettext_noop("Cerca"), "url_name", "reports"),
    ("stats:statistics", gettext_noop("Statistiche"), "url_name", "statistics"),
    ("opendata:index", gettext_noop("Open data"), "app_name", "opendata"),
)


@dataclass(frozen=True)
class _Chrome:
    top: str  # skip link, brand and the opening of the main navigation
    sections: tuple[tuple[str, str, str, str], ...]  # (attribute, value, link, link aria-current)
    anonymous_nav: str  # accounts/_nav.html as anonymous visitors get it
    switch: tuple[str, ...]  # the rest of the header, split where the `next` path goes
    footer: str


@lru_cache(maxsize=16)
def _chrome(language: str, script_prefix: str) -> _Chrome:
    """Everything of the chrome that depends only on the code and `language` (the active one)."""

    def url(name: str, *args: str) -> str:
        return escaped_text(reverse(name, args=args))

    # Translated outside the f-strings, where `makemessages` finds them; escaped as `{% trans %}` did.
    skip = escaped_text(gettext("Vai al contenuto"))
    main_nav = escaped_text(gettext("Navigazione principale"))
    switch_nav = escaped_text(gettext("Cambia lingua"))
    language_label = escaped_text(gettext("Lingua"))
    privacy = escaped_text(gettext("Privacy"))
    open_data = escaped_text(gettext("Open data"))
    top = (
        f'<a class="skip-link" href="#main">{skip}</a>\n'
        '  <header class="site-header">\n'
        f'    <a class="brand" href="{url("public:home")}">Monitora</a>\n'
        f'    <nav aria-label="{main_nav}">\n'
        "      <ul>"
    )
    sections = []
    for name, label, attribute, value in SECTIONS:
        start, end = f'\n        <li><a href="{url(name)}"', f">{escaped_text(gettext(label))}</a></li>"
        sections.append((attribute, value, start + end, start + ' aria-current="page"' + end))
    switch = [
        "\n      </ul>\n    </nav>\n"
        f'    <nav class="lang-switch" aria-label="{switch_nav}">\n'
        f"      <span>{language_label}:</span>\n      <ul>"
    ]
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        code, name = info["code"], info["name_local"]
        switch[-1] += f'\n        <li><a href="{url("public:language", code)}?next='
        current = ' aria-current="true"' if code == language else ""
        switch.append(
            f'" lang="{escaped_text(code)}" hreflang="{escaped_text(code)}"{current}>'
            f"{escaped_text(name and name[0].upper() + name[1:])}</a></li>"  # |capfirst
        )
    switch[-1] += "\n      </ul>\n    </nav>\n  </header>"
    footer = (
        '<footer class="site-footer">\n'
        f'    <p><a href="{url("public:privacy")}">{privacy}</a>'
        f' · <a href="{url("opendata:index")}">{open_data}</a></p>\n'
        "    <p>"
        # Not escaped, as `{% blocktrans %}` did not: the catalogue's own text, no variables.
        + gettext(
            "I report sono pubblicati con licenza CC BY-SA 4.0. Dati dei progetti: OpenCoesione – "
            "Presidenza del Consiglio dei Ministri, Dipartimento per le politiche di coesione (CC BY 4.0)."
        )
        + "</p>\n  </footer>"
    )
    anonymous_nav = render_to_string(NAV_TEMPLATE, {"user": AnonymousUser()})
    return _Chrome(top, tuple(sections), anonymous_nav, tuple(switch), footer)


@lru_cache(maxsize=1)
def _static_links() -> str:
    def url(path: str) -> str:
        return escaped_text(static(path))

    return (
        f'<link rel="icon" href="{url("favicon.svg")}" type="image/svg+xml">\n'
        f'  <link rel="stylesheet" href="{url("css/monitora.css")}">\n'
        f'  <link rel="stylesheet" href="{url("css/print.css")}" media="print">\n'
        f'  <script src="{url("vendor/htmx.org/htmx.min.js")}" defer></script>\n'
        f'  <script src="{url("js/monitora.js")}" defer></script>'
    )


@receiver(setting_changed)
def _forget(**kwargs: object) -> None:
    _chrome.cache_clear()
    _static_links.cache_clear()


@register.simple_tag
def static_links() -> SafeString:
    """The favicon, style sheets and scripts of every page (paths from the static manifest)."""
    return SafeString(_static_links())


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    chrome = _chrome(get_language(), get_script_prefix())
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    parts = [chrome.top]
    for attribute, value, link, current_link in chrome.sections:
        parts.append(current_link if match is not None and getattr(match, attribute) == value else link)
    parts.append("\n        ")
    user = context.get("user")
    if getattr(user, "is_authenticated", False):  # as `{% if user.is_authenticated %}` read it
        with context.push():  # as `{% include %}` did: the nav's variables stay inside it
            parts.append(context.template.engine.get_template(NAV_TEMPLATE).render(context))
    else:
        parts.append(chrome.anonymous_nav)
    next_path = escaped_text(quote(request.get_full_path())) if request is not None else ""
    parts.append(next_path.join(chrome.switch))
    return SafeString("".join(parts))


@register.simple_tag
def site_footer() -> SafeString:
    return SafeString(_chrome(get_language(), get_script_prefix()).footer)
