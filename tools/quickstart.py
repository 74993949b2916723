"""Print one of the two commands of the README's Quick start, so CI runs exactly what it says.

    python3 tools/quickstart.py course   # the first command: set up and open the course
    python3 tools/quickstart.py test     # the second command: set up and run every test
"""

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def quickstart_commands(text):
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```(?:bash|sh|shell)?\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    if len(commands) != 2:
        raise SystemExit(f"README Quick start must hold exactly two commands; found {commands}")
    return dict(zip(("course", "test"), commands))


if __name__ == "__main__":
    print(quickstart_commands(README.read_text(encoding="utf-8"))[sys.argv[1]])
