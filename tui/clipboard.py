"""Copying the report, honestly: the system's clipboard tool where there is one for this
session (Wayland, X11, macOS, WSL), else OSC 52, an escape sequence the terminal may or may
not act on (tmux drops it unless `set -g set-clipboard on`). The user is told which it was."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from typing import Callable, Mapping

from .i18n import t

TIMEOUT = 3.0  # seconds a clipboard tool may take before we fall back to OSC 52


def tool_for(env: Mapping[str, str], which: Callable[..., str | None] = shutil.which) -> list[str] | None:
    """The command that puts its standard input on this session's clipboard, or None.
    A display tool is chosen only when its display is there: xclip without an X server
    fails, and over SSH the clipboard that matters is the user's terminal's."""
    candidates: list[list[str]] = []
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    candidates += [["pbcopy"], ["clip.exe"]]  # macOS; Windows from WSL
    for command in candidates:
        path = which(command[0], path=env.get("PATH"))
        if path:
            return [path, *command[1:]]
    return None


def copy_with_tool(text: str, env: Mapping[str, str] | None = None,
                   which: Callable[..., str | None] = shutil.which) -> str | None:
    """Put `text` on the clipboard with the system's tool; its name when it said it did,
    None when there is none or it failed (the caller falls back to OSC 52)."""
    env = os.environ if env is None else env
    command = tool_for(env, which)
    if command is None:
        return None
    try:
        # No pipes but stdin: xclip and wl-copy leave a child serving the selection, which
        # would hold an output pipe open and make us wait for it.
        done = subprocess.run(command, input=text.encode("utf-8"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=TIMEOUT, env=dict(env), check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return os.path.basename(command[0]) if done.returncode == 0 else None


def outcome(tool: str | None, lang: str, env: Mapping[str, str] | None = None) -> str:
    """What the status line says after a copy: the tool that took it, or that OSC 52 was
    sent (which the terminal may ignore) and, under tmux, how to let it through."""
    env = os.environ if env is None else env
    if tool:
        return t("copied_tool", lang, tool=tool)
    line = t("copied_osc52", lang)
    if env.get("TMUX"):
        line += t("osc52_tmux", lang)
    return line


def copy_report(screen) -> None:
    """The week screen's report to the clipboard: the system's tool if there is one (off the
    UI thread: it may hang), else OSC 52; the status line says which."""
    text, lang = screen.report_text(), screen.lang

    async def copy() -> None:
        tool = await asyncio.to_thread(copy_with_tool, text)
        said = outcome(tool, lang)
        screen.update_status(said)
        if tool is None:
            screen.app.copy_to_clipboard(text)
            screen.app.say(said)  # whole, wrapped: the advice must not be cut at 80 columns

    screen.run_worker(copy(), group="copy", exclusive=True)
