"""jieba's dictionary read once: the shared tokenizer with domain words, and the shipped words for the cleaner."""
import subprocess
import sys

from conftest import ROOT

# Run in a fresh process: whether this module initialises jieba depends on what ran before it.
ONE_READ = """
import jieba
from build_scripts import dictionary, keywords
shared = dictionary.initialise()
keywords.load_user_dictionary()  # adds the domain words to the shared tokenizer
shipped = dictionary.shipped()
fresh = jieba.Tokenizer()
fresh.initialize()
assert shipped.FREQ is dictionary._shipped["freq"], "read again instead of copied"
assert shipped.FREQ == fresh.FREQ and shipped.total == fresh.total
assert "智改数转" in shared.FREQ and "智改数转" not in shipped.FREQ
assert list(shipped.cut("推进智改数转和老旧小区改造", HMM=False)) == list(fresh.cut("推进智改数转和老旧小区改造", HMM=False))
print("ok")
"""


def test_the_cleaner_gets_the_shipped_words_copied_from_the_one_read_before_any_domain_word():
    result = subprocess.run([sys.executable, "-c", ONE_READ], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_a_tokenizer_initialised_by_someone_else_is_never_taken_for_the_shipped_words():
    script = ("import jieba\njieba.add_word('智改数转', 100)\nfrom build_scripts import dictionary\n"
              "dictionary.initialise()\nassert not dictionary._shipped\n"
              "assert '智改数转' not in dictionary.shipped().FREQ\nprint('ok')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_the_shipped_names_are_the_whole_entries_jieba_tags_as_places_people_or_organisations():
    from build_scripts import dictionary

    names = dictionary.shipped_names()
    assert {"宁夏", "江苏", "厦门"} <= names  # places (ns)
    assert not {"效劳", "敦促", "建设", "宁"} & names  # a noun, a verb, a verbal noun, a part of a name
