"""Places: the province a report's place is in, from the reviewed list of divisions."""
import pytest

from build_scripts.errors import InputError
from build_scripts.places import load_provinces, province_code, province_of, tier

# Written by reading the official list of divisions, not from the code's answers.
PLACES = {
    "福建省": "福建省",
    "厦门市思明区": "福建省",
    "北京市朝阳区": "北京市",         # not 辽宁省's 朝阳市
    "朝阳市双塔区": "辽宁省",
    "吉林市船营区": "吉林省",
    "海南藏族自治州共和县": "青海省",  # not 海南省
    "三亚市": "海南省",
    "内蒙古": "内蒙古自治区",
    "延边朝鲜族自治州": "吉林省",
    "仙桃市": "湖北省",
    "锡林郭勒盟": "内蒙古自治区",      # a league (盟), prefecture-level like 州 and 地区
    "锡林郭勒盟锡林浩特市": "内蒙古自治区",
    "某县": "",
    "": "",
}


@pytest.mark.parametrize("place, province", PLACES.items())
def test_a_place_is_filed_under_the_province_it_is_in(place, province):
    assert province_of(place) == province


def test_the_list_holds_the_34_provincial_divisions_in_official_order_with_their_cities():
    provinces = load_provinces()
    assert len(provinces) == 34
    assert [p.name for p in provinces[:5]] == ["北京市", "天津市", "上海市", "重庆市", "河北省"]
    by_name = {p.name: p for p in provinces}
    assert len(by_name["广东省"].divisions) == 21 and len(by_name["江苏省"].divisions) == 13


@pytest.mark.parametrize("line, problem", [
    ("福建省\t福建\t35\t厦门市", "5 tab-separated columns"),
    ("福建省\t福建\t35\t厦门市 \tnine cities", "without spaces"),
    ("福建\t福建\t35\t厦门市\tnine cities", "ends in 省"),
    ("福建省\t闽\t35\t厦门市\tnine cities", "starts with its short name"),
    ("福建省\t福建\t35\t厦门市\t", "has a note"),
    ("福建省\t福建\tFJ\t厦门市\tnine cities", "two digits of GB/T 2260"),
    ("福建省\t福建\t35\t厦门市、厦门市\tnine cities", "listed already"),
])
def test_a_malformed_entry_stops_the_build_naming_its_line(tmp_path, line, problem):
    path = tmp_path / "provinces.tsv"
    path.write_text("# header\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as caught:
        load_provinces(path)
    assert caught.value.path == f"{path}:2"


def test_a_place_gets_its_provinces_code_or_00_when_unknown():
    assert province_code("厦门市思明区") == "35" and province_code("福建省") == "35"
    assert province_code("海南藏族自治州共和县") == "63"
    assert province_code("某县") == "00"


@pytest.mark.parametrize("level, expected", [("省", "provincial"), ("自治区", "provincial"), ("直辖市", "provincial"),
                                             ("市", "city"), ("州", "city"), ("盟", "city"), ("地区", "city"),
                                             ("区", "county"), ("县", "county"), ("旗", "county"), ("", "county")])
def test_every_level_of_government_has_its_tier(level, expected):
    assert tier(level) == expected
