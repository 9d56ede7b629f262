"""Checks resources/demo/ke_hoach_cchc_2021_gia_lai.json against the seed text it was transcribed from.

The seed appendix is re-parsed here independently (tab-separated PDF table extraction), so a
transcription error (missing/extra task, wrong area, invented unit or date) makes a test fail.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_PATH = ROOT / "resources" / "demo" / "ke_hoach_cchc_2021_gia_lai.json"
SEED_PATH = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "002_9a68e51aa9fb9245.txt"

HEADER = [
    "Nhiệm vụ chung",
    "Nhiệm vụ cụ thể",
    "Sản phẩm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp/thực hiện",
    "Thời gian thực hiện",
]
NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII"]
CELL_KEYS = {"lead": 3, "partners": 4, "timeframe": 5}
TASK_START = re.compile(r"^(\d+)\.\s*\S")
AREA_CELL = re.compile(r"^([IVX]+)\.\s+(.+)$")

pytestmark = pytest.mark.skipif(not SEED_PATH.is_file(), reason=f"seed not found: {SEED_PATH}")


def _strip_tags(cell: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


@pytest.fixture(scope="module")
def data() -> dict:
    raw = DATA_PATH.read_text(encoding="utf-8")
    assert "\\u" not in raw, "file must be written with ensure_ascii=False"
    return json.loads(raw)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def appendix(seed_text: str) -> str:
    idx = seed_text.find("**Phụ lục**")
    assert idx >= 0, "appendix marker not found in seed"
    return seed_text[idx:]


@pytest.fixture(scope="module")
def seed_rows(appendix: str) -> list[list[str]]:
    """Table rows of the appendix (header repeats removed), each as 6 cells."""
    rows = []
    for line in appendix.split("\n"):
        if "\t" not in line:
            continue
        cells = line.split("\t")
        assert len(cells) == 6, line[:80]
        if cells == HEADER:
            continue
        rows.append(cells)
    assert rows
    return rows


@pytest.fixture(scope="module")
def seed_areas(seed_rows: list[list[str]]) -> list[dict]:
    """Areas in seed order with the task-start rows (numbered cell in column 2) under each."""
    areas: list[dict] = []
    for cells in seed_rows:
        first = _strip_tags(cells[0])
        if first:
            m = AREA_CELL.match(first)
            assert m, first
            areas.append({"numeral": m.group(1), "title": m.group(2), "starts": []})
        m = TASK_START.match(_strip_tags(cells[1]))
        if m:
            assert areas, "task row before the first area"
            areas[-1]["starts"].append({"number": m.group(1), "cells": cells, "rows": [cells]})
        else:
            # a row split by a page break: its cells continue the previous task row
            assert not first and areas and areas[-1]["starts"], cells
            areas[-1]["starts"][-1]["rows"].append(cells)
    return areas


@pytest.fixture(scope="module")
def seed_words(appendix: str) -> set[str]:
    words = set(_strip_tags(appendix).split())
    # "11.Tiếp tục..." has no space after the number
    return words | {re.sub(r"^\d+\.", "", w) for w in words}


def _tasks(data: dict):
    for area in data["areas"]:
        for task in area["tasks"]:
            yield area, task


def test_metadata(data: dict, seed_text: str, seed_rows: list[list[str]]) -> None:
    assert data["issuing_unit"] == "UBND tỉnh Gia Lai"
    assert data["document_kind"] == "Quyết định"
    assert data["document_number"] == ""
    assert "Số: /QĐ-UBND" in seed_text  # the number really is blank in the seed
    assert data["title"] == "Kế hoạch cải cách hành chính năm 2021 của tỉnh Gia Lai"
    assert data["title"] in seed_text
    assert (data["year_from"], data["year_to"]) == (2021, 2021)
    assert data["columns"] == HEADER


def test_areas_match_seed(data: dict, seed_areas: list[dict]) -> None:
    assert [a["numeral"] for a in seed_areas] == NUMERALS
    assert [a["numeral"] for a in data["areas"]] == NUMERALS
    assert [a["title"] for a in data["areas"]] == [a["title"] for a in seed_areas]


def test_tasks_per_area_match_seed(data: dict, seed_areas: list[dict]) -> None:
    for area, seed_area in zip(data["areas"], seed_areas, strict=True):
        got = [t["number"] for t in area["tasks"]]
        want = [s["number"] for s in seed_area["starts"]]
        assert len(got) == len(want), area["numeral"]
        assert got == want, area["numeral"]


def test_duplicated_task_one_in_area_one(data: dict) -> None:
    tasks = data["areas"][0]["tasks"]
    assert [t["number"] for t in tasks[:3]] == ["1", "1", "2"]
    assert tasks[0]["title"] != tasks[1]["title"]
    assert tasks[1].get("note"), "the duplicated '1.' row must carry an explanatory note"


def test_counts(data: dict, seed_areas: list[dict]) -> None:
    counts = data["counts"]
    tasks = list(_tasks(data))
    assert counts["areas"] == len(data["areas"]) == len(seed_areas)
    assert counts["tasks"] == len(tasks) == sum(len(a["starts"]) for a in seed_areas)
    assert counts["activities"] == sum(len(t["activities"]) for _, t in tasks)


def test_task_shape(data: dict) -> None:
    for area, task in _tasks(data):
        where = f"{area['numeral']}.{task['number']}"
        assert re.fullmatch(r"\d+", task["number"]), where
        assert task["title"] and not TASK_START.match(task["title"]), where
        assert "<" not in json.dumps(task, ensure_ascii=False), f"HTML left in {where}"
        assert isinstance(task["activities"], list), where
        for act in task["activities"]:
            assert act and not act.startswith("-"), where
        assert task["output"], where
        assert set(task["merged"]) == set(CELL_KEYS), where


def test_titles_and_activities_verbatim(data: dict, appendix: str) -> None:
    flat = _strip_tags(appendix)
    for area, task in _tasks(data):
        where = f"{area['numeral']}.{task['number']}"
        # split rows are re-joined in the JSON, so only the opening words must be contiguous
        assert task["title"][:40] in flat, where
        for act in task["activities"]:
            assert act in flat, where


def test_leads_verbatim_in_seed(data: dict, appendix: str) -> None:
    leads = [t["lead"] for _, t in _tasks(data) if t["lead"]]
    assert len(leads) > 20
    for lead in leads:
        assert lead in appendix, lead


def test_text_words_come_from_seed(data: dict, seed_words: set[str]) -> None:
    for area, task in _tasks(data):
        where = f"{area['numeral']}.{task['number']}"
        for key in ("title", "output", "lead", "partners", "timeframe"):
            missing = [w for w in task[key].split() if w not in seed_words]
            assert not missing, (where, key, missing)
        for act in task["activities"]:
            assert all(w in seed_words for w in act.split()), where


def test_timeframes(data: dict, seed_words: set[str]) -> None:
    for area, task in _tasks(data):
        where = f"{area['numeral']}.{task['number']}"
        if task["merged"]["timeframe"]:
            continue
        assert task["timeframe"], where
        assert all(w in seed_words for w in task["timeframe"].split()), where


def test_merged_cells_follow_seed_layout(data: dict, seed_areas: list[dict]) -> None:
    n_merged = 0
    for area, seed_area in zip(data["areas"], seed_areas, strict=True):
        for i, (task, start) in enumerate(zip(area["tasks"], seed_area["starts"], strict=True)):
            where = f"{area['numeral']}.{task['number']}"
            for key, col in CELL_KEYS.items():
                seed_blank = not _strip_tags(start["cells"][col])
                assert task["merged"][key] is seed_blank, (where, key)
                if seed_blank:
                    n_merged += 1
                    assert task[key] == "", (where, key)
                    assert i > 0, (where, key, "merged cell on an area's first row")
                    # the value must be resolvable from an earlier row of the same area
                    assert any(prev[key] for prev in area["tasks"][:i]), (where, key)
                else:
                    assert task[key], (where, key)
    assert n_merged > 0


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_cells_match_seed_rows(data: dict, seed_areas: list[dict]) -> None:
    """Each cell equals its seed cell(s), page-break continuations included, up to whitespace."""
    for area, seed_area in zip(data["areas"], seed_areas, strict=True):
        for task, start in zip(area["tasks"], seed_area["starts"], strict=True):
            where = f"{area['numeral']}.{task['number']}"

            def seed_cell(col: int, start=start) -> str:
                return _squash(" ".join(_strip_tags(r[col]) for r in start["rows"]))

            for key, col in {"output": 2, **CELL_KEYS}.items():
                assert _squash(task[key]) == seed_cell(col), (where, key)
            task_cell = re.sub(r"^\d+\.\s*", "", seed_cell(1))
            ours = " ".join([task["title"], *("- " + a for a in task["activities"])])
            assert _squash(ours) == task_cell, (where, "title/activities")


def test_everything_nfc(data: dict) -> None:
    def walk(obj, path="$"):
        if isinstance(obj, str):
            assert unicodedata.is_normalized("NFC", obj), path
        elif isinstance(obj, list):
            for i, x in enumerate(obj):
                walk(x, f"{path}[{i}]")
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(k, path)
                walk(v, f"{path}.{k}")

    walk(data)
