"""Loaders: each source format to model objects."""
