"""Reads what to compose: a Rover-style ``subgraphs.yaml`` naming each subgraph's routing URL and schema source.

```yaml
subgraphs:
  registry:
    routing_url: http://127.0.0.1:4101/graphql
    schema:
      file: subgraphs/registry.graphql        # relative to this file
  talent:
    routing_url: http://127.0.0.1:4103/graphql
    schema:
      subgraph_url: http://127.0.0.1:4103/graphql   # fetched with `_service { sdl }`
```

A folder can stand in for the config (:func:`load_folder`): ``subgraphs/<name>.graphql`` with
``urls.json`` (name → routing URL, in composition order), as ``schema/`` holds the domain subgraphs.

Failures raise :class:`ComposeInputError` (the package's only exception).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import yaml

from gateway.supergraph.compose.pipeline import SubgraphSource

SERVICE_QUERY = "query SubgraphIntrospectQuery { _service { sdl } }"


class ComposeInputError(Exception):
    """A config file or a subgraph's SDL could not be read or fetched."""


def load_config(path: Path, *, transport: httpx.BaseTransport | None = None) -> list[SubgraphSource]:
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ComposeInputError(f"cannot read {path}: {exc}") from exc
    subgraphs = config.get("subgraphs") if isinstance(config, dict) else None
    if not isinstance(subgraphs, dict) or not subgraphs:
        raise ComposeInputError(f"{path}: expected a `subgraphs:` mapping of name → routing_url and schema")
    sources: list[SubgraphSource] = []
    for name, entry in subgraphs.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("schema"), dict):
            raise ComposeInputError(f"{path}: subgraph {name!r} needs `schema: {{file: …}}` or `{{subgraph_url: …}}`")
        schema: dict[str, Any] = entry["schema"]
        fetch_url = schema.get("subgraph_url")
        routing_url = entry.get("routing_url") or fetch_url
        if not isinstance(routing_url, str):
            raise ComposeInputError(f"{path}: subgraph {name!r} has no routing_url")
        if isinstance(schema.get("file"), str):
            file = (path.parent / schema["file"]).resolve()
            try:
                sdl = file.read_text(encoding="utf-8")
            except OSError as exc:
                raise ComposeInputError(f"subgraph {name!r}: cannot read {file}: {exc}") from exc
        elif isinstance(fetch_url, str):
            sdl = fetch_sdl(name, fetch_url, transport=transport)
        else:
            raise ComposeInputError(f"{path}: subgraph {name!r} needs `schema: {{file: …}}` or `{{subgraph_url: …}}`")
        sources.append(SubgraphSource(str(name), routing_url, sdl))
    return sources


def load_folder(directory: Path) -> list[SubgraphSource]:
    """The subgraphs of ``directory``: ``urls.json`` names them in order; without it, every file, sorted by name,
    with a placeholder URL (``http://<name>.subgraph.test/graphql``, as ``tests/fixtures/compose.mjs`` gives)."""
    urls_file = directory / "urls.json"
    try:
        if urls_file.exists():
            urls: dict[str, str] = json.loads(urls_file.read_text(encoding="utf-8"))
        else:
            files = sorted((directory / "subgraphs").glob("*.graphql"))
            urls = {f.stem: f"http://{f.stem}.subgraph.test/graphql" for f in files}
        return [
            SubgraphSource(name, url, (directory / "subgraphs" / f"{name}.graphql").read_text(encoding="utf-8"))
            for name, url in urls.items()
        ]
    except (OSError, ValueError) as exc:
        raise ComposeInputError(f"cannot read the subgraphs of {directory}: {exc}") from exc


def fetch_sdl(
    name: str,
    url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 10.0,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A running subgraph's SDL from ``_service { sdl }`` (works with introspection off).

    ``headers`` go with the request: a subgraph behind the identity gate wants a signed ``x-parkgraph-identity``.
    """
    try:
        with httpx.Client(transport=transport, timeout=timeout) as client:
            response = client.post(url, json={"query": SERVICE_QUERY}, headers=dict(headers or {}))
            response.raise_for_status()
            body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ComposeInputError(f"subgraph {name!r}: cannot fetch _service {{ sdl }} from {url}: {exc}") from exc
    sdl = ((body.get("data") or {}).get("_service") or {}).get("sdl") if isinstance(body, dict) else None
    if not isinstance(sdl, str):
        errors = body.get("errors") if isinstance(body, dict) else None
        raise ComposeInputError(f"subgraph {name!r}: {url} returned no _service.sdl ({errors or body!r})")
    return sdl
