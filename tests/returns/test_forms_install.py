"""The bundled form is installed once per version; a changed released version is refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.forms import (
    TemplateError,
    current_template,
    ensure_standard_content,
    install_template,
    read_template_file,
    standard_template_files,
)
from db.engine import open_database
from db.models import Area, FormTemplate, Indicator


def test_standard_content_is_idempotent(db_path):
    db = open_database(db_path)
    try:
        for _ in range(2):
            with db.transaction() as s:
                ensure_standard_content(s)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(FormTemplate)) == 1
            tpl = current_template(s)
            codes = [i.code for i in tpl.indicators]
            assert codes[0] == "1" and codes[-1] == "7.8.4" and "1.2.4" in codes
            assert s.scalar(select(func.count()).select_from(Indicator)) == len(codes)
            assert [a.name for a in s.scalars(select(Area).order_by(Area.sort_order))][:2] == [
                "Công tác chỉ đạo, điều hành cải cách hành chính", "Cải cách thể chế"]
    finally:
        db.close()


def test_changed_content_under_a_released_version_is_refused(db_path, tmp_path):
    src = standard_template_files()[0]
    data = json.loads(src.read_text(encoding="utf-8"))
    data["indicators"][2]["name"] = "Tên đã bị sửa"
    changed = tmp_path / "form.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = open_database(db_path)
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
        with pytest.raises(TemplateError, match="không được sửa"):
            with db.transaction() as s:
                install_template(s, read_template_file(changed))
    finally:
        db.close()


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["indicators"].append(dict(d["indicators"][2])), "trùng"),
        (lambda d: d["rules"].append({"id": "x", "type": "le", "left": "9.9", "right": "1.1.1"}), "9.9"),
        (lambda d: d["indicators"][2].update(value_type="số"), "kiểu giá trị"),
        (lambda d: d.pop("indicators"), "thiếu mục"),
    ],
)
def test_broken_template_files_are_explained(tmp_path, mutate, message):
    data = json.loads(standard_template_files()[0].read_text(encoding="utf-8"))
    mutate(data)
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TemplateError, match=message):
        read_template_file(f)
