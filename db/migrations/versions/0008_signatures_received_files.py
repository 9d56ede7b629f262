"""signatures and evidence that travels: trusted certificates, files received in return packages

- trusted_certificate: the certificates (certification authorities' roots) and revocation lists a
  receiving unit imported to check the digital signatures of the returns it receives (offline).
- received_file: the files that came inside a unit's signed return package — its PDF report and the
  evidence files of its tasks — kept so the consolidating office can open them.

Only additions: every existing row is kept as it is.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("serial", sa.String(length=128), nullable=True),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("not_after", sa.DateTime(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "sha256"),
    )
    with op.batch_alter_table("trusted_certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trusted_certificate_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "received_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_file_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("period_code", sa.String(length=16), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("package_path", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("task_area", sa.String(length=32), nullable=True),
        sa.Column("task_number", sa.String(length=32), nullable=True),
        sa.Column("task_title", sa.Text(), nullable=True),
        sa.Column("document_number", sa.String(length=128), nullable=True),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("stored_path", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["imported_file_id"], ["imported_file.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("received_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_received_file_imported_file_id"), ["imported_file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_received_file_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("received_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_received_file_imported_file_id"))
    op.drop_table("received_file")
    with op.batch_alter_table("trusted_certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trusted_certificate_unit_id"))
    op.drop_table("trusted_certificate")
