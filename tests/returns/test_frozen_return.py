"""A submitted return is a frozen snapshot (issue 11, item 1), driven through ``main.py`` as a clerk's quarter.

The demo province's Quý III/2021 return: the seed report's figures typed in, two sections of the
narrative written by hand, the report's number, date and signer set, submitted, exported. Then the
settings change (cut-off day, signer, number, Kính gửi, the rounding rule) and the export is run again:
the PDF text and the data sheet's SHA-256 are the same. Reopened, the return takes the new settings
up; a hand-written section the figures moved under is named and must be confirmed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

import core.returns.report_model as export_model
import main
from core.reports.workbook_reader import read_return_workbook
from core.returns.entry import find_unit_return
from core.returns.narrative import set_section_text
from db.engine import open_database
from db.models import AuditEntry, ReturnSnapshot
from tests.conftest import dump_tables
from tests.helpers.returns_helpers import seed_rows, write_csv

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")

Q3 = "2021-Q3"
I3_WRITTEN = ("Thực hiện Kế hoạch kiểm tra năm 2021, đã kiểm tra 07 cơ quan, đơn vị; qua kiểm tra phát hiện "
              "13 vấn đề và đã xử lý xong 13/13 vấn đề (đạt 100%).")
V_WRITTEN = "Đề nghị Bộ Nội vụ sớm ban hành hướng dẫn xác định Chỉ số CCHC năm 2021."


def cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out, err = capsys.readouterr()
    return rc, json.loads(out or err)


def pdf_text(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext (poppler-utils) is required for this test")
    return subprocess.run([exe, "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def dbp(demo_db_file: Path, tmp_path: Path) -> str:
    target = tmp_path / "tinh.db"
    shutil.copy2(demo_db_file, target)
    return str(target)


def _write_section(dbp: str, key: str, text: str) -> None:
    """What the narrative tab does when the clerk types into a section (the GUI test drives the tab itself)."""
    db = open_database(dbp)
    try:
        with db.transaction() as s:
            assert set_section_text(s, find_unit_return(s, "MH", Q3), key, text, user="nva")
    finally:
        db.close()


def _export(capsys, dbp: str, folder: Path, name: str, *extra: str) -> tuple[int, dict]:  # noqa: ANN001
    return cli(capsys, *EXPORT, "--db", dbp, "--unit", "MH", "--period", Q3,
               "--xlsx", str(folder / f"{name}.xlsx"), "--pdf", str(folder / f"{name}.pdf"), *extra)


def test_a_clerks_quarter_submitted_return_never_changes_with_settings(capsys, dbp, tmp_path):  # noqa: ANN001
    target = ["--db", dbp, "--unit", "MH", "--period", Q3]
    # Enter the figures (the seed report's) and two sections of the narrative.
    values = write_csv(tmp_path / "so_lieu.csv", seed_rows())
    rc, out = cli(capsys, "set-values", *target, "--from", str(values))
    assert rc == 0, out
    rc, out = cli(capsys, "narrative", *target)  # the drafts as the tab shows them
    drafted = {s["key"]: s for s in out["sections"]}
    # 1.2.3 = 13, 1.2.4 = 13: "13 vấn đề, đã xử lý xong 13/13 vấn đề (đạt 100%)".
    assert drafted["I.3"]["draft_text"].endswith("Qua kiểm tra, phát hiện 13 vấn đề, đã xử lý xong 13/13 vấn đề "
                                                 "(đạt 100%).")
    _write_section(dbp, "I.3", I3_WRITTEN)
    _write_section(dbp, "V", V_WRITTEN)
    assert cli(capsys, "settings", "--db", dbp, "--unit", "MH", "--set", "report.document_number=105/BC-UBND",
               "--set", "report.issue_date=20/09/2021", "--set", "report.signer_name=Đỗ Tiến Đông")[0] == 0

    rc, out = cli(capsys, "submit", *target)
    assert rc == 0 and out["return"]["status_label"] == "Đã hoàn thành" and out["blank"] == []
    frozen_sha = out["snapshot"]["content_sha256"]
    rc, first = _export(capsys, dbp, tmp_path, "lan1")
    assert rc == 0 and first["content_sha256"] == frozen_sha and first["frozen"] is True
    text1 = pdf_text(tmp_path / "lan1.pdf")
    book1 = read_return_workbook(tmp_path / "lan1.xlsx")
    # What was set when it was submitted: Q3 runs from 15/6 to the 14th of September (the default cut-off).
    # Rates rounded half up, the unit's rule then: 11/38 = 28,947…% → 28,95%; 19/39 = 48,717…% → 48,72%.
    for expected in ("Số: 105/BC-UBND", "Đỗ Tiến Đông", "Báo cáo số 105/BC-UBND ngày 20/09/2021", I3_WRITTEN,
                     V_WRITTEN, "Từ ngày 15/6/2021 đến ngày 14/9/2021",
                     "đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,95%)",
                     "đã xử lý xong 19/39 văn bản (đạt 48,72%)"):
        assert expected in flat(text1), expected

    # The settings change afterwards: cut-off day 10, another signer, number and addressee, truncated rates
    # (the unit's real setting, as Cài đặt → "Làm tròn tỉ lệ phần trăm" writes it).
    assert cli(capsys, "settings", "--db", dbp, "--unit", "MH", "--set", "period.cutoff_day=10",
               "--set", "report.signer_name=Nguyễn Văn Mới", "--set", "report.document_number=200/BC-UBND",
               "--set", "report.recipients=Văn phòng Chính phủ", "--set", "report.rounding=truncate")[0] == 0
    rc, again = _export(capsys, dbp, tmp_path, "lan2")
    assert rc == 0
    assert pdf_text(tmp_path / "lan2.pdf") == text1  # the same words, line for line
    book2 = read_return_workbook(tmp_path / "lan2.xlsx")
    assert again["content_sha256"] == first["content_sha256"] == book2.content_sha256 == book1.content_sha256
    assert book2.content == book1.content and book2.hash_ok
    assert book2.values == book1.values

    # Reopened (with a reason): the return takes up the settings of now, and says what differs.
    rc, out = cli(capsys, "reopen", *target, "--reason", "Sở Nội vụ đề nghị cập nhật người ký")
    assert rc == 0
    assert "Người ký: “Đỗ Tiến Đông” → “Nguyễn Văn Mới”" in out["changes"]
    assert "Số, ký hiệu văn bản: “105/BC-UBND” → “200/BC-UBND”" in out["changes"]
    # Cut-off day 10: the window runs from 11/6 to 10/9/2021.
    assert "Kỳ số liệu: Từ ngày 15/6/2021 đến ngày 14/9/2021 → Từ ngày 11/6/2021 đến ngày 10/9/2021" in out["changes"]
    assert "Quy tắc tỷ lệ phần trăm: làm tròn → cắt bớt" in out["changes"]
    rc, reopened = _export(capsys, dbp, tmp_path, "lan3")
    assert rc == 0 and reopened["frozen"] is False and reopened["content_sha256"] != first["content_sha256"]
    text3 = flat(pdf_text(tmp_path / "lan3.pdf"))
    # Truncated now: 28,947…% → 28,94%; 48,717…% → 48,71%.
    for expected in ("Số: 200/BC-UBND", "Nguyễn Văn Mới", "Kính gửi: Văn phòng Chính phủ",
                     "Từ ngày 11/6/2021 đến ngày 10/9/2021",
                     "đã hoàn thành 11/38 nhiệm vụ trong Kế hoạch CCHC (đạt 28,94%)",
                     "đã xử lý xong 19/39 văn bản (đạt 48,71%)"):
        assert expected in text3, expected
    assert "Đỗ Tiến Đông" not in text3 and "105/BC-UBND" not in text3

    # The figures move under the hand-written I.3: 12 of 13 problems dealt with now.
    fixed = write_csv(tmp_path / "sua.csv", [("1.2.4", "12", "")])
    assert cli(capsys, "set-values", *target, "--from", str(fixed))[0] == 0
    rc, out = cli(capsys, "narrative", *target)
    stale = [s["key"] for s in out["sections"] if s["stale"]]
    assert stale == ["I.3"]  # V restates no figure: never stale
    before = dump_tables(Path(dbp))
    rc, out = _export(capsys, dbp, tmp_path, "lan4")
    assert rc == 1 and out["stale"] == [{"key": "I.3", "title": "3. Về kiểm tra CCHC"}]
    assert "3. Về kiểm tra CCHC" in out["error"] and "--confirm-stale" in out["error"]
    assert not (tmp_path / "lan4.pdf").exists() and not (tmp_path / "lan4.xlsx").exists()
    rc, out = cli(capsys, "submit", *target)
    assert rc == 1 and [s["key"] for s in out["stale"]] == ["I.3"] and "3. Về kiểm tra CCHC" in out["error"]
    assert dump_tables(Path(dbp)) == before  # a refusal changes nothing
    assert _export(capsys, dbp, tmp_path, "lan4", "--confirm-stale")[0] == 0
    rc, out = cli(capsys, "submit", *target, "--confirm-stale")
    assert rc == 0
    rc, out = _export(capsys, dbp, tmp_path, "lan5")  # frozen again: confirmed once, not asked again
    assert rc == 0 and out["frozen"] is True
    assert I3_WRITTEN in flat(pdf_text(tmp_path / "lan5.pdf"))

    # History: each submit left a snapshot; the first is released with who, when and why.
    db = open_database(dbp, write=False)
    try:
        with db.session() as s:
            ret = find_unit_return(s, "MH", Q3)
            shots = s.scalars(select(ReturnSnapshot).where(ReturnSnapshot.return_id == ret.id)
                              .order_by(ReturnSnapshot.id)).all()
            assert [(x.occasion, x.released_at is None) for x in shots] == [("submit", False), ("submit", True)]
            assert shots[0].release_reason == "Sở Nội vụ đề nghị cập nhật người ký"
            assert shots[0].content_sha256 == frozen_sha
    finally:
        db.close()


def test_the_snapshot_rebuilds_the_same_report(demo_db) -> None:
    """Everything the report shows survives the round trip: values (a KPS among them), tasks with evidence,
    plans, header, window, sections and how they came about."""
    from core.returns.entry import apply_edits
    from core.returns.report_collect import live_export
    from core.returns.report_model import ReturnExport
    from core.returns.workflow import reopen_return

    with demo_db.transaction() as s:
        ret = find_unit_return(s, "MH", "2021-H1")
        reopen_return(s, ret.id, "thử")
        assert apply_edits(s, ret.id, [("3.4.5.c", "KPS")]).applied
        set_section_text(s, ret, "V", V_WRITTEN)
        data = live_export(s, ret)
    again = ReturnExport.from_snapshot(json.loads(export_model.canonical_json(data.snapshot())))
    assert again.frozen and not data.frozen
    assert again == type(data)(**{**data.__dict__, "frozen": True})
    assert again.content_sha256() == data.content_sha256()
    assert again.value_rows[[r.code for r in again.value_rows].index("3.4.5.c")].value == "Không phát sinh"
    assert any(t.evidence for t in again.tasks) and again.window_start is not None and again.rounding == "half_up"


def test_a_return_submitted_before_the_upgrade_is_frozen_on_first_use(capsys, dbp, tmp_path) -> None:  # noqa: ANN001
    """What migration 0009 says: a return submitted earlier has no snapshot; the first export takes it
    (with an audit entry) and from then on settings no longer move it."""
    db = open_database(dbp)
    with db.transaction() as s:  # as a database from before 0009: the demo's H1 return without its snapshot
        s.query(ReturnSnapshot).delete()
        s.query(AuditEntry).filter(AuditEntry.action == "freeze").delete()
    db.close()
    target = ["--db", dbp, "--unit", "MH", "--period", "2021-H1"]
    rc, first = cli(capsys, *EXPORT, *target, "--pdf", str(tmp_path / "a.pdf"), "--xlsx", str(tmp_path / "a.xlsx"))
    assert rc == 0 and first["frozen"] is True
    db = open_database(dbp, write=False)
    with db.session() as s:
        shots = s.scalars(select(ReturnSnapshot)).all()
        assert [x.occasion for x in shots] == ["upgrade"]
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "freeze")) == 1
    db.close()
    assert cli(capsys, "settings", "--db", dbp, "--unit", "MH", "--set", "report.signer_name=Lê Văn C",
               "--set", "period.cutoff_day=12")[0] == 0
    rc, second = cli(capsys, *EXPORT, *target, "--pdf", str(tmp_path / "b.pdf"), "--xlsx", str(tmp_path / "b.xlsx"))
    assert rc == 0 and second["content_sha256"] == first["content_sha256"]
    assert pdf_text(tmp_path / "b.pdf") == pdf_text(tmp_path / "a.pdf")


def test_received_returns_are_not_frozen(demo_db) -> None:
    """A return imported from a unit below is that unit's data: it has no snapshot of this office's."""
    from core.returns.snapshots import ensure_frozen, freezable

    with demo_db.transaction() as s:
        ret = find_unit_return(s, "MH", "2021-H1")
        ret.origin = "imported"
        assert not freezable(ret) and ensure_frozen(s, ret) is None
