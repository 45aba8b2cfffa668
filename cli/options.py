"""What every command takes: the shared options (--json, --data, --backend), the parameter types
(a day, a name, a positive number, a JSON value) and :func:`answers`, the one output decorator."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from cli.session import Answer, Session
from graph.store.backends import BACKEND_ENV, BACKENDS


def _session() -> Session:
    return click.get_current_context().ensure_object(Session)


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Session).json = True


def set_data(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    if not value.strip():
        raise click.BadParameter("empty path; give a curated data folder such as data/")
    ctx.ensure_object(Session).data = value


def set_backend(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Session).backend = value


backend_option = click.Option(
    ["--backend"],
    type=click.Choice(BACKENDS),
    expose_value=False,
    callback=set_backend,
    help=f"Where queries read the graph: embedded (workspace or data folder) or neo4j (${BACKEND_ENV}).",
)
json_option = click.Option(
    ["--json"], is_flag=True, is_eager=True, expose_value=False, callback=_set_json, help="Print JSON."
)
data_option = click.Option(
    ["--data"],
    metavar="DIR",
    expose_value=False,
    callback=set_data,
    help="Curated data folder (default: $ORDERGRAPH_DATA, else the project's data/).",
)


def answers(func: Callable[..., Answer]) -> Callable[..., None]:
    """The output decorator: ``--json`` and ``--data`` on a command that returns an Answer."""

    @functools.wraps(func)
    def command(**params: Any) -> None:
        session = _session()
        session.emit(func(session, **params))

    # Click reverses the parameters decorators collect: put these first so they list last in --help.
    command.__click_params__ = [json_option, data_option, backend_option]  # type: ignore[attr-defined]
    return command


if TYPE_CHECKING:  # generic in newer click only
    _ParamType = click.ParamType[Any]
else:
    _ParamType = click.ParamType


class Day(_ParamType):
    """A full day, ``YYYY-MM-DD``, meaning the end of that day."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from graph.model import parse_day

        try:
            return parse_day(str(value).strip())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Positive(_ParamType):
    """A whole number of at least 1."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if number < 1:
            self.fail(f"{number} is less than 1", param, ctx)
        return number


MAX_NAME = 300  # the longest name or alias in the curated data is 137 characters


class Name(_ParamType):
    """What a user types to name an entity: a name, alias, ticker or id; not empty, not absurdly long."""

    name = "NAME"

    def __init__(self, wanted: str = "a name, alias, ticker or id (e.g. Xiaomi, 1810.HK, EO:13959)") -> None:
        self.wanted = wanted

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not text.strip():
            self.fail(f"empty; give {self.wanted}", param, ctx)
        if len(text) > MAX_NAME:
            self.fail(f"{len(text):,} characters is too long for a name (at most {MAX_NAME})", param, ctx)
        return text


as_of_option = click.option(
    "--as-of",
    "--on",
    "as_of",
    type=Day(),
    help="The day to answer for (the end of that day), e.g. 2021-02-01; `--on` says the same.",
)


class JsonValue(_ParamType):
    """A JSON value: a number, true/false, null, a list, an object, or a quoted string."""

    name = "JSON"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as exc:
            self.fail(f"{value!r} is not JSON ({exc}); text goes in --param", param, ctx)
