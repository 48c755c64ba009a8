"""Recurring problems: the most distinctive words of weaknesses and risks per theme and per region.

A stem is distinctive for a group when the share of the group's reports using it is high and the
stem is rare elsewhere: share_in_group * log(all reports / reports using it), with at least
MIN_REPORTS reports in the group. Two passes over the texts keep memory flat.
"""

import math
from collections import Counter

from django.db import transaction

from monitora.search.models import ReportSearchDocument

from .models import RecurringTerm
from .similarity import PROBLEM_KEYS, _published_chunks, report_texts
from .textmining import Spellings, tokens

MIN_REPORTS = 3
PER_GROUP = 8
IDS_PER_TERM = 50

Group = tuple[str, str]


def _groups(report_ids: list[int]) -> dict[int, list[tuple[Group, str]]]:
    rows = ReportSearchDocument.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "theme", "theme_name", "region", "region_name"
    )
    out: dict[int, list[tuple[Group, str]]] = {}
    for report_id, theme, theme_name, region, region_name in rows:
        groups = []
        if theme:
            groups.append((("theme", theme), theme_name or theme))
        if region:
            groups.append((("region", region), region_name or region))
        out[report_id] = groups
    return out


def _problem_stems(texts: dict[str, str], spellings: Spellings | None = None) -> set[str]:
    pairs = [pair for key in PROBLEM_KEYS for pair in tokens(texts.get(key, ""))]
    if spellings is not None:
        spellings.add(pairs)
    return {s for s, _w in pairs}


def recurring_rebuild() -> int:
    total = 0
    df: Counter = Counter()
    group_size: Counter = Counter()
    group_df: dict[Group, Counter] = {}
    labels: dict[Group, str] = {}
    spellings = Spellings()
    for chunk in _published_chunks():
        groups = _groups(chunk)
        for report_id, texts in report_texts(chunk, PROBLEM_KEYS).items():
            found = _problem_stems(texts, spellings)
            if not found:
                continue
            total += 1
            df.update(found)
            for group, label in groups.get(report_id, []):
                labels[group] = label
                group_size[group] += 1
                group_df.setdefault(group, Counter()).update(found)
    chosen: dict[Group, dict[str, float]] = {}
    for group, counts in group_df.items():
        scored = {
            term: (n / group_size[group]) * math.log(total / df[term])
            for term, n in counts.items()
            if n >= MIN_REPORTS and df[term] < total
        }
        best = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:PER_GROUP]
        chosen[group] = dict(best)
    ids: dict[tuple[Group, str], list[int]] = {}
    for chunk in _published_chunks():
        groups = _groups(chunk)
        for report_id, texts in report_texts(chunk, PROBLEM_KEYS).items():
            found = _problem_stems(texts)
            for group, _label in groups.get(report_id, []):
                for term in found & chosen.get(group, {}).keys():
                    kept = ids.setdefault((group, term), [])
                    if len(kept) < IDS_PER_TERM:
                        kept.append(report_id)
    rows = [
        RecurringTerm(
            dimension=group[0],
            value=group[1],
            label=labels[group][:200],
            term=term,
            word=spellings.word(term),
            reports=group_df[group][term],
            score=score,
            report_ids=ids.get((group, term), []),
        )
        for group, terms in chosen.items()
        for term, score in terms.items()
    ]
    with transaction.atomic():
        RecurringTerm.objects.all().delete()
        RecurringTerm.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def recurring_by_dimension() -> dict[str, list[dict]]:
    """`recurring_problems` of every dimension in one query, without the report ids it need not read.

    Terms are rows with the fields the panel reads (`word`, `reports`), not model instances:
    building a deferred-field instance per term cost more than the query."""
    rows = RecurringTerm.objects.values_list(
        "dimension", "value", "label", "word", "reports", named=True
    ).order_by("label", "-score")
    grouped: dict[str, dict[str, dict]] = {d: {} for d in RecurringTerm.Dimension.values}
    for row in rows:
        groups = grouped.setdefault(row.dimension, {})
        group = groups.setdefault(row.value, {"value": row.value, "label": row.label, "terms": []})
        group["terms"].append(row)
    return {d: sorted(groups.values(), key=lambda g: g["label"].casefold()) for d, groups in grouped.items()}


def recurring_problems(dimension: str) -> list[dict]:
    """Groups of one dimension with their distinctive words, for the statistics page."""
    return recurring_by_dimension().get(dimension, [])
