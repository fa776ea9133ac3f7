"""Dealer message templates: Jinja2 in a sandbox over a fixed set of variables.

A template is checked when it is saved — syntax, unknown variables, and
anything the sandbox forbids — so a broken one never reaches a borrower.
On top of Jinja's sandbox, templates are kept to what a text message needs
(variables, `if`, a few filters, arithmetic): no loops, calls, attribute
access, `set`, `%` formatting or `format`, and no globals (`range`, `lipsum`,
`dict`, `cycler`, `joiner`, `namespace` are gone). That keeps a template from
burning CPU or memory when it renders; on top of it, a render stops once its
output passes MAX_RENDERED characters or RENDER_SECONDS, before the 1,600
character check.

Every kind exists in English and Spanish: the dealer's own text, else the
default shipped in bot/sms_templates/defaults/<language>.yml for its collector
mode.
"""

from __future__ import annotations

import logging
import operator
import time
from datetime import date
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.exceptions import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.localtime import dealer_today
from bot.models import Account, Dealer, MessageTemplate
from bot.sms_templates.checks import preview_result
from bot.sms_templates.variables import VARIABLES, build_context, sample_context
from bot.wording import compliance

log = logging.getLogger(__name__)

KINDS = ("welcome", "reminder_upcoming", "reminder_due", "reminder_overdue", "receipt", "survey")
LANGUAGES = ("en", "es")
# Twilio refuses bodies over 1,600 characters.
MAX_LENGTH = 1600
ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "d",
                             "truncate", "abs", "round", "int"})
_DEFAULTS = Path(__file__).with_name("defaults")
# Bounds on one render (the sandbox and the node whitelist already keep it small).
MAX_RENDERED = 8 * MAX_LENGTH
RENDER_SECONDS = 0.5
# What a template may be made of: text, variables, `if`, filters, tests, arithmetic.
_ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.Name, nodes.If,
    nodes.CondExpr, nodes.Filter, nodes.Test, nodes.Compare, nodes.Operand, nodes.And,
    nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.Add, nodes.Sub, nodes.Mul, nodes.Div,
    nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Concat, nodes.Keyword, nodes.Tuple,
)

__all__ = ["KINDS", "LANGUAGES", "VARIABLES", "TemplateError", "preview", "render_message",
           "render_template", "reset_template", "save_template", "stored_template",
           "template_body", "validate_template"]


class TemplateError(ValueError):
    """A template that cannot be used; the message names the problem."""


class _SmsSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with the operators that could blow up memory refused:
    `**`, `*` on text, and `%` formatting ("%0200000000d" % 1 took 1.3 GB); and
    no `format` / `format_map` on any object."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        """`*` and `%` on numbers only; `**` never."""
        if op == "**":
            raise SecurityError("the ** operator is not allowed")
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in (left, right))
        if op == "%":
            if not numbers:
                raise SecurityError("formatting text with % is not allowed")
            return operator.mod(left, right)
        if not numbers:
            raise SecurityError("repeating text with * is not allowed")
        return operator.mul(left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rules, and never `format` or `format_map`."""
        if attr in ("format", "format_map"):
            return False
        return super().is_safe_attribute(obj, attr, value)


_env = _SmsSandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                   keep_trailing_newline=False)
_env.globals.clear()  # range, lipsum, dict, cycler, joiner, namespace: none is needed
# Validation renders every template once with made-up values.
_SAMPLE_DEALER: Any = SimpleNamespace(name="Sunrise Auto", currency="USD",
                                      contact_phone="+15550100001")


def _forbidden(tree: nodes.Template) -> str | None:
    """Why a parsed template is refused beyond the sandbox's own rules, or None."""
    refused = {nodes.For: "loops ({% for %})", nodes.Macro: "macros",
               nodes.CallBlock: "call blocks", nodes.Include: "include",
               nodes.Import: "import", nodes.FromImport: "import", nodes.Extends: "extends",
               nodes.Call: "function and method calls"}
    for node_type, what in refused.items():
        if next(tree.find_all(node_type), None) is not None:
            return f"{what} are not allowed in a template"
    for node in tree.find_all(nodes.Getattr):
        name = f"{getattr(node.node, 'name', '…')}.{node.attr}"
        if node.attr.startswith("_"):
            return f"sandbox violation: {name} is not allowed"
        return f"attribute access ({name}) is not allowed; use the variables as they are"
    for node in tree.find_all(nodes.Filter):
        if node.name not in ALLOWED_FILTERS:
            return (f"the filter |{node.name} is not allowed (allowed: "
                    f"{', '.join(sorted(ALLOWED_FILTERS))})")
    if next(tree.find_all((nodes.Assign, nodes.AssignBlock)), None) is not None:
        return "setting variables ({% set %}) is not allowed in a template"
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            return (f"{type(node).__name__} is not allowed in a template: use text, "
                    "variables, {% if %} and filters")
    return None


def _parse(body: str) -> nodes.Template:
    if not isinstance(body, str) or not body.strip():
        raise TemplateError("the template is empty")
    if len(body) > MAX_LENGTH:
        raise TemplateError(f"the template is longer than {MAX_LENGTH} characters")
    try:
        return _env.parse(body)
    except TemplateSyntaxError as error:
        raise TemplateError(f"syntax error on line {error.lineno}: {error.message}") from None


def _bounded_render(body: str, context: dict[str, Any]) -> str:
    """Render, stopping once the output grows past MAX_RENDERED characters or the
    render takes longer than RENDER_SECONDS (measured between output pieces)."""
    started = time.perf_counter()
    pieces, size = [], 0
    for piece in _env.from_string(body).generate(context):
        pieces.append(piece)
        size += len(piece)
        if size > MAX_RENDERED:
            raise TemplateError(f"the text is far longer than {MAX_LENGTH} characters")
        if time.perf_counter() - started > RENDER_SECONDS:
            raise TemplateError("the template takes too long to fill in; keep it to the "
                                "text, the variables and simple conditions")
    return "".join(pieces)


def _render(body: str, context: dict[str, Any]) -> str:
    try:
        text = _bounded_render(body, context)
    except SecurityError as error:
        raise TemplateError(f"sandbox violation: {error}") from None
    except JinjaError as error:
        raise TemplateError(f"the template cannot be rendered: {error}") from None
    except (TypeError, ValueError, ArithmeticError) as error:
        raise TemplateError(f"the template cannot be rendered: {error}") from None
    text = " ".join(text.split())  # line breaks in the source are for the editor only
    if len(text) > MAX_LENGTH:
        raise TemplateError(f"the text is longer than {MAX_LENGTH} characters")
    return text


def validate_template(body: str) -> None:
    """Raise TemplateError (naming the problem) unless `body` is a usable template."""
    tree = _parse(body)
    unknown = sorted(meta.find_undeclared_variables(tree) - set(VARIABLES))
    if unknown:
        raise TemplateError(f"unknown variable: {', '.join(unknown)} (known: "
                            f"{', '.join(VARIABLES)})")
    reason = _forbidden(tree)
    if reason:
        raise TemplateError(reason)
    sample = sample_context(_SAMPLE_DEALER, "en", date(2026, 1, 15))
    if not _render(body, sample):
        raise TemplateError("the template renders to an empty text")


def render_template(body: str, context: dict[str, Any]) -> str:
    """Validate and render `body` with `context` into one line of text."""
    validate_template(body)
    return _render(body, context)


@cache
def _defaults(language: str) -> dict[str, dict[str, str]]:
    with open(_DEFAULTS / f"{language}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def default_body(kind: str, language: str, mode: str = compliance.FIRST_PARTY) -> str:
    """The shipped template for a kind, language and collector mode."""
    table = _defaults(language if language in LANGUAGES else "en")
    return table.get(mode, table[compliance.FIRST_PARTY])[kind]


def _check_kind_language(kind: str, language: str) -> None:
    if kind not in KINDS:
        raise TemplateError(f"unknown template kind {kind!r} (kinds: {', '.join(KINDS)})")
    if language not in LANGUAGES:
        raise TemplateError(f"unknown language {language!r} (languages: en, es)")


def stored_template(session: Session, dealer: Dealer, kind: str,
                    language: str) -> MessageTemplate | None:
    """The dealer's own template for a kind and language, if it saved one."""
    return session.execute(
        select(MessageTemplate).where(MessageTemplate.dealer_id == dealer.id,
                                      MessageTemplate.kind == kind,
                                      MessageTemplate.language == language)
    ).scalar_one_or_none()


def template_body(session: Session, dealer: Dealer, kind: str, language: str) -> str:
    """The dealer's template for a kind and language, or the shipped default."""
    language = language if language in LANGUAGES else "en"
    _check_kind_language(kind, language)
    stored = stored_template(session, dealer, kind, language)
    return stored.body if stored else default_body(kind, language, dealer.collector_mode)


def save_template(session: Session, dealer: Dealer, kind: str, language: str,
                  body: str) -> MessageTemplate:
    """Validate and store the dealer's template (replacing its previous one)."""
    _check_kind_language(kind, language)
    validate_template(body)
    template = stored_template(session, dealer, kind, language)
    if template is None:
        template = MessageTemplate(dealer_id=dealer.id, kind=kind, language=language)
        session.add(template)
    template.body = body
    session.flush()
    return template


def reset_template(session: Session, dealer: Dealer, kind: str, language: str) -> None:
    """Forget the dealer's own template: the shipped default applies again."""
    _check_kind_language(kind, language)
    template = stored_template(session, dealer, kind, language)
    if template is not None:
        session.delete(template)
        session.flush()


def render_message(session: Session, dealer: Dealer, account: Account, kind: str,
                   language: str, today: date, payment: Any = None,
                   body: str | None = None) -> str:
    """The text of a `kind` message for an account (the sender finishes it with the
    notices it must carry, bot/messaging/outbound.py); `body` overrides the dealer's
    template (an experiment's variant).

    Should the dealer's saved template fail on real values, the shipped
    default goes instead: a borrower never gets a broken text, or none.
    """
    context = build_context(dealer, account.borrower, account, language, today, payment)
    try:
        text = _render(body or template_body(session, dealer, kind, language), context)
    except TemplateError as error:
        log.warning("dealer %s template %s/%s failed (%s); sending the default",
                    dealer.id, kind, language, error)
        text = _render(default_body(kind, language, dealer.collector_mode), context)
    return text


def preview(session: Session, dealer: Dealer, body: str, language: str,
            account_id: int | None = None) -> dict[str, Any]:
    """Render `body` for a real (the dealer's own) or sample account, with segments and
    warnings. Raises TemplateError, or LookupError for an account that is not the dealer's."""
    if language not in LANGUAGES:
        raise TemplateError(f"unknown language {language!r} (languages: en, es)")
    validate_template(body)
    today = dealer_today(dealer)
    if account_id is None:
        context = sample_context(dealer, language, today)
    else:
        account = session.get(Account, account_id)
        if account is None or account.dealer_id != dealer.id:
            raise LookupError(f"no account {account_id}")
        context = build_context(dealer, account.borrower, account, language, today)
    # Shown as the sender will finish it (bot/messaging/outbound.py).
    text = compliance.with_required_notices(dealer.collector_mode, language,
                                            _render(body, context))
    return preview_result(dealer.collector_mode, text, written=_render(body, context))
