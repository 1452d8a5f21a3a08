"""``make mutate``: mutation testing of the model's computation code with mutmut (pinned in the dev extras).

What it does
------------
1. Copies ``src/``, ``tests/`` and ``data/raw/`` into a scratch folder ``outputs/mutation/work/`` (the checkout is never
   touched: mutmut writes its ``mutants/`` tree there) with a ``pyproject.toml`` that carries the ``[tool.mutmut]``
   section built here, so the project's own ``pyproject.toml`` needs no mutmut configuration.
2. Restricts the mutations to the **computation functions** of the modules of issue 22 (:data:`MODULES`): the
   carbon engine, the services LCA, the action plan and its levers, the trajectory, the maturity scores, the readers'
   number parsing and the escaping helpers. Figures, French display tables, Markdown/alt texts, file writers and
   loaders and the ``run_study`` orchestrators are left out (:data:`PRESENTATION`): their mutants change a caption or
   a layout, not a published number, and are covered by the end-to-end chain, which is too slow to rerun per mutant.
   A function is left out by a ``# pragma: no mutate block`` comment added to its header *in the scratch copy only*.
3. Runs ``mutmut run``: one stats run of the selected unit tests records which tests call which function, then each
   mutant runs only the tests that reach its function (``-x``: it stops at the first failure), in forked workers.
4. Writes ``outputs/mutation/report.json``: ``{"killed", "survived", "timeout", "no_tests", "score", "by_module",
   "survivors", ...}`` and prints the survivors. The score is ``(killed + timeout) / (killed + timeout + survived
   + no_tests)``: a mutant no test reaches counts as a survivor. Mutants listed as equivalent in
   ``docs/mutation.md`` (they cannot change any output, with the reason) are reported apart, and
   ``score_excluding_equivalent`` leaves them out of the denominator.

Two things make the runs honest: the process-wide memos (``helpers.io.memo.Memo``: keyed draws, resolved services, clean
tables) are emptied before each test by a small pytest plugin written into the scratch folder — otherwise a forked mutant would reuse
results computed by the unmutated code during the stats run — and Hypothesis is derandomised (same examples in every
run, no example database).

Usage: ``python tools/mutate.py [--max-children N] [--resume] [--count]`` (``--count``: only print how many mutants
each module gets). Not part of ``make test`` (time); see ``docs/mutation.md`` for the measured wall time.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "outputs" / "mutation"
WORK = OUT / "work"
REPORT = OUT / "report.json"
EQUIVALENTS_DOC = ROOT / "docs" / "mutation.md"
PRAGMA = "  # pragma: no mutate block"
#: mutants tested by default: what two cores test in about 20 minutes (measured, see docs/mutation.md)
DEFAULT_SAMPLE = 800
#: least number of mutants sampled in a module (all of them below it)
MIN_PER_MODULE = 40
#: phase 1 runs this single mutant (mutmut generates every mutant and collects its stats on the way)
FIRST_MUTANT = "helpers.report.plotting.x__escape__mutmut_1"


@dataclass(frozen=True)
class Select:
    """Which functions of a module are mutated: ``include`` (regex on the qualified name) minus ``exclude``."""

    include: str = r".*"
    exclude: str | None = None

    def wants(self, qualname: str) -> bool:
        if not re.search(self.include, qualname):
            return False
        return not (self.exclude and re.search(self.exclude, qualname))


#: Presentation, input/output and orchestration: not computation (see the module docstring).
PRESENTATION = (r"(^|\.)(\w*_figure|display_\w*|\w*_display|\w*_markdown|alt_texts|\w*_alt|write\w*|load_\w*"
                r"|read_\w*|_read_optional|run_study|study_figure|placeholder_figure|_wrap|_short|_fmt|_fr\w*"
                r"|_md|_integer_years|output_tables|entity_labels|category_labels|_carbon_total|_services_total"
                r"|consistency_note|headline_markdown|known_axes|axis_labels|service_factors|_balance_factors"
                r"|maturity_axis_scores|load_inputs|_vintage_factor_table|write)$")

#: module -> functions mutated
MODULES: dict[str, Select] = {
    "model.carbon": Select(exclude=PRESENTATION),
    # the one sampler (keyed streams and distributions), moved out of helpers.model.carbon (issue 19)
    "model.uncertainty": Select(),
    "model.engine": Select(),
    "model.services": Select(exclude=PRESENTATION),
    "plan.actions": Select(exclude=PRESENTATION),
    # what plan.actions computed and issue 37 moved out of it: the trajectory's paths, the section's summary numbers,
    # the means table and plan notes, the catalogue's lever checks
    "plan.pathways": Select(exclude=PRESENTATION),
    "run.actions_section": Select(include=r"^(ActionsStudy\.(summary|actions_table|plan_summary)|_action_entry|_interval"
                                          r"|_float_or_none|follow_up)$"),
    "report.actions": Select(include=r"^(plan_notes|means_table|pollution_transfers)$"),
    "io.catalogue": Select(include=r"^(_target_problems|_param_problem)$"),
    "model.levers": Select(exclude=PRESENTATION),
    "model.trajectory": Select(exclude=PRESENTATION),
    "model.maturity": Select(exclude=PRESENTATION),
    # the answers' level parsing (moved from helpers.model.maturity with the readers, issue 37)
    "io.maturity_inputs": Select(include=r"^parse_levels$"),
    # the readers' number parsing (helpers.io.readers.NumberReader and the table reader's entry points to it)
    "io.readers": Select(include=r"(^|\.)(NumberReader(\.\w+)?|number_\w+)$"),
    "io.tables": Select(include=r"^_parse_numbers$"),
    # the escaping helpers and the French number formatting of every table cell
    "report.plotting": Select(include=r"^(esc|_escape|code|html_table)$"),
    "io.french": Select(),
    # the benchmark's comparison table (moved from helpers.model.carbon with the display, issue 19)
    "report.carbon": Select(include=r"^benchmark_comparison$"),
    "report.publish": Select(include=r"^(sanitize_html|_allowed_attribute)$"),
}

#: unit tests run against the mutants (the papermill chain and the batch are left out: minutes per run)
TESTS: tuple[str, ...] = (
    # the exact-value tests written from the survivors of earlier runs (issue 22), by module since issue 37
    "tests/model/test_carbon_intervals_and_percentiles.py", "tests/model/test_carbon_hand_values.py",
    "tests/model/test_carbon_draws_sites_and_benchmark.py", "tests/model/test_carbon_row_builders_and_headline.py",
    "tests/model/test_carbon_lines_sites_and_sensitivity_labels.py", "tests/model/test_services_tier_shares.py",
    "tests/model/test_services_lifetimes_draws_and_scenarios.py",
    "tests/model/test_services_sensitivity_and_result_tables.py",
    "tests/model/test_services_criteria_presets_and_columns.py", "tests/model/test_lever_transforms.py",
    "tests/model/test_maturity_published_section.py", "tests/model/test_trajectory_growth_indices.py",
    "tests/model/test_trajectory_carbon_budget.py", "tests/model/test_transfers_levels_levers_and_milestones.py",
    "tests/plan/test_plan_total_counts_selected_actions.py", "tests/plan/test_actions_laptop_gains_and_costs.py",
    "tests/plan/test_actions_gain_status_and_indicators.py", "tests/plan/test_actions_costs_and_score_components.py",
    "tests/plan/test_actions_hosting_kinds_scores_and_summary.py",
    "tests/plan/test_plan_criteria_costs_trajectory_and_peers.py",
    "tests/io/test_number_reader_conventions.py", "tests/io/test_french_spreadsheet_numbers.py",
    "tests/io/test_french_names_and_plurals.py",
    "tests/report/test_hostile_strings_escaped.py", "tests/report/test_french_number_formatting.py",
    "tests/report/test_figure_markup_attributes.py",
    # the unit tests of the mutated modules
    "tests/model/test_engine.py", "tests/model/test_carbon.py", "tests/model/test_services.py",
    "tests/plan/test_actions.py", "tests/model/test_trajectory.py", "tests/model/test_maturity.py",
    "tests/io/test_tables.py", "tests/report/test_plotting.py", "tests/report/test_publish.py",
    "tests/io/test_readers_property.py", "tests/io/test_readers_hostile.py", "tests/report/test_hostile_outputs.py",
    # the plan's decision, budget and model (issues 28 and 29: unit tests on hand-made inputs, no chain)
    "tests/plan/test_plan_decision.py", "tests/plan/test_plan_model.py",
)

#: pytest plugin of the scratch folder: memos emptied before each test (a fork would reuse the unmutated results),
#: fixed Hypothesis
PLUGIN = '''"""mutmut run helper written by tools/mutate.py: memos emptied before each test, Hypothesis derandomised."""
import os
import sys

if os.environ.get("MUTANT_UNDER_TEST") and os.path.isdir("src"):
    # a mutant checked by hand from mutants/ (MUTANT_UNDER_TEST=<name> python -m pytest -p mutate_plugin ...): the
    # mutated tree first, before the project's editable install (mutmut's own runs already import it first)
    sys.path.insert(0, os.path.abspath("src"))
from helpers.io import memo

# Every memo is emptied before each test: a mutant is forked from the process that ran the clean tests, whose memos
# hold the unmutated results (a get() would return them, and so would put(), which keeps what is already stored).
# Within a test the memos work as in the study (some tests check that a result is made once).
import gc
import weakref

_MEMOS = weakref.WeakSet(o for o in gc.get_objects() if isinstance(o, memo.Memo))
_init = memo.Memo.__init__


def _tracked_init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    _MEMOS.add(self)


memo.Memo.__init__ = _tracked_init


def pytest_runtest_setup(item):
    for m in list(_MEMOS):
        m.clear()

try:
    from hypothesis import settings

    settings.register_profile("mutate", derandomize=True, database=None, deadline=None, print_blob=False)
    settings.load_profile("mutate")
except ImportError:  # pragma: no cover
    pass
'''

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no_tests", 33: "no_tests", 34: "skipped", 36: "timeout",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault",
          37: "killed", None: "not_checked"}


# ----------------------------------------------------------------------------------------------------------------
# Function selection in the scratch copy
# ----------------------------------------------------------------------------------------------------------------

def _header_line(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """0-based index of the line that ends the ``def`` header (the one with the colon before the body)."""
    first_body = node.body[0]
    start = (first_body.decorator_list[0].lineno if getattr(first_body, "decorator_list", None)
             else first_body.lineno) - 2
    i = start
    while i >= node.lineno - 1:
        text = lines[i].split("#", 1)[0].rstrip() if "#" in lines[i] else lines[i].rstrip()
        if text.endswith(":"):
            return i
        i -= 1
    raise ValueError(f"no header colon found for {node.name} at line {node.lineno}")


def _functions(tree: ast.Module):
    """(qualified name, node) of the module's functions and of its classes' methods (what mutmut mutates)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{node.name}.{sub.name}", sub


def mark_excluded(source: str, select: Select) -> tuple[str, list[str], list[str]]:
    """``source`` with a ``# pragma: no mutate block`` on the header of every function ``select`` leaves out; the
    names kept and the names left out."""
    lines = source.split("\n")
    kept, skipped = [], []
    for name, node in _functions(ast.parse(source)):
        if select.wants(name):
            kept.append(name)
            continue
        skipped.append(name)
        if node.body and node.body[0].lineno == node.lineno:  # one-line function: nothing worth mutating
            continue
        i = _header_line(lines, node)
        if "no mutate" not in lines[i]:
            lines[i] = lines[i] + PRAGMA
    return "\n".join(lines), kept, skipped


def prepare(resume: bool) -> dict[str, list[str]]:
    """Build the scratch folder; returns module -> functions mutated."""
    if WORK.exists() and not resume:
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True, exist_ok=True)
    src = WORK / "src"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("tests", "data"):
        if (WORK / name).exists():
            shutil.rmtree(WORK / name)
    shutil.copytree(ROOT / "tests", WORK / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data" / "raw", WORK / "data" / "raw", ignore=shutil.ignore_patterns("synth-*"))
    (WORK / "data" / "processed").mkdir(parents=True, exist_ok=True)
    (WORK / "mutate_plugin.py").write_text(PLUGIN, encoding="utf-8")
    selected = {}
    for module, select in MODULES.items():
        path = src / "helpers" / f"{module.replace('.', '/')}.py"
        if not path.exists():
            continue
        text, kept, _ = mark_excluded(path.read_text(encoding="utf-8"), select)
        path.write_text(text, encoding="utf-8")
        shutil.copystat(ROOT / "src" / "helpers" / f"{module.replace('.', '/')}.py", path)
        selected[module] = kept
    only = [f"src/helpers/{m.replace('.', '/')}.py" for m in selected]
    tests = sorted({str(p.relative_to(WORK)) for pattern in TESTS for p in WORK.glob(pattern)})
    config = {
        "source_paths": ["src"],
        "only_mutate": only,
        "also_copy": ["data", "mutate_plugin.py"],
        "pytest_add_cli_args": ["-p", "mutate_plugin", "-p", "no:cacheprovider", "-W", "ignore"],
        "pytest_add_cli_args_test_selection": tests,
        "use_git_change_detection": False,
        "timeout_multiplier": 10.0,
    }
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = re.sub(r"\n\[tool\.mutmut\][^\[]*", "\n", pyproject)
    pyproject += "\n[tool.mutmut]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in config.items())
    (WORK / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return selected


# ----------------------------------------------------------------------------------------------------------------
# Counting, running, reporting
# ----------------------------------------------------------------------------------------------------------------

def count_mutants(selected: dict[str, list[str]]) -> dict[str, int]:
    """Mutants mutmut will generate per module (its own generator, on the marked scratch copy)."""
    os.chdir(WORK)
    from mutmut.mutation.file_mutation import mutate_file_contents

    out = {}
    for module in selected:
        path = f"src/helpers/{module.replace('.', '/')}.py"
        out[module] = len(mutate_file_contents(path, Path(path).read_text(encoding="utf-8")).mutant_names)
    os.chdir(ROOT)
    return out


def equivalent_mutants() -> dict[str, str]:
    """Mutant name -> reason, from the table of ``docs/mutation.md`` (rows ``| `name` | reason |``)."""
    if not EQUIVALENTS_DOC.exists():
        return {}
    found = {}
    for line in EQUIVALENTS_DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(helpers\.[\w.ǁ]+__mutmut_\d+)`\s*\|\s*(.*?)\s*\|\s*$", line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def collect(selected: dict[str, list[str]], sample: list[str] | None = None) -> dict:
    """Read mutmut's per-file results (``mutants/src/helpers/<module>.py.meta``) into the report (only the mutants
    of ``sample`` when one was drawn)."""
    wanted = set(sample) if sample else None
    equivalent = equivalent_mutants()
    by_module, survivors, no_tests, kept_equivalent = {}, [], [], []
    totals = dict.fromkeys(("killed", "survived", "timeout", "no_tests", "segfault", "suspicious", "skipped",
                            "not_checked"), 0)
    for module in selected:
        meta = WORK / "mutants" / "src" / "helpers" / f"{module.replace('.', '/')}.py.meta"
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        generated = len(codes)
        if wanted is not None:
            codes = {k: v for k, v in codes.items() if k in wanted}
        counts = dict.fromkeys(totals, 0)
        for name, code in sorted(codes.items()):
            status = STATUS.get(code, "suspicious")
            counts[status] += 1
            if status == "survived":
                (kept_equivalent if name in equivalent else survivors).append(name)
            elif status == "no_tests":
                (kept_equivalent if name in equivalent else no_tests).append(name)
        detected = counts["killed"] + counts["timeout"] + counts["segfault"]
        undetected = counts["survived"] + counts["no_tests"]
        eq = sum(1 for n in kept_equivalent if n.startswith(f"helpers.{module}."))
        counts["generated"] = generated
        counts["tested"] = len(codes)
        counts["score"] = round(detected / (detected + undetected), 4) if detected + undetected else None
        counts["score_95ci"] = wilson(detected, detected + undetected)
        counts["equivalent"] = eq
        counts["score_excluding_equivalent"] = (round(detected / (detected + undetected - eq), 4)
                                                if detected + undetected - eq else None)
        counts["functions_mutated"] = len(selected[module])
        by_module[module] = counts
        for k in totals:
            totals[k] += counts[k]
    detected = totals["killed"] + totals["timeout"] + totals["segfault"]
    undetected = totals["survived"] + totals["no_tests"]
    eq = len(kept_equivalent)
    return {**totals, "generated": sum(m["generated"] for m in by_module.values()),
            "tested": sum(m["tested"] for m in by_module.values()),
            "score": round(detected / (detected + undetected), 4) if detected + undetected else None,
            "score_95ci": wilson(detected, detected + undetected),
            "equivalent": eq,
            "score_excluding_equivalent": (round(detected / (detected + undetected - eq), 4)
                                           if detected + undetected - eq else None),
            "by_module": by_module, "survivors": survivors, "no_tests": no_tests,
            "equivalent_mutants": sorted(kept_equivalent), "tests": list(TESTS),
            "functions": selected}


def wilson(k: int, n: int, z: float = 1.959964) -> list[float] | None:
    """Wilson score interval of a proportion k/n (95 %): the sampling uncertainty of a score measured on a sample."""
    if n == 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return [round(centre - half, 4), round(centre + half, 4)]


def _generated(selected: dict[str, list[str]]) -> dict[str, list[str]]:
    """module -> names of the mutants mutmut generated (from its ``.meta`` files)."""
    out = {}
    for module in selected:
        meta = WORK / "mutants" / "src" / "helpers" / f"{module.replace('.', '/')}.py.meta"
        if meta.exists():
            out[module] = sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return out


def sample_mutants(generated: dict[str, list[str]], size: int, seed: int) -> list[str]:
    """A seeded sample of about ``size`` mutants, spread over the modules in proportion to their number of mutants
    with at least :data:`MIN_PER_MODULE` per module (all of a smaller module), so that every module gets a score. A
    uniform sample within a module gives an unbiased estimate of its score (the report gives its 95 % Wilson
    interval); ``--all`` tests every mutant."""
    import random

    rng = random.Random(seed)
    total = sum(len(v) for v in generated.values())
    chosen: list[str] = []
    for _module, names in sorted(generated.items()):
        k = min(len(names), max(MIN_PER_MODULE, round(size * len(names) / total))) if total else 0
        chosen += sorted(rng.sample(names, k))
    return chosen


def _pending(names: list[str]) -> list[str]:
    """The mutants of ``names`` with no result yet, or that survived (rerun: new tests may kill them)."""
    codes: dict[str, int | None] = {}
    for meta in (WORK / "mutants" / "src" / "helpers").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return [n for n in names if STATUS.get(codes.get(n)) in ("not_checked", "survived", "no_tests", None)]


class MutmutFailed(RuntimeError):
    """mutmut stopped before testing the mutants (e.g. a test fails on the unmutated code)."""


def _mutmut(max_children: int, names: list[str]) -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    cmd = [str(mutmut), "run", "--max-children", str(max_children), *names]
    env = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0", "MPLBACKEND": "Agg"}
    env.pop("SNR_PROJECT_ROOT", None)
    shown = " ".join(cmd[:6]) + (f" … ({len(names)} mutants)" if len(names) > 3 else "")
    print("mutmut:", shown, f"(in {WORK.relative_to(ROOT)})", flush=True)
    done = subprocess.run(cmd, cwd=WORK, env=env, check=False)
    if done.returncode != 0:
        raise MutmutFailed(f"mutmut run exited with {done.returncode}: the clean test run must pass first (see "
                           "above); the previous report is kept")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--resume", action="store_true", help="keep outputs/mutation/work (mutmut's cache)")
    parser.add_argument("--count", action="store_true", help="only count the mutants of each module")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last run")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE,
                        help=f"mutants tested, a seeded sample of all those generated (default {DEFAULT_SAMPLE})")
    parser.add_argument("--seed", type=int, default=22, help="seed of the sample")
    parser.add_argument("--all", action="store_true", help="test every generated mutant (hours on 2 cores)")
    parser.add_argument("mutants", nargs="*", help="only these mutants (mutmut names or globs)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    selected = prepare(resume=args.resume or args.report_only) if not args.report_only else {
        m: [] for m in MODULES}
    if args.count:
        counts = count_mutants(selected)
        for module, n in counts.items():
            print(f"{module:12s} {n:6d} mutants in {len(selected[module])} functions")
        print(f"{'total':12s} {sum(counts.values()):6d}")
        return 0
    sample: list[str] | None = None
    try:
        sample = _run_mutmut(args, selected)
    except MutmutFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    report = collect(selected, sample)
    report["sample"] = sample
    report["wall_time_s"] = round(time.monotonic() - start, 1)
    report["max_children"] = args.max_children
    report["load_average"] = list(os.getloadavg())
    _write_report(report)
    return 0


def _run_mutmut(args, selected: dict[str, list[str]]) -> list[str] | None:
    """Run mutmut as the options say; the sample of mutants the report is about (None: every mutant)."""
    sample: list[str] | None = None
    if not args.report_only:
        if args.mutants or args.all:
            _mutmut(args.max_children, args.mutants)
            if args.mutants and args.resume and REPORT.exists():  # a rerun of some mutants of the last sample
                sample = json.loads(REPORT.read_text(encoding="utf-8")).get("sample")
        else:
            # phase 1: generate every mutant and collect the per-test stats, running a single mutant
            _mutmut(args.max_children, [FIRST_MUTANT])
            # phase 2: a seeded sample of the generated mutants (see sample_mutants)
            sample = sample_mutants(_generated(selected), args.sample, args.seed)
            todo = _pending(sample) if args.resume else sample
            print(f"sample: {len(sample)} mutants (seed {args.seed}), {len(todo)} to run", flush=True)
            if todo:
                _mutmut(args.max_children, todo)
    elif REPORT.exists():
        sample = json.loads(REPORT.read_text(encoding="utf-8")).get("sample")
    return sample


def _write_report(report: dict) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nmutants {report['generated']}: killed {report['killed']}, timeout {report['timeout']}, survived "
          f"{report['survived']}, no tests {len(report['no_tests'])}, equivalent (documented) {report['equivalent']}")
    for module, m in report["by_module"].items():
        print(f"  {module:12s} {m['generated']:5d} mutants, score {m['score']}")
    print(f"score {report['score']} (excluding documented equivalent mutants: {report['score_excluding_equivalent']})"
          f"; wall time {report['wall_time_s']} s")
    if report["survivors"] or report["no_tests"]:
        print("\nsurvivors (mutmut show <name> in outputs/mutation/work for the diff):")
        for name in report["survivors"] + report["no_tests"]:
            print("  ", name)
    print(f"report: {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
