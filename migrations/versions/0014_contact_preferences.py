"""contact preferences: a borrower's window, days to avoid and chosen language; the
dealer's longest pause a borrower may ask for; what a consent entry changed

Revision ID: 0014_contact_preferences
Revises: 0010_collections_floor
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_contact_preferences"
down_revision = "0010_collections_floor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("borrowers") as batch_op:
        batch_op.add_column(sa.Column("contact_window_start", sa.String(length=5)))
        batch_op.add_column(sa.Column("contact_window_end", sa.String(length=5)))
        batch_op.add_column(sa.Column("contact_avoid_days", sa.String(length=30)))
        batch_op.add_column(sa.Column("language_chosen", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.add_column(sa.Column("max_pause_days", sa.Integer(), nullable=False,
                                      server_default="30"))
    with op.batch_alter_table("consent_events") as batch_op:
        batch_op.add_column(sa.Column("detail", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("consent_events") as batch_op:
        batch_op.drop_column("detail")
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.drop_column("max_pause_days")
    with op.batch_alter_table("borrowers") as batch_op:
        batch_op.drop_column("language_chosen")
        batch_op.drop_column("contact_avoid_days")
        batch_op.drop_column("contact_window_end")
        batch_op.drop_column("contact_window_start")
