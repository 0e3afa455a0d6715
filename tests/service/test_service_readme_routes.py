"""Every operation of the service's API is shown in the README's service section.

The review page's own routes (``/v1/review/…``, ``/v1/eval-sets…``) are the page's business and
are described with it; every other path of the OpenAPI document must appear in the README, with
any placeholder for its ids (``BATCH_ID``, ``{id}``).
"""

from __future__ import annotations

import re
from pathlib import Path

from summarizer.service import ServiceSettings, create_app

README = Path(__file__).resolve().parents[2] / "README.md"
PAGE_ROUTES = ("/v1/review/", "/v1/eval-sets")


def test_every_api_path_is_in_the_readme(tmp_path: Path) -> None:
    app = create_app(ServiceSettings(database=str(tmp_path / "service.sqlite3")))
    readme = README.read_text("utf-8")
    paths = [path for path in app.openapi()["paths"] if not path.startswith(PAGE_ROUTES)]
    assert "/v1/batches/{batch_id}/cancel" in paths
    missing = []
    for path in paths:
        shown = re.escape(path)
        for placeholder in re.findall(r"\\\{\w+\\\}", shown):
            shown = shown.replace(placeholder, r"(?:\{\w+\}|[A-Z_]+)", 1)
        if not re.search(shown + r"(?![\w/{])", readme):
            missing.append(path)
    assert not missing, f"not in README.md: {missing}"
