"""The schema extension that writes one audit record per operation that read personal data unmasked.

While resolving, it marks which entity each field belongs to (so the
:class:`~subgraphs.common.identity.AuditedDisclosure` can note the entity of
each read: personal-data resolvers are synchronous, so the mark is exact);
it notes the operation's text. :func:`record_reads` then (from the HTTP view,
after execution: schema extensions must also run synchronously) appends who,
client, tenant, purpose, operation hash, entity ids and kinds to the audit
log; if that fails, the answer is withheld. Requests that reveal nothing pay
one ``isinstance`` per field.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from subgraphs.common.audit import AuditEntry
from subgraphs.common.identity import CURRENT_ENTITY, AuditedDisclosure

logger = logging.getLogger("subgraphs.audit")

_KEY_ATTRIBUTES = ("uscc", "id", "code", "waybill_no")


def entity_id(source: Any) -> str | None:
    """``Enterprise:91340100MA2NJ8U32D`` for an object with a key attribute; None for anything else."""
    for attribute in _KEY_ATTRIBUTES:
        value = getattr(source, attribute, None)
        if isinstance(value, str):
            return f"{type(source).__name__}:{value}"
    return None


class PersonalDataAudit(SchemaExtension):
    """Attributes unmasked reads to entities and records them; build one per request (a factory)."""

    def __init__(self, *, domain: str, execution_context: Any = None) -> None:
        super().__init__()
        self.domain = domain

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(getattr(info.context, "personal", None), AuditedDisclosure):
            return _next(root, info, *args, **kwargs)
        token = CURRENT_ENTITY.set(entity_id(root))
        try:
            return _next(root, info, *args, **kwargs)
        finally:
            CURRENT_ENTITY.reset(token)

    def on_operation(self) -> Iterator[None]:
        disclosure = getattr(self.execution_context.context, "personal", None)
        if isinstance(disclosure, AuditedDisclosure):
            disclosure.operation["query"] = self.execution_context.query or ""
        yield


async def record_reads(context: Any, domain: str) -> bool:
    """Appends the request's unmasked reads to the audit log; False if that failed (the answer must go)."""
    disclosure = getattr(context, "personal", None)
    if not isinstance(disclosure, AuditedDisclosure) or not disclosure.reads:
        return True
    identity, audit = context.identity, context.audit
    entry = AuditEntry(
        subject=identity.subject,
        client_id=identity.client_id,
        tenant=None if identity.tenant is None else str(identity.tenant),
        purpose=identity.purpose,
        subgraph=domain,
        operation_hash=hashlib.sha256(disclosure.operation.get("query", "").encode()).hexdigest(),
        request_id=identity.request_id,
        entity_ids=[entity or "unknown" for _, entity in disclosure.reads],
        kinds=[kind.value for kind, _ in disclosure.reads],
    )
    try:
        await audit.append(entry)
    except Exception:
        logger.exception("%s: the audit log is unavailable; withholding an answer with personal data", domain)
        return False
    return True


AUDIT_UNAVAILABLE = {
    "data": None,
    "errors": [
        {
            "message": "The audit log is unavailable: personal data cannot be read now.",
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ],
}
