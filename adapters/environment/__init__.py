"""The pollution-source online monitoring platform (重点排污单位在线监测) adapter.

:class:`~adapters.environment.client.EnvironmentClient` is the one entry
point: the point registry with permit limits (REST) and the HJ 212-2017
receiver the data acquisition units connect to (TCP). Frames are parsed by
:mod:`adapters.environment.hj212`; refused frames raise its
:class:`~adapters.environment.hj212.FrameError` tree (all ``BadData``), are
counted by reason and never stop the stream. Other failures leave as the tree
of :mod:`adapters.errors`.
"""

from __future__ import annotations

from adapters.environment.client import EnvironmentClient

SYSTEM = "environment"

__all__ = ["SYSTEM", "EnvironmentClient"]
