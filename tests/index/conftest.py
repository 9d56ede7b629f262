"""Fixtures of the PAR-Index tests: the decision tables (built once per run from tests/index/data) and a
database with a province, a district with three communes and a department."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.index_tables import main as write_tables

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bang_tieu_chi")
    write_tables(folder)
    return folder


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((DATA / "expected_counts.json").read_text(encoding="utf-8"))
