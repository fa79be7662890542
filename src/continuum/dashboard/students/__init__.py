"""Student-level calculators: Dashboard status, change and colour from a district's records."""
