"""gui.jobs: the one way to run long work. Work runs off the GUI thread, its callbacks on it; a refusal
is shown as its Vietnamese message; a defect goes to the crash log and the crash dialog; a cancelled
consolidation writes nothing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from core.app import crash_log as core_crash_log
from core.errors import Refused
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.jobs import Cancelled
from gui import crash_log
from gui.jobs import Job, running_jobs
from tests.conftest import dump_tables
from tests.gui.test_gui_consolidation import Q2, _files, page, settings_dir  # noqa: F401
from tests.helpers.consolidation_helpers import accept_all

WAIT = 20_000


@pytest.fixture
def parent(qtbot, qapp):  # noqa: ANN001, ANN201
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def test_work_runs_off_the_gui_thread_and_its_callbacks_on_it(qtbot, parent) -> None:  # noqa: ANN001
    seen: dict[str, object] = {}

    def work(progress):  # noqa: ANN001, ANN202
        seen["work"] = threading.current_thread()
        progress(1, 2, "Bước một")
        return 42

    def success(result: int) -> None:
        seen["success"] = threading.current_thread()
        seen["result"] = result

    order: list[str] = []
    job = Job(parent, work, success).on_finish(lambda: order.append("finish"))
    job.succeeded.connect(lambda _r: order.append("succeeded"))
    steps: list[tuple] = []
    job.progressed.connect(lambda *a: steps.append(a))
    job.run_in_background()
    qtbot.waitUntil(lambda: "result" in seen and running_jobs() == 0, timeout=WAIT)
    assert seen["work"] is not threading.main_thread() and seen["success"] is threading.main_thread()
    assert seen["result"] == 42 and steps == [(1, 2, "Bước một")] and order == ["finish", "succeeded"]


def test_a_refusal_is_shown_as_its_vietnamese_message(qtbot, parent, monkeypatch) -> None:  # noqa: ANN001
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, title, text: shown.append((title, text)))
    crashed: list[str] = []
    monkeypatch.setattr(crash_log, "show_crash_dialog", crashed.append)

    def work(progress):  # noqa: ANN001, ANN202
        raise Refused("Chưa có báo cáo nào được chấp nhận để tổng hợp kỳ Quý II/2021.")

    Job(parent, work).failure(title="Chưa tổng hợp được").run_in_background()
    qtbot.waitUntil(lambda: bool(shown) and running_jobs() == 0, timeout=WAIT)
    assert shown == [("Chưa tổng hợp được", "Chưa có báo cáo nào được chấp nhận để tổng hợp kỳ Quý II/2021.")]
    assert crashed == []


def test_a_refusal_can_be_handled_by_the_screen(qtbot, parent, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: pytest.fail("no message box when handled"))
    got: list[str] = []

    def work(progress):  # noqa: ANN001, ANN202
        raise Refused("Tệp không phải bảng tính Excel.")

    Job(parent, work).failure(lambda exc: got.append(str(exc))).run_in_background()
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT)
    assert got == ["Tệp không phải bảng tính Excel."]


def test_a_defect_goes_to_the_crash_log_and_the_crash_dialog(qtbot, parent, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setattr(core_crash_log.appdata, "log_dir", lambda db_path=None: tmp_path / "logs")
    crashed: list[str] = []
    monkeypatch.setattr(crash_log, "show_crash_dialog", crashed.append)
    warned: list[object] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a))
    handled: list[object] = []
    crash_log.install()
    try:
        def work(progress):  # noqa: ANN001, ANN202
            return {}["không có"]  # a bug: KeyError

        # A screen's failure handler is for refusals only: a defect never reaches it.
        Job(parent, work).failure(handled.append).run_in_background()
        qtbot.waitUntil(lambda: bool(crashed) and running_jobs() == 0, timeout=WAIT)
    finally:
        crash_log.uninstall()
    assert handled == [] and warned == []
    assert "Chương trình gặp một lỗi không lường trước" in crashed[0] and "KeyError" not in crashed[0]
    text = (tmp_path / "logs" / crash_log.LOG_FILENAME).read_text(encoding="utf-8")
    assert "KeyError" in text and "Traceback" in text


def test_cancel_before_the_first_progress_call(qtbot, parent) -> None:  # noqa: ANN001
    started, release = threading.Event(), threading.Event()
    ends: list[str] = []

    def work(progress):  # noqa: ANN001, ANN202
        started.set()
        release.wait(WAIT / 1000)
        progress(1, 1)
        ends.append("not reached")

    job = Job(parent, work, lambda r: ends.append("success")).on_cancel(lambda: ends.append("cancelled"))
    job.with_progress("Đang làm…", show_after_ms=0).run_in_background()
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    job.dialog.canceled.emit()  # "Hủy"
    release.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    assert ends == ["cancelled"] and job.dialog is None


def test_cancelling_a_consolidation_writes_nothing(page, province, qtbot, monkeypatch) -> None:  # noqa: ANN001, F811
    """"Hủy" in the consolidation's progress dialog halfway through the indicators: nothing written."""
    import core.intake.consolidation as consolidation

    files = _files(province)
    import_returns(province.office, "MH", [files["on_time"], files["late"]], ImportPolicy(period_code=Q2))
    accept_all(province.office, "MH", Q2)
    page.refresh()
    before = dump_tables(province.office)
    halfway, release = threading.Event(), threading.Event()
    real_report = consolidation.report

    def report(progress, done, total, label=""):  # noqa: ANN001, ANN202
        if total > 1 and done == total // 2:  # halfway through the indicators
            halfway.set()
            release.wait(WAIT / 1000)
        real_report(progress, done, total, label)

    monkeypatch.setattr(consolidation, "report", report)
    page.consolidate_action.trigger()
    qtbot.waitUntil(halfway.is_set, timeout=WAIT)
    job = page._runner
    assert job is not None and not page.consolidate_action.isEnabled()
    label = "Đang tổng hợp số liệu…\nĐang tổng hợp 2 báo cáo…"
    # Shown once the work lasts 200 ms, with what the work said last.
    qtbot.waitUntil(lambda: job.dialog.isVisible() and job.dialog.labelText() == label, timeout=WAIT)
    assert job.dialog.windowTitle() == "Tổng hợp" and 0 < job.dialog.value() < job.dialog.maximum()
    keep = os.environ.get("CCHC_SCREENSHOTS")
    if keep:
        job.dialog.grab().save(str(Path(keep) / "consolidation_progress.png"))
        page.window().grab().save(str(Path(keep) / "consolidation_progress_page.png"))
    job.dialog.canceled.emit()
    release.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    assert getattr(page, "last_result", None) is None and page.consolidate_action.isEnabled()
    assert dump_tables(province.office) == before


def test_cancelled_is_what_progress_raises_after_cancel(qtbot, parent) -> None:  # noqa: ANN001
    raised: list[str] = []
    gate = threading.Event()

    def work(progress):  # noqa: ANN001, ANN202
        gate.wait(WAIT / 1000)
        try:
            progress(0, 1)
        except Cancelled:
            raised.append("Cancelled")
            raise

    job = Job(parent, work).run_in_background()
    job.cancel()
    gate.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    assert raised == ["Cancelled"]
