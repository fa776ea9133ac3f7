"""Dealers collect more: reminder experiments (variants, the variant each reminder
carried), the team that answers escalations (pacing reminder waves), and the
dealer's payment policy answers

Revision ID: 0012_experiments_pacing_policy
Revises: 0016_question_text
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_experiments_pacing_policy"
down_revision = "0016_question_text"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "experiments", *_timestamps(),
        sa.Column("dealer_id", sa.Integer(),
                  sa.ForeignKey("dealers.id", name="fk_experiments_dealer_id_dealers",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("allocation", sa.String(length=20), nullable=False),
        sa.Column("min_share", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_experiments_dealer_id", "experiments", ["dealer_id"])
    op.create_index("ix_experiments_status", "experiments", ["status"])
    op.create_table(
        "experiment_variants", *_timestamps(),
        sa.Column("experiment_id", sa.Integer(),
                  sa.ForeignKey("experiments.id",
                                name="fk_experiment_variants_experiment_id_experiments",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("body_es", sa.Text(), nullable=True),
    )
    op.create_index("ix_experiment_variants_experiment_id", "experiment_variants",
                    ["experiment_id"])
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_reminders_variant_id_experiment_variants",
                                    "experiment_variants", ["variant_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.create_index("ix_reminders_variant_id", ["variant_id"])
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.add_column(sa.Column("escalation_staff", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalations_per_staff_hour", sa.Integer(),
                                      nullable=False, server_default="4"))
    op.create_table(
        "policy_answers", *_timestamps(),
        sa.Column("dealer_id", sa.Integer(),
                  sa.ForeignKey("dealers.id", name="fk_policy_answers_dealer_id_dealers",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("topic", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.UniqueConstraint("dealer_id", "topic", "language", name="uq_policy_answers_topic"),
    )
    op.create_index("ix_policy_answers_dealer_id", "policy_answers", ["dealer_id"])


def downgrade() -> None:
    op.drop_index("ix_policy_answers_dealer_id", table_name="policy_answers")
    op.drop_table("policy_answers")
    with op.batch_alter_table("dealers") as batch_op:
        batch_op.drop_column("escalations_per_staff_hour")
        batch_op.drop_column("escalation_staff")
    with op.batch_alter_table("reminders") as batch_op:
        batch_op.drop_index("ix_reminders_variant_id")
        batch_op.drop_constraint("fk_reminders_variant_id_experiment_variants",
                                 type_="foreignkey")
        batch_op.drop_column("variant_id")
    op.drop_index("ix_experiment_variants_experiment_id", table_name="experiment_variants")
    op.drop_table("experiment_variants")
    op.drop_index("ix_experiments_status", table_name="experiments")
    op.drop_index("ix_experiments_dealer_id", table_name="experiments")
    op.drop_table("experiments")
