"""Turns a subgraph SDL into an executable graphql-core schema with the federation additions.

The additions follow federation-notes §1.1: ``_Any``, ``_Service``, ``_Entity``
(object types with a resolvable ``@key``), ``Query._entities`` and
``Query._service``. Directive names are read from the subgraph's
``@link(url: ".../federation/v2.x", import: [...])``: imported names are bare,
renamed imports use their ``as:``, the rest get the ``federation__`` prefix.
Without that link the subgraph is Federation 1 and every name is bare.

The SDL itself is built with ``assume_valid_sdl``: the kit serves what the test
wrote and leaves checking federation rules to the composer under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    ConstDirectiveNode,
    DefinitionNode,
    DocumentNode,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    build_ast_schema,
    parse,
)

FEDERATION_SPEC = "https://specs.apollo.dev/federation/"
LINK_SPEC = "https://specs.apollo.dev/link/"

# Federation v2.9 directive definitions; ``{name}`` placeholders are filled per subgraph.
_FED2_DIRECTIVES = {
    "key": "directive @{key}(fields: {FieldSet}!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    "requires": "directive @{requires}(fields: {FieldSet}!) on FIELD_DEFINITION",
    "provides": "directive @{provides}(fields: {FieldSet}!) on FIELD_DEFINITION",
    "external": "directive @{external}(reason: String) on OBJECT | FIELD_DEFINITION",
    "tag": "directive @{tag}(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION"
    " | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA",
    "extends": "directive @{extends} on OBJECT | INTERFACE",
    "shareable": "directive @{shareable} repeatable on OBJECT | FIELD_DEFINITION",
    "inaccessible": "directive @{inaccessible} on FIELD_DEFINITION | OBJECT | INTERFACE | UNION"
    " | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    "override": "directive @{override}(from: String!, label: String) on FIELD_DEFINITION",
    "composeDirective": "directive @{composeDirective}(name: String!) repeatable on SCHEMA",
    "interfaceObject": "directive @{interfaceObject} on OBJECT",
    "authenticated": "directive @{authenticated} on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "requiresScopes": "directive @{requiresScopes}(scopes: [[{Scope}!]!]!)"
    " on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "policy": "directive @{policy}(policies: [[{Policy}!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "context": "directive @{context}(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    "fromContext": "directive @{fromContext}(field: {ContextFieldValue}) on ARGUMENT_DEFINITION",
    "cost": "directive @{cost}(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION"
    " | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    "listSize": "directive @{listSize}(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],"
    " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
}
_FED2_SCALARS = ("FieldSet", "Scope", "Policy", "ContextFieldValue")
_FED1_DIRECTIVES = ("key", "requires", "provides", "external", "extends", "tag")

_LINK_DEFINITIONS = """
directive @link(url: String!, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
"""


@dataclass(frozen=True, slots=True)
class FederationNames:
    """How this subgraph spells each federation directive and scalar (without ``@``)."""

    version: int  # 1 or 2
    names: dict[str, str] = field(default_factory=dict)

    def directive(self, spec_name: str) -> str:
        return self.names.get(spec_name, spec_name)


@dataclass(frozen=True, slots=True)
class BuiltSubgraph:
    """The executable schema and what the kit needs to answer ``_entities``."""

    schema: GraphQLSchema
    names: FederationNames
    entity_types: tuple[str, ...]
    query_type: str
    definitions_sdl: str  # everything the kit added, for the "full" ``_service.sdl`` mode


def read_federation_names(document: DocumentNode) -> FederationNames:
    """Resolve directive names through the subgraph's federation ``@link`` (federation-notes §1.1)."""
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            url = _string_arg(directive, "url")
            if directive.name.value != "link" or url is None or not url.startswith(FEDERATION_SPEC):
                continue
            prefix = _string_arg(directive, "as") or "federation"
            names = {name: f"{prefix}__{name}" for name in (*_FED2_DIRECTIVES, *_FED2_SCALARS)}
            for imported, alias in _imports(directive):
                bare = imported.lstrip("@")
                if bare in names:
                    names[bare] = alias.lstrip("@")
            return FederationNames(2, names)
    return FederationNames(1, {name: name for name in _FED1_DIRECTIVES} | {"FieldSet": "_FieldSet"})


def build_subgraph_schema(sdl: str) -> BuiltSubgraph:
    """Parse ``sdl``, add the federation definitions and build an executable schema."""
    document = _promote_orphan_extensions(parse(sdl))
    names = read_federation_names(document)
    query_type = _query_type_name(document)
    entity_types = _entity_types(document, names)
    definitions = _federation_definitions(document, names)
    additions = ["scalar _Any", "type _Service { sdl: String }"]
    root_fields = ["_service: _Service!"]
    if entity_types:
        additions.append(f"union _Entity = {' | '.join(entity_types)}")
        root_fields.insert(0, "_entities(representations: [_Any!]!): [_Entity]!")
    has_query = any(
        isinstance(d, ObjectTypeDefinitionNode) and d.name.value == query_type for d in document.definitions
    )
    keyword = "extend type" if has_query else "type"
    additions.append(f"{keyword} {query_type} {{ {' '.join(root_fields)} }}")
    added = "\n".join([definitions, *additions])
    full = DocumentNode(definitions=(*document.definitions, *parse(added).definitions))
    schema = build_ast_schema(full, assume_valid_sdl=True)
    return BuiltSubgraph(schema, names, tuple(entity_types), query_type, added)


def _federation_definitions(document: DocumentNode, names: FederationNames) -> str:
    """Directive and scalar definitions the subgraph uses but does not define itself."""
    defined = {d.name.value for d in document.definitions if hasattr(d, "name") and d.name is not None}
    lines: list[str] = []
    if names.version == 2:
        values = {key: names.names[key] for key in (*_FED2_DIRECTIVES, *_FED2_SCALARS)}
        for spec_name, template in _FED2_DIRECTIVES.items():
            if values[spec_name] not in defined:
                lines.append(template.format(**values))
        lines.extend(f"scalar {values[s]}" for s in _FED2_SCALARS if values[s] not in defined)
        if "link" not in defined:
            lines.append(_LINK_DEFINITIONS)
    else:
        fed1 = {
            "key": "directive @key(fields: _FieldSet!) repeatable on OBJECT | INTERFACE",
            "requires": "directive @requires(fields: _FieldSet!) on FIELD_DEFINITION",
            "provides": "directive @provides(fields: _FieldSet!) on FIELD_DEFINITION",
            "external": "directive @external on FIELD_DEFINITION",
            "extends": "directive @extends on OBJECT | INTERFACE",
            "tag": "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION",
        }
        lines.extend(text for name, text in fed1.items() if name not in defined)
        if "_FieldSet" not in defined:
            lines.append("scalar _FieldSet")
    return "\n".join(lines)


def _promote_orphan_extensions(document: DocumentNode) -> DocumentNode:
    """``extend type T`` without a ``type T`` defines T (Federation 1 style, and ``@extends``)."""
    defined = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode) and not isinstance(d, TypeExtensionNode)
    }
    promoted: list[DefinitionNode] = []
    for d in document.definitions:
        if isinstance(d, ObjectTypeExtensionNode | InterfaceTypeExtensionNode) and d.name.value not in defined:
            defined.add(d.name.value)
            cls = ObjectTypeDefinitionNode if isinstance(d, ObjectTypeExtensionNode) else InterfaceTypeDefinitionNode
            d = cls(name=d.name, interfaces=d.interfaces, directives=d.directives, fields=d.fields)
        promoted.append(d)
    return DocumentNode(definitions=tuple(promoted))


def _query_type_name(document: DocumentNode) -> str:
    for d in document.definitions:
        if isinstance(d, SchemaDefinitionNode | SchemaExtensionNode):
            for op in d.operation_types or ():
                if op.operation.value == "query":
                    return op.type.name.value
    return "Query"


def _entity_types(document: DocumentNode, names: FederationNames) -> list[str]:
    """Object types with at least one resolvable ``@key`` (the ``_Entity`` members), in SDL order."""
    key = names.directive("key")
    resolvable: dict[str, bool] = {}
    for d in document.definitions:
        if not isinstance(d, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            continue
        for directive in d.directives or ():
            if directive.name.value != key:
                continue
            flag = next((a.value for a in directive.arguments or () if a.name.value == "resolvable"), None)
            is_resolvable = not (isinstance(flag, BooleanValueNode) and not flag.value)
            resolvable[d.name.value] = resolvable.get(d.name.value, False) or is_resolvable
    return [name for name, ok in resolvable.items() if ok]


def _string_arg(directive: ConstDirectiveNode, name: str) -> str | None:
    for arg in directive.arguments or ():
        if arg.name.value == name and isinstance(arg.value, StringValueNode):
            return arg.value.value
    return None


def _imports(directive: ConstDirectiveNode) -> list[tuple[str, str]]:
    """``import: ["@key", {name: "@shareable", as: "@share"}]`` as (name, local name) pairs."""
    found: list[tuple[str, str]] = []
    arg: ArgumentNode | None = next((a for a in directive.arguments or () if a.name.value == "import"), None)
    if arg is None or not isinstance(arg.value, ListValueNode):
        return found
    for item in arg.value.values:
        if isinstance(item, StringValueNode):
            found.append((item.value, item.value))
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            name, alias = fields.get("name"), fields.get("as")
            if isinstance(name, StringValueNode):
                found.append((name.value, alias.value if isinstance(alias, StringValueNode) else name.value))
    return found
