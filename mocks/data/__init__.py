"""The seeded data every mock legacy system serves (see province.py)."""
