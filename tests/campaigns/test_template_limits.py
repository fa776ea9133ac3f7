"""A template cannot exhaust memory or time (issue 13, item 6).

The 24-byte body `{{ "%0200000000d" % 1 }}` on the preview took 4 s and 1.3 GB.
"""

from __future__ import annotations

import resource
import time

import pytest

from bot.sms_templates.templates import TemplateError, render_template
from bot.sms_templates.templates import _env as sandbox

HOSTILE = [
    ('{{ "%0200000000d" % 1 }}', "formatting text with % is not allowed"),
    ('{{ "%s%s" % (first_name, first_name) }}', "formatting text with % is not allowed"),
    ('{{ "{:0200000000d}".format(1) }}', "calls are not allowed"),
    ('{{ "{x:0200000000d}".format_map({"x": 1}) }}', "not allowed"),
    ("{{ range(100000000) }}", ""),  # refused before too (a call), whatever the reason
    ("{{ lipsum(100000) }}", ""),
    ("{{ dict(a=1) }}", ""),
    ("{{ cycler }}{{ joiner }}{{ namespace }}", "unknown variable"),
    ('{% set x = "xxxxxxxxxxxxxxxx" %}{% set x = x ~ x %}{{ x }}', "{% set %}"),
    ("{% with x = first_name %}{{ x }}{% endwith %}", "not allowed"),
    ("{{ 9 ** 9 ** 9 }}", "** operator is not allowed"),
    ("{{ [first_name] * 99999999 }}", "not allowed"),
]


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(("body", "named"), HOSTILE)
def test_a_hostile_preview_is_refused_at_once_in_plain_words(client, shop, body, named):
    before, started = max_rss_mb(), time.perf_counter()
    response = client.post("/api/v1/templates/preview", headers=shop.headers(),
                           json={"body": body, "language": "en"})
    assert time.perf_counter() - started < 1.0
    assert max_rss_mb() - before < 100  # the probe's body took 1.3 GB
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_template"
    assert named in response.json["error"]["message"]


def test_the_sandbox_has_no_globals():
    assert sandbox.globals == {}


def test_numbers_may_still_use_percent_and_times():
    assert render_template("{{ 7 % 3 }} {{ 2 * 3 }}", {}) == "1 6"


def test_a_render_stops_once_its_output_is_far_too_long():
    with pytest.raises(TemplateError, match="far longer than 1600"):
        render_template("{{ first_name }}", {"first_name": "x" * 1_000_000})
