"""Tests of the lexicon and override loaders: malformed data is refused with file and line."""
from __future__ import annotations

import pytest

from build_scripts.candidates import char_swaps, parse_char_swaps
from build_scripts.errors import InputError
from build_scripts.lexicon import (
    KINDS,
    entries_never_matched,
    load_lexicon,
    load_overrides,
    parse_lexicon,
    parse_overrides,
)

GOOD = "# comment\n劣势\t优势\talways\tantonym\n\n变化\t改革\tlikely\t改革 → 变化\n恶劣\t=\tkeep\tlegit word\n"


def test_well_formed_lexicon_text_gives_entries_with_their_line_numbers():
    lexicon = parse_lexicon(GOOD, "lex.tsv")
    assert [(e.spun, e.restored, e.kind, e.line) for e in lexicon.entries] == [
        ("劣势", "优势", "always", 2), ("变化", "改革", "likely", 4), ("恶劣", "恶劣", "keep", 5)]


@pytest.mark.parametrize("row, problem", [
    ("劣势\t优势\talways", "expected 4 tab-separated columns"),
    ("劣势\t优势\talways\tnote\textra", "expected 4 tab-separated columns"),
    ("劣势\t\talways\tnote", "restored column is empty"),
    ("劣势\t优势\talways\t ", "note column is empty"),
    ("劣势\t劣势\talways\tnote", "spun and restored forms are the same"),
    ("劣势\t优势\tsometimes\tnote", "unknown kind 'sometimes'"),
    ("恶劣\t优良\tkeep\tnote", "keep row must have '='"),
    ("劣秀\t优秀|\talways\tnote", "alternative restored form is empty"),
    ("劣秀\t优秀|劣秀\talways\tnote", "spun and restored forms are the same"),
    ("劣秀\t优秀|优秀\talways\tnote", "listed twice"),
    ("恶劣\t=|优良\tkeep\tnote", "keep row"),
])
def test_malformed_lexicon_row_is_rejected_with_file_and_line(row, problem):
    with pytest.raises(InputError) as caught:
        parse_lexicon(f"# header\n{row}\n", "data/lexicon.tsv")
    assert caught.value.path == "data/lexicon.tsv"
    assert "line 2:" in caught.value.problem
    assert problem in caught.value.problem


def test_a_row_may_list_alternative_restorations_the_usual_one_first():
    entry = parse_lexicon("劣秀\t优秀|良好\talways\t优 → 劣, or 良好 → 优秀 → 劣秀\n", "lex.tsv").entries[0]
    assert (entry.restored, entry.alternatives, entry.restorations) == ("优秀", ("良好",), ("优秀", "良好"))


def test_duplicate_spun_form_is_rejected_naming_both_lines():
    with pytest.raises(InputError, match=r"line 3: duplicate spun form '劣势' \(first on line 1\)"):
        parse_lexicon("劣势\t优势\talways\tx\n变化\t改革\tlikely\tx\n劣势\t优点\talways\tx\n", "lex.tsv")


def test_shipped_lexicon_loads_and_every_entry_has_a_known_kind_and_a_note():
    lexicon = load_lexicon()
    assert len(lexicon.entries) > 500
    assert all(e.kind in KINDS and e.note for e in lexicon.entries)


def test_shipped_lexicon_covers_the_examples_of_the_issue():
    by_spun = load_lexicon().by_spun
    for spun, original in [("劣势", "优势"), ("脏土", "净土"), ("死水", "活水"), ("地方估算", "中央预算"),
                           ("走进来", "走出去"), ("引出去", "引进来"), ("高粗俗", "上下游"), ("郑乐成", "郑成功"),
                           ("展开", "发展"), ("变化", "改革"), ("翻新", "创新"), ("财产", "产业"), ("名目", "项目"),
                           ("出产", "消费"), ("正在", "在"), ("狐尾猴子园", "狐尾山公园"),
                           ("标识表记标帜", "标志"), ("不雅观", "观")]:
        assert by_spun[spun].restored == original, spun


def test_longest_form_is_matched_first():
    lexicon = load_lexicon()
    assert lexicon.match_at("狐尾猴子园等", 0).spun == "狐尾猴子园"
    assert lexicon.match_at("猴子园等", 0).spun == "猴子园"


def test_entries_whose_spun_form_never_occurs_are_reported():
    lexicon = parse_lexicon(GOOD, "lex.tsv")
    unmatched = entries_never_matched(lexicon, ["强大劣势财产"])
    assert [e.spun for e in unmatched] == ["变化", "恶劣"]


def test_override_file_lists_force_and_forbid_entries_with_lines():
    overrides = parse_overrides(
        "force:\n  - {spun: 举行, restored: 举办, near: 举行百场}\nforbid:\n  - {spun: 举行, near: 开幕式正在塔头举行}\n",
        "o.yml")
    assert [(o.action, o.spun, o.restored, o.line) for o in overrides.items] == [
        ("force", "举行", "举办", 2), ("forbid", "举行", "", 4)]


@pytest.mark.parametrize("text, problem", [
    ("force:\n  - {spun: 举行, near: 举行百场}\n", "line 2: force entry needs a non-empty restored"),
    ("forbid:\n  - {spun: 举行, near: 百场演唱会}\n", "line 2: near '百场演唱会' does not contain the spun form"),
    ("allow:\n  - {spun: 举行, near: 举行}\n", "line 1: unknown key 'allow'"),
    ("force:\n  - {spun: 举行, restored: 举办, near: 举行, why: x}\n", "line 2: unknown field 'why'"),
    ("force: [\n", "not valid YAML"),
])
def test_malformed_override_is_rejected_with_file_and_line(text, problem):
    with pytest.raises(InputError) as caught:
        parse_overrides(text, "data/overrides/x.yml")
    assert caught.value.path == "data/overrides/x.yml"
    assert problem in caught.value.problem


def test_missing_override_file_means_no_overrides(tmp_path):
    assert load_overrides(tmp_path / "none.yml").items == ()


@pytest.mark.parametrize("row, problem", [
    ("劣\t优", "expected 3 tab-separated columns"),
    ("劣势\t优势\tnote", "two different single characters"),
    ("劣\t劣\tnote", "two different single characters"),
    ("劣\t优\t ", "note column is empty"),
])
def test_malformed_character_swap_is_rejected_with_file_and_line(row, problem):
    with pytest.raises(InputError) as caught:
        parse_char_swaps(f"# header\n{row}\n", "data/char_swaps.tsv")
    assert caught.value.path == "data/char_swaps.tsv"
    assert "line 2:" in caught.value.problem and problem in caught.value.problem


def test_a_character_may_stand_for_several_originals_but_each_pair_once():
    swaps = parse_char_swaps("劣\t优\tantonym\n劣\t美\tantonym\n", "s.tsv")
    assert [o for o, _ in swaps["劣"]] == ["优", "美"]
    with pytest.raises(InputError, match="line 2: duplicate swap 劣→优"):
        parse_char_swaps("劣\t优\ta\n劣\t优\tb\n", "s.tsv")


def test_shipped_character_swaps_load_with_notes():
    swaps = char_swaps()
    assert ("优", ) == tuple(o for o, _ in swaps["劣"])[:1] and all(n for pairs in swaps.values() for _, n in pairs)


def test_the_lexicon_setting_selects_the_lexicon_file(tmp_path, monkeypatch):
    path = tmp_path / "lex.tsv"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("EXPLAINER_LEXICON", str(path))
    assert [e.spun for e in load_lexicon().entries] == ["劣势", "变化", "恶劣"]
