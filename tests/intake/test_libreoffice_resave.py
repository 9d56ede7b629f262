"""A commune's clerk opens the exported return in LibreOffice and saves it before sending it: the office above
still imports it as intact, and the consolidated numbers are the commune's."""

from __future__ import annotations

from pathlib import Path

from core.intake.consolidation import consolidate
from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.reports.workbook_reader import read_return_workbook
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from tests.helpers.consolidation_helpers import accept_all
from tests.helpers.libreoffice import convert, needs_libreoffice

pytestmark = needs_libreoffice
Q2 = "2021-Q2"


def test_a_return_saved_again_in_libreoffice_imports_intact_and_consolidates(province, tmp_path: Path) -> None:
    province.fill("MH.SNV", {"1.1.1": 12, "1.1.2": 9, "2.1": 4}, Q2, notes={"2.1": "Đã rà soát 4 văn bản"})
    province.fill("MH.STP", {"1.1.1": 7, "1.1.2": 7, "2.1": 3}, Q2)
    snv = province.export("MH.SNV", Q2)
    stp = province.export("MH.STP", Q2)
    resaved = convert(snv, tmp_path, "xlsx")
    snv.unlink()
    book = read_return_workbook(resaved)
    assert book.intact and book.hash_ok, (book.edited_cells, book.moved, book.missing)

    report = import_returns(province.office, "MH", [resaved, stp], ImportPolicy(period_code=Q2))
    assert [o.outcome for o in report.outcomes] == ["imported", "imported"], report.summary()
    with province.office.session() as s:
        ret = find_unit_return(s, "MH.SNV", Q2)
        got = values_by_code(s, ret)
        assert (got["1.1.1"].value_num, got["1.1.2"].value_num, got["2.1"].value_num) == (12, 9, 4)
        assert got["2.1"].note == "Đã rà soát 4 văn bản"

    accept_all(province.office, "MH", Q2)
    with province.office.transaction() as s:
        result = consolidate(s, "MH", Q2)
    by_code = {v.code: v for v in result.values}
    assert by_code["1.1.1"].number == 12 + 7  # worked out by hand: the two accepted returns' sums
    assert by_code["1.1.2"].number == 9 + 7
    assert by_code["2.1"].number == 4 + 3
