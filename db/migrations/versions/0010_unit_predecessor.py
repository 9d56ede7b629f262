"""unit predecessors: the communes a merged commune was made from

- unit_predecessor: one row per (unit, predecessor): commune C formed on 1/7/2025 from A and B
  has two rows (C, A) and (C, B) with ``since`` = 01/07/2025. A and B keep their rows and their
  data; they close the day before (``unit.valid_to``). Earlier data of A and B is shown under C
  (the unit's history, the completeness board of the parent).

Only an addition: every existing row is kept as it is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_predecessor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["predecessor_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "predecessor_id"),
    )
    with op.batch_alter_table("unit_predecessor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_predecessor_predecessor_id"), ["predecessor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unit_predecessor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_predecessor_predecessor_id"))
    op.drop_table("unit_predecessor")
