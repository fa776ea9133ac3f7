"""Stripe Connect: each dealer's own Stripe account; the account each payment is made in

A dealer's money lands in its connected Stripe account (`stripe_account_id`) or,
for at most one dealer, in the deployment's own account (`uses_platform_stripe`,
single-account mode). An existing deployment with exactly one dealer keeps
working unchanged: that dealer holds the deployment's account. With several
dealers nobody holds it until the operator says who does (`textpay
stripe-account`), because until now they all shared one ledger.

Revision ID: 0006_stripe_connect
Revises: 0005_refunds_disputes
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_stripe_connect"
down_revision = "0005_refunds_disputes"
branch_labels = None
depends_on = None

HOLDER = sa.text("uses_platform_stripe")


def upgrade() -> None:
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.add_column(sa.Column("stripe_account_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("uses_platform_stripe", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_unique_constraint("uq_dealers_stripe_account_id", ["stripe_account_id"])
    op.create_index("uq_dealers_platform_stripe", "dealers", ["uses_platform_stripe"],
                    unique=True, sqlite_where=HOLDER, postgresql_where=HOLDER)
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(sa.Column("stripe_account_id", sa.String(length=64), nullable=True))
    op.execute("UPDATE dealers SET uses_platform_stripe = TRUE "
               "WHERE (SELECT COUNT(*) FROM dealers) = 1")


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_column("stripe_account_id")
    op.drop_index("uq_dealers_platform_stripe", table_name="dealers")
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.drop_constraint("uq_dealers_stripe_account_id", type_="unique")
        batch_op.drop_column("uses_platform_stripe")
        batch_op.drop_column("stripe_account_id")
