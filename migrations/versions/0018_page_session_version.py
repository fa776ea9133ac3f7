"""self-service page sessions revocable on the server: a per-account session version

Revision ID: 0018_page_session_version
Revises: 0017_third_party_payers
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_page_session_version"
down_revision = "0017_third_party_payers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(sa.Column("page_session_version", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("page_session_version")
