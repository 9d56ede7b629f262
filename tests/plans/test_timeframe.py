"""Tests for core.plans.timeframe: reading "Thời gian thực hiện" text into due dates."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import NamedTuple

import pytest

from core.plans.timeframe import Milestone, Timeframe, describe, parse_timeframe


class Want(NamedTuple):
    kind: str
    dates: tuple[str, ...] = ()  # dd/mm/yyyy, sorted
    recurring: bool = False
    conditional: bool = False
    start_year: int | None = None
    flagged: bool = False


def _d(text: str) -> date:
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


def _dated(*dates: str) -> Want:
    return Want("dated", dates)


def _check(tf: Timeframe, want: Want) -> None:
    got = Want(
        tf.kind,
        tuple(d.strftime("%d/%m/%Y") for d in tf.due_dates),
        tf.recurring,
        tf.conditional,
        tf.start_year,
        tf.flagged,
    )
    assert got == want
    assert tf.due_date == (_d(want.dates[-1]) if want.dates else None)


COND = Want("conditional", conditional=True)
UNPARSED = Want("unparsed", flagged=True)

# --- the examples of the specification -------------------------------------------------------
SPEC_CASES = [
    ("Trước ngày 31/12/2021", None, _dated("31/12/2021")),
    ("Trước 31/01/2022", None, _dated("31/01/2022")),
    ("Trước ngày 28/02/2022", None, _dated("28/02/2022")),
    ("Trước tháng 01/2022", None, _dated("31/12/2021")),
    ("trước tháng 12/2021", None, _dated("30/11/2021")),
    ("Trước ngày 1/2/2022", None, _dated("01/02/2022")),
    ("Trước ngày 31-12-2021", None, _dated("31/12/2021")),
    ("Trước ngày 31.12.2021", None, _dated("31/12/2021")),
    ("Trong Quý IV năm 2022", None, _dated("31/12/2022")),
    ("Quý I/2022", None, _dated("31/03/2022")),
    ("Trong quý III năm 2022", None, _dated("30/09/2022")),
    ("quý II/2021", None, _dated("30/06/2021")),
    ("Quý 4 năm 2022", None, _dated("31/12/2022")),
    ("Tháng 3/2022", None, _dated("31/03/2022")),
    ("tháng 03 năm 2022", None, _dated("31/03/2022")),
    ("Trong tháng 6/2021", None, _dated("30/06/2021")),
    ("Tháng 2/2024", None, _dated("29/02/2024")),
    ("Năm 2022", None, _dated("31/12/2022")),
    ("Trong năm 2022", None, _dated("31/12/2022")),
    ("Trong năm 2021", None, _dated("31/12/2021")),
    ("6 tháng đầu năm 2022", None, _dated("30/06/2022")),
    ("Thường xuyên", None, Want("recurring", recurring=True)),
    ("Thường xuyên trong năm", None, Want("recurring", recurring=True)),
    ("Thường xuyên trong năm", 2022, Want("recurring", ("31/12/2022",), recurring=True, start_year=2022)),
    ("Thường xuyên trong năm 2022", None, Want("recurring", ("31/12/2022",), recurring=True, start_year=2022)),
    ("Hàng năm", None, Want("recurring", recurring=True)),
    ("Hằng năm", None, Want("recurring", recurring=True)),
    ("Hàng năm", 2021, Want("recurring", recurring=True, start_year=2021)),
    ("Năm 2021 và các năm tiếp theo", None, Want("recurring", ("31/12/2021",), recurring=True, start_year=2021)),
    ("Theo Kế hoạch", None, COND),
    ("Theo kế hoạch", None, COND),
    ("Sau khi có thông báo của Bộ Nội vụ", None, COND),
    ("Theo thời gian quy định của Bộ Nội vụ.", None, COND),
    ("Sau khi Chính phủ ban hành và theo thời gian của Bộ Nội vụ", None, COND),
    (
        "Ban hành kế hoạch trước 31/12/2021; báo cáo trong Quý IV/2022",
        None,
        _dated("31/12/2021", "31/12/2022"),
    ),
    ("Ban hành kế hoạch trước 31/12/2021\nbáo cáo trong Quý IV/2022.", None, _dated("31/12/2021", "31/12/2022")),
    ("- Ban hành kế hoạch trước 31/12/2021\n- Báo cáo trong Quý IV/2022", None, _dated("31/12/2021", "31/12/2022")),
    # missing year: the plan's year, never a guess
    ("Quý III", 2022, _dated("30/09/2022")),
    ("Quý III", None, UNPARSED),
    ("Trước ngày 15/3", 2022, _dated("15/03/2022")),
    ("Trước ngày 15/3", None, UNPARSED),
    ("Trong năm", 2023, _dated("31/12/2023")),
    ("Trong năm", None, UNPARSED),
    ("Ban hành trong Quý I; báo cáo trong Quý IV/2022", 2022, _dated("31/03/2022", "31/12/2022")),
    (
        "Ban hành trong Quý I; báo cáo trong Quý IV/2022",
        None,
        Want("dated", ("31/12/2022",), flagged=True),  # the other year is not borrowed
    ),
    # tolerance: case, spaces, NBSP, line breaks, trailing ".", spelling of "Quý"
    ("  TRONG QUÝ IV NĂM 2022.  ", None, _dated("31/12/2022")),
    ("Trước\u00a0ngày\u00a0 31 / 12 / 2021 .", None, _dated("31/12/2021")),
    ("Trong Quý\nIV năm 2022", None, _dated("31/12/2022")),
    ("Qúy I/2022", None, _dated("31/03/2022")),
    ("Quí 2 năm 2022", None, _dated("30/06/2022")),
    ("Quý I-2022", None, _dated("31/03/2022")),
    ("Quý  IV   năm   2022", None, _dated("31/12/2022")),
    # other forms met in plans
    ("ngày 31 tháng 12 năm 2021", None, _dated("31/12/2021")),
    ("Trước Quý II/2022", None, _dated("31/03/2022")),
    ("Trước năm 2022", None, _dated("31/12/2021")),
    ("Từ tháng 3 đến tháng 6/2022", None, _dated("30/06/2022")),
    ("Quý I - Quý II/2022", None, _dated("30/06/2022")),
    ("Từ 01/3 đến 15/3/2022", None, _dated("15/03/2022")),
    ("9 tháng đầu năm", 2022, _dated("30/09/2022")),
    ("6 tháng cuối năm 2022", None, _dated("31/12/2022")),
    ("Giai đoạn 2021-2025", None, _dated("31/12/2025")),
    ("2022", None, _dated("31/12/2022")),
    ("Ban hành kế hoạch:\nQuý I/2022", None, _dated("31/03/2022")),
    ("1. Quý I/2021\n2. Quý II/2021", None, _dated("31/03/2021", "30/06/2021")),
    ("Trước ngày 15/8 hàng năm", 2021, Want("recurring", ("15/08/2021",), recurring=True, start_year=2021)),
    ("Trước ngày 15/8 hàng năm", None, Want("recurring", recurring=True)),
    ("Trước ngày 31/12/2021\nTheo kế hoạch", None, Want("dated", ("31/12/2021",), conditional=True)),
    # garbage and invalid values: flagged, never a crash
    ("abc", None, UNPARSED),
    ("31/02/2022", None, UNPARSED),
    ("Trước ngày 31/02/2022", 2022, UNPARSED),
    ("tháng 13/2022", None, UNPARSED),
    ("Quý V/2022", None, UNPARSED),
    ("Quý 5/2022", None, UNPARSED),
    ("Trước 31/12/21", None, UNPARSED),
    ("Năm 3021", None, UNPARSED),
    ("Tuần 3", None, UNPARSED),
    ("trong 30 ngày, năm 2022", None, UNPARSED),
    ("Thường xuyên, trước 15/12/21", None, UNPARSED),
    ("<b></b>", None, Want("empty")),
    ("Trước ngày 31/12/2021; xyz", None, Want("dated", ("31/12/2021",), flagged=True)),
    ("Sau khi có thông báo; 12/2022 abc", None, Want("conditional", conditional=True, flagged=True)),
]

# --- every distinct "Thời gian thực hiện" cell of the seed plans --------------------------------
# 002: provincial PAR plan 2021 (plan year 2021). Cells split by a page break are joined.
_S002_HTML_1 = (
    '<ul style="list-style-type: none"> <li>- Ban hành Kế hoạch trước ngày 30/01/2021.</li> '
    "<li>- Báo cáo kết quả thực hiện Kế hoạch trong quý IV năm 2021.</li> </ul>"
)
_S002_HTML_2 = (
    '<ul style="list-style-type: none"> <li>- Ban hành Kế hoạch trước ngày 31/12/2020.</li> '
    "<li>- Báo cáo kết quả thực hiện trong Quý IV năm 2021.</li> </ul>"
)
# ... and the same cell exactly as the page break left it (two pieces on two lines)
_S002_HTML_2_RAW = (
    '<ul style="list-style-type: none"> <li>- Ban hành Kế hoạch trước ngày 31/12/2020.</li> '
    "<li>- Báo cáo kết quả</li> </ul>\nthực hiện trong Quý IV năm 2021."
)
_S002_HTML_3 = (
    '<ul style="list-style-type: none"> <li>- Quý II, III năm 2021</li> '
    "<li>- Báo cáo định kỳ hàng quý trong năm</li> </ul>"
)
_S002_BTP = "Sau khi có thông báo bằng Văn bản của Bộ Tư pháp về các nội dung Luật, Nghị quyết của Quốc hội;"
_S002_BTP_REST = (
    "Pháp lệnh, Nghị quyết của Ủy ban thường vụ Quốc hội; Lệnh, Nghị quyết của Chủ tịch nước "
    "giao cho địa phương quy định chi tiết"
)
_S002_KT = (
    "- Ban hành kế hoạch trong Quý I/2021. - Tổng hợp báo cáo UBND tỉnh kết quả kiểm tra trong Quý II/2021."
)
_S002_KT_RAW = (
    "- Ban hành kế hoạch trong Quý I/2021. - Tổng hợp báo cáo UBND tỉnh kết quả kiểm tra trong Quý\nII/2021."
)

SEED_002 = [
    (_S002_BTP, COND),
    (f"{_S002_BTP} {_S002_BTP_REST}", COND),  # the cell the extraction split over two rows
    (_S002_HTML_1, _dated("30/01/2021", "31/12/2021")),
    ("Thường xuyên", Want("recurring", recurring=True, start_year=2021)),
    (_S002_HTML_2, _dated("31/12/2020", "31/12/2021")),
    (_S002_HTML_2_RAW, _dated("31/12/2020", "31/12/2021")),
    ("Trước ngày 31/12/2020", _dated("31/12/2020")),
    ("Theo kế hoạch", COND),
    ("Trong năm 2021", _dated("31/12/2021")),
    (
        "- Ban hành kế hoạch trước ngày 31/12/2020 - Báo cáo kết quả thực hiện trong Quý IV năm 2021",
        _dated("31/12/2020", "31/12/2021"),
    ),
    ("Báo cáo trong quý IV năm 2021", _dated("31/12/2021")),
    ("Thường xuyên trong năm", Want("recurring", ("31/12/2021",), recurring=True, start_year=2021)),
    ("Ban hành văn bản trước tháng 12/2021", _dated("30/11/2021")),
    ("- Ban hành kế hoạch trong quý I/2021; - Báo cáo trong quý IV năm 2021;", _dated("31/03/2021", "31/12/2021")),
    ("Trong quý III/2021", _dated("30/09/2021")),
    ("Quý I/2022", _dated("31/03/2022")),
    ("Trước ngày 28/02/2022", _dated("28/02/2022")),
    ("Quý I năm 2021", _dated("31/03/2021")),
    ("Báo cáo định kỳ hàng quý trong năm", Want("recurring", ("31/12/2021",), recurring=True, start_year=2021)),
    (_S002_HTML_3, Want("recurring", ("30/09/2021", "31/12/2021"), recurring=True, start_year=2021)),
    ("Ban hành kế hoạch trước 31/12/2020", _dated("31/12/2020")),
    ("Quý I/2021", _dated("31/03/2021")),
    ("Theo thời gian quy định của Bộ Nội vụ.", COND),
    (_S002_KT, _dated("31/03/2021", "30/06/2021")),
    (_S002_KT_RAW, _dated("31/03/2021", "30/06/2021")),
    ("Sau khi Chính phủ ban hành và theo thời gian của Bộ Nội vụ", COND),
]

# 003: Department of Education plan 2021-2025 (no single plan year).
SEED_003 = [
    ("Hàng năm", Want("recurring", recurring=True)),
    ("Năm 2021 và các năm tiếp theo", Want("recurring", ("31/12/2021",), recurring=True, start_year=2021)),
    ("Năm 2021 và\ncác năm tiếp theo", Want("recurring", ("31/12/2021",), recurring=True, start_year=2021)),
    ("Hoàn thành trong năm 2022, phải đạt ít nhất 20% TTHC được phân cấp", _dated("31/12/2022")),
    ("Sau khi Chính phủ có văn bản chỉ đạo, hướng dẫn của các Bộ, ngành.", COND),
    ("Năm 2021", _dated("31/12/2021")),
    ("Năm 2022 và các năm tiếp theo", Want("recurring", ("31/12/2022",), recurring=True, start_year=2022)),
    ("Quý II/2022", _dated("30/06/2022")),
    ("Năm 2022", _dated("31/12/2022")),
    ("Sau khi Chính phủ có văn bản chỉ đạo, hướng dẫn của Văn phòng Chính phủ, Bộ Tư pháp", COND),
]


@pytest.mark.parametrize(("text", "plan_year", "want"), SPEC_CASES)
def test_spec_cases(text: str, plan_year: int | None, want: Want) -> None:
    _check(parse_timeframe(text, plan_year), want)


@pytest.mark.parametrize(("text", "want"), SEED_002)
def test_seed_002_plan_2021(text: str, want: Want) -> None:
    _check(parse_timeframe(text, 2021), want)


@pytest.mark.parametrize(("text", "want"), SEED_003)
def test_seed_003_plan_2021_2025(text: str, want: Want) -> None:
    _check(parse_timeframe(text), want)


@pytest.mark.parametrize(("text", "want"), SEED_002 + SEED_003)
def test_seed_nfd_input_reads_the_same(text: str, want: Want) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text or text.isascii()
    plain = parse_timeframe(text, 2021)
    tf = parse_timeframe(nfd, 2021)
    assert tf == plain
    assert tf.text == unicodedata.normalize("NFC", text).strip()


def test_seed_cells_without_plan_year() -> None:
    # "trong năm" with no year named and no plan year: recurring but no date, not flagged.
    tf = parse_timeframe("Thường xuyên trong năm")
    assert (tf.kind, tf.due_dates, tf.flagged) == ("recurring", (), False)
    tf = parse_timeframe(_S002_HTML_3)
    assert tf.due_dates == (date(2021, 9, 30),) and not tf.flagged


def test_seed_fragment_without_time_is_flagged() -> None:
    # The second half of a split cell alone holds no time at all: flagged, not guessed.
    tf = parse_timeframe(_S002_BTP_REST, 2021)
    assert tf.kind == "unparsed" and tf.flagged and tf.due_date is None


def test_milestones_are_labelled_by_clause() -> None:
    tf = parse_timeframe("Ban hành kế hoạch trước 31/12/2021; báo cáo trong Quý IV/2022")
    assert tf.milestones == (
        Milestone("Ban hành kế hoạch trước 31/12/2021", date(2021, 12, 31)),
        Milestone("báo cáo trong Quý IV/2022", date(2022, 12, 31)),
    )
    tf = parse_timeframe(_S002_HTML_2_RAW)
    assert [m.label for m in tf.milestones] == [
        "Ban hành Kế hoạch trước ngày 31/12/2020",
        "Báo cáo kết quả thực hiện trong Quý IV năm 2021",
    ]
    tf = parse_timeframe(_S002_KT_RAW)
    assert tf.milestones[1].label == "Tổng hợp báo cáo UBND tỉnh kết quả kiểm tra trong Quý II/2021"


def test_conditional_continuation_stays_one_clause() -> None:
    tf = parse_timeframe(f"{_S002_BTP} {_S002_BTP_REST}")
    assert len(tf.milestones) == 1
    assert tf.milestones[0].kind == "conditional"
    assert tf.milestones[0].label.endswith("giao cho địa phương quy định chi tiết")


def test_unparsed_clause_is_kept_and_named() -> None:
    tf = parse_timeframe("Trước ngày 31/12/2021; xyz")
    assert tf.kind == "dated" and tf.flagged
    assert tf.unparsed_clauses == ("xyz",)
    assert tf.due_date == date(2021, 12, 31)


def test_original_text_is_kept() -> None:
    raw = "  " + unicodedata.normalize("NFD", "Trong Quý IV năm 2022") + "\n"
    tf = parse_timeframe(raw)
    assert tf.text == "Trong Quý IV năm 2022"
    assert parse_timeframe(_S002_HTML_1).text == _S002_HTML_1


@pytest.mark.parametrize("text", [None, "", "   ", "\n\u00a0\n"])
def test_empty(text: str | None) -> None:
    tf = parse_timeframe(text)
    assert tf.kind == "empty"
    assert tf.milestones == () and tf.due_date is None and not tf.flagged
    assert not tf.recurring and not tf.conditional
    assert tf.text == ""


def test_due_dates_sorted_and_unique() -> None:
    tf = parse_timeframe("Báo cáo trong Quý IV/2022; ban hành trước 31/12/2021; tổng kết trước ngày 31/12/2022")
    assert tf.due_dates == (date(2021, 12, 31), date(2022, 12, 31))
    assert tf.due_date == date(2022, 12, 31)


@pytest.mark.parametrize(
    ("text", "plan_year", "summary"),
    [
        ("Trước ngày 31/12/2021", None, "Hạn: 31/12/2021"),
        ("Trước 31/12/2021; trong năm 2022", None, "Hạn: 31/12/2021; 31/12/2022"),
        ("Thường xuyên", None, "Thường xuyên"),
        ("Hàng năm", 2021, "Thường xuyên"),
        ("Năm 2021 và các năm tiếp theo", None, "Thường xuyên từ năm 2021; hạn: 31/12/2021"),
        ("Theo kế hoạch", None, "Theo điều kiện (không có hạn cụ thể)"),
        ("abc", None, "Chưa đọc được thời hạn"),
        ("", None, "Không ghi thời hạn"),
        ("Trước ngày 31/12/2021; xyz", None, "Hạn: 31/12/2021 (có phần chưa đọc được)"),
    ],
)
def test_describe(text: str, plan_year: int | None, summary: str) -> None:
    assert describe(parse_timeframe(text, plan_year)) == summary
