"""Package check (issue #7): build the bundle from build.spec, run its --selftest, print its size and
its start-up time against a bare PySide6 window frozen the same way, both measured in this run.

    python bench/package_check.py               # build both, selftest, size, start-up (median of 3)
    python bench/package_check.py --no-build    # measure the bundles already in dist/ and build/
    python bench/package_check.py --from-source # start-up only: main.py against bench/bare_window.py

What is compared: the app (dist/TheoDoiCCHC) and bench/bare_window.py, both frozen with build.spec,
so both carry the same Python, Qt build, excludes and plug-in filter, and both are started the same
way (no arguments, CCHC_EXIT_AFTER_SHOW=1). Start-up is the wall time from starting the process until
it prints CCHC_MAIN_WINDOW_SHOWN, which both print after ``show()`` and one processEvents() (the
window is painted). The app then opens its database and fills the window; the time until it prints
CCHC_MAIN_WINDOW_READY is what a user waits for before working: the window filled with the data
of its first page (issue 13: at most 3x the bare window; 8.1x before the window was filled from
a background job, with the frame at 1.48x). The app opens an existing database with the demo data
(made by an untimed first run, which also warms the file cache; the bare window gets an untimed
first run too), so each timed app start includes its start-up backup. Runs alternate app / bare.
Qt uses the offscreen platform unless --platform xcb is given (needs Xvfb and Qt's xcb libraries).

With --from-source nothing is built: ``python main.py`` is timed against ``python bench/bare_window.py``,
both with their bytecode cached in the run's temporary folder (as a bundle carries it). From source
both pay for PySide6's import hook reading every module's source, which a bundle does not.

Exit code 1 if the build fails, the selftest fails or the folder is over 150 MB; the start-up goals
(shown: at most 2x the bare window; filled: at most 3x) are printed, and fail the run only with --strict.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "TheoDoiCCHC"
BARE_NAME = "BareWindow"
APP_DIR = ROOT / "dist" / APP_NAME
BARE_DIST = ROOT / "build" / "package_check" / "dist"
BARE_DIR = BARE_DIST / BARE_NAME
SHOWN = "CCHC_MAIN_WINDOW_SHOWN"
READY = "CCHC_MAIN_WINDOW_READY"
PHASE = "CCHC_PHASE "  # the app's steps between the two (gui.app.startup_phase)
SIZE_GOAL_MB = 150.0
RATIO_GOAL = 2.0  # the frame shown (issue 7)
FILLED_GOAL = 3.0  # the window filled with data (issue 13)
FILLED_BEFORE = 8.1  # the filled window before issue 13 (frozen, offscreen), for comparison
EXE = ".exe" if sys.platform == "win32" else ""


def build(extra: list[str], distpath: Path | None = None, workpath: Path | None = None) -> float:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"]
    if distpath is not None:
        cmd += ["--distpath", str(distpath)]
    if workpath is not None:
        cmd += ["--workpath", str(workpath)]
    cmd += [str(ROOT / "build.spec"), *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-4000:], proc.stderr[-8000:], sep="\n")
        raise SystemExit(f"build failed: {' '.join(cmd)}")
    return took


def folder_size(folder: Path) -> tuple[int, int, int]:
    """(bytes on disk as du counts them, apparent bytes, files); symlinks are not followed."""
    on_disk = apparent = files = 0
    seen: set[tuple[int, int]] = set()
    for path in folder.rglob("*"):
        st = path.lstat()
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        apparent += st.st_size
        on_disk += getattr(st, "st_blocks", (st.st_size + 4095) // 4096 * 8) * 512
        files += path.is_file() and not path.is_symlink()
    return on_disk, apparent, files


def user_env(home: Path, platform: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "QT_QPA_PLATFORM": platform,
    })
    return env


def time_markers(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting ``cmd`` to each marker line it prints (CCHC_EXIT_AFTER_SHOW=1)."""
    env = dict(env, CCHC_EXIT_AFTER_SHOW="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    for line in proc.stdout:
        if line.strip() in (SHOWN, READY) or line.startswith(PHASE):
            seen[line.strip()] = time.perf_counter() - t0
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise SystemExit(f"{cmd[0]} did not quit after showing its window") from None
    if SHOWN not in seen:
        raise SystemExit(f"{cmd[0]} exited with {proc.returncode} without showing its window")
    return seen


def start_xvfb() -> subprocess.Popen | None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("--platform xcb needs Xvfb (Debian: xvfb)")
    proc = subprocess.Popen([xvfb, ":97", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ["DISPLAY"] = ":97"
    time.sleep(1.0)
    return proc


def time_startup(app_cmd: list[str], bare_cmd: list[str], env: dict[str, str], runs: int, platform: str,
                 strict: bool, failed: list[str]) -> None:
    """Time ``runs`` alternating starts of the app and the bare window; print both ratios and goals."""
    time_markers([*app_cmd, "--demo"], env)  # untimed: creates the demo database, warms the cache
    time_markers(bare_cmd, env)  # untimed: warms the cache
    app_shown, app_ready, bare_shown = [], [], []
    steps: dict[str, list[float]] = {}
    for _ in range(runs):
        app = time_markers(app_cmd, env)
        app_shown.append(app[SHOWN])
        app_ready.append(app[READY])
        for name, t in app.items():
            steps.setdefault(name, []).append(t)
        bare_shown.append(time_markers(bare_cmd, env)[SHOWN])
    shown_med, ready_med, bare_med = map(statistics.median, (app_shown, app_ready, bare_shown))
    ratio, filled = shown_med / bare_med, ready_med / bare_med

    def row(label: str, med: float, times: list[float]) -> str:
        return f"  {label:<40}{med * 1000:6.0f} ms  [{', '.join(f'{t * 1000:.0f}' for t in times)}]"

    print(f"\nstart-up ({platform}, median of {runs}, runs alternating):")
    print(row("bare PySide6 window, shown (the floor):", bare_med, bare_shown))
    print(row("app, main window shown:", shown_med, app_shown))
    print(row("app, database open and window filled:", ready_med, app_ready))
    print(f"  ratio app / bare to a shown main window: {ratio:.2f}x  [goal <= {RATIO_GOAL:.1f}x: "
          f"{'met' if ratio <= RATIO_GOAL else 'MISSED'}]")
    print(f"  ratio app / bare to a filled main window: {filled:.2f}x  [goal <= {FILLED_GOAL:.1f}x: "
          f"{'met' if filled <= FILLED_GOAL else 'MISSED'}; before issue 13: {FILLED_BEFORE:.1f}x]")
    best = min(app_ready) / min(bare_shown)
    print(f"  the same, best run against best run (less sensitive to a busy machine): {best:.2f}x")
    print("  where the app's time goes (median time each step was reached; the step since the one before):")
    before = 0.0
    for name, times in sorted(steps.items(), key=lambda kv: statistics.median(kv[1])):
        med = statistics.median(times)
        print(f"    {med * 1000:6.0f} ms  (+{(med - before) * 1000:4.0f})  {name.removeprefix(PHASE)}")
        before = med
    if strict and ratio > RATIO_GOAL:
        failed.append(f"start-up ratio {ratio:.2f} > {RATIO_GOAL}")
    if strict and filled > FILLED_GOAL:
        failed.append(f"filled-window ratio {filled:.2f} > {FILLED_GOAL}")


def from_source(args: argparse.Namespace) -> int:
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cchc-startup-") as tmp:
        home = Path(tmp)
        env = user_env(home, args.platform)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")  # compiled once (untimed run), as in a bundle
        python = sys.executable
        time_startup([python, str(ROOT / "main.py")], [python, str(ROOT / "bench" / "bare_window.py")], env,
                     args.runs, args.platform, args.strict, failed)
    print()
    if failed:
        print("start-up check: FAILED — " + "; ".join(failed))
        return 1
    print("start-up check: OK")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-build", action="store_true", help="measure the bundles already built")
    ap.add_argument("--from-source", action="store_true", help="start-up only, from source (nothing is built)")
    ap.add_argument("--runs", type=int, default=3, help="timed starts of each program (median reported)")
    ap.add_argument("--platform", default="offscreen", choices=("offscreen", "xcb"), help="Qt platform plug-in")
    ap.add_argument("--strict", action="store_true", help="also fail when a start-up goal is missed")
    args = ap.parse_args()
    failed: list[str] = []

    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    if args.from_source:
        return from_source(args)
    if not args.no_build:
        took = build([])
        print(f"build of {APP_NAME} from build.spec: {took:.1f} s")
        took_bare = build(["--", "--entry", "bench/bare_window.py", "--name", BARE_NAME],
                          distpath=BARE_DIST, workpath=ROOT / "build" / "package_check" / "work")
        print(f"build of the bare PySide6 window (same spec): {took_bare:.1f} s")
    app_exe = APP_DIR / (APP_NAME + EXE)
    bare_exe = BARE_DIR / (BARE_NAME + EXE)
    for exe in (app_exe, bare_exe):
        if not exe.is_file():
            raise SystemExit(f"missing {exe}: run without --no-build")

    xvfb = start_xvfb() if args.platform == "xcb" else None
    try:
        with tempfile.TemporaryDirectory(prefix="cchc-package-check-") as tmp:
            home = Path(tmp)
            env = user_env(home, args.platform)

            print("\n--selftest of the bundle:")
            proc = subprocess.run([str(app_exe), "--selftest"], env=env, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=300)
            print("  " + proc.stdout.strip().replace("\n", "\n  "))
            if proc.returncode != 0:
                print(proc.stderr[-4000:])
                failed.append(f"--selftest exited with {proc.returncode}")

            on_disk, apparent, files = folder_size(APP_DIR)
            bare_disk, _, _ = folder_size(BARE_DIR)
            size_mb = max(on_disk, apparent) / 1e6
            print(f"\nbundle size: {on_disk / 2**20:.1f} MiB on disk ({on_disk / 1e6:.1f} MB), "
                  f"{apparent / 2**20:.1f} MiB apparent, {files} files  [goal <= {SIZE_GOAL_MB:.0f} MB: "
                  f"{'met' if size_mb <= SIZE_GOAL_MB else 'MISSED'}]")
            print(f"bare PySide6 window frozen the same way: {bare_disk / 2**20:.1f} MiB on disk")
            if size_mb > SIZE_GOAL_MB:
                failed.append(f"bundle is {size_mb:.1f} MB > {SIZE_GOAL_MB:.0f} MB")

            time_startup([str(app_exe)], [str(bare_exe)], env, args.runs, args.platform, args.strict, failed)
    finally:
        if xvfb is not None:
            xvfb.terminate()

    print()
    if failed:
        print("package check: FAILED — " + "; ".join(failed))
        return 1
    print("package check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
