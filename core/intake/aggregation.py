"""How one indicator's value is consolidated from the units' values, by the rule its form gives
(``aggregation``: sum, ratio recomputed from numerator and denominator, mean or weighted mean,
distribution of coded answers with a summary code, texts gathered per unit): blanks are left out,
"Không phát sinh" covers a unit without adding to it, and every value says how many units it covers.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from core.values import KPS_TEXT, format_value, is_kps
from core.vnformat import HALF_UP, round_rate
from db.models import Indicator

__all__ = [
    "ConsolidatedValue",
    "method_label",
]


SUMMARY_LABELS = {"min": "mức thấp nhất", "max": "mức cao nhất", "mode": "câu trả lời nhiều nhất"}


def method_label(aggregation: dict | None, value_type: str | None = None) -> str:
    """How a value is consolidated, in words, for the grid and the report: "Cộng", "Trung bình cộng",
    "Trung bình có trọng số theo 7.6.2", "Tính lại từ tử số, mẫu số (1.1.2/1.1.1)", "Phân bố; lấy mức thấp nhất"."""
    agg = aggregation or {}
    m = agg.get("method")
    if m == "sum":
        return "Cộng"
    if m == "ratio":
        return f"Tính lại từ tử số, mẫu số ({agg.get('numerator')}/{agg.get('denominator')})"
    if m == "mean":
        if agg.get("weight"):
            return f"Trung bình có trọng số theo {agg['weight']}"
        return "Trung bình cộng"
    if m == "distribution":
        return f"Phân bố; lấy {SUMMARY_LABELS.get(agg.get('summary', 'mode'), 'mức thấp nhất')}"
    if m == "concat" or (m is None and value_type == "text"):
        return "Gộp nội dung theo đơn vị"
    return "Không tổng hợp (đơn vị tự nhập)"


# --------------------------------------------------------------------------- computing


@dataclass(frozen=True)
class UnitValueSource:
    unit_id: int
    unit_name: str
    return_id: int
    file_id: int | None


@dataclass(frozen=True)
class ConsolidatedValue:
    code: str
    name: str
    value_type: str | None
    method: str | None
    method_label: str
    number: float | None
    text: str | None
    note: str | None
    covered: int  # units whose value went in
    received: int  # units whose return went in
    expected: int  # units that should report
    detail: str

    @property
    def blank(self) -> bool:
        return self.number is None and self.text is None

    @property
    def coverage_text(self) -> str:
        return f"{self.covered}/{self.expected}"


def _round(x: float, rule: str = HALF_UP) -> float:
    """A computed ratio or mean, two decimals, by the consolidating unit's rule (``core.vnformat``)."""
    return float(round_rate(x, rule))


def _choice_label(ind: Indicator, code: int) -> str:
    for c in ind.choices or []:
        if int(c["code"]) == code:
            return str(c["label"])
    return str(code)


def compute_value(ind: Indicator, sources: list[UnitValueSource], vals: dict[int, dict[int, tuple]], inds_by_code: dict,
             expected: int, left_out: str = "", rule: str = HALF_UP) -> tuple[ConsolidatedValue, dict[int, bool]]:
    """One indicator over the units' returns → (value, {unit_id: included})."""
    agg = ind.aggregation or {}
    method = agg.get("method") or ("concat" if ind.value_type == "text" else None)
    label = method_label(agg, ind.value_type)
    mine = {s.unit_id: vals.get(s.return_id, {}).get(ind.id, (None, None, None)) for s in sources}
    has = {uid: (v[0] is not None or (v[1] is not None and v[1] != "")) for uid, v in mine.items()}
    numbers = [(uid, v[0]) for uid, v in mine.items() if v[0] is not None]
    number: float | None = None
    text: str | None = None
    extra = ""
    included = dict(has)
    name_of = {s.unit_id: s.unit_name for s in sources}

    if method == "sum":
        if numbers:
            number = math.fsum(n for _, n in numbers)
    elif method == "ratio":
        num_ind, den_ind = inds_by_code.get(agg.get("numerator")), inds_by_code.get(agg.get("denominator"))
        scale = float(agg.get("scale", 100))
        included = {}
        top = bottom = 0.0
        for s in sources:
            row = vals.get(s.return_id, {})
            n = row.get(num_ind.id, (None,))[0] if num_ind else None
            d = row.get(den_ind.id, (None,))[0] if den_ind else None
            ok = n is not None and d is not None
            included[s.unit_id] = ok
            if ok:
                top += n
                bottom += d
        if any(included.values()):
            if bottom > 0:
                number = _round(top / bottom * scale, rule)
                extra = f"{format_plain(top)} / {format_plain(bottom)}"
            else:
                extra = "mẫu số bằng 0, không tính được"
    elif method == "mean":
        weight_ind = inds_by_code.get(agg.get("weight")) if agg.get("weight") else None
        if numbers:
            if weight_ind is not None:
                pairs = []
                for s in sources:
                    v = mine[s.unit_id][0]
                    w = vals.get(s.return_id, {}).get(weight_ind.id, (None,))[0]
                    if v is not None and w is not None:
                        pairs.append((v, w))
                total_w = math.fsum(w for _, w in pairs)
                if pairs and total_w > 0:
                    number = _round(math.fsum(v * w for v, w in pairs) / total_w, rule)
                    included = {uid: False for uid in mine}
                    for s in sources:
                        v = mine[s.unit_id][0]
                        w = vals.get(s.return_id, {}).get(weight_ind.id, (None,))[0]
                        included[s.unit_id] = v is not None and w is not None
                else:
                    number = _round(math.fsum(n for _, n in numbers) / len(numbers), rule)
                    extra = f"không có trọng số {weight_ind.code}, lấy trung bình cộng"
            else:
                number = _round(math.fsum(n for _, n in numbers) / len(numbers), rule)
    elif method == "distribution":
        codes = Counter(int(n) for _, n in numbers)
        if codes:
            summary = agg.get("summary", "mode")
            if summary == "min":
                pick = min(codes)
            elif summary == "max":
                pick = max(codes)
            else:
                top_count = max(codes.values())
                pick = min(c for c, k in codes.items() if k == top_count)
            number = float(pick)
            text_parts = [f"{_choice_label(ind, c)}: {codes[c]}" for c in sorted(codes, reverse=True)]
            extra = ", ".join(text_parts)
    elif method == "concat":
        parts = [f"{name_of[uid]}: {v[1] if v[1] is not None else format_plain(v[0])}" for uid, v in mine.items()
                 if has[uid] and uid not in kps_units_of(mine)]
        if parts:
            if ind.value_type == "text":
                text = "; ".join(parts)
            else:
                extra = "; ".join(parts)
    else:
        included = dict.fromkeys(mine, False)

    kps_units = kps_units_of(mine)
    if kps_units and number is None and text is None and not numbers:
        # Every unit that answered said "Không phát sinh": so does the consolidation.
        text = KPS_TEXT
        included = {uid: uid in kps_units for uid in mine}
    covered = sum(1 for v in included.values() if v)
    received = len(sources)
    blanks = sum(1 for uid in mine if not included.get(uid))
    detail_parts = [f"{label}: {covered}/{expected} đơn vị"]
    if blanks:
        detail_parts.append(f"{blanks} đơn vị để trống" if method not in ("ratio",) else
                            f"{blanks} đơn vị thiếu tử số hoặc mẫu số")
    if kps_units:
        detail_parts.append(f"{len(kps_units)} đơn vị không phát sinh")
    if left_out:
        detail_parts.append(left_out)
    elif expected > received:
        detail_parts.append(f"{expected - received} đơn vị chưa có báo cáo")
    if extra:
        detail_parts.append(extra)
    notes = [f"{name_of[uid]}: {v[2]}" for uid, v in mine.items() if v[2]]
    note_parts = []
    if method == "distribution" and extra:
        note_parts.append(extra)
    if method == "concat" and ind.value_type != "text" and extra:
        note_parts.append(extra)
    if notes:
        note_parts.append("; ".join(notes))
    note = ". ".join(note_parts) or None
    value = ConsolidatedValue(ind.code, ind.name, ind.value_type, method, label, number, text, note, covered,
                              received, expected, "; ".join(detail_parts))
    return value, included


def kps_units_of(mine: dict[int, tuple]) -> set[int]:
    return {uid for uid, v in mine.items() if is_kps(v[0], v[1])}


def format_plain(x: float | None) -> str:
    return format_value("decimal", x, None)
