"""PAR-Index (Chỉ số CCHC): criteria sets, self-assessments, scores, their evidence, received score files

- index_criteria_set / index_criterion: a province's Bộ chỉ số for a level and a year (areas, criteria,
  sub-criteria, maxima in hundredths of a point, scoring guide, evidence asked for);
- index_assessment / index_score / index_evidence: a unit's self-scores and the appraised scores above;
- index_imported_file: the score workbooks received from the units below and their outcomes.

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
    op.create_table(
        "index_criteria_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "level", "version"),
    )
    op.create_index("ix_index_criteria_set_content_sha256", "index_criteria_set", ["content_sha256"])
    op.create_table(
        "index_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("stt", sa.String(length=32), nullable=False),
        sa.Column("parent_code", sa.String(length=32), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("max_centi", sa.Integer(), nullable=False),
        sa.Column("is_leaf", sa.Boolean(), nullable=False),
        sa.Column("scoring_guide", sa.Text(), nullable=True),
        sa.Column("evidence_required", sa.Text(), nullable=True),
        sa.Column("may_not_apply", sa.Boolean(), nullable=False),
        sa.Column("auto_source", sa.String(length=32), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["set_id"], ["index_criteria_set.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("set_id", "code"),
    )
    op.create_index("ix_index_criterion_set_id", "index_criterion", ["set_id"])
    op.create_table(
        "index_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(length=128), nullable=True),
        sa.Column("exported_at", sa.String(length=40), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["set_id"], ["index_criteria_set.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "year"),
    )
    op.create_index("ix_index_assessment_set_id", "index_assessment", ["set_id"])
    op.create_index("ix_index_assessment_unit_id", "index_assessment", ["unit_id"])
    op.create_table(
        "index_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("self_centi", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("proposed_centi", sa.Integer(), nullable=True),
        sa.Column("proposal_source", sa.Text(), nullable=True),
        sa.Column("appraised_centi", sa.Integer(), nullable=True),
        sa.Column("appraisal_note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["index_assessment.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["criterion_id"], ["index_criterion.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id", "criterion_id"),
    )
    op.create_index("ix_index_score_assessment_id", "index_score", ["assessment_id"])
    op.create_index("ix_index_score_criterion_id", "index_score", ["criterion_id"])
    op.create_table(
        "index_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score_id", sa.Integer(), nullable=False),
        sa.Column("document_number", sa.String(length=128), nullable=True),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("stored_path", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["score_id"], ["index_score.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_index_evidence_score_id", "index_evidence", ["score_id"])
    op.create_table(
        "index_imported_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("exported_at", sa.String(length=40), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("user", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["index_assessment.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["parent_unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_index_imported_file_parent_year", "index_imported_file", ["parent_unit_id", "year"])


def downgrade() -> None:
    op.drop_index("ix_index_imported_file_parent_year", table_name="index_imported_file")
    op.drop_table("index_imported_file")
    op.drop_index("ix_index_evidence_score_id", table_name="index_evidence")
    op.drop_table("index_evidence")
    op.drop_index("ix_index_score_criterion_id", table_name="index_score")
    op.drop_index("ix_index_score_assessment_id", table_name="index_score")
    op.drop_table("index_score")
    op.drop_index("ix_index_assessment_unit_id", table_name="index_assessment")
    op.drop_index("ix_index_assessment_set_id", table_name="index_assessment")
    op.drop_table("index_assessment")
    op.drop_index("ix_index_criterion_set_id", table_name="index_criterion")
    op.drop_table("index_criterion")
    op.drop_index("ix_index_criteria_set_content_sha256", table_name="index_criteria_set")
    op.drop_table("index_criteria_set")
