"""db.files: a file the user chose that cannot be written is refused in Vietnamese, never an OS error."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.errors import FileWriteError
from db.files import replaced_atomically


def test_a_folder_that_cannot_be_written_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "sổ.txt"
    not_a_folder.write_text("một tệp, không phải thư mục", encoding="utf-8")
    target = not_a_folder / "bản gửi sở.xlsx"
    with pytest.raises(FileWriteError) as caught:
        with replaced_atomically(target, busy="trong Excel hoặc chương trình khác") as tmp:
            tmp.write_bytes(b"x")
    assert str(caught.value).startswith("Không ghi được tệp “bản gửi sở.xlsx” vào thư mục")
    assert caught.value.exit_code == 1 and "Errno" not in str(caught.value)
    assert not_a_folder.read_text(encoding="utf-8") == "một tệp, không phải thư mục"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sổ.txt"]


def test_without_busy_the_operating_systems_error_goes_on(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        with replaced_atomically(not_a_folder / "b.db"):
            pass


def test_a_replaced_file_is_whole(tmp_path: Path) -> None:
    target = tmp_path / "báo cáo.xlsx"
    target.write_bytes(b"old")
    with replaced_atomically(target, busy="trong Excel") as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["báo cáo.xlsx"]
