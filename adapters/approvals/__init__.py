"""Adapter for the one-stop online approval platform (行政审批); see :class:`ApprovalsClient`."""

from __future__ import annotations

from adapters.approvals.client import ApprovalsClient
from adapters.approvals.models import ApprovalCase, ApprovalStatus, NewApplication, ParkApprovalStats

__all__ = ["ApprovalCase", "ApprovalStatus", "ApprovalsClient", "NewApplication", "ParkApprovalStats"]
