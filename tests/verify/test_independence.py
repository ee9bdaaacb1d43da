"""Verify and audit re-derive everything: an AST walk proves they import no solver code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pairing"
FORBIDDEN = (
    "ortools",
    "pairing.cpsat",
    "pairing.solve",
    "pairing.schedule",
    "pairing.cover",
    "pairing.io",
)
ALSO_FORBIDDEN = ("pairing.domain.pairs", "pairing.domain.geo")


def imported(path: Path) -> set[str]:
    """Return every module a Python file imports (absolute names; relative ones resolved)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def bad(name: str) -> bool:
    """Return whether ``name`` is (inside) a module verify and audit must not import."""
    return any(name == f or name.startswith(f + ".") for f in (*FORBIDDEN, *ALSO_FORBIDDEN))


@pytest.mark.parametrize("package", ["verify", "audit"])
def test_no_solver_imports(package: str) -> None:
    """No module under pairing/verify or pairing/audit imports ortools, cpsat, solve,
    schedule, io, or the shared pair facts and distances."""
    files = sorted((PACKAGE / package).rglob("*.py"))
    assert files
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in imported(path)
        if bad(name)
    }
    assert not offenders


def test_the_walk_sees_imports() -> None:
    """The AST walk itself finds an import of the solver when there is one."""
    assert bad("pairing.solve.terms") and bad("ortools.sat.python.cp_model")
    assert not bad("pairing.domain.cells") and not bad("pairing.iodine")
