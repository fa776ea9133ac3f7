"""Self-service page fixtures (the screenshot folder is the portal's)."""

from tests.portal.conftest import screenshot_dir

__all__ = ["screenshot_dir"]
