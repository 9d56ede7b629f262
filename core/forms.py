"""Form templates (indicator sets) as versioned data files, and the area catalogue.

A template file in resources/forms is installed into the database once per
(code, version). Changing a released version's content is refused: a new form
is a new version, so old returns keep the form they were filled in.

Which unit levels a row applies to is part of the file (``"levels"`` on an indicator:
``tinh`` province, ``so`` department, ``huyen`` district, ``xa`` commune; absent: every
level) but not of the form's identity: the rows, their meaning and the rules are what
a return is filled in against, and a level list can be corrected without a new version.
The identity hash (``content_sha256``, carried in every return workbook) is therefore the
SHA-256 of the file written without its level lists, as the file itself is written
(JSON, one-space indent, UTF-8, final newline); for a file that had none it is the file's
own hash, so returns exchanged before the level lists existed stay compatible.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Refused
from core.paths import resource_path
from core.vnformat import nfc
from db.models import Area, FormTemplate, Indicator

STANDARD_TEMPLATE_CODE = "BNV-TK-CCHC"
FORM_LEVELS = ("tinh", "so", "huyen", "xa")
# A section (phòng) of a department or a district reports the rows of a specialised agency.
_LEVEL_OF_UNIT = {"phong": "so"}
VALUE_TYPES = {"integer", "decimal", "percent", "choice", "yesno", "text"}
RULE_TYPES = {"le", "sum_le", "sum_eq", "sum_le_const"}


class TemplateError(Refused):
    """A template file that cannot be used; the message is Vietnamese."""


@dataclass(frozen=True)
class TemplateFile:
    path: Path
    data: dict
    sha256: str

    @property
    def code(self) -> str:
        return self.data["template_code"]

    @property
    def version(self) -> int:
        return int(self.data["version"])


def read_template_file(path: Path) -> TemplateFile:
    """Read and check a template file; every problem is reported in Vietnamese."""
    raw = Path(path).read_bytes()
    try:
        data = json.loads(nfc(raw.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TemplateError(f"Tệp biểu mẫu “{Path(path).name}” không đọc được: {exc}") from exc
    problems: list[str] = []
    for key in ("template_code", "version", "title", "indicators"):
        if key not in data:
            problems.append(f"thiếu mục “{key}”")
    codes: set[str] = set()
    levels_of: dict[str, set[str]] = {}
    for ind in data.get("indicators", []):
        code = ind.get("code")
        if not code or code in codes:
            problems.append(f"mã chỉ tiêu trống hoặc trùng: “{code}”")
        codes.add(code)
        levels = ind.get("levels")
        if levels is not None:
            if not isinstance(levels, list) or not levels or any(lv not in FORM_LEVELS for lv in levels):
                problems.append(f"chỉ tiêu {code}: danh sách cấp áp dụng “{levels}” không hợp lệ "
                                f"(dùng {', '.join(FORM_LEVELS)})")
            elif ind.get("breakdown") and not set(levels) <= levels_of.get(ind.get("parent"), set(FORM_LEVELS)):
                problems.append(f"chỉ tiêu {code}: áp dụng cho cấp mà chỉ tiêu tổng “{ind.get('parent')}” "
                                "không áp dụng")
        levels_of[code] = set(levels) if isinstance(levels, list) else set(FORM_LEVELS)
        if ind.get("parent") and ind["parent"] not in codes:
            problems.append(f"chỉ tiêu {code}: chỉ tiêu cha “{ind['parent']}” không có hoặc đứng sau")
        if ind.get("kind") == "value" and ind.get("value_type") not in VALUE_TYPES:
            problems.append(f"chỉ tiêu {code}: kiểu giá trị “{ind.get('value_type')}” không hợp lệ")
        if ind.get("value_type") in ("choice", "yesno") and not ind.get("choices"):
            problems.append(f"chỉ tiêu {code}: thiếu danh sách mã trả lời")
    for rule in data.get("rules", []):
        if rule.get("type") not in RULE_TYPES:
            problems.append(f"quy tắc {rule.get('id')}: loại “{rule.get('type')}” không hợp lệ")
        named = [rule.get("left"), rule.get("right"), rule.get("total"), *rule.get("parts", [])]
        for c in filter(None, named):
            if c not in codes:
                problems.append(f"quy tắc {rule.get('id')}: mã “{c}” không có trong biểu mẫu")
    if problems:
        raise TemplateError(f"Tệp biểu mẫu “{Path(path).name}” có lỗi: " + "; ".join(problems) + ".")
    return TemplateFile(Path(path), data, identity_sha256(data))


def identity_sha256(data: dict) -> str:
    """The form's identity: the SHA-256 of the file written without its level lists (see above)."""
    bare = {**data, "indicators": [{k: v for k, v in ind.items() if k != "levels"}
                                   for ind in data.get("indicators", [])]}
    text = json.dumps(bare, ensure_ascii=False, indent=1) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def install_template(session: Session, tf: TemplateFile) -> FormTemplate:
    """Install a template once; the same version with other content is refused. The level lists
    of an installed version follow the file (they are not part of the form's identity)."""
    existing = session.scalar(
        select(FormTemplate).where(FormTemplate.code == tf.code, FormTemplate.version == tf.version)
    )
    if existing:
        if existing.content_sha256 != tf.sha256:
            raise TemplateError(
                f"Biểu mẫu {tf.code} phiên bản {tf.version} đã có trong cơ sở dữ liệu với nội dung khác. "
                "Một biểu mẫu đã dùng không được sửa; hãy tạo phiên bản mới."
            )
        levels = {ind["code"]: ind.get("levels") for ind in tf.data["indicators"]}
        for ind in existing.indicators:
            if ind.levels != levels.get(ind.code):
                ind.levels = levels.get(ind.code)
        session.flush()
        return existing
    tpl = FormTemplate(
        code=tf.code,
        version=tf.version,
        title=tf.data["title"],
        content_sha256=tf.sha256,
        rules=tf.data.get("rules", []),
    )
    for order, ind in enumerate(tf.data["indicators"]):
        tpl.indicators.append(
            Indicator(
                code=ind["code"],
                parent_code=ind.get("parent"),
                sort_order=order,
                name=ind["name"],
                hint=ind.get("hint"),
                unit_label=ind.get("unit"),
                kind=ind.get("kind", "value"),
                value_type=ind.get("value_type"),
                choices=ind.get("choices"),
                aggregation=ind.get("aggregation"),
                breakdown=bool(ind.get("breakdown")),
                source_code=ind.get("source_code"),
                levels=ind.get("levels"),
            )
        )
    session.add(tpl)
    session.flush()
    return tpl


def standard_template_files() -> list[Path]:
    return sorted(resource_path("forms").glob("*.json"))


@cache
def _area_catalogue() -> tuple[dict, ...]:
    """The bundled area catalogue (resources/areas.json), read once."""
    return tuple(json.loads(resource_path("areas.json").read_text(encoding="utf-8"))["areas"])


def ensure_areas(session: Session) -> int:
    """Add catalogue areas that are missing; existing rows (maybe edited by the user) are kept."""
    have = {a.code for a in session.scalars(select(Area))}
    added = 0
    for order, item in enumerate(_area_catalogue(), start=1):
        if item["code"] not in have:
            session.add(Area(code=item["code"], name=nfc(item["name"]), sort_order=order, active=True))
            added += 1
    session.flush()
    return added


def area_aliases() -> dict[str, list[str]]:
    """Area code → names and aliases, for matching plan headings to the catalogue."""
    return {a["code"]: [a["name"], *a.get("aliases", [])] for a in _area_catalogue()}


def area_form_codes() -> dict[str, str]:
    """Area code → the statistical form's group for it ("tthc" → "3"; "" where the form has none)."""
    return {a["code"]: str(a.get("form_code", "")) for a in _area_catalogue()}


def ensure_standard_content(session: Session) -> None:
    """Install the area catalogue and the bundled form templates (idempotent)."""
    ensure_areas(session)
    for path in standard_template_files():
        install_template(session, read_template_file(path))


def current_template(session: Session, code: str = STANDARD_TEMPLATE_CODE) -> FormTemplate:
    tpl = session.scalar(
        select(FormTemplate).where(FormTemplate.code == code).order_by(FormTemplate.version.desc())
    )
    if tpl is None:
        raise TemplateError(f"Chưa có biểu mẫu {code} trong cơ sở dữ liệu.")
    return tpl


# --------------------------------------------------------------------------- rows by unit level


def form_level(unit_level: str | None) -> str | None:
    """The form's level of a unit level: "phong" reports as "so"; an unknown level as itself."""
    return _LEVEL_OF_UNIT.get(unit_level or "", unit_level)


def applies(ind: Indicator, unit_level: str | None) -> bool:
    """Whether a value row of the form is for units of ``unit_level`` (None: every row)."""
    if unit_level is None or not ind.levels:
        return True
    return form_level(unit_level) in ind.levels


def applicable_indicators(indicators: list[Indicator], unit_level: str | None) -> list[Indicator]:
    """The rows a unit of ``unit_level`` fills in, in order: its value rows, and the group rows
    above at least one of them (a commune never sees a heading with nothing under it)."""
    inds = list(indicators)
    keep_values = {i.code for i in inds if i.kind != "group" and applies(i, unit_level)}
    parent = {i.code: i.parent_code for i in inds}
    shown_groups: set[str] = set()
    for code in keep_values:
        p = parent.get(code)
        while p is not None and p not in shown_groups:
            shown_groups.add(p)
            p = parent.get(p)
    return [i for i in inds if i.code in keep_values or i.code in shown_groups]


def applicable_codes(session: Session, template_id: int, unit_level: str | None) -> set[str]:
    """Codes of the rows (value and group) a unit of ``unit_level`` fills in."""
    inds = session.scalars(select(Indicator).where(Indicator.template_id == template_id)
                           .order_by(Indicator.sort_order)).all()
    return {i.code for i in applicable_indicators(inds, unit_level)}
