"""Every read of billing, one module per feature, each starting from what the user may see
(staff.core.access; `scope.scoped` for the rows of a hall or a cashier)."""
