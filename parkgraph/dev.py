"""``parkgraph dev``: the whole graph on one machine, on the embedded default.

Starts every mock legacy system, every subgraph, the auth server (its
SQLite under ``--data-dir``, demo clients seeded), the schema registry and
the gateway (verifying tokens against the auth server, following the
registry) as child processes, each on its own port, waits until each
answers, prints what to open, and stops them all on Ctrl-C.

The registry (SQLite ``registry.db`` under ``--data-dir``) is seeded on its
first start with the province's domain subgraphs and the checked-in
supergraph, pointed at this stack's ports (``registry-seed.json``), so the
dev graph is the stored one until a city publishes; while nothing was
published it is re-seeded when the stored supergraph changes. The gateway
polls it every second (``REDIS_URL`` set: pub/sub as well).
State lives in SQLite files under ``--data-dir``; ``DATABASE_URL`` puts the
talent database, the auth server, the alert store and the schema registry on
PostgreSQL instead (the demo clients stay enabled: this is the dev stack). The environment is passed through to
every child (``REDIS_URL`` too: the gateway's shared state, registry
notifications and the adapters' last-good cache then live in Redis).

Each child is told its host, port and legacy URL by flags, so that
``PARKGRAPH_*`` variables set in the shell for one process run by hand
cannot move a process of the stack to another port.
The gateway and every subgraph get the data folder's ``PARKGRAPH_IDENTITY_KEY``
(``identity.key``, random, made on first start).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from parkgraph import topology

REPO = Path(__file__).resolve().parents[1]
SUPERGRAPH = REPO / "schema" / "supergraph.graphql"


@dataclass
class Service:
    """One child process and how to tell it is up."""

    name: str
    argv: list[str]
    port: int | None
    url: str | None = None  # shown to the user
    env: dict[str, str] = field(default_factory=dict)
    one_shot: bool = False  # runs to completion before the others (e.g. seeding a database)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("dev", help="run every mock, subgraph, the auth server and the gateway")
    parser.add_argument("--host", default=os.environ.get("PARKGRAPH_HOST", "127.0.0.1"))
    parser.add_argument("--gateway-port", type=int, default=int(os.environ.get("PARKGRAPH_GATEWAY_PORT", "4000")))
    parser.add_argument("--auth-port", type=int, default=int(os.environ.get("PARKGRAPH_AUTH_PORT", "9000")))
    parser.add_argument(
        "--registry-port",
        type=int,
        default=int(os.environ.get("PARKGRAPH_SCHEMA_REGISTRY_PORT", str(topology.REGISTRY_PORT))),
        help="the schema registry the gateway follows",
    )
    parser.add_argument(
        "--port-offset",
        type=int,
        default=int(os.environ.get("PARKGRAPH_PORT_OFFSET", "0")),
        help="added to every subgraph and mock port (run two stacks side by side)",
    )
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("PARKGRAPH_DATA_DIR", "var/dev")))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    parser.set_defaults(run=run)


def plan_services(args: argparse.Namespace) -> list[Service]:
    """The processes of the dev stack, in start order: mocks, subgraphs, auth, gateway."""
    py = sys.executable
    host, data = args.host, args.data_dir.resolve()
    database_url = os.environ.get("DATABASE_URL")
    talent_db = database_url or f"sqlite:///{data / 'talent.db'}"
    drops = data / "utilities-drops"
    # One alert store for the monitoring subgraphs, so each park's alert board shows both domains.
    alerts_db = database_url or f"sqlite:///{data / 'alerts.db'}"
    broker_port = topology.SAFETY_BROKER_PORT + args.port_offset
    seeded = ["--seed", str(args.seed), "--scale", str(args.scale)]
    # The gateway signs the caller's identity with this key and every subgraph verifies it.
    signed = {"PARKGRAPH_IDENTITY_KEY": identity_key(data)}
    auth_url = f"http://{host}:{args.auth_port}"
    services: list[Service] = []
    for domain in topology.DOMAINS:
        mock_port = domain.mock_port + args.port_offset if domain.mock_port else None
        if domain.name == "talent":
            services.append(
                Service(
                    "mock:talent", [py, "-m", "mocks.talent", "--database-url", talent_db, *seeded], None, one_shot=True
                )
            )
        else:
            argv = [py, "-m", f"mocks.{domain.name}", "--host", host, "--port", str(mock_port), *seeded]
            if domain.name == "utilities":
                argv += ["--drop-dir", str(drops)]
            if domain.receiver_port is not None:
                # The field units dial the subgraph's receiver, retrying until it is up (it starts after them).
                argv += ["--platform", f"{_probe_host(host)}:{domain.receiver_port + args.port_offset}"]
                argv += ["--interval", "10"]
            if domain.name == "safety":
                # The embedded default: the mock runs its own MQTT broker, the subgraph subscribes to it.
                argv += ["--embedded-broker-port", str(broker_port), "--broker", f"{_probe_host(host)}:{broker_port}"]
            services.append(Service(f"mock:{domain.name}", argv, mock_port))
    for domain in topology.DOMAINS:
        port = domain.subgraph_port + args.port_offset
        argv = [py, "-m", f"subgraphs.{domain.name}", "--host", host, "--port", str(port)]
        if domain.name == "talent":
            argv += ["--database-url", talent_db]
        else:
            argv += ["--legacy-url", f"http://{host}:{domain.mock_port + args.port_offset}"]
        if domain.name == "utilities":
            argv += ["--drop-dir", str(drops)]
        if domain.receiver_port is not None:
            argv += ["--receiver-host", host, "--receiver-port", str(domain.receiver_port + args.port_offset)]
        if domain.name == "safety":
            argv += ["--broker-host", _probe_host(host), "--broker-port", str(broker_port)]
        if domain.name in ("environment", "safety"):
            argv += ["--alerts-url", alerts_db]
        services.append(Service(f"subgraph:{domain.name}", argv, port, f"http://{host}:{port}/graphql", env=signed))
    services.append(
        Service(
            "auth",
            # --dev: this is the dev stack, so the demo clients work on PostgreSQL too.
            [py, "-m", "auth", "--host", host, "--port", str(args.auth_port), "--data-dir", str(data), "--dev"],
            args.auth_port,
            auth_url,
            env={"PARKGRAPH_AUTH_ISSUER": auth_url},
        )
    )
    registry_url = f"http://{host}:{args.registry_port}"
    registry_db = database_url or f"sqlite:///{data / 'registry.db'}"
    services.append(
        Service(
            "registry",
            [py, "-m", "parkgraph.cli", "registry", "serve", "--host", host, "--port", str(args.registry_port)],
            args.registry_port,
            registry_url,
            env={
                "PARKGRAPH_REGISTRY_DATABASE_URL": registry_db,
                "PARKGRAPH_REGISTRY_SEED": str(data / "registry-seed.json"),
                "PARKGRAPH_AUTH_URL": auth_url,
                "PARKGRAPH_AUTH_ISSUER": auth_url,
            },
        )
    )
    services.append(
        Service(
            "gateway",
            [
                py,
                "-m",
                "gateway",
                "--registry",
                registry_url,
                "--registry-cache",
                str(data / "supergraph-cache.json"),
                "--registry-poll",
                "1",
                "--usage-database",
                registry_db,
                "--host",
                host,
                "--port",
                str(args.gateway_port),
                "--dev",
                "--auth-url",
                auth_url,
            ],
            args.gateway_port,
            f"http://{host}:{args.gateway_port}/graphql",
            env={**signed, "PARKGRAPH_AUTH_ISSUER": auth_url},
        )
    )
    return services


def identity_key(data: Path) -> str:
    """The data folder's identity key (``identity.key``), made at random on first use and kept for restarts."""
    path = data / "identity.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def local_supergraph(args: argparse.Namespace) -> str:
    """The checked-in supergraph with each subgraph's URL pointed at this stack's ports."""
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    for domain in topology.DOMAINS:
        default = f"http://127.0.0.1:{domain.subgraph_port}/graphql"
        sdl = sdl.replace(default, f"http://{args.host}:{domain.subgraph_port + args.port_offset}/graphql")
    return sdl


def write_registry_seed(args: argparse.Namespace, path: Path) -> None:
    """The registry's first graph: every domain subgraph's stored SDL at this stack's URL, and their supergraph."""
    from parkgraph.routing import env_name, write_registry_seed

    urls = {
        env_name(domain): f"http://{args.host}:{domain.subgraph_port + args.port_offset}/graphql"
        for domain in topology.DOMAINS
    }
    write_registry_seed(path, local_supergraph(args), urls)


def run(args: argparse.Namespace) -> int:
    data: Path = args.data_dir
    (data / "logs").mkdir(parents=True, exist_ok=True)
    (data / "supergraph.graphql").write_text(local_supergraph(args), encoding="utf-8")
    write_registry_seed(args, data / "registry-seed.json")
    stack = _Stack(data / "logs", args.host)
    # `kill` and service managers send SIGTERM: stop the children as for Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        services = plan_services(args)
        _check_ports_free(args.host, services)
        for service in services:
            stack.start(service, args.startup_timeout)
        _print_ready(stack.services, args)
        return stack.watch()
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        return 0
    except _StartupFailed as exc:
        print(f"\n{exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        # A second Ctrl-C while stopping must not leave children behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()


class _StartupFailed(Exception):
    pass


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _check_ports_free(host: str, services: list[Service]) -> None:
    # Without this, a port held by another stack looks "up" at once and the child dies on bind later.
    taken = [f"{s.name} ({s.port})" for s in services if s.port is not None and _listening(_probe_host(host), s.port)]
    if taken:
        raise _StartupFailed(
            "ports already in use: " + ", ".join(taken) + "\n(another ParkGraph running? use --port-offset and "
            "--gateway-port, or stop it)"
        )


class _Stack:
    def __init__(self, logs: Path, host: str) -> None:
        self.logs = logs
        self.host = _probe_host(host)
        self.services: list[Service] = []
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, service: Service, timeout: float) -> None:
        log_path = self.logs / f"{service.name.replace(':', '-')}.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **service.env}
        with log_path.open("ab") as log:
            process = subprocess.Popen(service.argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        # Tracked at once, so that Ctrl-C during startup (or seeding) stops this child too.
        self.processes[service.name] = process
        where = f"port {service.port}" if service.port is not None else "one-shot"
        print(f"  starting {service.name:<24} {where}", flush=True)
        if service.one_shot:
            try:
                code = process.wait(timeout)
            except subprocess.TimeoutExpired:
                raise _StartupFailed(f"{service.name} did not finish within {timeout:.0f} s") from None
            del self.processes[service.name]
            if code != 0:
                raise _StartupFailed(f"{service.name} failed:\n{_tail(log_path)}")
            return
        self.services.append(service)
        deadline = time.monotonic() + timeout
        while service.port is not None and not _listening(self.host, service.port):
            if process.poll() is not None:
                raise _StartupFailed(f"{service.name} exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise _StartupFailed(f"{service.name} did not listen on port {service.port} within {timeout:.0f} s")
            time.sleep(0.1)

    def watch(self) -> int:
        """Blocks until a child dies (an error) or the user presses Ctrl-C."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    print(f"{name} exited with {process.returncode}; see {self.logs}", file=sys.stderr)
                    return 1
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 5
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _probe_host(host: str) -> str:
    # A wildcard bind is reached through loopback.
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def _listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _print_ready(services: list[Service], args: argparse.Namespace) -> None:
    print("\nParkGraph is running (Ctrl-C stops everything):", flush=True)
    for service in services:
        if service.url:
            print(f"  {service.name:<24} {service.url}")
    print(f"\n  Open http://{args.host}:{args.gateway_port}/graphql in a browser for GraphiQL.", flush=True)
    print(f"  Logs: {args.data_dir / 'logs'}\n", flush=True)
