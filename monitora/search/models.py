"""The search index: one denormalised row per published report.

Facet values are derived once, at index time (`services.report_search_index`), so that search,
map and statistics group by plain indexed columns instead of walking answers, projects and
territories per request. Full text lives in `vector` (PostgreSQL, GIN index) or in the FTS5
table `search_report_fts` (SQLite); both are created by migration 0002.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from monitora.reports.models import Report

from .facets import ClosedAnswerLabels


class ReportSearchDocument(ClosedAnswerLabels, models.Model):
    report = models.OneToOneField(Report, primary_key=True, on_delete=models.CASCADE, related_name="+")
    # Accent- and case-folded text (see `text.fold`): what both full-text engines index.
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # PostgreSQL only: setweight(title, A) || setweight(body, B) with the `italian` configuration.
    vector = SearchVectorField(null=True, editable=False)

    # Facets: a code to filter on and the label shown, empty when unknown.
    region = models.CharField(max_length=2, blank=True, db_index=True)
    region_name = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=3, blank=True, db_index=True)
    province_name = models.CharField(max_length=100, blank=True)
    theme = models.CharField(max_length=100, blank=True, db_index=True)
    theme_name = models.CharField(max_length=200, blank=True)
    cycle = models.CharField(max_length=100, blank=True, db_index=True)
    cycle_name = models.CharField(max_length=200, blank=True)
    # Harmonised across questionnaire versions (see `facts.py`): codes of the v2022 option tables.
    progress = models.CharField(max_length=2, blank=True, db_index=True)
    effectiveness = models.CharField(max_length=2, blank=True, db_index=True)
    # Legacy/v2019 "giudizio sintetico"; v2022 has no such question.
    overall = models.CharField(max_length=2, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    author_category = models.CharField(max_length=30, blank=True, db_index=True)
    # Official project state at monitoring time, from the report's project snapshot.
    official_state = models.CharField(max_length=100, blank=True)

    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Where the point comes from: "report" (the authors' pin) or the centroid of a territory.
    location_precision = models.CharField(max_length=20, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "documento di ricerca"
        verbose_name_plural = "documenti di ricerca"

    def __str__(self) -> str:
        return f"search document of report {self.report_id}"
