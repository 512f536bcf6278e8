"""The package structure holds: dependencies between the packages of `service/autointerp`
point one way, the pure core imports no adapter, and the API process loads no model stack."""

import ast
import subprocess
import sys
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "service" / "autointerp"
HEAVY = ("torch", "transformers", "numba")


def _node(module: str) -> str:
    """`autointerp.store.records` -> `store`; top-level modules are their own node."""
    return module.split(".")[1] if module.count(".") else module


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        source = _node(".".join(relative.parts))
        for target in _imports(path):
            if target.startswith("autointerp.") and _node(target) != source:
                edges[source].add(_node(target))
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, or None (the standard library's topological sort finds it)."""
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as error:
        return list(error.args[1])
    return None


def test_no_import_cycle_between_packages():
    edges = _graph()
    assert {"api", "application", "tasks", "store", "llm", "subjects"} <= set(edges)  # read
    assert _cycle(edges) is None


# Each package's layer: an import may only point to a lower one (so the application and the
# runners, on one layer, never import each other: a batch submits through its context).
LAYER = {
    "interp": 0, "config": 0, "observability": 0, "readiness": 0,
    "schemas": 1,
    "store": 2, "subjects": 2,
    "llm": 3, "search": 3,
    "resources": 4,
    "application": 5, "tasks": 5,
    "api": 6, "worker": 6,
    "cli": 7,
    "__main__": 8,
}  # fmt: skip


def test_imports_point_down_the_layers():
    edges = _graph()
    assert set(edges) <= set(LAYER), f"place new packages in LAYER: {set(edges) - set(LAYER)}"
    upward = [(a, b) for a, targets in edges.items() for b in targets if LAYER[b] >= LAYER[a]]
    assert upward == []


def test_cycle_detection_finds_a_cycle():
    cycle = _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert cycle is not None and set(cycle) == {"a", "b", "c"}


def test_the_core_imports_only_itself():
    edges = _graph()
    assert edges.get("interp", set()) == set()
    for path in (PACKAGE / "interp").glob("*.py"):
        outside = {m.split(".")[0] for m in _imports(path)} & {
            "torch",
            "fastapi",
            "redis",
            "pydantic",
            "transformers",
            "httpx",
        }
        assert not outside, f"{path.name} imports {outside}"


def test_the_api_process_loads_no_model_stack():
    """Importing the app, and writing its OpenAPI document, leave torch, transformers and
    numba unimported (a fresh interpreter: this test process has them loaded)."""
    script = (
        "import sys\n"
        "from autointerp.api.app import create_app\n"
        "from autointerp.config import Settings\n"
        "create_app(Settings(_env_file=None)).openapi()\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"
