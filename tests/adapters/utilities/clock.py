"""A fixed "now" for the utilities tests, so that every run sees the same files and the same live readings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mocks.utilities.app import CST

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 30, tzinfo=CST)
DAYS = [TODAY - timedelta(days=n) for n in range(1, 8)]  # the week of drops up to yesterday
