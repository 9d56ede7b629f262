"""CLI: `review` (chấp nhận / trả lại) and `consolidate` counting accepted returns only.

Issue 11, case 1 (a refused file's unit is consolidated) and case 6 (a child's draft with
validation errors is consolidated with only a "Nháp" note), through ``main.py`` as a clerk runs it.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import main
from db.engine import open_database
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import Province
from tests.helpers.returns_helpers import with_kps

H1 = "2021-H1"
DISTRICT = "MH.HAB"  # UBND huyện An Bình: communes MH.HAB.XAL (An Lạc) and MH.HAB.TTAB (thị trấn An Bình)


def cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out, _ = capsys.readouterr()
    return rc, json.loads(out)


def _values_file(folder: Path, values: dict[str, object]) -> Path:
    path = folder / "so_lieu.csv"
    path.write_text("code,value,note\n" + "".join(f"{c},{v},\n" for c, v in values.items()), encoding="utf-8")
    return path


def _commune_submits(p: Province, capsys, unit: str, values: dict[str, object], *, submit: bool = True,  # noqa: ANN001
                     at: datetime = datetime(2021, 6, 18, 9, 30)) -> Path:
    """The commune types its values on its own PC, declares the return finished, and exports it.
    A return is not submitted with blank rows: the commune's other rows are answered "Không phát sinh"."""
    if submit:
        values = with_kps("xa", values)
    p.child.close()  # each command takes the database's writer lock itself
    child = ["--db", p.child.target]
    rc, _ = cli(capsys, "set-values", *child, "--unit", unit, "--period", H1, "--from",
                str(_values_file(p.folder, values)))
    assert rc in (0, 1)  # 1: a rule is broken (the values are stored, as the design says)
    if submit:
        assert cli(capsys, "submit", *child, "--unit", unit, "--period", H1)[0] == 0
    p.child = open_database(p.child.target)
    return p.export(unit, H1, at=at)


def _office(p: Province) -> list[str]:
    p.office.close()
    return ["--db", p.office.target]


def test_case_1_a_refused_file_is_never_consolidated_and_only_accepted_returns_are(province: Province,
                                                                                   capsys) -> None:  # noqa: ANN001
    # The district's PC holds the demo database, so the province's own submitted return for 6 tháng
    # đầu năm 2021 (1.1.1 = 38, from seed 004) is in the same database, as in the issue.
    commune = _commune_submits(province, capsys, "MH.HAB.XAL", {"1.1.1": 38, "1.1.2": 11})
    own = province.export("MH", H1, name="BaoCao_tinh.xlsx")  # the province's file, sent to the wrong office
    db = _office(province)
    rc, out = cli(capsys, "import-returns", *db, "--unit", DISTRICT, str(commune), str(own), "--period", H1)
    outcomes = {f["unit"]: (f["outcome"], f["reason_code"]) for f in out["files"]}
    assert outcomes == {"MH.HAB.XAL": ("imported", "imported"), "MH": ("rejected", "not_child")}

    # Worked by hand: the only return received from a unit below the district is An Lạc's (1.1.1 = 38,
    # 1.1.2 = 11). The province's file was refused, and the province's own return in this database is not
    # a return of a unit below the district: it never counts. Nothing is accepted yet, so nothing is
    # consolidated (the old code summed both: 1.1.1 = 38 + 38 = 76).
    rc, res = cli(capsys, "consolidate", *db, "--unit", DISTRICT, "--period", H1)
    got = {v["code"]: v["number"] for v in res.get("values", [])}
    assert rc == 1, f"consolidated before any review: 1.1.1 = {got.get('1.1.1')}"
    assert "Chưa có báo cáo nào được chấp nhận" in res["error"] and "chờ xem xét 1" in res["error"]

    rc, info = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1, "--accept")
    assert rc == 0 and info["state"] == "accepted" and info["state_label"] == "Đã chấp nhận"
    assert info["draft"] is False and info["validation"]["errors"] == 0

    # Accepted: An Lạc only. 1.1.1 = 38, 1.1.2 = 11, each covering 1 of the district's 2 communes.
    rc, res = cli(capsys, "consolidate", *db, "--unit", DISTRICT, "--period", H1)
    assert rc == 0
    values = {v["code"]: v for v in res["values"]}
    assert values["1.1.1"]["number"] == 38 and values["1.1.2"]["number"] == 11
    assert (values["1.1.1"]["covered"], values["1.1.1"]["expected"]) == (1, 2)
    assert res["units"] == ["UBND xã An Lạc"] and res["accepted"] == ["MH.HAB.XAL"]
    assert res["pending"] == [] and res["sent_back"] == []
    assert values["1.1.1"]["detail"] == "Cộng: 1/2 đơn vị; 1 đơn vị chưa có báo cáo"

    # The board counts the same units: the province's row needs a decision and is not "xác nhận".
    rc, board = cli(capsys, "completeness", *db, "--unit", DISTRICT, "--period", H1)
    rows = {u["unit"]: u for u in board["units"]}
    assert rows["MH"]["state"] == "decision" and rows["MH"]["received"] is False and not rows["MH"]["counted"]
    assert "đã được xác nhận" not in board["headline"]
    assert board["headline"].endswith("1 đơn vị ngoài danh sách trực thuộc gửi tệp, cần quyết định; "
                                      "đã chấp nhận 1/2 đơn vị.")
    assert board["counts"]["scope"] == 2 and board["counts"]["accepted"] == 1


def test_case_6_a_draft_with_errors_is_not_accepted_without_a_note(province: Province, capsys,  # noqa: ANN001
                                                                   tmp_path: Path) -> None:
    # An Lạc sends its return still "Nháp", with 1.1.2 (12 done) above 1.1.1 (10 planned): a rule error.
    draft = _commune_submits(province, capsys, "MH.HAB.XAL", {"1.1.1": 10, "1.1.2": 12}, submit=False)
    clean = _commune_submits(province, capsys, "MH.HAB.TTAB", {"1.1.1": 7, "1.1.2": 3})
    db = _office(province)
    assert cli(capsys, "import-returns", *db, "--unit", DISTRICT, str(draft), str(clean))[0] == 0
    rc, _ = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.TTAB", "--period", H1, "--accept")
    assert rc == 0

    # The draft is not consolidated (the old code added it with only a "Nháp" note): 1.1.1 = 7, 1.1.2 = 3.
    rc, res = cli(capsys, "consolidate", *db, "--unit", DISTRICT, "--period", H1)
    values = {v["code"]: v["number"] for v in res["values"]}
    assert rc == 0 and (values["1.1.1"], values["1.1.2"]) == (7, 3)
    assert res["pending"] == [{"unit": "MH.HAB.XAL", "unit_name": "UBND xã An Lạc"}]
    main.main(["consolidate", *db, "--unit", DISTRICT, "--period", H1])
    text = capsys.readouterr().out
    assert "Chưa tính, chờ xem xét: UBND xã An Lạc (MH.HAB.XAL)." in text

    # Looking at it: a draft with one error.
    rc, info = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1)
    assert rc == 0 and info["state"] == "pending" and info["draft"] and info["needs_note"]
    assert [p["codes"] for p in info["validation"]["problems"] if p["severity"] == "error"] == [["1.1.2", "1.1.1"]]

    # Accepting it without a note is refused, in Vietnamese, and changes nothing.
    before = dump_tables(province.office.target)
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1, "--accept")
    assert rc == 1 and not out["ok"]
    assert out["error"].startswith("Báo cáo 6 tháng đầu năm 2021 của UBND xã An Lạc là bản Nháp và có 1 lỗi "
                                   "(Chỉ tiêu 1.1.2 (12) lớn hơn chỉ tiêu 1.1.1 (10). Số nhiệm vụ đã hoàn thành "
                                   "không được lớn hơn số nhiệm vụ đề ra trong kế hoạch): ")
    assert "chỉ chấp nhận được khi ghi chú lý do chấp nhận" in out["error"]
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1,
                  "--send-back", "   ")
    assert rc == 1 and out["error"] == "Cần ghi lý do trả lại báo cáo để đơn vị biết phải sửa gì."
    assert dump_tables(province.office.target) == before

    # Sent back, with the note to send down saved as .txt.
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1,
                  "--send-back", "Số nhiệm vụ hoàn thành lớn hơn số nhiệm vụ đề ra", "--save-note", str(tmp_path))
    assert rc == 0 and out["state"] == "sent_back"
    note = Path(out["note_file"])
    assert note.name == "TraLai_MH.HAB.XAL_6_tháng_đầu_năm_2021.txt"
    raw = note.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Notepad opens it with its diacritics
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[:2] == ["THÔNG BÁO TRẢ LẠI BÁO CÁO CCHC 6 THÁNG ĐẦU NĂM 2021",
                                     "Kính gửi: UBND xã An Lạc (MH.HAB.XAL)"]
    assert "Lý do: Số nhiệm vụ hoàn thành lớn hơn số nhiệm vụ đề ra" in text
    assert ("1. [Lỗi] 1.1.2, 1.1.1: Chỉ tiêu 1.1.2 (12) lớn hơn chỉ tiêu 1.1.1 (10). Số nhiệm vụ đã hoàn thành "
            "không được lớn hơn số nhiệm vụ đề ra trong kế hoạch.") in text
    assert "bản Nháp" in text and text == out["send_back_note"].replace("\n", "\r\n") + "\r\n"
    rc, res = cli(capsys, "consolidate", *db, "--unit", DISTRICT, "--period", H1)
    assert res["sent_back"] == [{"unit": "MH.HAB.XAL", "unit_name": "UBND xã An Lạc",
                                 "reason": "Số nhiệm vụ hoàn thành lớn hơn số nhiệm vụ đề ra"}]
    rc, board = cli(capsys, "completeness", *db, "--unit", DISTRICT, "--period", H1)
    assert "Các đơn vị có báo cáo bị trả lại, cần sửa và gửi lại (1 đơn vị):\n1. UBND xã An Lạc (lý do: Số nhiệm " \
           "vụ hoàn thành lớn hơn số nhiệm vụ đề ra)" in board["reminder"]

    # The office may still accept it, with a note saying why; consolidation then counts it and says so.
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", H1, "--accept",
                  "--note", "Xã xác nhận qua điện thoại: 10 nhiệm vụ, hoàn thành 10; số 12 là gõ nhầm")
    assert rc == 0 and out["state"] == "accepted"
    rc, res = cli(capsys, "consolidate", *db, "--unit", DISTRICT, "--period", H1)
    values = {v["code"]: v["number"] for v in res["values"]}
    assert (values["1.1.1"], values["1.1.2"]) == (17, 15)  # 10 + 7, 12 + 3: the file's numbers as sent
    assert res["accepted_notes"][0]["unit"] == "MH.HAB.XAL"


def test_review_refuses_what_was_not_received_and_accepts_every_valid_return(province: Province,
                                                                             capsys) -> None:  # noqa: ANN001
    draft = _commune_submits(province, capsys, "MH.HAB.XAL", {"1.1.1": 4}, submit=False)
    db = _office(province)
    before = dump_tables(province.office.target)
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.TTAB", "--period", H1, "--accept")
    assert rc == 1 and out["error"] == ("Chưa nhận báo cáo 6 tháng đầu năm 2021 của UBND thị trấn An Bình nên "
                                        "chưa có gì để xem xét.")
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.SNV", "--period", H1, "--accept")
    assert rc == 1 and "không phải đơn vị trực thuộc UBND huyện An Bình" in out["error"]
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--child", "MH.HAB.XAL", "--period", "2021-H3")
    assert rc == 1 and "2021-H3" in out["error"]
    assert main.main(["review", *db, "--unit", DISTRICT, "--period", H1, "--accept"]) == 2  # --child or --all
    capsys.readouterr()
    assert dump_tables(province.office.target) == before

    clean = _commune_submits(province, capsys, "MH.HAB.TTAB", {"1.1.1": 9})
    db = _office(province)
    assert cli(capsys, "import-returns", *db, "--unit", DISTRICT, str(draft), str(clean))[0] == 0
    rc, out = cli(capsys, "review", *db, "--unit", DISTRICT, "--period", H1, "--accept", "--all")
    assert rc == 0 and out["accepted"] == ["MH.HAB.TTAB"]
    assert out["left"] == [{"child": "MH.HAB.XAL", "child_name": "UBND xã An Lạc", "why": "là bản Nháp"}]
