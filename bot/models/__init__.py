"""SQLAlchemy models. Import from here: `from bot.models import Account`."""

from bot.models.base import Base
from bot.models.borrower import Account, Borrower
from bot.models.dealer import ApiKey, Dealer, DealerNumber
from bot.models.link import SecureLink
from bot.models.message import ConversationState, Message
from bot.models.payment import LedgerEntry, Payment, PaymentStatus
from bot.models.stripe_event import StripeEvent

__all__ = [
    "Account",
    "ApiKey",
    "Base",
    "Borrower",
    "ConversationState",
    "Dealer",
    "DealerNumber",
    "LedgerEntry",
    "Message",
    "Payment",
    "PaymentStatus",
    "SecureLink",
    "StripeEvent",
]
