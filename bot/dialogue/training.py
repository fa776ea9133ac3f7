"""Training the Rasa model (`textpay train`, `make install`)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import structlog

from bot.settings import ROOT

MODEL_NAME = "textpay"


def train_model(output: Path = ROOT / "models") -> Path:
    """Train from config.yml, domain.yml and training_data/; return the model path."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # Rasa's structlog messages default to debug level: one line per rule state.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    from rasa.api import train

    result = train(
        domain=str(ROOT / "domain.yml"),
        config=str(ROOT / "config.yml"),
        training_files=[str(ROOT / "training_data")],
        output=str(output),
        fixed_model_name=MODEL_NAME,
        force_training=True,
    )
    if result.code != 0 or not result.model:
        raise SystemExit(f"training failed (code {result.code}); see the messages above")
    model = Path(result.model)
    # Touch so make sees the model as newer than every input, even when
    # Rasa's cache reused an unchanged graph.
    model.touch()
    return model
