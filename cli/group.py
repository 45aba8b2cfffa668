"""The ``ordergraph`` group: its options, and every failure turned into a message and an exit status."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from cli.errors import EXIT_INTERRUPTED, EXIT_USAGE, CompanyWithListings, WriteError, unknown_message
from cli.options import set_backend, set_data
from cli.session import Session
from graph.errors import OrdergraphError
from graph.store.backends import BACKEND_ENV, BACKENDS


def _error_json(kind: str, message: str, suggestions: Sequence[str] = ()) -> str:
    error = {"error": kind, "message": message, "suggestions": list(suggestions)}
    return json.dumps(error, ensure_ascii=False)


# Other names people type for a command (the library's plural, American spelling): the same command,
# not listed twice in --help.
_ALIASES = {"paths": "path", "neighbors": "neighbours"}


class OrdergraphGroup(click.Group):
    """The ``ordergraph`` group: every failure becomes a message and an exit status, never a traceback."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, _ALIASES.get(cmd_name, cmd_name))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        session = extra.pop("obj", None) or Session()
        code = self._run(argv, prog_name or "ordergraph", complete_var, session, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self, argv: list[str], prog_name: str, complete_var: str | None, session: Session, **extra: Any
    ) -> int:
        from graph.errors import AmbiguousEntity, LoadError, LoadErrors, UnknownEntity

        wants_json = session.json or "--json" in argv
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, obj=session, **extra)
        except click.exceptions.Abort as exc:  # Ctrl-C: click has already ended the ^C line
            return EXIT_INTERRUPTED if isinstance(exc.__cause__, KeyboardInterrupt) else 1
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except click.ClickException as exc:
            if wants_json or session.json:
                suggestions = sorted(getattr(exc, "possibilities", None) or [])
                click.echo(_error_json("usage", exc.format_message(), suggestions), err=True)
            else:
                exc.show()
            return exc.exit_code
        except LoadErrors as exc:
            self._report(session, "load_error", [str(e) for e in exc.errors])
            return EXIT_USAGE
        except LoadError as exc:
            self._report(session, "load_error", [str(exc)])
            return EXIT_USAGE
        except WriteError as exc:
            self._report(session, "write_error", [str(exc)])
            return EXIT_USAGE
        except UnknownEntity as exc:
            self._report(session, "unknown_entity", [unknown_message(exc)], exc.suggestions)
            return EXIT_USAGE
        except AmbiguousEntity as exc:
            self._report(session, "ambiguous_entity", [str(exc)], exc.candidates)
            return EXIT_USAGE
        except CompanyWithListings as exc:
            self._report(session, "company_not_security", [str(exc)], exc.suggestions)
            return EXIT_USAGE
        except OrdergraphError as exc:
            self._report(session, "error", [str(exc)])
            return EXIT_USAGE
        return result if isinstance(result, int) else 0

    @staticmethod
    def _report(session: Session, kind: str, messages: list[str], suggestions: Sequence[str] = ()) -> None:
        if session.json:
            click.echo(_error_json(kind, "\n".join(messages), suggestions), err=True)
        else:
            for message in messages:
                click.echo(f"error: {message}", err=True)


@click.group(cls=OrdergraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    metavar="DIR",
    expose_value=False,
    callback=set_data,
    help="Curated data folder (default: $ORDERGRAPH_DATA, else the project's data/).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    expose_value=False,
    callback=set_backend,
    help=f"Where queries read the graph: embedded (workspace or data folder) or neo4j (${BACKEND_ENV}).",
)
def cli() -> None:
    """Explore government actions against companies: who was listed, under which
    order, from when, and which court or exchange acted. Every answer carries its
    sources; every command takes --json.

    \b
    Examples:
      ordergraph affects 1810.HK --as-of 2021-02-01
      ordergraph search "Grand China Aie"
      ordergraph show ORG:xiaomi --json
      ordergraph path ORG:tencent EO:14034
      ordergraph --data tests/fixtures/mini stats
    """
