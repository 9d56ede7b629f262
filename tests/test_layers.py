"""Layering: gui, cli → core → db. core/ and db/ never import Qt; db/ never imports core/; inside core/,
the families import only downward (ARCHITECTURE.md): the shared vocabulary (core/*.py), then org,
then plans and signatures, then returns, reports, intake, and the application around them (app)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import REPO


def _imports(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (REPO / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPO))] = names
    return found


def test_core_and_db_do_not_import_qt_in_source():
    for folder in ("core", "db"):
        for path, names in _imports(folder).items():
            assert not {"PySide6", "shiboken6", "gui"} & names, path


def test_db_does_not_import_core():
    for path, names in _imports("db").items():
        assert "core" not in names, path


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in (REPO / "core").rglob("*.py") if p.name != "__init__.py"
    )
    code = "import sys, importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + (
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad)\nsys.exit(1 if bad else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# The rank of each family of core/: a module may import its own family or a lower rank, never higher
# or the same rank's sibling (plans and signatures know nothing of each other; nor do intake and index, the
# PAR-Index, which reads plans, returns and the reports' PDF layout and seal).
FAMILY_RANK = {"": 0, "org": 1, "plans": 2, "signatures": 2, "returns": 3, "reports": 4, "intake": 5, "index": 5,
               "app": 6}


def _family(module: str) -> str | None:
    """The family of a dotted core module name ("" for the shared vocabulary), None outside core."""
    parts = module.split(".")
    if parts[0] != "core":
        return None
    if len(parts) > 1 and (REPO / "core" / parts[1]).is_dir():
        return parts[1]
    return ""


def _core_edges() -> list[tuple[str, str, str]]:
    """(file, its family, imported family) for every import of a core module inside core/, lazy ones too."""
    edges = []
    for path in (REPO / "core").rglob("*.py"):
        rel = path.relative_to(REPO)
        own = rel.parts[1] if len(rel.parts) > 2 else ""
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                raise AssertionError(f"{rel}: relative import; core imports by full name")
            for t in targets:
                fam = _family(t)
                if fam is not None and fam != own:
                    edges.append((str(rel), own, fam))
    return edges


def test_every_core_family_has_a_rank():
    families = {p.name for p in (REPO / "core").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert families == set(FAMILY_RANK) - {""}


def test_core_families_import_only_downward():
    edges = _core_edges()
    assert edges, "the walk found no imports between families: the test would pass on anything"
    upward = [(f, own or "core", fam or "core") for f, own, fam in edges if FAMILY_RANK[fam] >= FAMILY_RANK[own]]
    assert not upward, "imports upward or sideways between core families: " + ", ".join(
        f"{f} ({own} → {fam})" for f, own, fam in upward)


def test_core_never_imports_the_front_ends():
    for folder in ("core", "db"):
        for path, names in _imports(folder).items():
            assert not {"gui", "cli", "main"} & names, path


def test_the_front_ends_are_peers():
    for path, names in _imports("cli").items():
        assert not {"gui", "PySide6"} & names, path
    for path, names in _imports("gui").items():
        assert "cli" not in names, path
