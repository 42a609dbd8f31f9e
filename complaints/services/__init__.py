"""Every write of the complaints app, one module per feature: tickets, sla."""
