"""`{% report_sections %}` writes the markup the section templates wrote, every block kind escaped."""

from django.template import Context, Template

SECTIONS = [
    {
        "slug": "scoperto",
        "heading": "Cosa <abbiamo> scoperto",
        "blocks": [{"kind": "subheading", "text": "Obiettivi", "items": []}],
        "children": [
            {
                "slug": "risultati",
                "heading": "Risultati",
                "blocks": [
                    {"kind": "label", "text": "Buono & utile", "items": []},
                    {"kind": "bullets", "text": "Problemi rilevati", "items": ["<b>ritardi</b>", "costi"]},
                    {"kind": "bullets", "text": "", "items": ["uno"]},
                ],
                "children": [],
            }
        ],
    },
    {
        "slug": "rischi",
        "heading": "Rischi",
        "blocks": [{"kind": "text", "text": "Nessun <rischio>.", "items": []}],
        "children": [],
    },
]
EXPECTED = (  # what public/_report_sections.html + _report_blocks.html rendered (checked against them)
    "\n"
    '<section id="scoperto" class="report-section" aria-labelledby="titolo-scoperto">\n'
    '  <h2 id="titolo-scoperto">Cosa &lt;abbiamo&gt; scoperto</h2>\n'
    "  \n"
    "    <h3>Obiettivi</h3>\n"
    "    \n"
    "\n"
    "\n"
    "  \n"
    '  <section id="risultati" class="report-subsection" aria-labelledby="titolo-risultati">\n'
    '    <h3 id="titolo-risultati">Risultati</h3>\n'
    "    \n"
    '    <p class="answer-label" lang="it"><strong>Buono &amp; utile</strong></p>\n'
    "    \n"
    "\n"
    '    <h4>Problemi rilevati</h4><ul lang="it"><li>&lt;b&gt;ritardi&lt;/b&gt;</li><li>costi</li></ul>\n'
    "    \n"
    "\n"
    '    <ul lang="it"><li>uno</li></ul>\n'
    "    \n"
    "\n"
    "\n"
    "  </section>\n"
    "  \n"
    "</section>\n"
    "\n"
    '<section id="rischi" class="report-section" aria-labelledby="titolo-rischi">\n'
    '  <h2 id="titolo-rischi">Rischi</h2>\n'
    "  \n"
    '    <div class="answer-text" lang="it"><p>Nessun &lt;rischio&gt;.</p></div>\n'
    "\n"
    "\n"
    "  \n"
    "</section>\n"
)


def test_every_block_kind_at_both_levels():
    template = Template("{% load report_sections %}{% report_sections sections 'it' %}")
    assert template.render(Context({"sections": SECTIONS})) == EXPECTED
