"""Parse stage: seed text → ``Report`` with raw blocks and article metadata.

The seed is a scraped news article. Its content-farm boilerplate (文章正文,
发布时间, 原标题, 责编, the closing byline) becomes metadata or is dropped; what
remains is the body as headings, a photo caption and paragraphs, in order.
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError
from .model import Block, Report

SENTENCE_END = "。!?;…!?;"
MAX_HEADING_CHARS = 30
DROPPED_LINES = {"文章正文", "正文", "返回搜狐,查看更多"}
PUBLISHED = re.compile(r"^发布时间[::]\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?")
# The spinner also rewrites the label itself: 原标题 comes back as 本题目.
ORIGINAL_TITLE = re.compile(r"^(?:原标题|本题目|原题目|本标题)[::]\s*(.+)$")
EDITORS = re.compile(r"^[((]\s*责(?:任)?编(?:辑)?[::]\s*(.+?)\s*[))]$")
BYLINE = re.compile(r"[((]\s*文\s*/\s*([^()()]+?)\s*[))]\s*$")
PART_HEADING = re.compile(r"^(?:回眸|展望|回顾)\s*\d{4}\s*[::]")
PHOTO_CREDIT = re.compile(r"(记者|通讯员|摄影)\s*(\S+)\s*\S*摄$")
# The spinner turns 作 into 做, so accept both in 作政府工作报告.
PRESENTER = re.compile(r"((?:区|市|县|省)长|主席|州长)([\u4e00-\u9fff]{2,3}?)(?:代表\S{2,8}?)?[做作]政府工[做作]报告")
BLANKS = " \t\u3000\u00a0\ufeff"


def read_seed(path: Path) -> str:
    """Read a seed file (``-``: standard input) as text, or raise ``InputError`` naming it and saying why.

    UTF-8 with or without a byte order mark; UTF-16 and UTF-32 when they start with theirs
    (Windows editors save "Unicode" text that way), since the mark makes the encoding certain.
    """
    import sys  # local: the rest of this module never needs it

    path = Path(path)
    name = "<stdin>" if str(path) == "-" else path
    if str(path) == "-":
        data = sys.stdin.buffer.read()
    elif not path.is_file():
        raise InputError(path, "file not found (expected a UTF-8 text file of the report article)")
    else:
        data = path.read_bytes()
    # Longest mark first: the UTF-32-LE mark starts with the UTF-16-LE one.
    marks = ((b"\xff\xfe\x00\x00", "UTF-32-LE"), (b"\x00\x00\xfe\xff", "UTF-32-BE"),
             (b"\xff\xfe", "UTF-16-LE"), (b"\xfe\xff", "UTF-16-BE"))
    codec = next(((mark, label) for mark, label in marks if data.startswith(mark)), None)

    def readable(text: str) -> bool:  # a real article is almost all printable characters and line breaks
        return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text)

    if codec:
        mark, label = codec
        try:
            text = data[len(mark):].decode(label)
            problem = "" if readable(text) else "the text after it is not readable"
        except UnicodeDecodeError as err:
            problem = f"invalid bytes at offset {err.start + len(mark)}"
        if problem:
            raise InputError(name, f"not UTF-8, and not {label} though it starts with that byte order mark ({problem})")
    elif b"\x00" in data:
        for label in ("UTF-16-LE", "UTF-16-BE"):
            try:
                guess = data.decode(label)
            except UnicodeDecodeError:
                continue
            if readable(guess):
                raise InputError(name, f"looks like {label} without a byte order mark; save it as UTF-8")
        raise InputError(name, "file is binary (contains NUL bytes), not a text article")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            hint = ""
            try:
                data.decode("gb18030")
                hint = "; it decodes as GB18030: convert it with `iconv -f GB18030 -t UTF-8`"
            except UnicodeDecodeError:
                pass
            raise InputError(name, f"not UTF-8 (invalid byte at offset {err.start}){hint}") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(name, "file is empty")
    if "\x00" in text:
        raise InputError(name, "file is binary (contains NUL characters), not a text article")
    return text


def parse(text: str, source: str = "<text>") -> Report:
    """Turn the text of one scraped report article into a ``Report`` of raw blocks."""
    lines = [line.strip(BLANKS) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(source, "no text: the file holds only white space")
    title, rest = lines[0], lines[1:]
    if ORIGINAL_TITLE.match(title) or PUBLISHED.match(title) or len(title) > 120:
        raise InputError(source, f"no recognisable title on the first line (found {title[:40]!r})")

    meta: dict = {"editors": (), "reporter": (), "correspondent": (), "published": "",
                  "original_title_raw": "", "photo_credit": "", "presenter": ""}
    body: list[str] = []
    for line in rest:
        if line in DROPPED_LINES:
            continue
        if match := PUBLISHED.match(line):
            meta["published"] = _iso_time(match)
        elif match := ORIGINAL_TITLE.match(line):
            meta["original_title_raw"] = match.group(1).strip()
        elif match := EDITORS.match(line):
            meta["editors"] = tuple(n.strip() for n in re.split(r"[、,,\s]+", match.group(1)) if n.strip())
        else:
            body.append(line)

    if body and (match := BYLINE.search(body[-1])):
        meta.update(_byline(match.group(1)))
        body[-1] = body[-1][: match.start()].rstrip(BLANKS)
        if not body[-1]:
            body.pop()

    blocks = _blocks(body)
    if not any(b.kind == "paragraph" for b in blocks):
        raise InputError(source, "no body: found no paragraph of running text after the title")
    for block in blocks:
        if match := PRESENTER.search(block.raw):
            meta["presenter"] = match.group(1) + match.group(2)
            break
    caption = next((b for b in blocks if b.kind == "caption"), None)
    if caption and (match := PHOTO_CREDIT.search(caption.raw)):
        meta["photo_credit"] = f"{match.group(1)} {match.group(2)}"
    return Report(slug=Path(source).stem, source=str(source), title=title,
                  original_title=meta["original_title_raw"], blocks=tuple(blocks), **meta)


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    part = section = None
    for line in lines:
        index = len(blocks)
        if _is_heading(line):
            level = 1 if PART_HEADING.match(line) else 2
            if level == 1:
                part, section = line, None
            else:
                section = line
            blocks.append(Block(index, "heading", line, line, level=level, part=part,
                                section=section if level == 2 else None))
        elif not blocks and PHOTO_CREDIT.search(line):
            blocks.append(Block(index, "caption", line, line))
        else:
            blocks.append(Block(index, "paragraph", line, line, part=part, section=section))
    return blocks


def _is_heading(line: str) -> bool:
    return len(line) <= MAX_HEADING_CHARS and line[-1] not in SENTENCE_END + ")),、:" and not PHOTO_CREDIT.search(line)


def _iso_time(match: re.Match) -> str:
    year, month, day, hour, minute = match.groups()
    date = f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{date}T{int(hour):02d}:{minute}" if hour else date


def _byline(text: str) -> dict:
    """Split 记者 A B 通讯员 C into reporter and correspondent names."""
    roles = {"记者": "reporter", "通讯员": "correspondent"}
    found: dict[str, list[str]] = {"reporter": [], "correspondent": []}
    current = "reporter"
    for token in re.split(r"[\s、,,]+", text):
        if token in roles:
            current = roles[token]
        elif token:
            found[current].append(token)
    return {key: tuple(names) for key, names in found.items()}
