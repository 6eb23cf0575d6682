"""Subgraph SDLs for registry tests: a provincial enterprise registry and Hefei's (340100) city subgraph."""

from __future__ import annotations

from gateway.registry.model import WRITE_SCOPE, Actor

PROVINCE = Actor("province-ops", "province", frozenset({WRITE_SCOPE}))
HEFEI = Actor("hefei-centre", "city:340100", frozenset({WRITE_SCOPE}))
NANJING = Actor("nanjing-centre", "city:320100", frozenset({WRITE_SCOPE}))
HEFEI_READ_ONLY = Actor("hefei-dashboard", "city:340100", frozenset({"graph:read"}))

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])\n'

REGISTRY_SDL = (
    LINK
    + """
scalar USCC

enum Status { ACTIVE REVOKED }

type Enterprise @key(fields: "uscc") {
  uscc: USCC!
  name: String!
  status: Status!
}

type Query {
  enterprise(uscc: USCC!): Enterprise
  enterprises(first: Int = 10): [Enterprise!]!
}
"""
)

# The same subgraph without Enterprise.status (a breaking change).
REGISTRY_WITHOUT_STATUS = REGISTRY_SDL.replace("  status: Status!\n", "").replace(
    "enum Status { ACTIVE REVOKED }\n", ""
)

HEFEI_SDL = (
    LINK
    + """
scalar USCC

type Enterprise @key(fields: "uscc") {
  uscc: USCC!
  c340100_projects: [C340100_Project!]!
}

type C340100_Project @key(fields: "id") {
  id: ID!
  name: String!
  investment: Float
}

type Query {
  c340100_projects: [C340100_Project!]!
}
"""
)

# Hefei's subgraph with an unprefixed type and an unprefixed field on the province's Enterprise.
HEFEI_OUTSIDE_NAMESPACE = HEFEI_SDL.replace("C340100_Project", "Project").replace("c340100_projects: [", "projects: [")

# Hefei's subgraph declaring the province's key field with another type: the graph does not compose.
HEFEI_NOT_COMPOSING = HEFEI_SDL.replace("  uscc: USCC!\n  c340100", "  uscc: Int!\n  c340100")

REGISTRY_URL = "http://registry.example:4101/graphql"
HEFEI_URL = "http://hefei.example:8080/graphql"
