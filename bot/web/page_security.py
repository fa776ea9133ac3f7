"""Security for the borrower's pages reached from a text (/secure/*, /me/*, /pay/*).

Only our own page and Stripe's may run there; nobody may frame them (clickjacking
a "Pay" or "Approve payment" button); a link's token never leaves in a Referer;
nothing is cached; every form carries a CSRF token (the link alone is not enough).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

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
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _check_csrf() -> None:
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token", ""))
        except ValidationError:
            abort(400)


def protect(blueprint: Blueprint) -> None:
    """Give every page of `blueprint` the headers above and CSRF checks on its forms."""
    blueprint.after_request(_security_headers)
    blueprint.before_request(_check_csrf)
