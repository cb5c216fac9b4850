"""A team repository: one clone beside the store, the member's own folder in it, and the
checks that keep other members' content honest.

Layout: `people/NAME/YYYY-MM-DD.json`, one file per member per week (the week's Monday),
holding the week as the store does, minus the member's private sections. Each member
writes only their own folder, so concurrent publishes never conflict: a rejected push is
fetched, rebased and pushed again.

Trust. The repository is other people's content:
  * member names and dates come from folder and file names, matched against strict
    patterns, never from file content; a file whose content names another Monday is refused;
  * files are opened under the clone with O_NOFOLLOW at every level (the clone itself
    checks symlinks out as plain files: core.symlinks=false), at most FILE_CAP bytes, and
    validated by the same pydantic Week as the store;
  * the rule for who may write where: a commit may change `people/X/…` only when its author
    name is X. Weekly's own publish commits with the member's name as author. Sync walks
    every new commit; a file last changed by a commit breaking the rule is refused (named,
    skipped by the roll-up) until its owner publishes it again. Git does not authenticate
    authors: this catches mistakes and casual forgery, not a determined member with push
    rights (signed commits or a server-side hook do that).
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
from ..models import Week
from ..text import visible
from .git import GitError, git, out

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
WEEK_FILE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.json")
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
    branch: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
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
    return Team(config, folder)


def _save_config(db_path: Path, config: TeamConfig) -> None:
    from ..files import atomic_write

    atomic_write(config_path(db_path), (config.model_dump_json(indent=2) + "\n").encode())


# --- join -------------------------------------------------------------------------------

def join(db_path: Path, url: str, name: str, private: list[str] | None = None) -> Team:
    check_name(name)
    if not url.strip() or url.startswith("-"):
        raise TeamError(f"'{visible(url)}' is not a repository address")
    folder = team_folder(db_path)
    if folder.exists() or folder.is_symlink():
        raise TeamError(f"{folder} already exists: this store has joined a team "
                        f"(remove that folder and {config_path(db_path).name} to join another)")
    make_folders(folder.parent)  # 0700 whatever the umask
    # `--` ends the options: a URL is never read as one. No checkout of content as symlinks.
    git(None, "clone", "--quiet", "--no-local", "--config", "core.symlinks=false", "--", url, str(folder),
        network=True)
    os.chmod(folder, 0o700)
    for key, value in (("user.name", name), ("user.email", f"{name}@weekly.invalid")):
        if git(folder, "config", "--get", key, check=False).returncode != 0:
            git(folder, "config", "--local", key, value)  # no identity anywhere: this clone gets one
    # Years of weeks are tens of thousands of files: git's own settings for that (index v4,
    # untracked cache) halve what a sync spends looking at the work tree.
    git(folder, "config", "--local", "feature.manyFiles", "true")
    branch = out(folder, "symbolic-ref", "--short", "HEAD")
    # The address is kept to say where the team lives, never a credential written into it.
    config = TeamConfig(name=name, url=re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1", url), branch=branch,
                        private=list(DEFAULT_PRIVATE) if private is None else private)
    team = Team(config, folder)
    verify(team)  # the whole history, once
    _save_config(db_path, config)
    return team


# --- the member's own folder ------------------------------------------------------------

def public_doc(week: Week, private: list[str]) -> dict:
    """The week as the store holds it, minus the private sections (emptied, not removed:
    the file still validates as a Week)."""
    doc = week.model_dump(mode="json")
    for section in private:
        doc[section] = Week.model_fields[section].get_default(call_default_factory=True)
        if isinstance(doc[section], list):
            doc[section] = []
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
    pushed: int  # commits pushed, those left from an earlier offline publish included


def publish(team: Team, weeks: list[Week]) -> PublishResult:
    """Write the weeks into the member's folder, commit, push (fetch, rebase, retry)."""
    from ..files import atomic_write

    _real_dir(team.folder / PEOPLE)
    own = team.folder / PEOPLE / team.name
    _real_dir(own)
    written = []
    for week in weeks:
        path = own / f"{week.monday.isoformat()}.json"
        payload = week_bytes(week, team.config.private)
        with contextlib.suppress(OSError):
            if not path.is_symlink() and path.read_bytes() == payload:
                continue
        if path.is_symlink():
            path.unlink()
        atomic_write(path, payload)
        written.append(week.monday)
    pathspec = f"{PEOPLE}/{team.name}"
    git(team.folder, "add", "--all", "--", pathspec)
    staged = git(team.folder, "diff", "--cached", "--quiet", "--", pathspec, check=False).returncode != 0
    if staged:
        email = out(team.folder, "config", "--get", "user.email") if git(
            team.folder, "config", "--get", "user.email", check=False).returncode == 0 else f"{team.name}@weekly.invalid"
        days = ", ".join(d.isoformat() for d in written[:5]) + (" …" if len(written) > 5 else "")
        message = f"{team.name}: {len(written)} week{'s' if len(written) != 1 else ''} ({days})"
        # The author is the member (the folder's owner, see the rule above); the committer
        # stays whoever this git says.
        git(team.folder, "commit", "--quiet", "--no-verify", f"--author={team.name} <{email}>",
            "-m", message, "--", pathspec)
    return PublishResult(written, staged, push(team))


def _ahead(team: Team) -> int:
    """Commits here that the remote branch does not have."""
    if _rev(team, "HEAD") is None:
        return 0  # nothing committed yet
    if _rev(team, team.remote_ref) is None:
        return int(out(team.folder, "rev-list", "--count", "HEAD"))  # the remote has no branch yet
    return int(out(team.folder, "rev-list", "--count", f"{team.remote_ref}..HEAD"))


def push(team: Team) -> int:
    """Push what is committed. Rejected because others pushed first: fetch, rebase (never a
    conflict: each member writes only their own folder), retry, at most PUSH_TRIES times."""
    for attempt in range(PUSH_TRIES):
        ahead = _ahead(team)
        if not ahead:
            return 0
        pushed = git(team.folder, "push", "--quiet", "--no-verify", "origin",
                     f"HEAD:refs/heads/{team.config.branch}", network=True, check=False)
        if pushed.returncode == 0:  # git moved origin/BRANCH along with the push
            return ahead
        before = _rev(team, team.remote_ref)
        fetched = git(team.folder, "fetch", "--quiet", "origin", network=True, check=False)
        if fetched.returncode != 0:
            from .git import last_line

            raise PushPending(f"committed locally, but the team repository cannot be reached "
                              f"({last_line(fetched.stderr.decode('utf-8', 'replace'))}); "
                              f"it will be pushed on the next `weekly team publish`")
        if _rev(team, team.remote_ref) == before:
            from .git import last_line

            raise PushPending(f"committed locally, but the push was refused "
                              f"({last_line(pushed.stderr.decode('utf-8', 'replace'))}); "
                              f"it will be pushed on the next `weekly team publish`")
        verify(team)
        _rebase(team)
        time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # two members in step: break the tie
    raise PushPending(f"committed locally, but the team repository kept moving ({PUSH_TRIES} tries); "
                      f"it will be pushed on the next `weekly team publish`")


def _rev(team: Team, ref: str) -> str | None:
    done = git(team.folder, "rev-parse", "--verify", "--quiet", ref, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _rebase(team: Team) -> None:
    if _rev(team, team.remote_ref) is None:
        return
    if _rev(team, "HEAD") is None:  # an empty clone: take the remote's branch as it is
        git(team.folder, "checkout", "--quiet", "-B", team.config.branch, team.remote_ref)
        return
    # -Xtheirs: where someone else's commit touched this member's own folder (a refused
    # write), the member's own version wins; their commits touch nothing else.
    if not _ahead(team):  # nothing of ours to replay (a lead's usual sync): a fast-forward
        done = git(team.folder, "merge", "--quiet", "--ff-only", team.remote_ref, check=False)
    else:
        done = git(team.folder, "rebase", "--quiet", "-Xtheirs", team.remote_ref, check=False)
    if done.returncode != 0:
        git(team.folder, "rebase", "--abort", check=False)
        from .git import last_line

        raise TeamError(f"could not bring in the team's changes ({last_line(done.stderr.decode('utf-8', 'replace'))}); "
                        f"your own folder was left as it was")


# --- sync and the check of new commits -------------------------------------------------

@dataclass
class SyncResult:
    commits: int
    refused: list[str] = field(default_factory=list)  # "people/bob/2023-10-09.json: why"


def sync(team: Team) -> SyncResult:
    """Fetch (git transfers only the objects that are new), check every new commit, bring
    them into the clone."""
    fetched = git(team.folder, "fetch", "--quiet", "origin", network=True, check=False)
    if fetched.returncode != 0:
        from .git import last_line

        raise TeamError(f"cannot reach the team repository "
                        f"({last_line(fetched.stderr.decode('utf-8', 'replace'))}); nothing changed")
    result = verify(team)
    _rebase(team)
    push(team)  # weeks committed while offline go out now
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


def verify(team: Team) -> SyncResult:
    """Check the commits the remote branch has that were not checked yet against the rule
    (a commit changes `people/X/…` only when its author name is X). Returns the number of
    commits checked and the files they newly refused."""
    from ..files import atomic_write

    state = _load_state(team)
    tip = _rev(team, team.remote_ref)
    if tip is None or tip == state.get("checked"):
        return SyncResult(0)
    checked = state.get("checked")
    span = [tip] + ([f"^{checked}"] if checked and _rev(team, f"{checked}^{{commit}}") else [])
    # Authors first, one per line: git keeps newlines out of an ident, so a line is a commit.
    # Parents before children (--topo-order): an owner's later commit clears a refusal only
    # when it really came later; commits of the same second in date order might not.
    authors_out = git(team.folder, "log", "--reverse", "--topo-order", "--format=%H%x09%an", *span, "--").stdout
    order: list[tuple[str, str]] = []
    for line in authors_out.decode("utf-8", "replace").split("\n"):
        if line:
            sha, _, author = line.partition("\t")
            order.append((sha, author))
    # Then the files each commit changed (-z: names as they are). A file name cannot pass
    # for a commit: only the next expected commit id starts a new commit.
    files_out = git(team.folder, "log", "--reverse", "--topo-order", "--no-renames", "--cc", "--format=%H",
                    "--name-only", "-z", *span, "--").stdout
    refused: dict[str, str] = state["refused"]
    newly: list[str] = []
    tokens = files_out.split(b"\0")
    position, author, first = -1, "", False
    for token in tokens:
        if position + 1 < len(order) and token == order[position + 1][0].encode():
            position += 1
            author, first = order[position][1], True
            continue
        if not token:
            continue
        if first and token.startswith(b"\n"):
            token = token[1:]
        first = False
        parts = token.decode("utf-8", "replace").split("/")
        if len(parts) != 3 or parts[0] != PEOPLE or not NAME_PATTERN.fullmatch(parts[1]) \
                or not WEEK_FILE.fullmatch(parts[2]):
            continue  # never read by Weekly
        path = "/".join(parts)
        if parts[1] == author:
            refused.pop(path, None)  # its owner wrote it (again)
        else:
            sha = order[position][0][:10]
            refused[path] = f"changed by {visible(author)!r} in commit {sha}, not by {parts[1]}"
            newly.append(f"{path}: {refused[path]}")
    state = {"checked": tip, "refused": refused}
    atomic_write(_state_path(team.folder), json.dumps(state, indent=1, sort_keys=True).encode())
    return SyncResult(len(order), newly)


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


def members(team: Team) -> tuple[list[Member], list[str]]:
    found, skipped = [], []
    with people_dir(team.folder) as people_fd:
        names, skipped = member_names(people_fd)
        for name in names:
            mondays = []
            member_fd = os.open(name, _DIR_FLAGS, dir_fd=people_fd)
            try:
                for entry in os.scandir(member_fd):
                    m = WEEK_FILE.fullmatch(entry.name)
                    if m:
                        with contextlib.suppress(ValueError):
                            mondays.append(date(int(m[1]), int(m[2]), int(m[3])))
            finally:
                os.close(member_fd)
            stamp = out(team.folder, "log", "-1", "--format=%cI", "--", f"{PEOPLE}/{name}")
            when = datetime.fromisoformat(stamp) if stamp else None
            found.append(Member(name, len(mondays), max(mondays) if mondays else None, when))
    return found, skipped
