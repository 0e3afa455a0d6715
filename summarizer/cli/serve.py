"""``summarizer serve`` and ``summarizer keys create|list|revoke``.

The service's modules (FastAPI, uvicorn) are imported inside the commands, so that the rest of the
CLI works without the ``service`` extra installed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import ipaddress
import os
import socket
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from platformdirs import user_data_dir

from summarizer.cli.common import (
    DEFAULT_MODEL_OPTIONS,
    EngineOption,
    ModelOptions,
    handle_errors,
    note,
    takes_model_options,
    warn_unused_model_options,
)
from summarizer.errors import ConfigError, InputError, InputFileError

if TYPE_CHECKING:
    from summarizer.service.store import Store

DATABASE_ENV = "SUMMARIZER_SERVICE_DB"

DatabaseOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help=f"The service's SQLite file (default: ${DATABASE_ENV}, else a user data dir)."
    ),
]
StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="A shared PostgreSQL store, postgresql://user@host/db (instead of --db), "
        "for several API replicas and `summarizer worker` processes.",
    ),
]
QueueOption = Annotated[
    str | None,
    typer.Option(
        "--queue",
        help="A Redis URL (redis://host:6379/0): jobs go to `summarizer worker` processes "
        "through it instead of in-process workers (needs --store); the workers' model options "
        "then apply.",
    ),
]


def default_database() -> Path:
    configured = os.environ.get(DATABASE_ENV)
    if configured:
        return Path(configured)
    return Path(user_data_dir("summarizer")) / "service.sqlite3"


def _service_modules() -> Any:
    try:
        import summarizer.service as service
    except ImportError as error:
        raise ConfigError(
            f"the service needs extra packages ({error.name} is missing): "
            "pip install 'summarizer[service]'"
        ) from None
    return service


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@handle_errors
@takes_model_options()
def serve_command(
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    database: DatabaseOption = None,
    engine: EngineOption = "auto",
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    workers: Annotated[
        int,
        typer.Option(min=0, help="Articles summarized at once (0: API only, workers elsewhere)."),
    ] = 4,
    no_auth: Annotated[
        bool,
        typer.Option(
            "--no-auth",
            "--allow-anonymous-loopback",
            help="Serve requests without a key, from loopback clients only.",
        ),
    ] = False,
    max_body_bytes: Annotated[
        int, typer.Option(min=1024, help="Largest request body accepted (413 above).")
    ] = 5 * 1024 * 1024,
    sync_wait: Annotated[
        float, typer.Option(min=0, help="Seconds POST /v1/summaries waits before answering 202.")
    ] = 30.0,
    lease_seconds: Annotated[
        float, typer.Option(min=0.5, help="A dead worker's article is redelivered after this.")
    ] = 30.0,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    store_url: StoreOption = None,
    queue_url: QueueOption = None,
) -> None:
    """Serve the HTTP API (docs at /docs, OpenAPI at /openapi.json)."""
    if no_auth and not _is_loopback(host):
        raise ConfigError(
            f"--no-auth serves requests without a key and is only allowed on loopback, "
            f"not on {host}; create keys with `summarizer keys create` instead"
        )
    service = _service_modules()
    import uvicorn

    engines = service.EngineSettings(
        engine=engine,
        model=options.model,
        base_url=options.base_url,
        api_key=None,
        options=options.engine_options(),
        max_input_chars=options.max_input_chars,
    )
    chosen = engines.build({})
    warn_unused_model_options(options, chosen.name)
    settings = service.ServiceSettings(
        database=str(database or default_database()),
        engines=engines,
        allow_anonymous_loopback=no_auth,
        max_body_bytes=max_body_bytes,
        sync_wait_seconds=sync_wait,
        workers=max(1, workers),
        run_workers=workers > 0 and queue_url is None,
        lease_seconds=lease_seconds,
    )
    store = _shared_store(database, store_url, queue_url, lease_seconds)
    if store is None:  # a bad --db is a one-line error now, not a traceback at start-up
        asyncio.run(_check_opens(service.SQLiteStore(settings.database)))
    where = settings.database if store is None else repr(store)
    listener = _listening_socket(host, port)
    port = listener.getsockname()[1]  # the real one when --port 0 asked for any free port
    note(
        f"summarizer: serving on http://{host}:{port} with the {chosen.name} engine, "
        f"store {where}"
        + (", work to `summarizer worker` processes" if queue_url else "")
        + (", anonymous loopback allowed" if no_auth else "")
    )
    app = service.create_app(settings, store=store)
    from summarizer.service.process import settle_heap

    settle_heap()  # after every start-up import: see its docstring
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=True)
    from summarizer.service import access_log

    access_log.install()  # after uvicorn.Config, which configures its loggers
    uvicorn.Server(config).run(sockets=[listener])


def _listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything is announced: a port in use is a one-line error
    instead of "serving on ..." followed by uvicorn's own error."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as error:
        raise ConfigError(f"cannot listen on {host}: {error.strerror}") from None
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is already in use") from None
        raise ConfigError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    listener.set_inheritable(True)
    return listener


def _shared_store(
    database: Path | None,
    store_url: str | None,
    queue_url: str | None,
    lease_seconds: float = 30.0,
) -> Any:
    """The PostgreSQL store (notifying the queue) when ``--store`` is given, else None.

    A queued item's message must heartbeat as often as its lease is renewed, so the replica
    gives its ``--lease-seconds`` to the messages it enqueues.
    """
    if store_url is None:
        if queue_url is not None:
            raise ConfigError("--queue needs a shared store: add --store postgresql://...")
        return None
    if database is not None:
        raise ConfigError("give either --db (SQLite) or --store (PostgreSQL), not both")
    _service_modules()
    from summarizer.service.queue import check_reachable, shared_store

    asyncio.run(check_reachable(store_url, queue_url))
    return shared_store(store_url, queue_url, heartbeat_seconds=lease_seconds)


async def _check_opens(store: Store) -> None:
    """Open and close the store once, so that its errors come before the server starts."""
    try:
        await store.open()
    finally:
        await store.close()


keys_app = typer.Typer(help="API keys of the service (stored hashed; a key is shown once).")


def _with_store(
    database: Path | None, action: Any, store_url: str | None = None, *, create: bool = True
) -> Any:
    """Run ``action`` on the key store; without ``create``, a missing SQLite file is an error
    (reading or revoking keys must not leave an empty database behind)."""
    service = _service_modules()
    path = database or default_database()
    if store_url is None and not create and _missing(path):
        raise InputFileError(
            f"no key database at {path} (create a key with `summarizer keys create`, "
            f"or point --db or ${DATABASE_ENV} at the service's database)"
        )
    store: Store = _shared_store(database, store_url, None) or service.SQLiteStore(path)

    async def run() -> Any:
        await store.open()
        try:
            return await action(store)
        finally:
            await store.close()

    return asyncio.run(run())


def _missing(path: Path) -> bool:
    """No file at ``path``; a path through a file is not missing (the store says what is wrong)."""
    try:
        path.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


@keys_app.command("create")
@handle_errors
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    read_only: Annotated[bool, typer.Option(help="May read results but not submit.")] = False,
    requests_per_minute: Annotated[
        int | None, typer.Option("--rpm", min=1, help="Quota: requests per minute.")
    ] = None,
    tokens_per_minute: Annotated[
        int | None, typer.Option("--tpm", min=1, help="Quota: model tokens per minute.")
    ] = None,
    database: DatabaseOption = None,
    store_url: StoreOption = None,
) -> None:
    """Create a key and print it once (it cannot be shown again)."""
    from summarizer.service.keys import create_key

    # The name is shown in `keys list` (one tab-separated line per key) and on the review page:
    # an empty name says nothing, and a tab or newline could forge another key's line.
    if not name.strip() or any(unicodedata.category(char).startswith("C") for char in name):
        raise InputError(
            f"--name {name[:40]!r}: give a non-empty name without tabs, newlines or "
            "other control characters"
        )

    key, record = _with_store(
        database,
        lambda store: create_key(
            store,
            name=name,
            read_only=read_only,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
        ),
        store_url,
    )
    note(f"summarizer: created key {record.key_id} ({name}); it is shown once, store it now")
    typer.echo(key)


@keys_app.command("list")
@handle_errors
def keys_list(database: DatabaseOption = None, store_url: StoreOption = None) -> None:
    """Key ids, names, rights, quotas and state (never the keys themselves)."""
    records = _with_store(database, lambda store: store.list_keys(), store_url, create=False)
    if not records:
        note("summarizer: no keys (create one with `summarizer keys create`)")
    for record in records:
        created = dt.datetime.fromtimestamp(record.created_at, dt.UTC).strftime("%Y-%m-%d %H:%M")
        state = "revoked" if record.revoked_at is not None else "active"
        rights = "read-only" if record.read_only else "read-write"
        rpm = record.requests_per_minute or "-"
        tpm = record.tokens_per_minute or "-"
        typer.echo(
            f"{record.key_id}\t{state}\t{rights}\trpm={rpm}\ttpm={tpm}\t{created}\t{record.name}"
        )


@keys_app.command("revoke")
@handle_errors
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")],
    database: DatabaseOption = None,
    store_url: StoreOption = None,
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    if key_id.startswith("sk-sum-"):
        key_id = key_id[len("sk-sum-") :].split("-", 1)[0]
    revoked = _with_store(database, lambda store: store.revoke_key(key_id), store_url, create=False)
    if not revoked:
        raise InputError(f"no active key with id {key_id[:20]!r} (see `summarizer keys list`)")
    note(f"summarizer: revoked key {key_id}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.add_typer(keys_app, name="keys")
