"""``main.py export``: files under the conventional names, the content hash in JSON, clear refusals."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cli import run
from core.reports.workbook_reader import read_return_workbook

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_both_by_default_into_the_current_folder(demo_db, tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    monkeypatch.chdir(out_dir)
    db = demo_db.target
    demo_db.close()
    code, out, _ = _run(capsys, *EXPORT, "--db", db, "--unit", "MH", "--period", "2021-H1", "--json")
    assert code == 0
    payload = json.loads(out)
    names = sorted(Path(f).name for f in payload["files"])
    assert names == ["BaoCao_CCHC_MH_6_tháng_đầu_năm_2021.pdf", "BaoCao_CCHC_MH_6_tháng_đầu_năm_2021.xlsx"]
    assert all(Path(f).parent == out_dir and Path(f).is_file() for f in payload["files"])
    xlsx = next(Path(f) for f in payload["files"] if f.endswith(".xlsx"))
    assert payload["content_sha256"] == read_return_workbook(xlsx).content_sha256
    assert payload["unit"] == "MH" and payload["period"] == "2021-H1"


def test_export_only_the_file_asked_for(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    target = tmp_path / "bản gửi sở.xlsx"
    code, out, _ = _run(capsys, *EXPORT, "--db", db, "--unit", "MH", "--period", "2021-H1", "--xlsx", str(target))
    assert code == 0
    assert target.is_file() and not list(tmp_path.glob("*.pdf"))
    assert "Mã kiểm tra nội dung (SHA-256):" in out and str(target.name) in out


@pytest.mark.parametrize(
    ("unit", "period", "message"),
    [
        ("XX", "2021-H1", "Không có đơn vị mã “XX”"),
        ("MH", "2022-Q1", "chưa lập báo cáo kỳ Quý I/2022"),
        ("MH", "2022-Q5", "Mã kỳ báo cáo “2022-Q5” không hợp lệ"),
    ],
)
def test_refusals_are_clear(demo_db, tmp_path: Path, monkeypatch, capsys, unit: str, period: str,  # noqa: ANN001
                            message: str) -> None:
    monkeypatch.chdir(tmp_path)
    db = demo_db.target
    demo_db.close()
    code, out, _ = _run(capsys, *EXPORT, "--db", db, "--unit", unit, "--period", period, "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["ok"] is False and message in payload["error"]
    assert not list(tmp_path.glob("BaoCao*"))


def test_empty_narrative_sections_are_named_and_need_the_flag(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    pdf = tmp_path / "bc.pdf"
    code, out, err = _run(capsys, "export", "--db", db, "--unit", "MH", "--period", "2021-H1", "--pdf", str(pdf))
    assert code == 1 and not pdf.exists()
    message = out + err
    assert "phần thuyết minh còn trống: I.4 (4. Về công tác tuyên truyền CCHC), III (III. Đánh giá chung)" in message
    assert "IV (IV. Phương hướng" in message and "V (V. Đề xuất, kiến nghị)" in message
    assert "--allow-empty-sections" in message
    # The workbook alone has no narrative: no flag needed.
    assert _run(capsys, "export", "--db", db, "--unit", "MH", "--period", "2021-H1", "--xlsx",
                str(tmp_path / "bc.xlsx"))[0] == 0
    code, out, _ = _run(capsys, *EXPORT, "--db", db, "--unit", "MH", "--period", "2021-H1", "--pdf", str(pdf),
                        "--json")
    assert code == 0 and pdf.exists()
    assert json.loads(out)["empty_sections"] == ["I.4", "III", "IV", "V"]


def test_a_submitted_returns_report_needs_the_signers_name(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = demo_db.target
    demo_db.close()
    assert _run(capsys, "settings", "--db", db, "--unit", "MH", "--set", "report.signer_name=")[0] == 0
    # The demo's return was frozen with its signer; reopened and submitted again, it has none.
    assert _run(capsys, "reopen", "--db", db, "--unit", "MH", "--period", "2021-H1", "--reason", "sửa người ký")[0] == 0
    assert _run(capsys, "submit", "--db", db, "--unit", "MH", "--period", "2021-H1")[0] == 0
    pdf = tmp_path / "bc.pdf"
    code, out, err = _run(capsys, *EXPORT, "--db", db, "--unit", "MH", "--period", "2021-H1", "--pdf", str(pdf))
    assert code == 1 and not pdf.exists()
    assert "chưa có họ tên người ký" in out + err
    assert _run(capsys, "settings", "--db", db, "--unit", "MH", "--set", "report.signer_name=Nguyễn Văn Ký")[0] == 0
    assert _run(capsys, "reopen", "--db", db, "--unit", "MH", "--period", "2021-H1", "--reason", "ghi người ký")[0] == 0
    assert _run(capsys, "submit", "--db", db, "--unit", "MH", "--period", "2021-H1")[0] == 0
    assert _run(capsys, *EXPORT, "--db", db, "--unit", "MH", "--period", "2021-H1", "--pdf", str(pdf))[0] == 0
    assert "Nguyễn Văn Ký" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
