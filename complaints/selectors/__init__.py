"""Reads and per-user scoping of the complaints app, one module per feature: tickets, sla."""
