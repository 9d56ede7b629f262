"""PAR-Index timings for a district of ``--units`` communes (default 250), against floors measured in the
same run on the same database:

- scoring: every self-scored leaf of every unit through ``core.index.scoring.set_score`` (bounds, note rule,
  audit), against raw SQL inserts of the same score rows and audit rows (``executemany``);
- one score as the screen makes it (``set_score`` + ``compute_totals`` of that unit), against a single raw
  SQL insert + commit: what a clerk waits for after pressing Enter;
- ranking: ``core.index.appraisal.ranking`` (totals, survey, deductions, index with the rounding rule, ranks
  with ties) of all units, against one SQL ``GROUP BY`` summing the same scores.

Prints seconds and ratios. Run: ``python bench/bench_index.py [--units N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from core.index.appraisal import appraise, ranking  # noqa: E402
from core.index.scoring import assessment_for, compute_totals, criteria_of, set_score  # noqa: E402
from db.engine import open_database  # noqa: E402
from db.models import Unit  # noqa: E402
from tests.helpers.index_helpers import make_units  # noqa: E402
from tests.helpers.index_tables import main as write_tables  # noqa: E402

YEAR = 2025


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=250)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_tables(folder)
        from core.index.criteria import store_set
        from core.index.criteria_import import read_criteria_table

        db = open_database(folder / "bench.db")
        make_units(db)
        with db.transaction() as s:
            store_set(s, read_criteria_table(folder / "chiso_xa_2025.xlsx", YEAR))
            district = s.scalar(text("SELECT id FROM unit WHERE code = 'H'"))
            for i in range(4, args.units + 1):
                s.add(Unit(code=f"H.X{i}", name=f"UBND xã Minh Họa {i:03d}", level="xa", parent_id=district))
        codes = [f"H.X{i}" for i in range(1, args.units + 1)]
        with db.transaction() as s:
            for code in codes:
                assessment_for(s, code, YEAR)
            leaves = [c for c in criteria_of(s, assessment_for(s, codes[0], YEAR))
                      if c.is_leaf and c.depth and c.kind == "self"]
            survey = [c for c in criteria_of(s, assessment_for(s, codes[0], YEAR)) if c.kind == "survey" and c.is_leaf
                      and c.depth]
            ids = {code: assessment_for(s, code, YEAR).id for code in codes}
            leaf_ids = [(c.id, c.code, c.max_centi) for c in leaves]

        # floor: the same rows written by raw SQL, in one transaction
        with db.engine.begin() as conn:
            t0 = time.perf_counter()
            conn.execute(text("INSERT INTO index_score (assessment_id, criterion_id, self_centi, not_applicable, "
                              "updated_at) VALUES (:a, :c, :p, 0, CURRENT_TIMESTAMP)"),
                         [{"a": ids[code], "c": cid, "p": mx} for code in codes for cid, _, mx in leaf_ids])
            conn.execute(text("INSERT INTO audit_entry (at, user, action, entity, field, new_value) VALUES "
                              "(CURRENT_TIMESTAMP, 'bench', 'update', 'index_score', :f, :v)"),
                         [{"f": f"tự chấm {cc}", "v": str(mx / 100)} for _ in codes for _, cc, mx in leaf_ids])
            floor_insert = time.perf_counter() - t0
            conn.execute(text("DELETE FROM index_score"))
            conn.execute(text("DELETE FROM audit_entry WHERE user = 'bench'"))

        t0 = time.perf_counter()
        with db.transaction() as s:
            for n, code in enumerate(codes):
                a = assessment_for(s, code, YEAR)
                for _, cc, mx in leaf_ids:
                    pts = mx if (n + len(cc)) % 7 else max(0, mx - 50)
                    set_score(s, a, cc, pts / 100, note=None if pts == mx else "Chưa đạt")
                a.status = "submitted"
                for c in survey:
                    appraise(s, code, YEAR, c.code, (c.max_centi - 100 * (n % 3)) / 100, "Điều tra xã hội học")
        scoring = time.perf_counter() - t0
        n_scores = len(codes) * len(leaf_ids)

        # one score as the screen makes it, against one raw insert + commit
        t0 = time.perf_counter()
        with db.transaction() as s:
            a = assessment_for(s, codes[0], YEAR)
            a.status = "draft"  # as after a reopen
            set_score(s, a, leaf_ids[0][1], 0.5, note="Ban hành chậm")
            compute_totals(s, a)
            a.status = "submitted"
        one = time.perf_counter() - t0
        with db.engine.begin() as conn:
            t0 = time.perf_counter()
            conn.execute(text("INSERT INTO audit_entry (at, user, action, entity) VALUES (CURRENT_TIMESTAMP, 'bench', "
                              "'update', 'index_score')"))
        one_floor = time.perf_counter() - t0

        with db.session() as s:
            t0 = time.perf_counter()
            r = ranking(s, "H", YEAR)
            rank_time = time.perf_counter() - t0
            t0 = time.perf_counter()
            rows = s.execute(text("SELECT assessment_id, SUM(self_centi), SUM(appraised_centi) FROM index_score "
                                  "GROUP BY assessment_id")).all()
            rank_floor = time.perf_counter() - t0
        ranked = sum(len(v) for v in r.groups.values())
        assert ranked == len(codes) == len(rows), (ranked, len(rows))
        db.close()

    print(f"PAR-Index, {len(codes)} units × {len(leaf_ids)} self-scored leaves = {n_scores} scores")
    print(f"  scoring  set_score (+ survey appraisal) {scoring:7.2f} s | raw SQL insert {floor_insert:7.3f} s | "
          f"ratio {scoring / floor_insert:6.1f} | {scoring / n_scores * 1e3:5.2f} ms per score")
    print(f"  one score + totals (the screen's Enter) {one * 1e3:6.1f} ms | raw insert + commit "
          f"{one_floor * 1e3:5.1f} ms | ratio {one / one_floor:6.1f}")
    print(f"  ranking  {ranked} units                 {rank_time:7.3f} s | SQL GROUP BY {rank_floor:7.4f} s | "
          f"ratio {rank_time / rank_floor:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
