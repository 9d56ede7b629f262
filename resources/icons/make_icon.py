"""Draw the application icon: ``app.png`` (256×256) and a multi-size ``app.ico``.

Run from the repository root when the design changes, then commit both files::

    QT_QPA_PLATFORM=offscreen python resources/icons/make_icon.py

A rounded blue square with a white check mark and, from 32 px up, the letters
"CCHC". Every size is drawn from the vector shapes rather than scaled down, so
the small ones stay crisp. The .ico holds classic 32-bit DIB images up to
48 px and a PNG image for 64 px and up, the layout Windows, PyInstaller and
Inno Setup all read.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "LiberationSerif-Bold.ttf"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM = 64  # sizes from here up are stored as PNG inside the .ico


def draw(size: int, family: str) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = float(size)
    margin = max(0.5, s * 0.03)
    box = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    grad = QLinearGradient(box.topLeft(), box.bottomLeft())
    grad.setColorAt(0.0, QColor("#2f7bd9"))
    grad.setColorAt(1.0, QColor("#1a4f9c"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(grad)
    p.drawRoundedRect(box, s * 0.18, s * 0.18)

    with_text = size >= 32
    check = QPainterPath()
    if with_text:
        check.moveTo(s * 0.27, s * 0.37)
        check.lineTo(s * 0.44, s * 0.53)
        check.lineTo(s * 0.74, s * 0.20)
    else:
        check.moveTo(s * 0.22, s * 0.52)
        check.lineTo(s * 0.42, s * 0.72)
        check.lineTo(s * 0.78, s * 0.28)
    pen = QPen(QColor("white"), s * (0.10 if with_text else 0.14))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(check)

    if with_text:
        font = QFont(family)
        font.setBold(True)
        font.setPixelSize(max(8, round(s * 0.25)))
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 96)
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(0, s * 0.60, s, s * 0.30), Qt.AlignmentFlag.AlignCenter, "CCHC")
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def dib_bytes(img: QImage) -> bytes:
    """A 32-bit BGRA DIB (bottom-up) with its 1-bit AND mask, as .ico entries hold them."""
    img = img.convertToFormat(QImage.Format.Format_ARGB32)
    w, h = img.width(), img.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    mask_rows = []
    mask_stride = ((w + 31) // 32) * 4
    for y in range(h - 1, -1, -1):
        row = bytearray()
        mask = bytearray(mask_stride)
        for x in range(w):
            c = QColor.fromRgba(img.pixel(x, y))
            row += bytes((c.blue(), c.green(), c.red(), c.alpha()))
            if c.alpha() == 0:
                mask[x // 8] |= 0x80 >> (x % 8)
        rows.append(bytes(row))
        mask_rows.append(bytes(mask))
    return header + b"".join(rows) + b"".join(mask_rows)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    blobs = [(size, png_bytes(img) if size >= PNG_FROM else dib_bytes(img)) for size, img in images.items()]
    out = bytearray(struct.pack("<HHH", 0, 1, len(blobs)))
    offset = 6 + 16 * len(blobs)
    for size, blob in blobs:
        dim = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    for _, blob in blobs:
        out += blob
    return bytes(out)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts need it
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = families[0] if families else "Serif"
    images = {size: draw(size, family) for size in ICO_SIZES}
    (HERE / "app.png").write_bytes(png_bytes(images[256]))
    (HERE / "app.ico").write_bytes(ico_bytes(images))
    print(f"Wrote {HERE / 'app.png'} and {HERE / 'app.ico'} ({', '.join(map(str, ICO_SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
