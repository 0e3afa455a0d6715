"""The model options: declared once (``ModelOptions``), offered alike by every command that calls a
model, and handed to the command as one value."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click.core import Command, Context
from typer.core import TyperOption
from typer.main import get_command
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.cli.common import (
    DEFAULT_MODEL_OPTIONS,
    ENDPOINT_FIELDS,
    ModelOptions,
    takes_model_options,
)
from summarizer.cli.conventions import apply_conventions
from summarizer.cli.eval import MATRIX_AXES
from summarizer.testing import Reply, ScriptedOpenAIServer, answering

runner = CliRunner()

#: One valid command-line value per field, and what the command must receive for it.
GIVEN: dict[str, tuple[list[str], Any]] = {
    "model": (["--model", "m1"], "m1"),
    "base_url": (["--base-url", "http://127.0.0.1:9/v1"], "http://127.0.0.1:9/v1"),
    "capability": (["--capability", "json_object"], "json_object"),
    "prompt_version": (["--prompt-version", "v1"], "v1"),
    "max_reasks": (["--max-reasks", "1"], 1),
    "deadline": (["--timeout", "2.5"], 2.5),
    "request_timeout": (["--request-timeout", "9.5"], 9.5),
    "temperature": (["--temperature", "0.7"], 0.7),
    "few_shot": (["--no-few-shot"], False),
    "server": (["--server", "vllm"], "vllm"),
    "server_slots": (["--server-slots", "3"], 3),
    "context_window": (["--context-window", "4096"], 4096),
    "chunk_chars": (["--chunk-chars", "500"], 500),
    "max_output_tokens": (["--max-output-tokens", "77"], 77),
    "max_input_chars": (["--max-input-chars", "1000"], 1000),
    "chunk_prompt_version": (["--chunk-prompt-version", "v1"], "v1"),
    "max_concurrent_calls": (["--max-concurrent-calls", "2"], 2),
    "max_transport_attempts": (["--max-transport-attempts", "3"], 3),
    "extra_body": (["--extra-body", '{"top_k": 20}'], {"top_k": 20}),
}
FIELDS = [field.name for field in dataclasses.fields(ModelOptions)]

#: Commands with a ``--model`` that summarize nothing themselves: they only address the endpoint
#: (Batch API steps) or filter the call log by it (``logs`` runs ``logs show`` when no
#: sub-command is given).
NOT_SUMMARIZING = {
    ("batch-api", "submit"),
    ("batch-api", "status"),
    ("logs",),
    ("logs", "show"),
}
#: The commands that call a model, and the shared options each leaves to itself (the matrix takes
#: ``--model`` and its other axes as repeatable options); the tree walk must find at least these.
KNOWN: dict[tuple[str, ...], tuple[str, ...]] = {
    ("summarize",): (),
    ("batch",): (),
    ("batch-api", "export"): (),
    ("batch-api", "ingest"): (),
    ("eval", "run"): (),
    ("eval", "matrix"): MATRIX_AXES,
    ("serve",): (),
    ("worker",): (),
}


def _all_args(names: list[str]) -> list[str]:
    return [arg for name in names for arg in GIVEN[name][0]]


def _commands() -> dict[tuple[str, ...], Command]:
    found: dict[tuple[str, ...], Command] = {}

    def walk(command: Command, path: tuple[str, ...]) -> None:
        found[path] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(get_command(app), ())
    return found


def _options(command: Command) -> dict[str, tuple[object, ...]]:
    """Each option by name, as a user meets it: its names, default, panel and help line."""
    context = Context(command)
    return {
        param.name: (
            param.opts,
            param.secondary_opts,
            param.default,
            param.rich_help_panel,
            param.get_help_record(context),
        )
        for param in command.get_params(context)
        if isinstance(param, TyperOption) and param.name is not None
    }


def _reference() -> dict[str, tuple[object, ...]]:
    """The options exactly as the shared definition declares them."""
    probe = typer.Typer()

    @probe.command()
    @takes_model_options()
    def reference(options: ModelOptions = DEFAULT_MODEL_OPTIONS) -> None:
        del options

    @probe.command()
    def other() -> None:  # two commands: a group, so that the reference is a named command
        pass

    apply_conventions(probe)  # the tidying every real command gets
    return _options(get_command(probe).commands["reference"])  # type: ignore[attr-defined]


def test_the_table_of_values_covers_every_field() -> None:
    assert sorted(GIVEN) == sorted(FIELDS)
    assert set(ENDPOINT_FIELDS) < set(FIELDS)
    assert set(MATRIX_AXES) < set(FIELDS)


def test_every_model_taking_command_offers_every_shared_option_as_declared() -> None:
    reference = _reference()
    assert set(reference) == {*FIELDS, "help"}
    taking = {
        path: command
        for path, command in _commands().items()
        if {"model", "base_url"} & set(_options(command)) and path not in NOT_SUMMARIZING
    }
    assert set(KNOWN) <= set(taking), set(KNOWN) - set(taking)
    for path, command in taking.items():
        options = _options(command)
        for name in FIELDS:
            if name in KNOWN.get(path, ()):
                assert options.get(name) != reference[name], (path, name)  # the command's own
                continue
            assert name in options, (path, name)
            assert options[name] == reference[name], (path, name)


@pytest.mark.parametrize("path", sorted(KNOWN), ids=" ".join)
def test_every_model_taking_command_parses_every_shared_option(path: tuple[str, ...]) -> None:
    """Parse only (the command does not run): a real command line with every option given."""
    command = _commands()[path]
    names = [name for name in FIELDS if name not in KNOWN[path]]
    required = {
        ("batch",): ["IN", "-o", "OUT"],
        ("batch-api", "export"): ["IN", "-o", "OUT"],
        ("batch-api", "ingest"): ["IN", "-o", "OUT"],
        ("summarize",): ["IN"],
        ("eval", "run"): ["--set", "seed", "--out", "OUT"],
        ("eval", "matrix"): ["--out", "OUT"],
        ("worker",): ["--store", "postgresql://db", "--queue", "redis://q"],
    }.get(path, [])
    with command.make_context(" ".join(path), [*required, *_all_args(names)]) as context:
        for name in names:
            assert context.params[name] == GIVEN[name][1], (path, name)


def _recording_app(received: list[ModelOptions], *, omit: tuple[str, ...] = ()) -> typer.Typer:
    probe = typer.Typer()

    @probe.command()
    @takes_model_options(omit=omit)
    def record(
        first: str,
        options: ModelOptions = DEFAULT_MODEL_OPTIONS,
        last: int = 0,
    ) -> None:
        received.append(options)
        typer.echo(f"{first} {last}")

    return probe


def test_the_options_reach_the_command_as_one_value() -> None:
    received: list[ModelOptions] = []
    probe = _recording_app(received)
    result = runner.invoke(probe, ["x", *_all_args(FIELDS), "--last", "3"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "x 3\n"  # the command's own parameters are untouched
    assert received == [ModelOptions(**{name: GIVEN[name][1] for name in FIELDS})]
    assert received[0].engine_options() == {
        name: GIVEN[name][1] for name in FIELDS if name not in (*ENDPOINT_FIELDS, "max_input_chars")
    }


def test_options_not_given_are_none_and_not_passed_to_the_engine() -> None:
    received: list[ModelOptions] = []
    result = runner.invoke(_recording_app(received), ["x"])
    assert result.exit_code == 0, result.output
    assert received == [DEFAULT_MODEL_OPTIONS]
    assert received[0].engine_options() == {}


def test_omitted_options_are_left_to_the_command() -> None:
    received: list[ModelOptions] = []
    probe = _recording_app(received, omit=("chunk_chars", "model"))
    result = runner.invoke(probe, ["x", "--max-reasks", "0"])
    assert result.exit_code == 0, result.output
    assert received == [ModelOptions(max_reasks=0)]
    for name in ("chunk_chars", "model"):
        result = runner.invoke(probe, ["x", *GIVEN[name][0]])
        assert result.exit_code == 2
        assert "No such option" in result.output
    with pytest.raises(TypeError, match="not ModelOptions fields: chunk_size"):
        takes_model_options(omit=("chunk_size",))


def test_a_command_without_the_options_parameter_is_a_programming_error() -> None:
    def no_options(first: str) -> None:
        del first

    with pytest.raises(TypeError, match="options: ModelOptions"):
        takes_model_options()(no_options)


def test_export_writes_requests_with_the_options_given(tmp_path: Path) -> None:
    """End to end, no server needed: the Batch API requests carry what the options said."""
    source = tmp_path / "in.jsonl"
    short = "北京市今天召开会议，讨论城市交通问题。与会者认为应当加快地铁建设。"
    records = [{"id": "short", "text": short}, {"id": "long", "text": "上海" * 200}]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    out = tmp_path / "requests.jsonl"
    given = _all_args(["model", "base_url", "capability", "max_output_tokens"])
    command = ["batch-api", "export", str(source), "-o", str(out), *given]
    result = runner.invoke(app, [*command, "--max-input-chars", "100"])
    assert result.exit_code == 1, result.output  # the long article is refused, not sent
    assert "more than max_input_chars=100" in result.stderr
    [line] = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    assert line["custom_id"] == "short"
    assert line["body"]["model"] == "m1"
    assert line["body"]["max_tokens"] == 77
    assert line["body"]["response_format"]["type"] == "json_object"


def test_temperature_and_request_timeout_reach_the_model_calls(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    """A model that answers after 10 s: with --request-timeout 0.5 each request is cut and tried
    again within the article's deadline; without it one request waits out the deadline."""
    answer = answering()
    openai_server.set_handler(lambda request: Reply.delay(10, answer(request)))
    article = tmp_path / "a.txt"
    article.write_text("北京市今天召开会议，讨论城市交通问题。与会者认为应当加快地铁建设。")
    base = ["summarize", str(article), "--engine", "openai", "--model", "m"]
    # Cut at 0.5 s, the retry starts after 1 to 1.5 s (backoff and jitter): a deadline of 4 s
    # leaves a loaded machine 2.5 s to send it.
    base += ["--base-url", openai_server.base_url, "--deadline", "4"]
    sent: list[list[object]] = []
    for extra in (["--temperature", "0.7", "--request-timeout", "0.5"], []):
        result = runner.invoke(app, [*base, *extra], env={"OPENAI_API_KEY": "sk-test"})
        assert result.exit_code == 4, result.output  # the deadline passed: a transport error
        sent.append([request.json.get("temperature") for request in openai_server.chat_requests])
        openai_server.reset()
        openai_server.set_handler(lambda request: Reply.delay(10, answer(request)))
    cut, waited = sent
    assert len(cut) >= 2 and set(cut) == {0.7}, cut
    assert waited == [0.0]
