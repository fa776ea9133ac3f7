"""Posting signed Twilio webhooks to the app, as Twilio would."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

PUBLIC_URL = "https://textpay.test"
AUTH_TOKEN = "test-twilio-auth-token"
DEALER_NUMBER = "+15550100000"


def signed_headers(path: str, form: dict[str, str], token: str = AUTH_TOKEN) -> dict[str, str]:
    """The X-Twilio-Signature Twilio would send for this form at PUBLIC_URL + path."""
    signature = RequestValidator(token).compute_signature(PUBLIC_URL + path, form)
    return {"X-Twilio-Signature": signature}


def sms_form(from_number: str, body: str, to: str = DEALER_NUMBER,
             sid: str | None = None) -> dict[str, str]:
    """The fields Twilio posts for an inbound text."""
    return {
        "From": from_number, "To": to, "Body": body,
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": "ACtest", "NumMedia": "0",
    }


def twiml_messages(xml: bytes | str) -> list[str]:
    """The texts of the <Message> elements of a TwiML answer."""
    root = ET.fromstring(xml)  # noqa: S314 - our own app's TwiML
    return [m.text or "" for m in root.iter("Message")]


class Phone:
    """A borrower's phone: texts the app through the signed webhook."""

    def __init__(self, client, number: str, to: str = DEALER_NUMBER) -> None:
        self.client, self.number, self.to = client, number, to

    def text(self, body: str, sid: str | None = None) -> list[str]:
        """Send one text; return the bot's reply texts (asserting a 200)."""
        form = sms_form(self.number, body, self.to, sid)
        response = self.client.post("/twilio/sms", data=form,
                                    headers=signed_headers("/twilio/sms", form))
        assert response.status_code == 200, response.data
        return twiml_messages(response.data)

    def say(self, body: str) -> str:
        """Send one text; return the replies joined into one string."""
        return "\n".join(self.text(body))
