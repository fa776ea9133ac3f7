"""conversations, campaigns and console

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:46:38.647740
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('message_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_message_templates_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates')),
    sa.UniqueConstraint('dealer_id', 'kind', 'language', name='uq_templates_dealer_kind_lang')
    )
    with op.batch_alter_table('message_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_templates_dealer_id'), ['dealer_id'], unique=False)

    op.create_table('schedule_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_schedule_steps_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_steps'))
    )
    with op.batch_alter_table('schedule_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_steps_dealer_id'), ['dealer_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_users_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name='uq_users_email')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_dealer_id'), ['dealer_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('borrower_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('trigger', sa.String(length=30), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['borrower_id'], ['borrowers.id'], name=op.f('fk_survey_responses_borrower_id_borrowers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_survey_responses_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_dealer_id'), ['dealer_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_audit_log_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_audit_log_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_dealer_id'), ['dealer_id'], unique=False)

    op.create_table('call_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_call_logs_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_call_logs_dealer_id_dealers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_logs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_logs'))
    )
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_logs_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_logs_dealer_id'), ['dealer_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_disputes_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_disputes_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_dealer_id'), ['dealer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_status'), ['status'], unique=False)

    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('borrower_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('holder_name', sa.String(length=200), nullable=True),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_escalations_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['borrower_id'], ['borrowers.id'], name=op.f('fk_escalations_borrower_id_borrowers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_escalations_dealer_id_dealers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['holder_id'], ['users.id'], name=op.f('fk_escalations_holder_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_borrower_id'), ['borrower_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_dealer_id'), ['dealer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_status'), ['status'], unique=False)

    op.create_table('payment_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('paid_on', sa.String(length=100), nullable=True),
    sa.Column('method', sa.String(length=100), nullable=True),
    sa.Column('words', sa.Text(), nullable=True),
    sa.Column('pause_until', sa.Date(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_payment_claims_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_payment_claims_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_claims'))
    )
    with op.batch_alter_table('payment_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_claims_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_claims_dealer_id'), ['dealer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_claims_status'), ['status'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('installment_count', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_plans_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_plans_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_dealer_id'), ['dealer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_status'), ['status'], unique=False)

    op.create_table('promises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('promised_date', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('words', sa.Text(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_promises_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_promises_dealer_id_dealers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promises'))
    )
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promises_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promises_dealer_id'), ['dealer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promises_status'), ['status'], unique=False)

    op.create_table('installments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_installments_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_installments_payment_id_payments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_installments_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installments')),
    sa.UniqueConstraint('plan_id', 'sequence', name='uq_installments_plan_seq')
    )
    with op.batch_alter_table('installments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_installments_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_installments_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_installments_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_installments_status'), ['status'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('dealer_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=40), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=True),
    sa.Column('send_after', sa.DateTime(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_reminders_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_reminders_dealer_id_dealers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_reminders_message_id_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('account_id', 'template', 'offset_days', 'due_date', name='uq_reminders_account_step_due')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_dealer_id'), ['dealer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_status'), ['status'], unique=False)

    with op.batch_alter_table('borrowers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invalid_number', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('last_inbound_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_survey_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_max_installments', sa.Integer(), nullable=False, server_default='4'))
        batch_op.add_column(sa.Column('plan_min_installment_cents', sa.Integer(), nullable=False, server_default='2500'))
        batch_op.add_column(sa.Column('plan_max_days', sa.Integer(), nullable=False, server_default='60'))
        batch_op.add_column(sa.Column('plan_frequencies', sa.String(length=60), nullable=False, server_default='weekly,biweekly,monthly'))
        batch_op.add_column(sa.Column('promise_max_days', sa.Integer(), nullable=False, server_default='14'))
        batch_op.add_column(sa.Column('already_paid_pause_days', sa.Integer(), nullable=False, server_default='5'))
        batch_op.add_column(sa.Column('send_time', sa.String(length=5), nullable=False, server_default='10:00'))
        batch_op.add_column(sa.Column('quiet_start', sa.String(length=5), nullable=False, server_default='21:00'))
        batch_op.add_column(sa.Column('quiet_end', sa.String(length=5), nullable=False, server_default='08:00'))
        batch_op.add_column(sa.Column('reminder_cap_per_week', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('messages_per_second', sa.Float(), nullable=False, server_default='1.0'))
        batch_op.add_column(sa.Column('business_hours', sa.String(length=120), nullable=False, server_default='Mon-Fri 09:00-18:00'))
        batch_op.add_column(sa.Column('response_target_minutes', sa.Integer(), nullable=False, server_default='60'))
        batch_op.add_column(sa.Column('quick_replies', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('survey_enabled', sa.Boolean(), nullable=False, server_default=sa.false()))

    

def downgrade() -> None:
    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.drop_column('survey_enabled')
        batch_op.drop_column('quick_replies')
        batch_op.drop_column('response_target_minutes')
        batch_op.drop_column('business_hours')
        batch_op.drop_column('messages_per_second')
        batch_op.drop_column('reminder_cap_per_week')
        batch_op.drop_column('quiet_end')
        batch_op.drop_column('quiet_start')
        batch_op.drop_column('send_time')
        batch_op.drop_column('already_paid_pause_days')
        batch_op.drop_column('promise_max_days')
        batch_op.drop_column('plan_frequencies')
        batch_op.drop_column('plan_max_days')
        batch_op.drop_column('plan_min_installment_cents')
        batch_op.drop_column('plan_max_installments')

    with op.batch_alter_table('borrowers', schema=None) as batch_op:
        batch_op.drop_column('last_survey_at')
        batch_op.drop_column('last_inbound_at')
        batch_op.drop_column('invalid_number')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_status'))
        batch_op.drop_index(batch_op.f('ix_reminders_sent_at'))
        batch_op.drop_index(batch_op.f('ix_reminders_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_account_id'))

    op.drop_table('reminders')
    with op.batch_alter_table('installments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_installments_status'))
        batch_op.drop_index(batch_op.f('ix_installments_plan_id'))
        batch_op.drop_index(batch_op.f('ix_installments_due_date'))
        batch_op.drop_index(batch_op.f('ix_installments_account_id'))

    op.drop_table('installments')
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promises_status'))
        batch_op.drop_index(batch_op.f('ix_promises_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_promises_account_id'))

    op.drop_table('promises')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_status'))
        batch_op.drop_index(batch_op.f('ix_plans_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_plans_account_id'))

    op.drop_table('plans')
    with op.batch_alter_table('payment_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_claims_status'))
        batch_op.drop_index(batch_op.f('ix_payment_claims_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_payment_claims_account_id'))

    op.drop_table('payment_claims')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_status'))
        batch_op.drop_index(batch_op.f('ix_escalations_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_borrower_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_account_id'))

    op.drop_table('escalations')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_status'))
        batch_op.drop_index(batch_op.f('ix_disputes_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_account_id'))

    op.drop_table('disputes')
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_logs_dealer_id'))
        batch_op.drop_index(batch_op.f('ix_call_logs_account_id'))

    op.drop_table('call_logs')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_dealer_id'))

    op.drop_table('audit_log')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_dealer_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_dealer_id'))

    op.drop_table('users')
    with op.batch_alter_table('schedule_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_steps_dealer_id'))

    op.drop_table('schedule_steps')
    with op.batch_alter_table('message_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_templates_dealer_id'))

    op.drop_table('message_templates')
    