"""Who may dismiss a discrepancy: editors (redazione). Registered by InsightsConfig.ready()."""

from monitora.core.permissions import Rule, is_editor

RULES: dict[str, Rule] = {
    "discrepancy.dismiss": lambda u, d: is_editor(u),
}
