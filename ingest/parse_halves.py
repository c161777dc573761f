"""``wire parse`` of a big feed on two cores: a forked child parses the first half of the items.

A 2,000-item feed costs ``wire parse`` about half a second of Python spread over every item
(the tree reader, the record, normalisation, the JSON line), all of it in one thread. The
adapter can cut such a payload into items (``item_spans``, the cut the daemon uses to leave
out items it stored before), so the payload becomes two feeds: the channel with the first
half of the items and the channel with the second half. A child forked after the imports
parses the first and writes its JSON lines to a temporary file while this process parses the
second; this process then prints the child's lines and its own, in document order.

The output is the sequential run's: the same records (a cut payload parses item for item as
the whole one: the daemon relies on it too), one ``now`` for both halves. Whatever is not
plain (a half that does not give one record per item, a reject in the child, a child that
fails) makes this process parse the payload whole, as without the split: only speed is lost.

The cut (:func:`cut_items`, :func:`parts`) also serves ``run --once``'s parse worker
(``wire.ingest.sidecar``), which leaves a part of a big local file to the waiting process.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime

from wire import adapters
from wire.adapters.base import Adapter, FeedSettings, ItemSpans, SplitsItems
from wire.ingest.parsing import parse_payload
from wire.normalise import fastlid
from wire.record import Article, Rejected

# Below this the fork, the second tree and the cut cost more than half the parse saves.
MIN_BYTES = 256 * 1024
MIN_ITEMS = 100
_FALLBACK = 3  # the child's exit code for "parse it whole"


def two_cores() -> bool:
    """Whether a second core is there and idle (:func:`idle_core`), and this process can fork
    safely (no other thread that could hold a lock the child would then wait on for ever).

    On a busy machine the halves only wait for each other's core: the split costs about a
    fifth more CPU (a second tree, the pages the child copies) and gains nothing."""
    if not hasattr(os, "fork") or not hasattr(os, "sched_getaffinity"):
        return False
    return threading.active_count() == 1 and idle_core()


def idle_core() -> bool:
    """Whether a second core is there and idle (a 1-minute load of at most cores - 1, the
    cores this process may run on): the rule for a second process of parsing, ``wire
    parse``'s halves and ``run --once``'s parse worker (``wire.ingest.sidecar.start_for``).

    The worker's start, imports, cut and pickling cost ~0.6 s of CPU for a 2,000-item feed;
    on a busy machine it only waits for a core with this process (bench/parse's feed at load
    4.1-4.5 on 2 cores: 3.2-3.3 s of CPU and 5.0-6.4 s against 2.6-2.8 s and 4.1-6.5 s in one
    process)."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        return os.getloadavg()[0] <= cores - 1
    except (AttributeError, OSError):  # no load average here: the cores decide
        return True


def cut_items(data: bytes, fmt: str, filename: str | None) -> tuple[Adapter, ItemSpans] | None:
    """The adapter and the cut at its items of a payload worth parsing in parts, else None."""
    if len(data) < MIN_BYTES:
        return None
    adapter = adapters.resolve(fmt, data, filename)
    if not isinstance(adapter, SplitsItems):
        return None
    try:
        spans = adapter.item_spans(data)
    except Exception:
        return None
    if spans is None or len(spans.spans) < MIN_ITEMS:
        return None
    return adapter, spans


def parts(spans: ItemSpans, share: float) -> tuple[bytes, bytes, int]:
    """(the payload with its first items only, the payload with the rest, how many first):
    the first part has ``share`` of the items, and each part one item at least."""
    count = len(spans.spans)
    first = min(count - 1, max(1, round(count * share)))
    return spans.without(set(range(first, count))), spans.without(set(range(first))), first


def halves(data: bytes, fmt: str, filename: str | None) -> tuple[bytes, bytes, int, int] | None:
    """(first half's payload, second half's payload, items in each) of a payload worth
    splitting, else None."""
    found = cut_items(data, fmt, filename)
    if found is None:
        return None
    spans = found[1]
    first, second, first_count = parts(spans, 0.5)
    return first, second, first_count, len(spans.spans) - first_count


def print_in_halves(
    data: bytes,
    settings: FeedSettings,
    fmt: str,
    filename: str | None,
    now: datetime,
    write: Callable[[str], object],
) -> bool:
    """Print the records of a payload split in two, one half parsed by a forked child.
    False (nothing printed) when the payload is not worth it or a half is not plain: the
    caller then parses it whole."""
    cut = halves(data, fmt, filename)
    if cut is None:
        return False
    first, second, first_count, second_count = cut
    if settings.language is None:
        fastlid.load()  # the language model loaded once, before the fork, not in each half
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the block below)
    except OSError:  # no temporary file to be had: one process parses it
        return False
    with out:
        try:
            pid = os.fork()
        except OSError:  # no process to be had
            return False
        if pid == 0:  # the child: the first half into the file, never back into the caller
            code = _FALLBACK
            try:
                lines = _lines(parse_payload(first, settings, fmt, filename, now), first_count)
                if lines is not None:
                    out.write(lines.encode("utf-8"))
                    out.flush()
                    code = 0
            finally:
                os._exit(code)
        try:
            own = _lines(parse_payload(second, settings, fmt, filename, now), second_count)
        finally:
            _pid, status = os.waitpid(pid, 0)
        if own is None or os.waitstatus_to_exitcode(status) != 0:
            return False
        out.seek(0)
        write(out.read().decode("utf-8"))
        write(own)
    return True


def _lines(results: list[Article | Rejected], expected: int) -> str | None:
    """The JSON lines of a half's records; None unless it gave ``expected`` records and no
    reject (a reject's message and exit code are the whole parse's to give)."""
    if len(results) != expected:
        return None
    parts = []
    for item in results:
        if not isinstance(item, Article):
            return None
        parts.append(item.to_json())
    parts.append("")
    return "\n".join(parts)
