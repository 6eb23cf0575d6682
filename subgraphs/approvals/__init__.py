"""The approvals subgraph: approval cases (办件) of the one-stop platform on ``Enterprise`` and ``Park``."""
