"""dialogue state: fallbacks in a row, hardship noted, installment retries

Revision ID: 0003_dialogue
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_dialogue"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.add_column(sa.Column("fallback_count", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("hardship_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("installments") as batch_op:
        batch_op.add_column(sa.Column("next_attempt_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("installments") as batch_op:
        batch_op.drop_column("next_attempt_on")
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.drop_column("hardship_at")
        batch_op.drop_column("fallback_count")
