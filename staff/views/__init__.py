"""The staff app's pages, one module per feature (templates in templates/staff/<feature>/).

The core's own pages (sign-in, /healthz, error pages) are `staff.core.views`.
"""
