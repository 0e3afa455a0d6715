"""Engine options: each engine class carries an ``Options`` model that checks what callers pass.

``get_engine(engine, **options)`` validates ``options`` against the chosen engine's ``Options``
(``extra="forbid"``), so a typo such as ``max_reask`` is a ``ConfigError`` that lists the valid
names, whether or not an endpoint is configured. The endpoint itself (model, base URL, key) is
``summarizer.config.ModelConfig``'s job; the OpenAI-compatible engine's options include the
transport settings ModelConfig carries for its client, derived from ModelConfig's own fields so
that names and types are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

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
        return f"{'; '.join(parts)}; {cls.valid_options_phrase()}"

    @classmethod
    def valid_options_phrase(cls) -> str:
        """The sentence that names what this engine accepts (overridden when it takes none)."""
        return f"valid options: {', '.join(cls.names())}"

    def given(self) -> dict[str, Any]:
        """Only the options the caller set (the rest keep the engine's defaults)."""
        return {name: getattr(self, name) for name in self.model_fields_set}
