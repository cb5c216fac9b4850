"""Errors a person can act on. Their message is the whole story: one line, no traceback."""

from .text import visible


class WeeklyError(Exception):
    """A user-facing failure: bad input, a store that cannot be used, a file that cannot be read."""

    exit_code = 1


class StoreError(WeeklyError):
    """The store cannot be read or written; nothing was changed."""


class StoreReadOnly(StoreError):
    pass


class StoreCorrupt(StoreError):
    """The store's files are not a store Weekly can use (damaged, wrong shapes, types, depths,
    dates out of range): they are left untouched."""

    exit_code = 2


class StoreBusy(StoreError):
    """Another process holds the store's lock (a non-blocking attempt found it taken)."""


class UsageError(WeeklyError):
    """A flag's value cannot be used (as argparse says of the ones it checks itself)."""

    exit_code = 2


class WeekRefused(StoreError):
    """This week cannot be saved as it is (too large, too deep to write); nothing was changed.
    Trying again cannot help: a session drops the change and says so."""


def describe_validation(exc) -> str:
    """One readable line from a pydantic ValidationError; any user data in it made visible."""
    parts = []
    for err in exc.errors()[:3]:
        names = [str(p) for p in err["loc"] if not isinstance(p, int)]
        if len(names) > 4:  # a deep tree's path (children.children…) says nothing more past a few
            names = [*names[:2], "…", *names[-1:]]
        where = ".".join(names)
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return visible("; ".join(parts))


class InputError(WeeklyError, ValueError):
    """What was typed cannot be used. str() is the message; `field` names the form field (or
    flag) at fault, so a form can show it beside that field's label in its language; `line`
    is both, for a shell."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message

    @property
    def line(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message
