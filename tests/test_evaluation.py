"""Measuring the cleaner against a gold restoration."""
from build_scripts.evaluation import character_errors, edit_distance
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
