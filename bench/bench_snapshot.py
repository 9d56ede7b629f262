"""Timings of the frozen snapshot of a submitted return, against floors measured in the same run.

- freezing (what submitting adds): ``ReturnExport.snapshot`` + canonical JSON, against plain
  ``json.dumps`` of the same dict;
- rebuilding a frozen return for an export: ``json.loads`` + ``ReturnExport.from_snapshot``, against
  reading the same return from the database (``live_export``: values, plan tasks and progress,
  narrative drafted from the figures, header from the settings);

for the demo province's 6-month return, and for a province-sized consolidated return (the demo's
tasks repeated for about 250 units, ~9 500 task rows) where the floor is ``json.loads`` of the text.

Prints seconds (best of ``--repeat``) and ratios. Run: ``python bench/bench_snapshot.py [--units N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.app.demo import load_demo  # noqa: E402
from core.returns.entry import find_unit_return  # noqa: E402
from core.returns.report_collect import live_export
from core.returns.report_model import ExportTask, ReturnExport, canonical_json
from db.engine import open_database  # noqa: E402


def best(repeat: int, fn, *args) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times)


def freeze_text(data: ReturnExport) -> str:
    return canonical_json(data.snapshot())


def rebuild(text: str) -> ReturnExport:
    return ReturnExport.from_snapshot(json.loads(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=250, help="units whose task rows the large return carries")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        try:
            with db.transaction() as s:
                load_demo(s)
            with db.session() as s:
                ret = find_unit_return(s, "MH", "2021-H1")
                live = best(args.repeat, live_export, s, ret)
                data = live_export(s, ret)
        finally:
            db.close()
        text = freeze_text(data)
        plain = best(args.repeat, json.dumps, data.snapshot())
        frozen = best(args.repeat, freeze_text, data)
        again = best(args.repeat, rebuild, text)
        print(f"demo return: {len(data.rows)} form rows, {len(data.tasks)} tasks, snapshot {len(text) / 1e3:.0f} kB")
        print(f"  freeze   snapshot + canonical JSON {frozen * 1e3:7.2f} ms | json.dumps {plain * 1e3:7.2f} ms | "
              f"ratio {frozen / plain:5.2f}")
        print(f"  rebuild  from the snapshot         {again * 1e3:7.2f} ms | live_export {live * 1e3:7.2f} ms | "
              f"ratio {again / live:5.2f}")

        tasks: list[ExportTask] = []
        for i in range(1, args.units + 1):
            tasks.extend(dataclasses.replace(t, owner=f"UBND xã Minh Họa {i:03d}") for t in data.tasks)
        big = dataclasses.replace(data, tasks=tasks, consolidated=True)
        big_text = freeze_text(big)
        loads = best(args.repeat, json.loads, big_text)
        frozen = best(args.repeat, freeze_text, big)
        plain = best(args.repeat, json.dumps, big.snapshot())
        again = best(args.repeat, rebuild, big_text)
        print(f"province return: {len(big.tasks)} task rows, snapshot {len(big_text) / 1e6:.1f} MB")
        print(f"  freeze   snapshot + canonical JSON {frozen:7.3f} s | json.dumps {plain:7.3f} s | "
              f"ratio {frozen / plain:5.2f}")
        print(f"  rebuild  from the snapshot         {again:7.3f} s | json.loads {loads:7.3f} s | "
              f"ratio {again / loads:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
