"""build.spec (issue #7): every hidden import and exclude is explained, and the data the app needs ships."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _comments_by_line() -> dict[int, str]:
    tokens = tokenize.generate_tokens(io.StringIO(SPEC.read_text(encoding="utf-8")).readline)
    return {tok.start[0]: tok.string for tok in tokens if tok.type == tokenize.COMMENT}


def _list_assigned(name: str) -> ast.List:
    for node in _spec_tree().body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            assert isinstance(node.value, ast.List), f"{name} should be a list literal"
            return node.value
    raise AssertionError(f"build.spec assigns no {name}")


@pytest.mark.parametrize("name", ["hiddenimports", "excludes"])
def test_every_entry_has_a_comment(name):
    entries = _list_assigned(name).elts
    assert entries, f"{name} is empty"
    comments = _comments_by_line()
    for entry in entries:
        assert isinstance(entry, ast.Constant) and isinstance(entry.value, str)
        comment = comments.get(entry.lineno, "").lstrip("#").strip()
        assert len(comment) >= 8, f"{name} entry {entry.value!r} (line {entry.lineno}) needs a comment saying why"


def test_excludes_cover_what_the_app_does_not_use():
    excludes = {e.value for e in _list_assigned("excludes").elts}
    for module in ("tkinter", "pytest", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQml",
                   "PySide6.QtQuick", "PySide6.QtMultimedia", "PySide6.QtPdf", "PySide6.QtCharts", "numpy"):
        assert module in excludes
    for needed in ("PySide6.QtNetwork", "PySide6.QtWidgets", "PIL", "pypdf", "sqlite3", "logging"):
        assert needed not in excludes  # single instance, GUI, reportlab's import, selftest, db, crash log


def _spec_datas() -> list[tuple[str, str]]:
    """Run the spec's top part (up to the Analysis call) to get the real datas list."""
    source = SPEC.read_text(encoding="utf-8")
    head = source[: source.index("\na = Analysis(")]
    namespace: dict = {"SPECPATH": str(ROOT), "__file__": str(SPEC)}
    exec(compile(head, str(SPEC), "exec"), namespace)  # noqa: S102 - our own spec file
    return namespace["datas"]


def test_datas_ship_resources_and_migrations():
    shipped = {
        (Path(src).resolve().relative_to(ROOT).as_posix(), dest.replace("\\", "/")) for src, dest in _spec_datas()
    }
    sources = {src for src, _ in shipped}
    for src, dest in shipped:
        assert Path(src).parent.as_posix() == dest, f"{src} must land in {Path(src).parent}"
        assert "__pycache__" not in src and not src.endswith(".pyc")
    expected = [
        *(p for p in (ROOT / "resources" / "forms").glob("*.json")),
        ROOT / "resources" / "areas.json",
        ROOT / "resources" / "fonts" / "LiberationSerif-Regular.ttf",
        ROOT / "resources" / "fonts" / "LICENSE-LiberationSerif.txt",
        ROOT / "resources" / "icons" / "app.png",
        ROOT / "resources" / "icons" / "app.ico",
        ROOT / "db" / "migrations" / "env.py",
        ROOT / "db" / "migrations" / "script.py.mako",
        *(p for p in (ROOT / "db" / "migrations" / "versions").glob("*.py")),
    ]
    for path in expected:
        assert path.relative_to(ROOT).as_posix() in sources, f"{path.relative_to(ROOT)} is not bundled"
    assert "resources/icons/make_icon.py" not in sources  # a build-time script, not app data


def test_onedir_windowed_with_icon_and_version():
    text = SPEC.read_text(encoding="utf-8")
    assert "exclude_binaries=True" in text and "COLLECT(" in text  # onedir, not onefile
    assert "console=False" in text
    assert 'icon=str(ROOT / "resources" / "icons" / "app.ico")' in text
    assert "version=str(version_file)" in text and "VSVersionInfo(" in text
    assert (ROOT / "resources" / "icons" / "app.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_installer_script_matches_the_app():
    from core.appdata import APP_AUTHOR, APP_NAME

    iss = (ROOT / "installer" / "cchc.iss").read_text(encoding="utf-8-sig")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={userpf}\\TheoDoiCCHC" in iss
    assert 'MessagesFile: "compiler:Languages\\Vietnamese.isl"' in iss
    assert "Vietnamese.isl\n; MUST be present" in iss
    # The data folder the uninstaller may delete is the one platformdirs gives on Windows.
    assert f'#define DataDir "{{localappdata}}\\{APP_AUTHOR}\\{APP_NAME}"' in iss
    assert "DeleteDataCheck=Xóa cả dữ liệu" in iss
    assert "Check.Checked := False;" in iss  # unticked unless the user asks
    assert "DeleteUserData := Result and Check.Checked;" in iss
    assert "if (CurUninstallStep = usPostUninstall) and DeleteUserData then" in iss
    assert '#define AppExeName "TheoDoiCCHC.exe"' in iss and 'APP_NAME = "TheoDoiCCHC"' in SPEC.read_text("utf-8")
    assert "{autoprograms}" in iss and "{autodesktop}" in iss  # Start-menu and desktop shortcuts


def test_windows_workflow_builds_installs_and_selftests():
    wf = (ROOT / ".github" / "workflows" / "windows-build.yml").read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in wf
    assert "PyInstaller --noconfirm --clean build.spec" in wf
    assert '"--selftest"' in wf and "iscc installer\\cchc.iss" in wf
