"""The ``ordergraph`` command: the graph's second face, beside the web app.

Every command prints text for people, or JSON with ``--json``. Examples::

    ordergraph affects 1810.HK --as-of 2021-02-01
    ordergraph affects NYSE:CHL --as-of 2021-02-01 --json
    ordergraph search Luokong
    ordergraph path ORG:tencent EO:14034
    ordergraph --data tests/fixtures/mini stats     # --data goes before or after the command
    ordergraph export --format graphml out/graph.graphml

The modules, each with one job:

- ``group``: the ``ordergraph`` group, and every failure turned into a message and an exit status;
- ``session``: what one run shares (:class:`~cli.session.Session`) and what a command answers
  (:class:`~cli.session.Answer`);
- ``options``: the shared options, the parameter types and ``@answers``, the output decorator;
- ``render``: the text each answer prints for people;
- the commands: ``restrictions`` (affects, reaches, screen), ``explore`` (search, show, timeline,
  neighbours, path, stats, cite, changes, tour), ``publish`` (audit, export), ``workspace`` (load,
  sources, unload, resolve), ``neo4j`` (neo4j start/stop/status/sync, cypher);
- ``progress``, ``errors``: progress on stderr; the command's own errors and exit statuses.

Adding a command takes a graph-level function (in ``graph/``), a renderer in ``render`` and a few
lines in the commands' module::

    @cli.command()
    @click.argument("order")
    @as_of_option
    @answers
    def reaches(session: Session, order: str, as_of: date | None) -> Answer:
        \"\"\"Every security an order reaches on a day.

        \\b
        Example:
          ordergraph reaches EO:14032 --as-of 2021-09-01
        \"\"\"
        from graph.reaches import reaches  # imported here: start-up stays fast

        found = reaches(session.store, session.resolve(order), session.day(as_of))
        return Answer(found, render.reaches(found))

``@answers`` (always the decorator nearest the function) is the one output
decorator: it adds ``--json`` and ``--data``, hands the function the
:class:`~cli.session.Session` (the store, loaded once, and how to resolve what the user
typed), prints the :class:`~cli.session.Answer` as text or JSON, and turns an
``OrdergraphError`` into exit status 2 with a message (a JSON object on
stderr under ``--json``). Tests pass a Session holding already-loaded stores
as click's ``obj`` (``CliRunner().invoke(cli, args, obj=Session(...))``).

Importing the package defines the commands and nothing more: every module imports only click and
the command's own modules at the top; the graph, the loaders and the Neo4j driver are imported
inside the commands that use them, so ``ordergraph --help`` stays fast.
"""

from cli import explore, neo4j, publish, restrictions, workspace
from cli.group import cli

__all__ = ["cli", "explore", "neo4j", "publish", "restrictions", "workspace"]
