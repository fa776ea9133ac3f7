"""No Stripe call can forget whose account it acts in: a scan of bot/.

A Stripe client exists only for a Merchant (bot/payments/merchant.py), bound
to its account when built. The scan holds the code to that: clients are built
in merchant.py alone; only the gateway modules ask a Merchant for its client,
and the gateway only of a Merchant its caller passed in; Stripe's global,
key-in-a-module-variable API is not used at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILDS_CLIENTS = "bot/payments/merchant.py"
# Calls for a dealer: the Merchant must come in as an argument.
GATEWAY = "bot/payments/stripe_gateway.py"
# Calls of the platform itself (Connect's OAuth; the emulator's stand-in accounts).
PLATFORM_CALLS = "bot/payments/connect.py"
ALLOWED_GLOBALS = {"Webhook"}  # stripe.Webhook.construct_event only checks a signature


def _merchant_parameters(function: ast.AST) -> set[str]:
    arguments = function.args
    return {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            if a.annotation is not None and ast.unparse(a.annotation) == "Merchant"}


def problems_in(source: str, path: str) -> list[str]:
    """Every way `source` (the module at `path`) could reach Stripe for no named account."""
    found = []
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree)
                 if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    owner = {id(child): f for f in functions for child in ast.walk(f)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        where = f"{path}:{node.lineno}"
        if isinstance(func, ast.Name | ast.Attribute) and \
                getattr(func, "id", getattr(func, "attr", None)) == "StripeClient" \
                and path != BUILDS_CLIENTS:
            found.append(f"{where}: builds a StripeClient outside {BUILDS_CLIENTS}")
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) \
                and isinstance(func.value.value, ast.Name) and func.value.value.id == "stripe" \
                and func.value.attr[:1].isupper() and func.value.attr not in ALLOWED_GLOBALS:
            found.append(f"{where}: stripe.{func.value.attr}.{func.attr} uses the global key")
        if isinstance(func, ast.Attribute) and func.attr == "client" and not node.args:
            receiver = ast.unparse(func.value)
            function = owner.get(id(node))
            if path == PLATFORM_CALLS and receiver == "PLATFORM":
                continue
            if path == GATEWAY and function is not None \
                    and receiver in _merchant_parameters(function):
                continue
            found.append(f"{where}: {receiver}.client() — a Stripe client for an account the "
                         "caller did not pass in")
    return found


def test_every_stripe_call_in_bot_acts_in_an_account_its_caller_named():
    problems = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        problems += problems_in(path.read_text(), relative)
    assert problems == []


def test_the_scan_catches_a_call_that_forgets_the_account():
    forgetful = '''
import stripe
from bot.payments.merchant import PLATFORM, Merchant

def charge(merchant: Merchant, dealer) -> None:
    PLATFORM.client().v1.payment_intents.create(params={})
    stripe.PaymentIntent.create(amount=100)
    stripe.StripeClient("sk").v1.customers.list()
    Merchant(dealer.stripe_account_id).client()
'''
    assert len(problems_in(forgetful, GATEWAY)) == 4
    assert len(problems_in(forgetful, "bot/dialogue/payment_flow.py")) == 4
    fine = '''
def charge(merchant: Merchant) -> None:
    client = merchant.client()
    client.v1.payment_intents.create(params={})
'''
    assert problems_in(fine, GATEWAY) == []
    assert len(problems_in(fine, "bot/payments/charging.py")) == 1
