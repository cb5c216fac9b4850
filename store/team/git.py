"""Running `git`: the one way Weekly touches a team repository.

The `git` command, not a library: it is already on every machine that has a team
repository, it speaks every remote and credential helper the user's git speaks, and it
costs Weekly nothing to load (see the README for the measured comparison).

Every call gets a clean, fixed environment: the caller's GIT_DIR, GIT_WORK_TREE,
GIT_INDEX_FILE and the like never redirect it; no pager, no prompt (a missing credential
fails at once instead of hanging a shell command), English messages, literal pathspecs.
What the user's git needs to reach a remote stays: HOME (their ~/.gitconfig, ~/.ssh,
credential helpers), XDG_CONFIG_HOME, the ssh agent, proxies.
Arguments are a list (no shell); paths passed to git are built by Weekly from validated
member names and dates, never taken from repository content.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..errors import WeeklyError
from ..text import visible

NETWORK_TIMEOUT = 120  # seconds: a remote that stops answering must not hang a shell command
LOCAL_TIMEOUT = 60

# The user's own means of reaching a remote, kept; everything else of the caller's
# environment is dropped.
_KEPT = (
    "PATH", "HOME", "USER", "LOGNAME", "XDG_CONFIG_HOME", "SSH_AUTH_SOCK", "SSH_AGENT_PID",
    "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_CONFIG_NOSYSTEM",
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
    "http_proxy", "https_proxy", "no_proxy", "ALL_PROXY", "all_proxy", "GIT_SSL_CAINFO",
    "GIT_SSL_NO_VERIFY", "TMPDIR",
)
_FIXED = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
    "LANG": "C",
    "GIT_LITERAL_PATHSPECS": "1",
    "GIT_ADVICE": "0",
    "GIT_MERGE_AUTOEDIT": "no",
    "GIT_EDITOR": "true",
}
# Settings that make a run reproducible whatever the user's config says: no hooks (a
# user's global pre-commit hook must not decide whether a week is published), no signing
# prompt, no symlinks checked out of untrusted content.
# The output Weekly parses stays the same whatever the user's config says (no signature lines
# in a log, no colour, no rename detection, no line-ending conversion).
_CONFIG = ("-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false", "-c", "core.symlinks=false",
           "-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "advice.detachedHead=false",
           "-c", "log.showSignature=false", "-c", "diff.renames=false", "-c", "core.autocrlf=false",
           "-c", "submodule.recurse=false", "-c", "core.fsmonitor=false")
# A member's `.gitattributes` must not change how another member's files are checked out
# (working-tree-encoding, filters, eol): $GIT_DIR/info/attributes outranks every in-tree one.
NO_ATTRIBUTES = b"* -text -eol -filter -ident -working-tree-encoding\n"


class GitError(WeeklyError):
    """git failed; the message is git's own last line (made visible, one line)."""

    def __init__(self, message: str, stderr: str = "", returncode: int = 1) -> None:
        super().__init__(message)
        self.stderr = stderr
        self.returncode = returncode


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _KEPT}
    env.update(_FIXED)
    return env


def git(repo: Path | None, *args: str, network: bool = False, check: bool = True,
        input_bytes: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run git in `repo` (or nowhere in particular, for a clone) and return the finished
    process (stdout as bytes). `env` adds to the fixed environment (an index file, an
    author). Raises GitError when `check` and git fails."""
    cmd = ["git", *_CONFIG]
    if repo is not None:
        cmd += ["-C", str(repo)]
    cmd += list(args)
    try:
        done = subprocess.run(cmd, capture_output=True, env={**git_env(), **(env or {})}, input=input_bytes,
                              stdin=None if input_bytes is not None else subprocess.DEVNULL,
                              timeout=NETWORK_TIMEOUT if network else LOCAL_TIMEOUT)
    except FileNotFoundError:
        raise WeeklyError("git is not installed (a team needs the `git` command)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish in {NETWORK_TIMEOUT if network else LOCAL_TIMEOUT} s",
                       returncode=-1) from None
    if check and done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        raise GitError(f"git {args[0]}: {last_line(stderr)}", stderr, done.returncode)
    return done


def last_line(stderr: str) -> str:
    """The line of git's message that says what went wrong (its first fatal/error line)."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip() and not ln.startswith("hint:")]
    said = next((ln for ln in lines if ln.startswith(("fatal:", "error:", "ERROR:"))), None)
    return visible(said or (lines[-1] if lines else "failed"))


def out(repo: Path, *args: str) -> str:
    return git(repo, *args).stdout.decode("utf-8", "replace").strip()
