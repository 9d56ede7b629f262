"""Scores the product proposes from what it knows, with their source: plan completion as of 14/12 through the
scoring guide, and reports submitted on time; a proposal is never the score until the user accepts it."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import main
from core.forms import current_template
from core.index.proposals import points_from_guide
from core.org.units import get_unit
from core.periods import ensure_period
from core.plans.progress import save_progress
from core.plans.store import AreaDraft, PlanDraft, TaskDraft, store_plan
from core.returns.store import get_or_create_return
from db.models import Task
from tests.helpers.index_helpers import make_index_db

GUIDE = "Hoàn thành 100% kế hoạch: 2\nTừ 80% đến dưới 100% kế hoạch: 1\nDưới 80% kế hoạch: 0"


def test_the_guide_maps_a_rate_to_its_points() -> None:
    assert [points_from_guide(GUIDE, Decimal(r), 200)[0] for r in ("100", "90", "80", "79.99")] == [200, 100, 100, 0]
    # no line to read: proportional, rounded down to 0,25 (60% of 3 = 1,8 → 1,75)
    assert points_from_guide("Theo đánh giá của Hội đồng", Decimal(60), 300) == (175, False)


def test_plan_completion_and_on_time_reports_are_proposed_with_their_source(capsys, tmp_path: Path,
                                                                            tables: Path) -> None:
    db = make_index_db(tmp_path / "cchc.db", tables / "chiso_xa_2025.xlsx")
    with db.transaction() as s:
        unit = get_unit(s, "H.X1")
        draft = PlanDraft("Kế hoạch CCHC năm 2025", 2025, 2025, areas=[AreaDraft("I", "Cải cách thể chế", [
            TaskDraft(str(i), f"Nhiệm vụ {i}", timeframe_text="Năm 2025") for i in range(1, 11)])])
        plan = store_plan(s, unit, draft)
        year = ensure_period(s, "2025-Y")
        tasks = sorted(s.query(Task).filter(Task.plan_id == plan.id), key=lambda t: int(t.number))
        for t in tasks[:9]:  # 9 of 10 done before 14/12
            save_progress(s, t.id, year.id, status="done", completed_on=date(2025, 11, 30))
        template = current_template(s)
        for code, day in (("2025-Q1", datetime(2025, 3, 18)), ("2025-H1", datetime(2025, 6, 25)),
                          ("2025-Q3", datetime(2025, 9, 15))):
            ret = get_or_create_return(s, unit, ensure_period(s, code), template)
            ret.status, ret.submitted_at = "submitted", day
    db.close()
    rc = main.main(["index", "show", "--unit", "H.X1", "--year", "2025", "--json", "--db", str(tmp_path / "cchc.db")])
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rc == 0
    # 9/10 = 90%: "Từ 80% đến dưới 100%" → 1 point; nothing is scored yet
    assert (rows["1.2"]["proposed"], rows["1.2"]["self"]) == ("1", None)
    assert rows["1.2"]["proposal_source"] == ("Kế hoạch CCHC năm 2025: hoàn thành 9/10 nhiệm vụ (90%) tính đến ngày "
                                              "14/12/2025 → 1 điểm (theo hướng dẫn chấm điểm).")
    # 6 tháng was due on 20/6 and sent on 25/6: one late report → "Có 01 báo cáo chậm" in the guide
    assert "chậm hoặc chưa gửi: 6 tháng" in rows["2"]["proposal_source"]
    rc = main.main(["index", "score", "--unit", "H.X1", "--year", "2025", "--criterion", "1.2", "--accept-proposal",
                    "--note", "Còn 1 nhiệm vụ đang thực hiện", "--db", str(tmp_path / "cchc.db")])
    assert rc == 0 and "1/2 điểm" in capsys.readouterr().out
