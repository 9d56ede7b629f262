"""Every malformed input of the fuzz corpus (tests/helpers/fuzz_corpus.py) ends in a clean refusal.

For each case, run in-process through the CLI entry function (``main.main``) as a user would type
it: a non-zero exit (1 refused, 3 database unusable; never 4, the crash path), a Vietnamese message
on stderr, no traceback and no Python class name anywhere in the output, and the database
unchanged (for ``restore``: the live file byte for byte, and it still opens).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from main import main
from tests.conftest import dump_tables
from tests.helpers.fuzz_corpus import Case, build_corpus

pytestmark = pytest.mark.sqlite_only(reason="damaged SQLite files and byte-for-byte checks of the live file")

# What must never reach a user: a traceback, a Python class name, an English library message.
LEAKS = re.compile(
    r"Traceback|File \"|\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b|BadZipFile|sqlalche\.me|maximum recursion"
    r"|object at 0x|\bErrno\b|No such file|not a zip file|codec can't"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, demo_db_file: Path) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("fuzz")
    return folder, build_corpus(folder, demo_db_file)


def test_the_corpus_is_a_few_hundred_cases_of_every_kind(corpus) -> None:  # noqa: ANN001
    _, cases = corpus
    kinds = Counter(c.kind for c in cases)
    tags = Counter(t for c in cases for t in c.tags)
    assert 250 <= len(cases) <= 500, len(cases)
    assert set(kinds) == {"values", "units", "plan", "returns", "handmade", "restore", "open"}
    for tag in ("truncation", "bitflip", "missing", "newlines", "encoding", "huge", "number", "content",
                "hostile", "lookalike"):
        assert tags[tag] >= 3, tag
    assert any("50,000 deep" in c.name for c in cases) and any("400-digit" in c.name for c in cases)
    assert any("CR-only" in c.name for c in cases) and any("2 million rows" in c.name for c in cases)


def _without_import_log(tables: dict[str, list]) -> dict[str, list]:
    return {k: v for k, v in tables.items() if k != "imported_file"}


def test_every_malformed_input_is_refused_cleanly(corpus, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder, cases = corpus
    live = tmp_path / "live.db"
    live.write_bytes((folder / "nguon" / "demo.db").read_bytes())
    assert main(["--db", str(live), "units", "list"]) == 0
    capsys.readouterr()
    before = dump_tables(live)
    logged = set(before.get("imported_file", []))
    failures: list[str] = []
    for case in cases:
        target = case.db if case.kind == "open" else live
        raw_before = target.read_bytes()
        problems = []
        try:
            code = main(["--db", str(target), *case.argv])
        except BaseException as exc:  # noqa: BLE001 - an escape is what this test is looking for
            code = None
            problems.append(f"raised {type(exc).__name__}")
        out, err = capsys.readouterr()
        if code not in (1, 3):
            problems.append(f"exit {code}")
        if LEAKS.search(out + err):
            problems.append("leak: " + LEAKS.search(out + err).group(0))
        if not err.strip().startswith("Lỗi:") and case.kind != "returns":
            problems.append("no message")
        if case.kind == "open":
            if target.read_bytes() != raw_before:
                problems.append("the broken file was changed")
        elif case.kind == "restore":
            if live.read_bytes() != raw_before:
                problems.append("live database changed")
        if case.kind != "open":
            after = dump_tables(live)
            if _without_import_log(after) != _without_import_log(before):
                problems.append("data changed")
                before = after
            new_log = [row for row in after.get("imported_file", []) if row not in logged]
            if any("'rejected'" not in row for row in new_log):
                problems.append("a file was recorded as imported")
            logged = set(after.get("imported_file", []))
        if problems:
            failures.append(f"{case.name} ({case.file.name}): {', '.join(problems)} — {(err or out).strip()[:300]}")
    assert not failures, f"{len(failures)} of {len(cases)} cases:\n" + "\n".join(failures)
    # The live database is whole and still opens after all of it.
    assert main(["--db", str(live), "validate", "--unit", "MH", "--period", "2021-H1"]) in (0, 1)
    assert "Lỗi:" not in capsys.readouterr().err
