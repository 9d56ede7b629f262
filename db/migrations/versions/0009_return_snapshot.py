"""return snapshot: a submitted return is frozen; indicators apply by unit level

- return_snapshot: what a submitted return showed when it was frozen — values, task states
  of the period (Phụ lục II), narrative, header, signer, Nơi nhận, Kính gửi, data window,
  form version and rounding rule — as canonical JSON with its SHA-256 and the data sheet's
  hash. Every later export of the return is built from it. Reopening releases it
  (``released_at``, who, why); released rows stay as history.
- indicator.levels: the unit levels a row of the form applies to (NULL: every level). The
  rows of the bundled form BNV-TK-CCHC version 1 are filled here with the levels its data file
  (resources/forms/bnv_tk_cchc_v1.json) gives them, so a commune sees only its rows as soon
  as the database is upgraded; loading the form file afterwards keeps them in step.

Returns submitted before this upgrade have no snapshot row. Their snapshot is taken the first
time the program needs it after the upgrade — the return shown on the "Báo cáo định kỳ"
screen, exported, its narrative listed, or reopened — from its stored values and narrative and
the unit's settings at that moment (``occasion = "upgrade"``, with an audit entry). Their
values were already locked, so only settings changed between the upgrade and that moment
could differ from what they printed before. Returns received from units below (origin
"imported") are the units' data and are not frozen.

Only additions: every existing row is kept as it is.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The levels of BNV-TK-CCHC v1 at the time of this migration (codes not listed: every level).
_T, _S, _H, _X = "tinh", "so", "huyen", "xa"
_LEVELS_V1 = {
    "1.2.1": [_T], "1.2.2": [_T],
    "1.3.1": [_T, _S], "1.3.2": [_T, _S], "1.3.3": [_T, _S],
    "3.1.1": [_T, _S], "3.1.2": [_T, _S], "3.1.3": [_T, _S], "3.1.3.a": [_T, _S], "3.1.3.b": [_T, _S],
    "3.1.3.c": [_T, _S], "3.2.1": [_T, _S], "3.2.2": [_T, _S],
    "3.4.1": [_T, _S], "3.4.2": [_T, _H], "3.4.3": [_T, _H, _X],
    "3.4.4.a": [_T, _S], "3.4.4.b": [_T, _H], "3.4.4.c": [_T, _H, _X],
    "3.4.5.a": [_T, _S], "3.4.5.b": [_T, _H], "3.4.5.c": [_T, _H, _X],
    "3.5.1": [_T, _S], "3.5.2": [_T, _S], "3.5.3": [_T, _S],
    "4.1.1": [_T], "4.1.2": [_T], "4.1.3": [_T], "4.1.4": [_T], "4.1.4.a": [_T], "4.1.4.b": [_T],
    "4.1.4.c": [_T], "4.1.4.d": [_T],
    "5.2.3": [_T, _S, _H], "5.3.2": [_T, _S], "5.3.3": [_T, _S], "5.3.4": [_T, _H],
    "5.4.1": [_T], "5.4.2": [_T, _S, _H], "5.4.3": [_T, _S, _H],
    "7.1": [_T, _S, _H], "7.2": [_T, _S, _H], "7.3": [_T, _S, _H], "7.4": [_T, _S, _H], "7.5": [_T, _S, _H],
    "7.6.1.a": [_T], "7.6.1.b": [_T], "7.6.1.c": [_T, _H],
    "7.7.1": [_T], "7.7.2": [_T], "7.7.3": [_T, _H],
    "7.8.1": [_T, _S], "7.8.2": [_T, _S],
}


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("levels", sa.JSON(), nullable=True))

    op.create_table(
        "return_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.String(length=128), nullable=True),
        sa.Column("occasion", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("released_by", sa.String(length=128), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["return_id"], ["return.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("return_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_snapshot_return_id"), ["return_id"], unique=False)

    bind = op.get_bind()
    indicator = sa.table("indicator", sa.column("id", sa.Integer), sa.column("template_id", sa.Integer),
                         sa.column("code", sa.String), sa.column("levels", sa.JSON))
    template = sa.table("form_template", sa.column("id", sa.Integer), sa.column("code", sa.String),
                        sa.column("version", sa.Integer))
    ids = [r[0] for r in bind.execute(sa.select(template.c.id).where(
        template.c.code == "BNV-TK-CCHC", template.c.version == 1))]
    for template_id in ids:
        for code, levels in _LEVELS_V1.items():
            bind.execute(indicator.update()
                         .where(indicator.c.template_id == template_id, indicator.c.code == code)
                         .values(levels=levels))


def downgrade() -> None:
    with op.batch_alter_table("return_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_snapshot_return_id"))
    op.drop_table("return_snapshot")
    # Not a batch: recreating "indicator" on SQLite would trip the foreign keys that point at it
    # (SQLite has dropped columns in place since 3.35).
    op.drop_column("indicator", "levels")
