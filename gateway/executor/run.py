"""Walks a query plan: sends the fetches, merges their results, collects errors (federation-notes §4.3–4.4).

The executor never raises because a subgraph failed: every failure becomes a
GraphQL error with a response path, and the fields it should have supplied stay
absent for response shaping to null. Fields a subgraph marks as stale (its
``extensions.staleness``, see ``subgraphs/common/staleness.py``) are re-pathed
like its errors into the client's ``extensions.staleness``. It talks to subgraphs only through the
:class:`~gateway.subgraph.SubgraphService` it is handed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

import orjson
from graphql import FieldNode, OperationDefinitionNode, parse

from gateway.context import RequestContext
from gateway.errors import graphql_error
from gateway.executor.entities import MissingInput, apply_rewrites, flat_key, representation
from gateway.executor.merge import IsSubtype, deep_merge
from gateway.planner.plan import Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan, Sequence, Subscription
from gateway.subgraph.types import SubgraphError, SubgraphRequest, SubgraphService

logger = logging.getLogger(__name__)

Path = tuple[str | int, ...]
_NONE: Mapping[str, Any] = {}
_FRAGMENT_PREFIX = "... on "


class TypeOracle(Protocol):
    """What the executor needs to know about types: the concrete types of an abstract one."""

    def possible_runtime_types(self, type_name: str) -> frozenset[str]: ...


class Executed(NamedTuple):
    """The merged data, the errors so far, and the paths whose nulls those errors already explain."""

    data: dict[str, Any]
    errors: list[dict[str, Any]]
    explained: set[Path]


async def execute_plan(
    plan: QueryPlan,
    *,
    variables: Mapping[str, Any],
    context: RequestContext,
    subgraphs: SubgraphService,
    types: TypeOracle,
    data: dict[str, Any] | None = None,
) -> Executed:
    """Run ``plan`` with the operation's coerced ``variables`` (defaults applied).

    For a subscription, ``data`` is one event's data (what the primary fetch sent) and only the plan's
    ``rest`` runs, on it: the entity fetches for the fields other subgraphs own.
    """
    run = _Run(variables, context, subgraphs, types)
    if data is not None:
        run.data = data
    node = plan.node
    if isinstance(node, Subscription):
        node = node.rest
    if node is not None:
        await run.node(node)
    return Executed(run.data, run.errors, run.explained)


class _Run:
    """The state of one plan execution: the response tree and the errors collected so far."""

    __slots__ = ("_subtype_cache", "context", "data", "errors", "explained", "subgraphs", "types", "variables")

    def __init__(
        self, variables: Mapping[str, Any], context: RequestContext, subgraphs: SubgraphService, types: TypeOracle
    ) -> None:
        self.variables = variables
        self.context = context
        self.subgraphs = subgraphs
        self.types = types
        self.data: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.explained: set[Path] = set()
        self._subtype_cache: dict[tuple[str, str], bool] = {}

    def is_a(self, typename: str, condition: str) -> bool:
        """Whether an object of type ``typename`` matches the type condition ``condition``."""
        if typename == condition:
            return True
        key = (typename, condition)
        hit = self._subtype_cache.get(key)
        if hit is None:
            hit = self._subtype_cache[key] = typename in self.types.possible_runtime_types(condition)
        return hit

    async def node(self, node: PlanNode) -> None:
        kind = node.kind
        if kind == "Fetch":
            assert isinstance(node, Fetch)
            await self.fetch(node, ())
        elif kind == "Flatten":
            assert isinstance(node, Flatten)
            await self.fetch(node.node, node.path)
        elif kind == "Sequence":
            assert isinstance(node, Sequence)
            for child in node.nodes:
                await self.node(child)
        elif kind == "Parallel":
            assert isinstance(node, Parallel)
            await asyncio.gather(*(self.node(child) for child in node.nodes))
        else:
            assert isinstance(node, Condition)
            branch = node.if_clause if self.variables.get(node.condition) is True else node.else_clause
            if branch is not None:
                await self.node(branch)

    # -- fetches -------------------------------------------------------------------------------------

    async def fetch(self, fetch: Fetch, flatten_path: tuple[str, ...]) -> None:
        cursor = _collect(self.data, flatten_path, self.is_a)
        error_path = _cut(flatten_path)
        if fetch.requires:
            await self._entity_fetch(fetch, cursor, error_path)
        elif cursor:
            await self._root_fetch(fetch, cursor, error_path)

    def _variables(self, fetch: Fetch) -> dict[str, Any]:
        variables = self.variables
        return {name: variables[name] for name in fetch.variable_usages if name in variables}

    async def _send(
        self, fetch: Fetch, variables: dict[str, Any], error_path: Path
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[Any]] | None:
        """One subgraph call: its data, errors and staleness marks, or None when the call failed (already reported)."""
        body: dict[str, Any] = {"query": fetch.operation}
        if fetch.operation_name:
            body["operationName"] = fetch.operation_name
        if variables:
            body["variables"] = variables
        name = fetch.service_name
        try:
            request = SubgraphRequest(name, body, self.context, operation_kind=fetch.operation_kind)
            response = await self.subgraphs(request)
        except SubgraphError as exc:
            self._fetch_failed(fetch, error_path, exc.message, exc.code, exc.extensions)
            return None
        except Exception as exc:  # a plugin's bug must not cost the fields of the other subgraphs
            logger.exception("subgraph layer raised for %s", name)
            self._fetch_failed(fetch, error_path, f"Fetch from '{name}' failed: {type(exc).__name__}", None)
            return None
        extensions = response.extensions
        marks = extensions.get("staleness") if extensions else None
        return response.data, response.errors, marks if type(marks) is list else []

    def _fetch_failed(
        self, fetch: Fetch, error_path: Path, message: str, code: str | None, extensions: Mapping[str, Any] = _NONE
    ) -> None:
        """A fetch that failed as a whole: one error at its Flatten path, or one per root field it owned."""
        paths: list[Path] = [error_path] if error_path else [(key,) for key in _root_keys(fetch.operation)]
        for path in paths or [()]:
            error = graphql_error(
                message, code or "INTERNAL_SERVER_ERROR", path or None, serviceName=fetch.service_name, **extensions
            )
            self.errors.append(error)
            if path:
                self.explained.add(path)

    async def _root_fetch(self, fetch: Fetch, cursor: list[tuple[Path, dict[str, Any]]], error_path: Path) -> None:
        sent = await self._send(fetch, self._variables(fetch), error_path)
        if sent is None:
            return
        data, errors, marks = sent
        for mark in marks:
            at = mark.get("path") if type(mark) is dict else None
            if isinstance(at, list):
                self._add_stale(fetch, mark, error_path + tuple(at))
        for error in errors:
            path = error.get("path")
            if isinstance(path, list):
                self._add_error(fetch, error, error_path + tuple(path))
            else:
                self._add_error(fetch, error, error_path or None)
        if data is None:
            if not errors:
                self._invalid_response(fetch, error_path, 'Subgraph returned no "data"')
            else:  # the subgraph's errors explain every field this fetch should have supplied
                self.explained.update([error_path] if error_path else [(k,) for k in _root_keys(fetch.operation)])
            return
        if fetch.output_rewrites:
            apply_rewrites(data, fetch.output_rewrites, self.is_a)
        for _, target in cursor:
            deep_merge(target, data, self.is_a)

    async def _entity_fetch(self, fetch: Fetch, cursor: list[tuple[Path, dict[str, Any]]], error_path: Path) -> None:
        representations: list[dict[str, Any]] = []
        targets: list[list[tuple[Path, dict[str, Any]]]] = []
        index_of: dict[bytes, int] = {}
        requires = fetch.requires
        flat = flat_key(requires)
        is_a = self.is_a
        for path, obj in cursor:
            try:
                rep = representation(obj, requires, is_a, flat)
            except MissingInput as missing:
                self._invalid_representation(fetch, path, missing.field_name)
                continue
            if rep is None:
                continue  # the object is not of a type this fetch is for
            if fetch.input_rewrites:
                apply_rewrites(rep, fetch.input_rewrites, self.is_a)
            canonical = orjson.dumps(rep, option=orjson.OPT_SORT_KEYS)
            index = index_of.get(canonical)
            if index is None:
                index_of[canonical] = len(representations)
                representations.append(rep)
                targets.append([(path, obj)])
            else:
                targets[index].append((path, obj))
        if not representations:
            return  # nothing to fetch: never send an empty batch
        variables = self._variables(fetch)
        variables["representations"] = representations
        sent = await self._send(fetch, variables, error_path)
        if sent is None:
            return
        data, errors, marks = sent
        for mark in marks:
            at = mark.get("path") if type(mark) is dict else None
            if (
                isinstance(at, list)
                and len(at) >= 2
                and at[0] == "_entities"
                and type(at[1]) is int
                and 0 <= at[1] < len(targets)
            ):
                for target_path, _ in targets[at[1]]:
                    self._add_stale(fetch, mark, target_path + tuple(at[2:]))
        entities: Any = None
        if data is not None:
            entities = data.get("_entities")
            if type(entities) is not list or len(entities) != len(representations):
                # Indexes of a reply of the wrong shape cannot be trusted: neither its items nor its error paths.
                expected = f'Expected "data._entities" to contain {len(representations)} elements'
                self._invalid_response(fetch, error_path, expected)
                return
        elif not errors:
            self._invalid_response(fetch, error_path, 'Subgraph returned no "data"')
            return
        for error in errors:
            at = error.get("path")
            if (
                isinstance(at, list)
                and len(at) >= 2
                and at[0] == "_entities"
                and type(at[1]) is int
                and 0 <= at[1] < len(targets)
            ):
                rest = tuple(at[2:])
                for target_path, _ in targets[at[1]]:
                    self._add_error(fetch, error, target_path + rest)
            else:
                self._add_error(fetch, error, error_path or None)
        if entities is None:
            return  # data: null with errors: no second "missing _entities" error
        for index, entity in enumerate(entities):
            if type(entity) is not dict:
                continue  # null: not found or failed; its fields stay absent
            if fetch.output_rewrites:
                apply_rewrites(entity, fetch.output_rewrites, self.is_a)
            for _, target in targets[index]:
                deep_merge(target, entity, self.is_a)

    # -- errors --------------------------------------------------------------------------------------

    def _add_error(self, fetch: Fetch, error: dict[str, Any], path: Path | None) -> None:
        """A subgraph's error, re-pathed to the client's response and labelled with its service."""
        extensions = error.get("extensions")
        extensions = dict(extensions) if isinstance(extensions, dict) else {}
        extensions.setdefault("code", "DOWNSTREAM_SERVICE_ERROR")
        extensions["serviceName"] = fetch.service_name
        message = error.get("message")
        result: dict[str, Any] = {"message": message if isinstance(message, str) else str(message)}
        if path:
            result["path"] = list(path)
            self.explained.add(path)
        result["extensions"] = extensions
        self.errors.append(result)

    def _add_stale(self, fetch: Fetch, mark: dict[str, Any], path: Path) -> None:
        """A subgraph's stale mark, re-pathed to the client's response (extensions.staleness)."""
        entry = {
            "path": list(path),
            "stale": True,
            "system": mark.get("system"),
            "fetchedAt": mark.get("fetchedAt"),
            "serviceName": fetch.service_name,
        }
        self.context.extensions.setdefault("staleness", []).append(entry)

    def _invalid_response(self, fetch: Fetch, error_path: Path, message: str) -> None:
        message = f"Subgraph '{fetch.service_name}' answered wrongly: {message}"
        self._fetch_failed(fetch, error_path, message, "SUBGRAPH_INVALID_RESPONSE")

    def _invalid_representation(self, fetch: Fetch, path: Path, field_name: str) -> None:
        # An input missing because an earlier fetch for this object already failed is explained by that error.
        if any(path[:depth] in self.explained for depth in range(len(path) + 1)):
            return
        message = (
            f"Cannot fetch the entity at \"{'.'.join(map(str, path))}\" from '{fetch.service_name}': "
            f'its representation lacks "{field_name}"'
        )
        self.errors.append(
            graphql_error(message, "INVALID_ENTITY_REPRESENTATION", path, serviceName=fetch.service_name)
        )
        self.explained.add(path)


def _collect(data: dict[str, Any], path: tuple[str, ...], is_a: IsSubtype) -> list[tuple[Path, dict[str, Any]]]:
    """The objects at ``path`` in ``data`` with their response paths: ``@`` flattens a list, nulls are skipped."""
    level: list[tuple[Path, Any]] = [((), data)]
    for element in path:
        found: list[tuple[Path, Any]] = []
        if element == "@":
            for at, value in level:
                if type(value) is list:
                    found.extend(((*at, index), item) for index, item in enumerate(value) if item is not None)
        elif element.startswith(_FRAGMENT_PREFIX):
            condition = element[len(_FRAGMENT_PREFIX) :]
            for at, value in level:
                typename = value.get("__typename") if type(value) is dict else None
                if type(typename) is str and is_a(typename, condition):
                    found.append((at, value))
        else:
            for at, value in level:
                if type(value) is dict:
                    child = value.get(element)
                    if child is not None:
                        found.append(((*at, element), child))
        level = found
    objects: list[tuple[Path, dict[str, Any]]] = []
    for at, value in level:
        if type(value) is dict:
            objects.append((at, value))
        elif type(value) is list:  # a list at the end of a path without "@": its objects, however nested
            _flatten_list(at, value, objects)
    return objects


def _flatten_list(at: Path, values: list[Any], out: list[tuple[Path, dict[str, Any]]]) -> None:
    for index, item in enumerate(values):
        if type(item) is dict:
            out.append(((*at, index), item))
        elif type(item) is list:
            _flatten_list((*at, index), item, out)


def _cut(path: tuple[str, ...]) -> Path:
    """A Flatten path as a response path: up to its first ``@``, without type conditions."""
    result: list[str | int] = []
    for element in path:
        if element == "@":
            break
        if not element.startswith(_FRAGMENT_PREFIX):
            result.append(element)
    return tuple(result)


@lru_cache(maxsize=1024)
def _root_keys(operation: str) -> tuple[str, ...]:
    """The response keys a root fetch's operation selects at its top level (read only when it failed)."""
    try:
        document = parse(operation, no_location=True)
    except Exception:
        return ()
    keys: list[str] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for selection in definition.selection_set.selections:
                if isinstance(selection, FieldNode):
                    keys.append(selection.alias.value if selection.alias else selection.name.value)
    return tuple(keys)
