"""The narrative never goes stale (issue 11, item 3): sentences computed from the values printed beside them.

Case 3 of the issue at the command line: the narrative is shown while 1.2.4 = 2000 (of 1.234 problems
found), 1.2.4 is corrected to 1, the return is submitted and exported. The PDF said "đã xử lý xong
2000/1234 vấn đề (đạt 162,07%)" while its appendix said 1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import main
from core.plans.status import completion_headline
from core.returns.entry import apply_edits, open_return
from core.returns.narrative import printed_sections, set_section_text
from core.returns.narrative_text import ratio
from core.returns.report_model import TaskTotals
from core.vnformat import TRUNCATE, format_fraction
from tests.helpers.returns_helpers import PROVINCE, make_db, seed_with, write_csv

# The demo's report has empty narrative sections (I.4, III, IV, V): these exports are made on purpose.
EXPORT = ("export", "--allow-empty-sections")

H1 = "2021-H1"


def cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out, err = capsys.readouterr()
    return rc, json.loads(out or err)


def test_every_number_in_a_sentence_is_written_as_the_appendix_writes_it() -> None:
    assert format_fraction(1, 1234, pad=True) == "01/1.234"
    assert format_fraction(1000, 1234) == "1.000/1.234"
    # 1/1234 = 0,0810…%; 1000/1234 = 81,037…%: half up (the default) 81,04%, truncated 81,03%.
    assert ratio(1, 1234) == "01/1.234 (đạt 0,08%)"
    assert ratio(1000, 1234) == "1.000/1.234 (đạt 81,04%)"
    assert ratio(1000, 1234, TRUNCATE) == "1.000/1.234 (đạt 81,03%)"
    assert ratio(7, 14) == "07/14 (đạt 50%)"  # the seed's "07/14"
    assert completion_headline(1000, 1234) == "hoàn thành 1.000/1.234 nhiệm vụ (đạt 81,04%)"
    assert completion_headline(1000, 1234, TRUNCATE) == "hoàn thành 1.000/1.234 nhiệm vụ (đạt 81,03%)"
    assert TaskTotals(1234, 1000, 234, 0, 1001).sentence() == (
        "hoàn thành 1.000/1.234 nhiệm vụ (đạt 81,04%); đang thực hiện 234; chưa triển khai 0; quá hạn 1.001")
    assert TaskTotals(1234, 1000, 234, 0, 1001, TRUNCATE).sentence() == (
        "hoàn thành 1.000/1.234 nhiệm vụ (đạt 81,03%); đang thực hiện 234; chưa triển khai 0; quá hạn 1.001")


def test_case3_the_pdf_restates_the_corrected_figure(capsys, tmp_path: Path) -> None:
    make_db(tmp_path).close()
    dbp = str(tmp_path / "cchc.db")
    target = ["--db", dbp, "--unit", PROVINCE, "--period", H1]
    wrong = write_csv(tmp_path / "so_lieu.csv", seed_with({"1.2.3": "1.234", "1.2.4": "2.000"}))
    rc, out = cli(capsys, "set-values", *target, "--from", str(wrong))
    assert rc == 1 and out["stored"]  # stored, and the broken rule (2.000 > 1.234) reported
    rc, out = cli(capsys, "narrative", *target)  # "Nội dung báo cáo" opened now
    i3 = next(s for s in out["sections"] if s["key"] == "I.3")
    assert "đã xử lý xong 2.000/1.234 vấn đề (đạt 162,07%)" in i3["text"]
    fixed = write_csv(tmp_path / "sua.csv", [("1.2.4", "1", "")])
    assert cli(capsys, "set-values", *target, "--from", str(fixed))[0] == 0
    assert cli(capsys, "settings", "--db", target[1], "--unit", target[3], "--set",
               "report.signer_name=Trần Văn Ký")[0] == 0  # the PDF of a submitted return names its signer
    rc, out = cli(capsys, "submit", *target)
    assert rc == 0, out
    pdf = tmp_path / "bao_cao.pdf"
    assert cli(capsys, *EXPORT, *target, "--pdf", str(pdf))[0] == 0
    exe = shutil.which("pdftotext") or pytest.fail("pdftotext (poppler-utils) is required")
    text = " ".join(subprocess.run([exe, "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                                   capture_output=True).stdout.decode("utf-8").split())
    # 1 of 1.234 dealt with: 1/1234 = 0,081…% → "đạt 0,08%"; the count under ten padded as in the seed.
    assert "Qua kiểm tra, phát hiện 1.234 vấn đề, đã xử lý xong 01/1.234 vấn đề (đạt 0,08%)." in text
    assert "162,07" not in text and "2000" not in text and "2.000" not in text and "1234" not in text


def test_a_section_written_after_the_figures_moved_is_judged_against_the_figures_of_now(tmp_path: Path) -> None:
    """The basis kept beside the user's words is the draft of the values as they are when the words are
    written, even if the stored draft was last regenerated before a value changed."""
    db = make_db(tmp_path)
    try:
        with db.transaction() as s:
            ret = open_return(s, PROVINCE, H1)
            assert apply_edits(s, ret.id, [("1.2.3", "10"), ("1.2.4", "4")]).applied
            printed_sections(s, ret)
            assert apply_edits(s, ret.id, [("1.2.4", "5")]).applied  # no regeneration in between
            set_section_text(s, ret, "I.3", "Đã xử lý xong 05/10 vấn đề.")
            view = next(v for v in printed_sections(s, ret) if v.key == "I.3")
            assert not view.stale and "05/10 vấn đề (đạt 50%)" in view.draft_text
            assert apply_edits(s, ret.id, [("1.2.4", "6")]).applied
            view = next(v for v in printed_sections(s, ret) if v.key == "I.3")
            assert view.stale and view.text == "Đã xử lý xong 05/10 vấn đề."  # the words stay the user's
    finally:
        db.close()
