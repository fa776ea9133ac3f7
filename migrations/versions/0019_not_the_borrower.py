"""someone said they are not the borrower: no account details to this phone until then

Revision ID: 0019_not_the_borrower
Revises: 0018_page_session_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_not_the_borrower"
down_revision = "0018_page_session_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.add_column(sa.Column("not_borrower_until", sa.DateTime()))


def downgrade() -> None:
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.drop_column("not_borrower_until")
