"""What `textpay send-reminders`, `textpay import` and `textpay worker` do.

bot/cli.py declares the commands and their options; the work and the
printing live here. Progress bars go to stderr, so `--json` output on stdout
stays clean.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bot import db
from bot.settings import get_settings


class ProgressBar:
    """A click progress bar on stderr, opened on the first report (when the total is known)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None

    def __call__(self, advance: int, total: int) -> None:
        """Advance by `advance` items out of `total`."""
        if self._bar is None:
            if not total:
                return
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                          show_pos=True)
            self._bar.__enter__()
        self._bar.length = total
        self._bar.update(advance)

    def close(self) -> None:
        """Finish the bar's line."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def _require_dealer(dealer_id: int | None) -> None:
    from bot.models import Dealer

    if dealer_id is None:
        return
    with db.session_scope() as session:
        if session.get(Dealer, dealer_id) is None:
            raise click.UsageError(f"no dealer {dealer_id}")


def send_reminders(dealer_id: int | None, at: datetime, as_json: bool) -> None:
    """Send every reminder due at `at`; print the summary."""
    from bot.campaigns.reminders import send_due_reminders

    db.configure(get_settings().database_url)
    _require_dealer(dealer_id)
    bar = ProgressBar("sending reminders")
    try:
        summary = send_due_reminders(db.new_session, at, dealer_id, progress=bar)
    finally:
        bar.close()
    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(summary.skipped.items()))
    click.echo(f"sent {summary.sent} reminders at {at:%Y-%m-%d %H:%M} UTC")
    click.echo(f"skipped: {skipped or 'none'}")
    if summary.deferred:
        click.echo(f"{summary.deferred} held for quiet hours go at the next allowed moment")
    if summary.deferred_for_borrowers:
        click.echo(f"{summary.deferred_for_borrowers} held for the hours or days their "
                   "borrowers asked for (preferred_hours, avoided_day) go at the first "
                   "moment inside them")
    if summary.paced:
        until = max(summary.paced)
        click.echo(f"{sum(summary.paced.values())} held back so your team can keep up with "
                   f"the replies; they go by {until:%Y-%m-%d %H:%M} UTC")
    if summary.held_texts_sent or summary.surveys:
        click.echo(f"also sent: {summary.held_texts_sent} texts held by quiet hours, "
                   f"{summary.surveys} survey questions")


def import_file(path: Path, dealer_id: int, as_json: bool) -> None:
    """Import a CSV of accounts for a dealer; print counts and every bad row."""
    from bot.campaigns.imports import ImportFileError, import_csv
    from bot.campaigns.welcome import after_creation
    from bot.models import Dealer

    db.configure(get_settings().database_url)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.UsageError(f"{path} is not UTF-8 text") from None
    bar = ProgressBar("importing")
    try:
        with db.session_scope() as session:
            dealer = session.get(Dealer, dealer_id)
            if dealer is None:
                raise click.UsageError(f"no dealer {dealer_id}")
            report = import_csv(session, dealer, text, progress=bar)
    except ImportFileError as error:
        raise click.ClickException(str(error)) from None
    finally:
        bar.close()
    after_creation(dealer_id, report.created_ids, report.cards_to_read)
    if as_json:
        click.echo(json.dumps(report.as_json()))
        return
    click.echo(f"{report.created} created, {report.updated} updated, "
               f"{report.unchanged} unchanged, {len(report.errors)} rows with errors")
    for line, reason in report.errors:
        click.echo(f"  line {line}: {reason}")
    if report.welcomes_planned:
        click.echo(f"{report.welcomes_planned} welcome texts planned (sent within quiet hours "
                   "by the worker or the next `textpay send-reminders`)")


def worker(burst: bool) -> None:
    """Run the RQ worker; a clear error without REDIS_URL."""
    from bot.jobs import QueueUnavailable, run_worker

    try:
        run_worker(burst=burst)
    except QueueUnavailable as error:
        raise click.ClickException(str(error)) from None
