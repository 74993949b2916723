"""Pre-flight for `nbgrader autograde`: put every submission of an assignment into a shape
nbgrader can grade, and say what was repaired.

    cd exercises
    python ../tools/preflight.py 03_loss          # before: nbgrader autograde 03_loss --force

nbgrader 0.9.6 itself puts back an edited or deleted *test* cell (``add_missing_cells``), but
stops with a KeyError — and grades nothing for that learner — when a submission deleted an
answer cell together with its test cell, duplicated a cell, or lost the cells' nbgrader
metadata (some editors drop it); and it runs reordered cells in their new order, so a test
that now comes before its answer fails. This step compares every
``submitted/<student>/<assignment>/`` with ``release/<assignment>/`` and, per submission:

* reads any nbformat 4 minor version (or 3) and writes current nbformat 4, with cell ids;
* recognises cells by their nbgrader metadata, or — where that was dropped — by the function
  an answer cell defines or the source of a locked cell, and restores the metadata;
* puts a deleted answer cell back as the release's stub (its tests score 0) and a deleted
  locked cell back from the release; keeps the last copy of a duplicated answer cell (the one
  a Run All leaves defined) and one copy of a duplicated locked cell;
* restores the release's order, the learner's own extra cells staying after the cell they
  followed;
* when an answer cell no longer defines the function the tests call but defines exactly one
  other function (a renamed one), adds ``name = other_name`` at its end;
* renames a lone notebook with another file name to ``<assignment>.ipynb``;
* gives every untouched test cell the gradebook's version, hidden tests included — which is
  what nbgrader puts in its place anyway. The release's test cells lack the hidden tests, so
  without this nbgrader reports "Attribute 'checksum' for cell … has changed!" for every
  test cell with hidden tests of every submission, untouched or not; after it, that warning
  means the learner edited the cell.

It also enters every submitter in the gradebook. `nbgrader autograde` adds a learner it has not
seen, and two assignments graded side by side would both add a new learner: one of them fails
on the gradebook's unique key and that submission goes ungraded. Registered here, one step at a
time, they are found instead.

Every repair is listed in a markdown cell at the top of the notebook (so it reaches the
learner's feedback), printed, and written to ``preflight/<assignment>.csv`` (student, repair);
the original file is kept in ``preflight/originals/<student>/<assignment>/``. A submission that
needs nothing but the test cells' originals gets no note; one that needs nothing is not touched.
Running it twice changes nothing the second time. Only the missing parts score 0: everything
else is graded normally.
"""

import argparse
import ast
import copy
import csv
import shutil
import sys
import uuid
from pathlib import Path

import nbformat
from nbgrader.utils import compute_checksum

NOTE = "**Repaired before grading** (the grader's pre-flight step):"


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell):
    return meta(cell).get("grade_id")


def defined_functions(source, aliases=False):
    """Names of the top-level functions a cell defines ([] when it does not parse); with
    ``aliases``, also the names bound as ``name = other_name``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if aliases:
        names += [t.id for n in tree.body if isinstance(n, ast.Assign)
                  and isinstance(n.value, ast.Name) for t in n.targets if isinstance(t, ast.Name)]
    return names


class Template:
    """What the release says an assignment's notebook holds."""

    def __init__(self, course, assignment):
        self.assignment = assignment
        release = course / "release" / assignment / f"{assignment}.ipynb"
        if not release.is_file():
            raise SystemExit(f"{release} is missing: run `nbgrader generate_assignment "
                             f"{assignment} --force` first")
        self.release = nbformat.read(release, as_version=4)
        self.cells = [c for c in self.release.cells if grade_id(c)]
        self.order = [grade_id(c) for c in self.cells]
        self.by_id = {grade_id(c): c for c in self.cells}
        self.answers = {grade_id(c): defined_functions(c.source)
                        for c in self.cells if meta(c).get("solution")}
        source = course / "source" / assignment / f"{assignment}.ipynb"
        self.originals = {}  # the gradebook's version of every test cell: the source's
        if source.is_file():
            for cell in nbformat.read(source, as_version=4).cells:
                if meta(cell).get("grade") and not meta(cell).get("solution"):
                    self.originals[grade_id(cell)] = (cell.source, compute_checksum(cell))

    def recognise(self, cell, taken):
        """The grade id a cell without nbgrader metadata stands for, or None."""
        if cell.cell_type != "code":
            return None
        for gid, names in self.answers.items():
            if gid not in taken and names and names[0] in defined_functions(cell.source):
                return gid
        for gid, original in self.by_id.items():
            if gid not in taken and meta(original).get("locked") and \
                    cell.source.strip() == original.source.strip():
                return gid
        return None


def repair(nb, template):
    """(notebook, [repair, ...]) — the notebook put into the release's shape."""
    repairs = []
    nb = copy.deepcopy(nb)
    # 1. recognise every cell
    ids = [grade_id(c) if grade_id(c) in template.by_id else None for c in nb.cells]
    taken = {i for i in ids if i}
    for k, cell in enumerate(nb.cells):
        if ids[k] is None and not grade_id(cell):
            found = template.recognise(cell, taken)
            if found:
                ids[k] = found
                taken.add(found)
                cell.metadata["nbgrader"] = copy.deepcopy(meta(template.by_id[found]))
                repairs.append(f"cell {found}: its nbgrader metadata was lost; restored")
    # 2. duplicates: the last copy of an answer, the first of a locked cell
    keep = {}
    for k, gid in enumerate(ids):
        if gid is None:
            continue
        if gid in keep:
            if meta(template.by_id[gid]).get("solution"):
                keep[gid] = k
            repairs.append(f"cell {gid}: duplicated; kept "
                           + ("the last copy" if meta(template.by_id[gid]).get("solution")
                              else "one copy"))
        else:
            keep[gid] = k
    # 3. the release's order; the learner's own cells stay after the cell they followed
    groups, current = {gid: [] for gid in template.order}, None
    head = []
    for k, cell in enumerate(nb.cells):
        gid = ids[k]
        if gid is not None:
            if keep[gid] == k:
                current = gid
            continue
        (groups[current] if current else head).append(cell)
    seen_order = [ids[k] for k in sorted(keep.values())]
    if seen_order != [g for g in template.order if g in keep]:
        repairs.append("cells were reordered; put back in the release's order")
    cells = list(head)
    for gid in template.order:
        if gid in keep:
            cell = nb.cells[keep[gid]]
        else:
            cell = copy.deepcopy(template.by_id[gid])
            what = "answer cell" if meta(cell).get("solution") else "cell"
            repairs.append(f"{what} {gid}: deleted; put back from the release"
                           + (" (its tests score 0)" if meta(cell).get("solution") else ""))
        cells.append(cell)
        cells += groups[gid]
    # 4. a renamed function
    for cell in cells:
        gid = grade_id(cell)
        if gid not in template.answers or not template.answers[gid]:
            continue
        wanted = template.answers[gid][0]
        names = defined_functions(cell.source)
        elsewhere = any(wanted in defined_functions(c.source, aliases=True)
                        for c in cells if c is not cell)
        if wanted not in defined_functions(cell.source, aliases=True) and len(names) == 1 \
                and not elsewhere:
            cell.source = cell.source.rstrip() + f"\n\n\n{wanted} = {names[0]}  # added by the " \
                                                 f"grader: the function was renamed\n"
            repairs.append(f"answer cell {gid}: defines {names[0]} instead of {wanted}; "
                           f"added {wanted} = {names[0]}")
    # 5. untouched test cells as the gradebook has them (what nbgrader puts in their place
    # anyway), so that its "checksum has changed" warning is left for edited ones
    for cell in cells:
        gid = grade_id(cell)
        if gid in template.originals and cell.source == template.by_id[gid].source:
            cell.source, cell.metadata["nbgrader"]["checksum"] = template.originals[gid]
    nb.cells = cells
    nb.nbformat, nb.nbformat_minor = nbformat.current_nbformat, nbformat.current_nbformat_minor
    for cell in nb.cells:  # nbformat 4.5 gives every cell an id
        if "id" not in cell:
            cell["id"] = uuid.uuid4().hex[:8]
    if nb.metadata.get("kernelspec") != template.release.metadata.get("kernelspec"):
        nb.metadata["kernelspec"] = copy.deepcopy(template.release.metadata.get("kernelspec"))
    return nb, repairs


def run(course, assignment, quiet=False):
    """Repair every submission of ``assignment`` in ``course``; returns {student: [repair]}."""
    template = Template(course, assignment)
    report = {}
    submissions = sorted((course / "submitted").glob(f"*/{assignment}"))
    register_students(course, [folder.parent.name for folder in submissions])
    for folder in submissions:
        student = folder.parent.name
        repairs, target = [], folder / f"{assignment}.ipynb"
        notebooks = sorted(p for p in folder.glob("*.ipynb") if p.name != target.name)
        if not target.exists() and len(notebooks) == 1:
            repairs.append(f"the notebook was named {notebooks[0].name}; renamed "
                           f"{target.name}")
            original_file = notebooks[0]
        elif target.exists():
            original_file = target
        else:
            repairs.append("no notebook found: nothing to grade")
            report[student] = repairs
            continue
        raw = original_file.read_text(encoding="utf-8")
        try:
            found = nbformat.reads(raw, as_version=nbformat.NO_CONVERT)
            version = (found.nbformat, found.nbformat_minor)
            nb = nbformat.reads(raw, as_version=4)
        except Exception as err:  # noqa: BLE001 — an unreadable file is reported, not fatal
            report[student] = repairs + [f"unreadable notebook ({type(err).__name__}: {err})"]
            continue
        fixed, more = repair(nb, template)
        repairs += more
        nbformat.validator.normalize(fixed)
        text = nbformat.writes(fixed)
        if not repairs and text.strip() == raw.strip():
            continue
        if version != (nbformat.current_nbformat, nbformat.current_nbformat_minor):
            repairs.append(f"saved as nbformat {version[0]}.{version[1]}; rewritten as "
                           f"{nbformat.current_nbformat}.{nbformat.current_nbformat_minor}")
        backup = course / "preflight" / "originals" / student / assignment
        backup.mkdir(parents=True, exist_ok=True)
        if not (backup / original_file.name).exists():
            shutil.copy2(original_file, backup / original_file.name)
        if repairs:
            note = nbformat.v4.new_markdown_cell(NOTE + "\n\n" + "\n".join(
                f"* {r}" for r in repairs))
            fixed.cells.insert(0, note)
            nbformat.validator.normalize(fixed)
            text = nbformat.writes(fixed)
        if original_file != target:
            original_file.unlink()
        target.write_text(text, encoding="utf-8")
        if repairs:
            report[student] = repairs
    out = course / "preflight" / f"{assignment}.csv"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "repair"])
        for student, repairs in report.items():
            writer.writerows([student, r] for r in repairs)
    if not quiet:
        for student, repairs in report.items():
            print(f"{student}: " + "; ".join(repairs))
        print(f"{assignment}: {len(report)} submission(s) repaired (list in "
              f"{out.relative_to(course)})")
    return report


def register_students(course, students):
    """Add ``students`` to the course's gradebook (nbgrader_config.py's db_url and course_id)."""
    from nbgrader.api import Gradebook
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", str(course)).load_config() \
        if (course / "nbgrader_config.py").is_file() else {}
    directory = config.get("CourseDirectory", {})
    db_url = directory.get("db_url", f"sqlite:///{course / 'gradebook.db'}")
    with Gradebook(db_url, directory.get("course_id", "default_course")) as gradebook:
        for student in students:
            gradebook.update_or_create_student(student)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment", nargs="+", help='an assignment id, or "*" for all')
    parser.add_argument("--course", type=Path, default=Path("."),
                        help="the nbgrader course directory (default: here)")
    args = parser.parse_args(argv)
    course = args.course.resolve()
    names = args.assignment
    if names == ["*"]:
        names = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())
    for name in names:
        run(course, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
