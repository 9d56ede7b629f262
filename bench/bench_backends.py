"""Province scale on both back-ends: about 1 M stored values in SQLite and in PostgreSQL.

Builds, with the same code on each back-end, a province of ``--units`` communes (250) with a
return for each of the four report periods of a year (Q1, 6 months, Q3, year) for ``--years``
years (10) and up to ``--indicators`` values per return (the real form has 98 value rows):
250 × 40 × 98 = 980 000 ``indicator_value`` rows, loaded with bulk inserts. Then times, on each
back-end (best of ``--repeat`` runs):

- overview: per child unit and report period of one year, the return's status and how many values
  are filled (blank is not 0) — the province's "who has reported" screen;
- consolidate: the sum and count of every indicator over the 250 children for one period, and
  the results written into the province's return through ``core.returns.store.store_value`` (with its
  audit entries), in one transaction;
- open one return: ``core.returns.entry.grid_rows`` of a child's return (index use at 1 M rows).

Prints seconds per back-end and PostgreSQL / SQLite. SQLite is the embedded default and the
floor here; the server pays a network round trip per statement but lets many people work at once.

Run (PostgreSQL from .ci/pg_test_server or any server where the user may CREATE DATABASE):

    python bench/bench_backends.py --pg postgresql+psycopg://postgres@127.0.0.1:5544/postgres

Without ``--pg`` (or ``CCHC_TEST_PG_URL``) only SQLite is measured. ``--units 25 --years 2`` gives
a quick run. The full build takes a few minutes (most of it the 1 M-row load on each back-end), so
the bench is not part of every test run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import and_, create_engine, func, insert, or_, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.forms import current_template, ensure_standard_content  # noqa: E402
from core.periods import ensure_period  # noqa: E402
from core.returns.entry import grid_rows  # noqa: E402
from core.returns.store import get_or_create_return, store_value  # noqa: E402
from core.values import ParsedValue  # noqa: E402
from db.engine import open_database  # noqa: E402
from db.models import Indicator, IndicatorValue, Period, Return, Unit, utcnow  # noqa: E402

BATCH = 10_000
PERIODS = ("Q1", "H1", "Q3", "Y")  # the four CCHC reports of a year (Decree 09/2019)


def build(target: str, units: int, years: int, indicators: int) -> dict:
    """The province, its communes, their quarterly returns and values; returns ids and counts."""
    db = open_database(target)
    started = time.perf_counter()
    try:
        with db.transaction() as s:
            ensure_standard_content(s)
            tpl = current_template(s)
            inds = list(s.scalars(select(Indicator).where(Indicator.template_id == tpl.id, Indicator.kind == "value")
                                  .order_by(Indicator.sort_order)))[:indicators]
            province = Unit(code="P", name="UBND tỉnh Đo Tải", level="tinh")
            s.add(province)
            s.flush()
            s.execute(insert(Unit), [{"code": f"P.X{i:03d}", "name": f"UBND xã Đo Tải {i:03d}", "level": "xa",
                                      "parent_id": province.id} for i in range(1, units + 1)])
            periods = [ensure_period(s, f"{y}-{part}") for y in range(2016, 2016 + years) for part in PERIODS]
            child_ids = list(s.scalars(select(Unit.id).where(Unit.parent_id == province.id).order_by(Unit.id)))
            now = utcnow()
            s.execute(insert(Return), [
                {"unit_id": u, "period_id": p.id, "template_id": tpl.id, "status": "submitted" if (u + p.id) % 5
                 else "draft", "origin": "entered", "created_at": now, "updated_at": now, "version": 1}
                for u in child_ids for p in periods])
            ids = {"province": province.id, "template": tpl.id, "periods": [p.id for p in periods],
                   "period_codes": [p.code for p in periods], "indicators": [i.id for i in inds]}
        with db.transaction() as s:
            returns = list(s.execute(select(Return.id, Return.unit_id, Return.period_id)
                                     .where(Return.unit_id != ids["province"]).order_by(Return.id)))
            rows, stored = [], 0
            for rid, uid, pid in returns:
                for k, ind in enumerate(ids["indicators"]):
                    blank = (rid + k) % 17 == 0  # some values are blank ("no data", not 0)
                    rows.append({"return_id": rid, "indicator_id": ind, "source": "manual", "updated_at": now,
                                 "version": 1, "value_num": None if blank else float((uid * 7 + pid + k) % 50)})
                if len(rows) >= BATCH:
                    s.execute(insert(IndicatorValue), rows)
                    stored += len(rows)
                    rows = []
            if rows:
                s.execute(insert(IndicatorValue), rows)
                stored += len(rows)
        ids.update(values=stored, returns=len(returns), load_seconds=time.perf_counter() - started)
        if not db.features.embedded:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
        return ids
    finally:
        db.close()


def overview(s, ids: dict, year_periods: list[int]) -> list:  # noqa: ANN001
    filled = or_(IndicatorValue.value_num.is_not(None), IndicatorValue.value_text.is_not(None))
    return s.execute(
        select(Return.unit_id, Return.period_id, Return.status, func.count(IndicatorValue.id))
        .join(Unit, Unit.id == Return.unit_id)
        .outerjoin(IndicatorValue, and_(IndicatorValue.return_id == Return.id, filled))
        .where(Unit.parent_id == ids["province"], Return.period_id.in_(year_periods))
        .group_by(Return.unit_id, Return.period_id, Return.status)
    ).all()


def consolidate(s, ids: dict, period_id: int, period_code: str) -> int:  # noqa: ANN001
    sums = s.execute(
        select(IndicatorValue.indicator_id, func.sum(IndicatorValue.value_num), func.count(IndicatorValue.value_num))
        .join(Return, Return.id == IndicatorValue.return_id)
        .join(Unit, Unit.id == Return.unit_id)
        .where(Unit.parent_id == ids["province"], Return.period_id == period_id)
        .group_by(IndicatorValue.indicator_id)
    ).all()
    province = s.get(Unit, ids["province"])
    ret = get_or_create_return(s, province, s.get(Period, period_id), current_template(s))
    inds = {i.id: i for i in s.scalars(select(Indicator).where(Indicator.id.in_(ids["indicators"])))}
    for ind_id, total, count in sums:
        store_value(s, ret, inds[ind_id], ParsedValue(total if count else None, None), source="consolidated",
                    reason=f"Tổng hợp {count} đơn vị, kỳ {period_code}")
    s.flush()
    return len(sums)


def best(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def measure(target: str, ids: dict, repeat: int) -> dict[str, float]:
    db = open_database(target)
    try:
        year = ids["periods"][-4:]
        out = {"load": ids["load_seconds"]}

        def run_overview() -> list:
            with db.session() as s:
                return overview(s, ids, year)

        out["overview"], rows = best(run_overview, repeat)
        assert len(rows) == 4 * (ids["returns"] // len(ids["periods"])), len(rows)

        def run_consolidation() -> int:
            with db.transaction() as s:
                return consolidate(s, ids, ids["periods"][-1], ids["period_codes"][-1])

        out["consolidate"], n = best(run_consolidation, repeat)
        assert n == len(ids["indicators"])

        with db.session() as s:
            some = s.scalar(select(Return.id).where(Return.unit_id != ids["province"]).order_by(Return.id.desc()))

        def run_grid() -> int:
            with db.session() as s:
                return len(grid_rows(s, some))

        out["open return"], _ = best(run_grid, repeat)
        return out
    finally:
        db.close()


def _n(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", default=os.environ.get("CCHC_TEST_PG_URL"),
                    help="PostgreSQL server URL (a database named cchc_bench is created there and dropped)")
    ap.add_argument("--units", type=int, default=250)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--indicators", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        target = str(Path(tmp) / "tinh.db")
        ids = build(target, args.units, args.years, args.indicators)
        print(f"SQLite: {_n(ids['values'])} giá trị trong {_n(ids['returns'])} báo cáo "
              f"({args.units} xã × {len(ids['periods'])} kỳ × {len(ids['indicators'])} chỉ tiêu), "
              f"nạp trong {ids['load_seconds']:.1f} s", flush=True)
        results["SQLite"] = measure(target, ids, args.repeat)
        if args.pg:
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = "cchc_bench"
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            try:
                ids = build(url, args.units, args.years, args.indicators)
                print(f"PostgreSQL: {_n(ids['values'])} giá trị, nạp trong {ids['load_seconds']:.1f} s", flush=True)
                results["PostgreSQL"] = measure(url, ids, args.repeat)
            finally:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

    names = list(results)
    print()
    print(f"{'thao tác':16}" + "".join(f"{n:>14}" for n in names) + ("   PostgreSQL/SQLite" if len(names) == 2 else ""))
    for op in ("load", "overview", "consolidate", "open return"):
        cells = "".join(f"{results[n][op]:>13.3f}s" for n in names)
        ratio = f"   {results['PostgreSQL'][op] / results['SQLite'][op]:>8.2f}×" if len(names) == 2 else ""
        print(f"{op:16}{cells}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
