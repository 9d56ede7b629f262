"""shared server: a version on every indicator value, and the people who log in

- indicator_value.version: optimistic locking per value. Two people editing the same value
  of the same return on a shared database: the second write, made from a stale read, matches
  no row and is refused with a message instead of silently overwriting the first. Existing
  rows start at version 1.
- app_user: who may log in to a shared database, with a salted scrypt password hash, a role
  (admin | editor | viewer) and the unit whose subtree they see and edit.
- evidence_content: attached evidence files kept in the database on a shared server, where
  there is no folder beside the database that every user can open.

Only additions: every existing row is kept as it is. Independent of 0005 (consolidation): it
can follow either 0004 or 0005.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "evidence_content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence_content", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_content_evidence_id"), ["evidence_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_content_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_content", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_content_sha256"))
        batch_op.drop_index(batch_op.f("ix_evidence_content_evidence_id"))
    op.drop_table("evidence_content")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_unit_id"))
    op.drop_table("app_user")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_column("version")
