"""Form templates (indicator sets) as versioned data files, and the area catalogue.

A template file in resources/forms is installed into the database once per
(code, version). Changing a released version's content is refused: a new form
is a new version, so old returns keep the form they were filled in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.paths import resource_path
from core.vnformat import nfc
from db.models import Area, FormTemplate, Indicator

STANDARD_TEMPLATE_CODE = "BNV-TK-CCHC"
VALUE_TYPES = {"integer", "decimal", "percent", "choice", "yesno", "text"}
RULE_TYPES = {"le", "sum_le", "sum_eq", "sum_le_const"}


class TemplateError(ValueError):
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
    for ind in data.get("indicators", []):
        code = ind.get("code")
        if not code or code in codes:
            problems.append(f"mã chỉ tiêu trống hoặc trùng: “{code}”")
        codes.add(code)
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
    return TemplateFile(Path(path), data, hashlib.sha256(raw).hexdigest())


def install_template(session: Session, tf: TemplateFile) -> FormTemplate:
    """Install a template once; the same version with other content is refused."""
    existing = session.scalar(
        select(FormTemplate).where(FormTemplate.code == tf.code, FormTemplate.version == tf.version)
    )
    if existing:
        if existing.content_sha256 != tf.sha256:
            raise TemplateError(
                f"Biểu mẫu {tf.code} phiên bản {tf.version} đã có trong cơ sở dữ liệu với nội dung khác. "
                "Một biểu mẫu đã dùng không được sửa; hãy tạo phiên bản mới."
            )
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
            )
        )
    session.add(tpl)
    session.flush()
    return tpl


def standard_template_files() -> list[Path]:
    return sorted(resource_path("forms").glob("*.json"))


def ensure_areas(session: Session) -> int:
    """Add catalogue areas that are missing; existing rows (maybe edited by the user) are kept."""
    data = json.loads(resource_path("areas.json").read_text(encoding="utf-8"))
    have = {a.code for a in session.scalars(select(Area))}
    added = 0
    for order, item in enumerate(data["areas"], start=1):
        if item["code"] not in have:
            session.add(Area(code=item["code"], name=nfc(item["name"]), sort_order=order, active=True))
            added += 1
    session.flush()
    return added


def area_aliases() -> dict[str, list[str]]:
    """Area code → names and aliases, for matching plan headings to the catalogue."""
    data = json.loads(resource_path("areas.json").read_text(encoding="utf-8"))
    return {a["code"]: [a["name"], *a.get("aliases", [])] for a in data["areas"]}


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
