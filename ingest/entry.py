"""The ``wire`` command's entry point: a plain ``wire parse`` or ``run --once`` starts lean.

``wire parse`` is a filter in shell pipelines and scripts. The full command line (typer,
rich, and pydantic, which typer uses to read every parameter) costs about 0.3 s of CPU before
the first byte is read: as much as parsing a few hundred items. A ``parse`` call whose
arguments are one path and the known options, each with a value, runs here without them;
anything else (``--help``, a mistake, a repeated option, any other command) goes to the full
command line in ``wire.ingest.cli``, which answers as it always did. A plain
``wire run --once`` (``--once``, ``--config``, ``--source``, ``--strict``) runs here the
same way: its table and messages come from rich, as on the full command line.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from wire.errors import WireError

# wire parse's options (see wire.ingest.cli.parse) by spelling, to run_parse's arguments.
_OPTIONS = {
    "--format": "fmt",
    "-f": "fmt",
    "--source": "source",
    "--language": "language",
    "--timezone": "timezone",
}


def plain_parse_args(args: list[str]) -> dict[str, str] | None:
    """``wire parse``'s arguments when they are plain (a path, known options each given
    once with a non-empty value), else None: the full command line reads them."""
    values: dict[str, str] = {}
    path: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):
            name, eq, value = arg.partition("=")
            key = _OPTIONS.get(name)
            if key is None or key in values or (eq and not name.startswith("--")):
                return None
            if not eq:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            if not value or value.startswith("-"):
                return None
            values[key] = value
        elif path is None and arg:
            path = arg
        else:
            return None
        i += 1
    if path is None:
        return None
    values["path"] = path
    return values


# wire run --once's options (see wire.ingest.cli.run) by spelling; the flags take no value.
_RUN_OPTIONS = {"--config": "config", "-c": "config", "--source": "source", "-s": "source"}
_RUN_FLAGS = ("--once", "--strict")


@dataclass
class RunOnceArgs:
    """A plain ``wire run --once``'s arguments."""

    config: str | None = None
    sources: list[str] = field(default_factory=list)
    strict: bool = False


def plain_run_once_args(args: list[str]) -> RunOnceArgs | None:
    """``wire run --once``'s arguments when they are plain (``--once`` and ``--strict`` at
    most once each, ``--config`` at most once and ``--source`` any number of times, each
    with a non-empty value), else None: the full command line reads them (and a run
    without ``--once`` is the daemon's)."""
    out = RunOnceArgs()
    flags: set[str] = set()
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        key = _RUN_OPTIONS.get(name)
        if arg in _RUN_FLAGS:
            if arg in flags:
                return None
            flags.add(arg)
        elif key is None or (eq and not name.startswith("--")):
            return None
        else:
            if not eq:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            if not value or value.startswith("-") or (key == "config" and out.config):
                return None
            if key == "config":
                out.config = value
            else:
                out.sources.append(value)
        i += 1
    out.strict = "--strict" in flags
    return out if "--once" in flags else None


def main() -> None:
    """``wire``: a plain ``parse`` or ``run --once`` here, everything else through the full
    command line.

    A reader that stops reading (``wire parse feed.xml | head``) ends wire quietly, with the
    shell's code for a closed pipe, not a traceback."""
    try:
        _main()
    except BrokenPipeError:
        _closed_pipe()


def _closed_pipe() -> None:
    """What Python's documentation advises for SIGPIPE: the rest of the output goes nowhere
    (so the flush at exit cannot fail again), and the exit code is 128 + SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)


def _main() -> None:
    args = sys.argv[1:]
    plain = plain_parse_args(args[1:]) if args[:1] == ["parse"] else None
    if plain is not None:
        # Either command line, never both: each is imported only on its own path.
        from wire.ingest.parse_command import run_parse

        path = Path(plain.pop("path"))
        try:
            code = run_parse(path, **plain)
        except WireError as exc:  # as wire.ingest.cli.main says a mistake
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)
        except KeyboardInterrupt:  # as typer's Abort: no traceback, exit code 130
            sys.exit(130)
        _exit(code)
    once = plain_run_once_args(args[1:]) if args[:1] == ["run"] else None
    if once is not None:
        _run_once(once)
    from wire.ingest.cli import main as full

    full()


def _run_once(args: RunOnceArgs) -> None:
    """A plain ``wire run --once``, ended as the full command line ends it: exit code 0 or
    1, a mistake as one sentence and code 2, Ctrl-C as code 130."""
    # lazy, as everything here: this module is the whole command's first import
    from wire.ingest.run_once_command import run_once_command

    config = Path(args.config) if args.config is not None else None
    try:
        code = run_once_command(config, args.sources or None, args.strict)
    except WireError as exc:  # as wire.ingest.cli.main says a mistake
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:  # as typer's command line: exit code 130
        sys.exit(130)
    sys.exit(code)


def _exit(code: int) -> None:
    """End a finished ``wire parse`` without tearing the interpreter down: the output is
    written and flushed, and freeing a big payload's records and tree object by object
    cost a twentieth of the run. Nothing of wire's registers exit handlers on this path;
    under a profiler or tracer (``python -m cProfile``, coverage), which write their data
    at exit, it exits as usual."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
