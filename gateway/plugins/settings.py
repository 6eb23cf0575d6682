"""The traffic policy of the gateway: client classes, per-client overrides, rate limits, operation limits, caching.

Read from a YAML or JSON file (``parkgraph gateway --config``, or
``PARKGRAPH_GATEWAY_CONFIG``), rate limits also from ``PARKGRAPH_RATE_LIMITS``.
Invalid settings raise :class:`SettingsError` at startup, never per request.
An example::

    classes:                      # anonymous, default, and any others clients name
      anonymous:   {rate_limit: "10/s", burst: 20, limits: {max_depth: 6, max_cost: 200}}
      front_end:   {rate_limit: "50/s", limits: {max_depth: 12, max_cost: 5000}}
      third_party: {rate_limit: "600/min", limits: {max_cost: 1000, max_batch: 1}}
    clients:                      # by the token's client_id
      demo-third-party: {class: third_party, safelist_only: true}
      city-dashboard: {class: front_end, rate_limit: "200/s"}
    cache:
      types: {Enterprise: 300, Park: 3600}         # entity TTLs in seconds (beside @cacheControl)
      root_fields: {Query.parks: 600}
      invalidate: {Mutation.updateEnterprise: [Enterprise]}
      vary_headers: [x-purpose]
    operations_file: var/persisted-operations.json

``PARKGRAPH_RATE_LIMITS`` holds comma-separated ``class.NAME=RATE[:BURST]``
or ``client.ID=RATE[:BURST]`` entries, e.g. ``class.anonymous=10/s:20``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from gateway.errors import GatewayError

ANONYMOUS = "anonymous"
DEFAULT = "default"
_PERIODS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0, "h": 3600.0, "hour": 3600.0}
_RATE = re.compile(r"^\s*(?P<count>\d+(?:\.\d+)?)\s*/\s*(?P<n>\d+)?\s*(?P<unit>[a-z]+)\s*$")


class SettingsError(GatewayError):
    """The gateway's traffic settings are invalid (raised at startup)."""

    code = "INTERNAL_SERVER_ERROR"


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A token bucket: ``rate`` tokens per second, at most ``burst`` at once."""

    rate: float
    burst: float

    @classmethod
    def parse(cls, text: str, burst: float | None = None) -> RateLimit:
        """``"100/s"``, ``"600/min"``, ``"5/10s"``; the burst defaults to one period's worth."""
        match = _RATE.match(text.lower())
        if match is None or match["unit"] not in _PERIODS:
            raise SettingsError(f"invalid rate limit {text!r}; write e.g. '100/s' or '600/min'")
        count = float(match["count"])
        period = _PERIODS[match["unit"]] * float(match["n"] or 1)
        if count <= 0:
            raise SettingsError(f"invalid rate limit {text!r}: the count must be positive")
        return cls(count / period, float(burst) if burst is not None else max(1.0, count))


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """Limits checked before an operation runs; None means unlimited."""

    max_depth: int | None = None
    max_aliases: int | None = None
    max_root_fields: int | None = None
    max_tokens: int | None = None
    max_request_bytes: int | None = None
    max_batch: int | None = None
    max_cost: int | None = None

    @property
    def enabled(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))


@dataclass(frozen=True, slots=True)
class ClientClass:
    """What every client of one class (front end, third party, anonymous, …) gets."""

    name: str
    rate_limit: RateLimit | None = None
    limits: OperationLimits = OperationLimits()


@dataclass(frozen=True, slots=True)
class ClientPolicy:
    """One client's class and overrides."""

    client_id: str
    client_class: str = DEFAULT
    safelist_only: bool = False
    rate_limit: RateLimit | None = None


@dataclass(frozen=True, slots=True)
class CacheSettings:
    """Entity and root-field TTLs (seconds), the mutations that invalidate types, extra cache-key headers."""

    types: Mapping[str, float] = field(default_factory=dict)
    root_fields: Mapping[str, float] = field(default_factory=dict)
    invalidate: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    vary_headers: tuple[str, ...] = ()
    use_schema_directives: bool = True  # read @cacheControl(maxAge:) from the supergraph too


# Generous defaults: no legitimate front end nests 32 levels or sends a 2 MB query.
DEFAULT_LIMITS = OperationLimits(
    max_depth=32, max_aliases=200, max_root_fields=64, max_tokens=20_000, max_request_bytes=2_000_000, max_batch=16
)


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    """Everything the traffic plugins read."""

    classes: Mapping[str, ClientClass] = field(
        default_factory=lambda: {
            ANONYMOUS: ClientClass(ANONYMOUS, limits=DEFAULT_LIMITS),
            DEFAULT: ClientClass(DEFAULT, limits=DEFAULT_LIMITS),
        }
    )
    clients: Mapping[str, ClientPolicy] = field(default_factory=dict)
    cache: CacheSettings = CacheSettings()
    apq: bool = True
    trust_forwarded_for: bool = False  # take the client address from X-Forwarded-For (behind a trusted proxy only)
    operations_file: Path | None = None

    def client_class(self, name: str) -> ClientClass:
        return self.classes.get(name) or self.classes.get(DEFAULT) or ClientClass(DEFAULT)


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> GatewaySettings:
    """Settings from ``path`` (or ``PARKGRAPH_GATEWAY_CONFIG``), then ``PARKGRAPH_RATE_LIMITS`` on top."""
    env = os.environ if env is None else env
    if path is None and env.get("PARKGRAPH_GATEWAY_CONFIG"):
        path = Path(env["PARKGRAPH_GATEWAY_CONFIG"])
    raw: dict[str, Any] = {}
    if path is not None:
        raw = _read(path)
    settings = settings_from_dict(raw)
    if env.get("PARKGRAPH_RATE_LIMITS"):
        settings = _apply_rate_env(settings, env["PARKGRAPH_RATE_LIMITS"])
    return settings


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read the gateway settings {path}: {exc}") from exc
    try:
        if path.suffix == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # json.JSONDecodeError or yaml.YAMLError
        raise SettingsError(f"the gateway settings {path} are not valid: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"the gateway settings {path} must be a mapping")
    return data


def settings_from_dict(raw: Mapping[str, Any]) -> GatewaySettings:
    """Settings from already parsed YAML/JSON (tests build them this way)."""
    defaults = GatewaySettings()
    classes = dict(defaults.classes)
    for name, spec in _mapping(raw.get("classes"), "classes").items():
        spec = _mapping(spec, f"classes.{name}")
        base = classes.get(name, ClientClass(name, limits=DEFAULT_LIMITS))
        classes[name] = ClientClass(
            name,
            rate_limit=_rate(spec, f"classes.{name}") or (base.rate_limit if "rate_limit" not in spec else None),
            limits=_limits(spec.get("limits"), base.limits, f"classes.{name}.limits"),
        )
    clients: dict[str, ClientPolicy] = {}
    for client_id, spec in _mapping(raw.get("clients"), "clients").items():
        spec = _mapping(spec, f"clients.{client_id}")
        client_class = str(spec.get("class", DEFAULT))
        if client_class not in classes:
            raise SettingsError(f"clients.{client_id}: unknown class {client_class!r}")
        clients[str(client_id)] = ClientPolicy(
            str(client_id),
            client_class,
            safelist_only=bool(spec.get("safelist_only", False)),
            rate_limit=_rate(spec, f"clients.{client_id}"),
        )
    operations_file = raw.get("operations_file")
    return GatewaySettings(
        classes=classes,
        clients=clients,
        cache=_cache(_mapping(raw.get("cache"), "cache")),
        apq=bool(raw.get("apq", True)),
        trust_forwarded_for=bool(raw.get("trust_forwarded_for", False)),
        operations_file=Path(operations_file) if operations_file else None,
    )


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SettingsError(f"{where} must be a mapping")
    return value


def _rate(spec: Mapping[str, Any], where: str) -> RateLimit | None:
    text = spec.get("rate_limit")
    if text is None:
        return None
    burst = spec.get("burst")
    if burst is not None and (not isinstance(burst, int | float) or burst < 1):
        raise SettingsError(f"{where}.burst must be a number of at least 1")
    try:
        return RateLimit.parse(str(text), burst)
    except SettingsError as exc:
        raise SettingsError(f"{where}: {exc.message}") from exc


def _limits(value: Any, base: OperationLimits, where: str) -> OperationLimits:
    spec = _mapping(value, where)
    known = {f.name for f in fields(OperationLimits)}
    changes: dict[str, int | None] = {}
    for name, limit in spec.items():
        if name not in known:
            raise SettingsError(f"{where}: unknown limit {name!r} (known: {', '.join(sorted(known))})")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
            raise SettingsError(f"{where}.{name} must be a non-negative integer or null")
        changes[name] = limit
    return replace(base, **changes)


def _cache(spec: Mapping[str, Any]) -> CacheSettings:
    def ttls(value: Any, where: str) -> dict[str, float]:
        result: dict[str, float] = {}
        for name, ttl in _mapping(value, where).items():
            if not isinstance(ttl, int | float) or isinstance(ttl, bool) or ttl < 0:
                raise SettingsError(f"{where}.{name} must be a number of seconds")
            result[str(name)] = float(ttl)
        return result

    invalidate: dict[str, tuple[str, ...]] = {}
    for mutation, types in _mapping(spec.get("invalidate"), "cache.invalidate").items():
        if isinstance(types, str):
            types = [types]
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise SettingsError(f"cache.invalidate.{mutation} must be a type name or a list of them")
        if "." not in str(mutation):
            mutation = f"Mutation.{mutation}"
        invalidate[str(mutation)] = tuple(types)
    vary = spec.get("vary_headers") or []
    if not isinstance(vary, list):
        raise SettingsError("cache.vary_headers must be a list of header names")
    return CacheSettings(
        types=ttls(spec.get("types"), "cache.types"),
        root_fields=ttls(spec.get("root_fields"), "cache.root_fields"),
        invalidate=invalidate,
        vary_headers=tuple(str(h).lower() for h in vary),
        use_schema_directives=bool(spec.get("use_schema_directives", True)),
    )


def _apply_rate_env(settings: GatewaySettings, text: str) -> GatewaySettings:
    classes = dict(settings.classes)
    clients = dict(settings.clients)
    for entry in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = entry.partition("=")
        kind, dot, target = name.strip().partition(".")
        if not sep or not dot or kind not in ("class", "client") or not target:
            raise SettingsError(f"PARKGRAPH_RATE_LIMITS: {entry!r} is not class.NAME=RATE or client.ID=RATE")
        rate_text, _, burst_text = value.partition(":")
        try:
            limit = RateLimit.parse(rate_text, float(burst_text) if burst_text else None)
        except ValueError as exc:
            raise SettingsError(f"PARKGRAPH_RATE_LIMITS: invalid burst in {entry!r}") from exc
        if kind == "class":
            base = classes.get(target, ClientClass(target, limits=DEFAULT_LIMITS))
            classes[target] = replace(base, rate_limit=limit)
        else:
            clients[target] = replace(clients.get(target, ClientPolicy(target)), rate_limit=limit)
    return replace(settings, classes=classes, clients=clients)
