"""``main.py export``: files under the conventional names, the content hash in JSON, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import run
from core.reports.workbook_reader import read_return_workbook


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
    code, out, _ = _run(capsys, "export", "--allow-empty-sections", "--db", db, "--unit", "MH", "--period", "2021-H1", "--json")
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
    code, out, _ = _run(capsys, "export", "--allow-empty-sections", "--db", db, "--unit", "MH", "--period", "2021-H1", "--xlsx", str(target))
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
    code, out, _ = _run(capsys, "export", "--allow-empty-sections", "--db", db, "--unit", unit, "--period", period, "--json")
    assert code == 1
    payload = json.loads(out)
    assert payload["ok"] is False and message in payload["error"]
    assert not list(tmp_path.glob("BaoCao*"))
