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
