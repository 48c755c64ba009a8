import pytest
from django.core.management import call_command

from monitora.catalogue.models import Territory
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.reports.models import Report, ReportStatus
from monitora.search.models import ReportSearchDocument
from monitora.search.services import report_search_index

from .helpers import make_report

pytestmark = pytest.mark.django_db


def _doc(report) -> ReportSearchDocument:
    return ReportSearchDocument.objects.get(report=report)


def test_region_and_province_from_the_authors_pin():
    report = make_report(latitude=41.0728, longitude=14.3264)  # Reggia di Caserta
    doc = _doc(report)
    assert (doc.region, doc.region_name, doc.province, doc.province_name) == (
        "15",
        "Campania",
        "061",
        "Caserta",
    )
    assert (doc.latitude, doc.longitude, doc.location_precision) == (41.0728, 14.3264, "report")


def test_region_from_project_territories_and_municipality_centroid():
    project = ProjectFactory()
    project.territories.add(TerritoryFactory(code="1272", kind=Territory.Kind.MUNICIPALITY, name="Torino"))
    doc = _doc(make_report(project=project))
    assert (doc.region, doc.province, doc.province_name) == ("01", "001", "Torino")
    assert doc.location_precision == "municipality"
    assert doc.latitude == pytest.approx(45.07, abs=0.05)


def test_project_in_several_provinces_keeps_region_and_uses_its_centroid():
    project = ProjectFactory()
    project.territories.add(
        TerritoryFactory(code="001", kind=Territory.Kind.PROVINCE, name="Torino"),
        TerritoryFactory(code="004", kind=Territory.Kind.PROVINCE, name="Cuneo"),
    )
    doc = _doc(make_report(project=project))
    assert (doc.region, doc.province, doc.location_precision) == ("01", "", "region")


def test_region_from_opencoesione_api_snapshot_with_unpadded_codes():
    snapshot = {
        "oc_stato_progetto": "In corso",
        "oc_cod_tema_sintetico": "06",
        "oc_tema_sintetico": "Cultura e turismo",
        "territori": [
            {"denominazione": "Caserta", "tipo": "C", "cod_reg": 15, "cod_prov": 61, "cod_com": 61022}
        ],
    }
    doc = _doc(make_report(project_snapshot=snapshot))
    assert (doc.region, doc.province) == ("15", "061")
    assert (doc.theme, doc.theme_name, doc.official_state) == ("06", "Cultura e turismo", "In corso")


def test_region_from_a_name_in_the_snapshot_ignoring_case_and_accents():
    doc = _doc(make_report(project_snapshot={"regione": "VALLE D'AOSTA", "state": "Concluso"}))
    assert (doc.region, doc.official_state, doc.location_precision) == ("02", "Concluso", "region")


def test_report_without_any_place_is_still_indexed():
    doc = _doc(make_report(project_snapshot={"territori": "not a list", "regione": 42}))
    assert (doc.region, doc.province, doc.latitude, doc.location_precision) == ("", "", None, "")


def test_point_outside_italy_keeps_the_pin_but_no_region():
    doc = _doc(make_report(latitude=48.85, longitude=2.35))
    assert (doc.region, doc.location_precision) == ("", "report")


def test_judgements_are_harmonised_across_questionnaire_versions():
    v2022 = make_report(answers={"stato_di_avanzamento": "4", "gs": "2"})
    v2019 = make_report(version="v2019", answers={"giudizio_sintetico": "4", "valutazione_risultati": "4"})
    legacy = make_report(version="legacy", answers={"giudizio_sintetico": "6", "valutazione_risultati": "2"})
    assert (_doc(v2022).progress, _doc(v2022).effectiveness, _doc(v2022).overall) == ("4", "2", "")
    assert (_doc(v2019).progress, _doc(v2019).effectiveness, _doc(v2019).overall) == ("5", "1", "4")
    assert (_doc(legacy).progress, _doc(legacy).effectiveness, _doc(legacy).overall) == ("6", "3", "6")


def test_theme_and_cycle_come_from_the_project_first():
    project = ProjectFactory(theme_code="13", theme="Istruzione", cycle_code="2", cycle="Ciclo 2014-2020")
    doc = _doc(make_report(project=project, project_snapshot={"theme": "Altro"}))
    assert (doc.theme, doc.theme_name, doc.cycle, doc.cycle_name) == (
        "13",
        "Istruzione",
        "2",
        "Ciclo 2014-2020",
    )


def test_unpublished_reports_leave_the_index():
    report = make_report()
    assert ReportSearchDocument.objects.filter(report=report).exists()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.REJECTED)
    assert report_search_index(report) is None
    assert not ReportSearchDocument.objects.filter(report=report).exists()
    draft = make_report(status=ReportStatus.DRAFT)
    assert not ReportSearchDocument.objects.filter(report=draft).exists()


def test_reindex_command_indexes_published_and_drops_stale(capsys):
    published = make_report()
    stale = make_report()
    ReportSearchDocument.objects.filter(report=published).delete()
    Report.objects.filter(pk=stale.pk).update(status=ReportStatus.CHANGES_REQUESTED)
    call_command("reindex_reports", batch_size=1)
    assert "Indicizzati 1 report" in capsys.readouterr().out
    assert list(ReportSearchDocument.objects.values_list("report_id", flat=True)) == [published.pk]
