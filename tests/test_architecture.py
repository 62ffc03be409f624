"""The shape of the package: one-way imports between layers, no import cycle, small modules, typed
unit records (DESIGN.md, 'Layers: data flows one way')."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plant"
MAX_LINES = 600

ABOVE_UNITS = (
    "plant.flowsheets",
    "plant.energy",
    "plant.costing",
    "plant.capacity",
    "plant.analysis",
    "plant.model",
    "plant.tree",
    "plant.report",
    "plant.dashboard",
    "plant.export",
    "plant.cli",
    "plant.bench",
    "plant.tuning",
)
"""Layers above the unit operations: a unit imports none of them."""
MAY_IMPORT_ANALYSIS = ("plant.analysis", "plant.cli", "plant.bench")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def module_imports(path: Path) -> set[str]:
    """Modules of the package imported at module level (also under ``if TYPE_CHECKING``), not inside
    functions; ``from a import b`` counts a.b where that is a module, else a."""
    tree = ast.parse(path.read_text())
    found = set()

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    found.add(sub if sub in MODULES else node.module)
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for h in getattr(node, "handlers", []):
                    visit(h.body)

    visit(tree.body)
    return {m for m in found if m == "plant" or m.startswith("plant.")}


GRAPH = {name: module_imports(path) for name, path in MODULES.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the directed graph ``edges`` (node -> successors), or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def walk(node):
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for name in sorted(edges):
        if name not in state and (found := walk(name)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle():
    # a package's __init__ importing its own submodules is not a cycle; every other edge counts
    edges = {
        a: {b for b in deps if not (b == a or a.startswith(b + "."))} for a, deps in GRAPH.items()
    }
    assert "plant.tree" in GRAPH["plant.flowsheets.hydromet"]  # the graph sees real imports
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("plant.units")])
def test_units_import_no_higher_layer(name):
    higher = sorted(m for m in GRAPH[name] if m.startswith(ABOVE_UNITS))
    assert not higher, f"{name} imports {higher}"


@pytest.mark.parametrize("name", [n for n in MODULES if not n.startswith(MAY_IMPORT_ANALYSIS)])
def test_only_the_analyses_and_faces_import_analysis(name):
    assert not any(m.startswith("plant.analysis") for m in GRAPH[name]), name


def test_only_thermo_imports_cantera_and_nothing_imports_streamlit():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "streamlit" not in imported, name
        if name != "plant.thermo":
            assert "cantera" not in imported, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_600_lines(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_unit_records_are_typed():
    # nothing outside the unit operations reads a unit's figures by string key: the record has no
    # dictionary of design keys, and its free-form 'performance' is read by no other layer
    from plant.units.record import UnitResult

    assert "design" not in UnitResult.__dataclass_fields__
    for name, path in MODULES.items():
        if name.startswith("plant.units"):
            continue
        tree = ast.parse(path.read_text())
        reads = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and n.attr == "performance"
        ]
        assert not reads, f"{name} reads UnitResult.performance at lines {reads}"
