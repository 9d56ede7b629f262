"""Per-unit settings (Cài đặt của đơn vị), stored as typed values over ``UnitSetting``.

Two groups:

- **period rules** — the last day of the data window and the report's due day. Decree
  09/2019/NĐ-CP gives 14 and 20; a province may set its own. These two are *inherited*:
  a commune that has not set them follows its province (the nearest ancestor that has).
- **report header and signature** — what the printed report needs (Decree 30/2020/NĐ-CP):
  issuing and superior body, document number, place, the signature block and the
  recipients. These belong to the unit itself and are not inherited.
- **rounding of rates** (``report.rounding``): ``half_up`` (default, 71,43%) or ``truncate``
  (71,42%); ``rounding_rule`` gives it to every rate the unit's screens and reports print.

Every key has a type, a default and a Vietnamese label; ``set_setting`` checks the value,
writes it and records the change in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.periods import PeriodRules
from core.vnformat import HALF_UP, ROUNDING_RULES, TRUNCATE, date_problem, nfc
from db.models import Unit, UnitSetting

TITLE_PREFIXES = ("", "TM.", "KT.", "Q.", "TL.", "TUQ.")
_TRUE = ("1", "có", "co", "bật", "bat", "true", "yes", "on")
_FALSE = ("0", "không", "khong", "tắt", "tat", "false", "no", "off")


class SettingError(Refused):
    """A setting value that cannot be stored; the message is Vietnamese and names the setting."""


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    kind: str  # int | str | choice | list | date | bool
    default: object
    inherited: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    per_year: bool = False  # stored as "<key>.<year>", e.g. "inspection.planned_units.2021"


_SPECS = [
    SettingSpec("period.cutoff_day", "Ngày chốt số liệu (trong tháng cuối kỳ)", "int", 14, inherited=True,
                minimum=1, maximum=28,
                help="Số liệu tính từ ngày kế tiếp của tháng trước kỳ đến ngày này của tháng cuối kỳ "
                     "(Nghị định 09/2019/NĐ-CP: ngày 14)."),
    SettingSpec("period.due_day", "Hạn gửi báo cáo (ngày trong tháng cuối kỳ)", "int", 20, inherited=True,
                minimum=1, maximum=31, help="Mặc định ngày 20 của tháng cuối kỳ."),
    SettingSpec("report.superior_body", "Cơ quan chủ quản (cấp trên)", "str", ""),
    SettingSpec("report.issuing_body", "Cơ quan ban hành", "str", ""),
    SettingSpec("report.document_number", "Số, ký hiệu văn bản", "str", "",
                help="Ví dụ “25/BC-UBND”; để “/BC-UBND” nếu số được cấp khi phát hành."),
    SettingSpec("report.place", "Địa danh", "str", "", help="Ví dụ “Gia Lai”."),
    SettingSpec("report.issue_date", "Ngày ban hành báo cáo", "date", "",
                help="dd/mm/yyyy; để trống để ghi tay “ngày … tháng … năm …” khi ký."),
    SettingSpec("report.title_prefix", "Quyền hạn ký", "choice", "", choices=TITLE_PREFIXES,
                help="TM. (thay mặt tập thể), KT. (ký thay), Q. (quyền), TL. (thừa lệnh), TUQ. (thừa ủy quyền)."),
    SettingSpec("report.collective_body", "Tập thể lãnh đạo (sau “TM.”)", "str", "",
                help="Ví dụ “ỦY BAN NHÂN DÂN”; để trống nếu cơ quan làm việc theo chế độ thủ trưởng."),
    SettingSpec("report.head_title", "Chức danh người đứng đầu (sau KT./Q./TL./TUQ.)", "str", "",
                help="Ví dụ “CHỦ TỊCH”, “GIÁM ĐỐC”."),
    SettingSpec("report.position", "Chức vụ người ký", "str", "", help="Ví dụ “PHÓ CHỦ TỊCH”."),
    SettingSpec("report.signer_name", "Họ và tên người ký", "str", ""),
    SettingSpec("report.recipients", "Kính gửi", "list", [], help="Mỗi dòng một nơi nhận, ví dụ “Bộ Nội vụ”."),
    SettingSpec("inspection.planned_units", "Số cơ quan, đơn vị trong kế hoạch kiểm tra CCHC của năm", "int", None,
                minimum=0, maximum=100000, per_year=True,
                help="Dùng cho câu “đã kiểm tra 07/14 đơn vị (đạt 50%)”; khóa có kèm năm, ví dụ "
                     "inspection.planned_units.2021."),
    SettingSpec("report.distribution", "Nơi nhận", "list", [],
                help="Mỗi dòng một nơi nhận, ví dụ “Như trên;”, “Lưu: VT, NC.”."),
    SettingSpec("import.require_signature", "Chỉ nhận báo cáo có chữ ký số hợp lệ", "bool", False,
                help="Bật (1/có): báo cáo chưa ký số, hoặc ký bằng chứng thư không thuộc danh sách tin cậy, bị từ "
                     "chối khi nhập. Tắt (0/không): vẫn nhận nhưng ghi rõ “chưa ký số”."),
    SettingSpec("report.rounding", "Làm tròn tỉ lệ phần trăm", "choice", HALF_UP, choices=tuple(ROUNDING_RULES),
                help="half_up (mặc định): làm tròn đến 2 chữ số thập phân, 25/35 → 71,43%; "
                     "truncate: cắt bỏ sau 2 chữ số thập phân, 25/35 → 71,42%."),
]
# Words a person may type for a rounding rule (diacritics and case ignored).
_ROUNDING_WORDS = {
    "half_up": HALF_UP, "half up": HALF_UP, "lam tron": HALF_UP, "lam tron len": HALF_UP,
    "truncate": TRUNCATE, "cat bo": TRUNCATE, "cat": TRUNCATE, "lam tron xuong": TRUNCATE,
}
SPECS: dict[str, SettingSpec] = {s.key: s for s in _SPECS}


def spec_for(key: str) -> SettingSpec:
    """The spec of ``key``; a per-year key is written with its year ("inspection.planned_units.2021")."""
    if key in SPECS and not SPECS[key].per_year:
        return SPECS[key]
    base, _, year = key.rpartition(".")
    if base in SPECS and SPECS[base].per_year and year.isdigit() and len(year) == 4:
        return SPECS[base]
    if key in SPECS:
        raise SettingError(f"Mục cài đặt “{key}” cần kèm năm, ví dụ “{key}.2021”.")
    known = ", ".join(k + (".<năm>" if s.per_year else "") for k, s in SPECS.items())
    raise SettingError(f"Không có mục cài đặt “{key}”. Các mục: {known}.")


def yearly_key(key: str, year: int) -> str:
    return f"{key}.{year}"


# --------------------------------------------------------------------------- encoding


def _encode(spec: SettingSpec, value: object) -> str | None:
    """Check ``value`` for ``spec`` and return its stored text (``None`` = back to the default)."""
    if value is None:
        return None
    if spec.kind == "int":
        if isinstance(value, bool):
            raise SettingError(f"{spec.label}: phải là số nguyên.")
        text = nfc(str(value)).strip()
        if text == "":
            return None
        try:
            n = int(text)
        except ValueError:
            raise SettingError(f"{spec.label}: “{value}” không phải là số nguyên.") from None
        if (spec.minimum is not None and n < spec.minimum) or (spec.maximum is not None and n > spec.maximum):
            raise SettingError(f"{spec.label}: phải từ {spec.minimum} đến {spec.maximum}, không nhận {n}.")
        return str(n)
    if spec.kind == "bool":
        text = nfc(str(value)).strip().lower()
        if isinstance(value, bool) or text in _TRUE or text in _FALSE or text == "":
            on = value if isinstance(value, bool) else text in _TRUE
            return "1" if on else None  # None: back to the default (off)
        raise SettingError(f"{spec.label}: “{value}” không hợp lệ; dùng 1/có để bật, 0/không để tắt.")
    if spec.kind == "date":
        text = nfc(str(value)).strip()
        if text == "":
            return None
        day, problem = date_problem(text)
        if problem:
            raise SettingError(f"{spec.label}: “{value}” {problem}.")
        return day.strftime("%d/%m/%Y")
    if spec.kind == "list":
        if isinstance(value, str):
            items = nfc(value).splitlines()
        else:
            items = [nfc(str(v)) for v in value]  # type: ignore[union-attr]
        items = [" ".join(i.split()) for i in items]
        items = [i for i in items if i]
        return json.dumps(items, ensure_ascii=False) if items else None
    text = " ".join(nfc(str(value)).split())
    if spec.key == "report.rounding":
        from core.org.units import fold

        text = _ROUNDING_WORDS.get(fold(text).replace("-", " "), text) if text else HALF_UP
        if text == HALF_UP:
            return None  # the default: nothing stored, so saving other settings writes nothing here
    if spec.kind == "choice":
        if text not in spec.choices:
            allowed = ", ".join(c or "(trống)" for c in spec.choices)
            raise SettingError(f"{spec.label}: “{value}” không hợp lệ; chọn một trong: {allowed}.")
    if spec.key == "report.document_number" and text.lower().startswith("số:"):
        text = text[3:].strip()
    return text or None


def _decode(spec: SettingSpec, stored: str | None) -> object:
    if stored is None:
        return list(spec.default) if isinstance(spec.default, list) else spec.default
    if spec.kind == "bool":
        return stored.strip().lower() in _TRUE
    if spec.kind == "int":
        try:
            return int(stored)
        except ValueError:  # a hand-edited database: fall back rather than crash
            return spec.default
    if spec.kind == "list":
        try:
            data = json.loads(stored)
        except json.JSONDecodeError:
            return [line for line in stored.splitlines() if line.strip()]
        return [str(x) for x in data] if isinstance(data, list) else [str(data)]
    return stored


# --------------------------------------------------------------------------- get / set


def _row(session: Session, unit_id: int, key: str) -> UnitSetting | None:
    return session.scalar(select(UnitSetting).where(UnitSetting.unit_id == unit_id, UnitSetting.key == key))


def _own_value(session: Session, unit: Unit, key: str) -> str | None:
    row = _row(session, unit.id, key)
    return row.value if row is not None else None


def setting_origin(session: Session, unit: Unit, key: str) -> Unit | None:
    """The unit whose stored value applies (``unit`` itself or, for inherited keys, an ancestor); None = default."""
    spec = spec_for(key)
    current: Unit | None = unit
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if _own_value(session, current, key) is not None:
            return current
        if not spec.inherited:
            return None
        current = current.parent
    return None


def get_setting(session: Session, unit: Unit, key: str) -> object:
    """The typed value of ``key`` for ``unit`` (inherited keys fall back to ancestors, then to the default)."""
    spec = spec_for(key)
    origin = setting_origin(session, unit, key)
    return _decode(spec, _own_value(session, origin, key) if origin is not None else None)


def set_setting(session: Session, unit: Unit, key: str, value: object, user: str | None = None) -> bool:
    """Store ``value`` (``None`` or blank resets to the default/inherited value); returns whether it changed."""
    return bool(set_settings(session, unit, {key: value}, user=user))


def set_settings(session: Session, unit: Unit, values: dict[str, object], user: str | None = None) -> list[str]:
    """Store several settings at once; every value is checked first, so one bad value stores nothing.

    Returns the keys that changed. The cut-off and due day are checked as a pair: the report
    cannot be due on or before the day the data window closes.
    """
    encoded: dict[str, str | None] = {}
    problems: list[str] = []
    for key, value in values.items():  # every bad value is named, not only the first
        try:
            encoded[key] = _encode(spec_for(key), value)
        except SettingError as exc:
            problems.append(str(exc))
    if not problems and SIGNATURE_KEYS & set(encoded):
        problems += signature_problems(session, unit, encoded)
    if problems:
        raise SettingError(problems[0] if len(problems) == 1 else
                           "Chưa lưu vì:\n" + "\n".join(f"- {p}" for p in problems))
    if "period.cutoff_day" in encoded or "period.due_day" in encoded:
        def effective(key: str) -> int:
            if key in encoded:
                stored = encoded[key]
                return int(stored) if stored is not None else int(_inherited_default(session, unit, key))
            return int(get_setting(session, unit, key))

        cutoff, due = effective("period.cutoff_day"), effective("period.due_day")
        if due <= cutoff:
            raise SettingError(
                f"Hạn gửi báo cáo (ngày {due}) phải sau ngày chốt số liệu (ngày {cutoff}) trong tháng cuối kỳ."
            )
    changed = []
    for key, new in encoded.items():
        row = _row(session, unit.id, key)
        old = row.value if row is not None else None
        if old == new:
            continue
        if new is None:
            session.delete(row)
        elif row is None:
            session.add(UnitSetting(unit_id=unit.id, key=key, value=new))
        else:
            row.value = new
        audit.record(session, "update", "setting", unit.id, field=key, old=old, new=new, user=user)
        changed.append(key)
    session.flush()
    return changed


def _inherited_default(session: Session, unit: Unit, key: str) -> object:
    """What ``key`` would be for ``unit`` without its own value."""
    if SPECS[key].inherited and unit.parent is not None:
        return get_setting(session, unit.parent, key)
    return SPECS[key].default


def all_settings(session: Session, unit: Unit) -> dict[str, object]:
    """Every setting of ``unit`` with its effective value (for a settings page or ``--json``);
    per-year settings appear once for each year the unit has set."""
    out = {key: get_setting(session, unit, key) for key, spec in SPECS.items() if not spec.per_year}
    for row in session.scalars(select(UnitSetting).where(UnitSetting.unit_id == unit.id).order_by(UnitSetting.key)):
        base = row.key.rpartition(".")[0]
        if base in SPECS and SPECS[base].per_year:
            out[row.key] = _decode(SPECS[base], row.value)
    return out


def period_rules_for(session: Session, unit: Unit) -> PeriodRules:
    """The unit's cut-off and due day (its own, else its nearest ancestor's, else Decree 09's 14 and 20)."""
    return PeriodRules(
        cutoff_day=int(get_setting(session, unit, "period.cutoff_day")),
        due_day=int(get_setting(session, unit, "period.due_day")),
    )


def rounding_rule(session: Session, unit: Unit | None) -> str:
    """How the unit rounds the rates it prints: ``"half_up"`` (default) or ``"truncate"``.

    Report code passes this string to the rate formatters of ``core.vnformat`` (``rule=``); a
    submitted return keeps the rule it was submitted with."""
    if unit is None:
        return HALF_UP
    rule = get_setting(session, unit, "report.rounding")
    return rule if rule in ROUNDING_RULES else HALF_UP


# --------------------------------------------------------------------------- report header

SIGNATURE_KEYS = {"report.title_prefix", "report.collective_body", "report.head_title", "report.position"}
_PREFIX_WORDS = {"TM.": "Thay mặt (TM.)", "KT.": "Ký thay (KT.)", "Q.": "Quyền (Q.)", "TL.": "Thừa lệnh (TL.)",
                 "TUQ.": "Thừa ủy quyền (TUQ.)"}


def signature_rule_problems(prefix: str, collective: str, head: str, position: str) -> list[str]:
    """What Decree 30/2020/NĐ-CP (Phụ lục I, mục II.8) requires of a signature block and is missing:
    TM. names the collective ("TM. ỦY BAN NHÂN DÂN"); KT., Q., TL. and TUQ. name the head the signer acts
    for ("KT. CHỦ TỊCH"); KT., TL. and TUQ. also need the signer's own position ("PHÓ CHỦ TỊCH")."""
    out = []
    if prefix == "TM." and not collective.strip():
        out.append("Thay mặt (TM.) cần tên tập thể lãnh đạo, ví dụ “TM. ỦY BAN NHÂN DÂN”.")
    if prefix in ("KT.", "Q.", "TL.", "TUQ.") and not head.strip():
        out.append(f"{_PREFIX_WORDS[prefix]} cần chức danh người đứng đầu, ví dụ “{prefix} CHỦ TỊCH”, "
                   f"“{prefix} GIÁM ĐỐC”.")
    if prefix in ("KT.", "TL.", "TUQ.") and not position.strip():
        example = "PHÓ CHỦ TỊCH" if prefix == "KT." else "CHÁNH VĂN PHÒNG"
        out.append(f"{_PREFIX_WORDS[prefix]} cần chức vụ của người ký, ví dụ “{example}”.")
    return out


def signature_problems(session: Session, unit: Unit, encoded: dict[str, str | None]) -> list[str]:
    """The Decree-30 problems of the signature block the unit would have with ``encoded`` stored."""
    def value(key: str) -> str:
        if key in encoded:
            return encoded[key] or ""
        return str(get_setting(session, unit, key) or "")

    return signature_rule_problems(value("report.title_prefix"), value("report.collective_body"),
                                   value("report.head_title"), value("report.position"))


@dataclass(frozen=True)
class ReportHeader:
    """The header and signature details of the unit's printed report."""

    superior_body: str
    issuing_body: str
    document_number: str
    place: str
    issue_date: str
    title_prefix: str
    collective_body: str
    head_title: str
    position: str
    signer_name: str
    recipients: list[str]
    distribution: list[str]

    def signature_lines(self) -> tuple[str, str, str, str]:
        """(authority line, acting line, position, signer) as Decree 30 prints them.

        The seed report: ``("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Tiến Đông")``.
        """
        up: Callable[[str], str] = str.upper
        authority = f"TM. {up(self.collective_body)}" if self.collective_body else ""
        acting = ""
        if self.title_prefix == "TM.":
            authority = f"TM. {up(self.collective_body or self.issuing_body)}".strip()
        elif self.title_prefix:
            acting = f"{self.title_prefix} {up(self.head_title)}".strip()
        return authority, acting, up(self.position), self.signer_name

    @property
    def missing(self) -> list[str]:
        """Labels of the details a printable report still lacks."""
        need = {
            "report.issuing_body": self.issuing_body,
            "report.document_number": self.document_number,
            "report.place": self.place,
            "report.signer_name": self.signer_name,
            "report.position": self.position,
            "report.recipients": self.recipients,
        }
        return [SPECS[k].label for k, v in need.items() if not v]


def report_header_for(session: Session, unit: Unit) -> ReportHeader:
    v = all_settings(session, unit)
    return ReportHeader(
        superior_body=str(v["report.superior_body"]),
        issuing_body=str(v["report.issuing_body"]),
        document_number=str(v["report.document_number"]),
        place=str(v["report.place"]),
        issue_date=str(v["report.issue_date"] or ""),
        title_prefix=str(v["report.title_prefix"]),
        collective_body=str(v["report.collective_body"]),
        head_title=str(v["report.head_title"]),
        position=str(v["report.position"]),
        signer_name=str(v["report.signer_name"]),
        recipients=list(v["report.recipients"]),  # type: ignore[call-overload]
        distribution=list(v["report.distribution"]),  # type: ignore[call-overload]
    )
