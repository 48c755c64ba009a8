"""Who may work on imported data (registered into `core.permissions` by ImportsConfig.ready)."""

from monitora.core.permissions import Rule, is_editor

RULES: dict[str, Rule] = {
    # Data-quality notes of imports: queue, accept, correct (obj: None or QualityNote)
    "imports.review": lambda u, o: is_editor(u),
}
