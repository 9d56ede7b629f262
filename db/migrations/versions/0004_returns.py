"""returns: provenance of derived values, basis of a user's narrative edit

- indicator_value.source_value: the number the source (the plan's task progress)
  proposed, kept when the user overrides it, so the grid can show both;
- indicator_value.source_detail: where the number came from, in words
  ("Từ Kế hoạch 751/QĐ-UBND: 11/38 nhiệm vụ hoàn thành đến 14/6/2021");
- return_section.draft_basis: the drafted text the user's text was written from, so a
  later change in the figures can be pointed out without touching the user's words.

All three are nullable additions: existing rows are kept as they are.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("source_detail", sa.Text(), nullable=True))
    with op.batch_alter_table("return_section", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_basis", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_section", schema=None) as batch_op:
        batch_op.drop_column("draft_basis")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_column("source_detail")
        batch_op.drop_column("source_value")
