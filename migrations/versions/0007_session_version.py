"""portal sessions revocable on the server: a per-user session version

Revision ID: 0007_session_version
Revises: 0006_stripe_connect
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_session_version"
down_revision = "0006_stripe_connect"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_version")
