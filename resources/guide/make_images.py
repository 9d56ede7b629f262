"""The guide's pictures: a few of ``main.py gui-snapshots``, scaled down for the guide. Run from the
repository root after a screen changes, then commit the PNGs it writes here::

    python resources/guide/make_images.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# snapshot name → width in the guide (points); only these are committed
PICTURES = {"01_trang_chu": 760, "04_chi_tiet_nhiem_vu": 700, "09_bao_cao_dang_nhap": 760,
            "12_tong_hop_nhan_bao_cao": 760}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "main.py"), "gui-snapshots", "--out", tmp], check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication, QImage

        QGuiApplication.instance() or QGuiApplication(["make_images", "-platform", "offscreen"])
        for name, width in PICTURES.items():
            image = QImage(str(Path(tmp) / f"{name}.png"))
            small = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            # 256 colours: a screenshot of flat widgets loses nothing visible, and the bundle stays small.
            small = small.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.AvoidDither)
            small.save(str(HERE / f"{name}.png"), "PNG", 9)
    print("Đã cập nhật ảnh của hướng dẫn:", ", ".join(PICTURES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
