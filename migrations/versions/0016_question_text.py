"""the borrower's words a clarifying question is about

Revision ID: 0016_question_text
Revises: 0009_shared_platform_stripe
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_question_text"
down_revision = "0009_shared_platform_stripe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.add_column(sa.Column("awaiting_text", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.drop_column("awaiting_text")
