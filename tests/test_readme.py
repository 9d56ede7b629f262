"""The README's test command is the one CI runs."""

from tests.conftest import REPO


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line.split("=", 1)[1].strip().strip("'") for line in ci.splitlines()
                   if line.startswith("TEST_COMMAND="))
    assert f"    {command}\n" in readme
    assert "main.py --demo" in readme


def test_the_readme_names_the_linux_packages_the_window_needs_and_keeps_the_windows_lines():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libegl1"):
        assert package in readme
    assert "py -3.11 -m venv .venv; .venv\\Scripts\\pip install -r requirements.txt; .venv\\Scripts\\python main.py" \
        in readme


def _requirements(name: str) -> list[str]:
    lines = (REPO / name).read_text(encoding="utf-8").splitlines()
    return [line.split("==")[0].strip().lower() for line in lines if line.strip() and not line.startswith("#")]


def test_the_app_requirements_hold_no_test_lint_or_packaging_tools_and_the_dev_file_adds_them():
    app = _requirements("requirements.txt")
    dev = _requirements("requirements-dev.txt")
    assert "pyside6-essentials" in app and "openpyxl" in app
    for tool in ("pytest", "pytest-qt", "ruff", "pyinstaller", "pyinstaller-hooks-contrib"):
        assert tool not in app, tool
        assert tool in dev, tool
    assert dev[0] == "-r requirements.txt"


def test_the_readme_keeps_two_commands_and_the_test_command_installs_the_dev_requirements():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    bash_lines = [line for line in readme.splitlines() if line.startswith("    python3 -m venv .venv")]
    assert len(bash_lines) == 2
    setup, test = bash_lines
    assert "install -r requirements.txt" in setup and "main.py --demo" in setup
    assert "install -r requirements-dev.txt" in test and "-m pytest" in test
    assert "libreoffice-calc" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
