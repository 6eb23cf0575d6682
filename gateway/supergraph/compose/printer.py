"""Step 6: prints the merged supergraph in Apollo's format (link v1.0, join v0.3–v0.5, federation-notes §2).

Layout follows Apollo's printer: the schema with its ``@link``s, directive
definitions then types sorted by name, each type's ``@join__*`` directives on
their own lines, descriptions as block strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from graphql import print_ast
from graphql.language.block_string import print_block_string

from gateway.supergraph.compose.merged import JoinField, Merged, MergedField, MergedInput, MergedType
from gateway.supergraph.compose.model import Applied, Kind

_JOIN_FIELD_ARGS = {
    "0.3": "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, "
    "external: Boolean, override: String, usedOverridden: Boolean",
}
_JOIN_FIELD_ARGS["0.4"] = _JOIN_FIELD_ARGS["0.3"] + ", overrideLabel: String"
_JOIN_FIELD_ARGS["0.5"] = _JOIN_FIELD_ARGS["0.4"] + ", contextArguments: [join__ContextArgument!]"

_SPEC_DIRECTIVES = {
    "inaccessible": "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION"
    " | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    "tag": "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION"
    " | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA",
    "authenticated": "directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "requiresScopes": "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT"
    " | INTERFACE | SCALAR | ENUM",
    "policy": "directive @policy(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR"
    " | ENUM",
    "cost": "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION"
    " | OBJECT | SCALAR",
    "listSize": "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],"
    " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
}
_SPEC_LINKS = {
    "inaccessible": '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)',
    "tag": '@link(url: "https://specs.apollo.dev/tag/v0.3")',
    "authenticated": '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
    "requiresScopes": '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
    "policy": '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
    "cost": '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])',
}
_SPEC_TYPES = {"requiresScopes": "scalar requiresScopes__Scope", "policy": "scalar policy__Policy"}
_LINK_PURPOSE = '''enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''


def graph_enum_names(subgraphs: Iterable[str]) -> dict[str, str]:
    """Subgraph name → ``join__Graph`` value (federation-notes §2.2)."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for name in subgraphs:
        value = re.sub(r"\W", "_", name)
        if value[:1].isdigit():
            value = "_" + value
        if re.search(r"_\d+$", value):
            value += "_"
        value = value.upper()
        candidate, n = value, 0
        while candidate in used:
            n += 1
            candidate = f"{value}_{n}"
        used.add(candidate)
        result[name] = candidate
    return result


def print_supergraph(merged: Merged) -> str:
    return _Printer(merged).print()


class _Printer:
    def __init__(self, merged: Merged) -> None:
        self.merged = merged
        self.graphs = graph_enum_names(s.name for s in merged.subgraphs)
        self.specs = self._used_specs()

    def _used_specs(self) -> list[str]:
        used: set[str] = set()
        for applied in self._all_applied():
            if applied.inaccessible:
                used.add("inaccessible")
            if applied.tags:
                used.add("tag")
            if applied.authenticated:
                used.add("authenticated")
            if applied.scopes:
                used.add("requiresScopes")
            if applied.policies:
                used.add("policy")
            if applied.cost is not None or applied.list_size is not None:
                used.add("cost")
        return [spec for spec in _SPEC_LINKS if spec in used]

    def _all_applied(self) -> Iterable[Applied]:
        for merged_type in self.merged.types.values():
            yield merged_type.applied
            for field in merged_type.fields.values():
                yield field.applied
                yield from (arg.applied for arg in field.args.values())
            yield from (f.applied for f in merged_type.input_fields.values())
            yield from (v.applied for v in merged_type.values.values())

    def print(self) -> str:
        version = self.merged.join_version
        links = [
            '@link(url: "https://specs.apollo.dev/link/v1.0")',
            f'@link(url: "https://specs.apollo.dev/join/v{version}", for: EXECUTION)',
        ]
        links += [_SPEC_LINKS[spec] for spec in self.specs]
        composed_links = {
            (d.link_url, d.link_import) for d in self.merged.directives.values() if d.composed and d.link_url
        }
        links += [f'@link(url: "{url}", import: ["{imported}"])' for url, imported in sorted(composed_links)]
        roots = "".join(f"  {root.lower()}: {root}\n" for root in self.merged.roots)
        header = "schema\n" + "".join(f"  {link}\n" for link in links) + "{\n" + roots + "}"
        definitions: list[tuple[str, str]] = [(name, text) for name, text in self._join_definitions(version)]
        definitions.append(
            (
                "link",
                "directive @link(url: String, as: String, for: link__Purpose, import: "
                "[link__Import]) repeatable on SCHEMA",
            )
        )
        definitions += [(spec, _SPEC_DIRECTIVES[spec]) for spec in self.specs]
        if "cost" in self.specs:
            definitions.append(("listSize", _SPEC_DIRECTIVES["listSize"]))
        definitions += [(name, d.definition) for name, d in self.merged.directives.items()]
        types: list[tuple[str, str]] = [(n, t) for n, t in self._join_types(version)]
        types += [("link__Import", "scalar link__Import"), ("link__Purpose", _LINK_PURPOSE)]
        types += [(_SPEC_TYPES[s].split()[1], _SPEC_TYPES[s]) for s in self.specs if s in _SPEC_TYPES]
        types += [(name, self._type(t)) for name, t in self.merged.types.items()]
        parts = [header]
        parts += [text for _, text in sorted(definitions, key=lambda d: d[0].lower())]
        parts += [text for _, text in sorted(types, key=lambda t: t[0].lower())]
        return "\n\n".join(parts) + "\n"

    def _join_definitions(self, version: str) -> list[tuple[str, str]]:
        result = [
            ("join__enumValue", "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE"),
            (
                "join__field",
                f"directive @join__field({_JOIN_FIELD_ARGS[version]}) repeatable on FIELD_DEFINITION | "
                "INPUT_FIELD_DEFINITION",
            ),
            ("join__graph", "directive @join__graph(name: String!, url: String!) on ENUM_VALUE"),
            (
                "join__implements",
                "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE",
            ),
            (
                "join__type",
                "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = "
                "false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | "
                "INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
            ),
            (
                "join__unionMember",
                "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
            ),
        ]
        if version != "0.3":
            result.append(
                (
                    "join__directive",
                    "directive @join__directive(graphs: [join__Graph!], name: String!, "
                    "args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | "
                    "FIELD_DEFINITION",
                )
            )
        return result

    def _join_types(self, version: str) -> list[tuple[str, str]]:
        values = "".join(
            f'  {self.graphs[s.name]} @join__graph(name: "{s.name}", url: {json.dumps(s.url, ensure_ascii=False)})\n'
            for s in self.merged.subgraphs
        )
        result = [("join__FieldSet", "scalar join__FieldSet"), ("join__Graph", "enum join__Graph {\n" + values + "}")]
        if version != "0.3":
            result.append(("join__DirectiveArguments", "scalar join__DirectiveArguments"))
        if version == "0.5":
            result.append(("join__FieldValue", "scalar join__FieldValue"))
            result.append(
                (
                    "join__ContextArgument",
                    "input join__ContextArgument {\n  name: String!\n  type: "
                    "String!\n  context: String!\n  selection: join__FieldValue!\n}",
                )
            )
        return result

    def _type(self, merged_type: MergedType) -> str:
        keyword = {
            Kind.OBJECT: "type",
            Kind.INTERFACE: "interface",
            Kind.UNION: "union",
            Kind.ENUM: "enum",
            Kind.INPUT_OBJECT: "input",
            Kind.SCALAR: "scalar",
        }[merged_type.kind]
        head = f"{keyword} {merged_type.name}"
        if merged_type.interfaces:
            head += " implements " + " & ".join(merged_type.interfaces)
        directives = self._type_joins(merged_type) + self._applied(merged_type.applied)
        text = _description(merged_type.description, "", True) + head
        text += "".join(f"\n  {d}" for d in directives)
        if merged_type.kind is Kind.UNION:
            return text + ("\n" if directives else "") + " = " + " | ".join(merged_type.members)
        body: list[str] = []
        if merged_type.kind in (Kind.OBJECT, Kind.INTERFACE):
            body = [self._field(f, i == 0) for i, f in enumerate(merged_type.fields.values())]
        elif merged_type.kind is Kind.INPUT_OBJECT:
            body = [self._input_field(f, i == 0) for i, f in enumerate(merged_type.input_fields.values())]
        elif merged_type.kind is Kind.ENUM:
            body = [
                _description(v.description, "  ", i == 0)
                + "  "
                + " ".join(
                    [
                        v.name,
                        *self._applied(v.applied),
                        *(f"@join__enumValue(graph: {self.graphs[g]})" for g in v.graphs),
                    ]
                )
                for i, v in enumerate(merged_type.values.values())
            ]
        else:
            return text
        return text + ("\n{\n" if directives else " {\n") + "\n".join(body) + "\n}"

    def _type_joins(self, merged_type: MergedType) -> list[str]:
        result: list[str] = []
        for graph, source in merged_type.sources.items():
            for interface in source.interfaces:
                result.append(f'@join__implements(graph: {self.graphs[graph]}, interface: "{interface}")')
        for graph, source in merged_type.sources.items():
            enum = self.graphs[graph]
            flags = ", isInterfaceObject: true" if source.interface_object else ""
            if not source.keys:
                result.append(f"@join__type(graph: {enum}{flags})")
            for key in source.keys:
                extra = (", extension: true" if key.extension else "") + (
                    ", resolvable: false" if not key.resolvable else ""
                )
                result.append(f"@join__type(graph: {enum}, key: {json.dumps(key.fields)}{extra}{flags})")
        if merged_type.kind is Kind.UNION:
            for member in merged_type.members:
                for graph, source in merged_type.sources.items():
                    if member in source.members:
                        result.append(f'@join__unionMember(graph: {self.graphs[graph]}, member: "{member}")')
        return result

    def _field(self, field: MergedField, first: bool) -> str:
        line = "  " + field.name + _arguments(field.args.values(), self) + ": " + field.type
        directives = self._applied(field.applied) + [self._join_field(j) for j in field.join or ()]
        if directives:
            line += " " + " ".join(directives)
        return _description(field.description, "  ", first) + line

    def _input_field(self, field: MergedInput, first: bool) -> str:
        line = "  " + self.input_value(field)
        if field.join:
            line += " " + " ".join(self._join_field(j) for j in field.join)
        return _description(field.description, "  ", first) + line

    def input_value(self, value: MergedInput) -> str:
        text = f"{value.name}: {value.type}"
        if value.default is not None:
            text += " = " + print_ast(value.default)
        directives = self._applied(value.applied)
        return text + ("".join(" " + d for d in directives))

    def _join_field(self, join: JoinField) -> str:
        args: list[str] = []
        if join.graph is not None:
            args.append(f"graph: {self.graphs[join.graph]}")
        if join.requires is not None:
            args.append(f"requires: {json.dumps(join.requires)}")
        if join.provides is not None:
            args.append(f"provides: {json.dumps(join.provides)}")
        if join.type is not None:
            args.append(f'type: "{join.type}"')
        if join.external:
            args.append("external: true")
        if join.override is not None:
            args.append(f"override: {json.dumps(join.override)}")
        if join.used_overridden:
            args.append("usedOverridden: true")
        if join.override_label is not None:
            args.append(f"overrideLabel: {json.dumps(join.override_label)}")
        return "@join__field" + (f"({', '.join(args)})" if args else "")

    def _applied(self, applied: Applied) -> list[str]:
        result: list[str] = []
        if applied.authenticated:
            result.append("@authenticated")
        if applied.scopes:
            result.append(f"@requiresScopes(scopes: {_dnf(applied.scopes[0])})")
        if applied.policies:
            result.append(f"@policy(policies: {_dnf(applied.policies[0])})")
        if applied.cost is not None:
            result.append(f"@cost(weight: {applied.cost})")
        if applied.list_size is not None:
            result.append("@listSize(" + ", ".join(f"{k}: {_value(v)}" for k, v in applied.list_size.items()) + ")")
        if applied.inaccessible:
            result.append("@inaccessible")
        result += [f"@tag(name: {json.dumps(tag)})" for tag in applied.tags]
        if applied.deprecated is not None:
            result.append(
                "@deprecated"
                + (
                    f"(reason: {json.dumps(applied.deprecated, ensure_ascii=False)})"
                    if applied.deprecated != "No longer supported"
                    else ""
                )
            )
        if applied.specified_by is not None:
            result.append(f"@specifiedBy(url: {json.dumps(applied.specified_by)})")
        composed = {n for n, d in self.merged.directives.items() if d.composed}
        result += [print_ast(d) for d in applied.composed if d.name.value in composed]
        return result


def _arguments(args: Iterable[MergedInput], printer: _Printer) -> str:
    values = list(args)
    if not values:
        return ""
    if all(v.description is None for v in values):
        return "(" + ", ".join(printer.input_value(v) for v in values) + ")"
    lines = [
        _description(v.description, "    ", i == 0) + "    " + printer.input_value(v) for i, v in enumerate(values)
    ]
    return "(\n" + "\n".join(lines) + "\n  )"


def _description(description: str | None, indentation: str, first: bool) -> str:
    if description is None:
        return ""
    block = print_block_string(description)
    prefix = "\n" + indentation if indentation and not first else indentation
    return prefix + block.replace("\n", "\n" + indentation) + "\n"


def _dnf(dnf: list[list[str]]) -> str:
    return "[" + ", ".join("[" + ", ".join(json.dumps(s) for s in clause) + "]" for clause in dnf) + "]"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)
