"""Checks the BNV-TK-CCHC form template against the appendix of seed report 004.

The seed appendix is re-parsed here on its own (not with the code that wrote the
JSON), so a code, unit or breakdown row dropped from the JSON makes a test fail.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from core.vnformat import parse_number

REPO = Path(__file__).resolve().parents[2]
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_ba3d58d47014d382.txt"
FORM = REPO / "resources" / "forms" / "bnv_tk_cchc_v1.json"
VALUES = REPO / "resources" / "demo" / "so_lieu_6_thang_2021.csv"

_TAGS = re.compile(r"</?[bi]>")
_STT = re.compile(r"^(\d+(?:\.\d+)*)\.$")


@pytest.fixture(scope="module")
def form() -> dict:
    return json.loads(FORM.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_code(form) -> dict[str, dict]:
    return {ind["code"]: ind for ind in form["indicators"]}


@pytest.fixture(scope="module")
def seed_rows() -> list[tuple[str, str]]:
    """(code, unit) for every numbered row of the seed appendix, in printed order,
    with the source's repeated 1.1.x codes under group 1.2 renumbered 1.2.x."""
    if not SEED.exists():
        pytest.skip(f"seed file not found: {SEED}")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("**Phụ lục**"))
    rows: list[tuple[str, str]] = []
    group = ""
    for line in lines[start:]:
        cells = line.split("\t")
        if len(cells) < 3:
            continue
        match = _STT.match(_TAGS.sub("", cells[0]).strip())
        if not match:
            continue
        code = match.group(1)
        if "<b>" in cells[0]:
            group = code
        elif group == "1.2" and code.startswith("1.1."):
            code = "1.2." + code[len("1.1."):]
        rows.append((code, cells[2].strip()))
    return rows


def _values() -> dict[str, str]:
    with VALUES.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["code", "value", "note"]
        return {row["code"]: row["value"] for row in reader}


def test_every_seed_code_is_in_the_form_with_its_unit(seed_rows, by_code):
    assert len(seed_rows) > 100, "the seed appendix was not parsed"
    seed_codes = [code for code, _ in seed_rows]
    assert len(seed_codes) == len(set(seed_codes)), "duplicate STT after the 1.2 correction"
    for code, unit in seed_rows:
        assert code in by_code, f"indicator {code} is missing"
        assert by_code[code].get("unit", "") == unit, f"unit of {code}"


def test_no_extra_numbered_codes_and_printed_order(seed_rows, form):
    seed_codes = [code for code, _ in seed_rows]
    form_codes = [ind["code"] for ind in form["indicators"] if not ind.get("breakdown")]
    assert form_codes == seed_codes


def test_1_2_correction_is_traceable(by_code):
    for i in range(1, 5):
        ind = by_code[f"1.2.{i}"]
        assert ind["source_code"] == f"1.1.{i}"
        assert ind["parent"] == "1.2"
    assert "1.1.4" not in by_code


def test_structure(form, by_code):
    allowed_types = {"integer", "decimal", "percent", "choice", "yesno", "text"}
    for ind in form["indicators"]:
        code = ind["code"]
        assert "parent" in ind
        parent = ind["parent"]
        if parent is None:
            assert "." not in code
        else:
            assert parent in by_code, code
            assert code.rsplit(".", 1)[0] == parent, code
        assert ind["kind"] in {"group", "value"}
        assert ind["name"] and ind["name"] == ind["name"].strip() and "<" not in ind["name"]
        if ind["kind"] == "value":
            assert ind["value_type"] in allowed_types, code
            assert "aggregation" in ind, code
            if ind["value_type"] == "percent":
                assert ind["unit"] == "%", code
        else:
            assert "value_type" not in ind and "aggregation" not in ind, code
        for key, value in ind.items():
            assert value is not None or key == "parent", f"{code}.{key} is null"
    assert by_code["3.3.4"]["name"].endswith("điện tử hóa")
    assert by_code["7"]["name"].endswith("Chính phủ số")
    assert by_code["7.2"]["name"] == "Xây dựng và vận hành Hệ thống họp trực tuyến"
    assert "Liên thông 3 cấp" in by_code["7.2"]["hint"]


@pytest.mark.parametrize(
    ("code", "value_type", "choices"),
    [
        ("1.4.2", "choice", [(0, "Trực tuyến"), (1, "Phát phiếu"), (2, "Kết hợp")]),
        ("1.5", "yesno", [(0, "Không"), (1, "Có")]),
        ("5.3.1", "yesno", [(0, "Chưa thực hiện"), (1, "Đã thực hiện")]),
        ("7.1", "yesno", [(0, "Chưa"), (1, "Hoàn thành")]),
        ("7.2", "choice", [(0, "Chưa có"), (1, "2 cấp"), (2, "3 cấp")]),
        ("7.3", "choice", [(0, "Chưa"), (1, "Đang làm"), (2, "Hoàn thành")]),
        ("7.5", "choice", [(0, "Chưa"), (1, "Đang làm"), (2, "Hoàn thành")]),
    ],
)
def test_coded_answers(by_code, code, value_type, choices):
    ind = by_code[code]
    assert ind["value_type"] == value_type
    assert [(c["code"], c["label"]) for c in ind["choices"]] == choices
    # The summary of a distribution is the least advanced answer, except for the survey
    # method (1.4.2), whose codes are kinds, not progress: there the most frequent one.
    summary = "mode" if code == "1.4.2" else "min"
    assert ind["aggregation"] == {"method": "distribution", "summary": summary}
    for c_code, label in choices:
        assert f"{label} = {c_code}" in ind["unit"]


@pytest.mark.parametrize(
    ("parent", "count"),
    [("3.1.3", 3), ("4.1.4", 4), ("7.6.1", 3), ("7.6.2", 2), ("3.4.4", 3), ("3.4.5", 3)],
)
def test_breakdown_children(form, parent, count):
    children = [ind for ind in form["indicators"] if ind["parent"] == parent]
    assert len(children) == count
    assert all(ind.get("breakdown") is True for ind in children)
    assert [ind["code"] for ind in children] == [f"{parent}.{letter}" for letter in "abcd"[:count]]


def test_breakdown_rows_only_where_expected(form):
    parents = {ind["parent"] for ind in form["indicators"] if ind.get("breakdown")}
    assert parents == {"3.1.3", "4.1.4", "7.6.1", "7.6.2", "3.4.4", "3.4.5"}


def test_aggregation_matches_value_type(form):
    expected = {
        "integer": {"method": "sum"},
        "percent": {"method": "mean"},
        "choice": {"method": "distribution", "summary": "min"},
        "yesno": {"method": "distribution", "summary": "min"},
        "text": {"method": "concat"},
    }
    for ind in form["indicators"]:
        if ind["kind"] == "value" and ind["value_type"] in expected and ind["code"] != "1.4.2":
            assert ind["aggregation"] == expected[ind["value_type"]], ind["code"]


def test_every_string_is_nfc(form):
    def walk(obj):
        if isinstance(obj, str):
            assert unicodedata.is_normalized("NFC", obj), obj
        elif isinstance(obj, list):
            for item in obj:
                walk(item)
        elif isinstance(obj, dict):
            for key, item in obj.items():
                walk(key)
                walk(item)

    walk(form)
    with VALUES.open(encoding="utf-8", newline="") as fh:
        walk(list(csv.reader(fh)))


def test_values_fixture_matches_form(by_code):
    values = _values()
    # The seed leaves 3.4.5.c and 7.6.2 empty: the demo keeps them blank, with a note saying so.
    assert values["3.4.5.c"] == "" and values["7.6.2"] == ""
    values = {c: v for c, v in values.items() if v}
    for code, text in values.items():
        ind = by_code.get(code)
        assert ind is not None and ind["kind"] == "value", code
        number = parse_number(text)
        assert number is not None, code
        if ind["value_type"] in ("choice", "yesno"):
            assert int(number) in {c["code"] for c in ind["choices"]}, code
        if ind["value_type"] == "percent":
            assert 0 <= number <= 100, code
    assert parse_number(values["1.4.1"]) == 3133
    assert parse_number(values["3.4.2"]) == Decimal("72.8")


def _check_rule(rule: dict, values: dict[str, Decimal]) -> bool | None:
    """True/False when the rule holds/fails; None when a value it needs is blank."""
    kind = rule["type"]
    if kind == "le":
        left, right = values.get(rule["left"]), values.get(rule["right"])
        return None if left is None or right is None else left <= right
    parts = [values.get(code) for code in rule["parts"]]
    if any(p is None for p in parts):
        return None
    total = sum(parts, Decimal(0))
    if kind == "sum_le_const":
        return total <= Decimal(str(rule["limit"]))
    whole = values.get(rule["total"])
    if whole is None:
        return None
    if kind == "sum_le":
        return total <= whole
    if kind == "sum_eq":
        return total == whole
    raise AssertionError(f"unknown rule type {kind}")


def test_rules_name_existing_codes(form, by_code):
    ids = [rule["id"] for rule in form["rules"]]
    assert len(ids) == len(set(ids))
    for rule in form["rules"]:
        assert rule["severity"] in {"error", "warning"}
        assert rule["type"] in {"le", "sum_le", "sum_eq", "sum_le_const"}
        codes = [rule[k] for k in ("left", "right", "total") if k in rule] + rule.get("parts", [])
        for code in codes:
            assert code in by_code and by_code[code]["kind"] == "value", (rule["id"], code)
        if rule["type"] in ("sum_le", "sum_eq"):
            total_type = by_code[rule["total"]]["value_type"]
            assert all(by_code[p]["value_type"] == total_type for p in rule["parts"]), rule["id"]


def test_required_rules_present(form):
    def key(rule):
        if rule["type"] == "le":
            return ("le", rule["left"], rule["right"])
        if rule["type"] == "sum_le_const":
            return ("sum_le_const", tuple(rule["parts"]), rule["limit"])
        return (rule["type"], tuple(rule["parts"]), rule["total"])

    keys = {key(rule) for rule in form["rules"]}
    for needed in [
        ("le", "1.1.2", "1.1.1"),
        ("le", "1.2.4", "1.2.3"),
        ("sum_le", ("1.3.2", "1.3.3"), "1.3.1"),
        ("le", "2.5", "2.4"),
        ("sum_eq", ("3.1.3.a", "3.1.3.b", "3.1.3.c"), "3.1.3"),
        ("sum_eq", ("4.1.4.a", "4.1.4.b", "4.1.4.c"), "4.1.4"),
        ("sum_le_const", ("7.6.2.a", "7.6.2.b"), 100),
    ]:
        assert needed in keys, needed


def test_every_rule_holds_on_seed_values(form):
    values = {code: parse_number(text) for code, text in _values().items()}
    for rule in form["rules"]:
        result = _check_rule(rule, values)
        assert result is not None, f"rule {rule['id']} could not be evaluated on the seed"
        assert result, f"rule {rule['id']} fails on the seed's own values"


def test_evaluator_catches_a_broken_total():
    rule = {"id": "x", "type": "sum_eq", "parts": ["a", "b"], "total": "t", "severity": "error"}
    assert _check_rule(rule, {"a": Decimal(1), "b": Decimal(2), "t": Decimal(4)}) is False
    assert _check_rule(rule, {"a": Decimal(1), "b": Decimal(3), "t": Decimal(4)}) is True
