"""The social security subgraph: insured units, contributions and insured persons from the 社保 SOAP service.

Extends the registry's ``Enterprise`` (``socialSecurity``) and ``Park``
(``insuredHeadcount``), and owns ``Person @key(fields: "id")``, whose ``id``
is a keyed hash of the resident ID number (never the number itself); the
number and the name are personal data, masked by the request's
``Disclosure`` unless the caller may see them.
"""
