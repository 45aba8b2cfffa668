"""Which store a face reads the graph from: the names both faces accept and the variable that picks one.

>>> BACKENDS
('embedded', 'neo4j')
"""

from __future__ import annotations

BACKEND_ENV = "ORDERGRAPH_BACKEND"
BACKENDS = ("embedded", "neo4j")
EMBEDDED = BACKENDS[0]
