"""The collections floor: the consent ledger, and "no texts until" agreed by staff

Revision ID: 0010_collections_floor
Revises: 0013_confirmation_numbers
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_collections_floor"
down_revision = "0013_confirmation_numbers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("dealer_id", sa.Integer(), nullable=False),
        sa.Column("borrower_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("confirmation", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name="fk_consent_events_borrower_id_borrowers",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["dealer_id"], ["dealers.id"],
                                name="fk_consent_events_dealer_id_dealers", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_consent_events"),
    )
    op.create_index("ix_consent_events_borrower_id", "consent_events", ["borrower_id"])
    op.create_index("ix_consent_events_dealer_phone", "consent_events", ["dealer_id", "phone"])
    op.create_index("ix_consent_events_dealer_at", "consent_events", ["dealer_id", "at"])
    # Opt-outs from before the ledger: one entry each, so the record starts complete.
    op.execute(
        "INSERT INTO consent_events (at, dealer_id, borrower_id, phone, change, source, evidence)"
        " SELECT COALESCE(opted_out_at, updated_at), dealer_id, id, phone, 'revoked', 'legacy',"
        " 'opted out before the consent ledger existed' FROM borrowers WHERE opted_out"
    )
    with op.batch_alter_table("borrowers") as batch_op:
        batch_op.add_column(sa.Column("texts_paused_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("borrowers") as batch_op:
        batch_op.drop_column("texts_paused_until")
    op.drop_index("ix_consent_events_dealer_at", table_name="consent_events")
    op.drop_index("ix_consent_events_dealer_phone", table_name="consent_events")
    op.drop_index("ix_consent_events_borrower_id", table_name="consent_events")
    op.drop_table("consent_events")
