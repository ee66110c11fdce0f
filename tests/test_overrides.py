"""Theme overrides (overrides/): the theme's navigation partials with whitespace control, and nothing else changed."""
import re
from pathlib import Path

import material
import pytest

from conftest import ROOT
from test_build import OFFICIAL

THEME_PARTIALS = Path(material.__file__).parent / "templates" / "partials"
TRIMMED = ("nav.html", "nav-item.html", "toc.html", "toc-item.html")


def trimmed(text: str) -> str:
    """A Jinja template with whitespace control on every statement: {% … %} becomes {%- … -%}."""
    return re.sub(r"(?<!-)%\}", "-%}", re.sub(r"\{%(?!-)", "{%-", text))


def without_header(text: str) -> str:
    """An override without the comment that says what it is (its first {#- … -#} block)."""
    assert text.startswith("{#-"), "an override starts with a comment saying what it changes"
    return text[text.index("-#}") + len("-#}\n"):]


@pytest.mark.parametrize("name", TRIMMED)
def test_a_trimmed_partial_is_the_themes_own_with_whitespace_control_only(name):
    ours = (ROOT / "overrides" / "partials" / name).read_text(encoding="utf-8")
    assert without_header(ours) == trimmed((THEME_PARTIALS / name).read_text(encoding="utf-8")), \
        f"overrides/partials/{name} is not mkdocs-material's {name} trimmed: copy it again (header, then trimmed)"


def test_trimming_touches_statements_only():
    assert trimmed("<a>\n  {% if x %}\n  <b>{{ y }}</b>\n  {%- endif -%}\n</a>") == \
        "<a>\n  {%- if x -%}\n  <b>{{ y }}</b>\n  {%- endif -%}\n</a>"


def test_a_pages_navigation_and_contents_hold_no_blank_lines(built_site):
    page = (built_site / OFFICIAL / "report" / "index.html").read_text(encoding="utf-8")
    # each sidebar's navigation, from its first list to where the theme's base template takes over
    primary = page.index('<ul class="md-nav__list"', page.index('class="md-nav md-nav--primary'))
    secondary = page.index('class="md-nav md-nav--secondary')
    ends = [m.start() for m in re.finditer(r"</nav>\n\s*</div>", page)]
    navigation = page[primary:min(e for e in ends if e > primary)] + page[secondary:min(e for e in ends if e > secondary)]
    assert "md-nav--secondary" in navigation and navigation.count('class="md-nav__link"') >= 20
    assert not re.search(r"\n[ \t]*\n", navigation), "a blank line in the navigation or the contents"
