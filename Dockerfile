# textpay: the web app (`textpay serve`) and the job worker (`textpay worker`) in one image.
# Built like `make install` does it: Python 3.10 (Rasa 3.6 supports 3.8-3.10), the exact
# versions of requirements.lock, an editable install of the project, and the Rasa model
# trained into models/ at build time so a container is ready as soon as it has loaded it.
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=3 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    WEB_CONCURRENCY=2

WORKDIR /app

RUN groupadd --system --gid 10001 textpay \
    && useradd --system --uid 10001 --gid textpay --home-dir /app --shell /usr/sbin/nologin textpay

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY requirements.lock ./
RUN python -m pip install --no-cache-dir pip==24.2 \
    && pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md config.yml domain.yml webhook.py ./
COPY bot ./bot
COPY migrations ./migrations
COPY training_data ./training_data
RUN pip install --no-cache-dir --no-deps -e . \
    && textpay train \
    && mkdir -p instance \
    && chown -R textpay:textpay instance

# Numeric, so Kubernetes can check runAsNonRoot.
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

CMD ["textpay", "serve", "--host", "0.0.0.0", "--port", "8000"]
