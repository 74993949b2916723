"""Instructions, not seconds: a learner's own loop against the bare NumPy loop, under callgrind.

Wall-clock ratios on a shared machine swing by ±15 % from one run to the next; the number of
instructions a loop executes does not depend on what else the machine is doing. This runs the
public-API loop (``net.forward``, ``net.backward``, ``opt.step``) and the bare loop without the
loss (bench_speed.py's two contenders, same data and weights) on the digits workload under
``valgrind --tool=callgrind``, once for 1 epoch and once for 1 + ``--extra`` epochs: the
difference is the training alone, without Python's start-up and the imports. It needs valgrind.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
if "--train" in sys.argv:  # the measured process: PyTorch is not needed, and slow under valgrind
    os.environ["BENCH_WITHOUT_TORCH"] = "1"

import bench_speed as speed  # noqa: E402

CONTENDERS = {"public": speed.PublicApiContender, "bare": speed.BareStepsContender}


def train(kind, epochs):
    """Run one contender for ``epochs`` epochs of the digits workload (inside callgrind)."""
    wl = speed.digits_workload(epochs)
    CONTENDERS[kind](wl, wl.X, wl.y, speed.initial_params(wl.sizes), epochs).run()


def instructions(kind, epochs):
    """Instructions executed by ``python bench_instructions.py --train kind epochs``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        # A fixed hash seed makes the count repeatable: with a random one, Python's start-up alone
        # varies by about 500,000 instructions from run to run (2,000 with the seed fixed).
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--train", kind, str(epochs)],
            env=env, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", type=int, default=2, help="epochs beyond the first (2)")
    parser.add_argument("--train", nargs=2, metavar=("KIND", "EPOCHS"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "instructions.md")
    args = parser.parse_args(argv)
    if args.train:
        return train(args.train[0], int(args.train[1]))
    if shutil.which("valgrind") is None:
        sys.exit("bench_instructions.py needs valgrind (Debian: apt-get install valgrind)")
    wl = speed.digits_workload(1)
    steps = args.extra * -(-wl.n // wl.batch)
    per_step = {}
    for kind in CONTENDERS:
        counts = [instructions(kind, e) for e in (1, 1 + args.extra)]
        per_step[kind] = (counts[1] - counts[0]) / steps
        print(f"{kind}: {counts[0]:,} and {counts[1]:,} instructions", file=sys.stderr)
    ratio = per_step["public"] / per_step["bare"]
    text = "\n".join([
        "## Instructions per training step: a learner's loop against the bare loop", "",
        f"`python bench/bench_instructions.py --extra {args.extra}`, valgrind's callgrind, "
        f"{wl.describe().replace('1 epoch(s)', f'{args.extra} epochs')}, {steps} steps.", "",
        "| loop | instructions per step |", "|---|---:|",
        f"| nnlib public API (forward, backward, step) | {per_step['public']:,.0f} |",
        f"| bare NumPy, no loss | {per_step['bare']:,.0f} |",
        f"| **ratio** | **{ratio:.2f}×** |", ""])
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
