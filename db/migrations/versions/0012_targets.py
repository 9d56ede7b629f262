"""plan targets: a plan's quantified targets, tracked against the return's figures

- plan_target: one row per confirmed target — an indicator (``code``) or a ratio of two
  (``code``/``of_code`` as a percentage), a comparison (ge | le | eq) and a value, belonging to a
  plan (``plan_id``) or to a unit for a year (``year``); ``source_text`` keeps the plan's sentence.
  Proposals read from a plan's text are never stored until a user confirms them.
- plan.document_text: the plan document's own text (its "Mục tiêu" lines), so targets can be
  proposed from it later; NULL for every existing plan.
- plan.parent_plan_id: a sub-plan (Kế hoạch tuyên truyền, Kế hoạch kiểm tra) of another plan; its
  tasks are reported as the sub-plan's count ("05/10 nhiệm vụ"), not added to the main plan's; NULL
  for every existing plan (each stays a plan of its own, counted as before).

Only additions: every existing row is kept as it is.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): rebuilding "plan" on SQLite would drop it, and with it, through
    # ON DELETE CASCADE, every task of every plan.
    op.add_column("plan", sa.Column("document_text", sa.Text(), nullable=True))
    # No foreign key on it for the same reason (SQLite cannot add one without the rebuild); plans are never
    # deleted one by one, and a sub-plan whose main plan is gone is still reported on its own.
    op.add_column("plan", sa.Column("parent_plan_id", sa.Integer(), nullable=True))
    op.create_table(
        "plan_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("of_code", sa.String(length=32), nullable=True),
        sa.Column("op", sa.String(length=2), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_target_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_target_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_target_unit_id"))
        batch_op.drop_index(batch_op.f("ix_plan_target_plan_id"))
    op.drop_table("plan_target")
    op.drop_column("plan", "parent_plan_id")  # plain DROP COLUMN (SQLite 3.35+): no rebuild, tasks kept
    op.drop_column("plan", "document_text")
