"""plan targets: a plan's quantified targets, tracked against the return's figures

- plan_target: one row per confirmed target — an indicator (``code``) or a ratio of two
  (``code``/``of_code`` as a percentage), a comparison (ge | le | eq) and a value, belonging to a
  plan (``plan_id``) or to a unit for a year (``year``); ``source_text`` keeps the plan's sentence.
  Proposals read from a plan's text are never stored until a user confirms them.
- plan.document_text: the plan document's own text (its "Mục tiêu" lines), so targets can be
  proposed from it later; NULL for every existing plan.

Only additions: every existing row is kept as it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_text", sa.Text(), nullable=True))
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
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("document_text")
