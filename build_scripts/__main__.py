"""Command line: ``python -m build_scripts {parse,clean,build} …`` — wiring only, no logic."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import pipeline, publish
from .clean import clean_text, looks_spun, spin_hits
from .errors import InputError
from .parse import read_seed


def cmd_parse(args) -> int:
    """Parse, clean, classify and extract figures from one seed; print the report record."""
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
    """Print the cleaned text of any UTF-8 text file, line for line."""
    text = read_seed(Path(args.file))
    # Decide once per file whether it was spun: one line alone is too short to tell.
    spun = looks_spun(spin_hits(text), len(text))
    sys.stdout.write("\n".join(clean_text(line, spun=spun).text for line in text.split("\n")))
    return 0


def cmd_build(args) -> int:
    """Build the whole site into a staging folder, then swap it in place of site/."""
    target = publish.build_site(Path(args.config), Path(args.site_dir))
    print(f"Site built: {target.resolve()}/index.html")
    return 0


def main(argv=None) -> int:
    """Entry point of ``python -m build_scripts``."""
    parser = argparse.ArgumentParser(prog="python -m build_scripts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("parse", help=cmd_parse.__doc__)
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the record as JSON")
    p.set_defaults(run=cmd_parse)
    c = commands.add_parser("clean", help=cmd_clean.__doc__)
    c.add_argument("file")
    c.set_defaults(run=cmd_clean)
    b = commands.add_parser("build", help=cmd_build.__doc__)
    b.add_argument("--config", default="mkdocs.yml")
    b.add_argument("--site-dir", default="site")
    b.set_defaults(run=cmd_build)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
