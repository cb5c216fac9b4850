"""A team repository: one clone beside the store, the member's own folder in it, and the
checks that keep other members' content honest.

Layout: `people/NAME/YYYY-MM-DD.json`, one file per member per week (the week's Monday),
holding the week as the store does, minus the member's private sections. Each member
writes only their own folder: a publish puts that folder onto the team's latest commit
(never a rebase), so concurrent publishes never conflict; a rejected push is built again
on what was fetched and pushed again.

Trust. The repository is other people's content:
  * member names and dates come from folder and file names, matched against strict
    patterns, never from file content; a file whose content names another Monday is refused;
  * files are opened under the clone with O_NOFOLLOW at every level (the clone itself
    checks symlinks out as plain files: core.symlinks=false), at most FILE_CAP bytes, and
    validated by the same pydantic Week as the store;
  * the rule for who may write where: a commit may change `people/X/YYYY-MM-DD.json` only
    when its author name is X, and nothing else at all. Weekly's own publish commits with
    the member's name as author. Sync walks every path of every new commit, merges against
    each parent, with plumbing whose output no user config changes; a file last changed by
    a commit breaking the rule is refused (named, skipped by the roll-up) until its owner
    publishes it again; any other path (.gitattributes, .gitmodules) is named as refused,
    and the clone ignores attributes ($GIT_DIR/info/attributes) and never checks out
    submodules. Git does not authenticate authors: this catches mistakes and casual forgery,
    not a determined member with push rights (signed commits or a server-side hook do that).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import re
import stat
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..files import make_folders
from ..errors import WeeklyError, describe_validation
from ..messages import say
from ..models import Week
from ..text import visible
from .git import GitError, git, out

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
WEEK_FILE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\.json")
# a branch name: letters of any script, digits, `._/-` (git checks the rest)
BRANCH_PATTERN = re.compile(r"[^\W_][\w./-]{0,99}")
# What can be kept private: the week's sections (custom sections too, once weeks hold them).
SECTIONS = tuple(s for s in ("key_work", "metrics", "objectives", "incidents", "other", "reflections",
                             "next_week", "daily_notes", "sections") if s in Week.model_fields)
DEFAULT_PRIVATE = ("daily_notes",)
FILE_CAP = 2_000_000  # bytes: the import limit
PUSH_TRIES = 8
PEOPLE = "people"


class TeamError(WeeklyError):
    pass


class PushPending(TeamError):
    """Committed locally; the push did not happen (the remote is unreachable or kept moving)."""


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise TeamError(f"'{visible(name)}' is not a member name: use letters, digits, '-' or '_' "
                        f"(at most 40, starting with a letter or digit)")
    return name


class TeamConfig(BaseModel):
    """Who you are in the team, kept beside the store (`weekly.team.json`)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    url: str
    branch: str = Field(pattern=f"^{BRANCH_PATTERN.pattern}$")
    private: list[str] = Field(default_factory=lambda: list(DEFAULT_PRIVATE))

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME_PATTERN.fullmatch(v):
            raise ValueError("not a member name")
        return v

    @field_validator("private")
    @classmethod
    def _sections(cls, v: list[str]) -> list[str]:
        unknown = [s for s in v if s not in SECTIONS]
        if unknown:
            raise ValueError(f"unknown section {unknown[0]!r} (sections: {', '.join(SECTIONS)})")
        return v


@dataclass
class Team:
    """A joined team: the config and where its clone lives."""

    config: TeamConfig
    folder: Path

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def remote_ref(self) -> str:
        return f"refs/remotes/origin/{self.config.branch}"


def team_folder(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.team")


def config_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.team.json")


def _state_path(folder: Path) -> Path:
    return folder / ".git" / "weekly-team.json"


def load_team(db_path: Path) -> Team:
    path = config_path(db_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TeamError("not in a team yet: run `weekly team join URL --as NAME`") from None
    except OSError as exc:
        raise TeamError(f"{path}: cannot read the team config ({exc.strerror})") from None
    try:
        config = TeamConfig.model_validate_json(raw)
    except ValidationError as exc:
        raise TeamError(f"{path}: not a valid team config ({describe_validation(exc)})") from None
    folder = team_folder(db_path)
    if not (folder / ".git").is_dir():
        raise TeamError(f"{folder}: the team's clone is missing; join again "
                        f"(`weekly team join URL --as {config.name}`)")
    if not (folder / ".git" / "info" / "attributes").exists():  # a clone made before Weekly wrote it
        _no_attributes(folder)
    return Team(config, folder)


def _save_config(db_path: Path, config: TeamConfig) -> None:
    from ..files import write_file

    write_file(config_path(db_path), (config.model_dump_json(indent=2) + "\n").encode(), what="the team config")


# --- join -------------------------------------------------------------------------------

_CREDENTIALS = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/@?#]*)@")
# git asks this helper (run by git's shell, the secret passed in the environment, never
# spelled into a command) for the credential an address held; git's own helpers still
# store it if the user has one.
_ADDRESS_HELPER = ('!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" '
                   '"$WEEKLY_GIT_USERNAME" "$WEEKLY_GIT_PASSWORD"; }; f')


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """The address without the `user:password@` it may hold, and those (percent-decoded)."""
    from urllib.parse import unquote

    found = _CREDENTIALS.match(url)
    if not found or found[1].lower() not in ("http://", "https://", "ftp://", "ftps://"):
        return url, None, None
    user, _, password = found[2].partition(":")
    return found[1] + url[found.end():], unquote(user), unquote(password) if password else None


def _no_attributes(folder: Path) -> None:
    from ..files import make_folders, write_file
    from .git import NO_ATTRIBUTES

    make_folders(folder / ".git" / "info")
    write_file(folder / ".git" / "info" / "attributes", NO_ATTRIBUTES, what="the team's clone")


def join(db_path: Path, url: str, name: str, private: list[str] | None = None) -> Team:
    import shutil

    check_name(name)
    if not url.strip() or url.startswith("-"):
        raise TeamError(f"'{visible(url)}' is not a repository address")
    folder = team_folder(db_path)
    if folder.is_dir() and not folder.is_symlink() and not config_path(db_path).exists() \
            and (folder / ".git").is_dir():
        shutil.rmtree(folder)  # a join that stopped half-way (no config was written): start again
    if folder.exists() or folder.is_symlink():
        raise TeamError(f"{folder} already exists: this store has joined a team "
                        f"(remove that folder and {config_path(db_path).name} to join another)")
    make_folders(folder.parent)  # 0700 whatever the umask
    address, user, password = split_credentials(url)
    helper: tuple[str, ...] = ()
    secret: dict[str, str] = {}
    if user is not None:
        helper = ("-c", f"credential.helper={_ADDRESS_HELPER}")
        secret = {"WEEKLY_GIT_USERNAME": user, "WEEKLY_GIT_PASSWORD": password or ""}
    # `--` ends the options: a URL is never read as one. Nothing checked out before the
    # clone's own attributes are in place; no content as symlinks. The clone only ever sees
    # the address without its credential, so none is written into its config or logs.
    git(None, *helper, "clone", "--quiet", "--no-checkout", "--no-local", "--config", "core.symlinks=false",
        "--", address, str(folder), network=True, env=secret)
    try:
        os.chmod(folder, 0o700)
        _no_attributes(folder)
        if git(folder, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0:
            git(folder, "reset", "--quiet", "--hard", "HEAD")
        for key, value in (("user.name", name), ("user.email", f"{name}@weekly.invalid")):
            if git(folder, "config", "--get", key, check=False).returncode != 0:
                git(folder, "config", "--local", key, value)  # no identity anywhere: this clone gets one
        # Years of weeks are tens of thousands of files: git's own settings for that (index v4,
        # untracked cache) halve what a sync spends looking at the work tree.
        git(folder, "config", "--local", "feature.manyFiles", "true")
        branch = out(folder, "symbolic-ref", "--short", "HEAD")
        if git(folder, "check-ref-format", "--branch", branch, check=False).returncode != 0 \
                or not BRANCH_PATTERN.fullmatch(branch):
            raise TeamError(f"the team repository's branch '{visible(branch)}' is not a name Weekly can use")
        config = TeamConfig(name=name, url=address, branch=branch,
                            private=list(DEFAULT_PRIVATE) if private is None else private)
        team = Team(config, folder)
        verify(team)  # the whole history, once
        _save_config(db_path, config)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a later join starts from nothing
        raise
    return team


# --- the member's own folder ------------------------------------------------------------

def meaning(key: str, titles: tuple[str, ...] = ()) -> str:
    """What a section holds whatever its heading says, as the importer reads headings: a
    week field's key, a common section's key ("risks", "support"), else its own words."""
    from ..synonyms import normalise, section_key
    from ..templates import FIELD_KEYS

    if key in FIELD_KEYS:
        return key
    if key.startswith("objective:"):
        return "objectives"
    if key.startswith("day:"):
        return "daily"
    for text in (*titles, key):
        if text and (found := section_key(text)):
            return found
    return "own:" + normalise(next((t for t in titles if t.strip()), key))


# a private field, and what a section holding the same must mean to be private with it
_PRIVATE_MEANING = {"daily_notes": "daily", "reflections": "reflections"}


def public_doc(week: Week, private: list[str]) -> dict:
    """The week as the store holds it, minus the private sections (emptied, not removed:
    the file still validates as a Week) and minus every section of the week's own whose
    meaning is private (a `## 日报` or `## 心得` import kept as text)."""
    doc = week.model_dump(mode="json")
    for section in private:
        doc[section] = Week.model_fields[section].get_default(call_default_factory=True)
        if isinstance(doc[section], list):
            doc[section] = []
    hidden = {_PRIVATE_MEANING.get(section, section) for section in private}
    if "sections" in doc and "sections" not in private:
        doc["sections"] = [s for s, kept in zip(doc["sections"], week.sections)
                           if meaning(kept.key, (kept.title,)) not in hidden]
    if doc.get("layout") and hidden:  # an imported layout names the private headings too
        layout = doc["layout"]
        layout["sections"] = [s for s in layout.get("sections", [])
                              if meaning(s["key"], tuple(s.get("heading", {}).values())) not in hidden]
    doc["carried_from"] = None
    return doc


def week_bytes(week: Week, private: list[str]) -> bytes:
    import orjson

    # Sorted keys and a fixed indent: an unchanged week gives the same bytes, so no commit.
    return orjson.dumps(public_doc(week, private), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def _real_dir(path: Path) -> None:
    """Make `path` a real folder (not a symlink to elsewhere)."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise TeamError(f"{path} is not a folder (a symlink or a file); refusing to write through it")


@dataclass
class PublishResult:
    written: list[date]
    committed: bool
    pushed: int  # commits pushed (one: the member's folder as it is now)


def _fetch(team: Team):
    return git(team.folder, "fetch", "--quiet", "--no-write-fetch-head", "origin", network=True, check=False)


def _stderr_line(done) -> str:
    from .git import last_line

    return last_line(done.stderr.decode("utf-8", "replace"))


def publish(team: Team, weeks: list[Week], complete: bool = False) -> PublishResult:
    """Write the weeks into the member's own folder and publish that folder onto the team's
    latest commit: never a rebase or merge of anyone else's files (see `_own_commit`).
    `complete`: the weeks are all the store holds, so the folder holds exactly them (a file
    someone else put there goes); else only files refused as someone else's go."""
    from ..files import write_file

    _real_dir(team.folder / PEOPLE)
    own = team.folder / PEOPLE / team.name
    _real_dir(own)
    keep = {f"{week.monday.isoformat()}.json" for week in weeks}
    refused = refused_files(team)
    for entry in os.scandir(own):
        if (complete and entry.name not in keep) or f"{PEOPLE}/{team.name}/{entry.name}" in refused:
            if entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
    written = []
    for week in weeks:
        path = own / f"{week.monday.isoformat()}.json"
        payload = week_bytes(week, team.config.private)
        with contextlib.suppress(OSError):
            if not path.is_symlink() and path.read_bytes() == payload:
                continue
        with contextlib.suppress(OSError):  # the member's own folder: whatever is there goes
            if not stat.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)
        write_file(path, payload, what="the team's clone")
        written.append(week.monday)
    days = ", ".join(d.isoformat() for d in written[:5]) + (" …" if len(written) > 5 else "")
    message = (f"{team.name}: {len(written)} week{'s' if len(written) != 1 else ''} ({days})" if written
               else f"{team.name}: own folder as published")
    pushed = _publish_own(team, _worktree_tree(team), message)
    return PublishResult(written, pushed > 0, pushed)


def _worktree_tree(team: Team) -> str | None:
    """The tree of the member's own folder as it is in the clone's work tree."""
    pathspec = f"{PEOPLE}/{team.name}"
    git(team.folder, "add", "--all", "--", pathspec)
    return _subtree(team, "", from_index=True)


def _subtree(team: Team, commit: str, from_index: bool = False) -> str | None:
    """The member's own folder's tree id in `commit` (or the index); None when it has none."""
    if from_index:
        done = git(team.folder, "write-tree", f"--prefix={PEOPLE}/{team.name}/", check=False)
    else:
        done = git(team.folder, "rev-parse", "--verify", "--quiet", f"{commit}:{PEOPLE}/{team.name}", check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _own_commit(team: Team, base: str | None, own_tree: str | None, message: str) -> str | None:
    """A commit on `base` whose tree is base's with only `people/NAME/` replaced by the
    member's own tree; None when that changes nothing. Built in an index of its own: what
    others changed elsewhere is taken as it is, never replayed (no rebase, no rename
    detection), so a publish cannot write into another member's folder."""
    index = team.folder / ".git" / "weekly-publish.index"
    index.unlink(missing_ok=True)
    env = {"GIT_INDEX_FILE": str(index)}
    try:
        git(team.folder, "read-tree", *([base] if base else ["--empty"]), env=env)
        git(team.folder, "rm", "-r", "--cached", "--force", "--quiet", "--ignore-unmatch", "--",
            f"{PEOPLE}/{team.name}", env=env)
        if own_tree:
            git(team.folder, "read-tree", f"--prefix={PEOPLE}/{team.name}/", own_tree, env=env)
        tree = git(team.folder, "write-tree", env=env).stdout.decode().strip()
    finally:
        index.unlink(missing_ok=True)
    if base and tree == out(team.folder, "rev-parse", f"{base}^{{tree}}"):
        return None
    email = out(team.folder, "config", "--get", "user.email") if git(
        team.folder, "config", "--get", "user.email", check=False).returncode == 0 else f"{team.name}@weekly.invalid"
    # The author is the member (the folder's owner, see the rule above); the committer
    # stays whoever this git says.
    author = {"GIT_AUTHOR_NAME": team.name, "GIT_AUTHOR_EMAIL": email}
    return git(team.folder, "commit-tree", tree, *(["-p", base] if base else []), "-m", message,
               env=author).stdout.decode().strip()


def _move_to(team: Team, commit: str) -> None:
    """The clone's branch and work tree at `commit` (the clone's attributes are off)."""
    git(team.folder, "checkout", "--quiet", "-B", team.config.branch, "--no-track", commit) \
        if _rev(team, "HEAD") is None else git(team.folder, "reset", "--quiet", "--hard", commit)


def _publish_own(team: Team, own_tree: str | None, message: str) -> int:
    """Put the member's own folder (`own_tree`) onto the team's latest commit and push;
    rejected because someone pushed first: fetch, build again, retry. Unreachable: the
    commit is kept locally (on the clone's own last commit) and PushPending raised; the
    next publish or sync pushes it. Returns the commits pushed (0 or 1)."""
    fetched = _fetch(team)
    for attempt in range(PUSH_TRIES):
        if fetched.returncode != 0:
            _keep_locally(team, own_tree, message)
            raise PushPending(f"committed locally, but the team repository cannot be reached "
                              f"({_stderr_line(fetched)}); it will be pushed on the next `weekly team publish`")
        verify(team)
        base = _rev(team, team.remote_ref)
        commit = _own_commit(team, base, own_tree, message)
        if commit is None:  # the team repository already holds the folder as it is here
            if base:
                _move_to(team, base)
            return 0
        pushed = git(team.folder, "push", "--quiet", "--no-verify", "origin",
                     f"{commit}:refs/heads/{team.config.branch}", network=True, check=False)
        if pushed.returncode == 0:  # git moved origin/BRANCH along with the push
            _move_to(team, commit)
            verify(team)  # our own commit, checked like anyone's: it clears our folder's refusals
            return 1
        fetched = _fetch(team)
        if fetched.returncode == 0 and _rev(team, team.remote_ref) == base:  # nobody pushed first
            _keep_locally(team, own_tree, message)
            raise PushPending(f"committed locally, but the push was refused ({_stderr_line(pushed)}); "
                              f"it will be pushed on the next `weekly team publish`")
        time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # two members in step: break the tie
    _keep_locally(team, own_tree, message)
    raise PushPending(f"committed locally, but the team repository kept moving ({PUSH_TRIES} tries); "
                      f"it will be pushed on the next `weekly team publish`")


def _keep_locally(team: Team, own_tree: str | None, message: str) -> None:
    head = _rev(team, "HEAD")
    commit = _own_commit(team, head, own_tree, message)
    if commit is not None:
        _move_to(team, commit)


def _ahead(team: Team) -> bool:
    """The clone holds a commit of the member's own the remote branch does not have."""
    head, remote = _rev(team, "HEAD"), _rev(team, team.remote_ref)
    if head is None or head == remote:
        return False
    if remote is None:
        return True
    return out(team.folder, "rev-list", "--count", f"{team.remote_ref}..HEAD") != "0"


def _rev(team: Team, ref: str) -> str | None:
    done = git(team.folder, "rev-parse", "--verify", "--quiet", ref, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


# --- sync and the check of new commits -------------------------------------------------

@dataclass
class SyncResult:
    commits: int
    refused: list[str] = field(default_factory=list)  # "people/bob/2023-10-09.json: why"


def sync(team: Team) -> SyncResult:
    """Fetch (git transfers only the objects that are new), check every new commit, bring
    them into the clone. A folder of the member's own committed while offline goes out now."""
    fetched = _fetch(team)
    if fetched.returncode != 0:
        raise TeamError(f"cannot reach the team repository ({_stderr_line(fetched)}); nothing changed")
    result = verify(team)
    if _ahead(team):
        head = _rev(team, "HEAD")
        _publish_own(team, _subtree(team, head), out(team.folder, "show", "-s", "--format=%s", head))
    elif _rev(team, team.remote_ref) is not None:
        _move_to(team, team.remote_ref)
    return result


def _load_state(team: Team) -> dict:
    try:
        state = json.loads(_state_path(team.folder).read_bytes())
    except (OSError, ValueError):
        return {"checked": None, "refused": {}}
    if not isinstance(state, dict) or not isinstance(state.get("refused"), dict):
        return {"checked": None, "refused": {}}
    return state


def refused_files(team: Team) -> dict[str, str]:
    return _load_state(team)["refused"]


def owner_of(path: str) -> str | None:
    """The member whose folder holds `path` (`people/NAME/YYYY-MM-DD.json`); None for any
    path Weekly never writes."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != PEOPLE or not NAME_PATTERN.fullmatch(parts[1]) \
            or not WEEK_FILE.fullmatch(parts[2]):
        return None
    return parts[1]


def _authors(team: Team, span: list[str]) -> dict[str, str]:
    """commit id -> author name of every commit in `span`. -z: NUL between commits and
    between id and name (neither can hold a NUL); no signature lines (--no-show-signature
    and the fixed config), whatever the user's git says."""
    raw = git(team.folder, "log", "--no-show-signature", "--no-color", "-z", "--format=%H%x00%an", *span, "--").stdout
    tokens = raw.split(b"\0")
    return {tokens[i].decode("ascii", "replace"): tokens[i + 1].decode("utf-8", "replace")
            for i in range(0, len(tokens) - 1, 2)}


def _changes(team: Team, commits: list[str]):
    """(commit, path) for every path every commit changed, against each parent of a merge
    (-m: a merge whose result equals one parent is still seen), the first commit included
    (--root). Raw -z output read by position: an entry is `:modes ids status` then exactly
    one path (--no-renames), so no file name can pass for a commit id."""
    if not commits:
        return
    raw = git(team.folder, "diff-tree", "--stdin", "-r", "--root", "-m", "--no-renames", "--no-ext-diff",
              "--no-textconv", "-z", input_bytes=("\n".join(commits) + "\n").encode()).stdout
    tokens = raw.split(b"\0")
    commit, position = "", 0
    while position < len(tokens):
        token = tokens[position]
        if token.startswith(b":"):
            yield commit, tokens[position + 1].decode("utf-8", "surrogateescape")
            position += 2
            continue
        if token:
            commit = token.decode("ascii", "replace").strip()
        position += 1


def verify(team: Team) -> SyncResult:
    """Check the commits the remote branch has that were not checked yet: a commit may
    change only `people/AUTHOR/YYYY-MM-DD.json`. A week file changed by anyone else is
    refused until its owner publishes it again; any other path (.gitattributes, .gitmodules,
    a stray file) is named as refused (the clone ignores attributes and never checks out
    submodules). Returns the commits checked and the refusals they brought."""
    from ..files import write_file

    state = _load_state(team)
    tip = _rev(team, team.remote_ref)
    if tip is None or tip == state.get("checked"):
        return SyncResult(0)
    checked = state.get("checked")
    span = [tip] + ([f"^{checked}"] if checked and _rev(team, f"{checked}^{{commit}}") else [])
    # Parents before children (--topo-order): an owner's later commit clears a refusal only
    # when it really came later.
    commits = out(team.folder, "rev-list", "--reverse", "--topo-order", *span, "--").split()
    authors = _authors(team, span)
    refused: dict[str, str] = state["refused"]
    newly: list[str] = []
    for commit, path in _changes(team, commits):
        author = authors.get(commit, "")
        owner = owner_of(path)
        if owner is not None and owner == author:
            refused.pop(path, None)  # its owner wrote it (again)
            continue
        shown = visible(path)
        if owner is None:
            why = say("team_refused_outside", people=PEOPLE, commit=commit[:10], author=repr(visible(author)))
        else:
            why = say("team_refused_changed", author=repr(visible(author)), commit=commit[:10], owner=owner)
            refused[path] = why
        line = f"{shown}: {why}"
        if line not in newly:
            newly.append(line)
    state = {"checked": tip, "refused": refused}
    write_file(_state_path(team.folder), json.dumps(state, indent=1, sort_keys=True).encode(), what="the team's clone")
    return SyncResult(len(commits), newly)


# --- reading members' weeks ------------------------------------------------------------

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


class MemberFileError(Exception):
    pass


@contextlib.contextmanager
def people_dir(team_folder: Path):
    """A descriptor of `people/`, opened without following a symlink; None if absent."""
    try:
        fd = os.open(team_folder / PEOPLE, _DIR_FLAGS)
    except FileNotFoundError:
        yield None
        return
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise TeamError(f"{team_folder / PEOPLE} is not a folder (a symlink?); refusing to read it") from None
        raise
    try:
        yield fd
    finally:
        os.close(fd)


def member_names(people_fd: int | None) -> tuple[list[str], list[str]]:
    """Members (folders whose name passes the pattern, sorted) and the entries skipped."""
    if people_fd is None:
        return [], []
    names, skipped = [], []
    with os.scandir(people_fd) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if NAME_PATTERN.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                names.append(entry.name)
            else:
                skipped.append(f"{PEOPLE}/{visible(entry.name)}: not a member folder (name or kind); skipped")
    return sorted(names), skipped


def read_member_week(people_fd: int, name: str, monday: date) -> Week | None:
    """The member's week for `monday`, validated; None when they have not published it.
    Raises MemberFileError with the reason when the file cannot be trusted."""
    from ..migrations import migrate_week_doc
    from ..models import SCHEMA_VERSION

    try:
        member_fd = os.open(name, _DIR_FLAGS, dir_fd=people_fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise MemberFileError(f"the member folder cannot be opened ({exc.strerror})") from None
    try:
        try:
            fd = os.open(f"{monday.isoformat()}.json", _FILE_FLAGS, dir_fd=member_fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise MemberFileError("a symlink, not a file" if exc.errno == errno.ELOOP
                                  else f"cannot be opened ({exc.strerror})") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise MemberFileError("not a regular file")
            raw = os.read(fd, FILE_CAP + 1)
            chunk = raw
            while chunk and len(raw) <= FILE_CAP:
                chunk = os.read(fd, FILE_CAP + 1 - len(raw))
                raw += chunk
        finally:
            os.close(fd)
    finally:
        os.close(member_fd)
    if len(raw) > FILE_CAP:
        raise MemberFileError(f"larger than {FILE_CAP // 1_000_000} MB")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise MemberFileError(f"not JSON ({visible(str(exc))[:120]})") from None
    if not isinstance(doc, dict):
        raise MemberFileError("not a week (a JSON object is expected)")
    version = doc.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise MemberFileError("not a week (bad schema_version)")
    if version > SCHEMA_VERSION:
        raise MemberFileError(f"written by a newer Weekly (schema {version})")
    try:
        week = Week.model_validate(migrate_week_doc(doc))
    except ValidationError as exc:
        raise MemberFileError(f"does not validate ({visible(describe_validation(exc))[:200]})") from None
    except (TypeError, ValueError, RecursionError, AttributeError) as exc:
        raise MemberFileError(f"not a week ({visible(str(exc))[:120]})") from None
    if week.monday != monday:
        raise MemberFileError(f"holds the week of {week.monday.isoformat()}, not of its file name")
    return week


# --- members -----------------------------------------------------------------------------

@dataclass
class Member:
    name: str
    weeks: int
    latest: date | None
    published_at: datetime | None


def _published_at(team: Team) -> dict[str, datetime | None]:
    """Each member's last commit time, from one `git log` over the whole `people/` folder
    (one command for any number of members). A header is `T` and the committer's Unix
    time; every name starts `people/` (the pathspec), so neither passes for the other."""
    raw = git(team.folder, "log", "--no-show-signature", "--no-renames", "-z", "--name-only", "--format=T%ct",
              "HEAD", "--", PEOPLE, check=False).stdout
    stamps: dict[str, datetime | None] = {}
    when: datetime | None = None
    for token in raw.split(b"\0"):
        token = token.lstrip(b"\n")
        if token.startswith(b"T"):
            try:
                when = datetime.fromtimestamp(int(token[1:]))
            except (ValueError, OverflowError, OSError):  # a forged, impossible time
                when = None
        elif token.startswith(PEOPLE.encode() + b"/"):
            name = token.split(b"/")[1].decode("utf-8", "replace")
            stamps.setdefault(name, when)
    return stamps


def monday_of_file(file_name: str) -> date | None:
    """The Monday a week file's name gives (ASCII digits, a real date, a Monday), else None."""
    found = WEEK_FILE.fullmatch(file_name)
    if not found:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return day if day.weekday() == 0 else None


def members(team: Team) -> tuple[list[Member], list[str]]:
    """Members with the weeks they published: only files that validate and were not refused."""
    refused = refused_files(team)
    stamps = _published_at(team)
    found, skipped = [], []
    with people_dir(team.folder) as people_fd:
        names, skipped = member_names(people_fd)
        for name in names:
            mondays = []
            member_fd = os.open(name, _DIR_FLAGS, dir_fd=people_fd)
            try:
                files = [entry.name for entry in os.scandir(member_fd)]
            finally:
                os.close(member_fd)
            for file_name in files:
                monday = monday_of_file(file_name)
                if monday is None or f"{PEOPLE}/{name}/{file_name}" in refused:
                    continue
                with contextlib.suppress(MemberFileError):
                    if read_member_week(people_fd, name, monday) is not None:
                        mondays.append(monday)
            found.append(Member(name, len(mondays), max(mondays) if mondays else None, stamps.get(name)))
    return found, skipped
