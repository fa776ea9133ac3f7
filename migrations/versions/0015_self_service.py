"""the self-service page: what borrowers did there, for the console's transcript

Revision ID: 0015_self_service
Revises: 0014_contact_preferences
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_self_service"
down_revision = "0014_contact_preferences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "self_service_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("dealer_id", sa.Integer(), nullable=False),
        sa.Column("borrower_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["dealer_id"], ["dealers.id"],
                                name="fk_self_service_events_dealer_id_dealers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name="fk_self_service_events_borrower_id_borrowers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name="fk_self_service_events_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_self_service_events"),
    )
    op.create_index("ix_self_service_events_borrower_id", "self_service_events",
                    ["borrower_id"])


def downgrade() -> None:
    op.drop_index("ix_self_service_events_borrower_id", table_name="self_service_events")
    op.drop_table("self_service_events")
