"""Shared platform mode: every dealer without a connected Stripe account shares the
deployment's own; each customer there belongs to the first dealer that imported it

0006 let one dealer at most use the deployment's own Stripe account (a unique index on
`dealers.uses_platform_stripe`). Now any number of dealers share it until they connect
their own, and `platform_customers` records which dealer each customer in it belongs
to; its unique customer id is what keeps two dealers from taking the same customer.

Upgrading: the one-holder index goes; every dealer without a connected account shares
the deployment's account again (as all did before 0006), and a connected one would if it
disconnected (`textpay stripe-account --require-connect` says otherwise for a dealer);
each customer that unconnected dealers' accounts hold is claimed for the dealer of the
oldest of those accounts. An
account that holds a customer another dealer also holds (possible before 0006) is not
charged (bot/payments/shared_account.py): the operator sees `card_unavailable` and the
borrower is asked for a card of their own.

Revision ID: 0009_shared_platform_stripe
Revises: 0006_stripe_connect
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_shared_platform_stripe"
down_revision = "0007_session_version"
branch_labels = None
depends_on = None

HOLDER = sa.text("uses_platform_stripe")

CLAIM_OLDEST_HOLDERS = """
INSERT INTO platform_customers (stripe_customer_id, dealer_id, created_at, updated_at)
SELECT accounts.stripe_customer_id, accounts.dealer_id, accounts.created_at,
       accounts.created_at
FROM accounts
WHERE accounts.id IN (
    SELECT MIN(held.id) FROM accounts AS held
    JOIN dealers ON dealers.id = held.dealer_id
    WHERE held.stripe_customer_id IS NOT NULL AND dealers.stripe_account_id IS NULL
    GROUP BY held.stripe_customer_id)
"""


def upgrade() -> None:
    op.drop_index("uq_dealers_platform_stripe", table_name="dealers")
    # The new default for every dealer: a connected one falls back to it if it disconnects.
    op.execute("UPDATE dealers SET uses_platform_stripe = TRUE")
    op.create_table(
        "platform_customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("stripe_customer_id", sa.String(length=255), nullable=False),
        sa.Column("dealer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dealer_id"], ["dealers.id"], ondelete="CASCADE",
                                name="fk_platform_customers_dealer_id_dealers"),
        sa.PrimaryKeyConstraint("id", name="pk_platform_customers"),
        sa.UniqueConstraint("stripe_customer_id",
                            name="uq_platform_customers_stripe_customer_id"),
    )
    op.create_index("ix_platform_customers_dealer_id", "platform_customers", ["dealer_id"])
    op.create_index("ix_accounts_stripe_customer_id", "accounts", ["stripe_customer_id"])
    op.execute(CLAIM_OLDEST_HOLDERS)


def downgrade() -> None:
    op.drop_index("ix_accounts_stripe_customer_id", table_name="accounts")
    op.drop_index("ix_platform_customers_dealer_id", table_name="platform_customers")
    op.drop_table("platform_customers")
    # One holder again: the oldest dealer that shares keeps the deployment's account.
    op.execute("UPDATE dealers SET uses_platform_stripe = FALSE WHERE uses_platform_stripe "
               "AND id > (SELECT MIN(id) FROM dealers WHERE uses_platform_stripe)")
    op.create_index("uq_dealers_platform_stripe", "dealers", ["uses_platform_stripe"],
                    unique=True, sqlite_where=HOLDER, postgresql_where=HOLDER)
