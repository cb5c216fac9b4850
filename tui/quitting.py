"""Quitting never loses typed text: every open form and editor saves what is typed first,
what cannot be saved is asked about, and a closed terminal (SIGHUP) keeps it in a file
beside the store. A mixin of the app: quitting is an app-wide concern."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

# forms and dialogs are imported where one opens: they load then, not with the first screen
from .i18n import t


class Quitting:
    def listen_for_hang_up(self) -> None:
        try:
            if self.is_headless:  # under the Pilot: through the loop, so a test sees the exit
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
            else:
                signal.signal(signal.SIGHUP, self._terminal_closed)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # no signals here (not the main thread): nothing to hang up on

    def stop_listening_for_hang_up(self) -> None:
        try:
            if self.is_headless:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            else:
                signal.signal(signal.SIGHUP, signal.SIG_DFL)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def _typed_but_unsaved(self) -> list[tuple[object, str]]:
        """Every open form and editor saves what is typed; those that cannot, and why."""
        problems = []
        for screen in reversed(self.screen_stack):
            unsaved = getattr(screen, "unsaved", None)
            why = unsaved() if unsaved else None
            if why:
                problems.append((screen, why))
        return problems

    async def action_quit(self) -> None:
        from .forms import ConfirmScreen
        if self.store is None:
            self.exit(1, return_code=1)
            return
        problems = self._typed_but_unsaved()
        if problems:
            lines = [t("cannot_save_typed", self.lang, what=screen.heading_text(), why=why) for screen, why in problems]

            def decided(discard: bool | None) -> None:
                if discard:
                    self.run_worker(self._save_and_exit())

            self.push_screen(ConfirmScreen(t("unsaved_typed", self.lang), lines, t("discard_keys", self.lang)), decided)
            return
        await self._save_and_exit()

    async def _save_and_exit(self) -> None:
        from .forms import ConfirmScreen

        # off the UI thread: another process may hold the store's lock for a while
        error = await asyncio.to_thread(self.week_screen.save_now)
        if error is None:
            self.exit(0)
            return

        def decided(really: bool | None) -> None:
            if really:
                self.exit(1, return_code=1)  # unsaved changes: not a success (the shell's exit status)

        self.push_screen(ConfirmScreen(t("save_failed", self.lang), [error], t("quit_unsaved", self.lang, why=error)),
                         decided)

    def hang_up(self) -> None:
        """The terminal closed: no one to ask (the Pilot's way, through the loop)."""
        code = self._keep_everything()
        self.exit(code, return_code=code)

    def _terminal_closed(self, signum, frame) -> None:
        """SIGHUP in a real terminal, a plain signal handler: the UI thread may be stuck on
        Textual's output thread (dead on the gone terminal, its queue full), never to run the
        loop's handler; stopping that thread would wait for good. Keep everything, then go."""
        import os

        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # once is enough: no second save inside the first
        code = 1
        try:
            code = self._keep_everything()
        finally:
            os._exit(code)

    def _keep_everything(self) -> int:
        """Valid typed text is saved; what cannot be is written to a file beside the store,
        so nothing typed is lost. The exit status: 0 when all of it was saved."""
        problems = self._typed_but_unsaved()
        if problems:
            self._keep_typed(problems)
        error = self.week_screen.save_now()
        return 1 if problems or error else 0

    def _keep_typed(self, problems: list[tuple[object, str]]) -> Path | None:
        from weekly_zhoubao.store.files import keep_beside

        text = "\n\n".join(f"# {screen.heading_text()} ({why})\n{screen.typed_text()}" for screen, why in problems)
        return keep_beside(self.db_path, f"unsaved-{self.clock():%Y%m%d-%H%M}", text + "\n")
