"""Publishing the site: one build at a time, a staging folder per build, a swap that can always be recovered.

Real processes run the real command line (`python -m build_scripts build`) and the real swap; only
the site generator is replaced by a small script (a full MkDocs build takes too long to run dozens
of times) that writes pages slowly and can fail or hang half-way. One test runs real MkDocs on a
tiny config to check the command it is given.
"""
from __future__ import annotations

import functools
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from build_scripts import publish
from build_scripts.errors import InputError
from conftest import ROOT

PAGES = 30
FAKE_BUILD = textwrap.dedent(f"""
    import sys, time
    from pathlib import Path
    out, build_id, mode, seed = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    for i in range({PAGES}):
        if i == {PAGES} // 2 and mode == "fail":
            print("INFO    -  Building documentation...", file=sys.stderr)
            print(f"ERROR   -  {{seed}}: impossible date 2024-13-45 25:99", file=sys.stderr)
            print("Aborted with a BuildError!", file=sys.stderr)
            sys.exit(1)
        if i == {PAGES} // 2 and mode == "hang":
            (out.parent / f"hanging-{{build_id}}").write_text("")
            time.sleep(600)
        (out / f"page{{i}}").mkdir()
        (out / f"page{{i}}" / "index.html").write_text(f"{{build_id}} page {{i}}\\n")
        time.sleep(0.01)
    (out / "index.html").write_text(f"{{build_id}} home\\n")
""")
# Runs the real command line with the site generator replaced by FAKE_BUILD.
DRIVER = textwrap.dedent("""
    import sys
    from build_scripts import publish
    from build_scripts.__main__ import main
    fake, site, build_id, mode, seed, wait = sys.argv[1:7]
    publish.build_command = lambda config, out: [sys.executable, fake, str(out), build_id, mode, seed]
    publish.index_search = lambda out: None  # the fake pages need no search index
    sys.exit(main(["build", "--site-dir", site, "--wait", wait]))
""")


@pytest.fixture(autouse=True)
def no_search_index(monkeypatch):
    """Builds here publish fake pages: they need no search index (test_search tests the real one)."""
    monkeypatch.setattr(publish, "index_search", lambda out: None)


@pytest.fixture
def place(tmp_path):
    """A folder for a site, the fake generator and a seed file for error messages to name."""
    (tmp_path / "fake_build.py").write_text(FAKE_BUILD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("标题\n发布时间:2024-13-45 25:99\n", encoding="utf-8")
    return tmp_path


def start(place: Path, build_id: str, mode: str = "ok", wait: float = 120) -> subprocess.Popen:
    """Start one build as its own process (and process group, so a test can kill it with its generator)."""
    args = [sys.executable, "-c", DRIVER, str(place / "fake_build.py"), str(place / "site"), build_id, mode,
            str(place / "bad.txt"), str(wait)]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def build(place: Path, build_id: str, mode: str = "ok", wait: float = 120) -> subprocess.CompletedProcess:
    process = start(place, build_id, mode, wait)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def complete_build(site: Path) -> str:
    """The id of the one build the site folder holds; fails unless every page of that build is there."""
    files = snapshot(site)
    assert "index.html" in files, sorted(files)
    build_id = files["index.html"].decode().split()[0]
    expected = {"index.html": f"{build_id} home\n".encode()}
    expected.update({f"page{i}/index.html": f"{build_id} page {i}\n".encode() for i in range(PAGES)})
    assert files == expected
    return build_id


def leftovers(place: Path) -> list[str]:
    """Staging or retired folders beside the site (the lock file is meant to stay)."""
    return sorted(p.name for p in place.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock")


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_two_builds_at_once_leave_a_complete_site_in_each_of_12_trials(place):
    assert build(place, "first").returncode == 0
    outcomes = []
    for trial in range(12):
        one, two = start(place, f"a{trial}"), start(place, f"b{trial}")
        results = [p.communicate(timeout=120) + (p.returncode,) for p in (one, two)]
        assert [code for _, _, code in results] == [0, 0], results
        assert complete_build(place / "site") in {f"a{trial}", f"b{trial}"}
        assert leftovers(place) == []
        outcomes.append(any("waiting for another build" in err for _, err, _ in results))
    # The trials must really have overlapped: in some, one build waited for the other's lock.
    assert any(outcomes), "no trial had two builds running at the same time"


def test_a_build_that_fails_after_writing_has_begun_leaves_the_previous_site_byte_identical(place):
    assert build(place, "old").returncode == 0
    before = snapshot(place / "site")
    result = build(place, "new", mode="fail")
    assert result.returncode == 1
    assert snapshot(place / "site") == before
    assert leftovers(place) == []
    line = one_error_line(result.stderr)
    assert line.startswith(f"error: {place / 'bad.txt'}: impossible date")
    assert "previous site left untouched" in line


def test_a_second_build_waits_a_bounded_time_then_fails_with_one_line(place):
    assert build(place, "old").returncode == 0
    before = snapshot(place / "site")
    with publish.site_lock(place / "site"):
        result = build(place, "new", wait=0.5)
    assert result.returncode == 1
    line = one_error_line(result.stderr.replace(next(
        (l for l in result.stderr.splitlines() if l.startswith("waiting")), "\n"), ""))
    assert f"error: {place / 'site'}: another build (process {os.getpid()})" in line
    assert snapshot(place / "site") == before


def test_a_build_killed_while_writing_does_not_block_or_spoil_the_next(place):
    assert build(place, "old").returncode == 0
    before = snapshot(place / "site")
    hanging = start(place, "killed", mode="hang")
    deadline = time.monotonic() + 60
    while not list(place.glob(".site.staging-*/hanging-killed")) and not (place / "hanging-killed").exists():
        assert time.monotonic() < deadline and hanging.poll() is None, hanging.communicate()
        time.sleep(0.05)
    os.killpg(hanging.pid, signal.SIGKILL)
    hanging.communicate()
    assert snapshot(place / "site") == before
    assert leftovers(place), "the killed build should have left its staging folder"
    result = build(place, "next", wait=5)
    assert result.returncode == 0, result.stderr
    assert complete_build(place / "site") == "next"
    assert leftovers(place) == []


def simulate_crash_after(steps: int, place: Path) -> None:
    """Run a swap in this process and stop it after ``steps`` of its three steps, as SIGKILL would."""
    site = place / "site"
    staging = publish.new_staging(site)
    (staging / "index.html").write_text("half-swapped home\n")
    actions = [lambda: publish.retire(site), lambda: publish.promote(staging, site),
               lambda: publish.discard_previous(site)]
    for action in actions[:steps]:
        action()


def test_a_build_killed_after_retiring_the_site_gets_it_back_even_if_the_next_build_fails(place):
    assert build(place, "old").returncode == 0
    before = snapshot(place / "site")
    simulate_crash_after(1, place)
    assert not (place / "site").exists() and (place / ".site.previous").is_dir()
    result = build(place, "new", mode="fail")
    assert result.returncode == 1
    assert snapshot(place / "site") == before
    assert leftovers(place) == []


def test_a_build_killed_after_retiring_the_site_is_recovered_by_the_next_build(place):
    assert build(place, "old").returncode == 0
    simulate_crash_after(1, place)
    assert build(place, "new").returncode == 0
    assert complete_build(place / "site") == "new"
    assert leftovers(place) == []


def test_a_build_killed_after_promoting_the_new_site_leaves_it_and_the_next_build_tidies_up(place):
    assert build(place, "old").returncode == 0
    simulate_crash_after(2, place)
    assert (place / "site" / "index.html").read_text() == "half-swapped home\n"
    assert (place / ".site.previous").is_dir()
    result = build(place, "new", mode="fail")
    assert result.returncode == 1
    assert (place / "site" / "index.html").read_text() == "half-swapped home\n"
    assert leftovers(place) == []


def test_a_build_killed_while_deleting_the_retired_site_is_tidied_up(place):
    assert build(place, "old").returncode == 0
    simulate_crash_after(2, place)
    previous = place / ".site.previous"
    (previous / "index.html").unlink()   # rmtree stopped half-way
    assert build(place, "new").returncode == 0
    assert complete_build(place / "site") == "new"
    assert leftovers(place) == []


def test_recovery_restores_a_retired_site_and_never_deletes_it(tmp_path):
    site, previous = tmp_path / "site", tmp_path / ".site.previous"
    previous.mkdir()
    (previous / "index.html").write_text("the only copy")
    publish.recover(site)
    assert (site / "index.html").read_text() == "the only copy"
    assert not previous.exists()


def test_every_build_gets_its_own_staging_folder_readable_like_any_folder(tmp_path):
    site = tmp_path / "site"
    one, two = publish.new_staging(site), publish.new_staging(site)
    assert one != two and one.parent == two.parent == tmp_path
    assert one.name.startswith(".site.staging-")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(one.stat().st_mode) == 0o777 & ~umask


def test_a_failed_generator_log_becomes_one_line_naming_the_seed(tmp_path):
    seed = tmp_path / "x.txt"
    seed.write_text("x")
    log = f"INFO    -  Cleaning site directory\nERROR   -  {seed}: file is empty\n\nAborted with a BuildError!\n"
    err = publish.build_error(Path("mkdocs.yml"), log)
    assert (err.path, err.problem) == (str(seed), "file is empty; previous site left untouched")


def test_a_problem_found_while_mkdocs_reads_a_page_names_the_file_not_the_page(tmp_path):
    overrides = tmp_path / "x.yml"
    overrides.write_text("force: []\n")
    log = (f"ERROR   -  Error reading page 'x/index.md':\n"
           f"ERROR   -  {overrides}: line 2: override matches nothing in the report\n\nAborted with a BuildError!\n")
    err = publish.build_error(Path("mkdocs.yml"), log)
    assert (err.path, err.problem) == (str(overrides), "line 2: override matches nothing in the report; "
                                                       "previous site left untouched")


def test_a_stage_failing_in_a_worker_stops_the_real_build_with_one_line_and_no_site(tmp_path):
    seeds, overrides = tmp_path / "seeds", tmp_path / "overrides"
    seeds.mkdir()
    overrides.mkdir()
    for name in ("hebei", "xizang"):
        (seeds / f"{name}.txt").write_bytes((ROOT / "seeds" / f"{name}.txt").read_bytes())
    # parsing succeeds; the clean stage (in a worker, while MkDocs reads other pages) finds the override unused
    (overrides / "xizang.yml").write_text("force:\n  - {spun: 甲乙丙丁, restored: 甲乙, near: 甲乙丙丁戊}\n",
                                          encoding="utf-8")
    env = {**os.environ, "EXPLAINER_SEEDS": str(seeds), "EXPLAINER_OVERRIDES": str(overrides),
           "EXPLAINER_NO_CACHE": "1", "EXPLAINER_WORKERS": "2"}
    result = subprocess.run([sys.executable, "-m", "build_scripts", "build", "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert one_error_line(result.stderr) == (f"error: {overrides / 'xizang.yml'}: line 2: override matches nothing "
                                             "in the report (force '甲乙丙丁' → '甲乙' near '甲乙丙丁戊'); "
                                             "previous site left untouched")
    assert not (tmp_path / "site").exists()


def test_strict_mode_warnings_name_the_config_with_the_first_warning(tmp_path):
    log = "WARNING -  A reference to 'x.md' is not found.\nWARNING -  another\nAborted with 2 warnings in strict mode!\n"
    err = publish.build_error(Path("mkdocs.yml"), log)
    assert err.path == "mkdocs.yml"
    assert "A reference to 'x.md' is not found" in err.problem and "+1 more" in err.problem
    assert "\n" not in str(err)


def test_real_mkdocs_builds_a_tiny_site_through_the_command_line_and_a_broken_one_changes_nothing(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 首页\n\n正文。\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\ndocs_dir: docs\n", encoding="utf-8")
    command = [sys.executable, "-m", "build_scripts", "build", "--config", str(config),
               "--site-dir", str(tmp_path / "site")]
    ok = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "正文" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    before = snapshot(tmp_path / "site")
    config.write_text("site_name: t\ndocs_dir: docs\nnav:\n  - missing.md\n", encoding="utf-8")
    broken = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert broken.returncode == 1
    assert one_error_line(broken.stderr).startswith(f"error: {config}: site build failed")
    assert snapshot(tmp_path / "site") == before


def test_an_empty_build_output_is_never_published(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous")
    monkeypatch.setattr(publish, "build_command", lambda config, out: [sys.executable, "-c", "pass"])
    with pytest.raises(InputError, match="no index.html"):
        publish.build_site(Path("mkdocs.yml"), site)
    assert snapshot(site) == {"index.html": b"previous"}


# --- File-system failures: one line, status 1, the previous site intact ---------------------------

AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@functools.lru_cache(maxsize=None)
def unprivileged_python() -> str:
    """A Python an ordinary user may run that imports the build scripts (the venv's may point into /root)."""
    if os.geteuid() != 0:
        return sys.executable
    for python in (sys.executable, "/usr/bin/python3"):
        # It must also start itself again: the fake generator runs as sys.executable.
        check = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import build_scripts.__main__'], check=True)"
        probe = subprocess.run([*AS_NOBODY, python, "-c", check], cwd=ROOT, capture_output=True)
        if probe.returncode == 0:
            return python
    pytest.skip("no Python an ordinary user may run imports build_scripts")


def unprivileged(command: list[str]) -> list[str]:
    """The Python command run as an ordinary user, for whom read-only folders really refuse (root ignores them)."""
    command = [unprivileged_python(), *command[1:]] if command[0] == sys.executable else command
    return [*AS_NOBODY, *command] if os.geteuid() == 0 else command


@pytest.fixture
def open_place():
    """Like ``place``, but in a folder an ordinary user owns and can reach (pytest's tmp_path is root-only)."""
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="publish-test-"))
    (folder / "fake_build.py").write_text(FAKE_BUILD, encoding="utf-8")
    (folder / "bad.txt").write_text("标题\n", encoding="utf-8")
    if os.geteuid() == 0:
        for path in [folder, *folder.iterdir()]:
            os.chown(path, 65534, 65534)
    yield folder
    publish.remove_tree(folder)


def build_unprivileged(place: Path, build_id: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", DRIVER, str(place / "fake_build.py"), str(place / "site"), build_id, "ok",
            str(place / "bad.txt"), "30"]
    return subprocess.run(unprivileged(args), cwd=ROOT, capture_output=True, text=True, timeout=120)


def make_read_only(site: Path) -> None:
    """Protect a site as an editor might by hand: every folder and file read-only."""
    for path in sorted(site.rglob("*"), reverse=True) + [site]:
        if not path.is_symlink():  # chmod would change the link's target
            path.chmod(0o555 if path.is_dir() else 0o444)


def test_a_read_only_site_folder_is_replaced_and_leaves_nothing_behind(open_place):
    assert build_unprivileged(open_place, "old").returncode == 0
    (open_place / "site" / "page3" / "extra").mkdir()
    (open_place / "site" / "page3" / "extra" / "note.txt").write_text("hand-made\n")
    if os.geteuid() == 0:  # made by this (root) process; the editor who protects the site owns it
        for path in (open_place / "site" / "page3" / "extra", open_place / "site" / "page3" / "extra" / "note.txt"):
            os.chown(path, 65534, 65534)
    make_read_only(open_place / "site")
    result = build_unprivileged(open_place, "new")
    assert result.returncode == 0, result.stderr
    assert complete_build(open_place / "site") == "new"
    assert leftovers(open_place) == []
    # And the next build, which once failed on the undeletable `.site.previous`, works too.
    assert build_unprivileged(open_place, "newer").returncode == 0
    assert complete_build(open_place / "site") == "newer"


def test_a_folder_that_may_not_be_written_gives_one_line_and_keeps_the_site(open_place):
    assert build_unprivileged(open_place, "old").returncode == 0
    before = snapshot(open_place / "site")
    open_place.chmod(0o555)
    try:
        result = build_unprivileged(open_place, "new")
    finally:
        open_place.chmod(0o755)
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"error: {open_place}: ") and "writable" in line
    assert snapshot(open_place / "site") == before


def test_removing_a_tree_never_changes_a_link_target_or_the_folder_holding_it(open_place):
    outside_file, outside_folder = open_place / "outside.txt", open_place / "outside"
    outside_file.write_text("not ours\n")
    outside_folder.mkdir()
    tree = open_place / "tree"
    (tree / "inner").mkdir(parents=True)
    (tree / "inner" / "file.txt").write_text("x")
    (tree / "inner" / "to-file").symlink_to(outside_file)
    (tree / "inner" / "to-folder").symlink_to(outside_folder, target_is_directory=True)
    if os.geteuid() == 0:
        for path in [outside_file, outside_folder, tree, tree / "inner", tree / "inner" / "file.txt"]:
            os.chown(path, 65534, 65534)
        for link in ("to-file", "to-folder"):
            os.lchown(tree / "inner" / link, 65534, 65534)
    outside_file.chmod(0o400)
    outside_folder.chmod(0o500)
    make_read_only(tree)
    script = f"from pathlib import Path; from build_scripts.publish import remove_tree; print(remove_tree(Path({str(tree)!r})))"
    command = unprivileged([sys.executable, "-c", script])
    open_place.chmod(0o555)       # the tree may not leave this folder, and the removal must not loosen it
    try:
        refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        assert refused.stdout.strip() == "False", refused.stderr
        assert stat.S_IMODE(open_place.stat().st_mode) == 0o555
    finally:
        open_place.chmod(0o755)
    removed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert removed.stdout.strip() == "True", removed.stderr
    assert not os.path.lexists(tree)
    assert stat.S_IMODE(outside_file.stat().st_mode) == 0o400
    assert stat.S_IMODE(outside_folder.stat().st_mode) == 0o500


def test_a_lock_name_taken_by_a_folder_gives_one_line_and_keeps_the_site(place):
    assert build(place, "old").returncode == 0
    before = snapshot(place / "site")
    (place / ".site.lock").unlink()
    (place / ".site.lock").mkdir()
    result = build(place, "new")
    assert result.returncode == 1
    assert one_error_line(result.stderr).startswith(f"error: {place / '.site.lock'}: is a folder")
    assert snapshot(place / "site") == before


def test_a_site_folder_that_is_a_file_or_lies_under_a_file_is_refused_and_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "build_command", lambda config, out: [sys.executable, "-c", "pass"])
    a_file = tmp_path / "site"
    a_file.write_text("an editor's notes\n")
    with pytest.raises(InputError, match="is a file, not a site folder"):
        publish.build_site(Path("mkdocs.yml"), a_file)
    with pytest.raises(InputError, match="cannot hold the site folder"):
        publish.build_site(Path("mkdocs.yml"), a_file / "inner" / "site")
    assert a_file.read_text() == "an editor's notes\n"


def test_a_site_folder_that_is_a_link_is_refused_and_its_target_left_alone(tmp_path):
    target = tmp_path / "real"
    target.mkdir()
    (target / "index.html").write_text("kept")
    (tmp_path / "site").symlink_to(target)
    with pytest.raises(InputError, match="is a link"):
        publish.build_site(Path("mkdocs.yml"), tmp_path / "site")
    assert (target / "index.html").read_text() == "kept"


def fake_mkdocs(config, out):
    return [sys.executable, "-c", f"open({str(out / 'index.html')!r}, 'w').write('new')"]


def test_a_retired_site_that_resists_deletion_is_moved_aside_with_a_warning_and_deleted_later(tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    monkeypatch.setattr(publish, "build_command", fake_mkdocs)
    real_remove = publish.remove_tree
    # As a busy mount or an immutable file would: the retired site cannot be deleted this time.
    monkeypatch.setattr(publish, "remove_tree", lambda path: False if path.name == ".site.previous" else real_remove(path))
    publish.build_site(Path("mkdocs.yml"), site)
    assert (site / "index.html").read_text() == "new"
    warning = capsys.readouterr().err.strip()
    assert warning.startswith(f"warning: {tmp_path / '.site.previous'}: could not be deleted; moved to .site.discarded-")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.discarded-")]
    assert not (tmp_path / ".site.previous").exists()
    monkeypatch.setattr(publish, "remove_tree", real_remove)
    publish.build_site(Path("mkdocs.yml"), site)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_retired_site_that_can_be_neither_deleted_nor_moved_is_one_error_naming_it(tmp_path, monkeypatch):
    site, previous = tmp_path / "site", tmp_path / ".site.previous"
    site.mkdir()
    previous.mkdir()
    monkeypatch.setattr(publish, "remove_tree", lambda path: False)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))
    monkeypatch.setattr(publish.tempfile, "mkdtemp", refuse)
    with pytest.raises(InputError, match="can be neither deleted nor moved aside .*delete it by hand") as caught:
        publish.recover(site)
    assert str(caught.value).startswith(str(previous))


def test_an_unforeseen_file_system_error_is_one_line_naming_the_file(monkeypatch, capsys):
    from build_scripts import __main__ as cli

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", "/srv/site/page/index.html")
    monkeypatch.setattr(publish, "build_site", full_disk)
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err == "error: /srv/site/page/index.html: No space left on device\n"
