"""The Rasa agent, in process: loaded once, run on its own asyncio loop.

Flask views are synchronous; Rasa is asyncio. The agent lives on one event
loop in a background thread and views submit coroutines to it. Custom
actions run through rasa_sdk's own executor, called directly instead of over
HTTP, so the same action code also runs unchanged behind `rasa run actions`.

The caller holds the conversation's lock for the whole turn
(bot/messaging/conversation_lock.py), so Rasa is given a lock store that
takes none: a second lock per turn cost most of a turn's Redis round trips.

Scale-out: with REDIS_URL, trackers live in Redis, so any worker on any
machine can take a borrower's next text.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import importlib.util
import logging
import os
import sys
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from bot.logging_setup import route_structlog_to_stdlib

log = logging.getLogger(__name__)

# Rasa logs at debug level unless told otherwise, which costs time every turn
# (and its structlog messages would print every borrower's text to stdout).
for noisy in ("rasa", "rasa_sdk", "tensorflow", "absl", "apscheduler", "sanic"):
    logging.getLogger(noisy).setLevel(logging.WARNING)
route_structlog_to_stdlib(logging.WARNING)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _in_process_endpoint() -> Any:
    """An action endpoint whose `request` runs the action in this process."""
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("bot.dialogue.actions")

    class InProcessActionEndpoint(EndpointConfig):
        async def request(self, **kwargs: Any) -> Any:
            return await executor.run(kwargs["json"])

    # Selective domain: actions do not need the domain, so Rasa need not
    # serialise it for every call.
    return InProcessActionEndpoint(url="in-process://actions", enable_selective_domain=True)


def _lock_held_by_caller() -> Any:
    """A Rasa lock store whose lock is already held: the turn's caller took the
    conversation's lock before handing the text to the agent."""
    from contextlib import asynccontextmanager

    from rasa.core.lock_store import InMemoryLockStore

    class HeldByCaller(InMemoryLockStore):
        @asynccontextmanager
        async def lock(self, conversation_id: str, *_args: Any, **_kwargs: Any) -> Any:
            yield None

    return HeldByCaller()


def import_heavy_libraries() -> None:
    """Import what serving needs, once, in the order that costs least: skops, then
    Rasa without TensorFlow.

    Measured here (`python -X importtime`): skops (which reads the intent
    classifier) scans every loaded module when it is imported: first, 1.8 s;
    after TensorFlow, 7 s. And Rasa reaches TensorFlow (3-5 s, jax included)
    by one chain only: the entity-extractor base class imports
    `rasa.utils.train_utils` without using it, which imports Keras training
    callbacks. Serving this pipeline never trains, so that module is made to
    load on first use instead of on import. The sentence encoder's weights
    are loaded here too. A gunicorn master that calls this once lets every
    worker it forks start from here, sharing them.
    """
    importlib.import_module("skops.io")  # before anything imports Rasa
    _load_on_first_use("rasa.utils.train_utils")
    for module in ("rasa.core.agent", "rasa.core.actions.action"):
        importlib.import_module(module)
    # The sentence encoder's weights (~1.2 s, ~120 MB): loaded once here, a
    # forking master shares them with every worker instead of each loading its own.
    importlib.import_module("bot.nlu.embeddings").encoder()


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in sys.modules for a module until something uses one of its names."""

    def __getattr__(self, attribute: str) -> Any:
        # Only called for names the stand-in lacks, i.e. the module's own.
        name = self.__name__
        del sys.modules[name]
        module = importlib.import_module(name)
        parent, _, child = name.rpartition(".")
        setattr(sys.modules[parent], child, module)
        return getattr(module, attribute)


def _load_on_first_use(name: str) -> None:
    """Let `import name` succeed without running the module until it is used."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _ImportedOnFirstUse(name)
    stand_in.__spec__, stand_in.__loader__ = spec, spec.loader
    stand_in.__file__ = spec.origin
    sys.modules[name] = stand_in


@cache
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def _validate_with_compiled_schema(_action: Any, result: dict) -> bool:
    _action_response_validator().validate(result)
    return True


def _speed_up_event_parsing() -> None:
    """Look event classes up by name in a dict.

    Reading a stored tracker turns each event's "event" name into its class;
    Rasa walks every Event subclass for each one (1.4 ms for a 27-event
    tracker here, 0.14 ms with the dict). Names it has not seen still go
    the long way, so custom events keep working.
    """
    from rasa.shared.core.events import Event

    if getattr(Event.resolve_by_type, "textpay_cached", False):
        return
    walk_subclasses = Event.resolve_by_type
    known: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        found = known.get(type_name)
        if found is None:
            found = walk_subclasses(type_name, default)
            if found is not None and found is not default:
                known[type_name] = found
        return found

    resolve_by_type.textpay_cached = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


@contextmanager
def without_the_training_graph() -> Iterator[None]:
    """Load a model's metadata without importing the classes of its training graph.

    The archive's metadata names every class of both graphs, and reading it
    imports them all. The training graph includes Rasa's recipe validator,
    which imports the DIET classifier and with it TensorFlow: measured here,
    +500 MB per worker and seconds of start for code a server never runs
    (serving uses only the prediction graph, and this pipeline has no
    TensorFlow component). Training (`textpay train`) reads no archive.
    """
    from rasa.engine.storage.storage import ModelMetadata

    original = ModelMetadata.from_dict

    def predict_only(serialized: dict) -> Any:
        return original({**serialized, "train_schema": {"nodes": {}}})

    ModelMetadata.from_dict = staticmethod(predict_only)
    try:
        yield
    finally:
        ModelMetadata.from_dict = original


def _speed_up_action_validation() -> None:
    """Validate action results against a schema compiled once.

    Rasa calls `jsonschema.validate` for every custom action's result, which
    first re-checks the (large) schema against its meta-schema: ~70 ms of a
    turn here. The same schema, compiled once, validates the same way.
    """
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_with_compiled_schema


def _cache_parses(processor: Any, size: int = 4096) -> None:
    """Remember NLU results per exact text.

    Borrowers send the same few texts again and again ("yes", "Y", "pay",
    "balance"), and a parse is a pure function of the text and the model (dates
    are kept as phrases; actions resolve them against the borrower's today).
    A hit costs a dict copy instead of ~11 ms of featurising and classifying.
    Texts starting with "/" are Rasa's intent shortcuts and always go through.
    """
    parse = processor.parse_message
    remembered: OrderedDict[str, dict] = OrderedDict()

    async def parse_message(message: Any, tracker: Any = None,
                            only_output_properties: bool = True) -> dict:
        text = message.text or ""
        if text.startswith("/") or not only_output_properties:
            return await parse(message, tracker, only_output_properties)
        known = remembered.get(text)
        if known is None:
            known = await parse(message, tracker, only_output_properties)
            remembered[text] = copy.deepcopy(known)
            if len(remembered) > size:
                remembered.popitem(last=False)
        else:
            remembered.move_to_end(text)
        result = copy.deepcopy(known)
        result.update(text=message.text, message_id=message.message_id,
                      metadata=message.metadata)
        return result

    processor.parse_message = parse_message


class AgentRunner:
    """Owns the loop thread and the loaded agent; `respond` is thread-safe."""

    def __init__(self, model_path: Path, redis_url: str | None = None) -> None:
        """Load the model (seconds); raises FileNotFoundError with a hint if missing."""
        if not Path(model_path).exists():
            raise FileNotFoundError(
                f"no trained model at {model_path}; run `textpay train` (or `make install`)"
            )
        started = time.monotonic()
        import_heavy_libraries()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="rasa-agent", daemon=True
        )
        self._thread.start()
        from bot.dialogue.tracker_store import BoundedTrackerStore

        self.tracker_store = BoundedTrackerStore(redis_url=redis_url)
        _speed_up_action_validation()
        _speed_up_event_parsing()
        self.agent = self._run(self._load(model_path))
        _cache_parses(self.agent.processor)
        log.info("model loaded in %.1f s", time.monotonic() - started,
                 extra={"model": Path(model_path).name})

    async def _load(self, model_path: Path) -> Any:
        from rasa.core.agent import Agent

        with without_the_training_graph():
            return Agent.load(
                str(model_path),
                tracker_store=self.tracker_store,
                lock_store=_lock_held_by_caller(),
                action_endpoint=_in_process_endpoint(),
            )

    def _run(self, coroutine: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def respond(self, sender_id: str, text: str, metadata: dict | None = None) -> list[str]:
        """Handle one borrower message; return the bot's reply texts in order."""
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        channel = CollectingOutputChannel()
        message = UserMessage(text, channel, sender_id, metadata=metadata or {})
        self._run(self.agent.handle_message(message), timeout=60)
        return [m["text"] for m in channel.messages if m.get("text")]

    def parse(self, text: str) -> dict:
        """NLU only: intent, entities and language for a text (no dialogue)."""
        return self._run(self.agent.parse_message(text))

    def forget(self) -> None:
        """Drop every conversation's tracker (tests)."""
        self.tracker_store.forget_all()


_runner: AgentRunner | None = None
_runner_lock = threading.Lock()


def get_runner(model_path: Path, redis_url: str | None = None) -> AgentRunner:
    """The process's agent, loaded on first use (one per process, never per request)."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = AgentRunner(model_path, redis_url)
        return _runner


def loaded_runner() -> AgentRunner | None:
    """The agent if it is already loaded (for /readyz), without loading it."""
    return _runner
