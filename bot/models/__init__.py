"""SQLAlchemy models. Import from here: `from bot.models import Account`."""

from bot.models.base import Base
from bot.models.borrower import Account, Borrower, end_page_sessions
from bot.models.campaign import (
    MessageTemplate,
    Reminder,
    ReminderStatus,
    ScheduleStep,
    SurveyResponse,
)
from bot.models.consent import ConsentChange, ConsentEvent
from bot.models.dealer import ApiKey, Dealer, DealerNumber
from bot.models.dispute import Dispute, PaymentClaim
from bot.models.escalation import Escalation, EscalationReason, EscalationStatus
from bot.models.experiment import Experiment, ExperimentAllocation, ExperimentVariant
from bot.models.link import SecureLink
from bot.models.message import ConversationState, Message
from bot.models.payment import ConfirmationCounter, LedgerEntry, Payment, PaymentStatus
from bot.models.plan import Installment, Plan, PlanStatus
from bot.models.platform_customer import PlatformCustomer
from bot.models.policy import PolicyAnswer
from bot.models.promise import Promise
from bot.models.self_service import SelfServiceEvent
from bot.models.stripe_event import StripeEvent
from bot.models.user import AuditEntry, CallLog, User

__all__ = [
    "Account",
    "ApiKey",
    "AuditEntry",
    "Base",
    "Borrower",
    "CallLog",
    "ConfirmationCounter",
    "ConsentChange",
    "ConsentEvent",
    "ConversationState",
    "Dealer",
    "DealerNumber",
    "Dispute",
    "Escalation",
    "EscalationReason",
    "EscalationStatus",
    "Experiment",
    "ExperimentAllocation",
    "ExperimentVariant",
    "Installment",
    "LedgerEntry",
    "Message",
    "MessageTemplate",
    "Payment",
    "PaymentClaim",
    "PaymentStatus",
    "Plan",
    "PlanStatus",
    "PlatformCustomer",
    "PolicyAnswer",
    "Promise",
    "Reminder",
    "ReminderStatus",
    "ScheduleStep",
    "SecureLink",
    "SelfServiceEvent",
    "StripeEvent",
    "SurveyResponse",
    "User",
    "end_page_sessions",
]
