"""campaigns: phone time zones, deferred messages, reminder attempts, survey links

Revision ID: 0004_campaigns
Revises: 0003_dialogue
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_campaigns"
down_revision = "0003_dialogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("borrowers") as batch_op:
        # The phone number's telling time zones, comma-separated ("" = unknown).
        batch_op.add_column(sa.Column("phone_zones", sa.String(length=300), nullable=True))
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("send_after", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_messages_status_send_after", ["status", "send_after"])
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.create_index("ix_reminders_dealer_status_send_after",
                              ["dealer_id", "status", "send_after"])
    with op.batch_alter_table("survey_responses") as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("trigger_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_survey_responses_account_id_accounts", "accounts",
                                    ["account_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key("fk_survey_responses_message_id_messages", "messages",
                                    ["message_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index("ix_survey_responses_borrower_id", ["borrower_id"])


def downgrade() -> None:
    with op.batch_alter_table("survey_responses") as batch_op:
        batch_op.drop_index("ix_survey_responses_borrower_id")
        batch_op.drop_constraint("fk_survey_responses_message_id_messages", type_="foreignkey")
        batch_op.drop_constraint("fk_survey_responses_account_id_accounts", type_="foreignkey")
        batch_op.drop_column("message_id")
        batch_op.drop_column("trigger_id")
        batch_op.drop_column("account_id")
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.drop_index("ix_reminders_dealer_status_send_after")
        batch_op.drop_column("attempts")
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_index("ix_messages_status_send_after")
        batch_op.drop_column("send_after")
    with op.batch_alter_table("borrowers") as batch_op:
        batch_op.drop_column("phone_zones")
