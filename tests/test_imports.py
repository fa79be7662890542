"""Imports go one way (DESIGN §2): no engine and nothing in ``formats`` imports ``synth``, the
CLI or the web app. Read from the source with ``ast``, so a lazy import inside a function counts
as much as one at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
LOWER = ("continuum.dashboard", "continuum.support", "continuum.improvement", "continuum.formats")
UPPER = ("continuum.synth", "continuum.cli", "continuum.web")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(f"{package}.") for package in packages)


def import_edges() -> list[tuple[str, str]]:
    """(importer, imported) for every continuum module under ``src``."""
    edges = []
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        edges.extend((module, name) for name in sorted(_imported(path, module)))
    return edges


def test_no_engine_or_format_imports_synth_cli_or_web() -> None:
    wrong = [
        (importer, imported)
        for importer, imported in import_edges()
        if _within(importer, LOWER) and _within(imported, UPPER)
    ]
    assert wrong == []


def test_an_import_inside_a_function_or_relative_is_an_edge(tmp_path: Path) -> None:
    engine = tmp_path / "continuum" / "dashboard" / "late.py"
    engine.parent.mkdir(parents=True)
    engine.write_text(
        "def f() -> None:\n    from continuum.synth import generate_county\n"
        "from ..web import demo\n",
        encoding="utf-8",
    )
    found = _imported(engine, "continuum.dashboard.late")
    assert "continuum.synth.generate_county" in found
    assert "continuum.web.demo" in found


def test_the_walk_sees_the_cli_composing_engines() -> None:
    assert ("continuum.cli.project", "continuum.support.assistance") in import_edges()
