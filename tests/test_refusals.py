"""One way to refuse (ARCHITECTURE.md, rule 2), checked in the source.

* core raises no builtin error (``ValueError``, ``LookupError``…) with a Vietnamese message: a
  sentence meant for the user is a ``core.errors.Refused``;
* the CLI does not re-wrap a refusal in ``CommandError(str(exc))``: core's refusals reach
  ``cli._run_handler`` as they are;
* neither front end catches builtin errors to turn them into messages (``except (LookupError,
  ValueError) as exc: … str(exc)``): that swallows defects, whose English text then reaches the user.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUILTIN_ERRORS = {name for name in dir(builtins)
                  if isinstance(getattr(builtins, name), type) and issubclass(getattr(builtins, name), BaseException)}
LOOKUPS = {"LookupError", "KeyError", "IndexError"}


def _sources(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (REPO / package).rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path.name}:{node.lineno}"


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _has_non_ascii_text(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and not n.value.isascii()
               for n in ast.walk(node))


def builtin_raises_with_vietnamese(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = _name(node.exc.func)
                if name in BUILTIN_ERRORS and node.exc.args and _has_non_ascii_text(node.exc.args[0]):
                    found.append(f"{_where(path, node)}: raise {name}(…Vietnamese…)")
    return found


def command_error_rewraps(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for node in ast.walk(_tree(path)):
            if (isinstance(node, ast.Call) and _name(node.func) == "CommandError" and node.args
                    and isinstance(node.args[0], ast.Call) and _name(node.args[0].func) == "str"):
                found.append(f"{_where(path, node)}: CommandError(str(…))")
    return found


def _caught(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {n for n in (_name(t) for t in types) if n}


def _shows(handler: ast.ExceptHandler) -> bool:
    """The handler turns the exception it caught into text (``str(exc)``, an f-string, ``format``)."""
    if handler.name is None:
        return False
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Call) and _name(node.func) in ("str", "repr", "format"):
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if any(isinstance(a, ast.Name) and a.id == handler.name for a in arguments):
                return True
        if isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Name) and node.value.id == handler.name:
            return True
    return False


def builtin_catches_shown(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.ExceptHandler):
                continue
            caught = _caught(node)
            builtin = caught & BUILTIN_ERRORS
            if caught & LOOKUPS and caught & {"ValueError", "Exception"}:
                found.append(f"{_where(path, node)}: except ({', '.join(sorted(caught))})")
            elif builtin - {"OSError", "PermissionError", "FileNotFoundError", "KeyboardInterrupt"} and _shows(node):
                found.append(f"{_where(path, node)}: except {', '.join(sorted(builtin))} shown as a message")
    return found


def test_core_raises_no_builtin_error_with_a_vietnamese_message():
    assert builtin_raises_with_vietnamese(_sources("core", "db")) == []


def test_the_cli_does_not_rewrap_refusals():
    assert command_error_rewraps(_sources("cli")) == []


def test_the_front_ends_do_not_turn_builtin_errors_into_messages():
    assert builtin_catches_shown(_sources("cli", "gui")) == []


@pytest.mark.parametrize("source, finder, expected", [
    ('raise ValueError("Cần ghi lý do.")', builtin_raises_with_vietnamese, 1),
    ('raise LookupError(f"Không có đơn vị {code}.")', builtin_raises_with_vietnamese, 1),
    ('raise ValueError(f"bad {code!r}")', builtin_raises_with_vietnamese, 0),
    ('raise Refused("Cần ghi lý do.")', builtin_raises_with_vietnamese, 0),
    ("try:\n    f()\nexcept X as exc:\n    raise CommandError(str(exc)) from None", command_error_rewraps, 1),
    ('raise CommandError("Thiếu --unit.")', command_error_rewraps, 0),
    ("try:\n    f()\nexcept (LookupError, ValueError) as exc:\n    box(str(exc))", builtin_catches_shown, 1),
    ("try:\n    f()\nexcept (LookupError, ValueError):\n    pass", builtin_catches_shown, 1),
    ("try:\n    f()\nexcept KeyError as exc:\n    label.setText(f'{exc}')", builtin_catches_shown, 1),
    ("try:\n    f()\nexcept Exception as exc:\n    failed.emit(str(exc))", builtin_catches_shown, 1),
    ("try:\n    f()\nexcept Exception as exc:\n    failed.emit(exc)", builtin_catches_shown, 0),
    ("try:\n    d = parse(t)\nexcept ValueError:\n    raise CommandError('Ngày sai.')", builtin_catches_shown, 0),
    ("try:\n    f()\nexcept Refused as exc:\n    show_refusal(w, exc)", builtin_catches_shown, 0),
])
def test_the_checks_find_what_they_look_for(tmp_path, source, finder, expected):
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert len(finder([path])) == expected
