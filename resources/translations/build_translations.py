"""The translation files: the app's own tr() strings (.ts) and the compiled .qm files.

Run from the repository root after changing any text shown by the GUI::

    python resources/translations/build_translations.py

It does the whole pipeline in one go:

1. ``pyside6-lupdate`` reads every ``gui/*.py`` file and updates ``cchc_en.ts`` (Vietnamese is the
   source language; translations already made are kept, new strings are added unfinished);
   and the English texts of ``en_texts.py`` are filled in;
2. ``pyside6-lrelease`` compiles ``cchc_en.ts`` → ``cchc_en.qm`` and ``qtbase_vi.ts`` → ``qtbase_vi.qm``
   (Qt's own words — OK/Cancel, Yes/No, the text-box menu, file dialogs — which Qt ships no
   Vietnamese for).

The .qm files are committed (they are small and the app run from source needs them);
``tests/gui/test_translations.py`` fails when one is out of date with its .ts.
``--check`` compiles into a temporary folder and reports the stale ones without writing.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
APP_TS = HERE / "cchc_en.ts"
QT_TS = HERE / "qtbase_vi.ts"
ALL_TS = (APP_TS, QT_TS)


def tool(name: str) -> str:
    """``pyside6-lupdate``/``pyside6-lrelease`` next to this Python, else on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"Không tìm thấy {name} (cài PySide6 vào môi trường Python này).")
    return found


def source_files() -> list[Path]:
    return sorted(p for p in (ROOT / "gui").rglob("*.py") if "__pycache__" not in p.parts)


def update_app_ts() -> None:
    files = [str(p.relative_to(ROOT)) for p in source_files()]
    subprocess.run([tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none",
                    "-source-language", "vi_VN", "-target-language", "en_GB", "-ts", str(APP_TS.relative_to(ROOT))],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def apply_english() -> None:
    """Fill in the English texts of ``en_texts.py`` (lupdate keeps them on later runs)."""
    import re
    from xml.sax.saxutils import escape

    sys.path.insert(0, str(HERE))
    from en_texts import EN

    text = APP_TS.read_text(encoding="utf-8")

    def context(match: re.Match) -> str:
        block = match.group(0)
        name = re.search(r"<name>(.*?)</name>", block).group(1)
        for source, english in EN.get(name, {}).items():
            src = escape(source, {'"': "&quot;", "'": "&apos;"})
            for variant in {src, escape(source)}:
                head = f"<source>{variant}</source>\n        <translation"
                block = block.replace(f'{head} type="unfinished"></translation>',
                                      f"{head}>{escape(english)}</translation>")
        return block

    APP_TS.write_text(re.sub(r"<context>.*?</context>", context, text, flags=re.S), encoding="utf-8")


def compile_ts(ts: Path, folder: Path) -> Path:
    qm = folder / (ts.stem + ".qm")
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


def stale_qm() -> list[str]:
    """The .qm files that differ from what their .ts compiles to now (or are missing)."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for ts in ALL_TS:
            fresh = compile_ts(ts, Path(tmp))
            kept = HERE / fresh.name
            if not kept.exists() or not filecmp.cmp(fresh, kept, shallow=False):
                stale.append(kept.name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cập nhật tệp dịch (.ts) và biên dịch (.qm).")
    parser.add_argument("--check", action="store_true", help="chỉ kiểm tra các tệp .qm có khớp với .ts không")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_qm()
        for name in stale:
            print(f"{name} cũ hơn tệp .ts của nó: chạy lại build_translations.py")
        return 1 if stale else 0
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    update_app_ts()
    apply_english()
    for ts in ALL_TS:
        compile_ts(ts, HERE)
    print("Đã cập nhật", ", ".join(p.name for p in ALL_TS), "và các tệp .qm.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
