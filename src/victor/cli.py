"""The command line: the root Typer app and its global flags, and the one place where errors become
messages and exit codes (shared/cli.md). Commands live in `victor.commands`, one module a group;
they import heavy libraries only inside the function that needs them, so `--help` stays fast."""

import os
import sys
from collections.abc import Callable
from importlib import import_module

TYPE_CHECKING = False  # as typing's, without importing typing: `victor --version` stays light
if TYPE_CHECKING:
    import typer

# Modules of victor.commands, in the order `victor --help` lists them; each has `register(app)`.
COMMANDS = [
    "profiles",
    "init",
    "doctor",
    "chat",
    "audit",
    "usage",
    "route",
    "airgap",
    "run",
    "tools",
    "undo",
    "models",
    "sandbox",
    "scan_secrets",
    "hooks",
    "mcp",
]


def build_app() -> "typer.Typer":  # quoted: typer loads lazily, and reads the callbacks' annotations
    import typer

    app = typer.Typer(
        name="victor",
        help="Victor: an offline-first coding agent. Local models by default; secrets never leave the machine.",
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain help: Rich's Markdown renderer alone costs ~0.2 s of start-up
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback(invoke_without_command=True)
    def root(
        ctx: typer.Context,
        version: bool = typer.Option(False, "--version", "-V", help="Print the version and exit."),
        debug: bool = typer.Option(False, "--debug", help="Show tracebacks (also VICTOR_DEBUG=1)."),
    ) -> None:
        if version:
            from victor import __version__

            typer.echo(f"victor {__version__}")
            raise typer.Exit()
        if ctx.invoked_subcommand is None:  # only `--debug` alone: main() already sent the rest to `chat`
            typer.echo(ctx.get_help())
            raise typer.Exit()

    for name in COMMANDS:
        import_module(f"victor.commands.{name}").register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):  # the fast path: no Typer, nothing else imported
        from victor import __version__

        print(f"victor {__version__}")
        return
    debug = "--debug" in args or os.environ.get("VICTOR_DEBUG", "").lower() in {"1", "true", "yes"}
    sys.exit(run(args, debug=debug))


def run(args: list[str], *, debug: bool = False) -> int:
    """Run the command line and return its exit code; every error ends here."""
    if args[:1] == ["scan-secrets"]:  # the commit hook's fast path: argparse, no Typer, no pydantic
        from victor.secrets.command import main as scan_secrets

        return _guarded(lambda: scan_secrets(args[1:]), debug=debug)
    return _guarded(lambda: _run_typer(with_default_command(args), debug=debug), debug=debug)


COMMAND_NAMES = frozenset(name.replace("_", "-") for name in COMMANDS)
ROOT_OPTIONS = frozenset({"--debug", "--version", "-V", "--help", "-h"})


def with_default_command(args: list[str]) -> list[str]:
    """`victor [--profile P] [--offline] [--plain] [PROMPT]` is `victor chat …`, as `claude "…"` opens a
    session with a first prompt: anything after the root's own options that is not a command name goes
    to `chat`. A lone word that is nearly a command name is a typo, not a prompt."""
    start = 0
    while start < len(args) and args[start] in ROOT_OPTIONS:
        start += 1
    if start < len(args) and args[start] in ROOT_OPTIONS | COMMAND_NAMES:
        return args
    if start == len(args):
        return [*args, "chat"] if not set(args) & {"--version", "-V", "--help", "-h"} else args
    word = args[start]
    if not word.startswith("-") and " " not in word:
        from difflib import get_close_matches

        close = get_close_matches(word, sorted(COMMAND_NAMES), n=1, cutoff=0.6)
        if close:
            from victor.errors import UsageError

            raise UsageError(f"no command '{word}'; did you mean '{close[0]}'?",
                             hint="`victor --help` lists the commands; quote a one-word prompt as `victor chat WORD`")
    return [*args[:start], "chat", *args[start:]]


def _run_typer(args: list[str], *, debug: bool) -> int:
    import typer
    from typer.main import get_command

    command = get_command(build_app())
    try:
        result = command.main(args=args, prog_name="victor", standalone_mode=False)
    except typer.TyperException as exc:  # click's usage and parameter errors
        if debug:
            raise
        show = getattr(exc, "show", None)
        show() if show else print(f"victor: error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print("victor: aborted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0


def _guarded(command: Callable[[], int], *, debug: bool) -> int:
    """Call `command` and turn every error into a one-line message and its exit code."""
    from victor.errors import VictorError

    try:
        return command()
    except VictorError as exc:
        if debug:
            raise
        print(f"victor: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  hint: {exc.hint}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("victor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if debug:
            raise
        print(f"victor: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  hint: run again with --debug for the traceback, and report it", file=sys.stderr)
        return 1
