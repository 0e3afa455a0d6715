"""``summarizer logs``: list, filter and show the model calls in the call log (``calllog``)."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from summarizer import calllog
from summarizer.cli.common import handle_errors
from summarizer.errors import InputError


class CallStatus(StrEnum):
    """What ``--status`` takes: the statuses the log stores (``error`` also finds ``invalid``)."""

    ok = "ok"
    error = "error"
    invalid = calllog.INVALID_STATUS


PathOption = Annotated[
    Path | None,
    typer.Option(
        "--path",
        metavar="FILE",
        help="Call log database (default: --log-path, $SUMMARIZER_LOG_PATH, the user data dir).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of text.")]

_RELATIVE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str) -> datetime:
    """``30m``, ``2h``, ``7d``, ``1w`` ago, or an ISO date/time (UTC unless it says otherwise)."""
    relative = _RELATIVE.match(text.strip().lower())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        return datetime.now(UTC) - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"--since {text!r}: give an ISO date or time (2026-01-31, 2026-01-31T12:00) "
            "or an age such as 30m, 2h, 7d"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


logs_app = typer.Typer(
    help="The model calls logged so far: list, filter, show (`summarizer logs show ID`).",
    invoke_without_command=True,
)


@logs_app.callback()
@handle_errors
def list_command(
    ctx: typer.Context,
    count: Annotated[
        int, typer.Option("--count", "-n", min=0, help="Newest N calls (0: all).")
    ] = 20,
    model: Annotated[
        str | None, typer.Option("--model", "-m", metavar="NAME", help="Only this model.")
    ] = None,
    status: Annotated[
        CallStatus | None,
        typer.Option(help="Only calls that ended like this (error: invalid answers too)."),
    ] = None,
    error_kind: Annotated[
        str | None,
        typer.Option(metavar="KIND", help="Only this error kind (e.g. transport, model_output)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="Only calls since: 2h, 7d, or an ISO date/time."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-q", metavar="TEXT", help="Only calls whose prompt or answer has TEXT."
        ),
    ] = None,
    as_json: JsonOption = False,
    path: PathOption = None,
) -> None:
    """List logged model calls, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    query = calllog.CallQuery(
        model=model,
        status=status.value if status else None,
        error_kind=error_kind,
        since=parse_since(since) if since else None,
        search=search,
        limit=count or None,
    )
    with calllog.CallLog(path) as log:
        calls = log.calls(query)
    if as_json:
        sys.stdout.write(json.dumps(calls, ensure_ascii=False, indent=2) + "\n")
        return
    if not calls:
        sys.stderr.write("summarizer: no calls match\n")
        return
    for call in calls:
        sys.stdout.write(summary_line(call) + "\n")


def summary_line(call: dict[str, Any]) -> str:
    """One line per call: id, time, status, model, prompt, tokens, latency, first words."""
    outcome = call["status"] if call["status"] == "ok" else f"{call['status']} {call['error_kind']}"
    prompt = (
        f" {call['prompt_template']}@{call['prompt_version']}" if call["prompt_template"] else ""
    )
    answer = call["answer"] or call["error_message"] or ""
    preview = " ".join(answer.split())[:60]
    return (
        f"{call['id']}  {call['started_at'][:19].replace('T', ' ')}  {outcome}  "
        f"{call['model']}{prompt}  {call['total_tokens']} tok  {call['latency_ms']:.0f} ms  "
        f"{preview}"
    )


@logs_app.command("show")
@handle_errors
def show_command(
    call_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A call id, a unique prefix of one, or 'last' for the newest call."
        ),
    ],
    as_json: JsonOption = False,
    path: PathOption = None,
) -> None:
    """Show one call: settings, every message sent, the raw answer or the error."""
    with calllog.CallLog(path) as log:
        call = log.get(call_id)
    if as_json:
        sys.stdout.write(json.dumps(call, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write(describe_call(call))


def describe_call(call: dict[str, Any]) -> str:
    """A call as plain text, in the order one reads it: what, then prompt, then answer."""
    lines = [
        f"call {call['id']}",
        f"  started:   {call['started_at']}",
        f"  status:    {call['status']}"
        + (f" ({call['error_kind']})" if call["error_kind"] else ""),
        f"  model:     {call['model']}"
        + (
            f" (served as {call['served_model']})"
            if call["served_model"] and call["served_model"] != call["model"]
            else ""
        )
        + f" at {call['endpoint_host']}",
        f"  prompt:    {call['prompt_template']}@{call['prompt_version']} "
        f"({call['schema_name']}, {call['capability']})",
        f"  usage:     {call['prompt_tokens']} prompt + {call['completion_tokens']} completion "
        f"tokens, {call['latency_ms']:.0f} ms, {len(call['attempts'] or [])} attempt(s)",
        f"  request:   {json.dumps(call['request'], sort_keys=True)}",
        f"  options:   {json.dumps(call['options'], sort_keys=True)}",
        "",
    ]
    for message in call["messages"] or []:
        lines += [f"--- {message.get('role', '?')} ---", str(message.get("content", "")), ""]
    if call["status"] == "ok":
        lines += ["--- answer ---", call["answer"] or "", ""]
    else:
        lines += ["--- error ---", call["error_message"] or "", ""]
    return "\n".join(lines)


@logs_app.command("path")
@handle_errors
def path_command() -> None:
    """Print where calls are logged (and whether logging is on)."""
    sys.stdout.write(f"{calllog.log_path()}\n")
    if not calllog.log_enabled():
        sys.stderr.write(f"summarizer: the call log is off ({calllog.ENV_SWITCH}=0)\n")


def register(app: typer.Typer) -> None:
    app.add_typer(logs_app, name="logs")
