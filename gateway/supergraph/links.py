"""Reads a supergraph's ``@link`` directives: which specs it uses, under which names.

Names are never hard-coded: ``@link(url: ".../join/v0.5", as: "j")`` makes the
join directives ``@j__type``…, and ``import: [{name: "@tag", as: "@label"}]``
renames an imported directive. :class:`Links` answers "what is this spec
element called in this document?".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from graphql import (
    ConstValueNode,
    DirectiveNode,
    EnumValueNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)

from gateway.errors import SupergraphError, UnsupportedFeature

LINK_SPEC = "https://specs.apollo.dev/link"
_URL = re.compile(r"^(?P<base>https?://.+)/(?P<name>[A-Za-z_][A-Za-z0-9_-]*)/v(?P<major>\d+)\.(?P<minor>\d+)/?$")

# Specs the gateway implements, by identity, with the versions it reads.
SUPPORTED: Mapping[str, tuple[str, ...]] = {
    "https://specs.apollo.dev/link": ("1.0",),
    "https://specs.apollo.dev/join": ("0.2", "0.3", "0.4", "0.5"),
    "https://specs.apollo.dev/tag": ("0.1", "0.2", "0.3"),
    "https://specs.apollo.dev/inaccessible": ("0.1", "0.2"),
    "https://specs.apollo.dev/authenticated": ("0.1",),
    "https://specs.apollo.dev/requiresScopes": ("0.1",),
    "https://specs.apollo.dev/policy": ("0.1",),
    "https://specs.apollo.dev/cost": ("0.1",),
    "https://specs.apollo.dev/listSize": ("0.1",),
}


@dataclass(frozen=True, slots=True)
class Link:
    """One ``@link``: a spec identity and version, its prefix and its imports."""

    identity: str  # e.g. "https://specs.apollo.dev/join"
    name: str  # e.g. "join"
    version: str  # e.g. "0.5"
    prefix: str  # "join" unless renamed with `as:`
    imports: Mapping[str, str]  # element ("@key", "FieldSet") -> local name ("@key", "@primaryKey")
    purpose: str | None  # "SECURITY", "EXECUTION" or None

    def directive(self, element: str) -> str:
        """The local name of the spec directive ``element`` (without ``@``)."""
        imported = self.imports.get("@" + element)
        if imported is not None:
            return imported.removeprefix("@")
        # A spec's own-named directive (e.g. @tag of the tag spec) is bare when imported; otherwise prefixed.
        return f"{self.prefix}__{element}" if element != self.name else self.prefix

    def type_name(self, element: str) -> str:
        return self.imports.get(element) or f"{self.prefix}__{element}"

    def owns(self, name: str) -> bool:
        """Whether a type or directive ``name`` (no ``@``) belongs to this spec in this document."""
        return name == self.prefix or name.startswith(self.prefix + "__") or name in self._imported_names

    @property
    def _imported_names(self) -> frozenset[str]:
        return frozenset(local.removeprefix("@") for local in self.imports.values())


class Links:
    """All the ``@link``s on a schema definition, by spec name."""

    def __init__(self, links: Iterable[Link]) -> None:
        self._by_name: dict[str, Link] = {}
        for link in links:
            if link.name in self._by_name:
                raise SupergraphError(f"the spec {link.identity} is linked twice")
            self._by_name[link.name] = link

    def get(self, name: str) -> Link | None:
        return self._by_name.get(name)

    def require(self, name: str) -> Link:
        link = self._by_name.get(name)
        if link is None:
            raise SupergraphError(f'the supergraph does not link the "{name}" spec')
        return link

    def __iter__(self) -> Iterator[Link]:
        return iter(self._by_name.values())

    def owner_of(self, name: str) -> Link | None:
        """The linked spec a type or directive name belongs to, if any."""
        for link in self._by_name.values():
            if link.owns(name):
                return link
        return None

    def check_supported(self) -> None:
        """Refuse a supergraph that relies on a security or execution spec we do not implement."""
        for link in self._by_name.values():
            versions = SUPPORTED.get(link.identity)
            if versions is not None and link.version in versions:
                continue
            if link.purpose in ("SECURITY", "EXECUTION"):
                raise UnsupportedFeature(
                    f"feature {link.identity}/v{link.version} is for: {link.purpose} but is unsupported",
                    feature=f"{link.identity}/v{link.version}",
                )


def read_links(schema_directives: Iterable[DirectiveNode]) -> Links:
    """Parses the ``@link`` applications of a schema definition (the link spec links itself first)."""
    directives = list(schema_directives)
    link_name = "link"
    # The link spec may itself be renamed: @link(url: ".../link/v1.0", as: "mylink").
    for directive in directives:
        args = _arguments(directive)
        url = args.get("url")
        if isinstance(url, str) and url.startswith(LINK_SPEC + "/"):
            link_name = str(args.get("as") or "link")
    links = []
    for directive in directives:
        if directive.name.value != link_name:
            continue
        links.append(_link(_arguments(directive)))
    if not any(link.identity == LINK_SPEC for link in links):
        raise SupergraphError("not a supergraph: the schema has no @link to the link spec v1.0")
    return Links(links)


def link_from_arguments(directive: DirectiveNode) -> Link:
    """One ``@link`` application as a :class:`Link` (raises SupergraphError if it is malformed)."""
    return _link(_arguments(directive))


def _link(args: Mapping[str, object]) -> Link:
    url = args.get("url")
    if not isinstance(url, str):
        raise SupergraphError("@link without a url")
    match = _URL.match(url)
    if match is None:
        raise SupergraphError(f"@link url {url!r} does not name a spec and version")
    name = match["name"]
    prefix = args.get("as") or name
    imports: dict[str, str] = {}
    raw_imports = args.get("import") or []
    assert isinstance(raw_imports, list)
    for item in raw_imports:
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            imports[item["name"]] = str(item.get("as") or item["name"])
        else:
            raise SupergraphError(f"@link(url: {url!r}) has an invalid import {item!r}")
    purpose = args.get("for")
    return Link(
        identity=f"{match['base']}/{name}",
        name=name,
        version=f"{match['major']}.{match['minor']}",
        prefix=str(prefix),
        imports=imports,
        purpose=str(purpose) if purpose is not None else None,
    )


def _arguments(directive: DirectiveNode) -> dict[str, object]:
    return {arg.name.value: value_of(arg.value) for arg in directive.arguments or ()}


def value_of(node: ValueNode | ConstValueNode) -> object:
    """A constant AST value as plain Python (enums as their name)."""
    if isinstance(node, StringValueNode | EnumValueNode):
        return node.value
    if isinstance(node, ListValueNode):
        return [value_of(v) for v in node.values]
    if isinstance(node, ObjectValueNode):
        return {f.name.value: value_of(f.value) for f in node.fields}
    from graphql import value_from_ast_untyped

    return value_from_ast_untyped(node)
