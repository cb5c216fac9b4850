"""The roll-up fences every member's text (issue 25): an unclosed code fence, an HTML block
left open, a link definition or a heading in one member's section changes nothing of how
the next member's text, or the rest of the report, is read (parsed by a CommonMark parser)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from weekly_zhoubao.store.models import Section, Week
from tests.team.helpers import MONDAY, joined, week_of


HOSTILE = [
    "before\n```python\nleft open",
    "~~~~\nleft open\n~~~",  # a shorter fence does not close it
    "<!-- a comment never closed",
    "<pre>\nnever closed",
    "[bob]: https://example.com/forged\n\nsee [bob]",
    "# 伪造的标题\n## 未发布\n\nnobody",
]


def read_as_markdown(report: str) -> tuple[list[str], list[str], str]:
    """Headings, the text of every paragraph and heading, and all code or HTML."""
    tokens = MarkdownIt("commonmark").parse(report)
    headings, texts, raw = [], [], []
    for n, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append(tokens[n + 1].content)
        elif token.type == "inline":
            texts.append(token.content)
        elif token.type in ("fence", "code_block", "html_block"):
            raw.append(token.content)
    return headings, texts, "\n".join(raw)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_nothing_one_member_writes_changes_how_anothers_is_read(people, remote, hostile):
    alice, bob = joined(people, remote, "alice"), joined(people, remote, "bob")
    alice.write(Week(monday=MONDAY, sections=[Section(key="hiring", title="Hiring", body=hostile)]))
    alice.ok("team", "publish")
    bob.write(week_of("bob", sections=[Section(key="hiring", title="Hiring", body="bob 的招聘 [bob]")]))
    bob.ok("team", "publish")
    lead = joined(people, remote, "lead")
    report = lead.ok("team", "report", "--date", "2023-10-13", "--members", "alice,bob,carol")
    headings, texts, raw = read_as_markdown(report)
    assert headings[-1] == "未发布" and headings.count("未发布") == 1 and "伪造的标题" not in headings
    assert "bob" in headings and texts[-1] == "carol"  # bob's heading, and the last line, as written
    assert "bob 的招聘 [bob]" in texts  # bob's words in a paragraph, his [bob] not a forged link
    assert "bob 的" not in raw and "carol" not in raw
    assert 'href="https://example.com/forged"' not in MarkdownIt("commonmark").render(report)
