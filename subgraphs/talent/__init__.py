"""The talent subgraph: job demands (用工需求) from the talent database on ``Enterprise``, ``Park`` and ``City``."""
