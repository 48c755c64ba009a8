"""The official project record frozen into the report at publication."""

from typing import Any

from monitora.catalogue.models import Project

FIELDS = [
    "code", "cup", "title", "summary", "theme_code", "theme", "cycle_code", "cycle", "programme_codes",
    "programmes", "fund", "public_funding", "net_public_funding", "payments", "state", "procedural_state",
    "start_date", "planned_end_date", "actual_end_date", "cup_nature", "subjects", "source_updated_on",
]  # fmt: skip


def project_snapshot(project: Project | None) -> dict[str, Any]:
    if project is None:
        return {}
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(project, name)
        if value is None or isinstance(value, str | list | dict | int):
            data[name] = value
        else:  # Decimal, date: strings keep full precision and read well in JSON
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    data["territories"] = [
        {"code": t.code, "kind": t.kind, "name": t.name} for t in project.territories.order_by("kind", "code")
    ]
    data["opencoesione_url"] = project.opencoesione_url
    return data
