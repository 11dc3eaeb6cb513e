"""Command line: ``anakinra-rescue COMMAND ...`` or ``python -m anakinra_rescue COMMAND ...``.

Exit codes (:data:`EXIT_CODES`, printed by ``--help``): 0 the command ran (for ``validate``: the data are valid),
1 invalid data (the report names file, line, column, value and rule), 2 a usage error (an unknown option, a
settings file that cannot be read, an output path that cannot be written), 3 an unexpected failure (a defect: the
traceback is printed for the report). No misuse ends in a traceback.
"""

import argparse
import json
import os
import signal
import sys
import traceback
from dataclasses import asdict
from pathlib import Path

from anakinra_rescue.cli_commands import COMMAND_SPECS
from anakinra_rescue.data import cohort_rules, dictionary, files, io, plausibility
from anakinra_rescue.data.files import DAILY_STATUS_FILE, PATIENTS_FILE
from anakinra_rescue.data.problems import CohortValidationError
from anakinra_rescue.data.vocabulary import Status
from anakinra_rescue.schemas.cohort import COHORTS

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_DEFECT = 3
EXIT_CODES = {
    EXIT_OK: "the command ran (validate: the data are valid)",
    EXIT_INVALID_INPUT: "invalid data: every problem is reported with file, line, column, value and rule",
    EXIT_USAGE: "usage error: an unknown option or value, an unreadable settings file, an unwritable output path",
    EXIT_DEFECT: "unexpected failure: a defect of this program (please report it with the traceback printed)",
}


class UsageError(Exception):
    """A misuse found after parsing (an output path that is a file, a settings file that cannot be read): exit 2."""


def _program_name() -> str:
    """How the user called us: ``anakinra-rescue`` for the console script, else ``python -m anakinra_rescue``."""
    called = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m anakinra_rescue" if called in ("__main__.py", "-m", "", "-c") else called


def _build_parser() -> argparse.ArgumentParser:
    from anakinra_rescue import __version__

    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="Regenerate and check the anakinra rescue study from patient-level CSV files.",
        epilog="exit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, description, arguments) in COMMAND_SPECS.items():
        command = commands.add_parser(name, help=summary, description=description)
        for flags, options in arguments:
            command.add_argument(*flags, **options)
    return parser


def _datapackage(args: argparse.Namespace) -> int:
    path = Path(args.out)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != dictionary.datapackage_text():
            print(f"{path} is out of date with schemas/: run python -m anakinra_rescue datapackage", file=sys.stderr)
            return 1
        print(f"{path} matches the schemas")
        return EXIT_OK
    dictionary.write_datapackage(path)
    print(f"wrote {path}")
    return EXIT_OK


def _config(args: argparse.Namespace):
    """The settings ``--config`` names, or the article's reading; a file that cannot be read is a usage error."""
    from anakinra_rescue.engine import settings
    from anakinra_rescue.engine.config import DEFAULT

    if getattr(args, "config", None) is None:
        return DEFAULT
    try:
        return settings.load_settings(args.config)
    except settings.SettingsError as error:
        raise UsageError(str(error)) from None


def _output_folder(path: str, create: bool = True) -> Path:
    """``--out`` as a folder, created unless ``create`` is false (checked before the input is read, created after it
    is found valid, so that invalid input leaves nothing behind); a path that is a file, or a folder that cannot be
    created or written, is a usage error."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {path}: is a file; give a folder to write into (it is created when missing)")
    if not create:
        return out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {path}: cannot create the folder ({error.strerror})") from None
    if not os.access(out, os.W_OK):
        raise UsageError(f"--out {path}: the folder is not writable")
    return out


def _analyse_or_report(directory: str, config, with_log: bool = True):
    """The pipeline's Analysis of ``directory`` under ``config``, or None after printing why the input is invalid."""
    from anakinra_rescue.engine import pipeline  # the engine (scipy) loads only for the commands that analyse

    try:
        return pipeline.run(directory, config, with_log=with_log)
    except CohortValidationError as error:
        print(error.report(), file=sys.stderr)
        return None


def _write_csv(frame, folder: Path, name: str) -> None:
    from anakinra_rescue.engine import pipeline

    pipeline.write_csv(frame, folder / name)
    print(f"  wrote {folder / name} ({len(frame)} rows)")


def _match(args: argparse.Namespace) -> int:
    from anakinra_rescue.engine import pipeline

    config, out = _config(args), _output_folder(args.out, create=False)
    try:
        _, result = pipeline.match(args.directory, config, with_log=not args.no_log)  # reads no measurement
    except CohortValidationError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_INVALID_INPUT
    _output_folder(args.out)
    logged = "no log (--no-log)" if args.no_log else f"{len(result.log)} candidates logged"
    print(f"{len(result.pairs)} pairs, {len(result.unmatched)} unmatched cases, {logged}")
    _write_csv(result.pairs, out, "pairs.csv")
    if not args.no_log:
        _write_csv(result.log, out, "matching_log.csv")
    _write_csv(result.unmatched, out, "unmatched.csv")
    return EXIT_OK


def _tables(args: argparse.Namespace) -> int:
    from anakinra_rescue.engine import comparison, pipeline

    config, out = _config(args), _output_folder(args.out, create=False)
    analysis = _analyse_or_report(args.directory, config, with_log=False)
    if analysis is None:
        return EXIT_INVALID_INPUT
    _output_folder(args.out)
    counts = analysis.compared["status"].value_counts()
    print(
        f"{len(analysis.matched.pairs)} pairs analysed; {len(analysis.compared)} printed numbers: "
        + ", ".join(f"{status} {int(counts.get(status, 0))}" for status in comparison.STATUSES)
    )
    for name, build in pipeline.table_outputs(analysis).items():
        _write_csv(build(), out, name)
    from anakinra_rescue.engine import build_record

    path = build_record.write_record(build_record.build_record(args.directory, config), out)
    print(f"  wrote {path} (the build record)")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from anakinra_rescue.engine import pipeline
    from anakinra_rescue.examination import changes

    try:
        old, new = changes.read_outputs(args.old), changes.read_outputs(args.new)
    except changes.ChangesError as error:
        print(f"{_program_name()} diff: {error}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    found = changes.compare_outputs(old, new)
    if args.out:
        target = Path(args.out)
        if target.is_dir():
            target = target / changes.CHANGES_FILE
        try:
            pipeline.write_csv(found, target)
        except OSError as error:
            raise UsageError(f"--out {args.out}: cannot write ({error.strerror})") from None
    if args.format == "json":
        print(json.dumps(changes.as_json(old, new, found), indent=2))
    else:
        print(changes.as_text(old, new, found), end="")
    if args.out:
        print(f"wrote {target} ({len(found)} rows)", file=sys.stderr if args.format == "json" else sys.stdout)
    return EXIT_OK


def _reconstruct(args: argparse.Namespace) -> int:
    from anakinra_rescue.engine import comparison, pipeline
    from anakinra_rescue.reconstruction import reconstruct, stamp

    seed = reconstruct.DEFAULT_SEED if args.seed is None else args.seed
    _output_folder(args.out, create=False)
    result = reconstruct.reconstruct(seed, progress=lambda message: print(message, flush=True))
    paths = reconstruct.write_reconstruction(result, args.out)
    paths = (*paths, stamp.write_stamp(seed, paths, args.out))  # which code and inputs wrote these bytes
    analysis = pipeline.run(args.out, with_log=False)
    for row in comparison.status_counts(analysis.compared).itertuples(index=False):
        print(f"  {row.source:<9} {row.match:>4}/{row.total:<4} match ({row.match_pct:.1f}%)")
    written = _write_certified(Path(args.out), analysis)
    print(
        f"overall: {(analysis.compared['status'] == Status.MATCH).mean() * 100:.1f}% of {len(analysis.compared)} printed "
        f"numbers match; {result.seconds:.0f} s to solve; wrote {', '.join(str(path) for path in [*paths, *written])}"
    )
    return EXIT_OK


def _certify(args: argparse.Namespace) -> int:
    import pandas as pd

    from anakinra_rescue.examination import certificates, verdicts

    folder = Path(args.data or str(files.RECONSTRUCTED_DIR))
    analysis = _analyse_or_report(str(folder), _config(args), with_log=False)
    if analysis is None:
        return EXIT_INVALID_INPUT
    if args.check:
        path = folder / certificates.CERTIFICATES_FILE
        if not path.is_file():
            raise UsageError(f"--data {folder}: has no {certificates.CERTIFICATES_FILE}; run certify without --check first")
        stored = certificates.load(path)
        if any(stored.get(name) != value for name, value in verdicts.stamp(analysis.record, analysis.compared).items()):
            print(f"{path}: written for another record or cohort than the one in {folder}: run certify again", file=sys.stderr)
            return EXIT_INVALID_INPUT
        fidelity_path = folder / files.FIDELITY_FILE
        fidelity_rows = pd.read_csv(fidelity_path, dtype=str, keep_default_na=False) if fidelity_path.is_file() else None
        try:
            result = certificates.check_file(path, analysis.record, fidelity_rows, analysis.config)
        except certificates.CertificateError as error:
            print(f"{path}: a certificate does not hold: {error}", file=sys.stderr)
            return EXIT_INVALID_INPUT
        print(
            f"certify --check: {result['certificates']} certificates of {result['numbers']} printed numbers hold, "
            f"re-checked from the published record in {result['seconds']:.1f} s"
            + (f"; {result['open']} open question(s) have no certificate yet" if result["open"] else "")
        )
        return EXIT_OK
    _write_certified(folder, analysis)
    return EXIT_OK


def _write_certified(folder: Path, analysis) -> list[Path]:
    """Decide, write certificates.json and fidelity.csv into ``folder``; print the verdict counts."""
    from anakinra_rescue.engine import pipeline
    from anakinra_rescue.examination import fidelity, verdicts

    print("deciding the printed numbers the cohort misses (Table 3's pictures of each day) ...", flush=True)
    entries = verdicts.decide(analysis.record, analysis.compared, analysis.config, progress=lambda m: print(m, flush=True))
    certified = verdicts.write(folder / files.CERTIFICATES_FILE, analysis.record, analysis.compared, entries)
    decisions = verdicts.stored_decisions(folder, analysis.record, analysis.compared)
    explained = fidelity.explain(analysis.compared, analysis.record, analysis.config, decisions)
    fidelity_path = folder / files.FIDELITY_FILE
    pipeline.write_csv(fidelity.fidelity_file(explained), fidelity_path)
    for verdict, count in explained["verdict"].value_counts().reindex(fidelity.VERDICTS, fill_value=0).items():
        print(f"  {verdict:<28} {count:>4}")
    print(f"wrote {certified} ({len(entries)} decisions) and {fidelity_path}")
    return [certified, fidelity_path]


def _audit(args: argparse.Namespace) -> int:
    from anakinra_rescue.examination import audit, fidelity, verdicts

    config, out = _config(args), _output_folder(args.out, create=False)
    analysis = _analyse_or_report(args.data or str(files.RECONSTRUCTED_DIR), config, with_log=False)
    if analysis is None:
        return EXIT_INVALID_INPUT
    _output_folder(args.out)
    decisions = verdicts.stored_decisions(args.data or files.RECONSTRUCTED_DIR, analysis.record, analysis.compared)
    rows = audit.audit_rows(analysis.record, fidelity.explain(analysis.compared, analysis.record, analysis.config, decisions))
    path = audit.write_audit(rows, out)
    for row in audit.status_counts(rows).itertuples(index=False):
        print(f"  {row.status:<20} {row[1]:>4}")
    print(f"wrote {path} ({len(rows)} printed numbers)")
    return EXIT_OK


def _sensitivity(args: argparse.Namespace) -> int:
    import tempfile

    from anakinra_rescue.engine import pipeline
    from anakinra_rescue.examination import sensitivity

    seeds, config = args.seeds, _config(args)
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {args.out}: is a folder; give the CSV file to write")
    _output_folder(str(out.parent))
    with tempfile.TemporaryDirectory() as scratch:
        rows = sensitivity.run(
            seeds, Path(args.work or scratch), progress=lambda message: print(message, flush=True), config=config
        )
    pipeline.write_csv(rows, out)
    summary = sensitivity.summarise(rows)
    print(
        f"wrote {out}: {len(seeds)} cohorts; outcomes whose paired conclusion differs between cohorts: "
        f"{int((summary['conclusion'] != 'same in every cohort').sum())} of {len(summary)}"
    )
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    try:
        # plausibility reads every measurement; the contract alone keeps only the columns its rules read
        cohort = io.load_cohort(args.directory, daily_columns=None if args.plausibility else cohort_rules.DAILY_COLUMNS)
    except CohortValidationError as error:
        if args.format == "json":
            print(error.report_json())
        else:
            print(error.report(), file=sys.stderr)
        return EXIT_INVALID_INPUT
    warnings = (
        plausibility.warnings_for(
            cohort.patients, cohort.daily_status, str(cohort.directory / PATIENTS_FILE), str(cohort.directory / DAILY_STATUS_FILE)
        )
        if args.plausibility
        else None
    )
    if args.format == "json":
        sizes = cohort.patients["cohort"].value_counts()
        print(
            json.dumps(
                {
                    "valid": True,
                    "source": str(cohort.directory),
                    "patients": len(cohort.patients),
                    "patient_days": len(cohort.daily_status),
                    "cohorts": {name: int(sizes.get(name, 0)) for name in COHORTS},
                    **({} if warnings is None else {"plausibility_warnings": [asdict(warning) for warning in warnings]}),
                },
                indent=2,
            )
        )
    else:
        print(cohort.summary())
        if warnings is not None:
            print(
                f"plausibility: {len(warnings)} warning{'s' if len(warnings) != 1 else ''} "
                f"({len(plausibility.RULES)} rules; warnings do not make the data invalid)"
            )
            for warning in warnings:
                print("  warning: " + warning.as_text())
    return EXIT_OK


def _settings(args: argparse.Namespace) -> int:
    from anakinra_rescue.engine import settings

    config = _config(args)
    changed = settings.differences(config)
    print(
        f"# {len(changed)} setting{'s' if len(changed) != 1 else ''} differ{'s' if len(changed) == 1 else ''} from "
        f"the article's reading" + (": " + ", ".join(key for key, _, _ in changed) if changed else "")
    )
    print(settings.settings_toml(config), end="")
    return EXIT_OK


COMMANDS = {
    "settings": _settings,
    "validate": _validate,
    "match": _match,
    "tables": _tables,
    "diff": _diff,
    "reconstruct": _reconstruct,
    "certify": _certify,
    "audit": _audit,
    "sensitivity": _sensitivity,
    "datapackage": _datapackage,
}


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit code (:data:`EXIT_CODES`)."""
    if argv is None and hasattr(signal, "SIGPIPE"):  # the command line itself, not a caller in Python
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends the command quietly, as any Unix tool
    parser = _build_parser()
    args = parser.parse_args(argv)  # a usage error exits 2 here, with argparse's message
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        parser.exit(EXIT_USAGE, f"{parser.prog} {args.command}: error: {error}\n")
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # a defect, not a misuse: say so, with the traceback for the report
        traceback.print_exc()
        print(
            f"{parser.prog} {args.command}: unexpected failure (exit {EXIT_DEFECT}); this is a defect of the program, "
            "please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_DEFECT
    return EXIT_DEFECT  # pragma: no cover - parser.exit raises
