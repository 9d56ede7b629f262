"""Reading one return's report from the database in one pass (``collect_return_export``): form rows
and values, the plan's tasks with their effective state and evidence (Phụ lục II), the narrative
and the report header, into a ``core.returns.report_model.ReturnExport``. A submitted return is
read from its snapshot instead (``core.returns.snapshots``).
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.forms import applicable_indicators, current_template
from core.org.auth import require_unit
from core.org.report_header import ReportHeaderInfo, header_info_from_settings
from core.org.settings import period_rules_for, rounding_rule
from core.periods import parse_period_code
from core.plans.task_state import counted_tasks, reporting_plans, task_states
from core.returns.narrative import printed_sections
from core.returns.plan_values import current_plan_values
from core.returns.report_model import (
    ExportError,
    ExportEvidence,
    ExportFormRow,
    ExportPlan,
    ExportSection,
    ExportTask,
    ReturnExport,
    clean_text,
    optional_text,
)
from core.returns.store import form_rows
from core.values import choice_labels, is_kps
from db.models import FormTemplate, Indicator, Period, Plan, Return, Task, Unit

__all__ = ["blank_export", "collect_return_export", "live_export"]


# --------------------------------------------------------------------------- collecting


def _find_unit(session: Session, unit: Unit | str | int) -> Unit:
    if isinstance(unit, Unit):
        return unit
    if isinstance(unit, int):
        found = session.get(Unit, unit)
    else:
        found = session.scalar(select(Unit).where(Unit.code == unit.strip()))
    if found is None:
        raise ExportError(f"Không có đơn vị mã “{unit}” trong danh mục.")
    require_unit(session, found.id)  # a logged-in user exports only units in reach
    return found


def _find_return(session: Session, unit: Unit, period: Period, template_code: str | None) -> Return:
    q = (select(Return).join(FormTemplate, Return.template_id == FormTemplate.id)
         .where(Return.unit_id == unit.id, Return.period_id == period.id)
         .order_by(FormTemplate.version.desc()))
    if template_code:
        q = q.where(FormTemplate.code == template_code)
    ret = session.scalars(q).first()
    if ret is None:
        raise ExportError(
            f"{unit.name} chưa lập báo cáo kỳ {parse_period_code(period.code).label}; không có gì để xuất."
        )
    return ret


def _export_rows(session: Session, ret: Return | None, live: dict[str, float] | None = None, *,
                 template_id: int | None = None, level: str | None = None) -> list[ExportFormRow]:
    """The form's rows with their values; ``live`` replaces the plan-derived numbers of a draft.
    Without a return (a blank form): the rows of ``template_id`` that apply to ``level``, empty."""
    live = live or {}
    template_id = ret.template_id if ret is not None else template_id
    only = None
    if ret is None and level is not None:
        only = {i.code for i in applicable_indicators(session.scalars(
            select(Indicator).where(Indicator.template_id == template_id)).all(), level)}
    extra = {
        code: (parent, choices, hint)
        for code, parent, choices, hint in session.execute(
            select(Indicator.code, Indicator.parent_code, Indicator.choices, Indicator.hint).where(
                Indicator.template_id == template_id
            )
        )
    }
    out: list[ExportFormRow] = []
    seen_breakdown_parents: set[str | None] = set()
    for r in form_rows(session, template_id, ret):
        if only is not None and r.code not in only:
            continue
        parent, choices, hint = extra.get(r.code, (None, None, None))
        first = False
        if r.breakdown and parent not in seen_breakdown_parents:
            seen_breakdown_parents.add(parent)
            first = True
        unit_label = clean_text(r.unit_label).strip()
        if r.value_type in ("choice", "yesno"):
            # "Chưa = 0 Đang làm = 1 Hoàn thành = 2": one meaning per line, in the form's order.
            parts = [p.strip() for p in re.findall(r"[^=]+?=\s*-?\d+", unit_label)]
            if not parts and choices:
                parts = [p.strip() for p in choice_labels(choices).split(" / ")]
            unit_label = "\n".join(parts) if parts else unit_label
        out.append(ExportFormRow(
            code=r.code,
            name=clean_text(r.name).strip(),
            unit_label=unit_label,
            kind=r.kind,
            value_type=r.value_type,
            breakdown=r.breakdown,
            first_in_breakdown=first,
            number=live.get(r.code, r.number),
            text=(optional_text(r.text) if r.value_type == "text" or (r.code not in live and is_kps(r.number, r.text))
                  else None),
            note=clean_text(r.note).strip(),
            definition=clean_text(hint).strip(),
        ))
    return out


def _export_tasks(session: Session, plans: list[Plan], period: Period) -> list[ExportTask]:
    """Phụ lục II: every task of the plans with its effective state as of the period (``core.plans.task_state``)."""
    if not plans:
        return []
    plan_order = {p.id: i for i, p in enumerate(plans)}
    tasks = list(session.scalars(
        select(Task).where(Task.plan_id.in_(plan_order)).options(
            selectinload(Task.lead_unit), selectinload(Task.area)
        )
    ))
    tasks.sort(key=lambda t: (plan_order[t.plan_id], t.sort_order, t.id))
    counted = {t.id for t in counted_tasks(tasks)}
    states = task_states(session, tasks, period)
    out = []
    for t in tasks:
        st = states[t.id]
        evidence = tuple(
            ExportEvidence(optional_text(e.document_number), e.document_date, optional_text(e.summary),
                           optional_text(e.file_name), e.sha256)
            for e in sorted(st.evidence, key=lambda e: (e.document_date or date.min, e.id))
        )
        out.append(ExportTask(
            area_numeral=clean_text(t.area_numeral).strip(),
            area_title=clean_text(t.area_title).strip(),
            area_code=t.area.code if t.area else None,
            number=clean_text(t.number).strip(),
            title=clean_text(t.title).strip(),
            lead=clean_text(t.lead_unit.name if t.lead_unit else t.lead_unit_text).strip(),
            partners=clean_text(t.partner_units_text).strip(),
            timeframe_text=clean_text(t.timeframe_text).strip(),
            due_date=st.deadline,
            status=st.status,
            percent_done=st.percent_done,
            completed_on=st.completed_on,
            result_text=clean_text(st.result_text).strip(),
            difficulties=clean_text(st.difficulties).strip(),
            evidence=evidence,
            overdue=st.overdue and t.id in counted,
            counted=t.id in counted,
        ))
    return out


def collect_return_export(
    session: Session,
    unit: Unit | str | int,
    period: str | Period,
    *,
    header: ReportHeaderInfo | None = None,
    template_code: str | None = None,
) -> ReturnExport:
    """Everything the exports need for one return, read in one pass.

    ``unit`` is a Unit, its code or its id; ``period`` a Period or a code such as
    ``2022-Q1``. A submitted return with a snapshot is rebuilt from it, as it was when
    submitted (``header`` is then ignored: the frozen header is the one printed). Otherwise
    the return is read as it is now, with ``header`` defaulting to
    ``header_info_from_settings``. Raises ``ExportError`` (Vietnamese message) when there
    is no such unit, period or return.
    """
    unit = _find_unit(session, unit)
    if isinstance(period, Period):
        spec = parse_period_code(period.code)
    else:
        spec = parse_period_code(period)
        period = session.scalar(select(Period).where(Period.code == spec.code))
        if period is None:
            raise ExportError(f"{unit.name} chưa lập báo cáo kỳ {spec.label}; không có gì để xuất.")
    ret = _find_return(session, unit, period, template_code)
    if ret.status == "submitted":
        from core.returns.snapshots import frozen_export  # builds on this module

        frozen = frozen_export(session, ret)
        if frozen is not None:
            return frozen
    return live_export(session, ret, header=header)


def live_export(session: Session, ret: Return, *, header: ReportHeaderInfo | None = None) -> ReturnExport:
    """The return as the database and the unit's settings give it now (what a snapshot is taken from)."""
    unit = ret.unit
    spec = parse_period_code(ret.period.code)
    template = ret.template
    start, cutoff = spec.data_window(period_rules_for(session, unit))
    plans = reporting_plans(session, unit.id, spec.year)
    tasks = _export_tasks(session, plans, ret.period)
    counts: dict[int, int] = {}
    for t in session.scalars(select(Task.plan_id).where(Task.plan_id.in_([p.id for p in plans]))):
        counts[t] = counts.get(t, 0) + 1
    # A draft's 1.1.1/1.1.2 as the plan stands now: the appendix, Phụ lục II and the narrative agree.
    live = current_plan_values(session, ret)
    rows = _export_rows(session, ret, live)
    sections = [
        ExportSection(v.key, clean_text(v.title).strip(), clean_text(v.text).strip(), v.level, v.parent,
                      clean_text(v.draft_text).strip(),
                      clean_text(v.user_text).strip() if v.user_text is not None else None, v.stale)
        for v in printed_sections(session, ret, live)
    ]
    return ReturnExport(
        unit_code=unit.code,
        unit_name=clean_text(unit.name).strip(),
        unit_level=unit.level,
        period=spec,
        template_code=template.code,
        template_version=template.version,
        template_title=clean_text(template.title).strip(),
        template_sha256=template.content_sha256,
        status=ret.status,
        header=header or header_info_from_settings(session, unit),
        rows=rows,
        tasks=tasks,
        plans=[ExportPlan(clean_text(p.title).strip(), optional_text(p.document_number), p.issue_date,
                          counts.get(p.id, 0))
               for p in plans],
        sections=sections,
        cutoff=cutoff,
        consolidated=ret.origin == "consolidated",
        window_start=start,
        rounding=rounding_rule(session, unit),
        targets=printed_targets(session, unit, spec, rows),
        completion=year_completion(session, unit, spec) if plans else [],
    )


def printed_targets(session: Session, unit: Unit, spec, rows: list[ExportFormRow]) -> list:  # noqa: ANN001
    """The unit's targets for the year against the figures the report prints (``rows``)."""
    from core.plans.targets import list_targets
    from core.returns.target_status import results_for_values

    targets = list_targets(session, unit_id=unit.id, year=spec.year)
    if not targets:
        return []
    values = {r.code: (r.number, r.text) for r in rows if r.is_value}
    percent = {r.code for r in rows if r.value_type == "percent"}
    return results_for_values(targets, values, rounding_rule(session, unit), percent)


def year_completion(session: Session, unit: Unit, spec) -> list[tuple[str, int, int]]:  # noqa: ANN001
    """(period label, done, total) for each standard period of the year up to ``spec`` (Quý I,
    6 tháng, Quý III, 9 tháng, Quý IV, Năm), from the one task state every report reads."""
    from core.periods import standard_codes
    from core.plans.overview import overview
    from core.returns.history import period_order

    out = []
    for code in standard_codes(spec.year):
        other = parse_period_code(code)
        if period_order(other) > period_order(spec):
            break
        o = overview(session, unit.id, code)
        out.append((other.label, o.done, o.total))
    return out


def blank_export(session: Session, unit: Unit | str | int, period: str) -> ReturnExport:
    """The official appendix for ``unit``'s level and ``period`` with every value cell empty: the blank
    form a unit without the program fills in by hand and sends back (read by ``core.intake.handmade``).
    Needs no return, plan or narrative of that unit."""
    unit = _find_unit(session, unit)
    spec = parse_period_code(period)
    template = current_template(session)
    start, cutoff = spec.data_window(period_rules_for(session, unit))
    return ReturnExport(
        unit_code=unit.code,
        unit_name=clean_text(unit.name).strip(),
        unit_level=unit.level,
        period=spec,
        template_code=template.code,
        template_version=template.version,
        template_title=clean_text(template.title).strip(),
        template_sha256=template.content_sha256,
        status="blank",
        header=header_info_from_settings(session, unit),
        rows=_export_rows(session, None, template_id=template.id, level=unit.level),
        cutoff=cutoff,
        window_start=start,
        rounding=rounding_rule(session, unit),
    )
