"""Reading report files back into weeks: the entry points the shell, the TUI and the tests
call. A file of any layout is read by the importer (exporters/importer.py); a file is refused
with one `FILE:LINE: …` line per problem."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from pydantic import ValidationError

from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.text import visible

from .escape import trim_blank_lines
from .importer import FILE_CAP, FileRead, ReadOptions, read_text
from .sample_reader import ImportProblem, unsafe_link

__all__ = ["ImportProblem", "ImportProblems", "decode", "read_file", "read_report", "read_report_file",
           "read_reports", "unsafe_link"]


def decode(file: str, raw: bytes) -> tuple[str, str]:
    """(text, the encoding it was read in): UTF-8 with or without BOM, UTF-16 with BOM, else
    GB18030 (GBK's superset: Chinese Windows files). Anything else is one clear problem."""
    encoding = "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise ImportProblem(file, 1, f"not {encoding.upper()} text though it starts with its byte-order mark "
                                         f"(byte {exc.start}); save it as UTF-8") from None
        try:
            text, encoding = raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise ImportProblem(file, line, f"neither UTF-8 nor GB18030/GBK text (byte 0x{raw[exc.start]:02x}); "
                                            f"save it as UTF-8") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), encoding


class ImportProblems(ImportProblem):
    """Every problem of one file, one `FILE:LINE: …` line each."""

    def __init__(self, problems: list[str]) -> None:
        first = problems[0]
        file, _, rest = first.partition(":")
        line, _, message = rest.partition(": ")
        WeeklyError.__init__(self, "\n".join(problems))
        self.file, self.line, self.message = file, int(line) if line.isdigit() else 0, message
        self.problems = problems


def read_reports(text: str, file: str = "<report>", options=None):
    """Every week of a report, in any layout (exporters.importer.FileRead)."""
    return read_text(text, file, options)


def read_report(text: str, file: str = "<report>", numbering: str = "jan1", report_day: int = 4,
                fallback: date | None = None) -> Week:
    """The first week of a report; raises ImportProblem(s) when the file is refused."""
    result = read_reports(text, file, ReadOptions(numbering, report_day, fallback))
    if result.problems:
        raise ImportProblems(result.problems)
    return result.weeks[0].week


def read_file(path: Path, options=None):
    """Read one file (at most FILE_CAP bytes) with the daily notes its links name beside it."""
    try:
        if not path.is_file():  # a folder, a pipe or a device: a pipe's read would never end
            why = "not a regular file" if path.exists() else "no such file"
            return FileRead(str(path), problems=[f"{visible(str(path))}:0: {why}; not read"])
        size = path.stat().st_size
        if size > FILE_CAP:
            return FileRead(str(path), problems=[f"{path}:1: the file is {size / 1024 / 1024:.1f} MB; "
                                                 f"an imported report is at most {FILE_CAP // 1024 // 1024} MB"])
        raw = path.read_bytes()
    except OSError as exc:
        return FileRead(str(path), problems=[f"{path}:0: cannot read the file ({exc.strerror})"])
    try:
        text, encoding = decode(str(path), raw)
    except ImportProblem as exc:
        return FileRead(str(path), problems=[str(exc)])
    result = read_text(text, str(path), options)
    result.encoding = encoding
    for read in result.weeks:
        for note in read.week.daily_notes:  # the daily files a folder export wrote beside the week
            if not note.link or unsafe_link(note.link) is not None:
                continue
            daily = path.parent / unquote(note.link)
            try:
                if daily.is_file() and not daily.is_symlink() and daily.stat().st_size <= FILE_CAP:
                    note.text = _daily_body(decode(str(daily), daily.read_bytes())[0])
            except (ImportProblem, ValidationError, OSError):
                result.warnings.append(f"{daily}:1: the daily note could not be read; its link is kept")
    return result


def read_report_file(path: Path, numbering: str = "jan1", report_day: int = 4, fallback: date | None = None) -> Week:
    result = read_file(path, ReadOptions(numbering, report_day, fallback))
    if result.problems:
        raise ImportProblems(result.problems)
    return result.weeks[0].week


def _daily_body(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    lines = [line for line in lines if not line.startswith("Created: ")]
    return "\n".join(trim_blank_lines(lines))
