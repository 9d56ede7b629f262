"""Snapshots of every screen and main dialog (``main.py gui-snapshots``), for the guide, the README and
for looking at what a clerk sees on a 1366×768 laptop.

``SNAPSHOTS`` is the list: a file name that says what it shows, a Vietnamese caption, and how to open
it from the main window (a function that returns the widget to photograph). Add a screen by adding
an entry; ``take_snapshots`` opens each one, waits for it to paint, saves ``<name>.png`` and closes
what it opened. The window works on a copy of the demo database, never on the user's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from core.errors import Refused

if TYPE_CHECKING:
    from gui.main_window import MainWindow


@dataclass(frozen=True)
class Snapshot:
    name: str  # the PNG's file name without .png: what it shows
    caption: str  # the same in Vietnamese, for the index and the guide
    open: Callable[[MainWindow], QWidget]  # shows the screen; returns the widget to photograph


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _wait(done: Callable[[], bool], seconds: float = 20) -> None:
    """Let background work finish (reading a file) before the picture is taken."""
    import time

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _page(window: MainWindow, page_type: str, tab: int | None = None) -> QWidget:
    page = window.page_of(page_type)
    window.show_page(page)
    tabs = getattr(page, "tabs", None)
    if tab is not None and tabs is not None:
        tabs.setCurrentIndex(tab)
    return window


def _select_unit(window: MainWindow, code: str) -> None:
    from core.org.units import get_unit

    with window.db.session() as s:
        unit_id = get_unit(s, code).id
    window.unit_combo.setCurrentIndex(window.unit_combo.findData(unit_id))


def _select_period(window: MainWindow, code: str) -> None:
    window.period_combo.setCurrentIndex(window.period_combo.findData(code))


def _charts(window: MainWindow, period: str = "2021-H1") -> QWidget:
    from gui.chart_view import ChartsDialog

    _select_period(window, period)
    dialog = ChartsDialog(window.db, window.unit_combo.currentData(), period, window)
    dialog.show()
    return dialog


def _return_page(window: MainWindow, tab: int = 0, period: str = "2021-H1") -> QWidget:
    _select_period(window, period)
    page = _page(window, "ReturnsPage")
    window.page_of("ReturnsPage").editor.tabs.setCurrentIndex(tab)
    return page


def _task_detail(window: MainWindow) -> QWidget:
    _select_period(window, "2021-H1")
    plans = window.page_of("PlansPage")
    _page(window, "PlansPage", 1)
    task_id = next(r.id for r in plans._all_rows if r.status.startswith("done") and r.evidence_count)
    return plans.open_task(task_id)


def _evidence(window: MainWindow) -> QWidget:
    from gui.task_detail import EvidenceDialog

    dlg = _task_detail(window)
    dialog = EvidenceDialog(window.db, dlg.panel.task_id, dlg.panel.period_code, dlg)
    dialog.open()
    return dialog


def _plan_import(window: MainWindow) -> QWidget:
    from gui.plan_import_dialog import PlanImportDialog

    path = _demo_plan_workbook(Path(window.db.target).parent / "ke_hoach_minh_hoa.xlsx")
    dlg = PlanImportDialog(window.db, window.unit_combo.currentData(), path, window)
    dlg.open()
    _wait(lambda: dlg.preview is not None)  # the table is read in the background
    return dlg


def _demo_plan_workbook(path: Path) -> Path:
    """The demo plan's first areas as a plain table, the way a plan appendix arrives."""
    import json

    from openpyxl import Workbook

    from core.paths import resource_path

    data = json.loads(resource_path("demo", "ke_hoach_cchc_2021_gia_lai.json").read_text(encoding="utf-8"))
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021"])
    ws.append(["STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
    for area in data["areas"][:3]:
        ws.append([area["numeral"], area["title"]])
        for t in area["tasks"]:
            ws.append([t["number"], t["title"], t["output"], t["lead"], t["partners"], t["timeframe"]])
    wb.save(path)
    return path


def _audit(window: MainWindow) -> QWidget:
    _return_page(window)
    return window.page_of("ReturnsPage").editor.show_log()


def _reopen(window: MainWindow) -> QWidget:
    _return_page(window)
    return window.page_of("ReturnsPage").editor.reopen()


def _consolidation(window: MainWindow, tab: int) -> QWidget:
    _select_period(window, "2021-H1")
    return _page(window, "ConsolidationPage", tab)


def _settings(window: MainWindow, tab: str) -> QWidget:
    """The settings page on the tab titled ``tab`` (by its title: tabs are added over time)."""
    page = window.page_of("SettingsPage")
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    return _page(window, "SettingsPage", titles.index(page.tr(tab)))


def _about(window: MainWindow) -> QWidget:
    from gui.about import about_box

    box = about_box(window, window.db)
    box.open()
    return box


def _confirm_carry(window: MainWindow) -> QWidget:
    """A question Qt draws itself (Có/Không): proves Qt's own buttons are Vietnamese."""
    box = QMessageBox(QMessageBox.Icon.Question, window.tr("Xóa tài liệu kiểm chứng"),
                      window.tr("Xóa tài liệu kiểm chứng này khỏi nhiệm vụ?"),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    box.open()
    return box


def _home(window: MainWindow) -> QWidget:
    shown = _page(window, "HomePage")
    _wait(lambda: window.home_page.is_loaded)  # its summary comes from a background job
    return shown


SNAPSHOTS: list[Snapshot] = [
    Snapshot("01_trang_chu", "Trang chủ: việc của kỳ báo cáo", _home),
    Snapshot("02_ke_hoach_tong_quan", "Kế hoạch & nhiệm vụ — Tổng quan",
             lambda w: (_select_period(w, "2021-H1"), _page(w, "PlansPage", 0))[1]),
    Snapshot("03_ke_hoach_nhiem_vu", "Kế hoạch & nhiệm vụ — danh sách nhiệm vụ",
             lambda w: (_select_period(w, "2021-H1"), _page(w, "PlansPage", 1))[1]),
    Snapshot("04_chi_tiet_nhiem_vu", "Chi tiết nhiệm vụ và tiến độ", _task_detail),
    Snapshot("05_tai_lieu_kiem_chung", "Thêm tài liệu kiểm chứng", _evidence),
    Snapshot("06_nhap_ke_hoach", "Nhập kế hoạch từ Excel", _plan_import),
    Snapshot("07_bao_cao_so_lieu", "Báo cáo định kỳ — Số liệu thống kê", _return_page),
    Snapshot("08_bao_cao_noi_dung", "Báo cáo định kỳ — Nội dung báo cáo", lambda w: _return_page(w, 1)),
    Snapshot("09_bao_cao_dang_nhap", "Báo cáo đang nhập (Quý III/2021)",
             lambda w: _return_page(w, 0, "2021-Q3")),
    Snapshot("10_nhat_ky_bao_cao", "Nhật ký báo cáo", _audit),
    Snapshot("11_mo_lai_bao_cao", "Mở lại báo cáo đã hoàn thành", _reopen),
    Snapshot("12_tong_hop_nhan_bao_cao", "Tổng hợp — Tình hình nhận báo cáo", lambda w: _consolidation(w, 0)),
    Snapshot("13_tong_hop_so_lieu", "Tổng hợp — Số liệu tổng hợp", lambda w: _consolidation(w, 1)),
    Snapshot("14_cai_dat_thong_tin_bao_cao", "Cài đặt — Thông tin báo cáo của đơn vị",
             lambda w: _settings(w, "Thông tin báo cáo của đơn vị")),
    Snapshot("15_cai_dat_chu_ky_so", "Cài đặt — Chữ ký số", lambda w: _settings(w, "Chữ ký số")),
    Snapshot("16_cai_dat_sao_luu", "Cài đặt — Cơ sở dữ liệu và sao lưu",
             lambda w: _settings(w, "Cơ sở dữ liệu và sao lưu")),
    Snapshot("17_cai_dat_don_vi", "Cài đặt — Đơn vị (cây đơn vị, sáp nhập)", lambda w: _settings(w, "Đơn vị")),
    Snapshot("18_sap_nhap_don_vi", "Sáp nhập đơn vị", lambda w: (_settings(w, "Đơn vị"),
                                                                   w.settings_page.unit_settings.merge())[1]),
    Snapshot("19_huong_dan_su_dung", "Trợ giúp — Hướng dẫn sử dụng (F1 trên màn hình Báo cáo định kỳ)",
             lambda w: (_return_page(w), w.show_guide())[1]),
    Snapshot("20_gioi_thieu", "Trợ giúp — Giới thiệu", _about),
    Snapshot("21_hoi_xac_nhan", "Hộp hỏi xác nhận (nút Có/Không)", _confirm_carry),
    Snapshot("22_chi_so_cchc", "Chỉ số CCHC — tự chấm điểm", lambda w: _page(w, "IndexPage")),
    Snapshot("23_bieu_do", "Xem — Biểu đồ (nhiệm vụ theo lĩnh vực)", lambda w: _charts(w)),
]


def take_snapshots(window: MainWindow, out: Path, entries: list[Snapshot] | None = None) -> list[Path]:
    """Open each entry, save ``out/<name>.png`` and close the dialogs it opened; the saved files in order."""
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for entry in entries if entries is not None else SNAPSHOTS:
        before = set(QApplication.topLevelWidgets())
        widget = entry.open(window)
        _settle()
        target = out / f"{entry.name}.png"
        widget.grab().save(str(target))
        saved.append(target)
        for top in QApplication.topLevelWidgets():  # close what this entry opened, newest first
            if top not in before and top.isVisible() and isinstance(top, QDialog):
                top.done(0) if not isinstance(top, QMessageBox) else top.close()
                top.hide()
        _settle()
    return saved


TASKBAR_HEIGHT = 40  # Windows' taskbar at 100 %: a 1366×768 screen leaves 1366×728 for windows


def run_snapshots(out: Path, size: tuple[int, int] = (1366, 768), scale: float = 1.0) -> list[Path]:
    """Offscreen, on a screen of ``size`` less the taskbar at ``scale``: the demo database in a temporary
    folder, the main window filling the screen, every snapshot. Run in a process of its own (Qt reads
    the screen and the scale once, when the application starts); changes no user file or setting."""
    import json
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cchc-snapshots-") as tmp:
        folder = Path(tmp)
        width, height = size
        screen = {"name": "snapshots", "x": 0, "y": 0, "width": width, "height": height - TASKBAR_HEIGHT,
                  "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        config = folder / "screen.json"
        config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
        for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):  # settings and data stay in tmp (logs do not)
            os.environ[key] = str(folder / key.lower())
        os.environ["APPDATA"] = os.environ["LOCALAPPDATA"] = str(folder / "appdata")

        from gui.app import make_application, open_for_gui

        app = make_application(["gui-snapshots"])
        from gui import preferences

        preferences.keep_in(str(folder / "qt"))
        from gui.main_window import MainWindow

        db = open_for_gui(folder / "minh_hoa.db", demo=True)
        try:
            window = MainWindow(db)
            window.show()
            _settle()
            saved = take_snapshots(window, out)
            window.close()
            app.processEvents()
        finally:
            db.close()
    return saved


def snapshot_command(args) -> int:  # noqa: ANN001 - argparse.Namespace from cli.gui_commands
    """``main.py gui-snapshots --out DIR [--size 1366x768] [--scale 1.25]``."""
    import json

    if QApplication.instance() is not None:  # the screen size and scale are fixed when Qt starts
        raise Refused("Lệnh gui-snapshots phải chạy trong một tiến trình riêng (python main.py gui-snapshots).")
    out = Path(args.out).expanduser()
    saved = run_snapshots(out, args.size, args.scale)
    if getattr(args, "json", False):
        print(json.dumps({"ok": True, "out": str(out), "files": [p.name for p in saved]}, ensure_ascii=False))
    else:
        print(f"Đã lưu {len(saved)} ảnh vào {out}:\n" + "\n".join(f"  {p.name}" for p in saved))
    return 0
