"""`CompiledQuery` gives what the queryset gives, compiles once, and binds each call's values."""

import datetime as dt

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from monitora.catalogue.tests.factories import ProjectFactory
from monitora.core.compiled import Bind, CompiledQuery, numbered
from monitora.reports.models import Report, ReportLink
from monitora.reports.selectors import published_report_for_page
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
ID = models.BigIntegerField()


def test_values_match_the_queryset_for_every_bound_value():
    project = ProjectFactory()
    reports = [ReportFactory(published=True, project=project) for _ in range(3)] + [ReportFactory()]
    query = CompiledQuery(
        lambda: (
            Report.objects.published()
            .filter(project_id=Bind("project", ID))
            .values("id", "title", "published_at")
        )
    )
    expected = list(Report.objects.published().filter(project=project).values("id", "title", "published_at"))
    assert query(project=project.pk) == expected
    assert len(expected) == 3
    assert isinstance(expected[0]["published_at"], dt.datetime)  # converters applied (SQLite text)
    assert query(project=project.pk + 1000) == []
    assert reports[-1].pk not in {row["id"] for row in query(project=project.pk)}


def test_the_sql_is_compiled_once_and_each_call_is_one_query():
    built = []

    def build():
        built.append(1)
        return Report.objects.filter(pk=Bind("report", ID)).values_list("id", "title")

    query = CompiledQuery(build)
    first, second = ReportFactory(title="Primo"), ReportFactory(title="Secondo")
    with CaptureQueriesContext(connection) as captured:
        assert query(report=first.pk) == [(first.pk, "Primo")]
        assert query(report=second.pk) == [(second.pk, "Secondo")]
    assert len(built) == 1
    assert len(captured) == 2


def test_model_instances_load_only_the_selected_fields():
    report = ReportFactory(title="Con link")
    ReportLink.objects.create(
        report=report, kind=ReportLink.Kind.SOURCE, url="https://example.org/a", position=1
    )
    query = CompiledQuery(lambda: ReportLink.objects.filter(report_id=Bind("report", ID)).only("url"))
    (link,) = query(report=report.pk)
    assert isinstance(link, ReportLink) and not link._state.adding
    assert link.url == "https://example.org/a"
    assert link.get_deferred_fields() == {f.attname for f in ReportLink._meta.concrete_fields} - {"id", "url"}


def test_each_shape_is_compiled_on_its_own():
    reports = [ReportFactory() for _ in range(4)]
    query = CompiledQuery(
        lambda count: (
            Report.objects.filter(title__in=Bind.many("title", models.CharField(), count))
            .order_by("pk")
            .values_list("pk")
        )
    )
    titles = [r.title for r in reports]
    assert query(shape=(2,), **numbered("title", titles[:2])) == [(r.pk,) for r in reports[:2]]
    assert query(shape=(3,), **numbered("title", titles[1:])) == [(r.pk,) for r in reports[1:]]


def test_a_missing_value_is_an_error_not_a_null():
    query = CompiledQuery(lambda: Report.objects.filter(pk=Bind("report", ID)).values("id"))
    with pytest.raises(TypeError, match="report"):
        query()


def test_related_rows_and_flat_lists_are_refused():
    with pytest.raises(ValueError, match="related"):
        CompiledQuery(lambda: Report.objects.select_related("team").filter(pk=Bind("r", ID)))(r=1)
    with pytest.raises(ValueError, match="flat"):
        CompiledQuery(lambda: Report.objects.filter(pk=Bind("r", ID)).values_list("id", flat=True))(r=1)


def test_report_page_read_equals_the_orm_read_and_needs_no_more_queries():
    report = ReportFactory(
        published=True, project=ProjectFactory(), project_snapshot={"title": "T", "payments": 5}
    )
    expected = Report.objects.with_public_relations().get(pk=report.pk)
    with CaptureQueriesContext(connection) as captured:
        read = published_report_for_page(report.pk)
        shown = (read.project.code, read.project.removed_at, read.team.name, read.questionnaire.code)
    assert len(captured) == 1
    assert shown == (expected.project.code, None, expected.team.name, expected.questionnaire.code)
    for name in ("title", "status", "published_at", "project_snapshot", "language", "team_id", "project_id"):
        assert getattr(read, name) == getattr(expected, name), name
    assert "project_snapshot" not in read.get_deferred_fields()
    assert read.get_deferred_fields() >= {"lock_version", "created_by_id"}


def test_report_page_read_is_published_only():
    draft = ReportFactory()
    assert published_report_for_page(draft.pk) is None
    no_project = ReportFactory(published=True, team=None)
    read = published_report_for_page(no_project.pk)
    assert read.project_id is None and read.team_id is None


def test_an_id_no_column_can_hold_matches_nothing(client):
    """An id from a URL past the 64-bit range: no row, no query (the database would refuse it)."""
    query = CompiledQuery(lambda: Report.objects.filter(pk=Bind("report", ID)).values("id"))
    with CaptureQueriesContext(connection) as captured:
        assert query(report=10**20) == []
        assert query(report=-(10**20)) == []
    assert len(captured) == 0
    for path in ("/report/99999999999999999999/", "/report/99999999999999999999/pdf/"):
        assert client.get(path).status_code == 404
