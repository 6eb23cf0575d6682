"""The logistics subgraph: shipments (运单) from the logistics information platform.

Extends the registry's ``Enterprise`` (``shipments``) and ``Park``
(``logisticsStats``), owns ``Shipment @key(fields: "waybillNo")``, and books
shipments idempotently. ``Shipment.consignee`` provides the consignee's
``name`` (``@provides``): the platform stores it on every waybill, so the
gateway needs no registry call to print it.
"""
