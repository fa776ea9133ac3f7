"""Portal fixtures: a dealer with an admin and a staff member, and another dealer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.portal.support import OtherDealer, add_user, make_other_dealer, sign_in

ADMIN = "admin@sunrise.example"
STAFF = "sam@sunrise.example"


@dataclass
class Portal:
    """The default world plus logins and another tenant."""

    world: object
    admin_id: int
    staff_id: int
    other: OtherDealer


@pytest.fixture
def portal(make_world) -> Portal:
    """Dana's dealer with an admin (Ada) and a staff member (Sam Ortiz), and Other Motors.
    Dana's card is not in the emulator (no test here charges it)."""
    world = make_world(card=None)
    admin_id = add_user(world.dealer_id, ADMIN, "admin", "Ada Admin")
    staff_id = add_user(world.dealer_id, STAFF, "staff", "Sam Ortiz")
    return Portal(world, admin_id, staff_id, make_other_dealer())


@pytest.fixture
def as_admin(client, portal):
    """The test client, logged in as the dealer admin."""
    sign_in(client, portal.admin_id)
    return client


@pytest.fixture
def as_staff(client, portal):
    """The test client, logged in as staff."""
    sign_in(client, portal.staff_id)
    return client


@pytest.fixture
def screenshot_dir(tmp_path):
    """docs/screenshots/ when TEXTPAY_SCREENSHOTS=docs (to refresh the README's pictures),
    else a temporary folder (the pages are still rendered and checked)."""
    import os
    from pathlib import Path

    if os.environ.get("TEXTPAY_SCREENSHOTS") == "docs":
        folder = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path
