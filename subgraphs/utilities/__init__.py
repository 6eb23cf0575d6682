"""The utilities subgraph (能源计量): meters, energy use and energy intensity of enterprises, parks and cities.

It extends the registry's ``Enterprise`` (meters, energy use, and energy
intensity, which ``@requires`` the registry's ``annualOutput``), ``Park`` and
``City`` (energy-use totals for the 省—市—开发区 management view), over the
metering platform's daily CSV drops and live feed (``adapters.utilities``).
"""
