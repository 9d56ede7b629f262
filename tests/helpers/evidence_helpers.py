"""A commune with its own small plan and evidence files attached to its tasks, as a clerk records them.

``commune_plan_with_evidence(db, folder)`` gives the demo's Xã An Lạc (under Huyện An Bình, 2021) a
plan of three tasks in two areas; two tasks are done in 6 tháng đầu năm 2021 with a decision each,
attached as a file with a Vietnamese name. Returns the files as attached (name → bytes).
"""

from __future__ import annotations

from pathlib import Path

from core.org.units import get_unit
from core.periods import ensure_period
from core.plans.evidence import add_evidence
from core.plans.progress import save_progress
from core.plans.store import AreaDraft, PlanDraft, TaskDraft, store_plan
from core.returns.entry import apply_edits, open_return
from db.models import Task

COMMUNE = "MH.HAB.XAL"  # UBND xã An Lạc
DISTRICT = "MH.HAB"  # UBND huyện An Bình (until 30/06/2025)
H1 = "2021-H1"
# The commune's figures, typed in the entry grid: 3 tasks in the plan (1.1.1), 2 done (1.1.2) …
VALUES = {"1.1.1": 3, "1.1.2": 2, "2.1": 1}


def commune_plan_with_evidence(db, folder: Path) -> dict[str, bytes]:  # noqa: ANN001 - db.engine.Database
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "Quyết định 15 ban hành kế hoạch CCHC.pdf": b"%PDF-1.4\n% Quyet dinh so 15/QD-UBND\n" + bytes(range(256)) * 40,
        "Báo cáo kiểm tra TTHC quý I.docx": b"PK\x03\x04 bao cao kiem tra " + b"\x00\xff" * 3000,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    draft = PlanDraft(title="Kế hoạch cải cách hành chính năm 2021 của xã An Lạc", year_from=2021, year_to=2021,
                      document_number="15/KH-UBND", areas=[
                          AreaDraft("I", "Công tác chỉ đạo, điều hành", [
                              TaskDraft("1", "Ban hành kế hoạch CCHC năm 2021", lead=COMMUNE,
                                        timeframe_text="Tháng 01/2021"),
                              TaskDraft("2", "Tuyên truyền CCHC trên loa truyền thanh xã", lead=COMMUNE,
                                        timeframe_text="Cả năm"),
                          ]),
                          AreaDraft("III", "Cải cách thủ tục hành chính", [
                              TaskDraft("1", "Kiểm tra việc giải quyết TTHC tại bộ phận một cửa", lead=COMMUNE,
                                        timeframe_text="Quý I/2021"),
                          ]),
                      ])
    with db.transaction() as s:
        plan = store_plan(s, get_unit(s, COMMUNE), draft)
        period = ensure_period(s, H1)
        tasks = sorted(s.query(Task).filter(Task.plan_id == plan.id), key=lambda t: t.sort_order)
        first, _second, third = tasks
        save_progress(s, first.id, period.id, status="Hoàn thành", completed_on="20/01/2021",
                      result_text="Đã ban hành Kế hoạch số 15/KH-UBND")
        add_evidence(s, first.id, period.id, document_number="Quyết định số 15/QĐ-UBND",
                     document_date="20/01/2021", summary="Ban hành Kế hoạch CCHC năm 2021",
                     file=folder / "Quyết định 15 ban hành kế hoạch CCHC.pdf", db_path=db.path)
        save_progress(s, third.id, period.id, status="Hoàn thành", completed_on="25/03/2021")
        add_evidence(s, third.id, period.id, document_number="Báo cáo số 42/BC-UBND",
                     summary="Kết quả kiểm tra TTHC quý I", file=folder / "Báo cáo kiểm tra TTHC quý I.docx",
                     db_path=db.path)
        ret = open_return(s, COMMUNE, H1)
        result = apply_edits(s, ret.id, [(code, value, "") for code, value in VALUES.items()])
        assert result.applied, result.errors[:3]
    return files
