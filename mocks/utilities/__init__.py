"""The energy-metering platform (能源计量): daily CSV drops into a folder plus a live feed of meter registers."""
