"""The canonical JSON that a return's hash and seal are made over: the quick way (dump as is) must give
byte for byte what the careful way (NFC every text, whole floats as integers, then dump) gives — a
hash written by an older version, or on another PC, must still match."""

from __future__ import annotations

import json

import pytest

from core.app.demo import load_demo
from core.returns.report_collect import collect_return_export
from core.returns.report_model import _nfc_tree, canonical_json
from db.engine import open_database


def careful(content: object) -> str:
    return json.dumps(_nfc_tree(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


@pytest.mark.parametrize("content", [
    {"a": 38.0, "b": [1.0, 2.5, -0.0]},  # whole floats print as integers
    {"big": 1e16, "small": 1e-7, "huge": [1e22]},  # whole floats in exponent form
    38.0,
    {"text": "Co\u0302ng ta\u0301c"},  # NFD text: stored NFC in the hash
    {"Co\u0323\u0302ng": 1, "b": 2},  # an NFD key sorts by its NFC spelling
    {1: "a", "b": 2},  # keys of mixed types
    {"t": "1.0, 2.0]", "e": "e+1"},  # text that looks like a whole float
    {"k": 'a"b\\c\n\u0301', "n": None, "yes": True, "x": 0.1},
])
def test_quick_way_is_byte_for_byte_the_careful_way(content: object) -> None:
    assert canonical_json(content) == careful(content)


def test_a_real_return_content(tmp_path) -> None:  # noqa: ANN001
    db = open_database(tmp_path / "demo.db")
    try:
        with db.transaction() as s:
            load_demo(s)
        with db.session() as s:
            data = collect_return_export(s, "MH", "2021-H1")
    finally:
        db.close()
    content = data.content()
    assert canonical_json(content) == careful(content)
    assert canonical_json(data.snapshot()) == careful(data.snapshot())
    assert "Kế hoạch" in canonical_json(content) or "kế hoạch" in canonical_json(content)
