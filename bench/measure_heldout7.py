#!/usr/bin/env python3
"""Round 7 held-out figure recall, against gold written by reading.

Usage:
  python measure.py REPO            extract with REPO/build_scripts, score, write extra.tsv
  python measure.py --sample        print the sampled paragraphs (for annotators; no extraction)

Writes extra.tsv (extracted figures matching no gold quantity; gold_nonquantity = yes when the
figure's span overlaps, or its text contains / is contained in, a gold non-quantity of that
paragraph; `reading` is kept from an earlier extra.tsv for the same figure, else left blank for a
reader), labels.tsv (each matched figure's label beside the gold label, with the period the full
pipeline (parse -> clean -> extract_figures) gives the figure beside the gold period).

The only call into the project is build_scripts.figures.find_figures(paragraph_text), its
public per-string API (README: figures.py gives every quantity with unit, value, label, ...).
Matching follows the project's own gold scoring (tests/test_figures.py: multisets of
(paragraph, value, unit)); a lenient pass also accepts unit+"元" (亿 → 亿元) and equal base
values via the project's units table when it can be loaded.
"""
from __future__ import annotations

import csv
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "heldout7"  # round 7 gold, written by reading
TEXTS = HERE / "texts"
SOURCES = HERE / "SOURCES.tsv"
GOLD = HERE / "gold_quantities.tsv"
NONQ = HERE / "gold_nonquantities.tsv"
SAMPLE = HERE / "sample.tsv"
EXTRA = HERE / "extra.tsv"
LABELS = HERE / "labels.tsv"
SEED, PER_FILE, MIN_CHARS = 7, 6, 60


# ------------------------------------------------------------------ sampling (no project code)
def paragraphs(path: Path) -> list[str]:
    """Lines of the file (str.splitlines); index = 0-based line index, blank lines counted."""
    return path.read_text(encoding="utf-8").splitlines()


def sample_indices(lines: list[str]) -> list[int]:
    eligible = sorted(i for i, line in enumerate(lines) if len(line.strip()) >= MIN_CHARS)
    rng = random.Random(SEED)  # a fresh generator per file
    return sorted(rng.sample(eligible, min(PER_FILE, len(eligible))))


def text_files() -> list[Path]:
    return sorted(TEXTS.glob("*.txt")) if TEXTS.is_dir() else []


def build_sample() -> dict[str, list[int]]:
    chosen = {f.name: sample_indices(paragraphs(f)) for f in text_files()}
    with open(SAMPLE, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter="\t")
        w.writerow(["file", "paragraph_index"])
        for name, idx in chosen.items():
            for i in idx:
                w.writerow([name, i])
    return chosen


def read_tsv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r.get("file")]


# ------------------------------------------------------------------ matching
def norm_value(v) -> float:
    return round(float(v), 6)


def base_of(value: float, unit: str, table):
    """(base value, base unit) from the project's units table (magnitude prefix + unit), or None."""
    if table is None:
        return None
    units, mags = getattr(table, "units", {}), getattr(table, "magnitudes", {})
    for mag in sorted(mags, key=len, reverse=True) + [""]:
        if unit.startswith(mag) and unit[len(mag):] in units:
            u = units[unit[len(mag):]]
            factor = (mags[mag] if mag else 1.0) * getattr(u, "multiplier", 1.0)
            if mag and not getattr(u, "scalable", True):
                continue
            return round(value * factor, 4), u.base
    return None


def main_sample() -> None:
    chosen = build_sample()
    if not chosen:
        print("no texts in", TEXTS)
        return
    for f in text_files():
        lines = paragraphs(f)
        for i in chosen[f.name]:
            print(f"=== {f.name}\t{i}\n{lines[i].strip()}\n")


def main(repo: str) -> None:
    sys.path.insert(0, str(Path(repo).resolve()))
    from build_scripts.figures import find_figures  # the one call into the project
    try:
        from build_scripts.figures import load_units
        table = load_units()
    except Exception:
        table = None

    chosen = build_sample()
    gold = read_tsv(GOLD)
    nonq = read_tsv(NONQ)
    sources = {r["file"]: r for r in read_tsv(SOURCES)}
    print(f"repo: {Path(repo).resolve()}")
    print(f"texts: {len(chosen)}  sampled paragraphs: {sum(len(v) for v in chosen.values())}  "
          f"gold quantities: {len(gold)}  gold non-quantities: {len(nonq)}")
    if not chosen:
        print("nothing to measure: texts/ is empty (see SEARCH_LOG.md)")
        with open(EXTRA, "w", encoding="utf-8") as out:
            out.write("file\tparagraph_index\ttext\tvalue\tunit\tlabel\tqualifier\tnonquantity_reason\n")
        return

    # gold rows outside the sample are a bookkeeping error; report them
    stray = [r for r in gold if int(r["paragraph_index"]) not in chosen.get(r["file"], [])]
    for r in stray:
        print(f"WARNING gold row outside the sample: {r['file']} {r['paragraph_index']} {r['text']}")

    found_by_par: dict[tuple[str, int], list] = {}
    lines_of = {f.name: paragraphs(f) for f in text_files()}
    for f in text_files():
        lines = paragraphs(f)
        for i in chosen[f.name]:
            found_by_par[(f.name, i)] = find_figures(lines[i].strip())

    gold_by_par = defaultdict(list)
    for r in gold:
        gold_by_par[(r["file"], int(r["paragraph_index"]))].append(r)
    nonq_by_par = defaultdict(list)
    for r in nonq:
        nonq_by_par[(r["file"], int(r["paragraph_index"]))].append(r)

    per_file = defaultdict(lambda: [0, 0, 0])  # strict hits, lenient hits, gold
    misses, extras, pairs = [], [], []
    for key, figs in found_by_par.items():
        g_rows = gold_by_par.get(key, [])
        strict_pool = Counter((norm_value(f.value), f.unit) for f in figs)
        used = Counter()
        matched_fig = [False] * len(figs)
        paired = [False] * len(figs)  # for the label / period listing only; scoring is unchanged

        def pair(fk, r, how):
            for j, f in enumerate(figs):
                if not paired[j] and (norm_value(f.value), f.unit) == fk:
                    paired[j] = True
                    pairs.append((key, r, f, how))
                    return
        for r in g_rows:
            per_file[key[0]][2] += 1
            gk = (norm_value(r["value"]), r["unit"])
            how = None
            if strict_pool[gk] - used[gk] > 0:
                used[gk] += 1
                how = "strict"
                pair(gk, r, how)
            if how is None:  # lenient: 亿 → 亿元, or the same base amount
                gb = base_of(float(r["value"]), r["unit"], table)
                for j, f in enumerate(figs):
                    if matched_fig[j]:
                        continue
                    fk = (norm_value(f.value), f.unit)
                    if (norm_value(f.value) == gk[0] and f.unit + "元" == gk[1]) or (
                            gb is not None and f.base_value is not None
                            and (round(f.base_value, 4), f.base_unit) == gb):
                        if strict_pool[fk] - used[fk] > 0:
                            used[fk] += 1
                            how = "lenient"
                            pair(fk, r, how)
                            break
            if how == "strict":
                per_file[key[0]][0] += 1
                per_file[key[0]][1] += 1
            elif how == "lenient":
                per_file[key[0]][1] += 1
            else:
                got = "; ".join(f"{f.text}={f.value:g}{f.unit}" for f in figs) or "(none)"
                misses.append((key[0], key[1], r["text"], r["value"], r["unit"], r["label"], got))
        # extras: extracted figures left after all gold rows are matched
        left = Counter((norm_value(f.value), f.unit) for f in figs) - used
        for f in figs:
            fk = (norm_value(f.value), f.unit)
            if left[fk] > 0:
                left[fk] -= 1
                par = lines_of[key[0]][key[1]].strip()
                reason = next((n["reason"] for n in nonq_by_par.get(key, [])
                               if overlaps(par, n["text"], f) or n["text"] in f.text or f.text in n["text"]), "")
                extras.append((key[0], key[1], f.text, f"{f.value:g}", f.unit, f.label, f.qualifier,
                               "yes" if reason else "", reason))

    tot = [sum(v[i] for v in per_file.values()) for i in range(3)]
    print(f"\nrecall strict (same paragraph, value, unit): {tot[0]}/{tot[2]} = {tot[0] / max(1, tot[2]):.1%}")
    print(f"recall lenient (+ 亿→亿元, same base amount): {tot[1]}/{tot[2]} = {tot[1] / max(1, tot[2]):.1%}")
    print("\nper file (strict / lenient / gold):")
    for name in sorted(per_file):
        s, l, g = per_file[name]
        src = sources.get(name, {})
        print(f"  {name}\t{s}/{l}/{g}\t{src.get('place', '')} {src.get('year', '')}")
    print(f"\nmisses ({len(misses)}): file, paragraph, gold text, value, unit, label | extracted there")
    for m in misses:
        print("  " + "\t".join(str(x) for x in m[:6]) + "\t| " + m[6])
    print(f"\nextracted figures matching no gold quantity: {len(extras)} (written to {EXTRA})")
    old_reading = {}
    for r in read_tsv(EXTRA):
        if r.get("reading"):
            old_reading[(r["file"], r["paragraph_index"], r["text"], r["value"], r["unit"])] = r["reading"]
    with open(EXTRA, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "paragraph_index", "text", "value", "unit", "label", "qualifier",
                    "gold_nonquantity", "nonquantity_reason", "reading"])
        for e in extras:
            w.writerow(list(e) + [old_reading.get((e[0], str(e[1]), e[2], e[3], e[4]), "")])
    ex = Counter("gold non-quantity" if e[7] else "not in gold" for e in extras)
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(ex.items())))

    # labels and periods of the matched figures; periods from the full pipeline on the whole text
    doc_figs = document_figures(repo, sources)
    old_label = {}
    for r in read_tsv(LABELS):
        if r.get("label_ok"):
            old_label[(r["file"], r["paragraph_index"], r["gold_text"], r["gold_label"], r["found_text"])] = r["label_ok"]
    wrong_period = no_period = 0
    with open(LABELS, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "paragraph_index", "match", "gold_text", "gold_label", "found_text", "found_label",
                    "gold_period", "found_period", "period_ok", "label_ok"])
        for key, r, f, how in pairs:
            dl = doc_figs.get(key, [])
            j = next((i for i, d in enumerate(dl) if d.text == f.text and norm_value(d.value) == norm_value(f.value)), None)
            fp = dl.pop(j).period if j is not None else "(not found)"
            ok = period_ok(r["period"], fp)
            wrong_period += ok == "no"
            no_period += ok == "none"
            w.writerow([key[0], key[1], how, r["text"], r["label"], f.text, f.label, r["period"], fp, ok,
                        old_label.get((key[0], str(key[1]), r["text"], r["label"], f.text), "")])
    lab = Counter(r.get("label_ok") or "(unread)" for r in read_tsv(LABELS))
    rd = Counter((r.get("reading") or "(unread)").split(" (")[0] for r in read_tsv(EXTRA))
    print("extra.tsv readings: " + ", ".join(f"{k}: {v}" for k, v in sorted(rd.items())))
    print("labels.tsv label_ok (as read): " + ", ".join(f"{k}: {v}" for k, v in sorted(lab.items())))
    print(f"\nmatched figures: {len(pairs)}; period wrong: {wrong_period}; no period (other/not found): {no_period}"
          f"  (written to {LABELS})")


def overlaps(par: str, needle: str, f) -> bool:
    """Does an occurrence of needle in the paragraph overlap the figure's span?"""
    if not needle or getattr(f, "end", 0) <= getattr(f, "start", 0):
        return False
    start = par.find(needle)
    while start >= 0:
        if start < f.end and f.start < start + len(needle):
            return True
        start = par.find(needle, start + 1)
    return False


def period_ok(gold: str, found: str) -> str:
    """yes / no / none: gold is a year or multi; found is a year, a range YYYY-YYYY or other."""
    if found in ("other", "(not found)", ""):
        return "none"
    if gold == "multi":
        return "yes" if "-" in found else "no"
    return "yes" if found == gold else "no"


def document_figures(repo: str, sources: dict) -> dict:
    """Figures of each sampled paragraph as the full pipeline (parse, clean, extract_figures) dates them."""
    from build_scripts.parse import parse
    from build_scripts.clean import clean
    from build_scripts.figures import extract_figures
    chosen = {r["file"]: [] for r in read_tsv(SAMPLE)}
    for r in read_tsv(SAMPLE):
        chosen[r["file"]].append(int(r["paragraph_index"]))
    out = {}
    for f in text_files():
        lines = paragraphs(f)
        # parse() wants a title line; the texts start at 各位代表, so one is put before them (in memory only)
        src = sources.get(f.name, {})
        title = f"{src.get('place', '')}{src.get('year', '')}年政府工作报告"
        report = extract_figures(clean(parse(title + "\n" + f.read_text(encoding="utf-8"), str(f))))
        blocks = [b for b in report.blocks if b.kind != "heading"]
        for i in chosen.get(f.name, []):
            par = lines[i].strip()
            figs = []
            for b in blocks:
                if b.raw and b.raw.strip() and b.raw.strip() in par and len(b.raw.strip()) >= 10:
                    figs.extend(b.figures)
            out[(f.name, i)] = figs
    return out


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--sample":
        main_sample()
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
