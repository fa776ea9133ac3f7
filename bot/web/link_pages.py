"""What every page behind a texted link shares: strict security headers and CSRF.

Those pages (bot/web/secure_pages.py, bot/web/payer_pages.py) are opened from a
text on a phone, by whoever holds the link; `protect(blueprint)` gives a
blueprint the same protection.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

# Only our own page and Stripe's may run here; nobody may frame it (clickjacking the
# "Approve payment" button); the link's token never leaves in a Referer.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' https://js.stripe.com; "
    "frame-src https://js.stripe.com https://hooks.stripe.com; "
    "connect-src 'self' https://api.stripe.com; img-src 'self' data:; style-src 'self'; "
    "base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self' https://checkout.stripe.com"
)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _security_headers(response: Response) -> Response:
    """CSP with frame-ancestors, no framing, no referrer, no caching, on every page."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _check_csrf() -> None:
    """Forms on these pages carry a CSRF token; the single-use link alone is not enough."""
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token", ""))
        except ValidationError:
            abort(400)


def protect(blueprint: Blueprint) -> Blueprint:
    """Give every page of `blueprint` the security headers and the CSRF check."""
    blueprint.after_request(_security_headers)
    blueprint.before_request(_check_csrf)
    return blueprint
