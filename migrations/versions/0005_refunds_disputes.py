"""refunds and card disputes: refunded amount and dispute flag on payments;
a payment is posted to the ledger once, its refunds as further entries

Revision ID: 0005_refunds_disputes
Revises: 0004_campaigns
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_refunds_disputes"
down_revision = "0004_campaigns"
branch_labels = None
depends_on = None

ONLY_PAYMENTS = sa.text("kind = 'payment'")


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(sa.Column("refunded_cents", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("disputed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("ledger_entries") as batch_op:
        batch_op.drop_constraint("uq_ledger_entries_payment_id", type_="unique")
    op.create_index("uq_ledger_entries_payment_once", "ledger_entries", ["payment_id"],
                    unique=True, sqlite_where=ONLY_PAYMENTS, postgresql_where=ONLY_PAYMENTS)


def downgrade() -> None:
    op.drop_index("uq_ledger_entries_payment_once", table_name="ledger_entries")
    op.execute("DELETE FROM ledger_entries WHERE kind <> 'payment'")
    with op.batch_alter_table("ledger_entries") as batch_op:
        batch_op.create_unique_constraint("uq_ledger_entries_payment_id", ["payment_id"])
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_column("disputed_at")
        batch_op.drop_column("refunded_cents")
