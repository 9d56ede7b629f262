"""plans and progress: activity lead/partners/budget, task source row, progress entered status,
evidence added_at/file_size

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Only new nullable columns: every existing row is kept as it is (NULL in the new columns).
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A provincial plan gives each "Hoạt động" row its own lead unit, partners and budget.
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_unit_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("partner_units_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("budget", sa.Text(), nullable=True))
    # The sheet row a task was imported from, so a person can find it in the source file.
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_row", sa.Integer(), nullable=True))
    # What the person chose (chưa triển khai / đang thực hiện / hoàn thành); ``status`` stays the
    # derived one (hoàn thành đúng hạn / quá hạn …) that reports count.
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_status", sa.String(length=32), nullable=True))
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("file_size", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("file_size")
        batch_op.drop_column("added_at")
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.drop_column("entered_status")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("source_row")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("budget")
        batch_op.drop_column("partner_units_text")
        batch_op.drop_column("lead_unit_text")
