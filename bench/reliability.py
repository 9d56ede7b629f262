"""Reliability bench: kill -9 the write commands at random moments and check what is left.

    python bench/reliability.py [--runs N] [--seed S] [--bombs]

Each run takes one write command (demo on a new file, set-values, import-plan, import-returns,
submit, reopen, progress, units import, restore), starts it as a separate process on a fresh copy
of its starting database, waits until the process holds the writer lock (its ``.lock.info`` note
appears), sleeps a random part of the time the command needs after the lock (measured once per
command, uninterrupted, in the same run) and kills it with SIGKILL. Then it looks at the file:

- corrupt: ``PRAGMA integrity_check`` is not "ok" (or the file is not SQLite any more);
- unopenable: the program cannot open it for writing any more;
- half-written: its content is neither the state before the command nor the state after it;
- lost committed rows: rows that were in the database before the command and are gone, while the
  command did not complete (a completed restore or import replaces rows on purpose).

A creation killed before it finished leaves no database (no file, or a file without tables, which
the next command creates whole): that counts as "before".

``--bombs`` also times the refusal of the "bomb under the limits" (tests/helpers/hostile_files.py) on
import-plan, set-values and import-returns, with the peak memory of each process, against the
floor of the same interpreter starting and printing its help; and imports a 25,000-row plan,
against openpyxl's read-only parse of the same file.

Exit status 1 when any run left a corrupt, unopenable or half-written database or lost rows.
``.ci/run`` runs a short version (10 kills).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PY = sys.executable
MAIN = str(REPO / "main.py")
_VOLATILE = re.compile(r"(^|_)(at|on_disk)$")  # timestamps differ between two runs of the same command


@dataclass
class Command:
    name: str
    args: list[str]  # {db} and {work} are filled in
    start: str  # "none" (no database yet) | a key of the prepared databases
    # The state of a new file created whole but not filled yet: the creation (one transaction)
    # and the command's own transaction are two steps, and a kill may fall between them.
    created_is_before: bool = False


def _run(args: list[str], db: Path, **kw) -> subprocess.CompletedProcess:  # noqa: ANN003
    return subprocess.run([PY, MAIN, "--db", str(db), *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=REPO, **kw)


def prepare(work: Path) -> dict[str, Path]:
    """The starting databases and the input files, made once per bench run."""
    from tests.helpers.plan_tables import write_002

    base = work / "base"
    base.mkdir()
    demo = base / "demo.db"
    assert _run(["demo"], demo).returncode == 0
    # A child unit's return, exported, to import upward; and a backup to restore.
    child = base / "child.db"
    shutil.copy(demo, child)
    values = base / "so_lieu.csv"
    values.write_text("code,value,note\n1.1.1,12,\n1.1.2,5,Ghi chú\n2.3,7,\n", encoding="utf-8")
    assert _run(["set-values", "--unit", "MH.SNV", "--period", "2021-Q2", "--from", str(values)], child).returncode \
        in (0, 1)
    assert _run(["export", "--unit", "MH.SNV", "--period", "2021-Q2", "--xlsx", str(base / "snv_q2.xlsx")],
                child).returncode == 0
    assert _run(["backup", str(base / "sao_luu.db")], demo).returncode == 0
    changed = base / "changed.db"
    shutil.copy(demo, changed)
    assert _run(["set-values", "--unit", "MH", "--period", "2022-Q1", "--from", str(values)], changed).returncode \
        in (0, 1)
    reopened = base / "reopened.db"
    shutil.copy(demo, reopened)
    assert _run(["reopen", "--unit", "MH", "--period", "2021-H1", "--reason", "Sửa số liệu"], reopened).returncode == 0
    from db.engine import open_database

    open_database(base / "empty.db").close()
    write_002(base / "ke_hoach.xlsx")
    (base / "don_vi.csv").write_text(
        "code,name,level,parent_code,valid_from\n" + "".join(
            f"MH.X{i:03d},UBND xã Thử {i},xã,MH,01/07/2025\n" for i in range(300)), encoding="utf-8")
    return {"demo": demo, "changed": changed, "reopened": reopened, "empty": base / "empty.db", "files": base}


def commands(files: Path) -> list[Command]:
    return [
        Command("demo trên tệp mới", ["demo"], "none", created_is_before=True),
        Command("set-values", ["set-values", "--unit", "MH", "--period", "2022-Q1", "--from",
                               str(files / "so_lieu.csv")], "demo"),
        Command("import-plan", ["import-plan", str(files / "ke_hoach.xlsx"), "--unit", "MH", "--create-units"],
                "demo"),
        Command("import-returns", ["import-returns", "--unit", "MH", str(files / "snv_q2.xlsx")], "demo"),
        Command("submit", ["submit", "--unit", "MH", "--period", "2021-H1"], "reopened"),
        Command("reopen", ["reopen", "--unit", "MH", "--period", "2021-H1", "--reason", "Sửa"], "demo"),
        Command("progress", ["progress", "--task", "3", "--period", "2021-Q3", "--status", "hoàn thành",
                             "--completed-on", "10/09/2021", "--evidence-number", "Quyết định số 766/QĐ-UBND"],
                "demo"),
        Command("units import", ["units", "import", str(files / "don_vi.csv")], "demo"),
        Command("restore", ["restore", str(files / "sao_luu.db")], "changed"),
    ]


# --------------------------------------------------------------------------- looking at a database

def fingerprint(db: Path) -> dict[str, frozenset] | None:
    """Every row of every table, without timestamps; None when there is no database (no file, or no table)."""
    if not db.exists() or db.stat().st_size == 0:
        return None
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        if not tables:
            return None
        out = {}
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")') if not _VOLATILE.search(r[1])]
            col_list = ", ".join(f'"{c}"' for c in cols)
            out[t] = frozenset(con.execute(f'SELECT {col_list} FROM "{t}"'))
        return out
    finally:
        con.close()


def integrity(db: Path) -> str:
    if not db.exists() or db.stat().st_size == 0:
        return "ok"
    try:
        con = sqlite3.connect(db)
        try:
            return con.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)


def opens_for_writing(db: Path) -> bool:
    from db.engine import open_database
    from db.errors import DatabaseError

    try:
        open_database(db).close()
        return True
    except DatabaseError:
        return False


def lost_rows(before: dict | None, after: dict | None) -> int:
    if before is None:
        return 0
    after = after or {}
    return sum(len(rows - after.get(t, frozenset())) for t, rows in before.items())


# --------------------------------------------------------------------------- one kill

def start_state(cmd: Command, dbs: dict[str, Path], target: Path) -> None:
    for p in target.parent.glob(target.name + "*"):
        p.unlink()
    shutil.rmtree(target.with_name(target.stem + ".backups"), ignore_errors=True)
    shutil.rmtree(target.with_name(target.stem + ".attachments"), ignore_errors=True)
    if cmd.start != "none":
        shutil.copy(dbs[cmd.start], target)


def wait_for_lock(proc: subprocess.Popen, db: Path, timeout: float = 60) -> float | None:
    note = db.with_name(db.name + ".lock.info")
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if note.exists():
            return time.perf_counter()
        if proc.poll() is not None:
            return None
        time.sleep(0.0005)
    return None


def calibrate(cmd: Command, dbs: dict[str, Path], folder: Path) -> tuple[float, dict | None, int, bool]:
    """How long the command runs after taking the lock, the state it leaves when not killed, its exit
    code and whether it changed the database at all (a command that writes nothing tests nothing)."""
    target = folder / "calib.db"
    start_state(cmd, dbs, target)
    before = fingerprint(target)
    proc = subprocess.Popen([PY, MAIN, "--db", str(target), *cmd.args], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    locked = wait_for_lock(proc, target)
    proc.wait()
    took = time.perf_counter() - locked if locked else 0.5
    after = fingerprint(target)
    return max(took, 0.02), after, proc.returncode, after != before


@dataclass
class Outcome:
    command: str
    delay: float
    state: str  # before | after | half-written
    corrupt: bool
    unopenable: bool
    lost: int


def kill_once(cmd: Command, dbs: dict[str, Path], folder: Path, window: float, complete: dict | None,
              rng: random.Random) -> Outcome:
    target = folder / "live.db"
    start_state(cmd, dbs, target)
    before = fingerprint(target)
    created = fingerprint(dbs["empty"]) if cmd.created_is_before else None
    proc = subprocess.Popen([PY, MAIN, "--db", str(target), *cmd.args], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    locked = wait_for_lock(proc, target)
    delay = rng.uniform(0, window * 1.1)
    if locked is not None:
        time.sleep(max(0.0, delay - (time.perf_counter() - locked)))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ok = integrity(target)
    after = fingerprint(target) if ok == "ok" else None
    if ok != "ok":
        state = "half-written"
    elif after == before or (created is not None and after == created):
        state = "before"
    elif after == complete:
        state = "after"
    else:
        state = "half-written"
    unopenable = not opens_for_writing(target)
    lost = 0 if state == "after" else lost_rows(before, after)
    return Outcome(cmd.name, delay, state, ok != "ok", unopenable, lost)


# --------------------------------------------------------------------------- bombs and a big plan

def peak_run(args: list[str], db: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MB of that one process, exit code, last line printed) for one CLI run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([PY, MAIN, "--db", str(db), *args], stdout=out, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)  # the peak memory of this child alone
        took = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = (err.read().decode("utf-8", "replace").strip() or out.read().decode("utf-8", "replace").strip())
    last = text.splitlines()[-1:] or [""]
    return took, usage.ru_maxrss / 1024, proc.returncode, last[0]


def bombs(work: Path, dbs: dict[str, Path]) -> None:
    from tests.helpers.hostile_files import write_big_plan, write_bomb

    print("\nBom dưới giới hạn (4 MB chứa 376 MB ô), mỗi lệnh một tiến trình riêng:")
    floor_t, floor_mb, _, _ = peak_run(["--help"], dbs["demo"])
    print(f"  nền: khởi động chương trình và in trợ giúp: {floor_t:.2f} s, {floor_mb:.0f} MB")
    for kind, args in (("plan", ["import-plan", "{f}", "--unit", "MH"]),
                       ("values", ["set-values", "--unit", "MH", "--period", "2022-Q1", "--from", "{f}"]),
                       ("return", ["import-returns", "--unit", "MH", "{f}"])):
        bomb = write_bomb(work / f"bom_{kind}.xlsx", kind)
        db = work / f"bom_{kind}.db"
        shutil.copy(dbs["demo"], db)
        took, mb, code, last = peak_run([a.replace("{f}", str(bomb)) for a in args], db)
        print(f"  {args[0]:15} mã thoát {code}: {took:.2f} s ({took / floor_t:.1f}× nền), đỉnh bộ nhớ "
              f"{mb:.0f} MB ({mb / floor_mb:.1f}× nền) — {last[:110]}")

    print("\nKế hoạch 25.000 dòng (nhập cả kế hoạch):")
    plan = write_big_plan(work / "ke_hoach_25000.xlsx", 25_000)
    import openpyxl

    t0 = time.perf_counter()
    wb = openpyxl.load_workbook(plan, read_only=True, data_only=True)
    cells = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    wb.close()
    floor = time.perf_counter() - t0
    db = work / "ke_hoach.db"
    shutil.copy(dbs["demo"], db)
    took, mb, code, last = peak_run(["import-plan", str(plan), "--unit", "MH"], db)
    con = sqlite3.connect(db)
    tasks = con.execute("SELECT COUNT(*) FROM task WHERE plan_id = (SELECT MAX(id) FROM plan)").fetchone()[0]
    con.close()
    print(f"  nền: openpyxl đọc (read-only) {cells} ô của tệp: {floor:.2f} s")
    print(f"  import-plan mã thoát {code}: {tasks} nhiệm vụ, {took:.2f} s ({took / floor:.1f}× nền), đỉnh bộ nhớ "
          f"{mb:.0f} MB")


# --------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="số lần kill -9 (mặc định 100)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--bombs", action="store_true", help="đo thêm bom dưới giới hạn và kế hoạch 25.000 dòng")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="cchc-reliability-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("XDG_STATE_HOME", str(work / "state"))  # crash logs stay in the bench's folder
        dbs = prepare(work)
        cmds = commands(dbs["files"])
        folder = work / "runs"
        folder.mkdir()
        print("Đo thời gian mỗi lệnh sau khi giữ khóa ghi (một lần chạy trọn, cùng lần đo):")
        calib = {}
        for cmd in cmds:
            took, complete, code, wrote = calibrate(cmd, dbs, folder)
            calib[cmd.name] = (took, complete)
            print(f"  {cmd.name:18} {took * 1000:7.0f} ms  (mã thoát {code}"
                  f"{'' if wrote else '; KHÔNG ghi gì vào cơ sở dữ liệu'})")
        outcomes: list[Outcome] = []
        t0 = time.perf_counter()
        for i in range(args.runs):
            cmd = cmds[i % len(cmds)]
            window, complete = calib[cmd.name]
            outcomes.append(kill_once(cmd, dbs, folder, window, complete, rng))
        took = time.perf_counter() - t0
        print(f"\n{len(outcomes)} lần kill -9 trong {took:.0f} s:")
        print(f"  {'lệnh':18} {'kill':>5} {'trước':>6} {'sau':>5} {'dở dang':>8} {'hỏng':>5} {'không mở':>9} "
              f"{'mất dòng':>9}")
        for cmd in cmds:
            mine = [o for o in outcomes if o.command == cmd.name]
            if not mine:
                continue
            print(f"  {cmd.name:18} {len(mine):5} {sum(o.state == 'before' for o in mine):6} "
                  f"{sum(o.state == 'after' for o in mine):5} {sum(o.state == 'half-written' for o in mine):8} "
                  f"{sum(o.corrupt for o in mine):5} {sum(o.unopenable for o in mine):9} "
                  f"{sum(o.lost for o in mine):9}")
        corrupt = sum(o.corrupt for o in outcomes)
        unopenable = sum(o.unopenable for o in outcomes)
        half = sum(o.state == "half-written" for o in outcomes)
        lost = sum(o.lost for o in outcomes)
        print(f"  {'tổng':18} {len(outcomes):5} {sum(o.state == 'before' for o in outcomes):6} "
              f"{sum(o.state == 'after' for o in outcomes):5} {half:8} {corrupt:5} {unopenable:9} {lost:9}")
        print(f"Kills: {len(outcomes)}, cơ sở dữ liệu hỏng: {corrupt}, dòng đã ghi bị mất: {lost}, "
              f"không mở được: {unopenable}, ghi dở dang: {half}.")
        if args.bombs:
            bombs(work, dbs)
    return 1 if corrupt or unopenable or half or lost else 0


if __name__ == "__main__":
    sys.exit(main())
