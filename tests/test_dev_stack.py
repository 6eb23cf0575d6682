"""End to end: what a new user does with the README's first command, ``./scripts/dev``.

Starts ``parkgraph dev`` (the launcher ``scripts/dev`` execs after setup) in a subprocess on free ports with its
data in a temporary folder, waits until it prints that ParkGraph is running, sends the README's single-window
query (the ```graphql block starting with ``query SingleWindow``) for the showcase enterprise through the
gateway, checks that every domain answered, then presses Ctrl-C (SIGINT) and checks that no child is left.

The query is sent as the README shows it: with a token from the dev stack's auth server for the seeded client
``demo-province`` (client credentials); without a token the same query is reduced to the public fields
(``enterprise`` is null with ``UNAUTHENTICATED``).
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mocks.data.province import SHOWCASE_USCC
from parkgraph import topology

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 45.0


def readme_single_window_query() -> str:
    """The ```graphql block of README.md that starts with ``query SingleWindow``."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```graphql\n(.*?)```", readme, flags=re.DOTALL)
    queries: list[str] = [block for block in blocks if block.lstrip().startswith("query SingleWindow")]
    assert len(queries) == 1, "README.md must hold exactly one ```graphql block starting with `query SingleWindow`"
    return queries[0]


def readme_token_and_query_commands(gateway_port: int, auth_port: int) -> str:
    """The README's two ```sh blocks that get a token and send the single-window query, for these ports."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    (token,) = [block for block in blocks if block.startswith("TOKEN=$(curl")]
    (query,) = [block for block in blocks if "Bearer $TOKEN" in block and "query SingleWindow" in block]
    script: str = token + query
    return script.replace("127.0.0.1:9000", f"127.0.0.1:{auth_port}").replace(
        "127.0.0.1:4000", f"127.0.0.1:{gateway_port}"
    )


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_layout() -> tuple[int, int]:
    """A gateway port and a port offset under which every mock and subgraph port is free right now."""
    defaults = [d.subgraph_port for d in topology.DOMAINS] + [d.mock_port for d in topology.DOMAINS if d.mock_port]
    defaults += [d.receiver_port for d in topology.DOMAINS if d.receiver_port] + [topology.SAFETY_BROKER_PORT]
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            gateway_port = sock.getsockname()[1]
        # 14101…32108: below Linux's ephemeral range (32768 and up), where outgoing connections take their
        # local ports and could seize a subgraph's port between our check and its bind.
        offset = (gateway_port % 17) * 1000 + 10000
        ports = [port + offset for port in defaults]
        if gateway_port not in ports and all(_port_free(port) for port in [gateway_port, *ports]):
            return gateway_port, offset
    raise RuntimeError("no free set of ports found")


def _children(pid: int) -> list[int]:
    """Direct children of ``pid``, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its exit status is left to collect


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, int]]:
    gateway_port, offset = _free_layout()
    auth_port = _free_port(exclude={gateway_port})
    registry_port = _free_port(exclude={gateway_port, auth_port})
    # The stack on its embedded default: a DATABASE_URL of the developer's would put talent on their PostgreSQL.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    argv = [sys.executable, "-m", "parkgraph.cli", "dev", "--gateway-port", str(gateway_port)]
    argv += ["--port-offset", str(offset), "--data-dir", str(tmp_path / "dev"), "--auth-port", str(auth_port)]
    argv += ["--registry-port", str(registry_port)]
    process = subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    try:
        yield process, gateway_port, auth_port
    finally:
        if process.poll() is None:
            for child in _children(process.pid):
                os.kill(child, signal.SIGKILL)
            process.kill()
            process.wait()


def _wait_until_running(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    output = []
    deadline = time.monotonic() + STARTUP_SECONDS
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            output.append(line)
            if line.lstrip().startswith("Logs:"):  # the last line of the banner
                return "".join(output)
            continue
        if process.poll() is not None:
            break
        time.sleep(0.05)
    rest = process.stdout.read() or ""
    pytest.fail(f"the dev stack did not come up:\n{''.join(output)}{rest}")


def _free_port(exclude: set[int]) -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port not in exclude:
            return port


def _token(auth_port: int, client: str = "demo-province") -> str:
    """A token for a seeded demo client (``demo-province``), as the README's curl gets it (client credentials)."""
    credentials = base64.b64encode(f"{client}:{client}-secret".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{auth_port}/token",
        data=urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "graph:read"}).encode(),
        headers={"authorization": f"Basic {credentials}", "content-type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        token: str = json.loads(response.read())["access_token"]
    return token


def _query(port: int, query: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            result: dict[str, Any] = json.loads(response.read())
    except urllib.error.HTTPError as exc:  # a request error (400): the GraphQL errors are in the body
        result = json.loads(exc.read())
    return result


def test_dev_stack_answers_the_single_window_query_and_stops_cleanly(
    stack: tuple[subprocess.Popen[str], int, int], tmp_path: Path
) -> None:
    process, gateway_port, auth_port = stack
    banner = _wait_until_running(process)
    assert f"http://127.0.0.1:{gateway_port}/graphql" in banner
    found = re.search(r"^\s*registry\s+(http://127\.0\.0\.1:\d+)", banner, flags=re.MULTILINE)
    assert found is not None, banner
    registry_url = found.group(1)

    # The mock servers (talent's database is seeded by a one-shot run), the subgraphs, the auth server, the gateway.
    children = _children(process.pid)
    assert len(children) >= 13, banner

    anonymous = _query(gateway_port, readme_single_window_query(), {"uscc": SHOWCASE_USCC})
    assert anonymous["data"]["enterprise"] is None
    assert {e["extensions"]["code"] for e in anonymous["errors"]} == {"UNAUTHENTICATED"}

    token = _token(auth_port)
    result = _query(gateway_port, readme_single_window_query(), {"uscc": SHOWCASE_USCC}, token)
    assert "errors" not in result, result.get("errors")
    enterprise = result["data"]["enterprise"]
    # registry
    assert enterprise["uscc"] == SHOWCASE_USCC
    assert enterprise["name"] and enterprise["park"]["name"] and enterprise["city"]["name"]
    # approvals, talent, logistics
    assert enterprise["approvalCases"]["totalCount"] > 0 and enterprise["approvalCases"]["edges"]
    assert enterprise["jobDemands"]["totalCount"] > 0 and enterprise["jobDemands"]["edges"]
    assert enterprise["shipments"]["totalCount"] > 0 and enterprise["shipments"]["edges"]
    # social security
    assert enterprise["socialSecurity"]["insuredHeadcount"] > 0
    # utilities, and its @requires on the registry's annual output
    assert enterprise["energyUse"]["daysCovered"] > 0
    assert enterprise["energyIntensity"]["tcePerTenThousandYuan"]

    # The README's curl commands, as written (only the ports are this stack's): token, then the query with it.
    script = readme_token_and_query_commands(gateway_port, auth_port)
    run = subprocess.run(["bash", "-ec", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    answered = json.loads(run.stdout)
    assert "errors" not in answered, answered
    assert answered["data"]["enterprise"]["uscc"] == SHOWCASE_USCC
    assert answered["data"]["enterprise"]["shipments"]["totalCount"] == enterprise["shipments"]["totalCount"]

    _hefei_publishes_into_the_running_stack(gateway_port, auth_port, registry_url, tmp_path / "dev")

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in children if _alive(pid)] == []


HEFEI_QUERY = "{ c340100_projects(stage: SIGNED) { code enterprise { uscc } } }"


def _hefei_publishes_into_the_running_stack(gateway_port: int, auth_port: int, registry_url: str, data: Path) -> None:
    """Hefei's data centre runs its subgraph (with the identity key the province gave it: in dev, the stack's) and
    publishes it through the registry API with its own client, demo-city; the gateway serves it without a restart."""
    legacy_port = _free_port(exclude={gateway_port, auth_port})
    subgraph_port = _free_port(exclude={gateway_port, auth_port, legacy_port})
    env = {**os.environ, "PARKGRAPH_IDENTITY_KEY": (data / "identity.key").read_text(encoding="utf-8").strip()}
    py = sys.executable
    legacy_url = f"http://127.0.0.1:{legacy_port}"
    city = [
        subprocess.Popen([py, "-m", "mocks.hefei_investment", "--port", str(legacy_port)], cwd=REPO, env=env),
        subprocess.Popen(
            [py, "-m", "subgraphs.city_hefei", "--port", str(subgraph_port), "--legacy-url", legacy_url],
            cwd=REPO,
            env=env,
        ),
    ]
    try:
        deadline = time.monotonic() + 20
        while not all(_listening(port) for port in (legacy_port, subgraph_port)):
            assert time.monotonic() < deadline, "Hefei's mock and subgraph did not start"
            time.sleep(0.1)
        url = f"http://127.0.0.1:{subgraph_port}/graphql"
        publish = [py, "-m", "parkgraph.cli", "registry", "publish", "--registry", registry_url]
        publish += ["--auth-url", f"http://127.0.0.1:{auth_port}", "--name", "city_340100_investment"]
        publish += [
            "--url",
            url,
            "--schema-url",
            url,
            "--client-id",
            "demo-city",
            "--client-secret",
            "demo-city-secret",
        ]
        published = subprocess.run(publish, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert published.returncode == 0, published.stdout + published.stderr

        token = _token(auth_port, "demo-city")
        deadline = time.monotonic() + 15  # the gateway polls the registry every second
        while True:
            result = _query(gateway_port, HEFEI_QUERY, {}, token)
            if "errors" not in result or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert "errors" not in result, result
        # Hefei's project joined to the province's enterprise registry (an entity from another subgraph).
        projects = result["data"]["c340100_projects"]
        assert projects and all(p["code"].startswith("HF") for p in projects)
        assert all(len(p["enterprise"]["uscc"]) == 18 for p in projects)
    finally:
        for child in city:
            child.terminate()
        for child in city:
            child.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0
