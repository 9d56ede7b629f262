"""The fuzz corpus: malformed inputs derived from valid files, for every path that reads a user's file.

``build_corpus(folder, demo_db)`` exports valid files from the demo database (a return workbook, a
values file, a plan table, a hand-typed appendix, a unit catalogue, a backup) and writes, beside
them, a few hundred damaged variants: truncations, bit flips inside the compressed parts every
reader reads, missing zip members, garbage and hostile XML, CR-only / UTF-16 / cp1258 CSV, huge
fields, 2 million rows, numbers of 400 digits, JSON nested 50,000 deep in a return's hidden
sheet, damaged SQLite backups. Each ``Case`` says which command reads it.

Every command is chosen so that it must end in a refusal even when a variant happens to be still
readable (values for a return already locked, a plan for a unit that does not exist, a unit
catalogue with one invalid level, a return sent to its own unit …): a case passes when the
command exits non-zero with a Vietnamese message, no traceback and no Python class name, and the
database is unchanged (``tests/cli/test_fuzz_inputs.py``).

Run as a script to write the corpus to a folder and look at it:
``python -m tests.helpers.fuzz_corpus /tmp/corpus``.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import sqlite3
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core.paths import resource_path

PERIOD = "2021-H1"  # the demo's submitted (locked) return of MH


@dataclass
class Case:
    name: str
    argv: list[str]  # the command, without --db
    file: Path
    kind: str  # values | units | plan | returns | handmade | restore | open
    db: Path | None = None  # for "open": the broken database the command is run on
    tags: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- commands

def _values(f: Path) -> list[str]:
    return ["set-values", "--unit", "MH", "--period", PERIOD, "--from", str(f)]


def _units(f: Path) -> list[str]:
    return ["units", "import", str(f)]


def _plan(f: Path) -> list[str]:
    return ["import-plan", str(f), "--unit", "KHONG.CO.DON.VI"]


def _returns(f: Path) -> list[str]:
    return ["import-returns", "--unit", "MH", str(f)]


def _handmade(f: Path) -> list[str]:
    return ["import-returns", "--unit", "MH", "--handmade", str(f), "--child", "KHONG.CO.DON.VI",
            "--period", PERIOD, "--confirm"]


def _restore(f: Path) -> list[str]:
    return ["restore", str(f)]


COMMANDS = {"values": _values, "units": _units, "plan": _plan, "returns": _returns, "handmade": _handmade,
            "restore": _restore}


# --------------------------------------------------------------------------- zip surgery

def _member_data_range(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where a member's compressed bytes lie in the zip (after its local header)."""
    off = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    return start, start + info.compress_size


def flip_in_member(src: Path, dst: Path, member: str, seed: int, flips: int = 3) -> Path:
    """Flip bits inside one member's compressed bytes: its CRC (or the inflater, or the XML parser)
    must catch it, whatever else the file looks like."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        start, end = _member_data_range(bytes(data), zf.getinfo(member))
    rng = random.Random(seed)
    for _ in range(flips):
        pos = rng.randrange(start, max(start + 1, end))
        data[pos] ^= 1 << rng.randrange(8)
    dst.write_bytes(bytes(data))
    return dst


def rewrite_zip(src: Path, dst: Path, *, drop: set[str] = frozenset(), replace: dict[str, bytes] | None = None) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, content in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, content)
    return dst


def sheet_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def essential_members(path: Path) -> list[str]:
    """Parts without which no reader can read the workbook's cells."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    out = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", *sheet_members(path)]
    if "xl/sharedStrings.xml" in names:
        out.append("xl/sharedStrings.xml")
    return [n for n in out if n in names]


_BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;'
                   b'&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
                   b'&lol2;&lol2;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>'
                   b'</worksheet>')
_XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')


def _xlsx_variants(base: Path, out: Path, stem: str, kind: str, seed: int) -> list[Case]:
    cases: list[Case] = []
    command = COMMANDS[kind]
    data = base.read_bytes()

    def add(name: str, path: Path, *tags: str) -> None:
        cases.append(Case(f"{kind}:{name}", command(path), path, kind, tags=list(tags)))

    for frac in (0.0005, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99):
        p = out / f"{stem}_cut{int(frac * 10000)}.xlsx"
        p.write_bytes(data[: max(1, int(len(data) * frac))])
        add(f"truncated {frac:.2%}", p, "truncation")
    p = out / f"{stem}_cut_eocd.xlsx"
    p.write_bytes(data[:-10])
    add("truncated end record", p, "truncation")
    for member in essential_members(base):
        short = member.rsplit("/", 1)[-1]
        for k in range(2):
            p = flip_in_member(base, out / f"{stem}_flip_{short}_{k}.xlsx", member, seed * 100 + k)
            add(f"bit flips in {member} #{k}", p, "bitflip")
        p = rewrite_zip(base, out / f"{stem}_no_{short}.xlsx", drop={member})
        add(f"missing {member}", p, "missing")
        p = rewrite_zip(base, out / f"{stem}_garbage_{short}.xlsx", replace={member: b"\x00\x01<not xml<<"})
        add(f"garbage {member}", p, "garbage")
    for sheet in sheet_members(base)[:2]:
        short = sheet.rsplit("/", 1)[-1]
        p = rewrite_zip(base, out / f"{stem}_lol_{short}.xlsx", replace={sheet: _BILLION_LAUGHS})
        add(f"billion laughs in {sheet}", p, "hostile")
        p = rewrite_zip(base, out / f"{stem}_xxe_{short}.xlsx", replace={sheet: _XXE})
        add(f"external entity in {sheet}", p, "hostile")
    for name, content in (("empty", b""), ("text", "STT\tNhiệm vụ\n1\tRà soát\n".encode()),
                          ("ole", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
                          ("pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
                          ("zip_not_xlsx", _zip_bytes({"word/document.xml": b"<w:document/>"}))):
        p = out / f"{stem}_{name}.xlsx"
        p.write_bytes(content)
        add(f"not a workbook: {name}", p, "foreign")
    return cases


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


# --------------------------------------------------------------------------- CSV

def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _csv_variants(rows: list[list[str]], out: Path, stem: str, kind: str) -> list[Case]:
    cases: list[Case] = []
    command = COMMANDS[kind]
    text = _csv_text(rows)

    def add(name: str, content: bytes, *tags: str, suffix: str = ".csv") -> None:
        p = out / f"{stem}_{len(cases):03d}{suffix}"
        p.write_bytes(content)
        cases.append(Case(f"{kind}:{name}", command(p), p, kind, tags=list(tags)))

    raw = text.encode("utf-8")
    add("CR-only line ends", text.replace("\n", "\r").encode(), "newlines")
    add("CRLF line ends", text.replace("\n", "\r\n").encode(), "newlines")
    add("mixed line ends", text.replace("\n", "\r", 3).encode(), "newlines")
    add("UTF-16 LE with BOM", text.encode("utf-16"), "encoding")
    add("UTF-16 BE with BOM", b"\xfe\xff" + text.encode("utf-16-be"), "encoding")
    add("UTF-16 LE without BOM", text.encode("utf-16-le"), "encoding")
    add("UTF-16 LE CR-only", text.replace("\n", "\r").encode("utf-16"), "encoding", "newlines")
    add("cp1258", text.encode("cp1258", errors="replace"), "encoding")
    add("latin-1 bytes", bytes(range(128, 256)) * 20, "encoding")
    add("invalid UTF-8 in a cell", raw.replace(b",", b",\xc3\x28", 1), "encoding")
    add("UTF-8 cut inside a letter", raw[: raw.index("ạ".encode()) + 1] if "ạ".encode() in raw else raw[:-1],
        "truncation")
    for frac in (0.3, 0.6, 0.95):
        add(f"truncated {frac:.0%}", raw[: int(len(raw) * frac)], "truncation")
    add("NUL bytes", raw.replace(b"\n", b"\x00\n", 2), "encoding")
    add("unbalanced quote", raw.replace(b",", b',"', 1), "format")
    add("quote with newline to the end", raw + b'"' + b"x\n" * 50, "format")
    add("field of 200 KB", (text + f'1.1.1,5,{"x" * 200_000}\n').encode(), "huge")
    add("field of 2 MB in quotes", (text + f'1.1.1,5,"{"y" * 2_000_000}"\n').encode(), "huge")
    add("400-digit number", (text + f"1.1.1,{'9' * 400},\n").encode(), "number")
    add("5000-digit number", (text + f"1.1.1,{'7' * 5000},\n").encode(), "number")
    add("1e400", (text + "1.1.1,1e400,\n").encode(), "number")
    add("inf and nan", (text + "1.1.1,inf,\n1.1.2,nan,\n").encode(), "number")
    add("huge thousands", (text + f"1.1.1,{'.'.join(['999'] * 200)},\n").encode(), "number")
    add("10,000 columns", (text + ",".join(["7"] * 10_000) + "\n").encode(), "huge")
    add("2 million rows", text.encode() + b"a,b,xa\n" * 2_000_000, "huge")
    add("only a header", (text.splitlines()[0] + "\n").encode(), "format")
    add("semicolons", text.replace(",", ";").encode(), "format")
    add("tabs", text.replace(",", "\t").encode(), "format")
    add("binary", bytes(random.Random(7).randrange(256) for _ in range(5000)), "foreign")
    add("empty", b"", "foreign")
    add("xlsx bytes named .csv", _zip_bytes({"xl/workbook.xml": b"<workbook/>"}), "foreign")
    return cases


# --------------------------------------------------------------------------- the return's hidden sheet

def _set_data_sheet(src: Path, dst: Path, edit) -> Path:  # noqa: ANN001 - edit(rows) -> rows
    """Rewrite the hidden data sheet's rows (a list of lists) with openpyxl."""
    import openpyxl

    from core.reports.workbook_format import DATA_SHEET

    wb = openpyxl.load_workbook(src)
    ws = wb[DATA_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    new = edit(rows)
    wb.remove(ws)
    ws = wb.create_sheet(DATA_SHEET)
    ws.sheet_state = "hidden"
    for r in new:
        ws.append(r)
    wb.save(dst)
    return dst


def _content_variants(base: Path, out: Path) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, edit) -> None:  # noqa: ANN001
        p = _set_data_sheet(base, out / f"return_content_{len(cases):02d}.xlsx", edit)
        cases.append(Case(f"returns:{name}", _returns(p), p, "returns", tags=["content"]))

    def with_content(text: str):  # noqa: ANN202
        chunks = [text[i:i + 30_000] for i in range(0, len(text), 30_000)] or [""]

        def edit(rows: list[list]) -> list[list]:
            kept = [r for r in rows if r and r[0] not in ("content", "content_chunks")]
            return kept + [["content_chunks", len(chunks)]] + [["content", c] for c in chunks]
        return edit

    depth = 50_000
    add("JSON nested 50,000 deep (arrays)", with_content('{"values": {}, "x": ' + "[" * depth + "]" * depth + "}"))
    add("JSON nested 50,000 deep (objects)", with_content('{"values": {}, "x": ' + '{"a":' * depth + "1"
                                                          + "}" * depth + "}"))
    add("JSON nested 50,000 deep, unclosed", with_content("[" * depth))
    add("JSON not an object", with_content("[1, 2, 3]"))
    add("JSON values not an object", with_content('{"values": [1, 2]}'))
    add("JSON cut short", with_content('{"values": {"1.1.1": {"value": 5'))
    add("JSON 400-digit value", with_content('{"values": {"1.1.1": {"value": ' + "9" * 400 + "}}}"))
    add("JSON 1e400 value", with_content('{"values": {"1.1.1": {"value": 1e400}}}'))
    add("JSON NaN value", with_content('{"values": {"1.1.1": {"value": NaN}}}'))
    add("chunk count wrong", lambda rows: [r if not (r and r[0] == "content_chunks") else ["content_chunks", 7]
                                           for r in rows])
    add("chunk count not a number", lambda rows: [r if not (r and r[0] == "content_chunks")
                                                  else ["content_chunks", "bảy"] for r in rows])
    add("format version not a number", lambda rows: [r if not (r and r[0] == "format") else ["format", "x"]
                                                     for r in rows])
    add("format version 999", lambda rows: [r if not (r and r[0] == "format") else ["format", 999] for r in rows])
    add("no format mark", lambda rows: [r for r in rows if not (r and r[0] == "format")])
    add("cell records with bad addresses", lambda rows: [
        r if not (r and r[0] == "cell") else ["cell", r[1], r[2], "ZZZZZZ0", r[4], "!!", r[6], r[7]]
        for r in rows])
    add("cell records on a missing sheet", lambda rows: [
        r if not (r and r[0] == "cell") else ["cell", r[1], "Không có", *r[3:]] for r in rows])
    add("data sheet emptied", lambda rows: [])
    return cases


# --------------------------------------------------------------------------- SQLite backups

def _db_variants(backup: Path, out: Path, demo_db: Path) -> list[Case]:
    cases: list[Case] = []
    data = backup.read_bytes()

    def add(name: str, content: bytes | Path, *tags: str) -> Path:
        p = out / f"backup_{len(cases):02d}.db"
        if isinstance(content, Path):
            shutil.copy(content, p)
        else:
            p.write_bytes(content)
        cases.append(Case(f"restore:{name}", _restore(p), p, "restore", tags=list(tags)))
        return p

    page = struct.unpack(">H", data[16:18])[0] or 65536
    for frac in (0.01, 0.2, 0.5, 0.8, 0.97):
        add(f"truncated {frac:.0%}", data[: int(len(data) * frac)], "truncation")
    add("truncated to one page", data[:page], "truncation")
    add("last page dropped", data[:-page], "truncation")
    for offset in (0, 5, 16, 18, 21, 56):
        flipped = bytearray(data)
        flipped[offset] ^= 0x5A
        add(f"header byte {offset} flipped", bytes(flipped), "bitflip")
    rng = random.Random(12)
    starts = [i for i in range(len(data)) if data.startswith(b"CREATE TABLE", i)]
    for k, start in enumerate(rng.sample(starts, min(6, len(starts)))):
        flipped = bytearray(data)
        name_at = start + len(b"CREATE TABLE ") + 1
        flipped[name_at] ^= 0x01  # a letter of the table's name
        add(f"schema text flipped #{k}", bytes(flipped), "bitflip")
    for k in range(4):
        flipped = bytearray(data)
        for _ in range(200):  # b-tree page headers of every page: type byte and cell counts
            pg = rng.randrange(1, max(2, len(data) // page))
            at = pg * page + rng.choice((0, 3, 4))
            if at < len(flipped):
                flipped[at] ^= 0xFF
        add(f"b-tree headers scrambled #{k}", bytes(flipped), "bitflip")
    add("empty file", b"", "foreign")
    add("not SQLite", b"SQLite format 2\x00" + b"\x00" * 4000, "foreign")
    add("a workbook", _zip_bytes({"xl/workbook.xml": b"<workbook/>"}), "foreign")
    lookalike = out / "lookalike_src.db"
    con = sqlite3.connect(lookalike)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES ((SELECT version_num FROM (SELECT ? AS version_num)))",
                (_head(demo_db),))
    con.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY, code TEXT)")
    con.execute('CREATE TABLE "return" (id INTEGER PRIMARY KEY)')
    con.commit()
    con.close()
    add("look-alike (alembic_version, unit, return)", lookalike, "lookalike")
    for missing in ("area", "task", "indicator_value"):
        p = out / f"lookalike_no_{missing}.db"
        shutil.copy(backup, p)
        con = sqlite3.connect(p)
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute(f'DROP TABLE "{missing}"')
        con.commit()
        con.close()
        add(f"table {missing} dropped", p, "lookalike")
    p = out / "lookalike_column.db"
    shutil.copy(backup, p)
    con = sqlite3.connect(p)
    con.execute("ALTER TABLE unit DROP COLUMN valid_to")
    con.commit()
    con.close()
    add("column unit.valid_to dropped", p, "lookalike")
    p = out / "newer.db"
    shutil.copy(backup, p)
    con = sqlite3.connect(p)
    con.execute("UPDATE alembic_version SET version_num = '9999_tuong_lai'")
    con.commit()
    con.close()
    add("schema from a newer version", p, "newer")
    p = out / "no_version.db"
    shutil.copy(backup, p)
    con = sqlite3.connect(p)
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()
    add("alembic_version empty", p, "lookalike")
    return cases


def _head(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def _open_variants(out: Path) -> list[Case]:
    """Read commands on a database file that is not one: they end with a message, not a traceback."""
    cases: list[Case] = []
    empty_shell = out / "shell.db"
    con = sqlite3.connect(empty_shell)
    con.execute("PRAGMA journal_mode=WAL")  # what a creation killed before any table leaves
    con.close()
    for name, path in (("creation killed before any table", empty_shell),):
        for argv in (["units", "list"], ["tasks", "--plan", "1"], ["overview", "--unit", "MH", "--period", PERIOD],
                     ["completeness", "--unit", "MH", "--period", PERIOD], ["validate", "--unit", "MH",
                                                                              "--period", PERIOD]):
            cases.append(Case(f"open:{name}: {argv[0]}", argv, path, "open", db=path))
    text = out / "text.db"
    text.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    garbled = out / "garbled.db"
    garbled.write_bytes(b"SQLite format 3\x00" + bytes(random.Random(3).randrange(256) for _ in range(8192)))
    for name, path in (("a text file", text), ("garbled pages", garbled)):
        cases.append(Case(f"open:{name}: units list", ["units", "list"], path, "open", db=path))
    return cases


# --------------------------------------------------------------------------- the whole corpus

def build_corpus(folder: Path, demo_db: Path) -> list[Case]:
    """Write the valid sources and their damaged variants under ``folder``; the cases, in a fixed order."""
    from main import main

    folder = Path(folder)
    src = folder / "nguon"
    out = folder / "hong"
    src.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    work_db = src / "demo.db"
    shutil.copy(demo_db, work_db)
    quiet = io.StringIO()
    stdout, sys.stdout = sys.stdout, quiet
    try:
        assert main(["--db", str(work_db), "export", "--unit", "MH", "--period", PERIOD,
                     "--xlsx", str(src / "BaoCao_MH.xlsx")]) == 0
        assert main(["--db", str(work_db), "backup", str(src / "sao_luu.db")]) == 0
    finally:
        sys.stdout = stdout

    from tests.helpers.consolidation_helpers import write_seed_appendix
    from tests.helpers.plan_tables import write_002

    plan = src / "ke_hoach.xlsx"
    write_002(plan)
    handmade = write_seed_appendix(src / "bieu_dien_tay.xlsx")
    values_rows = list(csv.reader(open(resource_path("demo", "so_lieu_6_thang_2021.csv"), encoding="utf-8",
                                       newline="")))
    units_rows = list(csv.reader(open(resource_path("demo", "don_vi_minh_hoa.csv"), encoding="utf-8",
                                      newline="")))
    # One invalid level, right under the header (a truncated variant keeps it): the file is always refused.
    units_rows.insert(1, ["MH.LA", "Đơn vị thử", "cấp không có", "MH", "", ""])
    values_xlsx = _write_xlsx(src / "so_lieu.xlsx", values_rows)
    units_xlsx = _write_xlsx(src / "don_vi.xlsx", units_rows)

    cases: list[Case] = []
    cases += _xlsx_variants(src / "BaoCao_MH.xlsx", out, "return", "returns", seed=1)
    cases += _content_variants(src / "BaoCao_MH.xlsx", out)
    cases += _xlsx_variants(plan, out, "plan", "plan", seed=2)
    cases += _xlsx_variants(handmade, out, "handmade", "handmade", seed=3)
    cases += _xlsx_variants(values_xlsx, out, "values", "values", seed=4)
    cases += _xlsx_variants(units_xlsx, out, "units", "units", seed=5)
    cases += _csv_variants(values_rows, out, "values", "values")
    cases += _csv_variants(units_rows, out, "units", "units")
    cases += _db_variants(src / "sao_luu.db", out, work_db)
    cases += _open_variants(out)
    return cases


def _write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


if __name__ == "__main__":  # python -m tests.helpers.fuzz_corpus FOLDER [DEMO_DB]
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "fuzz_corpus")
    if len(sys.argv) > 2:
        demo = Path(sys.argv[2])
    else:
        from tests.conftest import make_demo_db

        target.mkdir(parents=True, exist_ok=True)
        make_demo_db(target).close()
        demo = target / "demo.db"
    corpus = build_corpus(target, demo)
    for case in corpus:
        print(f"{case.kind:9} {case.name:60} {case.file.name}")
    print(f"{len(corpus)} trường hợp trong {target}")
