"""Command line: ``python -m anakinra_rescue COMMAND ...``.

Exit codes: 0 success, 2 invalid input (the report says why), 1 unexpected failure.
"""

import argparse
import json
import sys

from anakinra_rescue import io
from anakinra_rescue.problems import CohortValidationError

EXIT_OK = 0
EXIT_INVALID_INPUT = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m anakinra_rescue",
        description="Regenerate and check the anakinra rescue study from patient-level CSV files.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check patients.csv and daily_status.csv against the data contract",
        description=(
            "Check DIR/patients.csv and DIR/daily_status.csv against the data dictionary (column types, "
            "ranges, allowed values, required cells) and the cross-table rules (known patients, one row per "
            "patient-day, contiguous days, ordered dates, death and discharge ending the series, anakinra "
            "after tocilizumab). On valid data prints a one-line summary and exits 0; otherwise prints every "
            "problem found, each with file, line, column, value and rule, and exits 2. Files are only read."
        ),
    )
    validate.add_argument("directory", metavar="DIR", help="folder holding patients.csv and daily_status.csv")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="report format: text for people (default), json for machines")
    return parser


def _validate(args: argparse.Namespace) -> int:
    try:
        cohort = io.load_cohort(args.directory)
    except CohortValidationError as error:
        if args.format == "json":
            print(error.report_json())
        else:
            print(error.report(), file=sys.stderr)
        return EXIT_INVALID_INPUT
    if args.format == "json":
        sizes = cohort.patients["cohort"].value_counts()
        print(json.dumps({
            "valid": True, "source": str(cohort.directory), "patients": len(cohort.patients),
            "patient_days": len(cohort.daily_status),
            "cohorts": {name: int(sizes.get(name, 0)) for name in ("anakinra", "historical")},
        }, indent=2))
    else:
        print(cohort.summary())
    return EXIT_OK


COMMANDS = {"validate": _validate}


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit code."""
    args = _build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
