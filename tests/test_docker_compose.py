"""docker-compose.yml is valid compose and wired right: services, modules, ports, dependencies, URLs.

No Docker engine runs here, so the file is checked the way ``docker compose
config`` and a reader would: it parses, every service has an image or a
build, a healthcheck (or a stated reason why not), every Python service
names a module of this repository, every ``depends_on`` and every URL in an
environment points at a service and a port that the file defines, and the
ports are those of :mod:`parkgraph.topology`.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from parkgraph import topology

REPO = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s,;\"']+")


def _one_shot(service: dict[str, Any]) -> bool:
    return service.get("restart") == "no"


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _option(command: list[str], name: str) -> str | None:
    return command[command.index(name) + 1] if name in command else None


def _ports(service: dict[str, Any]) -> set[int]:
    """The container ports a service listens on: expose, the container side of ports, its --port."""
    ports = {int(p) for p in service.get("expose", [])}
    for mapping in service.get("ports", []):
        ports.add(int(str(mapping).rsplit(":", 1)[-1].split("/")[0]))
    port = _option(_command(service), "--port")
    if port is not None:
        ports.add(int(port))
    return ports


def _python_module(service: dict[str, Any]) -> str | None:
    command = _command(service)
    if command[:2] == ["python", "-m"]:
        return command[2]
    return None


def _depends_on(service: dict[str, Any]) -> dict[str, str]:
    depends = service.get("depends_on", {})
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in depends.items()}


def _urls(value: object) -> list[str]:
    if isinstance(value, dict):
        return [url for item in value.values() for url in _urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    return URL.findall(str(value))


def test_the_file_is_compose_with_the_production_topology() -> None:
    assert set(COMPOSE) <= {"name", "services", "volumes", "networks", "configs", "secrets"} | {
        key for key in COMPOSE if key.startswith("x-")
    }
    names = set(SERVICES)
    assert {"lb", "gateway-1", "gateway-2", "auth", "postgres", "redis", "otel-collector", "jaeger"} <= names
    for domain in topology.DOMAINS:
        assert f"subgraph-{domain.name}" in names
        assert f"mock-{domain.name}" in names  # the talent "mock" is the job that seeds its database


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_an_image_or_build_and_a_healthcheck(name: str) -> None:
    service = SERVICES[name]
    assert "image" in service or "build" in service
    if "build" in service:
        build = service["build"]
        context = REPO / (build["context"] if isinstance(build, dict) else build)
        assert (
            context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
        ).is_file()
    if _one_shot(service):
        return  # jobs run to completion; dependants wait for service_completed_successfully
    if "parkgraph.healthcheck.exempt" in service.get("labels", {}):
        assert len(service["labels"]["parkgraph.healthcheck.exempt"]) > 10  # says why
        return
    healthcheck = service.get("healthcheck", {})
    assert healthcheck.get("test"), f"{name} has no healthcheck"
    probed = [urlsplit(url) for url in _urls(healthcheck["test"])]
    for url in probed:  # a healthcheck probes the service's own port
        assert url.hostname in ("127.0.0.1", "localhost")
        assert (url.port or 80) in _ports(service), f"{name} probes port {url.port}, which it does not listen on"


@pytest.mark.parametrize("name", sorted(n for n, s in SERVICES.items() if _python_module(s)))
def test_every_python_service_runs_a_module_of_this_repository(name: str) -> None:
    module = _python_module(SERVICES[name])
    assert module is not None
    package = module.split(".")[0]
    assert (REPO / package).is_dir(), f"{name}: {module} is not a package of this repository"
    spec = importlib.util.find_spec(module)
    # A package runs through its __main__; a plain module runs itself.
    if spec is not None and spec.submodule_search_locations is not None:
        spec = importlib.util.find_spec(f"{module}.__main__")
    assert SERVICES[name].get("image") == "parkgraph:latest"
    assert spec is not None, f"{name}: `python -m {module}` has no entry point"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_depends_on_names_services_with_matching_conditions(name: str) -> None:
    for dependency, condition in _depends_on(SERVICES[name]).items():
        assert dependency in SERVICES, f"{name} depends on unknown service {dependency}"
        assert condition in CONDITIONS
        target = SERVICES[dependency]
        if condition == "service_healthy":
            assert target.get("healthcheck"), f"{name} waits for {dependency} to be healthy, but it has no healthcheck"
        if condition == "service_completed_successfully":
            assert _one_shot(target), f"{name} waits for {dependency} to complete, but it restarts"
        if _one_shot(target):
            assert condition == "service_completed_successfully"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_urls_in_the_environment_point_at_services_and_their_ports(name: str) -> None:
    for url in _urls(SERVICES[name].get("environment", {})):
        parts = urlsplit(url)
        if parts.hostname == "localhost":
            continue  # addresses as the user's browser sees them (e.g. the auth issuer)
        assert parts.hostname in SERVICES, f"{name}: {url} names no service"
        default = {"http": 80, "https": 443, "redis": 6379, "postgresql": 5432}.get(parts.scheme)
        port = parts.port or default
        assert port in _ports(SERVICES[parts.hostname]), (
            f"{name}: {url} but {parts.hostname} listens on {_ports(SERVICES[parts.hostname])}"
        )
        # A service that another one calls is something it waits for.
        assert parts.hostname in _depends_on(SERVICES[name]) or name == "supergraph", f"{name} calls {parts.hostname}"


def test_ports_match_the_topology() -> None:
    for domain in topology.DOMAINS:
        subgraph = SERVICES[f"subgraph-{domain.name}"]
        assert _option(_command(subgraph), "--port") == str(domain.subgraph_port)
        receiver = {domain.receiver_port} if domain.receiver_port is not None else set()
        assert _ports(subgraph) == {domain.subgraph_port} | receiver
        mock = SERVICES[f"mock-{domain.name}"]
        if domain.mock_port is None:
            assert _one_shot(mock) and _ports(mock) == set()
            continue
        assert _ports(mock) == {domain.mock_port}
        legacy = subgraph["environment"][f"PARKGRAPH_{domain.name.upper()}_LEGACY_URL"]
        assert legacy == f"http://mock-{domain.name}:{domain.mock_port}"
    for replica in ("gateway-1", "gateway-2"):
        assert _ports(SERVICES[replica]) == {topology.GATEWAY_PORT}
    assert _ports(SERVICES["auth"]) == {topology.AUTH_PORT}
    assert "9000:9000" in SERVICES["auth"]["ports"]
    assert f"{topology.GATEWAY_PORT}:80" in SERVICES["lb"]["ports"]  # clients use the usual gateway port


def test_the_supergraph_routes_every_subgraph_to_its_service() -> None:
    environment = SERVICES["supergraph"]["environment"]
    for domain in topology.DOMAINS:
        url = environment[f"PARKGRAPH_{domain.name.upper()}_ROUTING_URL"]
        assert url == f"http://subgraph-{domain.name}:{domain.subgraph_port}/graphql"
    # The job seeds the schema registry with the rerouted graph; the gateways follow the registry.
    seed = _option(_command(SERVICES["supergraph"]), "--seed-out")
    registry = SERVICES["schema-registry"]
    assert registry["environment"]["PARKGRAPH_REGISTRY_SEED"] == seed
    assert _depends_on(registry)["supergraph"] == "service_completed_successfully"
    (mount,) = [v for v in registry["volumes"] if str(v).startswith("supergraph:")]
    assert str(seed).startswith(mount.split(":")[1] + "/")
    for replica in ("gateway-1", "gateway-2"):
        assert _option(_command(SERVICES[replica]), "--supergraph") is None


def test_the_schema_registry_runs_on_postgres_and_redis_and_both_gateways_follow_it() -> None:
    registry = SERVICES["schema-registry"]
    assert _python_module(registry) == "parkgraph.cli" and _command(registry)[3:5] == ["registry", "serve"]
    assert _ports(registry) == {topology.REGISTRY_PORT}
    assert f"{topology.REGISTRY_PORT}:{topology.REGISTRY_PORT}" in registry["ports"]  # city data centres publish
    environment = registry["environment"]
    database = urlsplit(environment["PARKGRAPH_REGISTRY_DATABASE_URL"])
    assert database.scheme == "postgresql" and database.hostname == "postgres"
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
    assert environment["PARKGRAPH_AUTH_ISSUER"] == SERVICES["auth"]["environment"]["PARKGRAPH_AUTH_ISSUER"]
    assert {"postgres", "redis", "auth"} <= set(_depends_on(registry))
    for replica in ("gateway-1", "gateway-2"):
        gateway = SERVICES[replica]
        command = _command(gateway)
        followed = urlsplit(_option(command, "--registry") or "")
        assert followed.hostname == "schema-registry" and followed.port == topology.REGISTRY_PORT
        assert _depends_on(gateway)["schema-registry"] == "service_healthy"
        # The registry's announcements reach each replica on the Redis it publishes to.
        assert gateway["environment"]["REDIS_URL"] == environment["REDIS_URL"]
        # Operation usage (the registry's breaking-change check) goes to the registry's database.
        assert _option(command, "--usage-database") == environment["PARKGRAPH_REGISTRY_DATABASE_URL"]


def test_the_load_balancer_spreads_over_both_gateways() -> None:
    lb = SERVICES["lb"]
    assert set(_depends_on(lb)) == {"gateway-1", "gateway-2"}
    (mount,) = [v for v in lb["volumes"] if "nginx.conf" in v]
    config = (REPO / mount.split(":")[0]).read_text(encoding="utf-8")
    upstream = re.findall(r"server\s+([\w-]+):(\d+)", config)
    assert sorted(upstream) == [("gateway-1", str(topology.GATEWAY_PORT)), ("gateway-2", str(topology.GATEWAY_PORT))]


def test_bind_mounted_files_exist() -> None:
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith("."):
                assert (REPO / source).is_file(), f"{name} mounts missing {source}"
            else:
                assert source in COMPOSE["volumes"], f"{name} mounts undeclared volume {source}"


def test_telemetry_reaches_jaeger_through_the_collector() -> None:
    collector = yaml.safe_load((REPO / "deploy/otel/collector.yaml").read_text(encoding="utf-8"))
    traces = collector["service"]["pipelines"]["traces"]
    assert "otlp" in traces["receivers"]
    jaeger = collector["exporters"][next(e for e in traces["exporters"] if e.startswith("otlp/"))]
    host, port = jaeger["endpoint"].split(":")
    assert host in SERVICES and int(port) in _ports(SERVICES[host])
    for name, service in SERVICES.items():
        module = _python_module(service)
        if module and not module.startswith("mocks.") and not _one_shot(service):  # the mocks are not ours to trace
            assert service["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318", name


def test_the_utilities_drop_folder_is_shared_by_the_mock_and_the_subgraph() -> None:
    mock, subgraph = SERVICES["mock-utilities"], SERVICES["subgraph-utilities"]
    folder = subgraph["environment"]["PARKGRAPH_UTILITIES_DROP_DIR"]
    assert mock["environment"]["PARKGRAPH_UTILITIES_DROP_DIR"] == folder
    assert f"utilities-drops:{folder}" in mock["volumes"]
    assert f"utilities-drops:{folder}:ro" in subgraph["volumes"]


def test_the_checked_in_supergraph_is_fully_rerouted() -> None:
    source = REPO / "schema" / "supergraph.graphql"
    if not source.is_file():
        pytest.skip("schema/supergraph.graphql is not composed yet (scripts/compose-supergraph)")
    from parkgraph.routing import route

    routed = route(source.read_text(encoding="utf-8"), SERVICES["supergraph"]["environment"])
    graphs = re.findall(r'@join__graph\(name: "([^"]+)", url: "([^"]+)"\)', routed)
    assert graphs
    for name, url in graphs:
        assert url == f"http://subgraph-{name}:{urlsplit(url).port}/graphql", f"{name} is still routed to {url}"


def test_the_image_contains_every_package_a_service_runs() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) ", dockerfile, flags=re.MULTILINE))
    for name, service in SERVICES.items():
        module = _python_module(service)
        if module:
            assert module.split(".")[0] in copied, f"{name} runs {module}, which the image does not contain"
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert not copied & set(ignored)


def _placeholder_variable(value: object) -> str | None:
    """``${NAME:?message}`` → ``NAME``: a value the deployment must supply (compose refuses to start without it)."""
    match = re.fullmatch(r"\$\{(\w+):\?[^}]+\}", str(value))
    return match.group(1) if match else None


def test_every_subgraph_and_gateway_gets_the_same_required_identity_key() -> None:
    signed = [f"subgraph-{domain.name}" for domain in topology.DOMAINS] + ["gateway-1", "gateway-2"]
    keys = {name: SERVICES[name]["environment"].get("PARKGRAPH_IDENTITY_KEY") for name in signed}
    assert None not in keys.values(), f"without PARKGRAPH_IDENTITY_KEY: {[n for n, k in keys.items() if k is None]}"
    assert len(set(keys.values())) == 1, keys  # one secret: what a gateway signs, every subgraph verifies
    # Taken from the deployment's environment and required, never a secret written into the file.
    assert _placeholder_variable(next(iter(keys.values()))) == "PARKGRAPH_IDENTITY_KEY"
    # Nothing else holds it: the auth server, the mocks and the jobs have no business with it.
    holders = {name for name, service in SERVICES.items() if "PARKGRAPH_IDENTITY_KEY" in service.get("environment", {})}
    assert holders == set(signed)


def test_the_gateways_verify_tokens_of_the_auth_server_with_its_issuer() -> None:
    auth = SERVICES["auth"]
    issuer = auth["environment"]["PARKGRAPH_AUTH_ISSUER"]
    for replica in ("gateway-1", "gateway-2"):
        environment = SERVICES[replica]["environment"]
        assert environment["PARKGRAPH_AUTH_ISSUER"] == issuer  # the iss of the tokens it must accept
        url = urlsplit(environment["PARKGRAPH_AUTH_URL"])  # where it fetches the JWKS (the --auth-url default)
        assert url.hostname == "auth" and url.port in _ports(auth)
        assert _depends_on(SERVICES[replica])["auth"] == "service_healthy"
