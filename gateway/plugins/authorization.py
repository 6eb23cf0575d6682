"""Field authorization for the auth plugin: ``@authenticated``, ``@requiresScopes``, ``@policy`` and public fields.

As Apollo Router does it: before planning, every field the caller may not
see is removed from the operation (so no subgraph is asked for it and no
unauthorized mutation runs); after execution each removed field comes back as
``null`` with an error at its path, ``UNAUTHENTICATED`` for an anonymous
caller and ``FORBIDDEN`` otherwise, and the rest of the answer is served. A
null in a non-null position bubbles up to the nearest nullable field, as any
null does. A selection set left empty keeps a hidden ``__typename``
placeholder, stripped from the answer.

Requirements come from the supergraph (``Supergraph.auth``: on a field, on the
field's return type, and for an interface field on any implementation).
Anonymous callers may read only *public* fields: coordinates listed in
:data:`PUBLIC_FIELDS` (``Type.field``, or ``Type`` for all its fields) or in
the plugin's configuration; introspection and ``__typename`` are always public.
Decisions are cached per query text, operation and caller permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    parse,
    print_ast,
)
from graphql.language import REMOVE, Visitor, visit

from gateway.errors import graphql_error
from gateway.pipeline.documents import LRU
from gateway.supergraph.model import AuthRequirements

PLACEHOLDER = "_authPlaceholder"

# What anonymous callers may read: the province's places, not its enterprises or anyone's figures.
PUBLIC_FIELDS: frozenset[str] = frozenset(
    {
        "Query.province",
        "Query.cities",
        "Query.city",
        "Query.parks",
        "Query.park",
        "Province.code",
        "Province.name",
        "Province.cities",
        "City.code",
        "City.name",
        "City.province",
        "City.parks",
        "Park.code",
        "Park.name",
        "Park.level",
        "Park.approvedOn",
        "Park.enterpriseCount",
        "Park.city",
        "ParkConnection",
        "ParkEdge",
        "PageInfo",
    }
)

Policy = Callable[[Mapping[str, Any]], bool]


def tenant_policy(kind: str) -> Policy:
    """``tenant:<kind>``: the token's tenant is of that level (``province``, ``city``, ``park``, ``enterprise``)."""
    return lambda claims: str(claims.get("tenant", "")).split(":", 1)[0] == kind


DEFAULT_POLICIES: Mapping[str, Policy] = {
    f"tenant:{kind}": tenant_policy(kind) for kind in ("province", "city", "park", "enterprise")
}


@dataclass(frozen=True, slots=True)
class Caller:
    """What authorization looks at: authenticated or not, granted scopes, policies satisfied."""

    authenticated: bool
    scopes: frozenset[str] = frozenset()
    policies: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # response key (alias or name)
    type: GraphQLOutputType
    parent: str  # the object or interface type the field was selected on
    parent_is_object: bool


@dataclass(frozen=True, slots=True)
class Denial:
    steps: tuple[Step, ...]
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Decision:
    query: str  # the operation without the denied fields
    denials: tuple[Denial, ...]
    placeholder: bool


class _Bubble:
    pass


_BUBBLE: Final = _Bubble()
_ALLOWED: Final = "allowed"  # cached answer for "nothing to remove"


class Authorizer:
    """Decides per operation and caller which fields go, and puts their nulls and errors back afterwards."""

    def __init__(
        self,
        schema: GraphQLSchema,
        requirements: Mapping[str, AuthRequirements],
        *,
        public: Iterable[str] = PUBLIC_FIELDS,
        policies: Mapping[str, Policy] = DEFAULT_POLICIES,
        cache_size: int = 1024,
    ) -> None:
        self.schema = schema
        self.requirements = dict(requirements)
        self.public = frozenset(public)
        self.policies = dict(policies)
        self.used_policies = sorted({name for r in self.requirements.values() for conj in r.policies for name in conj})
        self._documents: LRU[str, DocumentNode | None] = LRU(cache_size)
        self._decisions: LRU[tuple[str, str | None, Caller], Decision | str] = LRU(cache_size)

    def caller(self, claims: Mapping[str, Any] | None) -> Caller:
        if claims is None:
            return Caller(False)
        scopes = frozenset(str(claims.get("scope") or "").split())
        satisfied = frozenset(
            name for name in self.used_policies if name in self.policies and self.policies[name](claims)
        )
        return Caller(True, scopes, satisfied)

    def decide(self, query: str, operation_name: str | None, caller: Caller) -> Decision | None:
        """None when the caller may see everything asked (or the document is invalid: the pipeline says why)."""
        key = (query, operation_name, caller)
        hit = self._decisions.get(key)
        if hit is None:
            hit = self._decide(query, operation_name, caller) or _ALLOWED
            self._decisions.put(key, hit)
        return hit if isinstance(hit, Decision) else None

    def _document(self, query: str) -> DocumentNode | None:
        document = self._documents.get(query)
        if document is None:
            try:
                document = parse(query)
            except GraphQLError:
                return None
            self._documents.put(query, document)
        return document

    def _decide(self, query: str, operation_name: str | None, caller: Caller) -> Decision | None:
        document = self._document(query)
        if document is None:
            return None
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is not None:
            operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
        if len(operations) != 1:
            return None
        operation = operations[0]
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return None
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        denied_nodes: set[int] = set()
        denials: list[Denial] = []
        self._walk(operation.selection_set, root, (), fragments, caller, denied_nodes, denials, frozenset())
        if not denials:
            return None
        rewritten, placeholder = _rewrite(document, denied_nodes)
        return Decision(print_ast(rewritten), tuple(denials), placeholder)

    def _walk(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        path: tuple[Step, ...],
        fragments: Mapping[str, FragmentDefinitionNode],
        caller: Caller,
        denied_nodes: set[int],
        denials: list[Denial],
        seen: frozenset[str],
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                fields = getattr(parent, "fields", None)
                if name.startswith("__") or fields is None or name not in fields:
                    continue  # introspection, or invalid: the pipeline's validation reports it
                field_type = fields[name].type
                step = Step(
                    (selection.alias or selection.name).value,
                    field_type,
                    parent.name,
                    isinstance(parent, GraphQLObjectType),
                )
                refusal = self._refusal(parent, name, field_type, caller)
                if refusal is not None:
                    denied_nodes.add(id(selection))
                    denials.append(Denial((*path, step), *refusal))
                    continue
                if selection.selection_set is not None:
                    named = get_named_type(field_type)
                    self._walk(
                        selection.selection_set, named, (*path, step), fragments, caller, denied_nodes, denials, seen
                    )
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition is not None else parent
                if target is not None:
                    self._walk(selection.selection_set, target, path, fragments, caller, denied_nodes, denials, seen)
            elif isinstance(selection, FragmentSpreadNode):
                fragment_name = selection.name.value
                fragment = fragments.get(fragment_name)
                if fragment is None or fragment_name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                if target is not None:
                    self._walk(
                        fragment.selection_set,
                        target,
                        path,
                        fragments,
                        caller,
                        denied_nodes,
                        denials,
                        seen | {fragment_name},
                    )

    def _refusal(
        self, parent: GraphQLNamedType, field: str, field_type: GraphQLOutputType, caller: Caller
    ) -> tuple[str, str] | None:
        coordinate = f"{parent.name}.{field}"
        found = [self.requirements.get(coordinate), self.requirements.get(get_named_type(field_type).name)]
        if isinstance(parent, GraphQLInterfaceType):
            found += [self.requirements.get(f"{t.name}.{field}") for t in self.schema.get_possible_types(parent)]
        requirements = [r for r in found if r is not None]
        if not caller.authenticated:
            if requirements or not (parent.name in self.public or coordinate in self.public):
                return "UNAUTHENTICATED", f"{coordinate} is not public: send an access token"
            return None
        for requirement in requirements:
            if requirement.scopes and not any(set(conj) <= caller.scopes for conj in requirement.scopes):
                wanted = " or ".join(" ".join(conj) for conj in requirement.scopes)
                return "FORBIDDEN", f"{coordinate} requires the scope {wanted}"
            if requirement.policies and not any(set(conj) <= caller.policies for conj in requirement.policies):
                wanted = " or ".join(" ".join(conj) for conj in requirement.policies)
                return "FORBIDDEN", f"{coordinate} requires the policy {wanted}"
        return None

    def apply(self, decision: Decision, data: dict[str, Any] | None, errors: list[dict[str, Any]]) -> Any:
        """``data`` with a null and an error for every denied field (None if a null bubbled to the root)."""
        for denial in decision.denials:
            if data is None:
                break
            if _null_out(data, denial, 0, [], errors) is _BUBBLE:
                data = None
        if decision.placeholder and data is not None:
            _strip(data)
        return data


def _rewrite(document: DocumentNode, denied: set[int]) -> tuple[DocumentNode, bool]:
    placeholder_used = False

    class Remover(Visitor):
        def enter_field(self, node: FieldNode, *_args: Any) -> Any:
            return REMOVE if id(node) in denied else None

        def leave_selection_set(self, node: SelectionSetNode, *_args: Any) -> Any:
            nonlocal placeholder_used
            if node.selections:
                return None
            placeholder_used = True
            placeholder = FieldNode(alias=NameNode(value=PLACEHOLDER), name=NameNode(value="__typename"))
            return SelectionSetNode(selections=(placeholder,))

    rewritten = visit(document, Remover())
    return _prune(rewritten), placeholder_used


def _prune(document: DocumentNode) -> DocumentNode:
    """Drops fragments and variable definitions that only the removed fields used (validation refuses both)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    definitions: list[Any] = []
    kept_fragments: set[str] = set()
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        spreads, variables = _uses(definition.selection_set, fragments)
        kept_fragments |= spreads
        used = [v for v in definition.variable_definitions or () if v.variable.name.value in variables]
        definitions.append(copy(definition, variable_definitions=tuple(used)))
    definitions += [fragments[name] for name in fragments if name in kept_fragments]
    return DocumentNode(definitions=tuple(definitions))


def _uses(root: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]) -> tuple[set[str], set[str]]:
    """Fragment names reachable from ``root`` and variable names used under it (directives included)."""
    spreads: set[str] = set()
    variables: set[str] = set()
    pending = [root]

    class Collector(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: Any) -> None:
            name = node.name.value
            if name not in spreads and name in fragments:
                spreads.add(name)
                pending.append(fragments[name].selection_set)

        def enter_variable(self, node: VariableNode, *_args: Any) -> None:
            variables.add(node.name.value)

    while pending:
        visit(pending.pop(), Collector())
    return spreads, variables


def copy(node: OperationDefinitionNode, **changes: Any) -> OperationDefinitionNode:
    fields = {key: getattr(node, key) for key in node.keys}
    fields.update(changes)
    return OperationDefinitionNode(**fields)


def _matches(obj: dict[str, Any], step: Step) -> bool:
    typename = obj.get("__typename")
    return not (step.parent_is_object and isinstance(typename, str) and typename != step.parent)


def _null_out(obj: dict[str, Any], denial: Denial, index: int, path: list[str | int], errors: list[Any]) -> Any:
    step = denial.steps[index]
    if not _matches(obj, step):
        return obj
    here = [*path, step.key]
    if index == len(denial.steps) - 1:
        obj[step.key] = None
        errors.append(graphql_error(denial.message, denial.code, here))
        return _BUBBLE if isinstance(step.type, GraphQLNonNull) else obj
    child = obj.get(step.key)
    if child is None:
        return obj
    if _complete(child, step.type, denial, index + 1, here, errors) is _BUBBLE:
        if isinstance(step.type, GraphQLNonNull):
            return _BUBBLE
        obj[step.key] = None
    return obj


def _complete(
    value: Any, type_: GraphQLOutputType, denial: Denial, index: int, path: list[str | int], errors: list[Any]
) -> Any:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList) and isinstance(value, list):
        item_type = type_.of_type
        for position, item in enumerate(value):
            if item is None:
                continue
            if _complete(item, item_type, denial, index, [*path, position], errors) is _BUBBLE:
                if isinstance(item_type, GraphQLNonNull):
                    return _BUBBLE
                value[position] = None
        return value
    if isinstance(value, dict):
        return _null_out(value, denial, index, path, errors)
    return value


def _strip(value: Any) -> None:
    if isinstance(value, dict):
        value.pop(PLACEHOLDER, None)
        for child in value.values():
            _strip(child)
    elif isinstance(value, list):
        for child in value:
            _strip(child)
