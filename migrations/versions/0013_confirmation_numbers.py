"""Confirmation numbers only for payments that succeed, without gaps per dealer

A payment used to show TP + its row id, so every canceled or declined prompt used
a number up (TP000001, 3, 5, 12 ...). Now a payment gets the dealer's next
number when it succeeds: `payments.confirmation_number`, counted per dealer in
`confirmation_counters`. Existing succeeded payments are numbered 1, 2, 3 ... per
dealer in the order they succeeded.

Revision ID: 0013_confirmation_numbers
Revises: 0012_experiments_pacing_policy
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_confirmation_numbers"
down_revision = "0012_experiments_pacing_policy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "confirmation_counters",
        sa.Column("dealer_id", sa.Integer(),
                  sa.ForeignKey("dealers.id", name="fk_confirmation_counters_dealer_id_dealers",
                                ondelete="CASCADE"), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False, server_default="0"),
    )
    with op.batch_alter_table("payments") as batch_op:
        batch_op.add_column(sa.Column("confirmation_number", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_payments_dealer_confirmation",
                                          ["dealer_id", "confirmation_number"])
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, dealer_id FROM payments WHERE status = 'succeeded' "
        "ORDER BY dealer_id, COALESCE(settled_at, created_at), id")).all()
    last: dict[int, int] = {}
    for payment_id, dealer_id in rows:
        last[dealer_id] = last.get(dealer_id, 0) + 1
        connection.execute(sa.text("UPDATE payments SET confirmation_number = :n WHERE id = :id"),
                           {"n": last[dealer_id], "id": payment_id})
    for dealer_id in connection.execute(sa.text("SELECT id FROM dealers")).scalars():
        connection.execute(sa.text("INSERT INTO confirmation_counters (dealer_id, last_number) "
                                   "VALUES (:d, :n)"), {"d": dealer_id, "n": last.get(dealer_id, 0)})


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch_op:
        batch_op.drop_constraint("uq_payments_dealer_confirmation", type_="unique")
        batch_op.drop_column("confirmation_number")
    op.drop_table("confirmation_counters")
