"""The logistics subgraph's schema: a shipment by waybill number, and booking a shipment idempotently."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation

import strawberry

from adapters.errors import Rejected
from adapters.logistics import models
from schema.errors import BadUserInput, IdempotencyConflict
from schema.scalars import USCC
from subgraphs.common import create_federation_schema
from subgraphs.common.fields import federated
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.tenancy import require_enterprise_of
from subgraphs.logistics import loaders
from subgraphs.logistics.types import City, Enterprise, Info, Park, Shipment

# The platform answers 409 with this code when a client reference is reused for other content.
REFERENCE_CONFLICT = "40901"
MAX_WEIGHT_KG = Decimal(100_000)
# The OAuth scope every mutation needs (@requiresScopes, enforced by the gateway before anything is booked).
WRITE_SCOPE = "logistics:write"


@strawberry.input(description="A shipment to book on the logistics platform (托运下单).")
class BookShipmentInput:
    consignor: USCC = strawberry.field(description="The sending enterprise (托运人), registered on the platform.")
    consignee: USCC = strawberry.field(description="The receiving enterprise (收货人).")
    consignee_name: str = strawberry.field(description="The receiving enterprise's name, as printed on the waybill.")
    destination_city_code: strawberry.ID = strawberry.field(description="GB/T 2260 code of the destination city.")
    cargo: str = strawberry.field(description="Description of the goods (货物名称).")
    weight_kg: Decimal = strawberry.field(description="Gross weight in kg (毛重), more than 0.")
    pieces: int = strawberry.field(description="Number of packages (件数), at least 1.")

    def to_model(self) -> models.Booking:
        try:
            weight = Decimal(self.weight_kg).quantize(Decimal("0.1"))
        except InvalidOperation:
            raise BadUserInput(f"weightKg {self.weight_kg!r} is not a number") from None
        if not Decimal(0) < weight <= MAX_WEIGHT_KG:
            raise BadUserInput(f"weightKg must be more than 0 and at most {MAX_WEIGHT_KG}, got {self.weight_kg}")
        if self.pieces < 1:
            raise BadUserInput(f"pieces must be at least 1, got {self.pieces}")
        code = str(self.destination_city_code)
        if len(code) != 6 or not code.isdigit():
            raise BadUserInput(f"destinationCityCode must be a 6-digit GB/T 2260 code, got {code!r}")
        if not self.consignee_name.strip() or not self.cargo.strip():
            raise BadUserInput("consigneeName and cargo must not be empty")
        return models.Booking(
            consignor_uscc=str(self.consignor),
            consignee_uscc=str(self.consignee),
            consignee_name=self.consignee_name.strip(),
            destination_city_code=code,
            cargo=self.cargo.strip(),
            weight_kg=weight,
            pieces=self.pieces,
        )


@strawberry.type(description="The booked shipment.")
class BookShipmentPayload:
    shipment: Shipment


@strawberry.type
class Query:
    @federated("A shipment by its waybill number (运单查询); null if the platform has none.", authenticated=True)
    async def shipment(self, info: Info, waybill_no: strawberry.ID) -> Shipment | None:
        found = await loaders.shipment(info.context).load(str(waybill_no))
        if not found:
            return None
        loaders.require_shipment(info.context, found)
        return Shipment.of(found)


@strawberry.type
class Mutation:
    @federated(
        "Books a shipment (托运下单). Idempotent: retrying with the same idempotencyKey and input answers "
        "the same shipment and books nothing more; the same key with other input is IDEMPOTENCY_CONFLICT.",
        requires_scopes=[[WRITE_SCOPE]],
    )
    async def book_shipment(self, info: Info, input: BookShipmentInput, idempotency_key: str) -> BookShipmentPayload:
        booking = input.to_model()
        await require_enterprise_of(info.context, booking.consignor_uscc)  # one books only its own enterprises' goods
        client = info.context.logistics

        async def book() -> models.BookingResult:
            try:
                return await client.book(booking, client_reference(idempotency_key))
            except Rejected as exc:
                if exc.legacy_code == REFERENCE_CONFLICT:
                    raise IdempotencyConflict(
                        f"idempotency key {idempotency_key!r} was already used for a different shipment"
                    ) from exc
                raise

        payload = {"booking": booking}
        result = await info.context.bookings.run("bookShipment", idempotency_key, payload=payload, operation=book)
        return BookShipmentPayload(shipment=Shipment.of(result.shipment))


def client_reference(idempotency_key: str) -> str:
    """The platform's client reference for a key: stable across replicas, within its 64 characters."""
    return "pg-" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]


def build_schema() -> SubgraphSchema:
    return create_federation_schema(
        domain="logistics",
        query=Query,
        mutation=Mutation,
        types=[Enterprise, Park, City, Shipment],
        park_of=loaders.park_of,
    )
