"""The billing pages, one module per feature (templates in templates/billing/<feature>/)."""
