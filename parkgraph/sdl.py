"""The SDL each in-repo subgraph serves at ``_service { sdl }``, obtained in-process from its strawberry schema.

``scripts/compose-supergraph`` stores these under ``schema/subgraphs/<domain>.graphql`` and composes
``schema/supergraph.graphql`` from them with our composer; the tests compare the stored files
with what each subgraph serves now, so a schema change without a regenerated supergraph fails the build.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from strawberry.schema import Schema

from parkgraph import topology

REPO = Path(__file__).resolve().parents[1]
SCHEMA_DIR = REPO / "schema"
SUBGRAPH_SDL_DIR = SCHEMA_DIR / "subgraphs"
SUPERGRAPH = SCHEMA_DIR / "supergraph.graphql"
# The compose config: subgraph name → routing URL, in composition order; subgraphs from outside the
# repository (a city data centre's) are added here by hand, with their SDL in schema/subgraphs/<name>.graphql.
COMPOSE_CONFIG = SCHEMA_DIR / "urls.json"

# Where each domain keeps its schema: the subgraphs grew their own conventions (a module constant or a factory).
_SCHEMAS: dict[str, tuple[str, str]] = {
    "registry": ("subgraphs.registry.app", "create_schema"),
    "approvals": ("subgraphs.approvals.schema", "SCHEMA"),
    "talent": ("subgraphs.talent.schema", "SCHEMA"),
    "logistics": ("subgraphs.logistics.schema", "build_schema"),
    "socialsecurity": ("subgraphs.socialsecurity.schema", "build_schema"),
    "utilities": ("subgraphs.utilities.schema", "build_schema"),
    "environment": ("subgraphs.environment.schema", "build_schema"),
    "safety": ("subgraphs.safety.schema", "build_schema"),
}


def routing_url(domain: topology.Domain) -> str:
    """The URL the checked-in supergraph routes ``domain`` to: its default local port."""
    return f"http://127.0.0.1:{domain.subgraph_port}/graphql"


def load_schema(name: str) -> Schema:
    """The strawberry schema of the in-repo subgraph ``name``."""
    module_name, attribute = _SCHEMAS[name]
    found: Schema | Callable[[], Schema] = getattr(importlib.import_module(module_name), attribute)
    return found if isinstance(found, Schema) else found()


def served_sdl(name: str) -> str:
    """Exactly what the subgraph ``name`` answers to ``{ _service { sdl } }``."""
    result = load_schema(name).execute_sync("{ _service { sdl } }")
    if result.errors or not result.data:
        raise RuntimeError(f"subgraph {name} did not serve its SDL: {result.errors}")
    sdl: str = result.data["_service"]["sdl"]
    return sdl


def stored_sdl_path(name: str) -> Path:
    return SUBGRAPH_SDL_DIR / f"{name}.graphql"
