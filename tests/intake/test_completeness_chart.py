"""Charts for a receiving unit: received on time / late / not received per period, and one indicator
across the units below (accepted returns only), worked out by hand."""

from __future__ import annotations

from datetime import datetime

from core.intake.completeness_chart import children_indicator_chart, receipt_chart
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.periods import ensure_period
from core.reports.pdf_charts import ChartFigure
from db.models import Unit
from tests.helpers.consolidation_helpers import Province, accept_all


def test_receipts_per_period_and_an_indicator_across_communes(province: Province, tmp_path) -> None:
    codes = ["DX.X1", "DX.X2", "DX.X3", "DX.X4"]
    for db in (province.child, province.office):
        with db.transaction() as s:
            district = Unit(code="DX", name="UBND huyện Đồng Xanh", level="huyen")
            s.add(district)
            for i, code in enumerate(codes, start=1):
                s.add(Unit(code=code, name=f"UBND xã Đồng Xanh {i}", level="xa", parent=district))
            ensure_period(s, "2021-Q1")
    # Quý I: X1 and X2 on time (by 20/03), X3 late; X4 nothing.  6 tháng: X1 on time, X2 late; X3, X4 nothing.
    sent = {"2021-Q1": {"DX.X1": (datetime(2021, 3, 19, 9), 5), "DX.X2": (datetime(2021, 3, 20, 15), 7),
                        "DX.X3": (datetime(2021, 3, 25, 8), 2)},
            "2021-H1": {"DX.X1": (datetime(2021, 6, 18, 9), 8), "DX.X2": (datetime(2021, 6, 24, 9), 12)}}
    for period, units in sent.items():
        for code, (when, value) in units.items():
            province.fill(code, {"2.1": value}, period)
            province.export(code, period, at=when, name=f"{code}_{period}.xlsx")
    for period in sent:
        import_returns(province.office, "DX", [province.inbox], ImportPolicy(period_code=period))
    accept_all(province.office, "DX", "2021-H1")
    with province.office.session() as s:
        receipts = receipt_chart(s, "DX", "2021-H1")
        across = children_indicator_chart(s, "DX", "2021-H1", "2.1")
    assert receipts.categories == ("Quý I/2021", "6 tháng đầu năm 2021")
    assert [(x.name, x.values) for x in receipts.series] == [
        ("Đúng hạn", (2.0, 1.0)), ("Muộn hạn", (1.0, 1.0)), ("Chưa nhận", (1.0, 2.0))]
    # 6 tháng, accepted: X1 = 8, X2 = 12; X3 and X4 sent nothing (blank, not 0).
    assert across.categories == tuple(f"UBND xã Đồng Xanh {i}" for i in range(1, 5))
    assert across.series[0].values == (8.0, 12.0, None, None)
    # The same data draws in the PDF as a vector drawing with text labels.
    drawing = ChartFigure(1, receipts).drawing(450)
    texts = [getattr(n, "text", None) for n in drawing.contents]
    assert "Quý I/2021" in texts and "Chưa nhận" in texts
