"""How the project fetches and starts a real Neo4j server (see server.py)."""
