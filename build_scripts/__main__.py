"""Command line: ``python -m build_scripts {parse,clean,build,export,index} …`` — wiring only, no logic.

Each subcommand is a ``cmd_*`` function plus a few lines in ``make_parser``; every input problem
becomes one line ``error: FILE: problem`` on stderr and exit status 1.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import publish
from .errors import InputError
from .parse import read_seed

# The stages (jieba, the language model, pyecharts …) are imported by the commands that run them:
# `build` only starts MkDocs, whose hook imports them in the build process.

# What a Unix tool killed by SIGPIPE reports (128 + 13), so `set -o pipefail` scripts see the same.
EXIT_BROKEN_PIPE = 141


def cmd_parse(args) -> int:
    """Parse, clean, classify and extract figures from one seed (- reads standard input); print the record."""
    from . import pipeline

    report = pipeline.load_report(Path(args.file))
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(report.title)
        for block in report.blocks:
            print(f"[{block.index}] {block.kind} {block.theme or '-'}: {block.text}")
    return 0


def cmd_clean(args) -> int:
    """Print the cleaned text of any text file (- reads standard input), line for line."""
    from .clean import clean_lines

    text = read_seed(Path(args.file))
    # One document: whether (and how) it was spun is decided once, one line alone is too short to tell.
    sys.stdout.write("\n".join(cleaned.text for cleaned in clean_lines(text.split("\n"))))
    return 0


def cmd_build(args) -> int:
    """Build the whole site into a staging folder, then swap it in place of site/ (one build at a time)."""
    if args.no_cache:
        os.environ["EXPLAINER_NO_CACHE"] = "1"  # read by the MkDocs hook in the build process
    target = publish.build_site(Path(args.config), Path(args.site_dir), wait=args.wait)
    print(f"Site built: {target.resolve()}/index.html")
    return 0


def cmd_render(args) -> int:
    """Render the site into DIR, shard by shard (what ``build`` runs in its build process, before publishing)."""
    import logging

    from mkdocs.exceptions import Abort

    from . import dictionary, hooks, shards

    # MkDocs's own format, which ``publish`` reads back for the one error line: "ERROR    -  problem".
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    handler.setLevel(logging.INFO if args.verbose else logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO if args.verbose else logging.WARNING)
    dictionary.initialise()  # as the hook's on_startup, once, before the workers are forked
    try:
        shards.build_site(Path(args.config), Path(args.dir), hooks.build_cache())
    except InputError as err:
        logging.getLogger("mkdocs").error(one_line(str(err)))
        return 1
    except Abort:  # MkDocs has logged the problem of a shard that failed (its Abort says only that)
        return 1
    return 0


def cmd_export(args) -> int:
    """Write the generated Markdown, data and assets with a hook-free mkdocs.yml into DIR."""
    from . import settings, site
    from .cache import Cache
    from .markdown_export import export_site

    cache = Cache(None if args.no_cache or settings.get("EXPLAINER_NO_CACHE") else settings.get("EXPLAINER_CACHE"))
    model = site.gather_seeds(settings.get("EXPLAINER_SEEDS"), cache)
    out = export_site(model, Path(args.config), settings.ROOT / "docs", Path(args.dir))
    print(f"Exported: {out.resolve()}/mkdocs.yml (build it with `python -m mkdocs build -f` from the project root)")
    return 0


def cmd_index(args) -> int:
    """Index a site built by plain MkDocs for search (build_scripts/search_index.py), as ``build`` does."""
    from .search_index import index_site

    print(f"Indexed: {index_site(Path(args.dir)).resolve()}/")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser: one subparser per command, each pointing at its ``cmd_*`` function."""
    parser = argparse.ArgumentParser(prog="python -m build_scripts", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("parse", help=cmd_parse.__doc__)
    p.add_argument("file", help="seed file, or - for standard input")
    p.add_argument("--json", action="store_true", help="print the record as JSON")
    p.set_defaults(run=cmd_parse)
    c = commands.add_parser("clean", help=cmd_clean.__doc__)
    c.add_argument("file", help="text file, or - for standard input")
    c.set_defaults(run=cmd_clean)
    b = commands.add_parser("build", help=cmd_build.__doc__)
    b.add_argument("--config", default="mkdocs.yml")
    b.add_argument("--site-dir", default="site")
    b.add_argument("--wait", type=float, default=publish.LOCK_WAIT_SECONDS, metavar="SECONDS",
                   help="how long to wait for another build of the same site folder (default: %(default)g)")
    b.add_argument("--no-cache", action="store_true", help="process every report again (a cold build)")
    b.set_defaults(run=cmd_build)
    e = commands.add_parser("export", help=cmd_export.__doc__)
    e.add_argument("dir", help="folder to write docs/ and mkdocs.yml into")
    e.add_argument("--config", default="mkdocs.yml")
    e.add_argument("--no-cache", action="store_true", help="process every report again")
    e.set_defaults(run=cmd_export)
    r = commands.add_parser("render", help=cmd_render.__doc__)
    r.add_argument("dir", help="the folder to render the site into (it must be empty or new)")
    r.add_argument("--config", default="mkdocs.yml")
    r.add_argument("--verbose", action="store_true", help="log what MkDocs and the build do, not only problems")
    r.set_defaults(run=cmd_render)
    i = commands.add_parser("index", help=cmd_index.__doc__)
    i.add_argument("dir", help="the built site folder (its pages are indexed into DIR/search)")
    i.set_defaults(run=cmd_index)
    return parser


def main(argv=None) -> int:
    """Entry point of ``python -m build_scripts``."""
    args = make_parser().parse_args(argv)
    try:
        status = args.run(args)
        sys.stdout.flush()  # a closed pipe shows up here at the latest, inside the handler below
        return status
    except InputError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`parse --json | head`): stop quietly. Point stdout at /dev/null so
        # the interpreter's final flush does not raise again and print a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as err:
        # A file-system failure the stages did not foresee (a full disk, a folder made read-only by
        # hand) is still one line naming the file, not a traceback.
        print(f"error: {one_line(os_error_message(err))}", file=sys.stderr)
        return 1


def os_error_message(err: OSError) -> str:
    """``FILE: problem`` for an operating-system error, naming the file when the error knows it."""
    problem = err.strerror or str(err)
    if err.filename2 is not None:
        return f"{err.filename} → {err.filename2}: {problem}"
    return f"{err.filename}: {problem}" if err.filename is not None else problem


def one_line(message: str) -> str:
    """Fold a message onto one line: an error is one line, whatever the text it quotes."""
    return " ".join(message.splitlines()).strip()


if __name__ == "__main__":
    sys.exit(main())
