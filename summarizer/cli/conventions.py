"""One help style for every command, applied once to the whole command tree.

Typer's defaults print ``Usage: summarizer summarize [OPTIONS] {input_path}`` and a type column with
``<bool>`` for flags and ``<str>`` for text. People expect ``INPUT`` in usage lines, flags without a
type, and a word saying what a value is. ``apply_conventions`` sets command classes on every
registered command and group (including ones registered by other modules), and those classes tidy
their parameters when Click asks for them:

* an argument without a metavar shows as its name in capitals (``input_path`` -> ``INPUT``, with a
  ``_path`` suffix dropped), and the usage line shows it bare (``[INPUT]`` when optional);
* a flag (``--quiet``, ``--few-shot/--no-few-shot``, ``--help``) shows no type;
* an option typed ``str`` without a metavar shows ``TEXT`` (choices still show as ``a|b|c``).

The same pass gives every ``float`` option one rule: ``nan`` and ``inf`` are usage errors (exit 2)
saying so, checked before the option's bounds (``nan`` fails every bound with a misleading
message, ``inf`` passes a lower one and would switch a limit off).
"""

from __future__ import annotations

import math
from typing import Any

import typer
from typer import _click as click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class _TextArgument(TyperArgument):
    """An argument whose value is free text: its name says what it is, no ``<str>`` beside it."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None


class _FiniteFloatOption(TyperOption):
    """A ``float`` option that refuses ``nan`` and infinities by name, whatever its bounds."""

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                pass  # not a number at all: the option's own message says so
            else:
                if not math.isfinite(number):
                    raise typer.BadParameter(
                        f"{value.strip()!r} is not a finite number", ctx=ctx, param=self
                    )
        return super().process_value(ctx, value)


def _tidy(params: list[Any], ctx: click.Context) -> None:
    for param in params:
        if type(param) is TyperOption and param.type_descriptor.annotation is float:
            param.__class__ = _FiniteFloatOption
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                name = param.name or "value"
                param.metavar = (name.removesuffix("_path") or name).upper()
            if type(param) is TyperArgument and param.display_type(ctx) == "<str>":
                param.__class__ = _TextArgument
        elif isinstance(param, TyperOption) and param.metavar is None:
            if param.is_flag or param.count:
                param.metavar = ""
            else:
                shown = param.display_type(ctx)
                if shown in ("<str>", "<list[str]>"):
                    param.metavar = "TEXT"


def _usage_pieces(command: click.Command, ctx: click.Context) -> list[str]:
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            name = param.metavar or (param.name or "").upper()
            name = name if param.required else f"[{name}]"
            pieces.append(name + ("..." if param.nargs != 1 else ""))
        else:
            pieces.extend(param.get_usage_pieces(ctx))
    return pieces


class ConventionalCommand(TyperCommand):
    """A Typer command with the project's help conventions (see the module docstring)."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        _tidy(params, ctx)
        return params

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_pieces(self, ctx)


class ConventionalGroup(TyperGroup):
    """A Typer group with the project's help conventions (see the module docstring)."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        _tidy(params, ctx)
        return params

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*_usage_pieces(self, ctx), self.subcommand_metavar]


def apply_conventions(app: typer.Typer) -> None:
    """Give ``app``, its commands and all its sub-groups the conventional classes."""
    if app.info.cls in (None, TyperGroup) or not isinstance(app.info.cls, type):
        app.info.cls = ConventionalGroup
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):
            command.cls = ConventionalCommand
    for group in app.registered_groups:
        if group.cls in (None, TyperGroup) or not isinstance(group.cls, type):
            group.cls = ConventionalGroup
        if group.typer_instance is not None:
            apply_conventions(group.typer_instance)
