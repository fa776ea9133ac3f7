"""Self-service page fixtures: the portal's (its screenshot folder, a dealer with staff
logins, the test client logged in as staff)."""

from tests.portal.conftest import as_staff, portal, screenshot_dir

__all__ = ["as_staff", "portal", "screenshot_dir"]
