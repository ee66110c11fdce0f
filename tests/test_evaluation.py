"""Measuring the cleaner against a gold restoration."""
from build_scripts.evaluation import character_errors, edit_distance, repair_share, spin, substitutions
from build_scripts.model import Block, Report


def test_edit_distance_counts_substituted_inserted_and_deleted_characters():
    assert edit_distance("产业发展", "产业发展") == 0
    assert edit_distance("财产发展", "产业发展") == 2
    assert edit_distance("在肩", "正在肩") == 1
    assert edit_distance("", "优势") == 2


def test_character_errors_pair_blocks_with_gold_lines_and_cut_the_byline():
    seed = "标题\n\n本题目:变化破题\n\n  劣势财产\n\n  真干(文/记者 甲)"
    gold = "标题\n\n原标题:改革破题\n\n  优势产业\n\n  实干(文/记者 甲)"
    report = Report("s", "s.txt", "标题", original_title_raw="变化破题", original_title="改革破题",
                    blocks=(Block(0, "paragraph", "劣势财产", "优势财产"), Block(1, "paragraph", "真干", "实干")))
    assert character_errors(report, gold, seed) == (2, 4 + 4 + 2)  # 财产 for 产业: two characters wrong


def _chars(text):
    """A word cutter for tests: every character is a word, except the listed words."""
    words = ["落实", "发展", "高质量", "变化"]
    i = 0
    while i < len(text):
        word = next((w for w in words if text.startswith(w, i)), text[i])
        yield word
        i += len(word)


def test_substitutions_widen_a_changed_character_to_its_word():
    pairs = substitutions("全面落真,推动展开", "全面落实,推动发展", _chars)
    assert pairs == {"落实": "落真", "发展": "展开"}


def test_substitutions_keep_only_pairs_the_text_applies_regularly():
    spun = "新的\n新的\n重的"
    gold = "新的\n新的\n新的"
    assert substitutions(spun, gold, _chars) == {}
    assert substitutions(spun, gold, _chars, min_share=0.3) == {"新": "重"}


def test_substitutions_take_a_words_usual_spun_form_not_a_neighbours_change_glued_to_it():
    # 可喜变化在 came out as 可喜厘革正在: the 正 is the spinner's 正在 for 在, not part of 变化's form
    spun = "可喜厘革正在上演\n大厘革让人开心"
    gold = "可喜变化在上演\n大变化让人开心"
    assert substitutions(spun, gold, _chars) == {"变化": "厘革"}
    assert substitutions("\n".join(spun.split("\n")[::-1]), "\n".join(gold.split("\n")[::-1]), _chars) == {"变化": "厘革"}


def test_spin_replaces_whole_words_leftmost_longest_and_every_occurrence():
    table = {"发展": "展开", "高质量发展": "高量质展开", "实": "真"}
    assert spin("推动高质量发展,落实发展", table, _chars) == "推动高量质展开,落实展开"


def test_repair_share_counts_the_damage_left_after_cleaning():
    assert repair_share(["产业发展"], ["财产展开"], ["产业展开"]) == (0.5, 4, 2)
    assert repair_share(["产业"], ["产业"], ["产业"]) == (1.0, 0, 0)
