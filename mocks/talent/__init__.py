"""Mock of the talent and skilled-worker demand database (人才): no API, only legacy tables.

``python -m mocks.talent --database-url URL`` creates and seeds the tables
(:mod:`mocks.talent.database`); :mod:`mocks.talent.faults` lets tests slow
down or break the database at the engine level.
"""
