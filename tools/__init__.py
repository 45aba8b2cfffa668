"""Developer tools that are not part of the graph engine."""
