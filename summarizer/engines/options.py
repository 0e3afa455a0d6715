"""Engine options: each engine class carries an ``Options`` model that checks what callers pass.

``get_engine(engine, **options)`` validates ``options`` against the chosen engine's ``Options``
(``extra="forbid"``), so a typo such as ``max_reask`` is a ``ConfigError`` that lists the valid
names, whether or not an endpoint is configured. The endpoint itself (model, base URL, key) is
``summarizer.config.ModelConfig``'s job; the model engine's options include the transport settings
ModelConfig carries for its client, derived from ModelConfig's own fields so that names and types
are written once.

The offline engine accepts the same names and ignores them: one command line (``--max-reasks 1``)
then works with either engine, as ``--engine auto`` needs when no endpoint is configured, while a
misspelt name is still an error.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    create_model,
)

from summarizer.config import ModelConfig
from summarizer.errors import ConfigError


class EngineOptions(BaseModel):
    """Base of every engine's ``Options``: unknown names are errors, values are checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The engine these options belong to, for messages.
    engine_name: ClassVar[str] = "engine"

    @classmethod
    def names(cls) -> list[str]:
        return sorted(cls.model_fields)

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> Self:
        """``options`` checked; a ``ConfigError`` naming the valid options when they are wrong."""
        try:
            return cls(**options)
        except ValidationError as error:
            raise ConfigError(cls._describe(error)) from None

    @classmethod
    def _describe(cls, error: ValidationError) -> str:
        unknown = sorted(
            str(problem["loc"][0])
            for problem in error.errors()
            if problem["type"] == "extra_forbidden"
        )
        invalid = [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
            if problem["type"] != "extra_forbidden"
        ]
        parts = []
        if unknown:
            parts.append(f"unknown option(s) {', '.join(unknown)} for the {cls.engine_name} engine")
        if invalid:
            parts.append(
                f"invalid option(s) for the {cls.engine_name} engine: {'; '.join(invalid)}"
            )
        return f"{'; '.join(parts)}; valid options: {', '.join(cls.names())}"

    def given(self) -> dict[str, Any]:
        """Only the options the caller set (the rest keep the engine's defaults)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


#: ``ModelConfig`` fields that name the endpoint rather than tune the engine.
ENDPOINT_FIELDS = frozenset({"model", "base_url", "api_key"})


#: The years ``year_hint`` accepts (four digits, as ``date_iso`` writes them).
MIN_YEAR_HINT, MAX_YEAR_HINT = 1000, 9999


class _ModelOptionsBase(EngineOptions):
    """The model engine's own options (the rest come from ``ModelConfig``)."""

    engine_name: ClassVar[str] = "openai"

    #: Version of the ``summarize`` prompt ("latest" or e.g. "v1").
    prompt_version: str = "latest"
    chunk_prompt_version: str = "latest"
    #: Include the template's worked examples (default: what the template says). Strict: a
    #: string such as "yes" is refused rather than read as true.
    few_shot: StrictBool | None = None
    max_concurrent_calls: int = Field(default=4, ge=1)
    #: The publication year, for dates written without one (12月13日, 明年); None: inferred from
    #: the text where it can be (``summarizer.text.analysis.dates``).
    year_hint: StrictInt | None = Field(default=None, ge=MIN_YEAR_HINT, le=MAX_YEAR_HINT)

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> Self:
        """Checked as for every engine, and the values too, whichever engine runs.

        The tuning values go through ``ModelConfig``'s own checks and the prompt versions must
        exist, so that ``max_reasks=-1`` or ``prompt_version="v9"`` is the same ``ConfigError``
        with a model, without one, and with the offline engine.
        """
        checked = super().parse(options)
        given = checked.given()
        tuning = {name: value for name, value in given.items() if name not in ENGINE_ONLY_OPTIONS}
        if tuning:
            ModelConfig(model="options-check", **tuning)
        from summarizer.engines.prompts import load_template

        if "prompt_version" in given:
            load_template("summarize", checked.prompt_version)
        if "chunk_prompt_version" in given:
            load_template("translate_chunk", checked.chunk_prompt_version)
        return checked


#: Options the engine keeps itself; the others tune its ``ModelConfig``.
ENGINE_ONLY_OPTIONS = frozenset(_ModelOptionsBase.model_fields)


class _OfflineOptionsBase(_ModelOptionsBase):
    engine_name: ClassVar[str] = "offline"


def _with_config_fields(base: type[_ModelOptionsBase], doc: str) -> type[_ModelOptionsBase]:
    """``base`` plus ModelConfig's tuning fields, derived so that they cannot drift apart."""
    hints = typing.get_type_hints(ModelConfig)
    fields: dict[str, Any] = {
        item.name: (hints[item.name], _default_of(item))
        for item in dataclasses.fields(ModelConfig)
        if item.name not in ENDPOINT_FIELDS
    }
    return create_model("Options", __base__=base, __doc__=doc, **fields)


def _default_of(item: dataclasses.Field[Any]) -> Any:
    if item.default_factory is not dataclasses.MISSING:
        return Field(default_factory=item.default_factory)
    return item.default


ModelOptions = _with_config_fields(
    _ModelOptionsBase, "What ``OpenAIEngine`` accepts (``get_engine(..., **options)``)."
)
OfflineOptions = _with_config_fields(
    _OfflineOptionsBase, "The model engine's options, checked and then unused (nothing to tune)."
)
