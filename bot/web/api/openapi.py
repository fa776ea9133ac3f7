"""The API's own description: OpenAPI 3 at /api/v1/openapi.json, and a readable
reference page at /api/v1/docs (rendered here, so it works without any CDN).

The description lives in openapi.yml beside this file; a test checks that
every /api/v1 route is in it, and schemathesis checks the app against it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Response, jsonify, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from bot.web.api import PUBLIC_ENDPOINTS, api

_SPEC = Path(__file__).with_name("openapi.yml")
METHODS = ("get", "post", "put", "delete", "patch")
PUBLIC_ENDPOINTS.add("api.reference")


@cache
def openapi_spec() -> dict[str, Any]:
    """The OpenAPI description as a dict."""
    with open(_SPEC, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@api.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    """The OpenAPI 3 description of every /api/v1 route."""
    return jsonify(openapi_spec())


_CODE = re.compile(r"`([^`]+)`")


def prose(text: str | None) -> Markup:
    """A description as HTML: escaped, with `code` spans shown as code."""
    escaped = str(escape(text or ""))
    return Markup(_CODE.sub(r"<code>\1</code>", escaped))  # noqa: S704 - escaped above


def _resolve(node: Any) -> Any:
    """Follow a local $ref ("#/components/...")."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = openapi_spec()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _type_of(schema: dict) -> str:
    schema = _resolve(schema)
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    return f"{kind}, or null" if schema.get("nullable") else kind


def fields(schema: dict, prefix: str = "", depth: int = 0) -> list[dict[str, str]]:
    """A schema flattened to rows (name, type, required, description) for the page."""
    schema = _resolve(schema)
    rows = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        prop_resolved = _resolve(prop)
        rows.append({"name": prefix + name, "type": _type_of(prop),
                     "required": "yes" if name in required else "",
                     "description": prop_resolved.get("description", "")})
        items = _resolve(prop_resolved.get("items", {}))
        if depth < 2 and "properties" in prop_resolved:
            rows += fields(prop_resolved, f"{prefix}{name}.", depth + 1)
        elif depth < 2 and "properties" in items:
            rows += fields(items, f"{prefix}{name}[].", depth + 1)
    return rows


def _operations() -> list[dict[str, Any]]:
    spec, operations = openapi_spec(), []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            body = op.get("requestBody", {}).get("content", {})
            media, content = next(iter(body.items()), (None, {}))
            ok = next((r for code, r in op["responses"].items() if code.startswith("2")), {})
            ok_schema = next(iter(_resolve(ok).get("content", {}).values()), {}).get("schema")
            operations.append({
                "method": method.upper(), "path": "/api/v1" + path, "op": op,
                "tag": (op.get("tags") or ["other"])[0],
                "parameters": [_resolve(p) for p in shared + op.get("parameters", [])],
                "body_media": media,
                "body_fields": fields(content["schema"]) if content.get("schema") else [],
                "response_fields": fields(ok_schema) if ok_schema else [],
                "statuses": {code: _resolve(r).get("description", "")
                             for code, r in op["responses"].items() if code != "default"},
            })
    return operations


@api.get("/docs")
def reference() -> ResponseReturnValue:
    """A readable reference of the API, from the same description."""
    spec = openapi_spec()
    html = render_template("api/reference.html", info=spec["info"], operations=_operations(),
                           type_of=_type_of, prose=prose)
    return Response(html, mimetype="text/html")
