"""The `textpay` command line (see DESIGN.md's CLI contract)."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

import click

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """textpay: conversational SMS text-to-pay for auto dealers."""


@main.command()
@click.option("--port", default=5000, show_default=True, help="Port for the demo web app.")
@click.option("--instance", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the demo database and logs (default: instance/).")
def demo(port: int, instance: Path | None) -> None:
    """Run the self-contained demo: SQLite, local Stripe emulator, phone simulator."""
    from bot.demo import DEFAULT_INSTANCE, run_demo

    run_demo(port=port, instance=instance or DEFAULT_INSTANCE)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--events-port", default=None, type=int,
              help="Port of the live console's event server (default: EVENTS_PORT, else "
                   "--port + 1).")
def serve(host: str, port: int, events_port: int | None) -> None:
    """Serve the web app under gunicorn (WEB_CONCURRENCY workers) with the environment's config."""
    from bot.server import serve as run_server

    run_server(host, port, events_port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--stop-with-parent", is_flag=True, hidden=True,
              help="Stop when the process that started this one ends (textpay serve).")
def events(host: str, port: int, stop_with_parent: bool) -> None:
    """Serve the console's live stream (/portal/events) without a thread per open tab
    (needs REDIS_URL; `textpay serve` starts it on its own)."""
    from bot.web.event_server import serve_events

    serve_events(host, port, stop_with_parent=stop_with_parent)


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from bot.migrate import upgrade
    from bot.settings import get_settings

    upgrade()
    click.echo(f"database is up to date ({_safe_url(get_settings().database_url)})")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command("create-dealer")
@click.option("--name", required=True, help="The dealer's name, as borrowers know it.")
@click.option("--number", required=True, help="The dealer's Twilio number, E.164 (+1...).")
@click.option("--timezone", "timezone_", default="America/New_York", show_default=True)
@click.option("--contact", default=None, help="Phone number borrowers call (default: --number).")
@click.option("--stripe", "stripe_mode", type=click.Choice(["shared", "connect"]),
              default="shared", show_default=True,
              help="shared: until the dealer connects its own Stripe account, its payments land "
                   "in this deployment's own account, shared with the other dealers that have "
                   "none; connect: it takes no card until it connects its own.")
@click.option("--json", "as_json", is_flag=True, help="Print {\"dealer_id\", \"api_key\"}.")
def create_dealer(name: str, number: str, timezone_: str, contact: str | None,
                  stripe_mode: str, as_json: bool) -> None:
    """Create a dealer and print its id and API key (shown this once only)."""
    from bot import db
    from bot.dealers import DealerError
    from bot.dealers import create_dealer as create
    from bot.payments.connect import describe
    from bot.settings import get_settings

    db.configure(get_settings().database_url)
    try:
        with db.session_scope() as session:
            dealer, key = create(session, name=name, number=number, timezone=timezone_,
                                 contact_phone=contact,
                                 platform_stripe=stripe_mode == "shared")
            dealer_id, stripe_note = dealer.id, str(describe(session, dealer))
    except DealerError as error:
        raise click.UsageError(str(error)) from None
    if as_json:
        click.echo(json.dumps({"dealer_id": dealer_id, "api_key": key}))
    else:
        click.echo(f"dealer id: {dealer_id}")
        click.echo(f"API key:   {key}")
        click.echo("Store the key now: it is not shown again.")
        click.echo(f"Payments:  {stripe_note}")


# `textpay stripe-account`: each mode of bot/payments/merchant.py in words.
MODE_WORDS = {
    "connected": "connected (its own Stripe account)",
    "shared": "shared platform (this deployment's own Stripe account; connecting the "
              "dealer's own is recommended)",
    "not_connected": "must connect first (takes no card until it connects its own)",
}


@main.command("stripe-account")
@click.option("--dealer", "dealer_id", type=int, required=True, help="The dealer's id.")
@click.option("--connect", "account", default=None,
              help="Record the dealer's connected Stripe account (acct_...).")
@click.option("--disconnect", is_flag=True, help="Revoke and forget its connected account.")
@click.option("--share-platform", is_flag=True,
              help="Without a connected account, its payments land in this deployment's own "
                   "Stripe account, shared with the other dealers that have none (default).")
@click.option("--require-connect", is_flag=True,
              help="Without a connected account it takes no card.")
def stripe_account(dealer_id: int, account: str | None, disconnect: bool, share_platform: bool,
                   require_connect: bool) -> None:
    """Show or change which Stripe account a dealer's payments land in (audited)."""
    from bot import db
    from bot.audit import Actor
    from bot.models import Dealer
    from bot.payments import connect
    from bot.settings import get_settings

    if share_platform and require_connect:
        raise click.UsageError("--share-platform and --require-connect contradict each other")
    db.configure(get_settings().database_url)
    operator = Actor("cli", "textpay command line")
    try:
        with db.session_scope() as session:
            dealer = session.get(Dealer, dealer_id)
            if dealer is None:
                raise click.UsageError(f"no dealer {dealer_id}")
            if require_connect:
                connect.require_connected_account(session, dealer, operator)
            if share_platform:
                connect.share_platform_account(session, dealer, operator)
            if disconnect:
                connect.disconnect_dealer(session, dealer, operator)
            if account:
                connect.connect_dealer(session, dealer, account, operator)
            session.flush()
            where = connect.describe(session, dealer)
            click.echo(f"dealer {dealer_id}: payments go to {where}")
            click.echo(f"mode: {MODE_WORDS[where.mode]}")
    except connect.ConnectError as error:
        raise click.UsageError(str(error)) from None


@main.command("create-user")
@click.option("--dealer", "dealer_id", type=int, required=True, help="The dealer's id.")
@click.option("--email", required=True, help="The login email.")
@click.option("--name", required=True, help="The person's name, as colleagues see it.")
@click.option("--role", type=click.Choice(["admin", "staff"]), default="staff", show_default=True)
@click.option("--password", default=None, help="Prompted for (hidden) when not given.")
def create_user(dealer_id: int, email: str, name: str, role: str, password: str | None) -> None:
    """Create a portal login (dealer admin or staff) with a hashed password."""
    from bot import db
    from bot.console.users import UserError
    from bot.console.users import create_user as create
    from bot.settings import get_settings

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db.configure(get_settings().database_url)
    try:
        with db.session_scope() as session:
            user = create(session, dealer_id=dealer_id, email=email, name=name, role=role,
                          password=password)
            click.echo(f"{user.role} {user.email} can log in at /portal/login")
    except UserError as error:
        raise click.UsageError(str(error)) from None


@main.command()
def train() -> None:
    """Train the Rasa model into models/textpay.tar.gz."""
    from bot.dialogue.training import train_model

    path = train_model()
    click.echo(f"model saved to {path}")


def _moment(at: str | None) -> datetime:
    """--at ISO-8601 (a zone or Z, else UTC) as naive UTC; default now."""
    from bot.clock import parse_instant, utcnow

    if not at:
        return utcnow()
    try:
        return parse_instant(at).replace(tzinfo=None)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None


@main.command("run-due")
@click.option("--at", default=None, help="ISO-8601 moment to act as (default: now).")
@click.option("--queue", "on_queue", is_flag=True,
              help="Hand the work to `textpay worker` through the job queue (needs REDIS_URL).")
@click.option("--json", "as_json", is_flag=True)
def run_due(at: str | None, on_queue: bool, as_json: bool) -> None:
    """Charge plan installments due then; send plan and promise notices."""
    from bot import db
    from bot.campaigns.money_runs import run_due as run
    from bot.settings import get_settings

    moment = _moment(at)
    if on_queue:
        from bot import jobs
        from bot.campaigns.money_runs import run_due_job

        try:
            job = jobs.queue().enqueue(run_due_job, moment.isoformat())
        except jobs.QueueUnavailable as error:
            raise click.UsageError(str(error)) from None
        click.echo(json.dumps({"queued": job.id}) if as_json else f"queued job {job.id}")
        return
    db.configure(get_settings().database_url)
    with db.session_scope() as session:
        summary = run(session, moment)
    if as_json:
        click.echo(json.dumps(summary))
    else:
        for section, counts in summary.items():
            shown = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing"
            click.echo(f"{section}: {shown}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def reconcile(as_json: bool) -> None:
    """Settle payments whose outcome never arrived, asking Stripe."""
    from bot import db
    from bot.campaigns.money_runs import reconcile_and_tell as run
    from bot.settings import get_settings

    db.configure(get_settings().database_url)
    with db.session_scope() as session:
        counts = run(session)
    if as_json:
        click.echo(json.dumps({"settled": counts}))
    elif counts:
        click.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    else:
        click.echo("nothing to reconcile")



@main.command("send-reminders")
@click.option("--dealer", "dealer_id", type=int, default=None, help="Only this dealer.")
@click.option("--at", default=None, help="ISO-8601 moment to act as (default: now).")
@click.option("--json", "as_json", is_flag=True, help='Print {"sent": N, "skipped": {...}}.')
def send_reminders(dealer_id: int | None, at: str | None, as_json: bool) -> None:
    """Send every reminder due at that moment, per each dealer's schedule."""
    from bot.campaigns.commands import send_reminders as run

    run(dealer_id, _moment(at), as_json)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dealer", "dealer_id", type=int, required=True, help="The dealer's id.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_accounts(file: Path, dealer_id: int, as_json: bool) -> None:
    """Import accounts from a CSV file (upsert by reference; bad rows reported)."""
    from bot.campaigns.commands import import_file

    import_file(file, dealer_id, as_json)


@main.command()
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Work on the job queue (RQ; needs REDIS_URL)."""
    from bot.campaigns.commands import worker as run

    run(burst)

if __name__ == "__main__":
    sys.exit(main())
