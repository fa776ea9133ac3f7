"""Someone else pays: the payer's name on a payment, approved payers per account, and the
dealer setting that enforces them

Revision ID: 0017_third_party_payers
Revises: 0015_self_service
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_third_party_payers"
down_revision = "0015_self_service"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(sa.Column("payer_name", sa.String(length=200)))
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(sa.Column("approved_payers", sa.JSON(), nullable=False,
                                      server_default="[]"))
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.add_column(sa.Column("payers_must_be_approved", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.drop_column("payers_must_be_approved")
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("approved_payers")
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_column("payer_name")
