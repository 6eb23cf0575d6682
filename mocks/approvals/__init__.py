"""Mock of the one-stop online approval platform (行政审批): REST with pinyin field names."""
