"""The plain seal of a return workbook covers the export time: an old file made "newer" by hand is caught.

Before the seal, ``exported_at`` sat outside the SHA-256: an old version with exported_at set to 2030
replaced the newer version with no hash work at all (issue 12, "Forgery").
"""

from __future__ import annotations

from datetime import datetime

from core.intake.importer import import_returns
from core.intake.outcomes import ImportPolicy
from core.returns.entry import find_unit_return
from core.returns.store import values_by_code
from tests.conftest import dump_tables
from tests.helpers.consolidation_helpers import Province
from tests.helpers.forgery import forge

Q2 = "2021-Q2"


def _value(db, unit: str, code: str) -> float | None:  # noqa: ANN001
    with db.session() as s:
        ret = find_unit_return(s, unit, Q2)
        return values_by_code(s, ret)[code].value_num


def test_an_old_file_whose_export_time_was_moved_to_2030_does_not_replace_the_newer(province: Province) -> None:
    province.fill("MH.SNV", {"1.1.1": 12}, Q2)
    old = province.export("MH.SNV", Q2, at=datetime(2021, 6, 18, 9, 30), name="cu.xlsx")
    province.fill("MH.SNV", {"1.1.1": 15}, Q2)
    new = province.export("MH.SNV", Q2, at=datetime(2021, 6, 19, 8, 0), name="moi.xlsx")
    first = import_returns(province.office, "MH", [old, new], ImportPolicy(period_code=Q2))
    assert [o.outcome for o in first.outcomes] == ["imported", "replaced"]
    assert _value(province.office, "MH.SNV", "1.1.1") == 15

    forge(old, exported_at="2030-01-01T00:00:00+07:00", rehash=False)  # no hash work at all
    before = dump_tables(province.office)
    report = import_returns(province.office, "MH", [old], ImportPolicy(period_code=Q2))
    (o,) = report.outcomes
    assert (o.outcome, o.reason_code) == ("rejected", "tampered"), o.reason
    assert "không khớp mã kiểm tra" in o.reason
    assert _value(province.office, "MH.SNV", "1.1.1") == 15  # the newer version stays
    after = dump_tables(province.office)
    assert {k: v for k, v in after.items() if k != "imported_file"} == \
        {k: v for k, v in before.items() if k != "imported_file"}
