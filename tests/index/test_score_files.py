"""Receiving score workbooks: a damaged file, a unit that is not below the receiving unit — each rejected with its
Vietnamese reason, one outcome per file, nothing stored for them; a draft received as a draft; a newer
export replaces the older and keeps the appraisal already typed."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

import main
from core.index.appraisal import appraise
from core.index.scoring import assessment_for, criteria_of, set_score
from db.engine import open_database
from db.models import IndexAssessment, IndexScore, Unit
from tests.helpers.index_helpers import make_index_db


def run(capsys, db: Path, *args: str) -> dict:
    rc = main.main(["index", *args, "--db", str(db), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0, out
    return out


def scored(db_path: Path, unit: str, points_11: str = "1") -> None:
    db = open_database(db_path)
    with db.transaction() as s:
        a = assessment_for(s, unit, 2025)
        for c in criteria_of(s, a):
            if c.is_leaf and c.depth and c.kind == "self":
                set_score(s, a, c.code, points_11 if c.code == "1.1" else c.max_centi / 100, note="Chậm")
    db.close()


def test_bad_score_files_are_rejected_one_by_one_and_store_nothing(capsys, tmp_path: Path, tables: Path) -> None:
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    make_index_db(a_db, tables / "chiso_xa_2025.xlsx").close()
    db = make_index_db(b_db)
    with db.transaction() as s:  # on B, H.X3 belongs to another district
        s.add(Unit(code="K", name="UBND huyện Khác", level="huyen"))
        s.flush()
        s.scalar(select(Unit).where(Unit.code == "H.X3")).parent_id = s.scalar(select(Unit.id).where(Unit.code == "K"))
    db.close()
    files = tmp_path / "nhan"
    files.mkdir()
    scored(a_db, "H.X1")
    run(capsys, a_db, "export", "--unit", "H.X1", "--year", "2025", "--xlsx", str(files / "nhap.xlsx"))  # a draft
    for unit in ("H.X2", "H.X3"):
        scored(a_db, unit)
        run(capsys, a_db, "submit", "--unit", unit, "--year", "2025")
        run(capsys, a_db, "export", "--unit", unit, "--year", "2025", "--xlsx", str(files / f"{unit}.xlsx"))
    (files / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    out = run(capsys, b_db, "import-scores", "--unit", "H", str(files))
    got = {f["file"]: (f["outcome"], f["reason"]) for f in out["files"]}
    assert got["H.X2.xlsx"][0] == "imported"
    # a draft sent up is received as a draft, and said so
    assert got["nhap.xlsx"][0] == "imported" and "bảng điểm chưa nộp (bản đang chấm)" in got["nhap.xlsx"][1]
    assert got["H.X3.xlsx"] == ("rejected", "UBND xã Ân Phú 3 không trực thuộc UBND huyện Đồi Thông.")
    assert got["hong.xlsx"][0] == "rejected" and "hỏng" in got["hong.xlsx"][1]
    db = open_database(b_db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IndexAssessment)) == 2  # H.X1 (draft) and H.X2
    db.close()

    # a newer export of H.X2 (1.1 now 0,5) replaces the first one and keeps the appraisal typed meanwhile
    db = open_database(b_db)
    with db.transaction() as s:
        appraise(s, "H.X2", 2025, "27.1", "4", "Điều tra xã hội học")
    db.close()
    run(capsys, a_db, "reopen", "--unit", "H.X2", "--year", "2025", "--reason", "Sửa điểm 1.1")
    run(capsys, a_db, "score", "--unit", "H.X2", "--year", "2025", "--criterion", "1.1", "--points", "0,5", "--note",
        "Ban hành chậm")
    run(capsys, a_db, "submit", "--unit", "H.X2", "--year", "2025")
    newer = tmp_path / "H.X2 lần 2.xlsx"
    run(capsys, a_db, "export", "--unit", "H.X2", "--year", "2025", "--xlsx", str(newer))
    out = run(capsys, b_db, "import-scores", "--unit", "H", str(newer), str(files / "H.X2.xlsx"))
    assert [(f["file"], f["outcome"]) for f in out["files"]] == [("H.X2 lần 2.xlsx", "replaced"),
                                                                ("H.X2.xlsx", "skipped")]
    shown = run(capsys, b_db, "show", "--unit", "H.X2", "--year", "2025")
    rows = {r["code"]: r for r in shown["rows"]}
    assert (rows["1.1"]["self"], rows["27.1"]["appraised"]) == ("0,5", "4")
    db = open_database(b_db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IndexScore).where(IndexScore.appraised_centi == 400)) == 1
    db.close()


def test_a_signed_score_workbook_is_checked_against_the_trusted_certificates(capsys, tmp_path: Path, tables: Path,
                                                                             monkeypatch) -> None:
    from tests.helpers.pki_helpers import PIN, make_pki

    pki = make_pki(tmp_path / "pki")
    monkeypatch.setenv("CCHC_SIGN_PIN", PIN)
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    make_index_db(a_db, tables / "chiso_xa_2025.xlsx").close()
    make_index_db(b_db).close()
    scored(a_db, "H.X1")
    run(capsys, a_db, "submit", "--unit", "H.X1", "--year", "2025")
    signed, plain = tmp_path / "ky.xlsx", tmp_path / "khong_ky.xlsx"
    assert run(capsys, a_db, "export", "--unit", "H.X1", "--year", "2025", "--xlsx", str(signed), "--sign-p12",
               str(pki.signer.p12))["signed"] is True
    run(capsys, a_db, "export", "--unit", "H.X1", "--year", "2025", "--xlsx", str(plain))
    # the district requires signatures: the unsigned copy is refused, the signed one only once its CA is trusted
    assert main.main(["settings", "--unit", "H", "--set", "import.require_signature=1", "--db", str(b_db)]) == 0
    capsys.readouterr()
    out = run(capsys, b_db, "import-scores", "--unit", "H", str(plain), str(signed))
    assert [f["outcome"] for f in out["files"]] == ["rejected", "rejected"]
    assert main.main(["certs", "import", "--unit", "H", str(pki.ca_cer), "--db", str(b_db)]) == 0
    capsys.readouterr()
    out = run(capsys, b_db, "import-scores", "--unit", "H", str(signed))
    (f,) = out["files"]
    assert f["outcome"] == "imported" and "Nguyễn Thị Lan" in f["reason"]


def test_survey_points_from_a_table_all_or_nothing(capsys, tmp_path: Path, tables: Path) -> None:
    from tests.conftest import dump_tables

    dbp = tmp_path / "h.db"
    make_index_db(dbp, tables / "chiso_xa_2025.xlsx").close()
    for unit in ("H.X1", "H.X2"):
        scored(dbp, unit)
        run(capsys, dbp, "submit", "--unit", unit, "--year", "2025")
    bad = tmp_path / "dtxhh_sai.csv"
    bad.write_text("Mã đơn vị,Mã tiêu chí,Điểm\nH.X1,27.1,4\nH.X2,27.1,7\nH.X2,1.1,1\n", encoding="utf-8")
    before = dump_tables(dbp)
    rc = main.main(["index", "import-survey", "--unit", "H", "--year", "2025", str(bad), "--db", str(dbp)])
    err = capsys.readouterr().err
    assert rc == 1 and "dòng 3: Điểm thẩm định 7 của tiêu chí 27.1" in err and "phải từ 0 đến 5 điểm" in err
    assert "dòng 4: tiêu chí 1.1 không phải tiêu chí điều tra xã hội học." in err
    assert dump_tables(dbp) == before
    good = tmp_path / "dtxhh.csv"
    good.write_text("Mã đơn vị;Mã tiêu chí;Điểm\nH.X1;27.1;4,5\nH.X2;27.1;3\n", encoding="utf-8")
    assert run(capsys, dbp, "import-survey", "--unit", "H", "--year", "2025", str(good))["entered"] == 2
    ranked = run(capsys, dbp, "ranking", "--unit", "H", "--year", "2025")["groups"]["UBND xã, phường, đặc khu"]
    # once the survey is given, its whole part (30) is in the maximum, the leaves not given count 0:
    # X1: 70 + 4,5 = 74,5 of 100 → 74,5%; X2: 70 + 3 = 73 of 100 → 73%
    assert [(m["unit"], m["points"], m["max"], m["index"]) for m in ranked] == [
        ("H.X1", "74,5", "100", "74,5%"), ("H.X2", "73", "100", "73%")]


def test_receiving_reports_each_file_and_a_cancel_receives_nothing(capsys, tmp_path: Path, tables: Path) -> None:
    from core.index.appraisal import import_score_files
    from core.jobs import Cancelled
    from tests.conftest import dump_tables

    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    make_index_db(a_db, tables / "chiso_xa_2025.xlsx").close()
    make_index_db(b_db).close()
    files = tmp_path / "nhan"
    files.mkdir()
    for unit in ("H.X1", "H.X2", "H.X3"):
        scored(a_db, unit)
        run(capsys, a_db, "submit", "--unit", unit, "--year", "2025")
        run(capsys, a_db, "export", "--unit", unit, "--year", "2025", "--xlsx", str(files / f"{unit}.xlsx"))
    before = dump_tables(b_db)
    seen: list[tuple[int, int, str]] = []

    def cancel_at_third(done: int, total: int, label: str = "") -> None:
        seen.append((done, total, label))
        if done == 2:
            raise Cancelled()

    db = open_database(b_db)
    try:
        try:
            with db.transaction() as s:
                import_score_files(s, "H", [files], progress=cancel_at_third)
        except Cancelled:
            pass
        else:
            raise AssertionError("the cancel did not go through")
        assert seen == [(0, 3, "H.X1.xlsx"), (1, 3, "H.X2.xlsx"), (2, 3, "H.X3.xlsx")]
        assert dump_tables(db) == before  # two files had been read and written: rolled back
        seen.clear()
        with db.transaction() as s:
            outcomes = import_score_files(s, "H", [files], progress=lambda d, t, label="": seen.append((d, t, label)))
        assert [o.outcome for o in outcomes] == ["imported"] * 3 and seen[-1] == (3, 3, "")
    finally:
        db.close()
