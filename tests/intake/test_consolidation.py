"""Consolidation: random child returns exported by the product, imported, consolidated to the exact
sums, means, recomputed ratios and distributions; blank is not 0; re-runs are audited; a value the
user typed is never overwritten."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from core.forms import current_template, install_template, read_template_file
from core.intake.consolidated_view import consolidated_grid, value_sources
from core.intake.consolidation import ConsolidationError, consolidate
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.paths import resource_path
from core.returns.entry import apply_edits, find_unit_return
from core.returns.store import reopen, values_by_code
from core.returns.workflow import audit_for_return
from db.models import ConsolidationSource
from tests.helpers.consolidation_helpers import H1_CHILDREN, Province, accept_all, random_values, value_codes

Q2 = "2021-Q2"


def _round2(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _aggregations(db) -> dict[str, dict]:  # noqa: ANN001
    with db.session() as s:
        return {i.code: i.aggregation or {} for i in current_template(s).indicators if i.kind == "value"}


def _parent_values(db, period: str = Q2) -> dict:  # noqa: ANN001
    with db.session() as s:
        ret = find_unit_return(s, "MH", period)
        return {code: (v.value_num, v.value_text, v.note, v.source) for code, v in values_by_code(s, ret).items()}


def _import_all(p: Province, period: str = Q2) -> None:
    report = import_returns(p.office, "MH", [p.inbox], ImportPolicy(period_code=period))
    assert report.counts()["rejected"] == 0, report.lines()
    accept_all(p.office, "MH", period)  # the office reviews what it received


def test_random_returns_consolidate_to_the_exact_sums_means_and_distributions(province: Province) -> None:
    rng = random.Random(20210618)
    codes = value_codes(province.child)
    given: dict[str, dict] = {}
    for unit in H1_CHILDREN[:6]:
        # A unit answers the rows of its level only (a district has no department-only rows): the others stay blank.
        given[unit] = {**dict.fromkeys(codes), **random_values(rng, value_codes(province.child, unit))}
        province.fill(unit, {c: v for c, v in given[unit].items() if c in value_codes(province.child, unit)}, Q2)
        province.export(unit, Q2)
    _import_all(province)
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2)
    assert result.first_run and len(result.units) == 6 and not result.conflicts
    computed = {v.code: v for v in result.values}
    stored = _parent_values(province.office)
    aggs = _aggregations(province.office)
    checked = 0
    for code, agg in aggs.items():
        nums = [given[u][code] for u in given if given[u][code] is not None]
        cv = computed[code]
        assert (cv.covered, cv.received, cv.expected) == (len(nums), 6, 8), code
        want: float | None
        if not nums:
            want = None
        elif agg["method"] == "sum":
            want = float(sum(nums))
        elif agg["method"] == "mean":
            want = _round2(math.fsum(nums) / len(nums))
        elif agg["summary"] == "min":
            want = float(min(nums))
        else:
            counts = {n: nums.count(n) for n in nums}
            want = float(min(n for n, k in counts.items() if k == max(counts.values())))
        assert cv.number == want, code
        got = stored.get(code, (None, None, None, None))
        assert got[0] == want, code
        if want is not None:
            assert got[3] == "consolidated"
        checked += 1
    assert checked == 98
    # Coded answers: the distribution is in the note ("Hoàn thành: 2, Đang làm: 3, Chưa: 1").
    labels = {0: "Chưa", 1: "Đang làm", 2: "Hoàn thành"}
    answers = [given[u]["7.3"] for u in given if given[u]["7.3"] is not None]
    expect = ", ".join(f"{labels[c]}: {answers.count(c)}" for c in sorted(set(answers), reverse=True))
    assert stored["7.3"][2].startswith(expect)
    # The report says how each value was consolidated.
    assert result.method_counts() == {
        "Cộng": 66, "Trung bình cộng": 25, "Phân bố; lấy mức thấp nhất": 6, "Phân bố; lấy câu trả lời nhiều nhất": 1}


def test_blank_is_not_zero_and_each_value_says_how_many_units_it_covers(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 0, "2.1": 5, "3.3.3": 80}, Q2, notes={"2.1": "Đã ban hành 5 văn bản"})
    province.fill("MH.STP", {"1.1.1": None, "2.1": 7, "3.3.3": None}, Q2)
    province.fill("MH.VP", {"1.1.1": None, "2.1": None, "3.3.3": 90}, Q2)
    for u in ("MH.SNV", "MH.STP", "MH.VP"):
        province.export(u, Q2)
    _import_all(province)
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2)
    v = {x.code: x for x in result.values}
    assert (v["1.1.1"].number, v["1.1.1"].covered) == (0.0, 1)  # one unit said 0: the total is 0, not blank
    assert (v["2.1"].number, v["2.1"].covered, v["2.1"].coverage_text) == (12.0, 2, "2/8")
    assert (v["3.3.3"].number, v["3.3.3"].covered) == (85.0, 2)  # the mean of 80 and 90; STP's blank left out
    assert v["1.1.2"].number is None and v["1.1.2"].covered == 0  # nobody gave it: blank, not 0
    assert v["2.1"].detail == "Cộng: 2/8 đơn vị; 1 đơn vị để trống; 5 đơn vị chưa có báo cáo"
    stored = _parent_values(province.office)
    assert "1.1.2" not in stored or stored["1.1.2"][0] is None
    assert stored["2.1"][2] == "Sở Nội vụ: Đã ban hành 5 văn bản"  # the units' notes gathered per unit
    with province.office.session() as s:
        ret, grid = consolidated_grid(s, "MH", Q2)
        row = next(g for g in grid if g.code == "2.1")
        assert (row.value_display, row.coverage_text, row.method_label) == ("12", "2/8", "Cộng")


def _ratio_form(tmp_path: Path) -> Path:
    """The standard form as version 2, with a ratio (numerator/denominator) and a weighted mean."""
    data = json.loads(resource_path("forms", "bnv_tk_cchc_v1.json").read_text(encoding="utf-8"))
    data["version"] = 2
    inds = data["indicators"]
    at = next(i for i, x in enumerate(inds) if x["code"] == "1.1.3") + 1
    inds.insert(at, {"code": "1.1.4", "parent": "1.1", "name": "Tỷ lệ nhiệm vụ đã hoàn thành", "kind": "value",
                     "unit": "%", "value_type": "percent",
                     "aggregation": {"method": "ratio", "numerator": "1.1.2", "denominator": "1.1.1"}})
    for x in inds:
        if x["code"] in ("7.6.2.a", "7.6.2.b"):
            x["aggregation"] = {"method": "mean", "weight": "7.6.2"}
    path = tmp_path / "bnv_tk_cchc_v2.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_percentages_are_recomputed_from_numerator_and_denominator_or_weighted(province: Province,
                                                                                tmp_path: Path) -> None:
    form = read_template_file(_ratio_form(tmp_path))
    for db in (province.child, province.office):
        with db.transaction() as s:
            install_template(s, form)
    rows = {"MH.SNV": (38, 11, 1000, 97.5), "MH.STP": (10, 10, 200, 50.0), "MH.VP": (7, 0, None, 80.0),
            "MH.STC": (None, 3, 300, None)}
    for unit, (planned, done, sent, share) in rows.items():
        rate = None if not planned or done is None else round(done / planned * 100, 2)
        province.fill(unit, {"1.1.1": planned, "1.1.2": done, "1.1.4": rate, "7.6.2": sent, "7.6.2.a": share}, Q2)
        province.export(unit, Q2)
    _import_all(province)
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2)
    v = {x.code: x for x in result.values}
    # (11 + 10 + 0) / (38 + 10 + 7) × 100: STC has no denominator and is left out of the ratio.
    assert v["1.1.4"].number == _round2(21 / 55 * 100) == 38.18
    assert v["1.1.4"].covered == 3 and v["1.1.4"].method_label == "Tính lại từ tử số, mẫu số (1.1.2/1.1.1)"
    assert "21 / 55" in v["1.1.4"].detail
    # Weighted by the number of documents sent: (97,5×1000 + 50×200) / 1200; VP has no weight.
    assert v["7.6.2.a"].number == _round2((97.5 * 1000 + 50 * 200) / 1200)
    assert v["7.6.2.a"].covered == 2 and v["7.6.2.a"].method_label == "Trung bình có trọng số theo 7.6.2"
    assert result.method_counts()["Tính lại từ tử số, mẫu số (1.1.2/1.1.1)"] == 1


def test_rerun_after_a_late_return_updates_the_values_and_audits_what_changed(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 10, "7.3": 2}, Q2)
    province.fill("MH.STP", {"1.1.1": 5, "7.3": 2}, Q2)
    for u in ("MH.SNV", "MH.STP"):
        province.export(u, Q2)
    _import_all(province)
    with province.office.transaction() as s:
        first = consolidate(s, "MH", Q2)
    assert first.first_run and {c.code for c in first.changes} == set()
    # A late return arrives.
    province.fill("MH.VP", {"1.1.1": 7, "7.3": 0}, Q2)
    late = province.export("MH.VP", Q2, at=datetime(2021, 6, 28, 10, 0))
    import_returns(province.office, "MH", [late])
    assert accept_all(province.office, "MH", Q2) == ["MH.VP"]
    with province.office.transaction() as s:
        again = consolidate(s, "MH", Q2)
    assert not again.first_run
    assert again.units_added == ["Văn phòng UBND tỉnh"]
    changes = {c.code: (c.old, c.new) for c in again.changes}
    assert changes["1.1.1"] == ("15", "22") and changes["7.3"] == ("2", "0")
    assert "Chạy lại: " in again.summary()
    with province.office.session() as s:
        ret = find_unit_return(s, "MH", Q2)
        log = audit_for_return(s, ret.id)
    runs = [a for a in log if a.action == "consolidate"]
    assert len(runs) == 2 and "thêm báo cáo của Văn phòng UBND tỉnh" in runs[-1].reason
    value_log = [(a.code, a.old, a.new) for a in log if a.action == "update" and a.entity == "value"]
    assert ("1.1.1", "15", "22") in value_log
    assert any(a.code == "1.1.1" and a.reason and "thêm báo cáo của Văn phòng UBND tỉnh" in a.reason
               for a in log if a.entity == "value")
    # A third run with nothing new changes nothing.
    with province.office.transaction() as s:
        third = consolidate(s, "MH", Q2)
    assert third.changes == [] and third.units_added == []


def test_a_value_typed_over_a_consolidated_one_is_kept_and_reported(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 10, "2.1": 1}, Q2)
    province.export("MH.SNV", Q2)
    _import_all(province)
    with province.office.transaction() as s:
        consolidate(s, "MH", Q2)
        ret = find_unit_return(s, "MH", Q2)
        assert ret.status == "draft" and ret.origin == "consolidated"  # still editable
        assert apply_edits(s, ret.id, [("1.1.1", 999, "Số liệu theo báo cáo của Sở Nội vụ gửi bằng văn bản")]).applied
    province.fill("MH.STP", {"1.1.1": 4, "2.1": 2}, Q2)
    import_returns(province.office, "MH", [province.export("MH.STP", Q2)])
    accept_all(province.office, "MH", Q2)
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2)
    assert [c.line() for c in result.conflicts] == [
        "1.1.1 Số nhiệm vụ đề ra trong kế hoạch: giữ 999 (Nhập tay), số tổng hợp là 14"]
    stored = _parent_values(province.office)
    assert stored["1.1.1"][0] == 999 and stored["1.1.1"][3] == "manual"
    assert stored["2.1"][0] == 3 and stored["2.1"][3] == "consolidated"
    with province.office.session() as s:
        _, grid = consolidated_grid(s, "MH", Q2)
        row = next(g for g in grid if g.code == "1.1.1")
        assert row.conflict and row.computed_display == "14"
    # The user asks for the consolidated number after all.
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2, take_computed={"1.1.1"})
    assert not result.conflicts and _parent_values(province.office)["1.1.1"][:1] == (14,)
    # Typing the consolidated number back marks the value as consolidated again.
    with province.office.transaction() as s:
        ret = find_unit_return(s, "MH", Q2)
        apply_edits(s, ret.id, [("1.1.1", 15)])
        apply_edits(s, ret.id, [("1.1.1", 14)])
    assert _parent_values(province.office)["1.1.1"][3] == "consolidated"


def test_a_submitted_return_is_not_consolidated_over(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 10}, "2021-H1")
    province.export("MH.SNV", "2021-H1")
    _import_all(province, "2021-H1")
    with province.office.transaction() as s, pytest.raises(ConsolidationError, match="Đã hoàn thành"):
        consolidate(s, "MH", "2021-H1")
    # Reopened: the figures the province typed in (the seed report) are kept, each reported.
    with province.office.transaction() as s:
        reopen(s, find_unit_return(s, "MH", "2021-H1"), "Tổng hợp báo cáo của các sở")
        result = consolidate(s, "MH", "2021-H1")
    assert result.first_run
    # The demo was submitted as any return is: its 1.1.1 (38, as the plan counts) became the plan's figure.
    assert "1.1.1 Số nhiệm vụ đề ra trong kế hoạch: giữ 38 (Từ Kế hoạch), số tổng hợp là 10" in [
        c.line() for c in result.conflicts]
    assert all(c.computed for c in result.conflicts)  # nothing to report where no unit gave a value


def test_nothing_to_consolidate_is_said_plainly(province: Province) -> None:
    with province.office.transaction() as s, pytest.raises(ConsolidationError) as exc:
        consolidate(s, "MH", Q2)
    assert str(exc.value) == ("Chưa có báo cáo nào của các đơn vị trực thuộc UBND tỉnh Minh Họa kỳ Quý II/2021 "
                              "để tổng hợp (đã nhận 0/8 đơn vị (đạt 0%)).")


def test_every_value_can_be_traced_to_its_units_and_files(province: Province) -> None:
    province.fill("MH.SNV", {"2.3": 16}, Q2, notes={"2.3": "16 VB"})
    province.fill("MH.STP", {"2.3": None}, Q2)
    for u in ("MH.SNV", "MH.STP"):
        province.export(u, Q2)
    _import_all(province)
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2)
    with province.office.session() as s:
        head, rows = value_sources(s, result.return_id, "2.3")
        assert head.value_display == "16" and head.coverage_text == "1/8"
        by_unit = {r.unit_code: r for r in rows}
        assert len(rows) == 8
        snv = by_unit["MH.SNV"]
        assert (snv.state_label, snv.value_display, snv.note) == ("Có số liệu", "16", "16 VB")
        assert snv.file_name.startswith("BaoCao_CCHC_MH.SNV") and snv.exported_at == "18/06/2021 09:30"
        assert by_unit["MH.STP"].state_label == "Để trống"
        assert by_unit["MH.VP"].state_label == "Chưa có báo cáo"
        assert s.scalar(select(ConsolidationSource.id).limit(1)) is not None


def test_the_consolidated_return_exports_and_can_go_up_a_level(province: Province, tmp_path: Path) -> None:
    from core.reports.files import export_return_files
    from core.reports.workbook_reader import read_return_workbook

    province.fill("MH.SNV", {"1.1.1": 10, "7.3": 2}, Q2)
    province.fill("MH.STP", {"1.1.1": 5, "7.3": 0}, Q2)
    for u in ("MH.SNV", "MH.STP"):
        province.export(u, Q2)
    _import_all(province)
    with province.office.transaction() as s:
        consolidate(s, "MH", Q2)
    result = export_return_files(province.office, "MH", Q2, xlsx=tmp_path / "tong_hop.xlsx",
                                 pdf=tmp_path / "tong_hop.pdf")
    book = read_return_workbook(result.xlsx)
    assert book.intact and book.content["consolidated"] is True and book.unit_code == "MH"
    assert book.values["1.1.1"] == 15 and book.values["7.3"] == 0
    assert book.content["values"]["7.3"]["note"].startswith("Hoàn thành: 1, Chưa: 1")
    assert result.pdf.stat().st_size > 0
