"""/api/v1/templates: the dealer's message templates, validated on save, with previews."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from bot.clock import iso_utc
from bot.sms_templates.templates import (
    KINDS,
    LANGUAGES,
    VARIABLES,
    TemplateError,
    preview,
    reset_template,
    save_template,
    stored_template,
    template_body,
)
from bot.web.api import MAX_ID, ApiError, api, json_body

# Only the known kinds route here: an unknown one is 404, and PUT /templates/preview 405.
KIND = "<any(" + ", ".join(KINDS) + "):kind>"


def _language(value: Any) -> str:
    if value not in LANGUAGES:
        raise ApiError(400, "invalid_request", "language must be 'en' or 'es'")
    return value


def template_json(kind: str, language: str) -> dict[str, Any]:
    """One template as the API shows it: body, whether it is the dealer's own, and how
    its text (rendered for a sample account) counts in segments."""
    body = template_body(g.db, g.dealer, kind, language)
    stored = stored_template(g.db, g.dealer, kind, language)
    sample = preview(g.db, g.dealer, body, language)
    return {"kind": kind, "language": language, "body": body, "custom": stored is not None,
            "updated_at": iso_utc(stored.updated_at) if stored else None,
            "segments": sample["segments"], "encoding": sample["encoding"],
            "warnings": sample["warnings"]}


def _invalid(error: TemplateError) -> ApiError:
    return ApiError(400, "invalid_template", str(error))


@api.get("/templates")
def list_templates() -> ResponseReturnValue:
    """Every kind in every language, with the variables a template may use."""
    return jsonify(kinds=list(KINDS), languages=list(LANGUAGES), variables=VARIABLES,
                   templates=[template_json(k, lang) for k in KINDS for lang in LANGUAGES])


@api.get(f"/templates/{KIND}")
def show_template(kind: str) -> ResponseReturnValue:
    """One kind in one language (`?language=en`, the default)."""
    return jsonify(template_json(kind, _language(request.args.get("language", "en"))))


@api.put(f"/templates/{KIND}")
def put_template(kind: str) -> ResponseReturnValue:
    """Save the dealer's template; 400 invalid_template names what is wrong with it."""
    data = json_body()
    language = _language(data.get("language", "en"))
    body = data.get("body")
    if not isinstance(body, str):
        raise ApiError(400, "invalid_request", "body (the template text) is required")
    try:
        save_template(g.db, g.dealer, kind, language, body)
    except TemplateError as error:
        g.db.rollback()
        raise _invalid(error) from None
    g.db.commit()
    return jsonify(template_json(kind, language))


@api.delete(f"/templates/{KIND}")
def delete_template(kind: str) -> ResponseReturnValue:
    """Go back to the shipped default for a kind and language."""
    language = _language(request.args.get("language", "en"))
    reset_template(g.db, g.dealer, kind, language)
    g.db.commit()
    return jsonify(template_json(kind, language))


@api.post("/templates/preview")
def preview_template() -> ResponseReturnValue:
    """Render a body for a real (`account_id`) or sample account: text, segments, warnings."""
    data = json_body()
    body = data.get("body")
    if not isinstance(body, str):
        raise ApiError(400, "invalid_request", "body (the template text) is required")
    language = _language(data.get("language", "en"))
    account_id = data.get("account_id")
    if account_id is not None and (isinstance(account_id, bool)
                                   or not isinstance(account_id, int)):
        raise ApiError(400, "invalid_request", "account_id must be an integer")
    if account_id is not None and not 0 < account_id <= MAX_ID:
        raise ApiError(404, "not_found", f"no account {account_id}")
    try:
        return jsonify(preview(g.db, g.dealer, body, language, account_id))
    except TemplateError as error:
        raise _invalid(error) from None
    except LookupError:
        raise ApiError(404, "not_found", f"no account {account_id}") from None
