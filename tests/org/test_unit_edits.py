"""Issue 15: the unit tree changed by hand — add, rename, move, close, merge — from the CLI and from
Cài đặt → Đơn vị, each audited, codes never re-used, a refusal writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from core.org.unit_lifetimes import predecessors_of
from core.org.units import get_unit
from db.models import AuditEntry
from tests.conftest import dump_tables

REPO = Path(__file__).resolve().parents[2]


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--db", str(db)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.sqlite_only(reason="runs the CLI on a database file")
def test_cli_adds_renames_moves_and_closes_a_unit_and_audits_each(demo_db_file, tmp_path):
    db = tmp_path / "d.db"
    db.write_bytes(demo_db_file.read_bytes())
    out = _cli(db, "units", "add", "MH.XHB", "--name", "UBND xã Hòa Bình", "--level", "xã", "--parent", "MH",
               "--from-date", "1/7/2025")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Đã thêm UBND xã Hòa Bình (MH.XHB)."
    assert _cli(db, "units", "rename", "MH.XHB", "--name", "UBND xã Hòa Bình Mới").returncode == 0
    assert _cli(db, "units", "move", "MH.XHB", "--parent", "MH.SNV").returncode == 0
    out = _cli(db, "units", "close", "MH.XHB", "--last-day", "31/12/2025")
    assert out.stdout.strip() == "UBND xã Hòa Bình Mới (MH.XHB) thôi tồn tại sau ngày 31/12/2025; số liệu được giữ."
    listed = json.loads(_cli(db, "units", "list", "--json").stdout)["units"]
    row = next(u for u in listed if u["code"] == "MH.XHB")
    assert (row["name"], row["parent_code"], row["valid_from"], row["valid_to"]) == (
        "UBND xã Hòa Bình Mới", "MH.SNV", "2025-07-01", "2025-12-31")
    from db.engine import open_database

    database = open_database(db)
    try:
        with database.session() as s:
            unit = get_unit(s, "MH.XHB")
            trail = [(a.action, a.field, a.old_value, a.new_value) for a in s.scalars(
                select(AuditEntry).where(AuditEntry.entity == "unit", AuditEntry.entity_id == unit.id)
                .order_by(AuditEntry.id))]
    finally:
        database.close()
    assert trail == [("create", None, None, "MH.XHB UBND xã Hòa Bình"),
                     ("update", "name", "UBND xã Hòa Bình", "UBND xã Hòa Bình Mới"),
                     ("update", "parent", "MH", "MH.SNV"),
                     ("update", "valid_to", None, "2025-12-31")]


@pytest.mark.sqlite_only(reason="compares the database file before and after")
@pytest.mark.parametrize(("args", "message"), [
    (("units", "add", "MH.STTTT", "--name", "Sở mới", "--level", "so"),
     "Mã “MH.STTTT” đã được dùng cho một đơn vị (kể cả đơn vị đã thôi tồn tại); mã đơn vị không được dùng lại."),
    (("units", "add", "MH.X", "--name", "X", "--level", "thôn"), "Cấp “thôn” không hợp lệ"),
    (("units", "move", "MH", "--parent", "MH.SNV"), "Không thể chuyển UBND tỉnh Minh Họa vào chính nó"),
    (("units", "close", "MH.SNV", "--last-day", "31/02/2026"),
     "Ngày “31/02/2026” tháng 2 năm 2026 không có ngày 31 (tháng này có 28 ngày)"),
    (("units", "close", "MH.SNV", "--last-day", "31/12/2026"), "còn 1 đơn vị trực thuộc sau ngày 31/12/2026"),
    (("units", "rename", "MH.SNV", "--name", "  "), "Cần tên đơn vị"),
])
def test_a_refused_unit_change_says_why_in_vietnamese_and_writes_nothing(demo_db_file, tmp_path, args, message):
    db = tmp_path / "d.db"
    db.write_bytes(demo_db_file.read_bytes())
    before = dump_tables(db)
    out = _cli(db, *args)
    assert out.returncode == 1
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert dump_tables(db) == before


@pytest.fixture
def window(qtbot, tmp_path):
    from tests.helpers.gui_window import demo_window

    with demo_window(qtbot, tmp_path, size=None) as w:
        yield w


def test_the_unit_screen_merges_two_communes_from_a_date(window, qtbot):
    section = window.settings_page.unit_settings
    window.show_page(window.settings_page)
    window.settings_page.tabs.setCurrentWidget(section)
    assert window.settings_page.tabs.tabText(window.settings_page.tabs.currentIndex()) == "Đơn vị"
    assert "MH.HAB.XAL" in section.codes()
    form = section.merge()
    from PySide6.QtWidgets import QLineEdit, QListWidget

    sources = form.findChild(QListWidget)
    listed = [sources.item(i).data(Qt.ItemDataRole.UserRole) for i in range(sources.count())]
    assert listed == ["MH.DKHN", "MH.PTH", "MH.XAB"]  # communes still in effect
    for i in range(sources.count()):
        if listed[i] in ("MH.PTH", "MH.XAB"):
            sources.item(i).setCheckState(Qt.CheckState.Checked)
    code, name, day = form.findChildren(QLineEdit)
    code.setText("MH.XHB")
    name.setText("UBND xã Hòa Bình")
    day.setText("30/02/2026")
    form.try_accept()
    assert form.isVisible() and "tháng 2 năm 2026 không có ngày 30" in form.error.text()
    day.setText("01/03/2026")
    form.try_accept()
    assert not form.isVisible()
    assert section.notice.text() == "Đã ghi nhận UBND xã Hòa Bình (MH.XHB) từ 01/03/2026, sáp nhập từ MH.PTH, MH.XAB."
    with window.db.session() as s:
        new = get_unit(s, "MH.XHB")
        olds = sorted((u.code, u.valid_to.isoformat()) for u, _ in predecessors_of(s, new.id))
    assert olds == [("MH.PTH", "2026-02-28"), ("MH.XAB", "2026-02-28")]  # closed the day before
    assert section.current_code() == "MH.XHB"
    names = [window.unit_combo.itemText(i).strip() for i in range(window.unit_combo.count())]
    assert "UBND xã Hòa Bình" in names  # the unit list at the top follows


def test_scenario_merging_communes_changes_what_the_province_home_expects(demo_db):
    """A province's quarter after a merger: Trang chủ counts the units that exist at the period's end."""
    from datetime import date

    from core.app.home import home_summary
    from core.org.unit_lifetimes import merge_units

    with demo_db.session() as s:
        province = get_unit(s, "MH").id
        before = home_summary(s, province, "2025-Q3", today=date(2025, 9, 1)).intake[0].text
    # In effect on 30/09/2025: 6 departments (Sở TT&TT closed 28/02/2025, UBND huyện An Bình 30/06/2025)
    # and the communes formed on 01/07/2025 (xã An Bình, phường Thành Hưng, đặc khu Hòn Ngọc) = 9.
    assert before == "Báo cáo đã nhận từ đơn vị trực thuộc: 0/9"
    with demo_db.transaction() as s:
        merge_units(s, "MH.XHB", "UBND xã Hòa Bình", ["MH.PTH", "MH.XAB"], date(2025, 9, 1))
    with demo_db.session() as s:
        after = home_summary(s, province, "2025-Q3", today=date(2025, 9, 1)).intake[0].text
    # Two communes became one from 01/09/2025: 6 departments + Hòn Ngọc + Hòa Bình = 8.
    assert after == "Báo cáo đã nhận từ đơn vị trực thuộc: 0/8"
