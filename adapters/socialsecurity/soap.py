"""SOAP 1.1 for the social insurance service: GBK envelopes out, answers and faults in.

The service speaks GBK, which Python's expat cannot parse from bytes
("multi-byte encodings are not supported"), so answers are decoded to text
first, with the charset of the Content-Type or, failing that, of the XML
declaration. Faults (HTTP 500 with ``soap:Fault``) become adapter errors:
``Client`` faults are the caller's fault (:class:`Rejected`), ``Server`` faults
an outage (:class:`LegacyUnavailable`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import httpx

from adapters.errors import BadData, LegacyUnavailable, Rejected

SYSTEM = "socialsecurity"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = "http://ws.si.ahhrss.gov.cn/query"
ENCODING = "GBK"
CONTENT_TYPE = f"text/xml; charset={ENCODING}"
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([\w-]+)["']""")
_CHARSET = re.compile(r"charset=\"?([\w-]+)", re.IGNORECASE)


def envelope(operation: str, fields: Iterable[tuple[str, str]]) -> bytes:
    """A GBK-encoded SOAP 1.1 request calling ``operation`` with ``fields`` as child elements, in order."""
    root = ET.Element(f"{{{SOAP_NS}}}Envelope")
    body = ET.SubElement(root, f"{{{SOAP_NS}}}Body")
    call = ET.SubElement(body, f"{{{SERVICE_NS}}}{operation}")
    for name, value in fields:
        ET.SubElement(call, name).text = value
    data: bytes = ET.tostring(root, encoding=ENCODING)
    return data


def headers(operation: str) -> dict[str, str]:
    return {"Content-Type": CONTENT_TYPE, "SOAPAction": f'"{operation}"'}


def answer(response: httpx.Response, operation: str) -> ET.Element:
    """The ``<operation>Response`` element of a SOAP answer; faults and garbage raise adapter errors."""
    root = _parse(response)
    body = root.find(f"{{{SOAP_NS}}}Body")
    if root.tag != f"{{{SOAP_NS}}}Envelope" or body is None or len(body) == 0:
        if response.status_code >= 500:
            raise LegacyUnavailable(SYSTEM, f"HTTP {response.status_code} without a SOAP envelope")
        raise BadData(SYSTEM, f"{operation}: not a SOAP 1.1 envelope")
    payload = body[0]
    if payload.tag == f"{{{SOAP_NS}}}Fault":
        raise _fault(payload, operation)
    if response.status_code != 200:
        raise LegacyUnavailable(SYSTEM, f"{operation}: HTTP {response.status_code}")
    if payload.tag != f"{{{SERVICE_NS}}}{operation}Response":
        raise BadData(SYSTEM, f"{operation}: unexpected answer element {payload.tag}")
    return payload


def _parse(response: httpx.Response) -> ET.Element:
    raw = response.content
    charset = _charset(response.headers.get("content-type", "")) or _declared(raw) or ENCODING
    try:
        return ET.fromstring(raw.decode(charset))
    except (UnicodeDecodeError, LookupError, ET.ParseError) as exc:
        if response.status_code >= 500:
            raise LegacyUnavailable(SYSTEM, f"HTTP {response.status_code}: unreadable body") from exc
        raise BadData(SYSTEM, f"unreadable answer ({charset}): {exc}") from exc


def _fault(fault: ET.Element, operation: str) -> Exception:
    code = (fault.findtext("faultcode") or "").strip()
    message = (fault.findtext("faultstring") or "").strip()
    # "soap:Client", "soapenv:Server.userException", "Client": the local name's first part decides.
    kind = code.rsplit(":", 1)[-1].split(".", 1)[0]
    if kind == "Client":
        return Rejected(SYSTEM, f"{operation}: {message}", legacy_code=code)
    return LegacyUnavailable(SYSTEM, f"{operation}: {code} {message}".rstrip())


def _charset(content_type: str) -> str | None:
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None


def _declared(raw: bytes) -> str | None:
    match = _DECLARED.match(raw)
    return match.group(1).decode("ascii") if match else None
