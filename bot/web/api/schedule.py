"""/api/v1/schedule: the dealer's reminder steps and local send time."""

from __future__ import annotations

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from bot.campaigns.schedule import ScheduleError, save_schedule, schedule_json
from bot.web.api import ApiError, api, json_body


@api.get("/schedule")
def show_schedule() -> ResponseReturnValue:
    """The steps (the defaults until the dealer sets its own) and the send time."""
    return jsonify(schedule_json(g.db, g.dealer))


@api.put("/schedule")
def put_schedule() -> ResponseReturnValue:
    """Replace the schedule: `{"steps": [{"offset_days", "template"}], "send_time"}`."""
    data = json_body()
    unknown = set(data) - {"steps", "send_time"}
    if unknown:
        raise ApiError(400, "invalid_request", f"unknown field: {', '.join(sorted(unknown))}")
    try:
        save_schedule(g.db, g.dealer, data.get("steps"), data.get("send_time"))
    except ScheduleError as error:
        g.db.rollback()
        raise ApiError(400, "invalid_request", str(error)) from None
    g.db.commit()
    return jsonify(schedule_json(g.db, g.dealer))
