"""The commands a Markdown document tells its reader to type, so that a test can run them
verbatim.

A command is every line of a fenced code block whose info string starts with ``bash``:

    ```bash                 ← commands, to run in order (cwd and variables carry over)
    cd exercises
    nbgrader generate_assignment "*" --force
    ```

A word after ``bash`` says how a test treats the block: ``bash environment`` sets up the
environment the others run in (a test checks its effect rather than installing again),
``bash server`` starts a program that keeps running (a test starts it, waits until it answers
and stops it). Lines ending in ``\\`` continue on the next line; ``#`` comments and blank lines
are not commands. Any other fenced block (```` ```python ````, ```` ``` ````) and indented text
are not commands.

    python tools/doc_commands.py exercises/README.md     # list them, one block per paragraph
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Block:
    """One fenced ``bash`` block: its ``kind`` ("" for plain commands, else the word after
    ``bash``), its ``commands`` (continuation lines joined, comments dropped), its text as
    written and the line it starts on (1-based)."""

    kind: str
    commands: tuple
    text: str
    line: int


def blocks(markdown):
    """Every fenced ``bash`` block of ``markdown``, in order."""
    found, lines, k = [], markdown.splitlines(), 0
    while k < len(lines):
        match = _FENCE.match(lines[k])
        if not match:
            k += 1
            continue
        fence, info, start = match["fence"], match["info"].strip().split(), k + 1
        body, k = [], k + 1
        while k < len(lines) and not lines[k].strip().startswith(fence):
            body.append(lines[k][len(match["indent"]):])
            k += 1
        k += 1
        if info and info[0] == "bash":
            text = "\n".join(body)
            found.append(Block(info[1] if len(info) > 1 else "", commands(text), text,
                               start))
    return found


def commands(text):
    """The commands of a block's text: continuation lines joined, comments and blanks out."""
    out, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        out.append(current.strip())
        current = ""
    if current.strip():
        out.append(current.strip())
    return tuple(out)


def of_file(path):
    return blocks(Path(path).read_text(encoding="utf-8"))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__.split("\n\n")[0], "\n\nusage: python tools/doc_commands.py FILE.md")
        return 2
    for block in of_file(argv[0]):
        print(f"# line {block.line}" + (f" ({block.kind})" if block.kind else ""))
        print("\n".join(block.commands), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
