"""The staff app's reads, one module per feature (and `core`: the people and halls a user
may see)."""
