"""Every configuration default, declared once, and the loader for ``config.toml``.

Each section of ``config.toml`` maps to one dataclass below; a key the dataclass does not
declare is a user mistake and gets one clear sentence (:class:`ConfigError`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from wire.errors import ConfigError
from wire.feedsettings import AgencyConfig as AgencyConfig
from wire.feedsettings import FeedSettings as FeedSettings


@dataclass(frozen=True)
class StorageConfig:
    # SQLAlchemy URL; relative SQLite paths are resolved against the config file's folder.
    url: str = "sqlite:///wire.db"
    # Keep every raw payload for audit and replay (rejects always keep theirs).
    keep_raw: bool = True


@dataclass(frozen=True)
class HttpConfig:
    connect_timeout: float = 10.0  # seconds
    read_timeout: float = 30.0  # seconds between bytes
    total_timeout: float = 120.0  # seconds for one whole fetch
    max_redirects: int = 5
    per_host_limit: int = 4  # concurrent requests to one host
    max_connections: int = 100  # concurrent requests overall
    retries: int = 3  # retries on network errors and 5xx within one poll
    backoff_base: float = 1.0  # seconds; doubled each retry, plus jitter
    backoff_max: float = 60.0  # seconds
    user_agent: str = "wire/0.1 (+https://github.com/wire-ingest)"


@dataclass(frozen=True)
class DaemonConfig:
    interval: float = 300.0  # seconds between polls of a source until its rate is learned
    # Adaptive intervals (wire.ingest.freshness): the intensity law, from each source's
    # recent rate of new items and the bursts its item dates show, spending the requests
    # every source at its interval would, between min_interval and max_interval, never
    # shorter than the source's own hints (Cache-Control, Expires, <ttl>, sy:updatePeriod).
    adaptive: bool = True  # False: every source at its configured interval (hints still apply)
    min_interval: float = 30.0  # seconds; a busy source is polled at most this often
    max_interval: float = 1800.0  # seconds (30 min); a quiet source at least this often
    rate_window: float = 21600.0  # seconds (6 h) of recent history the learned rate averages
    jitter: float = 10.0  # seconds of random delay added to each poll
    failing_after: int = 5  # consecutive failures before a source is marked failing
    failing_interval: float = 1800.0  # seconds between polls of a failing source
    lease_seconds: float = 120.0  # how long a daemon owns a source before others may take it
    health_port: int = 9187  # /healthz and /metrics; 0 turns the endpoint off
    health_host: str = "127.0.0.1"
    stop_timeout: float = 10.0  # seconds to finish in-flight work on SIGTERM
    # Seconds between looks for embargoes that ended, whose release goes onto the change
    # feed (readers of the feed release them too; this is for when nobody reads).
    embargo_check: float = 10.0
    # A file keeping the daemon's identity across restarts (wire.ingest.identity): a restarted
    # daemon takes its own leases back at once, even in a new container (another host name,
    # a pid that proves nothing). One file per daemon; None: a new identity per process.
    state_file: str | None = None
    log_format: str = "auto"  # auto | json | console
    # Processes parsing payloads beside the daemon (the parser is its CPU cost): "auto" = one
    # per core but the daemon's own, at most 4 (none on one core); 0 = parse in a thread of
    # the daemon itself.
    parse_workers: int | str = "auto"


@dataclass(frozen=True)
class WebSubConfig:
    """WebSub push (wire.ingest.websub): feeds that name a hub push their changes."""

    enabled: bool = True
    # Base URL hubs reach the daemon's HTTP port ([daemon].health_port) at, e.g.
    # "https://wire.example.org/ingest"; None: http://[daemon].health_host:<port>.
    public_url: str | None = None
    lease_seconds: float = 86400.0  # subscription length asked of the hub (1 day)
    renew_before: float = 3600.0  # seconds before a subscription ends it is renewed
    check_every: float = 30.0  # seconds between looks for subscriptions to renew
    poll_interval: float = 1800.0  # seconds between safety-net polls of a pushed source


@dataclass(frozen=True)
class DedupConfig:
    threshold: float = 0.3  # estimated Jaccard that joins a cluster (tuned on bench/dedup)
    num_perm: int = 128  # MinHash permutations
    shingle_size: int = 3  # words per shingle
    min_words: int = 25  # shorter texts are short items: matched on headline + lead, strictly
    short_min_words: int = 6  # shorter still: never clustered (a one-line flash)
    window_days: float = 7.0  # only articles this recent are cluster candidates
    # Articles the in-memory cluster index holds at most (all languages together); past it
    # the oldest by story time leave first, so a long-running daemon's memory has a ceiling
    # even when the wires carry more than a window's worth. About 3 KB each: 150,000 (a week
    # of about 20,000 items a day) is some 450 MB at most.
    max_indexed: int = 150_000
    max_words: int = 1000  # words of headline + lead + body read for shingling (huge bodies)
    # Candidates judged per new article, the best first by signature agreement (text and
    # evidence): template copy (results, markets, weather) makes every report a candidate of
    # every other, and this keeps the cost of one insert bounded (bench_speed.py --template).
    max_judged: int = 16
    # A store thread whose best match is another thread's article not yet committed
    # (PostgreSQL's parallel writers) waits this long for that transaction to end.
    inflight_wait: float = 10.0
    # A lead/update under a new guid updates the newest earlier item of the same agency and
    # story key (slug, keyword) filed at most this long before it (wire.storage.updates).
    update_window_hours: float = 48.0


@dataclass(frozen=True)
class ApiConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    # Tokens as {name, sha256, scopes}; the hash of the secret only, never the secret.
    tokens: tuple[dict[str, Any], ...] = ()
    # Environment variables that hold plain tokens, mapped to their scopes.
    token_envs: tuple[dict[str, Any], ...] = ()
    auth: bool = True  # False serves everything without a token (local use only)
    cors_origins: tuple[str, ...] = ()
    max_limit: int = 500  # largest page size a client may ask for
    default_limit: int = 50
    max_wait: float = 60.0  # seconds a /changes long-poll may wait
    max_url_bytes: int = 8192  # longer request targets (path + query) get 414


@dataclass(frozen=True)
class PublishConfig:
    nats_url: str | None = None  # e.g. "nats://127.0.0.1:4222"; None turns NATS off
    nats_stream: str = "WIRE"
    nats_subject_prefix: str = "wire.articles"
    webhooks: tuple[dict[str, Any], ...] = ()  # {url, secret_env}
    # A change a webhook refuses is retried with exponential backoff (base, doubled each
    # attempt, capped at max, plus jitter) for webhook_retry_for seconds, then it becomes a dead
    # letter (`wire publish --replay` sends it again). Later changes wait: order is kept.
    webhook_retry_for: float = 21600.0  # seconds (6 h): receiver outages of hours lose nothing
    webhook_backoff_base: float = 1.0  # seconds before the first retry
    webhook_backoff_max: float = 900.0  # seconds (15 min) between retries at most
    webhook_attempts: int = 0  # 0: as many as webhook_retry_for allows; N: at most N attempts


@dataclass(frozen=True)
class RetentionConfig:
    """How long copy may be kept (agency contracts); ``wire purge`` and the daemon apply it."""

    days: float | None = None  # every source's articles, unless the source says; None: for ever
    # Agency code -> days ({"afp" = 30}): an article of that agency goes after this many days,
    # whatever its source allows. A source's raw payloads and rejects follow its ``source``.
    agencies: dict[str, float] = field(default_factory=dict)
    killed_text_days: float | None = None  # a killed story's text goes (tombstone stays)
    interval: float = 3600.0  # seconds between the daemon's purge runs; 0 turns them off
    # Rows removed per transaction (articles, then payloads, rejects, killed texts): a first
    # purge of a large store commits step by step and resumes where a stopped run left off.
    batch_size: int = 500


@dataclass(frozen=True)
class SourceConfig:
    """One configured source: a URL, a file, or a folder, and how to read it."""

    name: str
    location: str  # http(s) URL, file path or folder path
    format: str = "auto"
    kind: str = "poll"  # poll | folder | pull (pull-and-acknowledge API)
    source: str | None = None  # agency code to assume when the item does not say
    language: str | None = None  # language to assume when the item does not say
    timezone: str = "Europe/Zurich"  # for naive times in the payload
    interval: float | None = None  # seconds; None takes [daemon].interval as the start
    # What a source's own interval is to the adaptive schedule: "floor" (never polled more
    # often), "ceiling" (never less often, whatever the source hints) or "fixed".
    interval_is: str = "floor"
    max_bytes: int = 20_000_000  # body size cap per payload
    enabled: bool = True
    # Authentication: secrets come from the environment, never from this file.
    auth: str | None = None  # basic | bearer | header
    username: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    header_name: str | None = None  # for auth = "header", e.g. "X-Api-Key"
    ack_url: str | None = None  # pull sources: where acknowledgements go
    # Pull sources whose API can hold a request open until entries arrive (long-poll): the
    # seconds it may wait, sent as the query parameter long_poll_param (e.g. ?wait=20). The
    # daemon asks again as soon as an answer comes, so an entry arrives within seconds.
    long_poll: float | None = None
    long_poll_param: str = "wait"
    headers: dict[str, str] = field(default_factory=dict)
    retention_days: float | None = None  # None: [retention].days (agency limits still apply)

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Config:
    storage: StorageConfig = field(default_factory=StorageConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    websub: WebSubConfig = field(default_factory=WebSubConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    api: ApiConfig = field(default_factory=ApiConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    sources: tuple[SourceConfig, ...] = ()
    agencies: tuple[AgencyConfig, ...] = ()  # [[agencies]]: registry additions
    base_dir: Path = field(default_factory=Path.cwd)

    def source(self, name: str) -> SourceConfig:
        found = self._sources_by_name.get(name)
        if found is None:
            raise ConfigError(f"no source named {name!r} in the configuration")
        return found

    @cached_property
    def _sources_by_name(self) -> dict[str, SourceConfig]:
        """The sources by name, made once: the daemon looks up each of thousands at its start.
        (A frozen dataclass still takes a cached property: it writes the instance's dict.)"""
        return {s.name: s for s in self.sources}


T = TypeVar("T")


def _build(cls: type[T], data: Any, where: str) -> T:
    if not isinstance(data, dict):
        raise ConfigError(f"[{where}] must be a table of keys")
    allowed = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    kw: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed or key == "base_dir":
            names = ", ".join(sorted(allowed))
            raise ConfigError(f"unknown key {key!r} in [{where}]; known keys: {names}")
        if isinstance(value, list):
            value = tuple(value)
        kw[key] = value
    try:
        return cls(**kw)
    except TypeError as exc:
        raise ConfigError(f"[{where}] is incomplete: {exc}") from None


SECTIONS = {
    "storage": StorageConfig,
    "http": HttpConfig,
    "daemon": DaemonConfig,
    "websub": WebSubConfig,
    "dedup": DedupConfig,
    "api": ApiConfig,
    "publish": PublishConfig,
    "retention": RetentionConfig,
}


def parse_config(data: dict[str, Any], base_dir: Path) -> Config:
    kw: dict[str, Any] = {"base_dir": base_dir}
    for key, value in data.items():
        if key == "sources":
            if not isinstance(value, list):
                raise ConfigError("'sources' must be an array of tables ([[sources]])")
            srcs = []
            for i, raw in enumerate(value):
                where = f"sources.{raw.get('name', i) if isinstance(raw, dict) else i}"
                srcs.append(_build(SourceConfig, raw, where))
            names = [s.name for s in srcs]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ConfigError(f"source names must be unique; repeated: {', '.join(dupes)}")
            kw["sources"] = tuple(srcs)
        elif key == "agencies":
            kw["agencies"] = _agencies(value)
        elif key in SECTIONS:
            kw[key] = _build(SECTIONS[key], value, key)
        else:
            known = ", ".join(sorted([*SECTIONS, "agencies", "sources"]))
            raise ConfigError(f"unknown section [{key}] in the configuration; known: {known}")
    config = Config(**kw)
    return replace(config, storage=replace(config.storage, url=resolve_db_url(config)))


def _agencies(value: Any) -> tuple[AgencyConfig, ...]:
    if not isinstance(value, list):
        raise ConfigError("'agencies' must be an array of tables ([[agencies]])")
    out = []
    for i, raw in enumerate(value):
        where = f"agencies.{raw.get('code', i) if isinstance(raw, dict) else i}"
        item = _build(AgencyConfig, raw, where)
        if not item.code or item.code != item.code.lower() or item.code.startswith("x-"):
            raise ConfigError(f"[{where}] code must be lowercase and not start with 'x-'")
        if item.kind not in (None, "agency", "producer"):
            raise ConfigError(f"[{where}] kind must be 'agency' or 'producer'")
        out.append(item)
    return tuple(out)


def resolve_db_url(config: Config) -> str:
    """Environment override (WIRE_DATABASE_URL) first, then relative SQLite paths made absolute."""
    url = os.environ.get("WIRE_DATABASE_URL") or config.storage.url
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        url = prefix + str((config.base_dir / url[len(prefix) :]).resolve())
    return url


def load_config(path: str | Path | None = None) -> Config:
    """Read a config file; ``None`` reads ``config.toml`` in the current folder if present."""
    if path is None:
        candidate = Path("config.toml")
        if not candidate.exists():
            return parse_config({}, Path.cwd())
        path = candidate
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    return parse_config(data, path.resolve().parent)


def source_location(config: Config, source: SourceConfig) -> str:
    """A source's location with relative paths resolved against the config's folder."""
    if source.is_url:
        return source.location
    p = Path(source.location).expanduser()
    return str(p if p.is_absolute() else (config.base_dir / p))
