"""Importing accounts from CSV (admins), with progress and a report of every bad row.

The form works without JavaScript (the report comes back as a page). With
JavaScript the browser asks for `application/x-ndjson` and reads progress lines
while the import runs, then the same report.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator

from flask import Response, g, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.audit import Actor, record
from bot.campaigns.imports import OPTIONAL, REQUIRED, ImportFileError, ImportReport, import_csv
from bot.campaigns.welcome import after_creation
from bot.db import session_scope
from bot.models import Dealer
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required

NDJSON = "application/x-ndjson"
MAX_BYTES = 5 * 1024 * 1024


class _Unreadable(ValueError):
    """The upload is not UTF-8 text or is too big."""


def _uploaded_text() -> str:
    upload = request.files.get("file")
    raw = upload.read(MAX_BYTES + 1) if upload and upload.filename else \
        (request.form.get("text") or "").encode()
    if len(raw) > MAX_BYTES:
        raise _Unreadable("the file is larger than 5 MB; split it")
    if not raw.strip():
        raise _Unreadable("choose a CSV file (or paste its text)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable("the file must be UTF-8 text (save it as CSV UTF-8)") from None


def run_import(dealer_id: int, text: str, actor: Actor,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import, commit, audit, then send welcomes and read cards (raises ImportFileError)."""
    with session_scope() as session:
        dealer = session.get(Dealer, dealer_id)
        report = import_csv(session, dealer, text, progress)
        record(session, dealer_id, actor, "accounts_imported",
               details=f"{report.created} created, {report.updated} updated, "
                       f"{report.unchanged} unchanged, {len(report.errors)} rows refused")
    after_creation(dealer_id, report.created_ids, report.cards_to_read)
    return report


@bp.get("/accounts/import")
@admin_required
def import_accounts() -> ResponseReturnValue:
    """The upload form."""
    return render_template("portal/import.html", required=REQUIRED, optional=OPTIONAL)


def _stream(dealer_id: int, text: str, actor: Actor) -> Iterator[str]:
    lines: queue.Queue = queue.Queue()
    done = {"rows": 0}

    def progress(advance: int, total: int) -> None:
        done["rows"] += advance
        lines.put({"done": done["rows"], "total": total})

    def work() -> None:
        try:
            report = run_import(dealer_id, text, actor, progress)
            lines.put({"report": report.as_json()})
        except ImportFileError as error:
            lines.put({"error": str(error)})
        except Exception:
            lines.put({"error": "the import failed on our side; nothing was changed"})
            raise

    threading.Thread(target=work, name="portal-import", daemon=True).start()
    while True:
        line = lines.get()
        yield json.dumps(line) + "\n"
        if "report" in line or "error" in line:
            return


@bp.post("/accounts/import")
@admin_required
def upload_accounts() -> ResponseReturnValue:
    """Run the import: a report page, or progress lines then the report (NDJSON)."""
    wants_stream = NDJSON in request.headers.get("Accept", "")
    try:
        text = _uploaded_text()
    except _Unreadable as error:
        if wants_stream:
            return Response(json.dumps({"error": str(error)}) + "\n", 400, mimetype=NDJSON)
        return render_template("portal/import.html", required=REQUIRED, optional=OPTIONAL,
                               error=str(error)), 400
    dealer_id, actor = g.dealer.id, current_user.actor
    g.db.close()  # the import has its own transaction
    if wants_stream:
        return Response(stream_with_context(_stream(dealer_id, text, actor)), mimetype=NDJSON)
    try:
        report = run_import(dealer_id, text, actor)
    except ImportFileError as error:
        return render_template("portal/import.html", required=REQUIRED, optional=OPTIONAL,
                               error=str(error)), 400
    return render_template("portal/import.html", required=REQUIRED, optional=OPTIONAL,
                           report=report.as_json())
