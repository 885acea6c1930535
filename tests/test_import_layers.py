"""The package's import graph has no circles, and the model knows no file format.

Every import counts, at module level or inside a function (a deferred import is
still a dependency); only imports under ``if TYPE_CHECKING:`` are left out,
since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from project import TOOLING

PACKAGE = TOOLING / "sysabi"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(TOOLING).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: str, modules: set[str]) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base)
            # ``from sysabi.x import y`` depends on the submodule y when there is one.
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(paths)
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        # A module depends on its own package's __init__ anyway: leave that edge out.
        graph[name] = _imports(tree, package, modules) - {name, *_parents(name)}
    return graph


def _parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def test_the_finder_sees_a_circle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_deferred_imports() -> None:
    graph = import_graph()
    # commands/lint.py imports the lint package only inside run().
    assert "sysabi.lint" in graph["sysabi.commands.lint"]


def test_no_import_circles() -> None:
    assert find_cycles(import_graph()) == []


def test_the_model_knows_no_file_format() -> None:
    graph = import_graph()
    # sysabi.dedent is the model's own reading of a Description (the kernel's dedent
    # rule), kept in a module of its own for size: it imports nothing of sysabi.
    assert graph["sysabi.model"] <= {"sysabi.diagnostics", "sysabi.dedent"}
    assert not {t for t in graph["sysabi.dedent"] if t != "sysabi.model"}


#: The modules beside ``model.py`` that the commands start from: above everything.
ENTRY_POINTS = {"sysabi.cli", "sysabi.__main__"}


def _unit(module: str) -> str:
    """A module's package under sysabi (``sysabi.lint``), or the top-level module itself."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        unit = _unit(module)
        packages.setdefault(unit, set()).update(_unit(t) for t in targets if _unit(t) != unit)
    return packages


def test_the_modules_beside_the_model_import_no_package() -> None:
    # The bottom layer (model, diagnostics, errors, storage, yamlfile, forked) is
    # what every package may use, so it uses none of them. The code catalogue stood
    # here once and imported lint, migrate and coverage: it lives in lint/ now.
    graph = import_graph()
    base = {
        name for name in graph if name.count(".") == 1 and (PACKAGE / f"{name[7:]}.py").is_file()
    }
    base -= ENTRY_POINTS
    upward = {name: sorted(graph[name] - base) for name in sorted(base) if graph[name] - base}
    assert upward == {}
    assert "sysabi.catalogue" not in graph


def test_no_circles_between_packages() -> None:
    # lint/pipeline.py used the catalogue, which imported lint/rules/: a circle of
    # packages (lint -> catalogue -> lint) that the module graph does not show.
    assert find_cycles(package_graph(import_graph())) == []
