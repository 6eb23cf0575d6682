"""The city namespace convention, and the check that a city's subgraph keeps to it.

A city data centre (tenant ``city:<code>``, e.g. ``city:340100`` for Hefei)
owns everything under its code and nothing else:

* its subgraphs are named ``city_<code>_<name>`` (``city_340100_investment``);
* every type it defines is prefixed ``C<code>_`` (``C340100_Project``);
* every root field it adds (Query, Mutation, Subscription) is prefixed
  ``c<code>_`` (``c340100_projects``);
* it may extend the province's entities (``Enterprise``, ``Park``) with
  fields prefixed ``c<code>_`` (``Enterprise.c340100_projects``), declaring
  their key fields and ``@external`` fields unprefixed, as federation needs;
* it may use the graph's existing scalars, and existing enums, input types
  and unions only as they are (no new values, fields or members).

The province's subgraphs are not bound by any of this. Federation's own
definitions (``_Service``, ``link__Import``, ``FieldSet``, directive
definitions) are ignored.
"""

from __future__ import annotations

import re

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLUnionType,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)

from gateway.registry.model import PROVINCE, CheckIssue

CITY_TENANT = re.compile(r"^city:(?P<code>\d{6})$")
_SUBGRAPH_SUFFIX = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_FEDERATION_TYPES = frozenset({"_Any", "_Entity", "_Service", "FieldSet", "Import", "Purpose", "Policy", "Scope"})
_FEDERATION_PREFIXES = ("link__", "federation__", "join__", "_")
_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
CODE = "NAMESPACE_VIOLATION"
_WITH_FIELDS = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
)
_FieldedNode = (
    ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode
)


def city_code(tenant: str | None) -> str | None:
    """``340100`` for ``city:340100``; None for the province and every other tenant."""
    match = CITY_TENANT.match(tenant or "")
    return match["code"] if match else None


def subgraph_prefix(code: str) -> str:
    return f"city_{code}_"


def name_in_namespace(owner: str, name: str) -> bool:
    """Whether ``owner`` may hold a subgraph called ``name`` (the province: any name)."""
    if owner == PROVINCE:
        return True
    code = city_code(owner)
    if code is None:
        return False
    prefix = subgraph_prefix(code)
    return name.startswith(prefix) and bool(_SUBGRAPH_SUFFIX.match(name.removeprefix(prefix)))


def namespace_issues(owner: str, document: DocumentNode, api_schema: GraphQLSchema | None) -> list[CheckIssue]:
    """Where a city's subgraph SDL leaves its namespace (nothing for the province)."""
    code = city_code(owner)
    if code is None:
        return []
    return _Checker(code, api_schema).run(document)


class _Checker:
    def __init__(self, code: str, api_schema: GraphQLSchema | None) -> None:
        self.type_prefix = f"C{code}_"
        self.field_prefix = f"c{code}_"
        self.existing: dict[str, GraphQLNamedType] = dict(api_schema.type_map) if api_schema is not None else {}
        self.issues: list[CheckIssue] = []

    def run(self, document: DocumentNode) -> list[CheckIssue]:
        roots = set(_ROOTS.values())
        for definition in document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                roots |= {op.type.name.value for op in definition.operation_types or ()}
        for definition in document.definitions:
            if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                self._type(definition, roots)
        return self.issues

    def _flag(self, message: str) -> None:
        self.issues.append(CheckIssue("namespace", CODE, message))

    def _type(self, node: TypeDefinitionNode | TypeExtensionNode, roots: set[str]) -> None:
        name = node.name.value
        if name in _FEDERATION_TYPES or name.startswith(_FEDERATION_PREFIXES) or name.startswith(self.type_prefix):
            return
        if name in roots:
            if isinstance(node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
                for field in node.fields or ():
                    if not field.name.value.startswith(("_", self.field_prefix)):
                        self._flag(f'Root field "{name}.{field.name.value}" must be prefixed "{self.field_prefix}"')
            return
        existing = self.existing.get(name)
        if existing is None:
            self._flag(f'Type "{name}" is not in the graph: a city\'s new types must be prefixed "{self.type_prefix}"')
            return
        if isinstance(node, _WITH_FIELDS):
            self._entity_fields(name, node)
        elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            known = set(existing.values) if isinstance(existing, GraphQLEnumType) else set()
            for value in node.values or ():
                if value.name.value not in known:
                    self._flag(f'Enum "{name}" belongs to the graph: a city may not add the value "{value.name.value}"')
        elif isinstance(node, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
            known = set(existing.fields) if isinstance(existing, GraphQLInputObjectType) else set()
            for input_field in node.fields or ():
                if input_field.name.value not in known:
                    self._flag(f'Input "{name}" belongs to the graph: a city may not add "{input_field.name.value}"')
        elif isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            known = {t.name for t in existing.types} if isinstance(existing, GraphQLUnionType) else set()
            for member in node.types or ():
                if member.name.value not in known:
                    self._flag(f'Union "{name}" belongs to the graph: a city may not add "{member.name.value}"')
        elif not isinstance(node, ScalarTypeDefinitionNode | ScalarTypeExtensionNode):
            self._flag(f'Type "{name}" belongs to the graph: a city may not redefine it')

    def _entity_fields(
        self,
        type_name: str,
        node: _FieldedNode,
    ) -> None:
        key_fields: set[str] = set()
        for directive in node.directives or ():
            if directive.name.value in ("key", "federation__key"):
                for argument in directive.arguments or ():
                    if argument.name.value == "fields" and isinstance(argument.value, StringValueNode):
                        key_fields |= set(_NAME.findall(argument.value.value))
        for field in node.fields or ():
            if not _allowed_field(field, key_fields, self.field_prefix):
                self._flag(
                    f'Field "{type_name}.{field.name.value}" extends the graph\'s type "{type_name}": it must be '
                    f'prefixed "{self.field_prefix}" (only key fields and @external fields may keep their names)'
                )


def _allowed_field(field: FieldDefinitionNode, key_fields: set[str], prefix: str) -> bool:
    name = field.name.value
    if name.startswith(prefix) or name in key_fields:
        return True
    return any(d.name.value in ("external", "federation__external") for d in field.directives or ())
