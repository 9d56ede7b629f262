"""Shared set-up for the consolidation tests: real child returns exported by the product, and the
seed 004 appendix typed by hand into Excel.

- ``Province``: the demo province twice — the children's PCs (``child``) where returns are
  filled in and exported, and the receiving office (``office``) that imports them;
- ``random_values``: a return's values drawn at random (blanks, zeros, decimals, coded answers);
- ``write_seed_appendix``: tests/data/seed_004_appendix.txt (the appendix of seed 004 as extracted)
  as an .xlsx the way a clerk types it: title rows, the two-row header with merged cells and
  repeated after page breaks, group titles merged across the row, "Trong đó" merged down its
  rows, codes "1.1.1.", values as text ("3.133", "94(28)"), rows cut by page breaks, footnotes
  below the table.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.forms import applies, current_template
from core.org.units import get_unit
from core.reports.workbook_format import DATA_SHEET, STATS_SHEET
from core.reports.workbook_writer import export_return_xlsx
from core.returns.entry import apply_edits, open_return
from core.returns.report_collect import collect_return_export
from db.engine import Database, open_database

HERE = Path(__file__).resolve().parent
SEED_APPENDIX = HERE.parent / "data" / "seed_004_appendix.txt"
H1 = "2021-H1"
# The demo province's children in effect on 30/6/2021 (MH.STTTT ends 28/02/2025, MH.HAB 30/06/2025).
H1_CHILDREN = ["MH.HAB", "MH.SGDDT", "MH.SKHCN", "MH.SNV", "MH.STC", "MH.STP", "MH.STTTT", "MH.VP"]


class Province:
    """Two copies of the demo database: the units' PCs and the receiving office."""

    def __init__(self, demo_file: Path, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(demo_file, folder / "child.db")
        shutil.copy2(demo_file, folder / "office.db")
        self.child: Database = open_database(folder / "child.db")
        self.office: Database = open_database(folder / "office.db")
        self.inbox = folder / "inbox"
        self.inbox.mkdir(exist_ok=True)

    def close(self) -> None:
        self.child.close()
        self.office.close()

    def fill(self, unit: str, values: dict[str, object], period: str = H1, notes: dict[str, str] | None = None,
             db: Database | None = None) -> None:
        """Type a unit's values (blank = None) on its PC, as the entry grid does."""
        db = db or self.child
        notes = notes or {}
        with db.transaction() as s:
            ret = open_return(s, unit, period)
            edits = [(code, "" if v is None else v, notes.get(code, "")) for code, v in values.items()]
            result = apply_edits(s, ret.id, edits)
            assert result.applied, result.errors[:3]

    def export(self, unit: str, period: str = H1, *, at: datetime | None = None, name: str | None = None,
               db: Database | None = None) -> Path:
        db = db or self.child
        with db.session() as s:
            data = collect_return_export(s, unit, period)
        path = self.inbox / (name or f"{data.file_stem()}.xlsx")
        return export_return_xlsx(data, path, exported_at=at or datetime(2021, 6, 18, 9, 30)).path


def accept_all(db: Database, parent: str, period: str = H1, note: str = "Chấp nhận để kiểm thử tổng hợp") -> list[str]:
    """The receiving unit accepts every return it received and has not reviewed (a draft or a return
    with errors with ``note``, as the rule asks); returns the codes accepted."""
    from core.intake.completeness import completeness
    from core.intake.review import accept_return, review_info

    with db.transaction() as s:
        codes = [r.unit_code for r in completeness(s, parent, period).review_rows("pending")]
        for code in codes:
            info = review_info(s, parent, code, period)
            accept_return(s, parent, code, period, note=note if info.needs_note else None)
    return codes


def screenshot(widget, name: str) -> Path:  # noqa: ANN001 - a QWidget
    """Grab ``widget`` into /tmp/``name`` (and into $CCHC_SCREENSHOTS when set, to keep for a look by eye)."""
    path = Path("/tmp") / name
    assert widget.grab().save(str(path))
    keep = os.environ.get("CCHC_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(keep) / name))
    return path


def value_codes(db: Database, unit: str | None = None) -> dict[str, tuple[str, list | None]]:
    """code → (value type, choices) of the current form's value rows (those of ``unit``'s level, given a unit)."""
    with db.session() as s:
        level = get_unit(s, unit).level if unit else None
        return {i.code: (i.value_type, i.choices) for i in current_template(s).indicators
                if i.kind == "value" and applies(i, level)}


def random_values(rng: random.Random, codes: dict[str, tuple[str, list | None]], blank_share: float = 0.15
                  ) -> dict[str, object]:
    out: dict[str, object] = {}
    for code, (vt, choices) in codes.items():
        if rng.random() < blank_share:
            out[code] = None
        elif vt == "integer":
            out[code] = rng.choice([0, rng.randint(1, 40), rng.randint(100, 5000)])
        elif vt in ("percent", "decimal"):
            out[code] = round(rng.uniform(0, 100), 1)
        elif vt in ("choice", "yesno"):
            out[code] = rng.choice([int(c["code"]) for c in choices])
        else:
            out[code] = f"Nội dung {rng.randint(1, 99)}"
    return out


def edit_cells(path: Path, changes: dict[str, object], notes: dict[str, object] | None = None) -> None:
    """Change visible cells in Excel after export (the hidden data stays as it was)."""
    cells = {}
    wb = load_workbook(path)
    for row in wb[DATA_SHEET].iter_rows(values_only=True):
        if row[0] == "cell":
            cells[row[1]] = (row[3], row[5])
    ws = wb[STATS_SHEET]
    for code, value in changes.items():
        ws[cells[code][0]] = value
    for code, value in (notes or {}).items():
        ws[cells[code][1]] = value
    wb.save(path)


def tamper(path: Path, code: str, old: int, new: int) -> None:
    """Change a value inside the hidden machine-readable data (and its cell record) without the hash."""
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    for row in ws.iter_rows():
        if row[0].value == "content" and f'"{code}":{{"note":null,"value":{old}}}' in row[1].value:
            row[1].value = row[1].value.replace(f'"{code}":{{"note":null,"value":{old}}}',
                                                f'"{code}":{{"note":null,"value":{new}}}')
        if row[0].value == "cell" and row[1].value == code:
            row[4].value = new
    wb.save(path)


# --------------------------------------------------------------------------- the seed appendix typed by hand


_TAGS = re.compile(r"</?(b|i|sup)>")


def _clean(cell: str) -> str:
    return " ".join(_TAGS.sub("", cell).replace("**", "").split())


def seed_appendix_lines() -> tuple[list[str], list[list[str]], list[tuple[str, str]]]:
    """(title lines, table rows as [stt, name, unit, value, note] with repeated headers, footnotes)."""
    title: list[str] = []
    rows: list[list[str]] = []
    notes: list[tuple[str, str]] = []
    in_table = False
    for line in SEED_APPENDIX.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        m = re.match(r"^<sup>(\d+)</sup>\s*(.+)$", line)
        if m:
            notes.append((m.group(1), _clean(m.group(2))))
            continue
        if line.startswith("STT\t"):
            in_table = True
        if not in_table:
            title.append(_clean(line))
            continue
        cells = [_clean(c) for c in line.split("\t")]
        rows.append((cells + [""] * 5)[:5])
    return title, rows, notes


def write_seed_appendix(path: Path, *, title_extra: str | None = None, numbers_as_numbers: bool = True) -> Path:
    """The seed's appendix as a clerk types it into Excel (see the module docstring)."""
    title, rows, notes = seed_appendix_lines()
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    for t in title + ([title_extra] if title_extra else []):
        ws.append([t])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    in_breakdown_from: int | None = None
    for stt, name, unit, value, note in rows:
        if stt == "STT":
            ws.append([stt, name, "Kết quả thống kê", None, "Ghi chú"])
            continue
        if not stt and unit == "Đơn vị tính":
            r = ws.max_row + 1
            ws.append([None, None, "Đơn vị tính", "Số liệu", None])
            for col in (1, 2, 5):
                ws.merge_cells(start_row=r - 1, start_column=col, end_row=r, end_column=col)
            ws.merge_cells(start_row=r - 1, start_column=3, end_row=r - 1, end_column=4)
            continue
        cell_value: object = value
        if numbers_as_numbers and re.fullmatch(r"[1-9]\d{0,2}", value):
            cell_value = int(value)  # typed as a number; "3.133", "72,8", "01", "94(28)" stay as typed text
        r = ws.max_row + 1
        if stt == "Trong đó":
            in_breakdown_from = r
            ws.append([stt, name, unit, cell_value, note])
            continue
        if in_breakdown_from is not None and not stt and unit:
            ws.append([None, name, unit, cell_value, note])  # "Trong đó" is merged down once the run ends
            continue
        if in_breakdown_from is not None:
            if r - 1 > in_breakdown_from:
                ws.merge_cells(start_row=in_breakdown_from, start_column=1, end_row=r - 1, end_column=1)
            in_breakdown_from = None
        is_group = bool(stt) and not unit and not value and stt.count(".") <= 2 and name and not note
        ws.append([stt, name, unit, cell_value, note])
        if is_group and stt.endswith(".") and len(stt) <= 5:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
            ws.cell(r, 2).font = Font(bold=True)
    if in_breakdown_from is not None and ws.max_row > in_breakdown_from:
        ws.merge_cells(start_row=in_breakdown_from, start_column=1, end_row=ws.max_row, end_column=1)
    ws.append([])
    for mark, text in notes:
        ws.append([f"({mark}) {text}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
    wb.save(path)
    return path
