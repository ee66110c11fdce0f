"""Share images (share_image.py): each chart as the PNG a link card shows, drawn at build time by Node."""
import io

import pytest
from PIL import Image

from build_scripts import share_image
from build_scripts.share_image import DrawingError, ShareTexts, png_size, share_png

BARS = {  # the option of a small horizontal bar chart, as charts.py writes them
    "xAxis": [{"type": "value", "name": "万元"}],
    "yAxis": [{"type": "category", "data": ["就业补贴", "生活补贴", "租房补贴"]}],
    "series": [{"type": "bar", "name": "2025年成绩", "itemStyle": {"color": "#2f6fb0"},
                "data": [{"value": 2413, "text": "2413万元"}, {"value": 7456, "text": "7456万元"},
                         {"value": 11400, "text": "1.14亿元"}]}],
    "grid": {"left": 8, "right": 48, "containLabel": True},
}
TEXTS = ShareTexts(title="租房补贴最多，为1.14亿元", subtitle="时期：2025年成绩　单位：万元",
                   credit="数据来源：某报告。制图：政府工作报告解读")
INK = 0x22  # the texts' colour (#222): darker than any grid line or bar


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def dark_pixels(picture: Image.Image, top: int, bottom: int) -> int:
    band = picture.crop((0, top, picture.width, bottom))
    return sum(1 for r, g, b in band.getdata() if max(r, g, b) < INK + 40)


def bar_pixels(picture: Image.Image) -> int:
    return sum(1 for r, g, b in picture.getdata() if (r, g, b) == (0x2f, 0x6f, 0xb0))


def test_a_short_chart_is_drawn_as_a_1200_by_630_link_card_and_the_same_twice():
    first = share_png(BARS, 160, TEXTS)
    assert png_size(first) == (1200, 630)
    assert share_png(BARS, 160, TEXTS) == first  # same request, same bytes


def test_a_tall_chart_gives_a_taller_card_instead_of_squeezed_bars():
    assert png_size(share_png(BARS, 700, TEXTS))[1] > 1400


def test_the_headline_is_drawn_above_the_bars_and_the_source_under_them():
    drawn = image(share_png(BARS, 160, TEXTS))
    untitled = image(share_png(BARS, 160, ShareTexts(title="", subtitle="", credit="")))
    assert bar_pixels(drawn) > 20000  # the three bars, in their colour
    # The Chinese headline is drawn in the CJK font: ink in the top band, none without a title.
    assert dark_pixels(drawn, 0, 60) > 500 and dark_pixels(untitled, 0, 60) == 0
    assert dark_pixels(drawn, drawn.height - 50, drawn.height) > 300  # the credit line


def test_the_drawing_changes_with_its_words():
    other = ShareTexts(title="就业补贴最少，为2413万元", subtitle=TEXTS.subtitle, credit=TEXTS.credit)
    assert share_png(BARS, 160, other) != share_png(BARS, 160, TEXTS)


def test_without_the_font_the_build_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(share_image, "FONT", tmp_path / "no-such-font.ttc")
    monkeypatch.setattr(share_image, "_DRAWER", share_image._Drawer())
    with pytest.raises(DrawingError, match=r"no-such-font\.ttc.*make site"):
        share_png(BARS, 160, TEXTS)


def test_a_chart_node_cannot_draw_is_an_error_naming_the_chart():
    with pytest.raises(DrawingError, match="租房补贴最多"):
        share_png({"xAxis": [1]}, 160, TEXTS)  # an axis that is a number, not an object


def test_the_drawing_version_follows_the_font(monkeypatch, tmp_path):
    before = share_image.drawing_version()
    font = tmp_path / "font.ttc"
    font.write_bytes(b"another font")
    monkeypatch.setattr(share_image, "FONT", font)
    assert share_image.drawing_version() != before


def test_png_size_reads_the_header_and_rejects_what_is_not_a_png():
    assert png_size(share_png(BARS, 160, TEXTS)) == image(share_png(BARS, 160, TEXTS)).size
    with pytest.raises(ValueError):
        png_size(b"GIF89a")


def test_a_kept_drawer_draws_each_request_once_and_keeps_it_in_the_cache(monkeypatch, tmp_path):
    from build_scripts.cache import Cache

    draw = share_image.kept_drawer(Cache(tmp_path))
    first = draw(BARS, 160, TEXTS)
    assert first == share_png(BARS, 160, TEXTS)
    assert len(list((tmp_path / "share-images").iterdir())) == 1

    def no_node(*args):
        raise AssertionError("drawn again")

    monkeypatch.setattr(share_image, "share_png", no_node)
    again = share_image.kept_drawer(Cache(tmp_path))  # a later build
    assert again(BARS, 160, TEXTS) == first
    with pytest.raises(AssertionError, match="drawn again"):  # another request is drawn
        again(BARS, 161, TEXTS)
