"""Python ports of the four bench subgraphs (``shared/bench/subgraphs/{data,index}.mjs``).

Same SDL, same deterministic data, same resolvers, including the inventory
subgraph's error when a gateway leaves out the ``@requires`` inputs of
``shippingEstimate``. Gateway tests run the bench queries against these and
compare with the reference answers in ``tests/fixtures/bench/``.
"""

from __future__ import annotations

import math
from typing import Any

from tests.support.subgraph_kit import SubgraphSpec

_FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken"]
_LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson"]
_ADJ = ["Table", "Chair", "Lamp", "Couch", "Desk", "Shelf", "Stool", "Bench", "Rug", "Clock"]
_KIND = ["Classic", "Modern"]
_OPINIONS = ["Love it", "Too expensive", "Could be better", "Prefer something else"]

USER_COUNT = 10
PRODUCT_COUNT = 20
REVIEWS_PER_PRODUCT = 2

USERS: list[dict[str, Any]] = [
    {
        "id": str(i + 1),
        "name": f"{_FIRST[i]} {_LAST[i]}",
        "username": f"@{_FIRST[i].lower()}{i + 1}",
        "birthday": 1815 + i * 11,
    }
    for i in range(USER_COUNT)
]

PRODUCTS: list[dict[str, Any]] = [
    {
        "upc": str(1001 + i),
        "name": f"{_KIND[i % 2]} {_ADJ[i % 10]} {i // 2 + 1}",
        "price": 250 + ((i * 397) % 1500),
        "weight": 5 + ((i * 7) % 90),
    }
    for i in range(PRODUCT_COUNT)
]

INVENTORY: list[dict[str, Any]] = [{"upc": p["upc"], "inStock": i % 3 != 2} for i, p in enumerate(PRODUCTS)]

# Review r belongs to product r % PRODUCT_COUNT and was written by user r % USER_COUNT.
REVIEWS: list[dict[str, Any]] = [
    {
        "id": str(r + 1),
        "body": f"Review {r + 1}: {_OPINIONS[r % 4]} ({PRODUCTS[r % PRODUCT_COUNT]['name']}).",
        "productUpc": PRODUCTS[r % PRODUCT_COUNT]["upc"],
        "authorId": USERS[r % USER_COUNT]["id"],
    }
    for r in range(PRODUCT_COUNT * REVIEWS_PER_PRODUCT)
]

USER_BY_ID = {u["id"]: u for u in USERS}
PRODUCT_BY_UPC = {p["upc"]: p for p in PRODUCTS}
INVENTORY_BY_UPC = {row["upc"]: row for row in INVENTORY}
REVIEW_BY_ID = {r["id"]: r for r in REVIEWS}
REVIEWS_BY_PRODUCT: dict[str, list[dict[str, Any]]] = {}
REVIEWS_BY_AUTHOR: dict[str, list[dict[str, Any]]] = {}
for _review in REVIEWS:
    REVIEWS_BY_PRODUCT.setdefault(_review["productUpc"], []).append(_review)
    REVIEWS_BY_AUTHOR.setdefault(_review["authorId"], []).append(_review)


def shipping_estimate(price: float, weight: float) -> int:
    """Free above 1000, else half the weight, rounded like JavaScript's ``Math.round`` (half up)."""
    return 0 if price > 1000 else math.floor(weight * 0.5 + 0.5)


def top_products(first: int | None = 5) -> list[dict[str, Any]]:
    # JavaScript's Math.max(0, null) is 0: an explicit null gives an empty list there too.
    return PRODUCTS[: max(0, first or 0)]


_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3"'

ACCOUNTS_SDL = f"""{_LINK}, import: ["@key", "@shareable"])

type Query {{
  me: User
  user(id: ID!): User
  users: [User!]!
}}

type User @key(fields: "id") {{
  id: ID!
  name: String
  username: String @shareable
  birthday: Int
}}
"""

PRODUCTS_SDL = f"""{_LINK}, import: ["@key"])

type Query {{
  topProducts(first: Int = 5): [Product!]!
  product(upc: String!): Product
}}

type Product @key(fields: "upc") {{
  upc: String!
  name: String
  price: Int
  weight: Int
}}
"""

INVENTORY_SDL = f"""{_LINK}, import: ["@key", "@external", "@requires"])

type Product @key(fields: "upc") {{
  upc: String!
  price: Int @external
  weight: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}}
"""

REVIEWS_SDL = f"""{_LINK}, import: ["@key", "@external", "@provides"])

type Review @key(fields: "id") {{
  id: ID!
  body: String
  author: User @provides(fields: "username")
  product: Product
}}

type User @key(fields: "id") {{
  id: ID!
  username: String @external
  reviews: [Review!]!
}}

type Product @key(fields: "upc") {{
  upc: String!
  reviews: [Review!]!
}}
"""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shipping_estimate(product: dict[str, Any], _info: Any) -> int:
    # Fail loudly if a gateway did not send the @requires fields (as index.mjs does).
    if not _is_number(product.get("price")) or not _is_number(product.get("weight")):
        raise ValueError(f"shippingEstimate needs price and weight for Product {product.get('upc')}")
    return shipping_estimate(product["price"], product["weight"])


def _inventory_reference(ref: dict[str, Any]) -> dict[str, Any]:
    row = INVENTORY_BY_UPC.get(ref.get("upc", ""))
    return {**ref, "inStock": row["inStock"] if row is not None else None}


def accounts() -> SubgraphSpec:
    return SubgraphSpec(
        name="accounts",
        sdl=ACCOUNTS_SDL,
        resolvers={
            "Query": {
                "me": lambda _s, _i: USERS[0],
                "user": lambda _s, _i, id: USER_BY_ID.get(id),
                "users": lambda _s, _i: USERS,
            }
        },
        references={"User": lambda ref: USER_BY_ID.get(ref.get("id", ""))},
    )


def products() -> SubgraphSpec:
    return SubgraphSpec(
        name="products",
        sdl=PRODUCTS_SDL,
        resolvers={
            "Query": {
                "topProducts": lambda _s, _i, first=5: top_products(first),
                "product": lambda _s, _i, upc: PRODUCT_BY_UPC.get(upc),
            }
        },
        references={"Product": lambda ref: PRODUCT_BY_UPC.get(ref.get("upc", ""))},
    )


def inventory() -> SubgraphSpec:
    return SubgraphSpec(
        name="inventory",
        sdl=INVENTORY_SDL,
        resolvers={"Product": {"shippingEstimate": _shipping_estimate}},
        references={"Product": _inventory_reference},
    )


def reviews() -> SubgraphSpec:
    return SubgraphSpec(
        name="reviews",
        sdl=REVIEWS_SDL,
        resolvers={
            "Review": {
                "author": lambda r, _i: {"id": r["authorId"], "username": USER_BY_ID[r["authorId"]]["username"]},
                "product": lambda r, _i: {"upc": r["productUpc"]},
            },
            "User": {"reviews": lambda u, _i: REVIEWS_BY_AUTHOR.get(u["id"], [])},
            "Product": {"reviews": lambda p, _i: REVIEWS_BY_PRODUCT.get(p["upc"], [])},
        },
        references={
            "Review": lambda ref: REVIEW_BY_ID.get(ref.get("id", "")),
            "User": lambda ref: {"id": ref.get("id")},
            "Product": lambda ref: {"upc": ref.get("upc")},
        },
    )


def bench_subgraphs() -> list[SubgraphSpec]:
    """The four bench subgraphs, in the bench's order (accounts, products, inventory, reviews)."""
    return [accounts(), products(), inventory(), reviews()]
