"""Parse stage: report text → ``Report`` with raw blocks and metadata.

Three shapes of input reach it, and ``Report.shape`` records which it saw:

* ``article``: a news article about a report session (the seeds). Its content-farm
  boilerplate (文章正文, 发布时间, 原标题, 责编, the closing byline) becomes metadata or is dropped.
* ``official``: the official full text as scraped from a government or library page: page
  chrome, title, ——date在…会议上, 来源/时间, the presenter, 各位代表：, then 一、/（一）/1. headings.
* ``plain``: a title line and paragraphs.

What remains is the body as headings, captions and paragraphs, in order. Every body line
ends up in exactly one block, or in two adjacent blocks when a numbered heading runs into its
paragraph (（一）着力推动“四稳”政策落地。…): nothing is lost, nothing is duplicated.
What the parser must know about the genre (chrome, labels, heading and place patterns,
presenter titles) is reviewed data in ``data/parse_rules.yml``; this module holds the procedure.
"""
from __future__ import annotations

import datetime
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


from .errors import InputError
from .markup import drop_unshowable
from .rules_yaml import load_yaml, require_keys
from .model import Block, Report

RULES_PATH = Path(__file__).parent / "data" / "parse_rules.yml"
SHAPES = ("article", "official", "plain")
SENTENCE_END = "。!?;…!?;"
# A numbered heading's lead ends at its first full stop; ； and ： continue a sentence.
LEAD_END = re.compile(r"[。！？!?]")
HEAD_LINES = 15  # the header of the official text (title … 各位代表：) is never longer
CJK = "\u4e00-\u9fff"
# Shared with evaluation.py, which pairs the seed with its restored gold text.
ORIGINAL_TITLE = re.compile(r"^(?:原标题|本题目|原题目|本标题)[::：]\s*(.+)$")
BYLINE = re.compile(r"[((（]\s*文\s*/\s*([^()()（）]+?)\s*[))）]\s*$")
PHOTO_CREDIT = re.compile(r"(记者|通讯员|摄影)\s*(\S+)\s*\S*摄$")
BLANKS = " \t\u3000\u00a0\ufeff"
# The largest seed read: an official report is 30-80 KB, so 5 MB is sixty times the longest one,
# and the pipeline runs in linear time and memory. A bigger file is not a report (a log, a dump,
# several years of a newspaper pasted together) and is refused before it is decoded.
MAX_SEED_BYTES = 5_000_000


def read_seed(path: Path) -> str:
    """Read a seed file (``-``: standard input) as text, or raise ``InputError`` naming it and saying why.

    UTF-8 with or without a byte order mark; UTF-16 and UTF-32 when they start with theirs
    (Windows editors save "Unicode" text that way), since the mark makes the encoding certain.
    A file over ``MAX_SEED_BYTES`` (5 MB) is refused before it is read.
    """
    import sys  # local: the rest of this module never needs it

    path = Path(path)
    name = "<stdin>" if str(path) == "-" else path
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_SEED_BYTES + 1)  # enough to know it is too big, never more
        size = len(data)
    elif not path.is_file():
        raise InputError(path, "file not found (expected a UTF-8 text file of the report article)")
    else:
        size = path.stat().st_size
        data = b"" if size > MAX_SEED_BYTES else path.read_bytes()
    if size > MAX_SEED_BYTES:
        raise InputError(name, seed_size_problem(size, known=str(path) != "-"))
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


def seed_size_problem(size: int, known: bool = True) -> str:
    """The one-line problem of a seed over the limit (standard input: its size is not ``known``)."""
    limit = MAX_SEED_BYTES / 1e6
    amount = f"{math.ceil(size / 1e5) / 10:g} MB" if known else f"over {limit:g} MB"  # rounded up: 5.1, never 5.0
    return f"file is {amount}; the limit is {limit:g} MB per seed (a report is under 0.1 MB: is this the right file?)"


def parse(text: str, source: str = "<text>", rules: Optional["Rules"] = None) -> Report:
    """Turn one report text (news article, official full text or plain paragraphs) into a ``Report`` of raw blocks."""
    rules = rules or load_rules()
    # What no field may hold (controls, noncharacters, bidi overrides) goes before anything is read from
    # the text, so title, metadata and blocks are free of it alike and every offset points into what remains.
    text = drop_unshowable(text)
    lines = [line.strip(BLANKS) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(source, "no text: the file holds only white space")
    lines = _drop_chrome(lines[:_footer_start(lines, rules)], rules)
    if not lines:
        raise InputError(source, "no text: the file holds only page chrome (下载, 打印, 【字号：…】)")

    # Photo captions may stand above the title of a scraped page; they stay as caption blocks.
    start = next((i for i, line in enumerate(lines) if not _is_caption(line)), len(lines))
    if start < len(lines) and len(lines[start]) > rules.title_max_chars and _title_shaped(lines[start], rules):
        raise InputError(source, f"the title is {len(lines[start])} characters long; the limit is "
                                 f"{rules.title_max_chars} (found {lines[start][:40] + '…'!r}): shorten it")
    if start == len(lines) or not _looks_like_title(lines[start], rules):
        found = lines[min(start, len(lines) - 1)]
        raise InputError(source, f"no recognisable title on the first line (found {found[:40]!r})")
    title, rest = lines[start], lines[start + 1:]
    shape = _shape(title, rest, rules)

    meta = _empty_meta()
    body = _lift_all_metadata(rest, title, rules, meta)
    if meta["bad_dates"]:
        # A stated date that cannot exist (发布时间:2024-13-45 25:99) is a typo only an editor can fix:
        # refuse the seed naming the line, rather than publish a wrong or missing date.
        line, problem = meta["bad_dates"][0]
        raise InputError(source, f"impossible date in {line!r} ({problem}): correct the line or delete it")
    if body and (match := BYLINE.search(body[-1][1])):
        meta.update(_byline(match.group(1)))
        index, line = body.pop()
        if line := line[: match.start()].rstrip(BLANKS):
            body.append((index, line))
    header = _header_length(rest, rules) if shape == "official" else 0
    pieces: list[tuple[str, int, str]] = [("caption", 0, line) for line in lines[:start]]
    header_captions: list[str] = []
    back_matter = False
    for index, line in body:
        if index < header:
            kind = _header_line(line, title, rules, meta)
            if kind == "caption":
                header_captions.append(line)
            if kind in ("caption", "paragraph"):
                pieces.append((kind, 0, line))
            continue
        if not pieces and _is_caption(line):
            pieces.append(("caption", 0, line))
            continue
        found = _pieces(line, rules)
        opens_back_matter = any(p.match(line) for p in rules.back_matter)
        if back_matter and not opens_back_matter:
            # 1.“两重”：是指… in 名词解释 defines a term, 一、提高低保… in 附件1 is an item: they head nothing.
            found = [("paragraph", 0, line)]
        elif found[0][:2] == ("heading", 1):
            back_matter = opens_back_matter
        pieces += found

    blocks = _number(pieces)
    if not any(b.kind == "paragraph" for b in blocks):
        raise InputError(source, "no body: found no paragraph of running text after the title")
    place, level = _place(title, meta, blocks, rules)
    meta["presenter"] = _presenter(meta, blocks, header_captions, level, rules)
    caption = next((b for b in blocks if b.kind == "caption" and PHOTO_CREDIT.search(b.raw)), None)
    if caption and (match := PHOTO_CREDIT.search(caption.raw)):
        meta["photo_credit"] = f"{match.group(1)} {match.group(2)}"
    if not meta["delivered"]:
        meta["delivered"] = _session_date(blocks, meta["published"], rules)
    year = _plan_year(title, blocks, meta["delivered"], meta["published"], rules)
    fields = {key: meta[key] for key in REPORT_FIELDS}
    return Report(slug=Path(source).stem, source=str(source), title=title, original_title=meta["original_title_raw"],
                  shape=shape, place=place, level=level, year=year, blocks=tuple(blocks), **fields)


# ---------------------------------------------------------------- lines


REPORT_FIELDS = ("editors", "reporter", "correspondent", "published", "original_title_raw", "photo_credit",
                 "presenter", "outlet", "delivered")


def _empty_meta() -> dict:
    """Report fields found in the text, plus what the header says on the way (presenter name, congress)."""
    return {**{key: "" for key in REPORT_FIELDS}, "editors": (), "reporter": (), "correspondent": (),
            "name": "", "title_word": "", "congress": "", "presenter_org": "", "bad_dates": []}


def _is_chrome(line: str, rules: "Rules") -> bool:
    return line in rules.chrome_lines or any(p.match(line) for p in rules.chrome_patterns)


def _footer_start(lines: list[str], rules: "Rules") -> int:
    """Where the page's footer starts (相关链接>> and the links under it), or len(lines) when there is none.

    Walking back from the end over at most a few short lines, the earliest page-end marker met
    starts the footer; a long line stops the walk, so report text is never taken for a footer.
    """
    start, count = len(lines), 0
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if any(p.match(line) for p in rules.page_end):
            start = index
        elif not _is_chrome(line, rules):
            count += 1
            if count > rules.footer_max_lines or len(line) > rules.footer_max_chars:
                break
    return start


def _drop_chrome(lines: list[str], rules: "Rules") -> list[str]:
    """The lines without page furniture, including a breadcrumb trail scraped one item per line."""
    kept: list[str] = []
    expect_item = in_trail = False
    for line in lines:
        if any(p.match(line) for p in rules.breadcrumb_starts):
            in_trail = expect_item = True
            continue
        if in_trail and any(p.match(line) for p in rules.breadcrumb_separators):
            expect_item = True
            continue
        if in_trail and expect_item and len(line) <= rules.breadcrumb_max_chars:
            expect_item = False  # 首页, 政务信息: one item after the start and after each separator
            continue
        in_trail = expect_item = False
        if not _is_chrome(line, rules):
            kept.append(line)
    return kept


def _is_caption(line: str) -> bool:
    return bool(PHOTO_CREDIT.search(line))


def _looks_like_title(line: str, rules: "Rules") -> bool:
    """A title is one short line that is neither metadata nor a sentence of the body."""
    return len(line) <= rules.title_max_chars and _title_shaped(line, rules)


def _title_shaped(line: str, rules: "Rules") -> bool:
    """A line that reads as a title whatever its length: no sentence end, not metadata, salutation or lead line."""
    probe = _empty_meta()
    return (line[-1] not in "。；;：:" and line not in rules.salutations
            and not _lift_metadata(line, rules, probe) and not any(p.match(line) for p in rules.lead_lines))


def _shape(title: str, rest: list[str], rules: "Rules") -> str:
    """official (delivery line or salutation in the header), article (news markers) or plain."""
    head = rest[:HEAD_LINES]
    if any(line in rules.salutations or _first(rules.meta["delivered"], line) for line in head):
        return "official"
    news = ("published", "original_title", "editors")
    if (any(p.search(line) for p in rules.article_markers for line in [title, *head])
            or any(_first(rules.meta[key], line) for key in news for line in rest if len(line) <= rules.meta_max_chars)
            or (rest and BYLINE.search(rest[-1]))):
        return "article"
    numbered_parts = sum(1 for line in rest if rules.numbered[0][0].match(line))
    if _first(rules.report_title, title) and numbered_parts >= 2:
        return "official"
    return "plain"


def _lift_metadata(line: str, rules: "Rules", meta: dict) -> bool:
    """Record ``line`` in ``meta`` when it is a metadata line; False when it belongs to the body."""
    if len(line) > rules.meta_max_chars:
        return False
    if match := _first(rules.meta["published"], line):
        meta["published"] = meta["published"] or _dated(match, line, meta)
        if match.groupdict().get("o"):  # the source printed after the time
            meta["outlet"] = meta["outlet"] or match.group("o").strip()
    elif match := _first(rules.meta["delivered"], line):
        meta["delivered"] = meta["delivered"] or _dated(match, line, meta)
        meta["congress"] = meta["congress"] or match.group("v")
        if match.groupdict().get("who"):
            _named_presenter(match.group("who"), rules, meta)
    elif match := _first(rules.meta["outlet"], line):
        meta["outlet"] = meta["outlet"] or match.group("v").strip()
    elif match := _first(rules.meta["original_title"], line):
        meta["original_title_raw"] = match.group("v").strip()
    elif match := _first(rules.meta["byline"], line):
        meta.update(_byline(match.group("v")))
    elif match := _first(rules.meta["editors"], line):
        meta["editors"] = tuple(n.strip() for n in re.split(r"[、,，\s]+", match.group("v")) if n.strip())
    else:
        return False
    return True


def _lift_all_metadata(rest: list[str], title: str, rules: "Rules", meta: dict) -> list[tuple[int, str]]:
    """Lift the metadata lines out of ``rest``; the others, with their index, are the body."""
    body: list[tuple[int, str]] = []
    skip = -1
    for index, line in enumerate(rest):
        if index == skip:
            continue
        if _first(rules.meta["label_only"], line):
            # 来源: / 四川日报 split over two lines: read them together; a bare label carries nothing.
            if index + 1 < len(rest) and _lift_metadata(line + rest[index + 1], rules, meta):
                skip = index + 1
            continue
        if line == title or _lift_metadata(line, rules, meta):
            continue  # metadata, or the title repeated at the foot of the page
        body.append((index, line))
    return body


def _header_length(rest: list[str], rules: "Rules") -> int:
    """How many lines after the title form the official header: through 各位代表：, or up to the first heading."""
    head = rest[:HEAD_LINES]
    salutation = next((i for i, line in enumerate(head) if line in rules.salutations), None)
    if salutation is not None:
        return salutation + 1
    return next((i for i, line in enumerate(head) if any(p.match(line) for p, _ in rules.numbered)), 0)


def _named_presenter(words: str, rules: "Rules", meta: dict) -> None:
    """Record the presenter a delivery line names (福建省人民政府省长赵龙, 龚正市长), unless the header named one."""
    if meta["name"]:
        return
    words = re.sub(r"\s+", "", words).removesuffix("同志")
    if match := rules.presenter_line.match(words):
        meta.update(name=match.group("name"), title_word=match.group("title"), presenter_org=match.group("org"))
    elif match := rules.name_then_title.match(words):
        meta.update(name=match.group("name"), title_word=match.group("title"))


def _header_line(line: str, title: str, rules: "Rules", meta: dict) -> str:
    """Read one header line of the official text; returns what it is: drop, caption or paragraph."""
    if line in rules.salutations:
        return "drop"  # a form of address, not content (各位代表：)
    if match := rules.presenter_line.match(line):
        if not meta["name"]:
            meta["name"], meta["title_word"] = re.sub(r"\s+", "", match.group("name")), match.group("title")
            meta["presenter_org"] = match.group("org")
        return "drop"
    if not meta["name"] and rules.bare_name.match(line) and not _first(rules.report_title, line):
        meta["name"] = line  # 毛伟明: the title comes from a caption or from the level
        return "drop"
    if line != title and _first(rules.report_title, line) and line in title:
        return "drop"  # the title repeated above the speech (政府工作报告)
    if _is_caption(line) or rules.presenter_sentence.search(line):
        return "caption"  # 王正谱作政府工作报告。本报记者 霍艳恩摄
    return "paragraph"


def _pieces(line: str, rules: "Rules") -> list[tuple[str, int, str]]:
    """One body line as (kind, level, text) pieces: a paragraph, a heading, or a heading and its run-in paragraph."""
    if any(p.match(line) for p in rules.lead_lines):
        return [("paragraph", 0, line)]
    for pattern, level in rules.numbered:
        if pattern.match(line):
            return _numbered(line, level, rules)
    if any(p.match(line) for p in rules.back_matter):
        return [("heading", 1, line)]
    if _is_heading(line, rules):
        return [("heading", 1 if any(p.search(line) for p in rules.parts) else 2, line)]
    return [("paragraph", 0, line)]


def _numbered(line: str, level: int, rules: "Rules") -> list[tuple[str, int, str]]:
    """（一）着力推动“四稳”政策落地。… → the heading up to its first full stop, then the paragraph."""
    match = LEAD_END.search(line)
    end = match.end() if match else len(line)
    while end < len(line) and line[end] in "”’」』）)":
        end += 1  # a closing quote or bracket after the full stop belongs to the heading
    lead, rest = line[:end], line[end:]
    if len(lead) > rules.lead_max_chars or re.search(r"[；;]", lead):
        return [("paragraph", 0, line)]  # a numbered list item with running text, not a heading
    if not rest.strip(BLANKS):
        return [("heading", level, line)]
    return [("heading", level, lead), ("paragraph", 0, rest)]


def _is_heading(line: str, rules: "Rules") -> bool:
    """A short line without a sentence end; one ending in …… or in a non-credit parenthesis counts too."""
    if len(line) > rules.heading_max_chars or _is_caption(line):
        return False
    if line.endswith(("…", "...")):
        return True
    if line[-1] in ")）":
        opening = max(line.rfind("("), line.rfind("（"))
        if opening <= 0:
            return False  # a line wholly in brackets is an aside or a byline
        return not any(word in line[opening:] for word in rules.credit_words)
    return line[-1] not in "。！？；!?;、，,:："


def _number(pieces: list[tuple[str, int, str]]) -> list[Block]:
    """Number the pieces in reading order and give each the part and section heading above it."""
    blocks: list[Block] = []
    part = section = None
    for kind, level, text in pieces:
        if kind == "heading" and level == 1:
            part, section = text, None
        elif kind == "heading" and level == 2:
            section = text
        blocks.append(Block(len(blocks), kind, text, text, level=level if kind == "heading" else 0,
                            part=part if kind != "caption" else None,
                            section=section if kind != "caption" else None))
    return blocks


# ---------------------------------------------------------------- metadata


# A league (盟) or a 地区 is governed by an office (锡林郭勒盟行政公署), not a 人民政府: its name is no part of the place.
OFFICE = "行政公署"


def _place(title: str, meta: dict, blocks: list[Block], rules: "Rules") -> tuple[str, str]:
    """The administration the report is about and its level, from the congress, the title or the presenter."""
    candidates = []
    candidates += _congress_places(meta["congress"], rules)
    if match := _first(rules.report_title, title):
        candidates.append(match.group("v").removesuffix(OFFICE))
    candidates += _congress_places(title, rules)
    for block in blocks[:6]:
        candidates += _congress_places(block.raw, rules)
    # 锡林郭勒盟行政公署: a league (盟) or a 地区 is governed by an office, not a 人民政府
    candidates.append(meta["presenter_org"].removesuffix("人民政府").removesuffix(OFFICE))
    for candidate in candidates:
        if level := _level(candidate, rules):
            return candidate, level
    return "", ""


def _congress_places(text: str, rules: "Rules") -> list[str]:
    """福建省 from …日在福建省第十四届人民代表大会…, trimmed of the words that run into it."""
    found = []
    for pattern in rules.congress:
        for match in pattern.finditer(text):
            place = match.group("v")
            for word in rules.place_lead_words:
                place = place.rpartition(word)[2] if word in place else place
            if match.start("v") > 0 and text[match.start("v") - 1].isdigit() and place[:1] in "年月日":
                place = place[1:]  # 12月25日厦门市…: the date's last character, not the place
            found.append(place)
    return found


def _level(place: str, rules: "Rules") -> str:
    """省, 自治区, 直辖市, 市, 区, 县 … for a full place name, or "" when it is not one."""
    if place in rules.municipalities:
        return "直辖市"
    for suffix, level in rules.suffixes:
        if place.endswith(suffix) and len(place) > len(suffix):
            return level
    return ""


def _presenter(meta: dict, blocks: list[Block], captions: list[str], level: str, rules: "Rules") -> str:
    """省长赵龙: from the header line, or from a sentence saying who delivered the report."""
    name, title_word = meta["name"], meta["title_word"]
    if name and title_word:
        return title_word + name
    texts = captions + [b.raw for b in blocks]
    for text in texts:
        for match in rules.presenter_sentence.finditer(text):
            if not name or match.group("name") == name:
                return match.group("title") + match.group("name")
    if name:
        return rules.title_by_level.get(level, "") + name
    return ""


def _session_date(blocks: list[Block], published: str, rules: "Rules") -> str:
    """12月25日…人民代表大会…开幕 in an article, dated with the year of publication."""
    if not published:
        return ""
    pub_year, pub_month = int(published[:4]), int(published[5:7])
    for block in blocks[:6]:
        if match := _first(rules.opening, block.raw, search=True):
            month, day = int(match.group("m")), int(match.group("d"))
            year = pub_year - 1 if month > pub_month else pub_year  # a December session reported in January
            date, problem = _iso_date(year, month, day)
            if not problem:
                return date  # 2月30日 in a sentence dates nothing; the record keeps no delivery date
    return ""


def _plan_year(title: str, blocks: list[Block], delivered: str, published: str, rules: "Rules") -> Optional[int]:
    """The year the report plans for: the title's year, the plan part's year, else the session date."""
    if (match := _first(rules.report_title, title)) and match.group("y"):
        return int(match.group("y"))
    parts = [b.raw for b in blocks if b.kind == "heading" and b.level == 1]
    plan = [int(y) for p in parts if not any(w in p for w in rules.review_words) for y in re.findall(r"(\d{4})", p)]
    if plan:
        return max(plan)
    for date in (delivered, published):
        if date:
            # Sessions from October on plan for the next year (the seed: delivered 2024-12-25, plans 2025).
            return int(date[:4]) + (1 if int(date[5:7]) >= 10 else 0)
    review = [int(y) for p in parts for y in re.findall(r"(\d{4})", p)]
    return max(review) + 1 if review else None


_CHINESE_DIGITS = {**{c: n for n, c in enumerate("〇一二三四五六七八九")}, "○": 0, "零": 0}


def date_number(text: str) -> int:
    """A year, month or day as digits or in Chinese numerals: 2026, 二〇二六 (digit by digit), 二十七, 十二."""
    if text.isdecimal():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)
    value = 0
    for character in text:
        value = value * 10 + _CHINESE_DIGITS[character]
    return value


def _dated(match: re.Match, line: str, meta: dict) -> str:
    """The ISO date (and time) a metadata line states, or "" with the line noted in ``meta`` when it cannot exist."""
    groups = match.groupdict()
    date, problem = _iso_date(date_number(groups["y"]), date_number(groups["m"]), date_number(groups["d"]),
                              groups.get("H"), groups.get("M"))
    if problem:
        meta["bad_dates"].append((line, problem))
    return date


def _iso_date(year: int, month: int, day: int, hour=None, minute=None) -> tuple[str, str]:
    """2024-12-31 (or 2024-12-31T00:34) and "", or "" and why no such date or time exists (month must be in 1..12)."""
    try:
        if hour is None:
            datetime.date(year, month, day)
            return f"{year:04d}-{month:02d}-{day:02d}", ""
        datetime.datetime(year, month, day, int(hour), int(minute))
        return f"{year:04d}-{month:02d}-{day:02d}T{int(hour):02d}:{int(minute):02d}", ""
    except ValueError as err:
        return "", str(err)


def _byline(text: str) -> dict:
    """Split 记者 A B 通讯员 C into reporter and correspondent names."""
    roles = {"记者": "reporter", "通讯员": "correspondent"}
    found: dict[str, list[str]] = {"reporter": [], "correspondent": []}
    current = "reporter"
    for token in re.split(r"[\s、,，]+", text):
        if token in roles:
            current = roles[token]
        elif token:
            found[current].append(token)
    return {key: tuple(names) for key, names in found.items()}


def _first(patterns, line: str, search: bool = False) -> Optional[re.Match]:
    """The first match of any pattern at the start of ``line`` (anywhere with ``search``)."""
    for pattern in patterns:
        if match := (pattern.search(line) if search else pattern.match(line)):
            return match
    return None


# ---------------------------------------------------------------- the rules, as reviewed data


@dataclass(frozen=True)
class Rules:
    """What the parser knows about the genre, loaded from ``data/parse_rules.yml``."""

    chrome_lines: frozenset
    chrome_patterns: tuple
    page_end: tuple
    footer_max_lines: int
    footer_max_chars: int
    breadcrumb_starts: tuple
    breadcrumb_separators: tuple
    breadcrumb_max_chars: int
    meta_max_chars: int
    meta: dict  # field → patterns: label_only, published, outlet, original_title, editors, byline, delivered
    opening: tuple
    congress: tuple
    salutations: frozenset
    lead_lines: tuple
    heading_max_chars: int
    lead_max_chars: int
    numbered: tuple  # (pattern, level), 一、 first
    parts: tuple
    back_matter: tuple
    credit_words: tuple
    review_words: tuple
    title_by_level: dict
    suffixes: tuple  # (suffix, level), longest first
    municipalities: frozenset
    place_lead_words: tuple
    report_title: tuple
    article_markers: tuple
    presenter_line: re.Pattern
    presenter_sentence: re.Pattern
    name_then_title: re.Pattern
    bare_name: re.Pattern
    title_max_chars: int


def load_rules(path: Path = RULES_PATH) -> Rules:
    """The parser's rules; a malformed entry raises ``InputError`` naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    return _load_rules(path, path.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _load_rules(path: Path, mtime: float) -> Rules:
    data = load_yaml(path)
    top = _mapping(path, data, "top level", {"chrome", "metadata", "session", "salutations", "lead_lines",
                                              "headings", "presenter", "places", "report_title", "article_markers",
                                              "title"})
    chrome = _mapping(path, top.get("chrome"), "chrome", {"lines", "patterns", "breadcrumb", "page_end",
                                                          "footer_max_lines", "footer_max_chars"})
    crumbs = _mapping(path, chrome.get("breadcrumb"), "chrome.breadcrumb", {"starts", "separators", "max_item_chars"})
    metadata = _mapping(path, top.get("metadata"), "metadata",
                        {"max_chars", "label_only", "published", "outlet", "original_title", "editors", "byline",
                         "delivered"})
    session = _mapping(path, top.get("session"), "session", {"opening", "congress"})
    headings = _mapping(path, top.get("headings"), "headings", {"max_chars", "max_lead_chars", "numbered", "parts",
                                                               "back_matter", "credit_words", "review_words"})
    presenter = _mapping(path, top.get("presenter"), "presenter", {"titles", "by_level"})
    places = _mapping(path, top.get("places"), "places", {"suffixes", "municipalities", "lead_words"})
    title = _mapping(path, top.get("title"), "title", {"max_chars", "note"})
    if not isinstance(title.get("note"), str) or not title["note"].strip():
        raise InputError(path, f"title (line {title['__line__']}): 'note' must be a non-empty text")

    def patterns(section, key, label, groups=()):
        return tuple(_regex(path, e, "pattern", groups) for e in _entries(path, section, key, label, {"pattern"}))

    def words(section, key, label, field):
        return tuple(e[field] for e in _entries(path, section, key, label, {field}))

    numbered = tuple((_regex(path, e, "pattern"), _level_number(path, e))
                     for e in _entries(path, headings, "numbered", "headings.numbered", {"pattern", "level"}))
    if not numbered or numbered[0][1] != 1:
        raise InputError(path, "headings.numbered: the first entry must be the level-1 part pattern (一、)")
    titles = sorted(words(presenter, "titles", "presenter.titles", "title"), key=len, reverse=True)
    title_alt = "|".join(map(re.escape, titles))
    acting_title = rf"(?:代理|代)?(?:{title_alt})"  # 代理主席, 代省长 and 省长: acting is kept
    suffixes = sorted(((e["suffix"], e["level"]) for e in _entries(path, places, "suffixes", "places.suffixes",
                                                                    {"suffix", "level"})),
                      key=lambda s: len(s[0]), reverse=True)
    name = rf"[{CJK}](?:\s?[{CJK}]){{1,3}}|[{CJK}]{{1,8}}[·•][{CJK}·•]{{1,12}}"
    return Rules(
        chrome_lines=frozenset(words(chrome, "lines", "chrome.lines", "text")),
        chrome_patterns=patterns(chrome, "patterns", "chrome.patterns"),
        page_end=patterns(chrome, "page_end", "chrome.page_end"),
        footer_max_lines=_int(path, chrome, "footer_max_lines", "chrome"),
        footer_max_chars=_int(path, chrome, "footer_max_chars", "chrome"),
        breadcrumb_starts=patterns(crumbs, "starts", "chrome.breadcrumb.starts"),
        breadcrumb_separators=patterns(crumbs, "separators", "chrome.breadcrumb.separators"),
        breadcrumb_max_chars=_int(path, crumbs, "max_item_chars", "chrome.breadcrumb"),
        meta_max_chars=_int(path, metadata, "max_chars", "metadata"),
        meta={"label_only": patterns(metadata, "label_only", "metadata.label_only"),
              "published": patterns(metadata, "published", "metadata.published", ("y", "m", "d")),
              "outlet": patterns(metadata, "outlet", "metadata.outlet", ("v",)),
              "original_title": patterns(metadata, "original_title", "metadata.original_title", ("v",)),
              "editors": patterns(metadata, "editors", "metadata.editors", ("v",)),
              "byline": patterns(metadata, "byline", "metadata.byline", ("v",)),
              "delivered": patterns(metadata, "delivered", "metadata.delivered", ("y", "m", "d", "v"))},
        opening=patterns(session, "opening", "session.opening", ("m", "d")),
        congress=patterns(session, "congress", "session.congress", ("v",)),
        salutations=frozenset(words(top, "salutations", "salutations", "text")),
        lead_lines=patterns(top, "lead_lines", "lead_lines"),
        heading_max_chars=_int(path, headings, "max_chars", "headings"),
        lead_max_chars=_int(path, headings, "max_lead_chars", "headings"),
        numbered=numbered,
        parts=patterns(headings, "parts", "headings.parts"),
        back_matter=patterns(headings, "back_matter", "headings.back_matter"),
        credit_words=words(headings, "credit_words", "headings.credit_words", "word"),
        review_words=words(headings, "review_words", "headings.review_words", "word"),
        title_by_level={e["level"]: e["title"] for e in _entries(path, presenter, "by_level", "presenter.by_level",
                                                                 {"level", "title"})},
        suffixes=tuple(suffixes),
        municipalities=frozenset(words(places, "municipalities", "places.municipalities", "place")),
        place_lead_words=words(places, "lead_words", "places.lead_words", "word"),
        report_title=patterns(top, "report_title", "report_title", ("y", "v")),
        article_markers=patterns(top, "article_markers", "article_markers"),
        # 福建省人民政府省长 赵龙, 自治区主席 韦 韬, 省长 梁惠玲
        presenter_line=re.compile(rf"^(?P<org>[{CJK}]{{0,16}}?)(?P<title>{acting_title})\s*(?P<name>{name})$"),
        # 区长陈通汕做政府工做报告, 代区长赵宏亮向大会作政府工作报告, 省长刘小涛代表省人民政府向大会作政府工作报告
        presenter_sentence=re.compile(rf"(?P<title>{acting_title})(?P<name>[{CJK}]{{2,4}}?|[{CJK}]{{1,8}}[·•][{CJK}·•]{{1,12}}?)"
                                      rf"(?:同志)?(?:代表[^，。,]{{1,12}}?[，,]?)?(?:向大会)?[做作](?:了)?政府工[做作]报告"),
        name_then_title=re.compile(rf"^(?P<name>[{CJK}]{{2,4}}?)(?P<title>{acting_title})$"),  # 龚正市长
        bare_name=re.compile(rf"^(?:[{CJK}]{{2,4}}|[{CJK}]{{1,8}}[·•][{CJK}·•]{{1,12}})$"),
        title_max_chars=_int(path, title, "max_chars", "title"),
    )


def _mapping(path: Path, value: object, label: str, allowed: set) -> dict:
    return require_keys(path, value, allowed, label)


def _entries(path: Path, section: dict, key: str, label: str, required: set) -> list[dict]:
    """The list ``section[key]``: each entry a mapping with the required keys, texts, and a note."""
    entries = section.get(key)
    if not isinstance(entries, list) or not entries:
        raise InputError(path, f"{label} (line {section.get('__line__', '?')}): expected a non-empty list")
    for number, entry in enumerate(entries, 1):
        where = f"{label} #{number}"
        entry = _mapping(path, entry, where, required | {"note"})
        where = f"{where} (line {entry['__line__']})"
        for field in sorted(required | {"note"}):
            value = entry.get(field)
            if field == "level" and key == "numbered":
                continue
            if not isinstance(value, str) or not value.strip():
                raise InputError(path, f"{where}: '{field}' must be a non-empty text")
    return entries


def _regex(path: Path, entry: dict, key: str, groups=()) -> re.Pattern:
    where = f"line {entry['__line__']}"
    try:
        pattern = re.compile(entry[key])
    except re.error as err:
        raise InputError(path, f"{where}: pattern {entry[key]!r} does not compile: {err}") from None
    missing = [g for g in groups if g not in pattern.groupindex]
    if missing:
        raise InputError(path, f"{where}: pattern {entry[key]!r} lacks the named group(s) {', '.join(missing)}")
    return pattern


def _level_number(path: Path, entry: dict) -> int:
    level = entry.get("level")
    if level not in (1, 2, 3):
        raise InputError(path, f"line {entry['__line__']}: 'level' must be 1, 2 or 3, found {level!r}")
    return level


def _int(path: Path, section: dict, key: str, label: str) -> int:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InputError(path, f"{label} (line {section.get('__line__', '?')}): '{key}' must be a positive whole number")
    return value
