"""How well the cleaner restored a seed, measured against a line-for-line gold restoration.

Shared by the tests and `make bench`, so both count wrong characters the same way.
"""
from __future__ import annotations

from collections import Counter

from .model import Report
from .parse import BLANKS, BYLINE, ORIGINAL_TITLE


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings, in characters."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def seed_line_blocks(seed_text: str, report: Report) -> dict[int, int]:
    """Map each 1-based seed line to the index of the block parsed from it (gold files cite seed lines)."""
    mapping: dict[int, int] = {}
    for number, line in enumerate(seed_text.replace("\r\n", "\n").split("\n"), start=1):
        stripped = line.strip(BLANKS)
        for block in report.blocks:
            if stripped and (block.raw == stripped or (len(block.raw) > 20 and stripped.startswith(block.raw))):
                mapping[number] = block.index
                break
    return mapping


def gold_pairs(report: Report, gold_text: str, seed_text: str) -> list[tuple[str, str, int]]:
    """(cleaned, gold, seed line number) for every block and the original title.

    Line N of the gold restores line N of the seed; the closing byline, which the
    parser lifts out of the last paragraph, is cut from the gold line as well.
    """
    gold_lines = [line.strip(BLANKS) for line in gold_text.split("\n")]
    seed_lines = [line.strip(BLANKS) for line in seed_text.split("\n")]
    pairs = []
    for block in report.blocks:
        index = next(i for i, line in enumerate(seed_lines) if line.startswith(block.raw))
        gold = gold_lines[index]
        if len(block.raw) < len(seed_lines[index]) and (match := BYLINE.search(gold)):
            gold = gold[:match.start()].rstrip(BLANKS)
        pairs.append((block.text, gold, index + 1))
    for number, line in enumerate(gold_lines, 1):
        if match := ORIGINAL_TITLE.match(line):
            pairs.append((report.original_title, match.group(1).strip(), number))
    return pairs


def character_errors(report: Report, gold_text: str, seed_text: str) -> tuple[int, int]:
    """Wrong characters of the cleaned report against the gold, and the gold's length."""
    pairs = gold_pairs(report, gold_text, seed_text)
    return sum(edit_distance(cleaned, gold) for cleaned, gold, _ in pairs), sum(len(gold) for _, gold, _ in pairs)


# ---- spinners for measuring repair on text the cleaner was not tuned on --------------

MAX_TOKENS = 4  # longest run of words a forward-table entry may cover


def substitutions(spun_text: str, gold_text: str, words, min_share: float = 0.5) -> dict[str, str]:
    """The spinner's regular substitutions a spun text shows against its gold restoration: original → spun.

    Line N of the gold restores line N of the spun text. Each difference is widened to
    whole words of the gold line (cut by ``words``, e.g. jieba's ``cut``), so that
    实→真 inside 落实 becomes the pair 落实 → 落真, which is how a spinner applies it.
    A pair is kept when the text shows it for at least ``min_share`` of the original's
    occurrences (as a run of words): the spinner left 新 alone forty times and wrote 重
    once, so "every 新 becomes 重" would not be this spinner.
    """
    import difflib

    forms: dict[str, Counter] = {}  # original → how often each spun form stands for it
    seen: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    gold_lines = gold_text.split("\n")
    for spun, gold in zip(spun_text.split("\n"), gold_lines):
        tokens = list(words(gold))
        bounds, at = [0], 0
        for word in tokens:
            at += len(word)
            bounds.append(at)
        for i in range(len(tokens)):
            for k in range(1, min(MAX_TOKENS, len(tokens) - i) + 1):
                run = "".join(tokens[i:i + k])
                occurrences[run] = occurrences.get(run, 0) + 1
        ops = difflib.SequenceMatcher(None, gold, spun, autojunk=False).get_opcodes()
        spans: list[list[int]] = []
        for op, g1, g2, _, _ in ops:
            if op == "equal":
                continue
            start = max(b for b in bounds if b <= g1)
            end = min((b for b in bounds if b >= max(g2, g1 + 1)), default=len(gold))
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)  # differences inside one word make one pair
            else:
                spans.append([start, end])
        equal = [(g1, g2, s1) for op, g1, g2, s1, _ in ops if op == "equal"]
        for start, end in spans:
            s_start, s_end = _to_spun(start, equal, gold, spun, False), _to_spun(end, equal, gold, spun, True)
            if s_start is None or s_end is None:
                continue
            original, spun_form = gold[start:end], spun[s_start:s_end]
            if original.strip() and spun_form.strip() and original != spun_form:
                forms.setdefault(original, Counter())[spun_form] += 1
                seen[original] = seen.get(original, 0) + 1
    # a widened span need not be a run of whole words of the gold (it is then counted once)
    return {o: _usual_form(f) for o, f in forms.items() if seen[o] >= min_share * max(occurrences.get(o, 0), seen[o])}


def _usual_form(forms: Counter) -> str:
    """The spun form seen most often; on a tie the shortest, as a longer one carries a neighbour's change.

    厘革正在 for 变化在 aligns as 变化 → 厘革正 (the spinner also wrote 正在 for 在), while 大厘革
    for 大变化 shows the spinner's own 变化 → 厘革.
    """
    return min(forms, key=lambda form: (-forms[form], len(form)))


def _to_spun(at: int, equal: list[tuple[int, int, int]], gold: str, spun: str, end: bool):
    """The spun-text offset of gold offset ``at`` where both texts agree there (else None).

    A start maps before, an end after, whatever the spinner inserted at that point.
    """
    if at == (len(gold) if end else 0):
        return len(spun) if end else 0
    for g1, g2, s1 in equal:
        if (g1 <= at < g2) if end else (g1 < at <= g2):
            return s1 + at - g1
    return None


def spin(text: str, table: dict[str, str], words) -> str:
    """Spin ``text`` with a forward table at word boundaries: leftmost-longest runs of words, every occurrence."""
    tokens = list(words(text))
    out, i = [], 0
    while i < len(tokens):
        for k in range(min(MAX_TOKENS, len(tokens) - i), 0, -1):
            joined = "".join(tokens[i:i + k])
            if joined in table:
                out.append(table[joined])
                i += k
                break
        else:
            out.append(tokens[i])
            i += 1
    return "".join(out)


def repair_share(originals: list[str], spun: list[str], cleaned: list[str]) -> tuple[float, int, int]:
    """(share of the damage repaired, damaged characters, characters still wrong), line by line."""
    damage = sum(edit_distance(s, o) for s, o in zip(spun, originals))
    left = sum(edit_distance(c, o) for c, o in zip(cleaned, originals))
    return (1 - left / damage if damage else 1.0), damage, left
