"""Loads an Apollo supergraph SDL into a :class:`~gateway.supergraph.model.Supergraph`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    GraphQLSyntaxError,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
)

from gateway.errors import SupergraphError
from gateway.supergraph.api_schema import build_api_schema
from gateway.supergraph.fieldsets import parse_field_set, to_selections
from gateway.supergraph.links import Link, Links, read_links, value_of
from gateway.supergraph.model import (
    AuthRequirements,
    FieldInGraph,
    Key,
    SubgraphInfo,
    Supergraph,
    TypeInGraph,
)

_Definition = TypeDefinitionNode | TypeExtensionNode


def load_supergraph(sdl: str) -> Supergraph:
    """Parses and checks a supergraph; raises SupergraphError (or UnsupportedFeature) if it cannot be served."""
    try:
        document = parse(sdl, no_location=True)
    except GraphQLSyntaxError as exc:
        raise SupergraphError(f"the supergraph is not valid GraphQL: {exc.message}") from exc
    links = read_links(_schema_directives(document))
    links.check_supported()
    join = links.require("join")
    try:
        schema = build_ast_schema(document)
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(f"the supergraph schema is invalid: {exc}") from exc
    graphs = _graphs(document, join)
    definitions = _definitions_by_name(document)
    reader = _JoinReader(join, graphs)
    types: dict[str, dict[str, TypeInGraph]] = {}
    fields: dict[str, dict[str, dict[str, FieldInGraph]]] = {}
    implements: dict[str, dict[str, frozenset[str]]] = {}
    union_members: dict[str, dict[str, frozenset[str]]] = {}
    labels: set[str] = set()
    for name, nodes in definitions.items():
        if links.owner_of(name) is not None:
            continue
        by_graph = reader.types(nodes)
        if not by_graph:
            continue
        types[name] = by_graph
        if isinstance(nodes[0], ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            fields[name] = reader.fields(nodes, by_graph)
            labels.update(f.override_label for fs in fields[name].values() for f in fs.values() if f.override_label)
            for graph, interfaces in reader.implements(nodes, by_graph).items():
                implements.setdefault(graph, {})[name] = interfaces
        elif isinstance(nodes[0], UnionTypeDefinitionNode):
            union_members[name] = reader.union_members(nodes, by_graph, types)
    api_schema = build_api_schema(document, links)
    return Supergraph(
        sdl=sdl,
        schema=schema,
        api_schema=api_schema,
        subgraphs={info.name: info for info in graphs.values()},
        types=types,
        fields=fields,
        implements=implements,
        union_members=union_members,
        auth=_auth_requirements(definitions, links),
        override_labels=frozenset(labels),
    )


def _schema_directives(document: DocumentNode) -> list[ConstDirectiveNode]:
    directives: list[ConstDirectiveNode] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            directives.extend(definition.directives or ())
    return directives


def _definitions_by_name(document: DocumentNode) -> dict[str, list[_Definition]]:
    result: dict[str, list[_Definition]] = {}
    for definition in document.definitions:
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            nodes = result.setdefault(definition.name.value, [])
            # Keep the definition first so that its kind decides.
            if isinstance(definition, TypeDefinitionNode):
                nodes.insert(0, definition)
            else:
                nodes.append(definition)
    return result


def _graphs(document: DocumentNode, join: Link) -> dict[str, SubgraphInfo]:
    """Maps each ``join__Graph`` enum value to its subgraph."""
    enum_name = join.type_name("Graph")
    directive = join.directive("graph")
    result: dict[str, SubgraphInfo] = {}
    for definition in document.definitions:
        if (
            isinstance(definition, EnumTypeDefinitionNode | EnumTypeExtensionNode)
            and definition.name.value == enum_name
        ):
            for value in definition.values or ():
                for applied in _applied(value.directives, directive):
                    name, url = applied.get("name"), applied.get("url")
                    if not isinstance(name, str) or not isinstance(url, str):
                        raise SupergraphError(f"@{directive} on {value.name.value} needs a name and a url")
                    result[value.name.value] = SubgraphInfo(name, url)
    if not result:
        raise SupergraphError(f"the supergraph defines no subgraphs (enum {enum_name} is missing or empty)")
    return result


def _applied(directives: Iterable[ConstDirectiveNode] | None, name: str) -> list[dict[str, object]]:
    return [
        {arg.name.value: value_of(arg.value) for arg in d.arguments or ()}
        for d in directives or ()
        if d.name.value == name
    ]


def _directives(nodes: Sequence[_Definition]) -> list[ConstDirectiveNode]:
    return [d for node in nodes for d in node.directives or ()]


class _JoinReader:
    """Reads ``@join__type``/``@join__field``/… applications into model objects."""

    def __init__(self, join: Link, graphs: dict[str, SubgraphInfo]) -> None:
        self.graphs = graphs
        self.type_directive = join.directive("type")
        self.field_directive = join.directive("field")
        self.implements_directive = join.directive("implements")
        self.union_member_directive = join.directive("unionMember")

    def graph(self, enum_value: object) -> str:
        info = self.graphs.get(str(enum_value))
        if info is None:
            raise SupergraphError(f"unknown subgraph {enum_value!r} in a join directive")
        return info.name

    def types(self, nodes: Sequence[_Definition]) -> dict[str, TypeInGraph]:
        keys: dict[str, list[Key]] = {}
        flags: dict[str, tuple[bool, bool]] = {}
        for applied in _applied(_directives(nodes), self.type_directive):
            graph = self.graph(applied["graph"])
            keys.setdefault(graph, [])
            extension, interface_object = flags.get(graph, (False, False))
            flags[graph] = (
                extension or bool(applied.get("extension")),
                interface_object or bool(applied.get("isInterfaceObject")),
            )
            key = applied.get("key")
            if isinstance(key, str):
                selection_set = parse_field_set(key)
                resolvable = applied.get("resolvable", True) is not False
                keys[graph].append(Key(key, selection_set, to_selections(selection_set), resolvable))
        return {graph: TypeInGraph(graph, tuple(graph_keys), *flags[graph]) for graph, graph_keys in keys.items()}

    def fields(
        self, nodes: Sequence[_Definition], by_graph: dict[str, TypeInGraph]
    ) -> dict[str, dict[str, FieldInGraph]]:
        result: dict[str, dict[str, FieldInGraph]] = {}
        for node in nodes:
            assert isinstance(
                node,
                ObjectTypeDefinitionNode
                | ObjectTypeExtensionNode
                | InterfaceTypeDefinitionNode
                | InterfaceTypeExtensionNode,
            )
            for field_node in node.fields or ():
                applications = _applied(field_node.directives, self.field_directive)
                per_graph: dict[str, FieldInGraph] = {}
                if not applications:
                    # No @join__field: the field is defined, identically, in every subgraph of the type.
                    per_graph = {graph: FieldInGraph(graph) for graph in by_graph}
                for applied in applications:
                    if applied.get("graph") is None:
                        continue  # copied from an @interfaceObject; resolved through the interface
                    graph = self.graph(applied["graph"])
                    requires, provides = applied.get("requires"), applied.get("provides")
                    per_graph[graph] = FieldInGraph(
                        graph=graph,
                        requires=parse_field_set(requires) if isinstance(requires, str) else None,
                        provides=parse_field_set(provides) if isinstance(provides, str) else None,
                        type=str(applied["type"]) if applied.get("type") is not None else None,
                        external=bool(applied.get("external")),
                        override=str(applied["override"]) if applied.get("override") is not None else None,
                        used_overridden=bool(applied.get("usedOverridden")),
                        override_label=str(applied["overrideLabel"]) if applied.get("overrideLabel") else None,
                    )
                result[field_node.name.value] = per_graph
        return result

    def implements(self, nodes: Sequence[_Definition], by_graph: dict[str, TypeInGraph]) -> dict[str, frozenset[str]]:
        declared: dict[str, set[str]] = {}
        for applied in _applied(_directives(nodes), self.implements_directive):
            declared.setdefault(self.graph(applied["graph"]), set()).add(str(applied["interface"]))
        if declared:
            return {graph: frozenset(interfaces) for graph, interfaces in declared.items()}
        # Without @join__implements every subgraph of the type implements all of its interfaces.
        interfaces = frozenset(i.name.value for node in nodes for i in getattr(node, "interfaces", None) or ())
        return {graph: interfaces for graph in by_graph} if interfaces else {}

    def union_members(
        self,
        nodes: Sequence[_Definition],
        by_graph: dict[str, TypeInGraph],
        types: dict[str, dict[str, TypeInGraph]],
    ) -> dict[str, frozenset[str]]:
        declared: dict[str, set[str]] = {}
        for applied in _applied(_directives(nodes), self.union_member_directive):
            declared.setdefault(self.graph(applied["graph"]), set()).add(str(applied["member"]))
        if declared:
            return {graph: frozenset(members) for graph, members in declared.items()}
        members = [t.name.value for node in nodes for t in getattr(node, "types", None) or ()]
        # Without @join__unionMember a subgraph's union holds every member that subgraph defines.
        # Member types are read after the union only if declared later; fall back to all members then.
        return {graph: frozenset(m for m in members if m not in types or graph in types[m]) for graph in by_graph}


def _auth_requirements(definitions: dict[str, list[_Definition]], links: Links) -> dict[str, AuthRequirements]:
    specs = {name: links.get(name) for name in ("authenticated", "requiresScopes", "policy")}
    if not any(specs.values()):
        return {}
    names = {spec: link.directive(spec) for spec, link in specs.items() if link is not None}
    result: dict[str, AuthRequirements] = {}

    def requirements(directives: Iterable[ConstDirectiveNode] | None) -> AuthRequirements | None:
        found = list(directives or ())
        authenticated = any(d.name.value == names.get("authenticated") for d in found)
        scopes = [a.get("scopes") for a in _applied(found, names.get("requiresScopes", "")) if a.get("scopes")]
        policies = [a.get("policies") for a in _applied(found, names.get("policy", "")) if a.get("policies")]
        if not (authenticated or scopes or policies):
            return None
        return AuthRequirements(authenticated, _dnf(scopes), _dnf(policies))

    for type_name, nodes in definitions.items():
        own = requirements(_directives(nodes))
        if own is not None:
            result[type_name] = own
        for node in nodes:
            for field_node in getattr(node, "fields", None) or ():
                found = requirements(field_node.directives)
                if found is not None:
                    result[f"{type_name}.{field_node.name.value}"] = found
    return result


def _dnf(applications: list[object]) -> tuple[tuple[str, ...], ...]:
    """Several applications conjoin; each is already a disjunction of conjunctions."""
    result: list[tuple[str, ...]] = [()]
    for application in applications:
        assert isinstance(application, list)
        result = [tuple(sorted({*left, *map(str, right)})) for left in result for right in application]
    return tuple(result)
