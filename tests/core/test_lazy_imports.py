"""Imports of siaga modules sit at the top of the module, except the lazy loads named here.

An import placed inside a function used to hide import cycles; now that there are none
(test_import_graph.py), one is allowed only where loading late is the point, and says why.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# Every command imports its domain only when it runs, so `siaga --help` and each command start
# without loading the whole application (the web layer, every model, numpy and scikit-learn).
LAZY_PACKAGES = {
    "siaga.cli.": "a command imports its domain when it runs",
    "siaga.bench.cli": "a benchmark command imports its client when it runs",
}

# (importing module, imported module): why it is imported inside a function.
LAZY_IMPORTS = {
    ("siaga.dispatch.simulate", "siaga.demo.load"):
        "`siaga simulate` loads the demo tenants only when the configured database lacks them",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    base = module.split(".")
    base = base[:len(base) - node.level + (1 if is_package else 0)]
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, alias.name]) for alias in node.names]  # from . import service


def function_level_imports(source: str, module: str, *, is_package: bool = False
                           ) -> Iterator[tuple[int, str]]:
    """(line, imported module) of each import inside a function, outside TYPE_CHECKING blocks."""
    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[int, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)) and in_function:
                for name in _imported(child, module, is_package):
                    yield child.lineno, name
            yield from walk(child, in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))
    yield from walk(ast.parse(source), False)


def _siaga_lazy_imports() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for path in sorted((SRC / "siaga").rglob("*.py")):
        module = _module_name(path)
        for line, imported in function_level_imports(
                path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"):
            if imported == "siaga" or imported.startswith("siaga."):
                found.setdefault((module, imported), f"{path.relative_to(SRC)}:{line}")
    return found


def _allowed(module: str, imported: str) -> bool:
    return ((module, imported) in LAZY_IMPORTS
            or any(module.startswith(prefix) for prefix in LAZY_PACKAGES))


def test_siaga_modules_are_imported_at_module_top() -> None:
    unexpected = sorted(f"{where}: {imported}" for (module, imported), where
                        in _siaga_lazy_imports().items() if not _allowed(module, imported))
    assert unexpected == [], (
        "import these at the top of the module, or name the lazy load and why in LAZY_IMPORTS")


def test_every_allowed_lazy_import_still_exists() -> None:
    found = _siaga_lazy_imports()
    assert sorted(set(LAZY_IMPORTS) - set(found)) == []
    for prefix in LAZY_PACKAGES:
        assert any(module.startswith(prefix) for module, _ in found), prefix


def test_the_scan_finds_imports_inside_functions_only() -> None:
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import siaga.db\n"
        "if TYPE_CHECKING:\n"
        "    from siaga.auth.models import User\n"
        "def f() -> None:\n"
        "    from siaga.orgs.models import Region\n"
        "    if TYPE_CHECKING:\n"
        "        from siaga.units.models import Unit\n"
        "    def g() -> None:\n"
        "        from . import service\n"
        "class C:\n"
        "    async def m(self) -> None:\n"
        "        from ..errors import Invalid\n"
        "        import siaga.geo, json\n"
    )
    assert list(function_level_imports(source, "siaga.alarms.views")) == [
        (7, "siaga.orgs.models"), (11, "siaga.alarms.service"), (14, "siaga.errors"),
        (15, "siaga.geo"), (15, "json")]
    assert list(function_level_imports("def f():\n    from . import x\n", "siaga.ops",
                                       is_package=True)) == [(2, "siaga.ops.x")]
