"""Adapter for the talent and skilled-worker demand database (人才); see :class:`TalentClient`."""

from __future__ import annotations

from adapters.talent.client import TalentClient
from adapters.talent.models import (
    DemandFilter,
    DemandStatus,
    EducationLevel,
    JobDemand,
    NewJobDemand,
    Occupation,
    TalentTotals,
)

__all__ = [
    "DemandFilter",
    "DemandStatus",
    "EducationLevel",
    "JobDemand",
    "NewJobDemand",
    "Occupation",
    "TalentClient",
    "TalentTotals",
]
