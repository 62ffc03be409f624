"""Unit operations: each module maps inlet streams + parameters to outlet streams and a design
record."""
