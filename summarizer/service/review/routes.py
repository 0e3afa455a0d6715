"""The review page at ``/`` and its API: open a stored output, save a correction as gold.

The page is one static HTML file plus one script and one stylesheet from this package (no build
step). Every page response carries a Content-Security-Policy that admits only the page's own
script (no inline script, no eval) and requires Trusted Types, so even a mistaken ``innerHTML`` in
the script would throw instead of parsing data as HTML.

No ``from __future__ import annotations``: FastAPI reads the routes' signatures at runtime, and the
dependency aliases (``Reader``, ``Writer``) are local to ``create_review_router``.
"""

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response

from summarizer.errors import InputError, NotFoundError
from summarizer.schema import ArticleSummary
from summarizer.service.keys import ANONYMOUS, Principal, may_see
from summarizer.service.models import ErrorDetail
from summarizer.service.review.goldsets import (
    OutputOrigin,
    ReviewedSets,
    Reviewer,
    Visible,
    build_example,
    check_set_name,
    now_iso,
)
from summarizer.service.review.models import (
    SET_NAME_PATTERN,
    EvalSetDetail,
    EvalSetList,
    ReviewArticle,
    ReviewArticles,
    ReviewOutput,
    ReviewSession,
    SavedExample,
    SaveExampleRequest,
)
from summarizer.service.store import JobRecord, ResultRecord, Store
from summarizer.text import prepare

STATIC = Path(__file__).resolve().parent / "static"
#: The only files served from ``/review/static/``, with their media types.
STATIC_FILES = {
    "review.js": "text/javascript",
    "review.css": "text/css",
    "favicon.svg": "image/svg+xml",
}
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
MAX_LISTED_ARTICLES = 5000
#: Finds a summary answered a moment ago whose job is not stored yet: (job, result or None).
Recent = Callable[[str], tuple[JobRecord, ResultRecord | None] | None]


SetName = Annotated[str, PathParam(pattern=SET_NAME_PATTERN, max_length=64)]


def create_review_router(
    store: Store,
    *,
    reader: Callable[..., Awaitable[Principal]],
    writer: Callable[..., Awaitable[Principal]],
    sets_root: Path | None = None,
    recent: Recent | None = None,
) -> APIRouter:
    """The page and its API; ``reader``/``writer`` are the service's auth dependencies, and
    ``recent`` finds a just-answered summary whose job is not in the store yet."""
    lookup = Lookup(store, recent)
    Reader = Annotated[Principal, Depends(reader)]
    Writer = Annotated[Principal, Depends(writer)]
    sets = ReviewedSets(sets_root)
    router = APIRouter()

    # --- the page

    @router.get("/", include_in_schema=False)
    async def review_page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html", headers=PAGE_HEADERS)

    @router.get("/review/static/{filename}", include_in_schema=False)
    async def review_static(filename: str) -> FileResponse:
        media_type = STATIC_FILES.get(filename)
        if media_type is None:
            raise NotFoundError(f"no static file {filename[:80]!r}")
        return FileResponse(STATIC / filename, media_type=media_type, headers=PAGE_HEADERS)

    # --- opening outputs

    @router.get("/v1/review/session", response_model=ReviewSession, tags=["review"])
    async def review_session(who: Reader) -> ReviewSession:
        """Who the page talks as: the key's id and name (never the key), and whether it may save."""
        reviewer = await _reviewer(store, who)
        return ReviewSession(key_id=reviewer.key_id, name=reviewer.name, read_only=who.read_only)

    @router.get(
        "/v1/review/outputs/{job_id}/articles", response_model=ReviewArticles, tags=["review"]
    )
    async def review_articles(job_id: str, who: Reader) -> ReviewArticles:
        """The finished articles of a summary or batch job (the first 5,000), to pick one."""
        job = await lookup.job(job_id, who)
        articles: list[ReviewArticle] = []
        truncated = False
        pending = lookup.recent_result(job.job_id)
        if pending is not None:  # answered a moment ago, not stored yet
            articles.append(ReviewArticle(id=pending.article_id, status=pending.status))
        async for record in store.iter_results(job.job_id) if pending is None else _nothing():
            if len(articles) == MAX_LISTED_ARTICLES:
                truncated = True
                break
            articles.append(ReviewArticle(id=record.article_id, status=record.status))
        return ReviewArticles(
            job_id=job.job_id, job_kind=job.kind, articles=articles, truncated=truncated
        )

    @router.get("/v1/review/outputs/{job_id}", response_model=ReviewOutput, tags=["review"])
    async def review_output(
        job_id: str,
        who: Reader,
        article_id: Annotated[
            str | None, Query(max_length=200, description="Required for batch jobs.")
        ] = None,
    ) -> ReviewOutput:
        """One stored output (a summary job's, or one article of a batch), with its status."""
        job, record = await lookup.output(job_id, article_id, who)
        if record is None:  # not finished yet (a summary job's article id is known then)
            running = lookup.is_recent(job.job_id) or (
                (await store.job_counts(job.job_id)).by_status.get("running")
            )
            return ReviewOutput(
                job_id=job.job_id,
                job_kind=job.kind,
                article_id=article_id or "",
                status="running" if running else "queued",
            )
        result = None
        if record.status == "ok" and record.result is not None:
            result = ArticleSummary.model_validate(record.result)
        error = None
        if record.status != "ok":
            error = ErrorDetail(
                kind=record.error_kind or record.status, message=record.error_message or ""
            )
        return ReviewOutput(
            job_id=job.job_id,
            job_kind=job.kind,
            article_id=record.article_id,
            status=record.status,
            result=result,
            error=error,
        )

    # --- eval sets

    @router.get("/v1/eval-sets", response_model=EvalSetList, tags=["eval sets"])
    async def list_eval_sets(who: Reader) -> EvalSetList:
        """The eval sets this key may see: its own, or all of them for a review (read-only) key."""
        return EvalSetList(sets=await asyncio.to_thread(sets.list_sets, _visible_to(who)))

    @router.get("/v1/eval-sets/{name}", response_model=EvalSetDetail, tags=["eval sets"])
    async def get_eval_set(name: SetName, who: Reader) -> EvalSetDetail:
        """One set's manifest and its examples' provenance (404 for another key's set)."""
        return await asyncio.to_thread(sets.detail, check_set_name(name), _visible_to(who))

    @router.get(
        "/v1/eval-sets/{name}/export",
        response_class=Response,
        tags=["eval sets"],
        responses={
            200: {
                "description": "A zip of NAME/manifest.json and NAME/examples.jsonl; unzip it "
                "and run `summarizer eval run --set ./NAME`.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def export_eval_set(name: SetName, who: Reader) -> Response:
        """Download the set, ready for `summarizer eval run --set`."""
        data = await asyncio.to_thread(sets.export_zip, check_set_name(name), _visible_to(who))
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
        )

    @router.post(
        "/v1/eval-sets/{name}/examples",
        response_model=SavedExample,
        status_code=201,
        tags=["eval sets"],
    )
    async def save_example(name: SetName, body: SaveExampleRequest, who: Writer) -> SavedExample:
        """Save a corrected output as a gold example (created with the set if need be; an
        example with the same id is replaced), with who, when, from which output, what changed."""
        check_set_name(name)
        job, record = await lookup.output(body.output.job_id, body.output.article_id, who)
        if record is None or record.status != "ok" or record.result is None:
            raise InputError(
                "only a finished, successful output can be corrected into a gold example"
            )
        summary = ArticleSummary.model_validate(record.result)
        source, source_is_input = await _checked_source(body.source, summary)
        example, changes = build_example(
            example_id=body.example_id or record.article_id,
            source=source,
            source_is_input=source_is_input,
            origin=OutputOrigin(job.job_id, job.kind, record.article_id, summary),
            reviewed=body.reviewed,
            reviewer=await _reviewer(store, who),
            note=body.note,
            license=body.license,
            reviewed_at=now_iso(),
        )
        info, replaced = await asyncio.to_thread(
            functools.partial(
                sets.save, name, example, description=body.set_description, owner=who.key_id
            )
        )
        return SavedExample(
            set=info, example_id=str(example["id"]), replaced=replaced, changes=changes
        )

    return router


def _visible_to(who: Principal) -> Visible:
    """Eval sets follow the jobs they are made from (``keys.may_see``): a key sees the sets it
    made; a review (read-only) key sees every set. A set with no recorded owner (made before
    owners were recorded, or outside the service) only by review keys."""

    def visible(owner: str | None) -> bool:
        return who.read_only or (owner is not None and may_see(who, owner))

    return visible


async def _reviewer(store: Store, who: Principal) -> Reviewer:
    if who.key_id == ANONYMOUS:
        return Reviewer(key_id=ANONYMOUS, name="anonymous (loopback)")
    record = await store.get_key(who.key_id)
    return Reviewer(key_id=who.key_id, name=record.name if record is not None else who.key_id)


async def _nothing() -> AsyncIterator[ResultRecord]:
    return
    yield


class Lookup:
    """Jobs and outputs as ``who`` may see them: the store, plus what ``recent`` knows."""

    def __init__(self, store: Store, recent: Recent | None) -> None:
        self.store = store
        self.recent = recent

    async def job(self, job_id: str, who: Principal) -> JobRecord:
        found = self.recent(job_id) if self.recent is not None else None
        job = found[0] if found is not None else await self.store.get_job(job_id)
        if job is None or not may_see(who, job.key_id):  # 404 either way: existence is not told
            raise NotFoundError(f"no summary or batch with id {job_id[:80]!r}")
        return job

    def is_recent(self, job_id: str) -> bool:
        return self.recent is not None and self.recent(job_id) is not None

    def recent_result(self, job_id: str) -> ResultRecord | None:
        found = self.recent(job_id) if self.recent is not None else None
        return found[1] if found is not None else None

    async def output(
        self, job_id: str, article_id: str | None, who: Principal
    ) -> tuple[JobRecord, ResultRecord | None]:
        """The job, and the result of its article (None while it has not finished)."""
        job = await self.job(job_id, who)
        found = self.recent(job_id) if self.recent is not None else None
        if found is not None:
            record = found[1]
            if article_id is not None and record is not None and record.article_id != article_id:
                raise NotFoundError(f"job {job_id[:80]!r} has no article {article_id[:80]!r}")
            return job, record
        if article_id is None:
            if job.kind == "batch":
                raise InputError("a batch holds many articles: give article_id")
            async for first in self.store.iter_results(job.job_id):
                return job, first
            return job, None
        record = await self.store.get_result(job.job_id, article_id)
        if record is None:
            counts = await self.store.job_counts(job.job_id)
            if not counts.by_status.get("queued") and not counts.by_status.get("running"):
                # nothing is pending, so the id was never submitted
                raise NotFoundError(f"job {job_id[:80]!r} has no article {article_id[:80]!r}")
        return job, record


async def _checked_source(source: str | None, summary: ArticleSummary) -> tuple[str, bool]:
    """The article as submitted when it is the one the output was made from, else refused; the
    output's normalized text when none is given."""
    if source is None or not source.strip():
        return summary.source.normalized_text, False
    document = await asyncio.to_thread(prepare, source)
    if document.text != summary.source.normalized_text:
        raise InputError(
            "the source given is not the article this output was made from (it normalizes to "
            "a different text); send the article as submitted, or no source"
        )
    return source, True
