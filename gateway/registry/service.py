"""The schema registry's operations: check, publish, withdraw, roll back, with who may do what.

Who may do what (the caller is an :class:`~gateway.registry.model.Actor`
from a verified access token):

* writing and checking need the ``registry:write`` scope;
* the province (tenant ``province``) may change any subgraph, give it to a
  city (``owner``), roll back, and force a change past breaking-change and
  operation checks (never past namespace or composition errors);
* a city (tenant ``city:<code>``) may publish, update and withdraw only
  subgraphs it owns, named and shaped by its namespace
  (:mod:`gateway.registry.namespace`).

A change is checked against the current version and written as the next
one only if it passes; a refused change writes nothing, so the graph stays
as it was. Accepted changes are announced through the notifier.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gateway.registry.checks import BreakingPolicy, run_checks
from gateway.registry.errors import BadChange, Forbidden, NotFound, VersionConflict
from gateway.registry.model import (
    PROVINCE,
    WRITE_SCOPE,
    Action,
    Actor,
    ChangeOutcome,
    CheckReport,
    GraphVersion,
    RegisteredSubgraph,
)
from gateway.registry.namespace import CITY_TENANT, city_code, name_in_namespace, subgraph_prefix
from gateway.registry.notify import Notifier, NullNotifier
from gateway.registry.store import DAY_SECONDS, RegistryStore

_SUBGRAPH_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
_FORCEABLE = frozenset({"breaking", "operations"})


@dataclass(frozen=True, slots=True)
class RegistrySettings:
    usage_window_days: float = 7.0  # operations recorded this recently must keep validating
    policy: BreakingPolicy = "usage"
    satisfiability: bool = True


class SchemaRegistry:
    """Checks and versions changes to the graph; the API and the CLI both go through it."""

    def __init__(
        self,
        store: RegistryStore,
        notifier: Notifier | None = None,
        settings: RegistrySettings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.notifier: Notifier = notifier or NullNotifier()
        self.settings = settings or RegistrySettings()
        self._clock = clock
        self._lock = asyncio.Lock()  # one change at a time per process; the store's version key guards the rest

    async def current(self) -> GraphVersion | None:
        return await self.store.current()

    async def check(self, actor: Actor, name: str, url: str, sdl: str, owner: str | None = None) -> ChangeOutcome:
        """What publishing would find, without writing anything."""
        current = await self.store.current()
        subgraph = self._authorize_publish(actor, name, url, sdl, owner, current)
        return ChangeOutcome(False, await self._report(current, _replaced(current, subgraph), subgraph))

    async def publish(
        self, actor: Actor, name: str, url: str, sdl: str, owner: str | None = None, *, force: bool = False
    ) -> ChangeOutcome:
        """Adds or replaces subgraph ``name`` if the checks pass."""
        async with self._lock:
            current = await self.store.current()
            subgraph = self._authorize_publish(actor, name, url, sdl, owner, current)
            proposed = _replaced(current, subgraph)
            report = await self._report(current, proposed, subgraph)
            return await self._commit(actor, current, proposed, report, force, "publish", name)

    async def withdraw(self, actor: Actor, name: str, *, force: bool = False, dry_run: bool = False) -> ChangeOutcome:
        """Removes subgraph ``name`` if the graph still composes (and, unless forced, no recorded operation breaks)."""
        async with self._lock:
            current = await self.store.current()
            existing = current.subgraph(name) if current is not None else None
            if existing is None:
                raise NotFound(f'No subgraph "{name}" is registered')
            _authorize_write(actor, name, existing.owner)
            proposed = [s for s in current.subgraphs if s.name != name] if current is not None else []
            report = await self._report(current, proposed, None)
            if dry_run:
                return ChangeOutcome(False, report)
            return await self._commit(actor, current, proposed, report, force, "withdraw", name)

    async def rollback(self, actor: Actor, version: int) -> GraphVersion:
        """Makes version ``version``'s subgraphs and supergraph current again, as a new version (province only)."""
        _require_scope(actor)
        if not actor.is_province:
            raise Forbidden("Only the province may roll the graph back")
        async with self._lock:
            target = await self.store.version(version)
            if target is None or target.supergraph_sdl is None:
                raise NotFound(f"No version {version} with a supergraph to roll back to")
            current = await self.store.current()
            written = await self.store.append(
                base=current.version if current is not None else 0,
                subgraphs=target.subgraphs,
                supergraph_sdl=target.supergraph_sdl,
                action="rollback",
                actor=actor.client_id,
                subject=f"v{version}",
            )
        await self.notifier.notify(written.version)
        return written

    async def seed(self, subgraphs: Sequence[RegisteredSubgraph], supergraph_sdl: str, *, actor: str) -> int | None:
        """Writes the graph a deployment already serves as the first version when the registry is empty, or as the
        next one when nothing but an older seed is there (the deployment's own graph changed); the new version
        number, or None when the registry keeps what it has (anything published since the seed, or the same seed)."""
        async with self._lock:
            current = await self.store.current()
            if current is not None and (
                current.action != "seed"
                or (current.supergraph_sdl == supergraph_sdl and current.subgraphs == tuple(subgraphs))
            ):
                return None
            try:
                written = await self.store.append(
                    base=current.version if current is not None else 0,
                    subgraphs=subgraphs,
                    supergraph_sdl=supergraph_sdl,
                    action="seed",
                    actor=actor,
                    subject=f"{len(subgraphs)} subgraphs",
                )
            except VersionConflict:
                return None  # another registry process seeded it first
        await self.notifier.notify(written.version)
        return written.version

    def _authorize_publish(
        self, actor: Actor, name: str, url: str, sdl: str, owner: str | None, current: GraphVersion | None
    ) -> RegisteredSubgraph:
        if not _SUBGRAPH_NAME.match(name):
            raise BadChange(f'"{name}" is not a valid subgraph name (a letter, then letters, digits, _)')
        if not url.startswith(("http://", "https://")):
            raise BadChange(f"The routing URL {url!r} is not an http(s) URL")
        if not sdl.strip():
            raise BadChange("The SDL is empty")
        existing = current.subgraph(name) if current is not None else None
        _authorize_write(actor, name, existing.owner if existing is not None else None)
        if owner is not None and owner != (existing.owner if existing else actor.tenant):
            if not actor.is_province:
                raise Forbidden("Only the province may choose a subgraph's owner")
            if owner != PROVINCE and not CITY_TENANT.match(owner):
                raise BadChange(f"The owner {owner!r} is neither province nor city:<code>")
            if not name_in_namespace(owner, name):
                raise BadChange(f'A subgraph of {owner} must be named "{subgraph_prefix(city_code(owner) or "")}…"')
        else:
            owner = existing.owner if existing is not None else (actor.tenant or PROVINCE)
        return RegisteredSubgraph(name, url, sdl, owner)

    async def _report(
        self,
        current: GraphVersion | None,
        proposed: Sequence[RegisteredSubgraph],
        changed: RegisteredSubgraph | None,
    ) -> CheckReport:
        since = self._clock() - self.settings.usage_window_days * DAY_SECONDS
        operations = await self.store.operations_since(since)
        # Composition and validation are CPU work: keep the event loop free for the API's other requests.
        return await asyncio.to_thread(
            run_checks,
            current=current,
            proposed=proposed,
            changed=changed,
            operations=operations,
            policy=self.settings.policy,
            satisfiability=self.settings.satisfiability,
        )

    async def _commit(
        self,
        actor: Actor,
        current: GraphVersion | None,
        proposed: Sequence[RegisteredSubgraph],
        report: CheckReport,
        force: bool,
        action: Action,
        subject: str,
    ) -> ChangeOutcome:
        if force and not actor.is_province:
            raise Forbidden("Only the province may force a change past failing checks")
        blocking = [i for i in report.errors if not (force and i.check in _FORCEABLE)]
        if blocking or report.supergraph_sdl is None:
            return ChangeOutcome(False, report)
        written = await self.store.append(
            base=current.version if current is not None else 0,
            subgraphs=proposed,
            supergraph_sdl=report.supergraph_sdl,
            action=action,
            actor=actor.client_id,
            subject=subject,
        )
        await self.notifier.notify(written.version)
        return ChangeOutcome(True, report, written.version)


def _replaced(current: GraphVersion | None, subgraph: RegisteredSubgraph) -> list[RegisteredSubgraph]:
    """The current subgraphs with ``subgraph`` added, or in place of its namesake (order kept)."""
    subgraphs = list(current.subgraphs) if current is not None else []
    index = next((i for i, s in enumerate(subgraphs) if s.name == subgraph.name), None)
    if index is None:
        subgraphs.append(subgraph)
    else:
        subgraphs[index] = subgraph
    return subgraphs


def _require_scope(actor: Actor) -> None:
    if WRITE_SCOPE not in actor.scopes:
        raise Forbidden(f"The token lacks the {WRITE_SCOPE} scope")


def _authorize_write(actor: Actor, name: str, existing_owner: str | None) -> None:
    """Raises Forbidden unless ``actor`` may change subgraph ``name`` (owned by ``existing_owner``, if registered)."""
    _require_scope(actor)
    if actor.is_province:
        return
    if city_code(actor.tenant) is None:
        raise Forbidden(f"Tenant {actor.tenant or '(none)'} may not change the graph; only cities and the province")
    if existing_owner is not None and existing_owner != actor.tenant:
        raise Forbidden(f'Subgraph "{name}" belongs to {existing_owner}, not {actor.tenant}')
    if not name_in_namespace(actor.tenant or "", name):
        prefix = subgraph_prefix(city_code(actor.tenant) or "")
        raise Forbidden(f'Subgraph "{name}" is outside the namespace of {actor.tenant}: name it "{prefix}<name>"')
