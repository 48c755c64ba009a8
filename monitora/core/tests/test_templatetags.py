"""`{% can %}` answers in templates exactly what `core.permissions.can` answers in code, per role."""

import pytest
from django.template import Context, Template

from monitora.conftest import make_report
from monitora.core.permissions import can

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "registered", "owner", "member", "other", "editor", "admin")


def _render(user, report) -> str:
    template = Template(
        '{% load permissions %}{% can "report.publish" report as may_publish %}'
        '{% can "report.edit" report as may_edit %}{% can "moderation.queue" as may_queue %}'
        "{{ may_publish }} {{ may_edit }} {{ may_queue }}"
    )
    return template.render(Context({"user": user, "report": report}))


def test_the_tag_follows_the_permission_layer_for_every_role(roles):
    report = make_report(roles.team, status="submitted")
    draft = make_report(roles.team)
    expected = {
        "anonymous": (False, False, False),
        "registered": (False, False, False),
        "owner": (False, False, False),
        "member": (False, False, False),
        "other": (False, False, False),
        "editor": (True, False, True),
        "admin": (True, False, True),
    }
    for name in ROLES:
        user = getattr(roles, name)
        assert _render(user, report) == " ".join(str(v) for v in expected[name]), name
        may_edit_draft = _render(user, draft).split()[1] == "True"
        assert may_edit_draft == can(user, "report.edit", draft) == (name in ("owner", "member")), name


def test_the_tag_reads_the_request_user(rf, roles):
    request = rf.get("/")
    request.user = roles.editor
    template = Template('{% load permissions %}{% can "moderation.queue" as ok %}{{ ok }}')
    assert template.render(Context({"request": request})) == "True"


def test_an_unknown_action_is_denied_in_templates(roles):
    template = Template('{% load permissions %}{% can "report.fly" as ok %}{{ ok }}')
    assert template.render(Context({"user": roles.admin})) == "False"


def test_navigation_shows_the_editors_queue_only_to_editors(client, roles):
    for name, shown in (("member", False), ("editor", True), ("admin", True)):
        client.force_login(getattr(roles, name))
        assert ("/redazione/" in client.get("/").content.decode()) == shown, name
