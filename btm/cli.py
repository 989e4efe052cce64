"""The ``btm`` command: list, run, sweep and assemble analyses (parse and call, no logic).

::

    btm list
    btm init my_analyses                  # notebooks and sample data to open in JupyterLab
    btm run tco_comparison -p discount_rate 0.06 -p horizon_years 7 [-f params.yaml]
    btm sweep SWEEP.yaml [--workers 2] [--dask tcp://HOST:8786] [--resume]
    btm sweep tco_comparison -g discount_rate 0.06,0.08,0.10 [--workers 2] [--dask ADDRESS]
    btm runs [--analysis tco_comparison]  # run folders with their status
    btm boardpack [--analyses a,b] [-p ANALYSIS.NAME VALUE] [--no-run] [--sweep NAME]
    btm verify reports/tco_comparison/RUN_ID   # or a board-pack folder

Bad input gives a one-line ``btm: error: ...`` on stderr and exit code 2; a failed run exits 1.
Heavy libraries (papermill, nbconvert, matplotlib) are imported only by the commands that run
notebooks, so ``btm --help`` and ``btm list`` answer at once.

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
btm ...
0
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

import btm
from btm.errors import InputError

__all__ = ["main", "build_parser"]


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reports-dir", default="reports", metavar="DIR",
                   help="where run folders are written (default: reports)")
    p.add_argument("--notebooks", default=None, metavar="DIR",
                   help="folder of the analysis notebooks (default: $BTM_NOTEBOOKS, else those "
                   "of the btm init folder you are in, else the notebooks shipped with btm)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``btm`` command."""
    parser = argparse.ArgumentParser(
        prog="btm",
        description="Repeatable, auditable technology decisions: run btm's analyses into "
        "reports/ and assemble the board pack.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list the analyses and their parameters")
    p.add_argument("--notebooks", default=None, metavar="DIR", help="folder of the notebooks")

    p = sub.add_parser("init", help="copy the notebooks and sample data into a working folder")
    p.add_argument("folder", help="folder to create or fill (existing files are kept)")

    p = sub.add_parser("run", help="run one analysis into reports/<analysis>/<run-id>/")
    p.add_argument("analysis", help="analysis name (see btm list)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="set a parameter (repeatable)")
    p.add_argument("-f", "--parameters-file", metavar="FILE",
                   help="YAML or JSON file of parameters (-p values win)")
    p.add_argument("--run-id", default=None, help="name of the run folder (must be new)")
    p.add_argument("--no-progress", action="store_true",
                   help="hide the progress bar (hidden anyway when stderr is not a terminal)")
    _add_common(p)

    p = sub.add_parser("sweep", help="run analyses for many parameter sets in parallel")
    p.add_argument("analysis", metavar="SWEEP_FILE|ANALYSIS",
                   help="a sweep file (YAML/JSON: runs of one or more analyses), or one "
                   "analysis name with -g/-f")
    p.add_argument("-g", "--grid", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUES"),
                   help="comma-separated values to sweep over, e.g. -g discount_rate 0.06,0.08")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="a parameter fixed for every run")
    p.add_argument("-f", "--grid-file", metavar="FILE",
                   help="YAML/JSON: a mapping of name to list of values (a grid) or a list of "
                   "parameter sets")
    p.add_argument("--workers", type=int, default=None, help="parallel workers (default: CPUs)")
    p.add_argument("--dask", default=None, metavar="ADDRESS", nargs="?", const="",
                   help="run on Dask: a scheduler address, or empty for a local cluster")
    p.add_argument("--output", default=None, metavar="CSV",
                   help="also write the summary table to this CSV file")
    p.add_argument("--figure-formats", default=None, metavar="png[,svg]",
                   help="figure files each run writes (default png,svg; png alone is faster)")
    p.add_argument("--resume", action="store_true",
                   help="re-run only the failed or missing runs of the latest sweep of this name")
    p.add_argument("--name", default=None, metavar="ID",
                   help="the sweep's id for ANALYSIS -g ... (default: the analysis and a digest "
                   "of the parameter sets, so the same command --resume finds it)")
    p.add_argument("--no-progress", action="store_true",
                   help="hide the progress bar (hidden anyway when stderr is not a terminal)")
    _add_common(p)

    p = sub.add_parser("runs", help="list run folders with their status (marks interrupted ones)")
    p.add_argument("--analysis", default=None, help="only this analysis")
    p.add_argument("--reports-dir", default="reports", metavar="DIR",
                   help="where run folders are (default: reports)")

    p = sub.add_parser("verify", help="re-run runs from their manifests; compare key numbers")
    p.add_argument("folder", nargs="+", metavar="RUN_DIR|PACK_DIR",
                   help="a run folder or a board-pack folder")
    p.add_argument("--keep", action="store_true", help="keep the re-run folders")

    p = sub.add_parser("boardpack", help="run the board-pack analyses and assemble the pack")
    p.add_argument("--analyses", default=None, metavar="A,B",
                   help="comma-separated analyses (default: those marked for the board pack)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"),
                   help="a parameter: ANALYSIS.NAME for one analysis, or a NAME only one "
                   "analysis declares (repeatable)")
    p.add_argument("--no-run", action="store_true",
                   help="use the latest existing runs instead of running the analyses")
    p.add_argument("--sweep", default=None, metavar="SWEEP_ID",
                   help="one section per run of this sweep (reports/sweeps/SWEEP_ID)")
    p.add_argument("--progress", action="store_true", help="show a progress bar per run")
    _add_common(p)
    return parser


def _pairs(pairs: Sequence[Sequence[str]]) -> dict[str, str]:
    return {name: value for name, value in pairs}


def _list(args: argparse.Namespace) -> int:
    from btm import analyses

    found = analyses.list_analyses(args.notebooks)
    if not found:
        print(f"No analyses in {analyses.notebooks_dir(args.notebooks)}")
        return 0
    for a in found:
        mark = "  [board pack]" if a.boardpack else ""
        print(f"{a.name}: {a.title}{mark}")
        if a.spec is not None:
            print(f"    {a.spec.question}")
        for p in analyses.parameters(a):
            if p.name == "output_dir":
                continue
            default = p.default_source or "(none)"
            line = f"    {p.name}: {p.type or 'any'} = {default}"
            words = p.help
            if p.name in a.constraints:
                words = f"{words} [{a.constraints[p.name].describe()}]".strip()
            print(f"{line:<56}  {words}".rstrip() if words else line)
    return 0


def _init(args: argparse.Namespace) -> int:
    from btm import workspace

    result = workspace.init(args.folder)
    print(f"btm: copied {len(result.copied)} files into {result.folder}"
          + (f", kept {len(result.kept)} existing files as they were" if result.kept else ""),
          file=sys.stderr)
    print(f"btm: btm run, sweep and boardpack started inside {result.folder} use these "
          "notebooks and their data", file=sys.stderr)
    print(result.folder / "notebooks")
    return 0


def _run(args: argparse.Namespace) -> int:
    from btm import runs

    params: dict[str, Any] = {}
    if args.parameters_file:
        params.update(runs.load_parameters_file(args.parameters_file))
    params.update(_pairs(args.parameter))
    rec = runs.run(args.analysis, params, reports_dir=args.reports_dir, run_id=args.run_id,
                   progress=_show_progress(args), notebooks=args.notebooks)
    if rec.succeeded:
        print(f"btm: run {rec.run_id} succeeded", file=sys.stderr)
        print(rec.path)
        return 0
    print(f"btm: run {rec.run_id} failed: {runs.describe_error(rec.error)}", file=sys.stderr)
    print(f"btm: the executed notebook shows where: {rec.path / 'executed.ipynb'}",
          file=sys.stderr)
    print(rec.path)
    return 1


def _is_sweep_file(target: str) -> bool:
    from pathlib import Path

    return target.lower().endswith((".yaml", ".yml", ".json")) or Path(target).is_file()


def _sweep(args: argparse.Namespace) -> int:
    from btm import sweep

    if _is_sweep_file(args.analysis):
        if args.grid or args.grid_file or args.parameter or args.name:
            raise InputError("-g/-f/-p/--name: given with a sweep file; expected the parameter "
                             "sets and the name inside the sweep file")
        plan = sweep.load_sweep_file(args.analysis, notebooks=args.notebooks)
    else:
        sets = sweep.parameter_sets(grid=_pairs(args.grid), fixed=_pairs(args.parameter),
                                    file=args.grid_file)
        plan = sweep.plan_sets(args.analysis, sets, notebooks=args.notebooks, name=args.name)
    if args.figure_formats:
        import dataclasses

        plan = dataclasses.replace(plan,
                                   figure_formats=sweep.check_figure_formats(args.figure_formats))
    if args.output:
        sweep.check_output_folder(os.path.dirname(os.path.abspath(args.output)),
                                  parameter="--output")
    result = sweep.execute(plan, reports_dir=args.reports_dir, workers=args.workers,
                           dask_address=args.dask or None, use_dask=args.dask is not None,
                           resume=args.resume, progress=_show_progress(args))
    if args.output:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        result.summary.drop(columns=["path"]).pipe(_safe_csv).to_csv(args.output, index=False)
    shown = result.summary.drop(columns=["path", "error", "report"])
    print(shown.to_string(index=False), file=sys.stderr)
    print(f"btm: sweep {result.sweep_id}: {len(result.summary) - len(result.failed)} of "
          f"{len(result.summary)} runs succeeded" + (f" ({result.reused} kept from before)"
                                                     if result.reused else ""), file=sys.stderr)
    for f in result.failed:
        print(f"btm: run {f['index']} ({f['scenario']}) {f['status']}: {f['error']}"
              + (f" ({f['path']})" if f.get("path") else ""), file=sys.stderr)
    print(result.folder / "summary.html")
    return 1 if result.failed else 0


def _safe_csv(df: Any) -> Any:
    from btm.report import safe_csv

    return safe_csv(df)


def _runs(args: argparse.Namespace) -> int:
    from btm import runs

    for folder in runs.recover_interrupted(args.reports_dir):
        print(f"btm: marked interrupted: {folder}", file=sys.stderr)
    found = runs.list_runs(args.reports_dir, analysis=args.analysis)
    if not found:
        print(f"No runs in {args.reports_dir}", file=sys.stderr)
        return 0
    for r in found:
        line = f"{r['status']:<12} {r['analysis']}/{r['run_id']}"
        if r["duration_s"] is not None:
            line += f"  {r['duration_s']:.1f} s"
        if r["sweep"]:
            line += f"  sweep {r['sweep']}"
        if r["error"]:
            line += f"  {r['error']}"
        print(line)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from btm import verify

    checks = [v for folder in args.folder for v in verify.verify(folder, keep=args.keep)]
    for v in checks:
        print(v.describe())
    bad = [v for v in checks if not v.reproduced]
    print(f"btm: {len(checks) - len(bad)} of {len(checks)} runs reproduced", file=sys.stderr)
    return 1 if bad else 0


def _boardpack(args: argparse.Namespace) -> int:
    import json
    import time

    from btm import boardpack

    started = time.monotonic()

    def said(rec: Any, i: int, n: int) -> None:  # one line per analysis, as it finishes
        nonlocal started
        took, started = time.monotonic() - started, time.monotonic()
        print(f"btm: [{i}/{n}] {rec.analysis}: {rec.status} in {took:.0f} s ({rec.path})",
              file=sys.stderr, flush=True)

    folder = boardpack.build(
        args.analyses, reports_dir=args.reports_dir, parameters=_pairs(args.parameter),
        run=not args.no_run, notebooks=args.notebooks, progress=args.progress,
        sweep=args.sweep, on_run=said,
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if args.sweep is not None:  # nothing ran: list the sweep's runs the pack holds
        for r in manifest["runs"]:
            print(f"btm: {r['analysis']}: {r['status']} ({r['path']})", file=sys.stderr)
    print(f"btm: slides: {folder / 'boardpack.pptx'}", file=sys.stderr)
    print(folder / "boardpack.pdf")
    if manifest["failed"]:
        print(f"btm: board pack incomplete: {', '.join(manifest['failed'])} failed",
              file=sys.stderr)
        return 1
    return 0


_COMMANDS = {"list": _list, "init": _init, "run": _run, "sweep": _sweep, "runs": _runs,
             "boardpack": _boardpack, "verify": _verify}


def _say_workspace(args: argparse.Namespace) -> None:
    """Say on stderr when a ``btm init`` working folder's notebooks are the ones used."""
    if args.command not in ("list", "run", "sweep", "boardpack") or args.notebooks:
        return
    from btm import analyses

    if os.environ.get("BTM_NOTEBOOKS"):
        return
    workspace = analyses.find_workspace()
    if workspace is not None:
        print(f"btm: using the notebooks of the working folder {workspace} "
              f"({analyses.WORKSPACE_MARKER})", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``btm`` command; returns the exit code.

    Exit codes: 0 success, 1 a run failed (or an unexpected error: one line on stderr; the
    global ``--debug`` flag shows its traceback), 2 bad input (message on stderr, no traceback).
    """
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in given  # accepted anywhere on the line, not only before COMMAND
    args = parser.parse_args([a for a in given if a != "--debug"])
    args.debug = debug
    if args.version:
        print(f"btm {btm.__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if getattr(args, "reports_dir", None) is not None:
            _check_reports_dir(args.reports_dir)
        if args.command in ("run", "sweep", "boardpack"):
            from btm import runs

            for folder in runs.recover_interrupted(args.reports_dir):
                print(f"btm: marked interrupted: {folder}", file=sys.stderr)
        _say_workspace(args)
        code = _COMMANDS[args.command](args)
        sys.stdout.flush()  # a reader that left raises here, not in the interpreter's exit
        return code
    except InputError as exc:
        print(f"btm: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("btm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `btm list | head`: the reader left; stop quietly (Python docs,
        # "Note on SIGPIPE"), pointing stdout at devnull so the exit flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # one readable line, never a traceback (unless --debug)
        if args.debug:
            raise
        text = " ".join(str(exc).split()) or "no message"
        print(f"btm: error: {type(exc).__name__}: {text} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _show_progress(args: argparse.Namespace) -> bool:
    """A progress bar on an interactive terminal only: a log file or CI output gets the
    outcome lines, not hundreds of carriage-return frames."""
    return not args.no_progress and sys.stderr.isatty()


def _check_reports_dir(path: str) -> None:
    """Refuse a ``--reports-dir`` that is a file or lies below one, before anything runs."""
    p = os.path.abspath(path)
    probe = p
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return
        probe = parent
    if not os.path.isdir(probe):
        what = "is a file" if probe == p else f"lies below the file {probe}"
        raise InputError(f"--reports-dir: got {path!r}, which {what}; expected a folder "
                         "(it is created when missing)")
    if not os.access(probe, os.W_OK):
        raise InputError(f"--reports-dir: got {path!r}; {probe} is not writable; expected a "
                         "folder btm may write to")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
