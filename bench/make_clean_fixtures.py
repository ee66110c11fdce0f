"""Write the cleaner's held-out test fixtures from the official corpus (run once; the fixtures are committed).

    .venv/bin/python bench/make_clean_fixtures.py

* tests/fixtures/heldout_clean_prose.txt: body lines of held-out reports, as published;
* tests/fixtures/heldout_spun_seed.tsv: held-out lines and the same lines spun with the
  substitutions the seed shows against its gold restoration (evaluation.substitutions);
* tests/fixtures/heldout_spun_cnsyn.tsv: held-out lines spun with bench/corpus/spinner_cnsyn.tsv.
The originals are the reports' own text; only the spinners (not the cleaner) made the spun side.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_clean import CNSYN_TABLE, GOLD, SEED, read_table, words  # noqa: E402
from build_scripts.evaluation import spin, substitutions  # noqa: E402
from build_scripts.train_language_model import DEFAULT_CORPUS  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
MIN_LINE = 60  # body paragraphs, not headings or page chrome


def body_lines(name: str, first: int, count: int) -> list[str]:
    """``count`` body paragraphs of a held-out report, from its ``first``-th body paragraph on."""
    lines = [l.strip() for l in (DEFAULT_CORPUS / f"{name}.txt").read_text(encoding="utf-8").split("\n")]
    body = [l for l in lines if len(l) >= MIN_LINE]
    return body[first:first + count]


def main() -> int:
    """Write the three fixtures."""
    prose = [("jiangsu", 5, 8), ("ningxia", 20, 8), ("xizang", 10, 8), ("shanghai", 30, 6)]
    out = ["# Held-out clean report prose (never used to train or tune the cleaner): body paragraphs of "
           + ", ".join(f"{n}.txt" for n, _, _ in prose) + " from shared/corpus/official-2026 "
           "(official 2026 provincial government work reports). Made by bench/make_clean_fixtures.py."]
    for name, first, count in prose:
        out += body_lines(name, first, count)
    (FIXTURES / "heldout_clean_prose.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
    seed_table = substitutions(SEED.read_text(encoding="utf-8"), GOLD.read_text(encoding="utf-8"), words)
    for fixture, name, table, how in [
            ("heldout_spun_seed.tsv", "tianjin", seed_table, "the substitutions the seed shows against its gold"),
            ("heldout_spun_cnsyn.tsv", "shanxi", read_table(CNSYN_TABLE), "bench/corpus/spinner_cnsyn.tsv")]:
        lines = body_lines(name, 10, 20)
        rows = [f"# Held-out lines of {name}.txt (official-2026) and the same lines spun with {how}; "
                "made by bench/make_clean_fixtures.py. original<TAB>spun"]
        rows += [f"{line}\t{spin(line, table, words)}" for line in lines]
        (FIXTURES / fixture).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
