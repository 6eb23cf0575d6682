"""The registry subgraph: owns Province, City, Park and Enterprise, and the single-window root field."""
