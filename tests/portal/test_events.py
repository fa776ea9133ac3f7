"""Live events: announced on commit only, per dealer, in process or through Redis pub/sub."""

from __future__ import annotations

import uuid

import pytest

from bot import db, live_events
from bot.live_events import Event, MemoryBroker, RedisBroker
from bot.settings import set_settings
from tests.portal.support import escalate
from tests.support.servers import redis_or_skip


@pytest.fixture(params=["memory", "redis"])
def broker(request, settings):
    """The process's broker, in memory or through the real Redis server."""
    url = redis_or_skip() if request.param == "redis" else None
    set_settings(settings.with_overrides(redis_url=url))
    yield live_events.broker()
    set_settings(settings)


def test_a_borrowers_text_and_a_new_escalation_reach_their_dealer_only(client, world, broker,
                                                                    make_world):
    with live_events.subscription(world.dealer_id) as mine, \
            live_events.subscription(world.dealer_id + 1000) as someone_else:
        world.phone.text("I want to talk to a real person")
        received = []
        while (event := mine.get(timeout=2)) is not None:
            received.append(event)
        assert someone_else.get(timeout=0.2) is None
    kinds = [(e.kind, e.data.get("direction") or e.data.get("action")) for e in received]
    assert ("message", "inbound") in kinds and ("escalation", "opened") in kinds
    assert ("message", "outbound") in kinds  # the bot's reply
    inbound = next(e for e in received if e.data.get("direction") == "inbound")
    assert inbound.data["borrower_id"] == world.borrower_id


def test_nothing_is_announced_before_commit_or_after_rollback(client, world, broker):
    from bot.escalations import open_escalation

    with live_events.subscription(world.dealer_id) as listener:
        session = db.new_session()
        open_escalation(session, dealer_id=world.dealer_id, borrower_id=world.borrower_id,
                        account_id=world.account_id, reason="hardship")
        assert listener.get(timeout=0.3) is None  # flushed, not committed
        session.rollback()
        session.close()
        assert listener.get(timeout=0.3) is None
        escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
        event = listener.get(timeout=2)
    assert event is not None and (event.kind, event.data["id"]) == ("escalation", escalation_id)


def test_redis_carries_events_between_separate_brokers():
    url = redis_or_skip()
    dealer_id = int(uuid.uuid4().int % 1_000_000) + 10_000
    listener = RedisBroker(url).subscribe(dealer_id)
    try:
        RedisBroker(url).publish_all([Event(dealer_id, "message", {"id": 7})])  # another "worker"
        event = listener.get(timeout=2)
    finally:
        listener.close()
    assert event == Event(dealer_id, "message", {"id": 7})


def test_a_slow_listener_never_blocks_publishing():
    broker = MemoryBroker()
    listener = broker.subscribe(1)
    for number in range(1200):  # more than the listener's queue holds
        broker.publish(Event(1, "message", {"n": number}))
    assert listener.get(timeout=0.1).data == {"n": 0}
    listener.close()
    broker.publish(Event(1, "message", {}))  # nobody listening: fine


def test_the_console_stream_delivers_its_dealers_events(client, portal):
    from tests.portal.support import sign_in

    sign_in(client, portal.staff_id)
    response = client.get("/portal/events", buffered=False)
    assert response.mimetype == "text/event-stream"
    chunks = iter(response.response)
    assert next(chunks).decode().startswith("retry: 3000")  # subscribed
    escalate(portal.other.dealer_id, portal.other.borrower_id, portal.other.account_id,
             "hardship")  # another dealer's: never on this stream
    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    frame = next(chunks).decode()
    assert frame.startswith("event: escalation\ndata: ")
    assert f'"id": {escalation_id}' in frame and '"action": "opened"' in frame
    response.close()
