"""Errors a person can act on. Their message is the whole story: one line, no traceback."""


class WeeklyError(Exception):
    """A user-facing failure: bad input, a store that cannot be used, a file that cannot be read."""


class StoreError(WeeklyError):
    """The store cannot be read or written; nothing was changed."""


class StoreReadOnly(StoreError):
    pass


class StoreCorrupt(StoreError):
    pass


class WeekRefused(StoreError):
    """This week cannot be saved as it is (too large, too deep to write); nothing was changed.
    Trying again cannot help: a session drops the change and says so."""


def describe_validation(exc) -> str:
    """One readable line from a pydantic ValidationError (its text is user data: keep it plain)."""
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)
