"""The app-level import graph has no cycle, and core imports no other Monitora app.

Built with `ast` over every non-test module of monitora/<app>/ (function-level imports included:
a lazy import is still a dependency), so a new cycle fails here before it fails at start-up.
"""

import ast
from pathlib import Path

import monitora

ROOT = Path(monitora.__file__).parent


def _imported(node: ast.AST, package: tuple[str, ...]) -> list[str]:
    """Absolute names a statement imports; relative ones resolved against the module's package."""
    if isinstance(node, ast.ImportFrom):
        base = list(package[: len(package) - node.level + 1]) if node.level else []
        if node.module:
            return [".".join([*base, node.module])]
        return [".".join([*base, alias.name]) for alias in node.names]  # `from .. import app`
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def _app_graph(root: Path = ROOT) -> dict[str, dict[str, list[str]]]:
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(root.glob("*/**/*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        app = parts[0]
        edges = graph.setdefault(app, {})
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (names := _imported(node, ("monitora", *parts[:-1]))):
                continue
            for name in names:
                bits = name.split(".")
                if bits[0] == "monitora" and len(bits) > 1 and bits[1] != app:
                    edges.setdefault(bits[1], []).append(f"{path.relative_to(root)}:{node.lineno}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Every elementary cycle found by a depth-first search (each reported once, rotated to its minimum)."""
    found: set[tuple[str, ...]] = set()

    def visit(start: str, node: str, path: list[str]) -> None:
        for nxt in graph.get(node, {}):
            if nxt == start:
                cycle = path[path.index(min(path)) :] + path[: path.index(min(path))]
                found.add(tuple(cycle))
            elif nxt not in path and nxt > start:
                visit(start, nxt, [*path, nxt])

    for start in graph:
        visit(start, start, [start])
    return [list(c) for c in sorted(found)]


def test_the_graph_sees_real_imports():
    graph = _app_graph()
    assert "reports" in graph["moderation"] and "core" in graph["reports"]


def test_no_import_cycle_between_apps():
    graph = _app_graph()
    cycles = _cycles(graph)
    detail = [
        " -> ".join(c + [c[0]])
        + ": "
        + "; ".join(graph[a][b][0] for a, b in zip(c, c[1:] + c[:1], strict=True))
        for c in cycles
    ]
    assert cycles == [], detail


def test_core_knows_no_domain():
    assert _app_graph()["core"] == {}


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}) == [["a", "b", "c"]]


def test_relative_imports_count(tmp_path):
    for name, text in {
        "reports/sub/views.py": "from ...moderation import models\nfrom .. import forms\n",
        "moderation/services.py": "from .. import core\nfrom . import models\n",
        "core/utils.py": "import os\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = _app_graph(tmp_path)
    assert {app: sorted(edges) for app, edges in graph.items()} == {
        "core": [],
        "moderation": ["core"],
        "reports": ["moderation"],
    }
