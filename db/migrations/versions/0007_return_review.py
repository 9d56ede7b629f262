"""return review: the receiving unit accepts or sends back each received return

- return_review: one row per decision on one version of a unit's return — the imported file
  that carries it, or (a return typed in directly on a shared database) its submission —
  with the state (accepted | sent_back), the note or reason, who decided and when. A version
  without a row is pending ("chờ xem xét"); consolidation counts accepted versions only.

Existing data (every row is kept; only review rows are added):

- A return imported before this upgrade and still current (outcome imported/replaced, not
  superseded) is marked **accepted**, with the note "Chấp nhận khi nâng cấp …". Reason: until
  now importing *was* accepting — the import already refused tampered, edited, foreign and
  wrong-period files unless the clerk decided otherwise — and these returns are what the
  consolidated figures already in the database were computed from. Making them pending would
  change every consolidated figure at the next run and make an office re-review a season of
  returns it had already taken in. The note records that nobody looked at them under the new
  rule, so a return with validation errors is never accepted without a note.
- Except a file the unit sent as a **draft** ("Nháp"): it stays pending. Under the new rule a
  draft cannot be accepted without a note saying why, and nobody has written one; that is the
  very case consolidation used to count silently.
- A return typed in directly and "Đã hoàn thành" on this database, of a unit that has a
  parent, is accepted for that parent the same way: it was counted as received before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE_NOTE = ("Chấp nhận khi nâng cấp chương trình: báo cáo đã nhận và được tính vào số tổng hợp trước khi có "
                "bước xem xét.")
UPGRADE_BY = "nâng cấp dữ liệu"


def upgrade() -> None:
    op.create_table(
        "return_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_code", sa.String(length=16), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("imported_file_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["parent_unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["return_id"], ["return.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["imported_file_id"], ["imported_file.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("return_review", schema=None) as batch_op:
        batch_op.create_index("ix_return_review_parent_period", ["parent_unit_id", "period_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_review_return_id"), ["return_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_review_imported_file_id"), ["imported_file_id"], unique=False)

    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    files = sa.table("imported_file", sa.column("id", sa.Integer), sa.column("parent_unit_id", sa.Integer),
                     sa.column("unit_id", sa.Integer), sa.column("period_code", sa.String),
                     sa.column("outcome", sa.String), sa.column("return_id", sa.Integer),
                     sa.column("superseded_by_id", sa.Integer), sa.column("details", sa.JSON))
    reviews = sa.table("return_review", sa.column("parent_unit_id", sa.Integer), sa.column("unit_id", sa.Integer),
                       sa.column("period_code", sa.String), sa.column("return_id", sa.Integer),
                       sa.column("imported_file_id", sa.Integer), sa.column("submitted_at", sa.DateTime),
                       sa.column("state", sa.String), sa.column("reason", sa.Text),
                       sa.column("decided_by", sa.String), sa.column("decided_at", sa.DateTime))
    rows = []
    for f in conn.execute(sa.select(files).where(files.c.outcome.in_(("imported", "replaced")),
                                                 files.c.superseded_by_id.is_(None), files.c.unit_id.is_not(None),
                                                 files.c.period_code.is_not(None))):
        if isinstance(f.details, dict) and f.details.get("status") == "draft":
            continue  # a draft needs a note to be accepted: left pending for the clerk
        rows.append({"parent_unit_id": f.parent_unit_id, "unit_id": f.unit_id, "period_code": f.period_code,
                     "return_id": f.return_id, "imported_file_id": f.id, "submitted_at": None,
                     "state": "accepted", "reason": UPGRADE_NOTE, "decided_by": UPGRADE_BY, "decided_at": now})
    ret = sa.table("return", sa.column("id", sa.Integer), sa.column("unit_id", sa.Integer),
                   sa.column("period_id", sa.Integer), sa.column("status", sa.String),
                   sa.column("origin", sa.String), sa.column("submitted_at", sa.DateTime))
    unit = sa.table("unit", sa.column("id", sa.Integer), sa.column("parent_id", sa.Integer))
    period = sa.table("period", sa.column("id", sa.Integer), sa.column("code", sa.String))
    for r in conn.execute(
        sa.select(ret.c.id, ret.c.unit_id, ret.c.submitted_at, unit.c.parent_id, period.c.code)
        .join(unit, unit.c.id == ret.c.unit_id).join(period, period.c.id == ret.c.period_id)
        .where(ret.c.status == "submitted", ret.c.origin == "entered", unit.c.parent_id.is_not(None))
    ):
        rows.append({"parent_unit_id": r.parent_id, "unit_id": r.unit_id, "period_code": r.code, "return_id": r.id,
                     "imported_file_id": None, "submitted_at": r.submitted_at, "state": "accepted",
                     "reason": UPGRADE_NOTE, "decided_by": UPGRADE_BY, "decided_at": now})
    if rows:
        op.bulk_insert(reviews, rows)


def downgrade() -> None:
    with op.batch_alter_table("return_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_review_imported_file_id"))
        batch_op.drop_index(batch_op.f("ix_return_review_return_id"))
        batch_op.drop_index("ix_return_review_parent_period")
    op.drop_table("return_review")
