"""The mock logistics information platform (物流信息平台)."""
