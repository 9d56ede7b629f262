"""A forger's tools: rewrite a return workbook so that every copy of a fact agrees, and recompute the
plain hashes (no secret is needed for them), as someone who read the format would.

``forge(path, value=("1.1.1", 99))`` changes the visible cell, the value in the hidden JSON and the
cell record; ``unit=``, ``period=``, ``status=`` and ``exported_at=`` change those facts. With
``rehash=False`` the hashes are left as they were (the lazy forgery: only the export time moved).
A signature, if the file has one, is left in place: the forger cannot make a new one.
"""

from __future__ import annotations

import json

from openpyxl import load_workbook

from core.periods import parse_period_code
from core.reports.seal import PackageFile, seal_sha256
from core.reports.workbook_format import DATA_SHEET
from core.returns.report_model import canonical_json, sha256_of_content


def forge(path, *, value: tuple[str, object] | None = None, unit: tuple[str, str] | None = None,  # noqa: ANN001
          period: str | None = None, status: str | None = None, exported_at: str | None = None,
          rehash: bool = True, drop_signature: bool = False) -> None:
    wb = load_workbook(path)
    ws = wb[DATA_SHEET]
    rows = list(ws.iter_rows())
    content_rows = [r for r in rows if r[0].value == "content"]
    content = json.loads("".join(r[1].value or "" for r in content_rows))
    meta = {r[0].value: r for r in rows if r[0].value not in ("content", "cell", "package_file", "signature")}
    if value is not None:
        code, new = value
        content["values"][code]["value"] = new
        for r in rows:
            if r[0].value == "cell" and r[1].value == code:
                r[4].value = new  # the cell record
                wb[r[2].value][r[3].value] = new  # the visible cell
    if unit is not None:
        content["unit"]["code"], content["unit"]["name"] = unit
        meta["unit_code"][1].value = unit[0]
    if period is not None:
        spec = parse_period_code(period)
        content["period"] = {"code": spec.code, "label": spec.label}
        meta["period_code"][1].value = spec.code
    if status is not None:
        content["status"] = status
    if exported_at is not None:
        meta["exported_at"][1].value = exported_at
    text = canonical_json(content)
    n = len(content_rows)
    size = -(-len(text) // n)
    for i, r in enumerate(content_rows):
        r[1].value = text[i * size:(i + 1) * size]
    if drop_signature:
        for r in rows:
            if r[0].value in ("signature", "signature_chunks"):
                for c in r:
                    c.value = None
    if rehash:
        package = [PackageFile(str(r[1].value), str(r[2].value), int(r[3].value)) for r in rows
                   if r[0].value == "package_file"]
        meta["content_sha256"][1].value = sha256_of_content(content)
        meta["seal_sha256"][1].value = seal_sha256(content, str(meta["exported_at"][1].value), package)
    wb.save(path)
