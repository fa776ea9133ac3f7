"""Query parameters out of range are no server error (issue 13, low item:
/portal/accounts?page=99999999999999999999 answered 500)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("page", ["99999999999999999999", "-99999999999999999999", "0", "2",
                                  "1e9", "abc"])
def test_any_page_number_shows_a_page_of_accounts(as_admin, portal, page):
    response = as_admin.get(f"/portal/accounts?page={page}")
    assert response.status_code == 200
    assert "LN-" in response.get_data(as_text=True)  # the last (only) page, not an empty one
