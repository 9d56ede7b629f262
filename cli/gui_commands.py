"""Subcommands about the window itself: ``gui-snapshots``.

Only the command line is parsed here (cli never imports Qt): ``main.py`` runs the command with
``gui.snapshots.snapshot_command`` as its handler, through ``cli.run``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{3,5})\s*[xX×]\s*(\d{3,5})\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"kích thước màn hình “{text}” không hợp lệ; viết dạng 1366x768")
    return int(m.group(1)), int(m.group(2))


def _scale(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = 0
    if not 0.5 <= value <= 4:
        raise argparse.ArgumentTypeError(f"tỉ lệ hiển thị “{text}” không hợp lệ; dùng số từ 0,5 đến 4, ví dụ 1.25")
    return value


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("gui-snapshots", parents=[common],
                       help="chụp ảnh mọi màn hình và hộp thoại chính (dữ liệu minh họa, không mở cửa sổ)")
    p.add_argument("--out", type=Path, required=True, metavar="THƯ_MỤC", help="thư mục lưu ảnh PNG")
    p.add_argument("--size", type=_size, default=(1366, 768), metavar="RỘNGxCAO",
                   help="kích thước màn hình (mặc định 1366x768; thanh tác vụ Windows chiếm 40 điểm ảnh)")
    p.add_argument("--scale", type=_scale, default=1.0, metavar="TỈ_LỆ",
                   help="tỉ lệ hiển thị của Windows, ví dụ 1.25 cho 125%% (mặc định 1)")
    p.set_defaults(gui_command=True)
