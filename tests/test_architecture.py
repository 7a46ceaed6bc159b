"""Dependencies run one way (common <- plans <- kpis <- boards <- reports), with no import cycles between modules.

Every module of the tracker is parsed with `ast`, so an import inside a function counts as much as one at
the top of the file. An import under `if TYPE_CHECKING:` (for type hints only) never runs: it must still point
down, but it closes no loop. Run as a script for the figures: `python tests/test_architecture.py`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each app may import the apps below it, never one above it.
LAYERS = ["common", "plans", "kpis", "boards", "reports"]
SETTINGS_PACKAGE = "improvement"
# The settings package: configuration only. Its URLconf routes to every app.
SETTINGS_MODULES = {"__init__", "settings", "urls", "wsgi"}
MAY_IMPORT_EVERY_APP = {"improvement.urls"}
# Django's tasks must be importable by path from the worker, and call the service that enqueues them.
ALLOWED_CYCLES = [{"reports.services", "reports.tasks"}]
TRACKER = {*LAYERS, SETTINGS_PACKAGE}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def tracker_modules():
    """{module name: path} of every Python module of the tracker's apps and settings package."""
    return {module_name(path): path for package in TRACKER for path in sorted((ROOT / package).rglob("*.py"))}


def _is_type_checking(test):
    """`if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:`, nothing looser (not `or`, not `else`)."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING" and isinstance(test.value, ast.Name)
    )


def imports_of(name, path, modules):
    """[(line, imported module, lazy, type only)] of the tracker modules `name` imports.

    Lazy when inside a function; type only when in the body of `if TYPE_CHECKING:`, which never runs.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    lazy_lines = {
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    type_only_lines = {
        node.lineno
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and _is_type_checking(block.test)
        for statement in block.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(filter(None, [*anchor, base]))
            # `from package import module` imports the module; `from module import name` the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in dict.fromkeys(targets):
            if target.split(".")[0] in TRACKER:
                found.append((node.lineno, target, node.lineno in lazy_lines, node.lineno in type_only_lines))
    return found


def app_of(module):
    return module.split(".")[0]


def upward(importer, imported):
    """Why `importer` may not import `imported`, or None when the import runs the allowed way."""
    source, target = app_of(importer), app_of(imported)
    if source == target:
        return None
    if source == SETTINGS_PACKAGE:
        return None if importer in MAY_IMPORT_EVERY_APP else "the settings package imports an app"
    if target == SETTINGS_PACKAGE:
        return "an app imports the settings package (read django.conf.settings instead)"
    if LAYERS.index(target) > LAYERS.index(source):
        return f"{source} imports {target}, which sits above it"
    return None


def import_graph():
    modules = tracker_modules()
    return modules, {name: imports_of(name, path, modules) for name, path in modules.items()}


def upward_imports():
    """Every import that runs upward, type only or not: a type hint naming a higher app is a dependency too."""
    modules, graph = import_graph()
    return [
        f"{modules[name].relative_to(ROOT)}:{line} {target}: {reason}"
        for name, edges in graph.items()
        for line, target, _lazy, _type_only in edges
        if (reason := upward(name, target))
    ]


def cycles():
    """Groups of modules that import each other, directly or round a loop (Tarjan's strongly connected components).

    Only imports that run count: one under `if TYPE_CHECKING:` closes no loop at import time.
    """
    _modules, graph = import_graph()
    edges = {
        name: {target for _line, target, _lazy, type_only in found if target in graph and not type_only}
        for name, found in graph.items()
    }
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for following in edges[node]:
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in on_stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def largest_modules(count=5):
    modules = tracker_modules()
    lines = {name: len(path.read_text().splitlines()) for name, path in modules.items() if "migrations" not in name}
    return sorted(lines.items(), key=lambda item: -item[1])[:count]


def test_dependencies_run_one_way():
    assert upward_imports() == []


def test_the_settings_package_holds_configuration_only():
    modules = {path.stem for path in (ROOT / SETTINGS_PACKAGE).glob("*.py")}
    assert modules <= SETTINGS_MODULES
    assert not [path for path in (ROOT / SETTINGS_PACKAGE).iterdir() if path.is_dir() and path.name != "__pycache__"]


def test_no_module_imports_itself_round_a_loop():
    assert [group for group in cycles() if group not in ALLOWED_CYCLES] == []


def test_only_the_body_of_if_type_checking_counts_as_type_only(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import typing\n"
        "from typing import TYPE_CHECKING\n"
        "from plans import rag\n"
        "if TYPE_CHECKING:\n"
        "    from plans.models import Action\n"
        "else:\n"
        "    from plans import reading\n"
        "if typing.TYPE_CHECKING:\n"
        "    import plans.summary\n"
        "if TYPE_CHECKING or True:\n"
        "    from plans import services\n"
    )
    modules = {"plans.rag": None, "plans.reading": None, "plans.services": None}
    found = {target: type_only for _line, target, _lazy, type_only in imports_of("plans.sample", module, modules)}
    assert found == {
        "plans.rag": False,
        "plans.models": True,
        "plans.reading": False,
        "plans.summary": True,
        "plans.services": False,
    }


def test_the_allowed_cycle_is_closed_lazily_in_one_place():
    _modules, graph = import_graph()
    for group in ALLOWED_CYCLES:
        lazy = [
            (name, line)
            for name in group
            for line, target, is_lazy, _type in graph[name]
            if target in group and is_lazy
        ]
        eager = [
            (name, line)
            for name in group
            for line, target, is_lazy, type_only in graph[name]
            if target in group and not is_lazy and not type_only
        ]

        assert len(lazy) == 1, lazy
        assert len({name for name, _line in eager}) <= 1, eager


if __name__ == "__main__":
    found = upward_imports()
    print(f"{len(found)} upward imports")
    for line in found:
        print("  ", line)
    print(f"{len(cycles())} import cycles")
    for group in cycles():
        print("  ", " <-> ".join(sorted(group)))
    print("largest modules:")
    for name, lines in largest_modules():
        print(f"   {lines:5d} {name}")
