"""Adapter for the logistics information platform (物流信息平台): cursor paging, rate limits, bookings.

:class:`~adapters.logistics.client.LogisticsClient` speaks the platform's REST
API and answers :mod:`adapters.logistics.models` objects; it raises only the
:mod:`adapters.errors` tree.
"""
