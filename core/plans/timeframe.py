"""Read the free Vietnamese "Thời gian thực hiện" text of a plan task.

The text is always kept as written; what can be read becomes due dates. Nothing
is guessed: a clause that is not understood is kept and flagged for a person.
A deadline is the LAST day of the span the text names ("Quý IV/2021" ->
31/12/2021); "trước tháng 12/2021" ends the day before the span starts.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.vnformat import format_date, from_roman, nfc

__all__ = ["Milestone", "Timeframe", "parse_timeframe", "describe"]

DATED = "dated"
RECURRING = "recurring"
CONDITIONAL = "conditional"
UNPARSED = "unparsed"
EMPTY = "empty"


@dataclass(frozen=True)
class Milestone:
    """One clause of the text and the deadline read from it (if any)."""

    label: str
    due_date: date | None
    # "dated" | "recurring" | "conditional" | "unparsed": lets the UI point at
    # the exact clause that could not be read.
    kind: str = DATED


@dataclass(frozen=True)
class Timeframe:
    """The parsed "Thời gian thực hiện" of a task; ``text`` is the original."""

    text: str
    kind: str
    milestones: tuple[Milestone, ...]
    recurring: bool
    conditional: bool
    start_year: int | None

    @property
    def due_dates(self) -> tuple[date, ...]:
        """All milestone dates, sorted, without repeats."""
        return tuple(sorted({m.due_date for m in self.milestones if m.due_date}))

    @property
    def due_date(self) -> date | None:
        """The final deadline, or ``None``."""
        dates = self.due_dates
        return dates[-1] if dates else None

    @property
    def flagged(self) -> bool:
        """True when a person must read the text (some clause not understood)."""
        return self.kind == UNPARSED or any(m.kind == UNPARSED for m in self.milestones)

    @property
    def unparsed_clauses(self) -> tuple[str, ...]:
        """The clauses that were not understood, as written."""
        return tuple(m.label for m in self.milestones if m.kind == UNPARSED)


# --- text clean-up ---------------------------------------------------------------------------

# Cells pasted from Word/HTML carry <ul><li>, <p>, <br>: those are line breaks.
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(?:br|li|p|ul|ol|div|tr|td)\b[^<>]*>", re.I)
_TAG_RE = re.compile(r"</?[a-z][^<>]*>", re.I)
_SPACE_RE = re.compile(r"[ \t\f\v\u00a0\u2007\u202f\u3000]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\ufeff]")
# An old typing habit puts the accent on the "u": "Qúy". "Quí" is an old spelling.
_QUY = r"(?:quý|quí|qúy)"

_BULLET_RE = re.compile(r"^(?:[-–—•●○▪◦+*]+|\d{1,2}[.)](?=\s)|[a-zđ]\))\s*", re.I)
# A line ending like this cannot be the end of an item: the next line continues it
# (a table row split by a page break, or a wrapped line).
_DANGLING_RE = re.compile(rf"(?:(?<!\w)(?:{_QUY}|tháng|năm|ngày|trước|trong|đến|từ|và)|[/,:–-])$", re.I)
# An inline bullet " - Báo cáo…"; a dash followed by a digit is a range ("2021 - 2025").
_INLINE_BULLET_RE = re.compile(r"\s[-–—•]\s+(?=[^\W\d_])")
_RANGE_LEFT_RE = re.compile(rf"(?:(?:{_QUY}|tháng|năm)\s*(?:[ivx]+|\d+)|\d)\s*$", re.I)
_RANGE_RIGHT_RE = re.compile(rf"^(?:{_QUY}|tháng|năm|ngày)(?!\w)", re.I)


def _clean(text: str) -> str:
    s = _BLOCK_TAG_RE.sub("\n", text)
    s = _TAG_RE.sub(" ", s)
    s = nfc(html.unescape(s))
    s = _ZERO_WIDTH_RE.sub("", s)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _SPACE_RE.sub(" ", s)


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if out and not _BULLET_RE.match(line) and (
            _DANGLING_RE.search(out[-1]) or (out[-1][-1] not in ".;!?" and line[0].islower())
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _clauses(text: str) -> list[str]:
    clauses: list[str] = []
    for line in _lines(text):
        for part in line.split(";"):
            pieces = _INLINE_BULLET_RE.split(part)
            merged: list[str] = []
            for piece in pieces:
                # "Quý I - Quý II/2022" is a range, not two bullets.
                if merged and _RANGE_LEFT_RE.search(merged[-1]) and _RANGE_RIGHT_RE.match(piece.strip()):
                    merged[-1] = f"{merged[-1]} - {piece}"
                else:
                    merged.append(piece)
            for piece in merged:
                label = _label(piece)
                if label:
                    clauses.append(label)
    return clauses


def _label(piece: str) -> str:
    s = " ".join(piece.split())
    s = _BULLET_RE.sub("", s, count=1)
    return s.strip(" .;,:").strip()


# --- time expressions ------------------------------------------------------------------------

_YEAR_SEP = r"(?:\s*[/.\-–]\s*|\s*,?\s*năm\s+|\s+(?=\d{4}))"
_LIST_SEP = r"\s*(?:,|và|&|-|–|—|đến|tới)\s*"
_Q_ITEM = r"(?:[ivx]+\b|\d(?!\d))"
_M_ITEM = r"\d{1,2}(?!\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("long", re.compile(r"(?<!\w)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*,?\s*năm\s+(\d{4}))?(?!\d)", re.I)),
    ("half", re.compile(r"(?<![\w/])(\d{1,2})\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{4}))?(?!\d)", re.I)),
    ("date", re.compile(
        r"(?<![\w/.\-])(?:ngày\s*)?(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\w/]|[.\-]\d)", re.I)),
    ("daymonth", re.compile(
        r"(?<![\w/.\-])(?:ngày\s*)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?![\w/]|\s*[/.\-]\s*\d)", re.I)),
    ("quarter", re.compile(
        rf"(?<!\w){_QUY}\s*({_Q_ITEM}(?:{_LIST_SEP}(?:{_QUY}\s*)?{_Q_ITEM})*)(?:{_YEAR_SEP}(\d{{4}}))?(?!\d)",
        re.I)),
    ("month", re.compile(
        rf"(?<!\w)tháng\s*({_M_ITEM}(?:{_LIST_SEP}(?:tháng\s*)?{_M_ITEM})*)(?:{_YEAR_SEP}(\d{{4}}))?(?!\d)", re.I)),
    ("span", re.compile(r"(?<!\w)giai đoạn\s+(\d{4})\s*(?:-|–|—|đến)\s*(?:năm\s+)?(\d{4})(?!\d)", re.I)),
    ("year", re.compile(r"(?<!\w)năm\s*(\d{4}(?!\d)(?:" + _LIST_SEP + r"(?:năm\s*)?\d{4}(?!\d))*)", re.I)),
    # "trong năm" without a number means the plan's year.
    ("thisyear", re.compile(r"(?<!\w)(?:trong|cả|suốt|cuối)\s+năm(?:\s+nay)?(?!\s*\d)(?!\w)", re.I)),
]
_LEAD_RE = re.compile(r"(?<!\w)(?:trước|đến|hạn|nhất|từ|vào|tới)\s*$", re.I)
_BEFORE_RE = re.compile(r"(?<!\w)trước\s*$", re.I)
# Tokens joined only by one of these form one span ("Quý II/2021 - Quý III/2021").
_CONNECTOR_RE = re.compile(r"\s*(?:-|–|—|~|đến|tới)\s*(?:hết\s*)?", re.I)
# ... and these let a token borrow the next one's year ("từ 01/3 đến 15/3/2022").
_YEAR_SHARE_RE = re.compile(r"\s*(?:,|và|&|-|–|—|~|đến|tới)?\s*(?:hết\s*)?", re.I)

_RECURRING_RE = re.compile(
    r"(?<!\w)(?:thường xuyên|h[àằ]ng (?:năm|quý|quí|qúy|tháng|tuần|ngày|kỳ)|định kỳ|liên tục"
    r"|(?:và )?(?:các|những) năm tiếp theo|(?:và )?năm tiếp theo)(?!\w)",
    re.I,
)
_CONDITIONAL_RE = re.compile(
    r"(?<!\w)(?:sau khi|khi có|khi được|khi phát sinh|tùy theo|tuỳ theo|đột xuất"
    r"|theo (?:kế hoạch|thời gian|quy định|yêu cầu|hướng dẫn|chỉ đạo|lộ trình|tiến độ|văn bản|thông báo"
    r"|lịch))(?!\w)",
    re.I,
)
# Leftovers that mean part of the time was not understood.
_LEFTOVER_UNIT_RE = re.compile(rf"(?<!\w)(?:{_QUY}|tháng|tuần)(?!\w)|\d\s*ngày(?!\w)", re.I)
_LEFTOVER_DATE_RE = re.compile(r"(?<![\d/])\d{1,2}\s*/\s*\d{1,2}(?![\d%])|(?<![\d/.])(?:19|20|21)\d{2}(?![\d/])")
_BARE_YEAR_RE = re.compile(r"\d{4}")



@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    unit: str  # "day" | "half" | "quarter" | "month" | "year" | "thisyear"
    raw: tuple[str, ...]  # numbers as written; checked only when the span is computed
    year: int | None  # None: not written, to be taken from context


@dataclass(frozen=True)
class _Clause:
    label: str
    kind: str
    dates: tuple[date, ...]
    recurring: bool
    conditional: bool
    plain: bool  # no number, no time word, no marker: ordinary words only


def _tokens(clause: str) -> list[_Token]:
    taken: list[tuple[int, int]] = []
    found: list[_Token] = []
    # Patterns are tried longest-first; a shorter one never reads inside a longer match.
    for unit, pattern in _PATTERNS:
        for m in pattern.finditer(clause):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if unit == "daymonth" and not (
                m.group(0).lower().startswith("ngày") or _LEAD_RE.search(clause[: m.start()])
            ):
                continue  # "2-3" alone is not a date
            taken.append((m.start(), m.end()))
            found.append(_make_token(unit, m))
    if not found and _BARE_YEAR_RE.fullmatch(clause.strip(" .")):
        start = clause.index(clause.strip(" ."))
        found.append(_Token(start, start + 4, "year", (clause.strip(" ."),), int(clause.strip(" ."))))
    return sorted(found, key=lambda t: t.start)


def _make_token(unit: str, m: re.Match[str]) -> _Token:
    g = m.groups()
    s, e = m.start(), m.end()
    if unit == "long":
        return _Token(s, e, "day", (g[0], g[1]), _int(g[2]))
    if unit == "date":
        return _Token(s, e, "day", (g[0], g[2]), _int(g[3]))
    if unit == "daymonth":
        return _Token(s, e, "day", (g[0], g[1]), None)
    if unit == "half":
        return _Token(s, e, "half", (g[0], g[1].lower()), _int(g[2]))
    if unit in ("quarter", "month"):
        return _Token(s, e, unit, tuple(re.findall(r"[ivx]+|\d+", g[0], re.I)), _int(g[1]))
    if unit == "span":
        return _Token(s, e, "year", (g[0], g[1]), int(g[1]))
    if unit == "year":
        years = tuple(re.findall(r"\d{4}", g[0]))
        return _Token(s, e, "year", years, int(years[-1]))
    return _Token(s, e, "thisyear", (), None)


def _int(text: str | None) -> int | None:
    return int(text) if text is not None else None


def _number(text: str, top: int) -> int:
    n = int(text) if text.isdigit() else from_roman(text)
    if n is None or not 1 <= n <= top:
        raise ValueError(text)
    return n


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _span(tok: _Token, year: int) -> tuple[date, date]:
    """First and last day of what the token names; ValueError if it is not a real time."""
    if tok.unit == "year":
        years = [int(y) for y in tok.raw]
        year = min(years)
        if any(not 1900 <= y <= 2199 for y in years):
            raise ValueError(tok.raw)
        return date(year, 1, 1), date(max(years), 12, 31)
    if not 1900 <= year <= 2199:
        raise ValueError(year)
    if tok.unit == "day":
        d = date(year, int(tok.raw[1]), int(tok.raw[0]))
        return d, d
    if tok.unit == "month":
        months = [_number(x, 12) for x in tok.raw]
        return date(year, min(months), 1), _month_end(year, max(months))
    if tok.unit == "quarter":
        quarters = [_number(x, 4) for x in tok.raw]
        return date(year, 3 * min(quarters) - 2, 1), _month_end(year, 3 * max(quarters))
    if tok.unit == "half":
        n = _number(tok.raw[0], 12)
        if tok.raw[1] == "đầu":
            return date(year, 1, 1), _month_end(year, n)
        return date(year, 13 - n, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)  # thisyear


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _read_clause(label: str, plan_year: int | None, recurring_year: int | None = None) -> _Clause:
    recurring = bool(_RECURRING_RE.search(label))
    conditional = bool(_CONDITIONAL_RE.search(label))
    tokens = _tokens(label)
    plain = not (tokens or recurring or conditional or re.search(r"\d", label)
                 or _LEFTOVER_UNIT_RE.search(label))

    def clause(kind: str, dates: tuple[date, ...] = ()) -> _Clause:
        return _Clause(label, kind, dates, recurring, conditional, plain)

    # Anything time-like left over after reading means the reading is incomplete.
    markers = [m.span() for r in (_RECURRING_RE, _CONDITIONAL_RE) for m in r.finditer(label)]
    rest = _mask(label, [(t.start, t.end) for t in tokens] + markers)
    if tokens and _LEFTOVER_UNIT_RE.search(rest):
        return clause(UNPARSED)
    if (tokens or not conditional) and _LEFTOVER_DATE_RE.search(rest):
        return clause(UNPARSED)

    # A token without a year borrows it from the next one in a list or range
    # ("tháng 3 và tháng 6/2022"), else from the plan; never from elsewhere.
    years = [t.year for t in tokens]
    for i in reversed(range(len(tokens) - 1)):
        gap = label[tokens[i].end : tokens[i + 1].start]
        if years[i] is None and years[i + 1] is not None and _YEAR_SHARE_RE.fullmatch(gap):
            years[i] = years[i + 1]

    spans: list[tuple[_Token, date, date]] = []
    for tok, year in zip(tokens, years, strict=True):
        year = year if year is not None else plan_year
        if year is None and recurring:
            # "Tháng 6 hằng năm" in a 2026–2030 plan: the date in the plan's first year, repeated
            # every year after it (``core.plans.status.deadline``); without a plan year, no deadline.
            year = recurring_year
            if year is None:
                continue
        if year is None:
            return clause(UNPARSED)
        try:
            first, last = _span(tok, year)
        except ValueError:
            return clause(UNPARSED)
        spans.append((tok, first, last))

    dates: list[date] = []
    group: list[tuple[_Token, date, date]] = []
    for item in spans:
        if group and _CONNECTOR_RE.fullmatch(label[group[-1][0].end : item[0].start]):
            group.append(item)
            continue
        if group:
            dates.append(_group_due(label, group))
        group = [item]
    if group:
        dates.append(_group_due(label, group))

    if dates:
        return clause(RECURRING if recurring else DATED, tuple(dict.fromkeys(dates)))
    if recurring:
        return clause(RECURRING)
    if conditional:
        return clause(CONDITIONAL)
    return clause(UNPARSED)


def _group_due(label: str, group: list[tuple[_Token, date, date]]) -> date:
    tok, first, _last = group[0]
    if len(group) == 1 and tok.unit != "day" and _BEFORE_RE.search(label[: tok.start]):
        # "trước tháng 12/2021": done before the month starts.
        return first - timedelta(days=1)
    return max(last for _tok, _first, last in group)


# --- public API ------------------------------------------------------------------------------


def parse_timeframe(text: str | None, plan_year: int | None = None, recurring_year: int | None = None) -> Timeframe:
    """Read a "Thời gian thực hiện" cell; ``plan_year`` fills in a missing year.

    ``recurring_year`` (a plan over several years: its first year) dates a yearly clause written
    without a year: "Tháng 6 hằng năm" in a 2026–2030 plan is due 30/06/2026 and, being recurring,
    30/06 of every later year of the plan.
    """
    original = nfc(text).strip()
    clauses: list[_Clause] = []
    for label in _clauses(_clean(original)):
        c = _read_clause(label, plan_year, recurring_year)
        # "Sau khi có thông báo của Bộ Tư pháp về …; Pháp lệnh, …": the words after
        # the ";" still describe the condition, they are not a new deadline.
        if c.kind == UNPARSED and c.plain and clauses and clauses[-1].kind == CONDITIONAL:
            prev = clauses[-1]
            clauses[-1] = _Clause(f"{prev.label}; {label}", CONDITIONAL, (), prev.recurring, True, False)
            continue
        clauses.append(c)

    if not clauses:
        return Timeframe(original, EMPTY, (), False, False, None)

    milestones: list[Milestone] = []
    for c in clauses:
        if c.dates:
            milestones.extend(Milestone(c.label, d, c.kind) for d in c.dates)
        else:
            milestones.append(Milestone(c.label, None, c.kind))

    understood = [c for c in clauses if c.kind != UNPARSED]
    kinds = {c.kind for c in understood}
    if not understood:
        kind = UNPARSED
    elif RECURRING in kinds:
        kind = RECURRING
    elif DATED in kinds:
        kind = DATED
    else:
        kind = CONDITIONAL
    recurring = any(c.recurring for c in understood)
    start_year = None
    if recurring:
        years = [d.year for c in understood if c.recurring for d in c.dates]
        start_year = min(years) if years else plan_year
    return Timeframe(
        text=original,
        kind=kind,
        milestones=tuple(milestones),
        recurring=recurring,
        conditional=any(c.conditional for c in understood),
        start_year=start_year,
    )


def describe(tf: Timeframe) -> str:
    """Short Vietnamese summary for the UI, e.g. "Hạn: 31/12/2021"."""
    if tf.kind == EMPTY:
        return "Không ghi thời hạn"
    if tf.kind == UNPARSED:
        return "Chưa đọc được thời hạn"
    dates = "; ".join(format_date(d) for d in tf.due_dates)
    if tf.kind == RECURRING:
        text = "Thường xuyên"
        if dates:
            text += (f" từ năm {tf.start_year}" if tf.start_year else "") + f"; hạn: {dates}"
    elif tf.kind == DATED:
        text = f"Hạn: {dates}"
    else:
        text = "Theo điều kiện (không có hạn cụ thể)"
    if tf.flagged:
        text += " (có phần chưa đọc được)"
    return text
