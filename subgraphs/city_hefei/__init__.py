"""Hefei's own subgraph (合肥市招商引资): investment projects, run by Hefei's city data centre.

An example of a city federating its own system into the provincial graph
through the schema registry. It keeps to the city namespace of
``gateway.registry.namespace``: subgraph ``city_340100_investment``, types
``C340100_*``, root fields and fields on the province's ``Enterprise``
prefixed ``c340100_``. It wraps Hefei's investment-promotion system through
``adapters.hefei_investment``.
"""

from subgraphs.city_hefei.app import SUBGRAPH_NAME, create_app

__all__ = ["SUBGRAPH_NAME", "create_app"]
