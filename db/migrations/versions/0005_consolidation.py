"""consolidation: files received from units below, and where consolidated values came from

- imported_file: every return file an import looked at, with its outcome (imported,
  replaced, skipped, rejected) and reason, its unit, period, form version, the SHA-256 of
  the file and of its content (to find duplicates and newer versions), and which file
  replaced it;
- consolidation_source: for each value of a consolidated return, the unit below, its
  return, its file and the value it gave (blank included, since blank is not 0).

Two new tables only: every existing row is kept as it is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("unit_name", sa.Text(), nullable=True),
        sa.Column("period_code", sa.String(length=16), nullable=True),
        sa.Column("template_code", sa.String(length=64), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("task_total", sa.Integer(), nullable=True),
        sa.Column("task_done", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("user", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["parent_unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["return_id"], ["return.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["superseded_by_id"], ["imported_file.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("imported_file", schema=None) as batch_op:
        batch_op.create_index("ix_imported_file_parent_period", ["parent_unit_id", "period_code"], unique=False)
        batch_op.create_index("ix_imported_file_unit_period", ["unit_id", "period_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_imported_file_file_sha256"), ["file_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_imported_file_content_sha256"), ["content_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_imported_file_return_id"), ["return_id"], unique=False)

    op.create_table(
        "consolidation_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("child_return_id", sa.Integer(), nullable=True),
        sa.Column("imported_file_id", sa.Integer(), nullable=True),
        sa.Column("value_num", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("included", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["return.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["child_return_id"], ["return.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["imported_file_id"], ["imported_file.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consolidation_source", schema=None) as batch_op:
        batch_op.create_index("ix_consolidation_source_value", ["return_id", "indicator_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consolidation_source", schema=None) as batch_op:
        batch_op.drop_index("ix_consolidation_source_value")
    op.drop_table("consolidation_source")
    with op.batch_alter_table("imported_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_file_return_id"))
        batch_op.drop_index(batch_op.f("ix_imported_file_content_sha256"))
        batch_op.drop_index(batch_op.f("ix_imported_file_file_sha256"))
        batch_op.drop_index("ix_imported_file_unit_period")
        batch_op.drop_index("ix_imported_file_parent_period")
    op.drop_table("imported_file")
