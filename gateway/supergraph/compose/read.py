"""Reads a subgraph's stripped, validated document into the model: types, fields and every directive on them.

Federation directives are recognised by the element they stand for (through :class:`FederationNames`), never
by a hard-coded name; custom directives are kept with their definition, composed ones (``@composeDirective``)
marked so that merge carries them into the supergraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graphql import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    print_ast,
)

from gateway.errors import SupergraphError
from gateway.supergraph.compose.codes import CompositionError, in_subgraph
from gateway.supergraph.compose.federation_link import FederationNames, schema_directives
from gateway.supergraph.compose.model import (
    ROOT_NAMES,
    Applied,
    CustomDirective,
    EnumValue,
    Field,
    InputValue,
    Key,
    Kind,
    Subgraph,
    TypeDef,
)
from gateway.supergraph.links import link_from_arguments, value_of

_KINDS: dict[type, Kind] = {
    ObjectTypeDefinitionNode: Kind.OBJECT,
    ObjectTypeExtensionNode: Kind.OBJECT,
    InterfaceTypeDefinitionNode: Kind.INTERFACE,
    InterfaceTypeExtensionNode: Kind.INTERFACE,
    UnionTypeDefinitionNode: Kind.UNION,
    UnionTypeExtensionNode: Kind.UNION,
    EnumTypeDefinitionNode: Kind.ENUM,
    EnumTypeExtensionNode: Kind.ENUM,
    InputObjectTypeDefinitionNode: Kind.INPUT_OBJECT,
    InputObjectTypeExtensionNode: Kind.INPUT_OBJECT,
    ScalarTypeDefinitionNode: Kind.SCALAR,
    ScalarTypeExtensionNode: Kind.SCALAR,
}
_EXECUTABLE_LOCATIONS = frozenset(
    {
        "QUERY",
        "MUTATION",
        "SUBSCRIPTION",
        "FIELD",
        "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION",
    }
)


class SubgraphReader:
    """Reads the stripped document's types and directives into a Subgraph."""

    def __init__(self, subgraph: Subgraph, names: FederationNames, errors: list[CompositionError]) -> None:
        self.subgraph = subgraph
        self.names = names
        self.errors = errors
        self.custom: dict[str, DirectiveDefinitionNode] = {}
        self.composed: set[str] = set()

    def read(self, document: DocumentNode) -> None:
        roots = self._roots(document)
        for definition in document.definitions:
            if isinstance(definition, DirectiveDefinitionNode):
                self.custom[definition.name.value] = definition
        self._read_compose_directives(document)
        for definition in document.definitions:
            if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                self._read_type(definition, roots.get(definition.name.value, definition.name.value))
        for type_def in self.subgraph.types.values():
            type_def.interfaces = [roots.get(i, i) for i in type_def.interfaces]
            type_def.members = [roots.get(m, m) for m in type_def.members]
            for field_def in type_def.fields.values():
                field_def.type = _rename(field_def.type, roots)

    def _roots(self, document: DocumentNode) -> dict[str, str]:
        """Maps the subgraph's root type names to the standard ones (``schema { query: RootQuery }``)."""
        roots: dict[str, str] = {}
        for definition in document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for operation in definition.operation_types or ():
                    roots[operation.type.name.value] = ROOT_NAMES[operation.operation.value]
        standard = set(roots.values())
        for definition in document.definitions:
            if not isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                continue
            type_name = definition.name.value
            if type_name in ROOT_NAMES.values() and type_name not in roots and type_name in standard:
                code = f"ROOT_{type_name.upper()}_USED"
                self.errors.append(
                    in_subgraph(
                        self.subgraph.name,
                        code,
                        f'The schema has a type named "{type_name}" but it is not set as the {type_name.lower()} '
                        "root type",
                    )
                )
        return roots

    def _read_compose_directives(self, document: DocumentNode) -> None:
        element = self.names.local.get("composeDirective")
        links: dict[str, tuple[str | None, str | None]] = {}
        for directive in schema_directives(document):
            if directive.name.value == "link":
                try:
                    link = link_from_arguments(directive)
                except SupergraphError:
                    continue
                for imported, local in link.imports.items():
                    links[local.removeprefix("@")] = (f"{link.identity}/v{link.version}", imported)
        for directive in schema_directives(document):
            if element is None or directive.name.value != element:
                continue
            target = str(_args(directive).get("name", "")).removeprefix("@")
            definition = self.custom.get(target)
            if definition is None or target not in links:
                self.errors.append(
                    in_subgraph(
                        self.subgraph.name,
                        "DIRECTIVE_COMPOSITION_ERROR",
                        f'Could not find matching @link for directive "@{target}"'
                        if target not in links
                        else f'Directive "@{target}" in subgraph "{self.subgraph.name}" cannot be composed because '
                        "it has no definition",
                    )
                )
                continue
            self.composed.add(target)
        for name, definition in self.custom.items():
            locations = frozenset(loc.value for loc in definition.locations)
            url, source_name = links.get(name, (None, None))
            self.subgraph.directives[name] = CustomDirective(
                name=name,
                definition=print_ast(definition),
                locations=locations,
                repeatable=definition.repeatable,
                executable=bool(locations & _EXECUTABLE_LOCATIONS),
                composed=name in self.composed,
                link_url=url,
                link_import=source_name,
            )

    def _read_type(self, node: TypeDefinitionNode | TypeExtensionNode, name: str) -> None:
        kind = _KINDS[type(node)]
        is_extension = isinstance(node, TypeExtensionNode)
        type_def = self.subgraph.types.get(name)
        if type_def is None:
            type_def = TypeDef(name=name, kind=kind, extension=is_extension)
            self.subgraph.types[name] = type_def
        elif not is_extension:
            type_def.extension = False
        description = getattr(node, "description", None)
        if description is not None:
            type_def.description = description.value
        directives = list(node.directives or ())
        extends = self._has(directives, "extends")
        if extends:
            type_def.extension = True
        self._read_applied(directives, type_def.applied)
        for directive in directives:
            element = self.names.element.get(directive.name.value)
            args = _args(directive)
            if element == "key":
                fields = args.get("fields")
                if isinstance(fields, str):
                    resolvable = args.get("resolvable", True) is not False
                    type_def.keys.append(Key(fields, resolvable, is_extension or extends))
            elif element == "shareable":
                type_def.shareable = True
            elif element == "interfaceObject":
                type_def.interface_object = True
            elif element == "context":
                type_def.contexts.append(str(args.get("name")))
        type_def.interfaces.extend(i.name.value for i in getattr(node, "interfaces", None) or ())
        type_def.members.extend(t.name.value for t in getattr(node, "types", None) or ())
        for value in getattr(node, "values", None) or ():
            enum_value = EnumValue(value.name.value, value.description.value if value.description else None)
            self._read_applied(value.directives or (), enum_value.applied)
            type_def.values[enum_value.name] = enum_value
        if kind is Kind.INPUT_OBJECT:
            for input_node in getattr(node, "fields", None) or ():
                type_def.input_fields[input_node.name.value] = self._input_value(input_node)
        elif kind in (Kind.OBJECT, Kind.INTERFACE):
            for field_node in getattr(node, "fields", None) or ():
                field_def = Field(
                    name=field_node.name.value,
                    type=print_ast(field_node.type),
                    args={a.name.value: self._input_value(a) for a in field_node.arguments or ()},
                    description=field_node.description.value if field_node.description else None,
                )
                self._read_field_directives(field_node.directives or (), field_def)
                # @external on the type makes every field of this declaration external (Fed 1 style).
                field_def.external = field_def.external or self._has(directives, "external")
                type_def.fields[field_def.name] = field_def

    def _input_value(self, node: InputValueDefinitionNode) -> InputValue:
        value = InputValue(
            name=node.name.value,
            type=print_ast(node.type),
            default=node.default_value,
            description=node.description.value if node.description else None,
        )
        self._read_applied(node.directives or (), value.applied)
        for directive in node.directives or ():
            if self.names.element.get(directive.name.value) == "fromContext":
                value.from_context = str(_args(directive).get("field"))
        return value

    def _read_field_directives(self, directives: Sequence[ConstDirectiveNode], field_def: Field) -> None:
        self._read_applied(directives, field_def.applied)
        for directive in directives:
            element = self.names.element.get(directive.name.value)
            args = _args(directive)
            if element == "external":
                field_def.external = True
            elif element == "shareable":
                field_def.shareable = True
            elif element == "requires":
                field_def.requires = str(args.get("fields"))
            elif element == "provides":
                field_def.provides = str(args.get("fields"))
            elif element == "override":
                field_def.override = str(args.get("from"))
                label = args.get("label")
                field_def.override_label = str(label) if label is not None else None

    def _read_applied(self, directives: Iterable[ConstDirectiveNode], applied: Applied) -> None:
        for directive in directives:
            name = directive.name.value
            element = self.names.element.get(name)
            args = _args(directive)
            if element == "inaccessible":
                applied.inaccessible = True
            elif element == "tag":
                applied.tags.append(str(args.get("name")))
            elif element == "authenticated":
                applied.authenticated = True
            elif element == "requiresScopes":
                applied.scopes.append(_dnf(args.get("scopes")))
            elif element == "policy":
                applied.policies.append(_dnf(args.get("policies")))
            elif element == "cost":
                weight = args.get("weight")
                applied.cost = int(weight) if isinstance(weight, int | str) else None
            elif element == "listSize":
                applied.list_size = args
            elif name == "deprecated":
                applied.deprecated = str(args.get("reason", "No longer supported"))
            elif name == "specifiedBy":
                applied.specified_by = str(args.get("url"))
            elif element is None and name in self.custom:
                applied.composed.append(directive)

    def _has(self, directives: Iterable[ConstDirectiveNode], element: str) -> bool:
        local = self.names.local.get(element)
        return local is not None and any(d.name.value == local for d in directives)


def _args(directive: ConstDirectiveNode) -> dict[str, object]:
    return {arg.name.value: value_of(arg.value) for arg in directive.arguments or ()}


def _dnf(value: object) -> list[list[str]]:
    if not isinstance(value, list):
        return []
    return [[str(item) for item in inner] for inner in value if isinstance(inner, list)]


def _rename(type_ref: str, roots: dict[str, str]) -> str:
    named = type_ref.strip("[]!")
    return type_ref.replace(named, roots[named]) if named in roots else type_ref
