"""Typed decorators for resolver fields with a description (or federation directives).

``@strawberry.field(description=...)`` is typed as returning ``Any``, so under
mypy strict every resolver it decorates becomes untyped (``untyped-decorator``).
These wrappers do exactly what strawberry does at run time and keep the
resolver's signature for mypy::

    @described("The enterprise's meters (表计).")
    async def meters(self, info: Info) -> Connection[Meter]: ...

    @federated("Energy intensity (万元产值能耗).", requires=["annualOutput"])
    async def energy_intensity(self, info: Info) -> EnergyIntensity | None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def described(description: str, **options: Any) -> Callable[[F], F]:
    """``strawberry.field(description=..., **options)`` as a typed decorator."""
    return cast(Callable[[F], F], strawberry.field(description=description, **options))


def federated(description: str, **options: Any) -> Callable[[F], F]:
    """``strawberry.federation.field(description=..., **options)`` (``requires=``, ``provides=``, …), typed."""
    return cast(Callable[[F], F], strawberry.federation.field(description=description, **options))


def subscribed(description: str, **options: Any) -> Callable[[F], F]:
    """``strawberry.subscription(description=..., **options)`` as a typed decorator (async generator resolvers)."""
    return cast(Callable[[F], F], strawberry.subscription(description=description, **options))
