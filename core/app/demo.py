"""Demo data: a fictional province (Tỉnh Minh Họa) carrying real content from the seeds.

- units: resources/demo/don_vi_minh_hoa.csv (a province, departments, a district
  abolished on 1/7/2025 and the communes that replaced it);
- the plan: the task appendix of Gia Lai's 2021 PAR plan (seed 002), with the
  province's name replaced;
- task progress for 6 tháng đầu năm 2021: the 11 tasks the seed report (004) lists as
  completed, with the decisions it cites as evidence;
- returns: the seed report's statistical appendix (6 tháng đầu năm 2021, submitted and
  frozen as any return is) and a Quý III/2021 draft holding only the plan-derived task counts.
Nothing here is made up beyond the province's name and its communes. The seed leaves 3.4.5.c
and 7.6.2 empty; a return is not submitted with an unexplained blank, so those two carry the
note "Báo cáo gốc để trống ô này". The appendix's footnotes (28)–(32) and the note of group row 3.4
(resources/demo/chu_thich_6_thang_2021.csv) are in the values' notes, so the demo's exported appendix says what
the seed's says.
"""

from __future__ import annotations

import csv
import json
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.forms import current_template, ensure_standard_content
from core.org.settings import set_settings
from core.org.units import get_unit, import_units
from core.paths import resource_path
from core.periods import ensure_period
from core.plans.store import ActivityDraft, AreaDraft, PlanDraft, TaskDraft, store_plan
from core.returns.store import get_or_create_return, set_value
from core.returns.workflow import submit_return
from core.values import note_with_footnote
from db.models import AppSetting, Evidence, Plan, Task, TaskProgress

DEMO_MARKER = "demo_loaded"
PROVINCE = "MH"

# Seed 004, footnote 1: the tasks completed by 14/6/2021, keyed by (area numeral, task number).
_COMPLETED_H1 = {
    ("II", "1"): "Ban hành Kế hoạch kiểm soát TTHC năm 2021",
    ("I", "3"): "Cập nhật, đăng tải văn bản QPPL trên Cơ sở dữ liệu Quốc gia về pháp luật",
    ("VII", "1"): "Ban hành Kế hoạch tuyên truyền CCHC năm 2021",
    ("VI", "7"): "Kết nối hệ thống báo cáo của UBND tỉnh với Hệ thống thông tin báo cáo của Chính phủ",
    ("VI", "10"): "Ứng dụng công nghệ thông tin vào việc tiếp nhận và xử lý hiệu quả nội dung, tiếp nhận, "
                  "xử lý phản ánh, kiến nghị về quy định hành chính và kết quả giải quyết TTHC tại các cấp chính quyền",
    ("VII", "2"): "Triển khai đánh giá CCHC theo Bộ Chỉ số CCHC của các sở, ban, ngành tỉnh, UBND cấp huyện",
    ("VII", "4"): "Ban hành kế hoạch kiểm tra công tác CCHC đối với các sở, ban, ngành tỉnh và UBND cấp huyện "
                  "và xử lý hoặc kiến nghị xử lý các vấn đề phát hiện qua kiểm tra",
    ("VI", "2"): "Duy trì, vận hành, hoàn thiện Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh",
    ("VI", "3"): "Duy trì kết nối, liên thông phần mềm Quản lý văn bản và điều hành",
    ("VI", "5"): "Duy trì kết nối, liên thông các hệ thống “Một cửa điện tử” các cấp",
    ("IV", "5"): "Xây dựng các văn bản chỉ đạo, thực hiện công tác CCHC (Kế hoạch đào tạo, bồi dưỡng cán bộ "
                 "công chức viên chức năm 2021 của tỉnh …)",
}

# Seed 004, footnote 2 and section I.2: decisions cited as evidence.
_EVIDENCE_H1 = {
    ("VII", "1"): ("Quyết định số 752/QĐ-UBND", date(2020, 12, 26),
                   "Kế hoạch tuyên truyền công tác CCHC năm 2021"),
    ("VII", "4"): ("Quyết định số 104/QĐ-UBND", date(2021, 2, 8),
                   "Kế hoạch kiểm tra công tác CCHC năm 2021"),
    ("VII", "2"): ("Quyết định số 158/QĐ-UBND", date(2021, 3, 16),
                   "Phê duyệt và công bố Chỉ số CCHC năm 2020 của các sở, ban, ngành tỉnh và UBND các huyện"),
}


def demo_plan_draft() -> PlanDraft:
    """The seed 002 appendix as a PlanDraft (merged cells filled, the split task I.1 joined)."""
    data = json.loads(resource_path("demo", "ke_hoach_cchc_2021_gia_lai.json").read_text(encoding="utf-8"))
    draft = PlanDraft(
        title=data["title"].replace("tỉnh Gia Lai", "tỉnh Minh Họa"),
        year_from=data["year_from"],
        year_to=data["year_to"],
        document_number="751/QĐ-UBND",  # as cited in seed 004
        issue_date=date(2020, 12, 26),
        source_file="ke_hoach_cchc_2021_gia_lai.json",
    )
    for area in data["areas"]:
        ad = AreaDraft(numeral=area["numeral"], title=area["title"])
        prev: dict | None = None
        for t in area["tasks"]:
            t = dict(t)
            merged = t.get("merged", {})
            if prev is not None:
                for key in ("lead", "partners", "timeframe"):
                    if merged.get(key):
                        t[key] = prev[key]
            if ad.tasks and ad.tasks[-1].number == t["number"]:
                # The source prints task I.1's second product as a second "1." row (page layout):
                # it is one task, as the seed report's count of 38 tasks confirms.
                last = ad.tasks[-1]
                last.output = "\n".join(filter(None, [last.output, t["output"]]))
                last.timeframe_text = " ".join(filter(None, [last.timeframe_text, t["timeframe"]]))
                continue
            ad.tasks.append(
                TaskDraft(
                    number=t["number"],
                    title=t["title"],
                    output=t["output"] or None,
                    lead=t["lead"] or None,
                    partners=t["partners"] or None,
                    timeframe_text=t["timeframe"] or None,
                    activities=[ActivityDraft(a) for a in t["activities"]],
                )
            )
            prev = t
        draft.areas.append(ad)
    return draft


def demo_loaded(session: Session) -> bool:
    return session.get(AppSetting, DEMO_MARKER) is not None


def load_demo(session: Session) -> bool:
    """Load the demo data once; returns False (changing nothing) if it is already there."""
    ensure_standard_content(session)
    if demo_loaded(session):
        return False
    import_units(session, resource_path("demo", "don_vi_minh_hoa.csv"))
    province = get_unit(session, PROVINCE)
    plan = store_plan(session, province, demo_plan_draft())
    h1 = ensure_period(session, "2021-H1")
    q3 = ensure_period(session, "2021-Q3")
    _demo_progress(session, plan, h1)

    template = current_template(session)
    ret = get_or_create_return(session, province, h1, template)
    values = {}
    with open(resource_path("demo", "so_lieu_6_thang_2021.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            values[row["code"]] = row["value"]
            set_value(session, ret, row["code"], row["value"], row["note"] or None, source="import")
    # The seed appendix's footnotes (28)–(32), kept in the values' notes and printed as numbered notes, and the
    # note of group row 3.4.
    with open(resource_path("demo", "chu_thich_6_thang_2021.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            note = note_with_footnote(None, row["mark"], row["note"]) if row["mark"] else row["note"]
            set_value(session, ret, row["code"], values.get(row["code"], ""), note, source="import")
    # The seed report's signer: a submitted return's report names who signs it (a fictional name here).
    set_settings(session, province, {"report.signer_name": "Nguyễn Văn Minh"},
                 user="demo")
    submit_return(session, ret.id, user="demo")

    q3_ret = get_or_create_return(session, province, q3, template)
    tasks = len(plan.tasks)
    done = session.scalar(
        select(func.count()).select_from(TaskProgress).where(
            TaskProgress.period_id == h1.id, TaskProgress.status.in_(("done_on_time", "done_late"))
        )
    )
    set_value(session, q3_ret, "1.1.1", tasks, source="plan")
    set_value(session, q3_ret, "1.1.2", done, source="plan")
    _demo_index(session)
    session.add(AppSetting(key=DEMO_MARKER, value=date.today().isoformat()))
    session.flush()
    return True


def _demo_index(session: Session) -> None:
    """A small Chỉ số CCHC set for the departments (2021) so the screen is not empty: Sở Tư pháp and Sở Tài
    chính scored, submitted, appraised with survey points; Sở Nội vụ half-way through its self-scoring."""
    from core.index.appraisal import appraise
    from core.index.criteria import set_from_content, store_set
    from core.index.scoring import add_score_evidence, assessment_for, criteria_of, set_score, submit_assessment

    cset = set_from_content(json.loads(resource_path("demo", "chi_so_cchc_so_2021.json").read_text(encoding="utf-8")))
    cset.check_sums()
    store_set(session, cset, source_file="chi_so_cchc_so_2021.json", user="demo")
    short = {"MH.STP": {"5.1": ("3", "Tỷ lệ đúng hạn 97,5%")}, "MH.STC": {"1.1": ("0,5", "Ban hành ngày 05/02/2021")},
             "MH.SNV": {}}
    for code, lower in short.items():
        a = assessment_for(session, code, 2021)
        leaves = [c for c in criteria_of(session, a) if c.is_leaf and c.depth and c.kind == "self"]
        for i, c in enumerate(leaves):
            if code == "MH.SNV" and i >= 3:
                break
            points, note = lower.get(c.code, (str(c.max_centi / 100).replace(".", ","), None))
            set_score(session, a, c.code, points, note=note, user="demo")
        add_score_evidence(session, a, leaves[0].code, document_number="15/KH-" + code.split(".")[1],
                           summary="Kế hoạch cải cách hành chính năm 2021", user="demo")
        if code != "MH.SNV":
            submit_assessment(session, a, user="demo")
            appraise(session, code, 2021, "6", "8,5" if code == "MH.STP" else "8,25", "Kết quả điều tra xã hội học",
                     user="demo")
    appraise(session, "MH.STC", 2021, "4", "3", "Niêm yết chưa đủ 2 thủ tục", user="demo")


def _demo_progress(session: Session, plan: Plan, period) -> None:
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id)).all()
    for task in tasks:
        key = (task.area_numeral, task.number)
        if key in _COMPLETED_H1:
            progress = TaskProgress(task=task, period=period, status="done_on_time", percent_done=100.0,
                                    result_text=_COMPLETED_H1[key])
            if key in _EVIDENCE_H1:
                number, day, summary = _EVIDENCE_H1[key]
                progress.evidence.append(Evidence(document_number=number, document_date=day, summary=summary))
        else:
            # Seed 004: "các nhiệm vụ còn lại chưa đến thời gian hoàn thành".
            progress = TaskProgress(task=task, period=period, status="in_progress")
        session.add(progress)
    session.flush()
