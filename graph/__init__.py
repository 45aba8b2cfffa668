"""ordergraph's domain: model, stores and queries (no UI, no file formats)."""
