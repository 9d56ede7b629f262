"""The drafted text of the narrative report (phần thuyết minh), in the sections the seed report uses.

Sections:

- I. Công tác chỉ đạo, điều hành (1. kế hoạch; 2. chỉ đạo, điều hành; 3. kiểm tra; 4. tuyên
  truyền; 5. khảo sát sự hài lòng, đối thoại);
- II. Kết quả thực hiện công tác CCHC, one subsection per reform area of the catalogue;
- III. Đánh giá chung (1. ưu điểm; 2. hạn chế; 3. nguyên nhân);
- IV. Phương hướng, nhiệm vụ CCHC of the next period;
- V. Đề xuất, kiến nghị.

The product drafts only the sentences that restate the form's numbers, in the seed's phrasing
("Đến hết ngày 14/6/2021, đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,95%)").

Counts under ten are written with a leading zero ("07/14", "08 văn bản"), as the seed report
does, and every number goes through ``core.vnformat`` like the appendix ("01/1.234",
"1.000/1.234", "3.133"); achievement rates follow the unit's rounding rule
(``NarrativeContext.rounding``: half up, "11/38 … (đạt 28,95%)", unless the unit chose truncation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.forms import area_form_codes
from core.periods import PeriodSpec
from core.returns.validation import CellValue
from core.vnformat import HALF_UP, format_date, format_number, format_ratio_sentence
from db.models import Area

# --------------------------------------------------------------------------- numbers in words


def count(n: float | None) -> str:
    """``7`` → ``"07"``, ``17`` → ``"17"``, ``3133`` → ``"3.133"`` (the seed pads counts under ten)."""
    if n is None:
        return ""
    if n == int(n) and 0 < n < 10:
        return f"{int(n):02d}"
    return format_number(n)


def percent(p: float | None) -> str:
    return f"{format_number(p)}%" if p is not None else ""


def ratio(done: float, total: float, rule: str = HALF_UP) -> str:
    """``"07/14 (đạt 50%)"``, the rate rounded by the unit's ``rule``."""
    return format_ratio_sentence(int(done), int(total), pad=True, rule=rule)


def ratio_of(done: float, total: float, noun: str, rule: str = HALF_UP) -> str:
    """``"07/14 đơn vị (đạt 50%)"``."""
    frac, _, rest = ratio(done, total, rule).partition(" (")
    return f"{frac} {noun} ({rest}"


def short_date(d: date) -> str:
    """``"14/6/2021"``, as the report writes the data window."""
    return f"{d.day:02d}/{d.month}/{d.year}"


def _join(items: list[str], last: str = " và ") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class NarrativeContext:
    spec: PeriodSpec
    window_start: date
    window_end: date
    plan_document: str | None = None  # "751/QĐ-UBND"
    plan_issue_date: date | None = None
    plan_year: int | None = None
    inspection_planned: int | None = None  # units in the year's inspection plan (targets on 1.2.1/1.2.2)
    # The plan's confirmed targets for the year (``core.plans.targets``): each is stated against the figures.
    targets: tuple = ()
    # The year's sub-plans as of the period: (title, done, total) — Kế hoạch tuyên truyền, Kế hoạch kiểm tra.
    sub_plans: tuple[tuple[str, int, int], ...] = ()
    rounding: str = HALF_UP  # the unit's rule for rates (``core.org.settings.rounding_rule``)

    @property
    def window_text(self) -> str:
        return f"Từ ngày {short_date(self.window_start)} đến ngày {short_date(self.window_end)}"

    @property
    def until(self) -> str:
        return f"Đến hết ngày {short_date(self.window_end)}"


class _V:
    """Read access to a return's values by code."""

    def __init__(self, values: Mapping[str, CellValue]) -> None:
        self._values = values

    def num(self, code: str) -> float | None:
        v = self._values.get(code)
        return v.number if v is not None else None

    def has(self, *codes: str) -> bool:
        return all(self.num(c) is not None for c in codes)

    def any(self, *codes: str) -> bool:
        return any(self.num(c) is not None for c in codes)


def _clause(v: _V, code: str, template: str, zero: str | None = None, fmt: Callable = count) -> str:
    """``template`` with ``{n}`` filled from ``code``; ``zero`` when the value is 0; "" when blank."""
    n = v.num(code)
    if n is None:
        return ""
    if n == 0 and zero is not None:
        return zero
    return template.format(n=fmt(n))


# --------------------------------------------------------------------------- drafted sentences


def _plan_sentences(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    total, done = v.num("1.1.1"), v.num("1.1.2")
    year = ctx.plan_year or ctx.spec.year
    if total is not None:
        doc = ctx.plan_document
        when = f" ngày {format_date(ctx.plan_issue_date)}" if ctx.plan_issue_date else ""
        if doc and "/QĐ-" in doc.upper():
            lead = f"Kế hoạch CCHC năm {year} được ban hành kèm theo Quyết định số {doc}{when}"
        elif doc and "/KH-" in doc.upper():
            lead = f"Kế hoạch số {doc}{when} về CCHC năm {year}"
        elif doc:
            lead = f"Kế hoạch CCHC năm {year} (văn bản số {doc}{when})"
        else:
            lead = f"Kế hoạch CCHC năm {year}"
        out.append(f"{lead}, xác định {count(total)} nhiệm vụ cụ thể.")
    if total and done is not None:
        if done == 0:
            out.append(f"{ctx.until}, chưa có nhiệm vụ nào trong Kế hoạch CCHC hoàn thành.")
        else:
            frac, _, rest = ratio(done, total, ctx.rounding).partition(" (")
            out.append(f"{ctx.until}, đã hoàn thành {frac} nhiệm vụ trong Kế hoạch CCHC ({rest}.")
    out += _target_sentences(v, ctx)
    return out


def _target_sentences(v: _V, ctx: NarrativeContext) -> list[str]:
    """"Kết quả thực hiện các chỉ tiêu của Kế hoạch: tỷ lệ …: đạt 96,5%, vượt chỉ tiêu 95%; …" — from
    the same figures as the appendix and the same comparison as ``targets status``."""
    from core.returns.target_status import results_for_values, target_sentence

    if not ctx.targets:
        return []
    values = {c: (cv.number, cv.text) for c, cv in v._values.items()}
    percent = {t.code for t in ctx.targets if getattr(t, "percent", False)}
    results = [r for r in results_for_values(list(ctx.targets), values, ctx.rounding, percent) if r.actual is not None]
    if not results:
        return []
    parts = [target_sentence(r) for r in results]
    parts = [p[:1].lower() + p[1:] if not p[:2].isupper() else p for p in parts]
    return [f"Kết quả thực hiện các chỉ tiêu của Kế hoạch: {'; '.join(parts)}."]


def _direction_sentences(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    docs = _clause(v, "1.1.3", "trong kỳ, đã ban hành {n} văn bản chỉ đạo, điều hành công tác CCHC",
                   zero="trong kỳ, chưa ban hành văn bản chỉ đạo, điều hành công tác CCHC")
    if docs:
        out.append(_sentence(docs))
    given = v.num("1.3.1")
    if given is not None:
        if given == 0:
            out.append("Trong kỳ, không có nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao.")
        else:
            parts = []
            on_time, late = v.num("1.3.2"), v.num("1.3.3")
            if on_time is not None:
                parts.append(f"đã hoàn thành đúng hạn {ratio_of(on_time, given, 'nhiệm vụ', ctx.rounding)}" if on_time
                             else "chưa có nhiệm vụ hoàn thành đúng hạn")
            if late is not None:
                parts.append(f"hoàn thành nhưng quá hạn {count(late)} nhiệm vụ" if late
                             else "không có nhiệm vụ hoàn thành quá hạn")
            tail = f"; {'; '.join(parts)}" if parts else ""
            out.append(f"Tổng số nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao là {count(given)} nhiệm vụ{tail}.")
    return out


def _sub_plan_sentences(ctx: NarrativeContext, words: str) -> list[str]:
    """"Kế hoạch tuyên truyền CCHC năm 2021: đã hoàn thành 05/10 nhiệm vụ (đạt 50%)." for the sub-plans whose
    title has ``words`` (folded)."""
    from core.org.units import fold

    out = []
    for title, done, total in ctx.sub_plans:
        if words in fold(title) and total:
            out.append(f"Triển khai {title[:1].lower() + title[1:]}: đã hoàn thành "
                       f"{ratio_of(done, total, 'nhiệm vụ', ctx.rounding)}.")
    return out


def _propaganda_sentences(v: _V, ctx: NarrativeContext) -> list[str]:
    return _sub_plan_sentences(ctx, "tuyen truyen")


def _inspection_sentences(v: _V, ctx: NarrativeContext) -> list[str]:
    out = _sub_plan_sentences(ctx, "kiem tra")
    depts, districts = v.num("1.2.1"), v.num("1.2.2")
    if depts is not None or districts is not None:
        checked = (depts or 0) + (districts or 0)
        detail = _join([
            f"{count(depts)} sở, ngành" if depts else "",
            f"{count(districts)} UBND cấp huyện" if districts else "",
        ])
        if checked == 0:
            out.append("Trong kỳ, chưa tiến hành kiểm tra công tác CCHC.")
        elif ctx.inspection_planned:
            out.append(f"Trong kỳ, đã kiểm tra {ratio_of(checked, ctx.inspection_planned, 'đơn vị', ctx.rounding)}"
                       f"{f', gồm {detail}' if detail else ''}.")
        else:
            out.append(f"Trong kỳ, đã kiểm tra {count(checked)} cơ quan, đơn vị{f' ({detail})' if detail else ''}.")
    found, fixed = v.num("1.2.3"), v.num("1.2.4")
    if found is not None:
        if found == 0:
            out.append("Qua kiểm tra, không phát hiện vấn đề cần xử lý.")
        else:
            tail = ""
            if fixed is not None:
                tail = (f", đã xử lý xong {ratio_of(fixed, found, 'vấn đề', ctx.rounding)}" if fixed
                        else ", chưa xử lý xong vấn đề nào")
            out.append(f"Qua kiểm tra, phát hiện {count(found)} vấn đề{tail}.")
    return out


_SURVEY_FORMS = {0: "trực tuyến", 1: "phát phiếu", 2: "kết hợp trực tuyến và phát phiếu"}


def _survey_sentences(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    n, how = v.num("1.4.1"), v.num("1.4.2")
    if n:
        form = f" theo hình thức {_SURVEY_FORMS[int(how)]}" if how is not None and int(how) in _SURVEY_FORMS else ""
        out.append(f"Đã khảo sát sự hài lòng của người dân, tổ chức với {count(n)} phiếu khảo sát{form}.")
    elif n == 0:
        out.append("Trong kỳ, chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức.")
    dialogue = v.num("1.5")
    if dialogue is not None:
        out.append("Đã tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp." if dialogue
                   else "Trong kỳ, chưa tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp.")
    return out


def _institutions(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    issued = _clause(v, "2.1", "trong kỳ, đã ban hành (tham mưu ban hành) {n} văn bản QPPL",
                     zero="trong kỳ, không ban hành (tham mưu ban hành) văn bản QPPL")
    checked = _clause(v, "2.2", "kiểm tra theo thẩm quyền {n} văn bản QPPL",
                      zero="không phát sinh văn bản QPPL phải kiểm tra theo thẩm quyền")
    if issued or checked:
        out.append(_sentence("; ".join(x for x in (issued, checked) if x)))
    reviewed = _clause(v, "2.3", "đã rà soát {n} văn bản QPPL")
    proposed, handled = v.num("2.4"), v.num("2.5")
    tail = []
    if proposed:
        tail.append(f"kiến nghị xử lý {count(proposed)} văn bản sau kiểm tra, rà soát")
        if handled is not None:
            tail.append(f"đến nay đã xử lý xong {ratio_of(handled, proposed, 'văn bản', ctx.rounding)}"
                        if handled else "đến nay chưa xử lý xong văn bản nào")
    elif proposed == 0:
        tail.append("không có văn bản phải kiến nghị xử lý")
    if reviewed or tail:
        out.append(_sentence("; ".join(x for x in (reviewed, *tail) if x)))
    return out


def _procedures(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    new = _clause(v, "3.1.1", "công bố mới {n} TTHC", zero="không công bố mới TTHC")
    removed = _clause(v, "3.1.2", "bãi bỏ, thay thế {n} TTHC", zero="không bãi bỏ, thay thế TTHC")
    if new or removed:
        out.append(f"{ctx.window_text}, đã {_join([new, removed])}.".replace("đã không", "không"))
    if v.has("3.1.3"):
        levels = _join([_clause(v, "3.1.3.a", "cấp tỉnh {n}"), _clause(v, "3.1.3.b", "cấp huyện {n}"),
                        _clause(v, "3.1.3.c", "cấp xã {n}")], last=", ")
        out.append(f"Tổng số TTHC đang có hiệu lực là {count(v.num('3.1.3'))} thủ tục"
                   f"{f' ({levels})' if levels else ''}.")
    portal = [_clause(v, "3.2.1", "đã cập nhật, công khai {n} TTHC trên Cổng Dịch vụ công quốc gia"),
              _clause(v, "3.2.2", "{n} TTHC mức độ 3 và 4 đã được tích hợp lên Cổng Dịch vụ công quốc gia")]
    if any(portal):
        out.append(_sentence("; ".join(x for x in portal if x)))
    linked = _join([_clause(v, "3.3.1", "{n} TTHC liên thông cùng cấp"),
                    _clause(v, "3.3.2", "{n} TTHC liên thông giữa các cấp chính quyền")])
    if linked:
        out.append(f"Có {linked}.")
    rates = [_clause(v, "3.3.3", "tỷ lệ TTHC đã được phê duyệt quy trình nội bộ đạt {n}", fmt=percent),
             _clause(v, "3.3.4", "tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa đạt {n}", fmt=percent)]
    if any(rates):
        out.append(_sentence("; ".join(x for x in rates if x)))
    on_time = [_clause(v, "3.4.1", "do các sở, ngành tiếp nhận đạt {n}", fmt=percent),
               _clause(v, "3.4.2", "do UBND cấp huyện tiếp nhận đạt {n}", fmt=percent),
               _clause(v, "3.4.3", "do UBND cấp xã tiếp nhận đạt {n}", fmt=percent)]
    if any(on_time):
        out.append(f"Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn: {'; '.join(x for x in on_time if x)}.")
    for code, field_name in (("3.4.4", "đất đai"), ("3.4.5", "xây dựng")):
        levels = [_clause(v, f"{code}.a", "cấp tỉnh đạt {n}", fmt=percent),
                  _clause(v, f"{code}.b", "cấp huyện đạt {n}", fmt=percent),
                  _clause(v, f"{code}.c", "cấp xã đạt {n}", fmt=percent)]
        if any(levels):
            out.append(f"Tỷ lệ hồ sơ TTHC về lĩnh vực {field_name} được giải quyết đúng hạn: "
                       f"{', '.join(x for x in levels if x)}.")
    if v.has("3.5.1"):
        inner = _join([_clause(v, "3.5.2", "{n} TTHC được cung cấp ở mức độ 3, 4"),
                       _clause(v, "3.5.3", "{n} TTHC đã tích hợp dịch vụ thanh toán trực tuyến")])
        out.append(f"Có {count(v.num('3.5.1'))} TTHC được tích hợp lên Cổng Dịch vụ công"
                   f"{f', trong đó {inner}' if inner else ''}.")
    return out


def _organisation(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    bodies = _join([_clause(v, "4.1.1", "{n} cơ quan chuyên môn cấp tỉnh"),
                    _clause(v, "4.1.2", "{n} ban quản lý trực thuộc UBND cấp tỉnh"),
                    _clause(v, "4.1.3", "{n} tổ chức liên ngành do cấp tỉnh thành lập")])
    if bodies:
        out.append(f"Cơ cấu tổ chức bộ máy gồm {bodies}.")
    if v.has("4.1.4"):
        parts = "; ".join(x for x in (_clause(v, "4.1.4.a", "thuộc UBND tỉnh {n}"),
                                      _clause(v, "4.1.4.b", "thuộc sở, ngành và tương đương {n}"),
                                      _clause(v, "4.1.4.c", "thuộc UBND cấp huyện {n}")) if x)
        cut = _clause(v, "4.1.4.d", "; tỷ lệ đơn vị sự nghiệp công lập đã cắt giảm so với năm 2015 là {n}",
                      fmt=percent)
        out.append(f"Tổng số đơn vị sự nghiệp công lập là {count(v.num('4.1.4'))} đơn vị"
                   f"{f' ({parts})' if parts else ''}{cut}.")
    staff = [", ".join(x for x in (_clause(v, "4.2.1", "tổng số biên chế công chức được giao trong năm là {n} người"),
                                   _clause(v, "4.2.2", "có mặt tại thời điểm báo cáo {n} người")) if x),
             _clause(v, "4.2.3", "có {n} hợp đồng lao động làm việc tại cơ quan hành chính nhà nước")]
    if any(staff):
        out.append(_sentence("; ".join(x for x in staff if x)))
    cuts = [_clause(v, "4.2.4", "trong kỳ đã tinh giản {n} biên chế", zero="trong kỳ không tinh giản biên chế"),
            _clause(v, "4.2.5", "tỷ lệ biên chế đã tinh giản so với năm 2015 là {n}", fmt=percent)]
    if any(cuts):
        out.append(_sentence("; ".join(x for x in cuts if x)))
    public = [", ".join(x for x in (
                  _clause(v, "4.3.1", "tổng số người làm việc hưởng lương từ ngân sách nhà nước tại các đơn vị "
                                      "sự nghiệp công lập được giao là {n} người"),
                  _clause(v, "4.3.2", "có mặt {n} người")) if x),
              _clause(v, "4.3.3", "trong kỳ đã tinh giản {n} người", zero="trong kỳ không tinh giản"),
              _clause(v, "4.3.4", "tỷ lệ đã tinh giản so với năm 2015 là {n}", fmt=percent)]
    if any(public):
        out.append(_sentence("; ".join(x for x in public if x)))
    return out


def _civil_service(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    posts = _join([_clause(v, "5.1.1", "{n} cơ quan, tổ chức hành chính"),
                   _clause(v, "5.1.2", "{n} đơn vị sự nghiệp")])
    if posts:
        out.append(f"Có {posts} đã được phê duyệt vị trí việc làm theo quy định.")
    breach = _clause(v, "5.1.3", "qua thanh tra, phát hiện {n} cơ quan, tổ chức có vi phạm trong thực hiện vị trí "
                                 "việc làm",
                     zero="qua thanh tra, không phát hiện cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc làm")
    if breach:
        out.append(_sentence(breach))
    civil = _join([_clause(v, "5.2.1", "{n} công chức (thi tuyển, xét tuyển)"),
                   _clause(v, "5.2.2", "{n} công chức theo trường hợp đặc biệt")])
    public = _join([_clause(v, "5.2.4", "{n} viên chức (thi tuyển, xét tuyển)"),
                    _clause(v, "5.2.5", "{n} viên chức theo trường hợp đặc biệt")])
    hires = [f"tuyển dụng {civil}" if civil else "",
             _clause(v, "5.2.3", "xét chuyển {n} cán bộ, công chức cấp xã thành công chức cấp huyện trở lên"),
             f"tuyển dụng {public}" if public else ""]
    if any(hires):
        out.append(f"Trong kỳ, đã {'; '.join(x for x in hires if x)}.")
    contest = v.num("5.3.1")
    if contest is not None:
        out.append("Đã thực hiện tuyển chọn, bổ nhiệm lãnh đạo qua thi tuyển." if contest
                   else "Chưa thực hiện tuyển chọn, bổ nhiệm lãnh đạo qua thi tuyển.")
    appointed = [_clause(v, "5.3.2", "{n} lãnh đạo cấp sở, ngành"),
                 _clause(v, "5.3.3", "{n} lãnh đạo cấp phòng thuộc sở, ngành"),
                 _clause(v, "5.3.4", "{n} lãnh đạo cấp phòng thuộc UBND cấp huyện")]
    if any(appointed):
        out.append(f"Đã bổ nhiệm mới {'; '.join(x for x in appointed if x)}.")
    discipline = [
        _clause(v, "5.4.1", "{n} lãnh đạo cấp tỉnh bị kỷ luật", zero="không có lãnh đạo cấp tỉnh bị kỷ luật"),
        _clause(v, "5.4.2", "{n} lãnh đạo cấp sở, ngành và UBND cấp huyện bị kỷ luật",
                zero="không có lãnh đạo cấp sở, ngành và UBND cấp huyện bị kỷ luật"),
        _clause(v, "5.4.3", "{n} lãnh đạo cấp phòng thuộc sở, ngành và UBND cấp huyện bị kỷ luật",
                zero="không có lãnh đạo cấp phòng thuộc sở, ngành và UBND cấp huyện bị kỷ luật"),
        _clause(v, "5.4.4", "{n} người làm việc hưởng lương từ ngân sách nhà nước tại các đơn vị sự nghiệp công lập "
                            "bị kỷ luật",
                zero="không có người làm việc tại các đơn vị sự nghiệp công lập bị kỷ luật"),
    ]
    if any(discipline):
        out.append(f"Về xử lý kỷ luật: {'; '.join(x for x in discipline if x)}.")
    return out


def _public_finance(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    autonomy = [_clause(v, "6.1", "{n} đơn vị sự nghiệp công lập tự chủ 100% chi thường xuyên và chi đầu tư"),
                _clause(v, "6.2", "{n} đơn vị tự chủ 100% chi thường xuyên"),
                _clause(v, "6.3", "{n} đơn vị tự chủ một phần chi thường xuyên"),
                _clause(v, "6.4", "{n} đơn vị do nhà nước bảo đảm 100% chi thường xuyên")]
    if any(autonomy):
        out.append(f"Lũy kế đến thời điểm báo cáo, có {'; '.join(x for x in autonomy if x)}.")
    shares = _clause(v, "6.5", "đã có {n} đơn vị sự nghiệp công lập chuyển đổi thành công ty cổ phần",
                     zero="chưa có đơn vị sự nghiệp công lập chuyển đổi thành công ty cổ phần")
    if shares:
        out.append(_sentence(shares))
    return out


_CHOICE_SENTENCES = {
    "7.1": {0: "Chưa hoàn thành cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0.",
            1: "Đã hoàn thành cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0."},
    "7.2": {0: "Chưa xây dựng Hệ thống họp trực tuyến.",
            1: "Hệ thống họp trực tuyến đã liên thông 2 cấp (từ UBND tỉnh đến UBND cấp huyện).",
            2: "Hệ thống họp trực tuyến đã liên thông 3 cấp (từ UBND tỉnh đến UBND cấp huyện, cấp xã)."},
    "7.3": {0: "Chưa triển khai Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia.",
            1: "Đang triển khai Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia.",
            2: "Đã hoàn thành Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia."},
    "7.5": {0: "Chưa triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP).",
            1: "Đang triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP).",
            2: "Đã hoàn thành xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP)."},
}


def _digital(v: _V, ctx: NarrativeContext) -> list[str]:
    out = []
    for code in ("7.1", "7.2", "7.3"):
        n = v.num(code)
        if n is not None and int(n) in _CHOICE_SENTENCES[code]:
            out.append(_CHOICE_SENTENCES[code][int(n)])
    cert = _clause(v, "7.4", "{n} cơ quan chuyên môn cấp tỉnh, UBND cấp huyện, UBND cấp xã được cấp chứng thư số",
                   fmt=percent)
    if cert:
        out.append(_sentence(cert))
    n = v.num("7.5")
    if n is not None and int(n) in _CHOICE_SENTENCES["7.5"]:
        out.append(_CHOICE_SENTENCES["7.5"][int(n)])
    linked = [_clause(v, "7.6.1.a", "{n} sở, ngành", fmt=percent),
              _clause(v, "7.6.1.b", "{n} UBND cấp huyện", fmt=percent)]
    commune = _clause(v, "7.6.1.c", "{n} UBND cấp xã đã kết nối, liên thông với UBND cấp huyện", fmt=percent)
    if any(linked) or commune:
        first = f"{_join(linked)} đã kết nối, liên thông với UBND tỉnh" if any(linked) else ""
        out.append(f"Về kết nối, liên thông các Hệ thống quản lý văn bản và điều hành: "
                   f"{'; '.join(x for x in (first, commune) if x)}.")
    paperless = _join([
        _clause(v, "7.6.2.a", "{n} văn bản được gửi hoàn toàn dưới dạng điện tử (sử dụng chữ ký số, chứng thư số và "
                              "gửi trên môi trường điện tử)", fmt=percent),
        _clause(v, "7.6.2.b", "{n} văn bản được gửi dưới dạng điện tử song song với văn bản giấy", fmt=percent),
    ])
    if v.has("7.6.2"):
        out.append(f"Tổng số văn bản đi giữa các cơ quan nhà nước là {count(v.num('7.6.2'))} văn bản"
                   f"{f', trong đó có {paperless}' if paperless else ''}.")
    elif paperless:
        out.append(f"Trong tổng số văn bản đi giữa các cơ quan nhà nước, có {paperless}.")
    one_stop = _join([_clause(v, "7.7.1", "{n} sở, ngành", fmt=percent),
                      _clause(v, "7.7.2", "{n} đơn vị cấp huyện", fmt=percent),
                      _clause(v, "7.7.3", "{n} đơn vị cấp xã", fmt=percent)])
    if one_stop:
        out.append(f"Về Hệ thống thông tin một cửa điện tử tập trung: {one_stop} đã kết nối liên thông với Hệ thống.")
    online = _join([_clause(v, "7.8.1", "{n} TTHC cung cấp trực tuyến mức độ 3"),
                    _clause(v, "7.8.2", "{n} TTHC cung cấp trực tuyến mức độ 4")])
    rates = ", ".join(x for x in (_clause(v, "7.8.3", "mức độ 3 đạt {n}", fmt=percent),
                                  _clause(v, "7.8.4", "mức độ 4 đạt {n}", fmt=percent)) if x)
    if online or rates:
        parts = [f"có {online}" if online else "", f"tỷ lệ hồ sơ xử lý trực tuyến {rates}" if rates else ""]
        out.append(_sentence("; ".join(x for x in parts if x)))
    return out


# Form group code → the drafter of that reform area (section II).
AREA_DRAFTERS: dict[str, Callable[[_V, NarrativeContext], list[str]]] = {
    "2": _institutions,
    "3": _procedures,
    "4": _organisation,
    "5": _civil_service,
    "6": _public_finance,
    "7": _digital,
}


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    parent: str | None
    drafter: Callable[[_V, NarrativeContext], list[str]] | None = None

    @property
    def level(self) -> int:
        return 1 if self.parent is None else 2


def section_defs(session: Session, spec: PeriodSpec) -> list[SectionDef]:
    """Every section in print order; section II has one subsection per active area (catalogue order)."""
    defs = [
        SectionDef("I", "I. Công tác chỉ đạo, điều hành", None),
        SectionDef("I.1", "1. Về xây dựng kế hoạch CCHC", "I", _plan_sentences),
        SectionDef("I.2", "2. Về tổ chức chỉ đạo, điều hành CCHC", "I", _direction_sentences),
        SectionDef("I.3", "3. Về kiểm tra CCHC", "I", _inspection_sentences),
        SectionDef("I.4", "4. Về công tác tuyên truyền CCHC", "I", _propaganda_sentences),
        SectionDef("I.5", "5. Về khảo sát sự hài lòng, đối thoại với người dân, doanh nghiệp", "I", _survey_sentences),
        SectionDef("II", "II. Kết quả thực hiện công tác CCHC", None),
    ]
    form_codes = area_form_codes()
    number = 0
    for area in session.scalars(select(Area).where(Area.active.is_(True)).order_by(Area.sort_order, Area.id)):
        form_code = form_codes.get(area.code, "")
        if form_code == "1":
            continue  # chỉ đạo, điều hành is section I
        number += 1
        defs.append(SectionDef(f"II.{area.code}"[:32], f"{number}. {area.name}", "II", AREA_DRAFTERS.get(form_code)))
    defs += [
        SectionDef("III", "III. Đánh giá chung", None),
        SectionDef("III.1", "1. Ưu điểm", "III"),
        SectionDef("III.2", "2. Hạn chế", "III"),
        SectionDef("III.3", "3. Nguyên nhân", "III"),
        SectionDef("IV", f"IV. Phương hướng, nhiệm vụ CCHC {spec.next_phrase}", None),
        SectionDef("V", "V. Đề xuất, kiến nghị", None),
    ]
    return defs


def draft_sections(defs: list[SectionDef], values: Mapping[str, CellValue], ctx: NarrativeContext) -> dict[str, str]:
    """Key → drafted text (paragraphs separated by newlines); sections with nothing to restate are left out."""
    v = _V(values)
    out = {}
    for d in defs:
        if d.drafter is None:
            continue
        text = "\n".join(s for s in d.drafter(v, ctx) if s)
        if text:
            out[d.key] = text
    return out
