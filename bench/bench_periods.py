"""Benchmark: figure periods, kinds and part-year flags against gold written by reading.

Prints, for the tuned reports and the held-out reports separately: the share of figures of the
past-year review marked results of that year, the share of figures of the coming-year plan marked
plans of that year, and the overall agreement (period, kind and partial all equal). ``-v`` lists
every disagreement. Gold: tests/fixtures/periods/<report>.tsv (see the README there).
"""
from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts import pipeline  # noqa: E402
from build_scripts.evaluation import seed_line_blocks  # noqa: E402
from build_scripts.model import Figure, Report  # noqa: E402

GOLD_DIR = ROOT / "tests" / "fixtures" / "periods"
_SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "official-2026"
CORPUS = _SHARED if _SHARED.is_dir() else Path(__file__).resolve().parent.parent / "seeds"
SEED = ROOT / "seeds" / "000_89c8bcedadaad6b3.txt"
# The split of the team rules: tune on these (and the seed), only measure on the others.
TUNED = {"seed_000", "anhui", "chongqing", "fujian", "guangxi", "guizhou", "hainan", "hebei",
         "heilongjiang", "henan", "hubei", "hunan"}
HELD_OUT = {"jiangsu", "jiangxi", "liaoning", "neimenggu", "ningxia", "shanghai", "shanxi", "sichuan",
            "tianjin", "xinjiang", "xizang"}
@dataclass(frozen=True)
class Row:
    """One gold figure: where it is, what it is and its period, kind and partial flag."""

    file: str
    block: str  # the first characters of the block's raw text, or "line N" of the seed
    figure: str
    period: str
    kind: str
    partial: bool
    note: str


def load_gold(path: Path) -> list[Row]:
    """The rows of one gold file; a malformed row raises ``ValueError`` naming file and line."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            if row.get("kind") not in ("result", "plan", "other") or row.get("partial") not in ("0", "1"):
                raise ValueError(f"{path}: line {number}: kind must be result/plan/other and partial 0/1")
            if not re.fullmatch(r"(?:19|20)\d\d(?:-(?:19|20)\d\d)?|other", row.get("period") or ""):
                raise ValueError(f"{path}: line {number}: period {row.get('period')!r} is not a year, range or other")
            rows.append(Row(row["file"], row["block"], row["figure"], row["period"], row["kind"],
                            row["partial"] == "1", row["note"]))
    return rows


def gold_files() -> dict[str, Path]:
    """Every gold file by report name."""
    return {path.stem: path for path in sorted(GOLD_DIR.glob("*.tsv"))}


@lru_cache(maxsize=32)
def load(name: str) -> Report:
    """The processed report of a gold file's name (the seed or a corpus file)."""
    from build_scripts.parse import parse, read_seed

    path = SEED if name == "seed_000" else CORPUS / f"{name}.txt"
    return pipeline.run_stages(parse(read_seed(path), str(path)))


def _line_blocks(report: Report, snippet: str) -> list:
    """The blocks made from the source line that starts with ``snippet``, in order.

    A source line may become several blocks (a numbered heading and its paragraph), so the
    blocks are followed along the line as long as they continue it.
    """
    text = Path(report.source).read_text(encoding="utf-8")
    line = next((l.strip(" \t\u3000\u00a0\ufeff") for l in text.splitlines()
                 if l.strip(" \t\u3000\u00a0\ufeff").startswith(snippet)), None)
    if line is None:
        return []
    for i, block in enumerate(report.blocks):
        if block.raw and line.startswith(block.raw):
            found, offset = [block], len(block.raw)
            for after in report.blocks[i + 1:]:
                at = line.find(after.raw, offset) if after.raw else -1
                if at == -1 or line[offset:at].strip():
                    break
                found.append(after)
                offset = at + len(after.raw)
            return found
    return []


def match(report: Report, rows: list[Row]) -> list[tuple[Row, Figure | None]]:
    """Each gold row with the extracted figure it names (the n-th of that text on its line), or None."""
    lines = seed_line_blocks(Path(report.source).read_text(encoding="utf-8"), report) if any(r.block.startswith("line ") for r in rows) else {}
    seen: Counter = Counter()
    pairs = []
    for row in rows:
        if row.block.startswith("line "):
            index = lines.get(int(row.block.split()[1]))
            blocks = [report.blocks[index]] if index is not None else []
        else:
            blocks = _line_blocks(report, row.block)
        same = [f for b in blocks for f in b.figures if f.text == row.figure]
        nth = seen[(row.block, row.figure)]
        seen[(row.block, row.figure)] += 1
        pairs.append((row, same[nth] if nth < len(same) else None))
    return pairs


def planned_year(rows: list[Row]) -> int:
    """The year the report plans for, by the gold: its latest single-year plan."""
    return max(int(r.period) for r in rows if r.kind == "plan" and r.period.isdigit())


@dataclass
class Score:
    """Counts of agreement with the gold over a set of reports."""

    review: int = 0
    review_hits: int = 0
    plan: int = 0
    plan_hits: int = 0
    rows: int = 0
    agree: int = 0

    def add(self, other: "Score") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def review_share(self) -> float:
        return self.review_hits / max(1, self.review)

    @property
    def plan_share(self) -> float:
        return self.plan_hits / max(1, self.plan)

    @property
    def agreement(self) -> float:
        return self.agree / max(1, self.rows)


def score(name: str, rows: list[Row], misses: list | None = None) -> Score:
    """How far the extracted periods of one report agree with its gold rows."""
    result = Score()
    year = planned_year(rows)
    for row, figure in match(load(name), rows):
        got = (figure.period, figure.kind, figure.partial) if figure else None
        same = got == (row.period, row.kind, row.partial)
        result.rows += 1
        result.agree += same
        if row.kind == "result" and row.period == str(year - 1):
            result.review += 1
            result.review_hits += bool(got and got[:2] == (row.period, row.kind))
        if row.kind == "plan" and row.period == str(year):
            result.plan += 1
            result.plan_hits += bool(got and got[:2] == (row.period, row.kind))
        if not same and misses is not None:
            misses.append((name, row, got))
    return result


def split_scores(misses: list | None = None) -> dict[str, Score]:
    """Scores of the tuned and the held-out gold reports."""
    scores = defaultdict(Score)
    for name, path in gold_files().items():
        split = "held-out" if name in HELD_OUT else "in-sample"
        scores[split].add(score(name, load_gold(path), misses))
    return dict(scores)


def main() -> None:
    """Print the shares per split, and every disagreement with -v."""
    misses: list = []
    for split, s in sorted(split_scores(misses).items(), key=lambda kv: kv[0] != "in-sample"):
        print(f"{split:9}: past-year review marked result of that year {s.review_share:.1%} ({s.review_hits}/{s.review}); "
              f"coming-year plan marked plan of that year {s.plan_share:.1%} ({s.plan_hits}/{s.plan}); "
              f"agreement {s.agreement:.1%} ({s.agree}/{s.rows})")
    from build_scripts.figures import unused_period_cues

    tuned = [load(name) for name in gold_files() if name in TUNED]
    tuned += [pipeline.load_report(path) for path in sorted(CORPUS.glob("*.txt")) if path.stem in TUNED - set(gold_files())]
    unused = unused_period_cues(tuned)
    print(f"period cues that never occur in the tuned reports ({len(unused)}): {', '.join(unused) or 'none'}")
    if "-v" in sys.argv:
        for name, row, got in misses:
            print(f"  {name} [{row.block}] {row.figure}: gold {row.period} {row.kind} {int(row.partial)}, got {got}")


if __name__ == "__main__":
    main()
