"""Mock of the market-regulation enterprise and park registry (市场监管企业登记系统)."""
