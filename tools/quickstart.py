"""Print one of the two commands of the README's Quick start, so CI runs exactly what it says.

    python3 tools/quickstart.py course   # the first command: set up and open the course
    python3 tools/quickstart.py test     # the second command: set up and run every test
    python3 tools/quickstart.py course README.zh-CN.md   # the Chinese README's
"""

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def quickstart_commands(text):
    """{"course": ..., "test": ...} from the first code block under a "## … Quick start"
    heading (the Chinese README's is "## 快速开始 · Quick start")."""
    section = re.split(r"^## .*Quick start.*$", text, maxsplit=1, flags=re.M)[1]
    block = re.search(r"```(?:bash|sh|shell)?\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    if len(commands) != 2:
        raise SystemExit(f"README Quick start must hold exactly two commands; found {commands}")
    return dict(zip(("course", "test"), commands))


if __name__ == "__main__":
    readme = Path(sys.argv[2]) if len(sys.argv) > 2 else README
    print(quickstart_commands(readme.read_text(encoding="utf-8"))[sys.argv[1]])
