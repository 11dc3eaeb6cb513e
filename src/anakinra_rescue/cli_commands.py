"""The commands of the command line (:mod:`anakinra_rescue.cli`): each one's summary, description and arguments.

The words ``--help`` prints live here, apart from the code that runs the commands, so that either can be read
alone. Pinned by ``tests/test_cli.py`` (every command's help) and ``tests/test_io.py``.
"""

import argparse
from typing import Any

from anakinra_rescue.data import dictionary


def _seeds(text: str) -> list[int]:
    from anakinra_rescue.examination import sensitivity

    try:
        return sensitivity.parse_seeds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


DIRECTORY = (("directory",), {"metavar": "DIR", "help": "folder holding patients.csv and daily_status.csv"})
OUT_FOLDER = (("--out",), {"required": True, "metavar": "OUT", "help": "folder to write the results into (created)"})
CONFIG = (
    ("--config",),
    {
        "metavar": "FILE",
        "default": None,
        "help": "TOML settings file (keys: the StudyConfig fields; default: the article's reading)",
    },
)
# name -> (one-line summary, description, [(flags, argparse options), ...])
COMMAND_SPECS: dict[str, tuple[str, str, list[tuple[tuple[str, ...], dict[str, Any]]]]] = {
    "validate": (
        "check patients.csv, daily_status.csv and infections.csv against the data contract",
        "Check DIR/patients.csv, DIR/daily_status.csv and the optional DIR/infections.csv against the data dictionary "
        "(column types, ranges, allowed values, required cells) and the cross-table rules (known patients, one row per "
        "patient-day, contiguous days, ordered dates, death and discharge ending the series, anakinra after "
        "tocilizumab, infections within the stay). On valid data prints a one-line summary and exits 0; otherwise "
        "prints every problem found, each with file, line, column, value and rule, and exits 1. With --plausibility, "
        "valid data are also checked against clinical plausibility rules (step-down before discharge, PaO2:FiO2 and "
        "SOFA fitting the respiratory support, dates, the tocilizumab criterion, laboratory ranges); their findings "
        "are printed as warnings and do not change the exit status. Files are only read.",
        [
            DIRECTORY,
            (
                ("--format",),
                {
                    "choices": ("text", "json"),
                    "default": "text",
                    "help": "report format: text for people (default), json for machines",
                },
            ),
            (("--plausibility",), {"action": "store_true", "help": "also print clinical plausibility warnings (never an error)"}),
        ],
    ),
    "match": (
        "match each anakinra case to its first eligible historical control",
        "Validate DIR, then apply the article's first-eligible chronological matching rule and write OUT/pairs.csv, "
        "OUT/matching_log.csv (one row per case and candidate considered, with the first rule that rejected it) and "
        "OUT/unmatched.csv. Exits 1 on invalid input. With --no-log, matching_log.csv is not written: at registry "
        "scale it has a row for every candidate each case passes over, which can run to billions.",
        [
            DIRECTORY,
            OUT_FOLDER,
            CONFIG,
            (("--no-log",), {"action": "store_true", "help": "skip matching_log.csv (for registry-sized pools)"}),
        ],
    ),
    "tables": (
        "regenerate Tables 1-3 and Figure 1 and compare them with the article",
        "Validate DIR, match, derive outcomes and write OUT/table1.csv, table2.csv, table3.csv (display form), "
        "figure1.csv, regenerated.csv (every number in long form), comparison.csv (each printed number with its "
        "regenerated value and status), ard.csv (every number again as Analysis Results Data, in the columns of R's "
        "cards package) and build.json (the build record: SHA-256 of each input, the settings, the version, commit "
        "and date, the package versions; `diff` reads it). Exits 1 on invalid input.",
        [DIRECTORY, OUT_FOLDER, CONFIG],
    ),
    "diff": (
        "list the numbers that changed between two outputs, and why",
        "Compare two folders of regenerated numbers (each a `tables` output, a book build's downloads or a release "
        "folder; a release may be named by its version alone, e.g. 0.1.0): every number whose value or verdict "
        "changed, or that was added or removed, with before -> after, and the cause read from the two build "
        "records: data (which input files differ), settings (which keys), code (which versions, and the functions "
        "behind each number whose source changed between the two commits, when git can tell). Exits 0 when it ran, "
        "whatever changed; 1 when a folder cannot be read.",
        [
            (("old",), {"metavar": "OLD", "help": "the earlier output folder or release version"}),
            (("new",), {"metavar": "NEW", "help": "the later output folder or release version"}),
            (("--out",), {"default": None, "metavar": "FILE", "help": "also write the changes as CSV (changes.csv)"}),
            (
                ("--format",),
                {"choices": ("text", "json"), "default": "text", "help": "what to print: text (default) or json"},
            ),
        ],
    ),
    "reconstruct": (
        "write the synthetic cohort reconstructed from the article's printed numbers",
        "Solve a synthetic cohort whose tables print as the article's, check that the engine's own matching selects "
        "the designed controls, and write OUT/patients.csv, OUT/daily_status.csv and OUT/fidelity.csv. The same seed "
        "always writes the same bytes. Prints progress and the fidelity per source.",
        [OUT_FOLDER, (("--seed",), {"type": int, "default": None, "help": "random seed (default: the committed cohort's seed)"})],
    ),
    "certify": (
        "decide every printed number the cohort misses, with certificates; --check re-verifies them",
        "Without --check: search a decision for every printed number the cohort in --data (default: "
        "data/reconstructed) does not print (proven impossible, article inconsistent, or attainable but not reached), "
        "write DATA/certificates.json with a certificate for each (a witness or an exhaustive check) and rewrite "
        "DATA/fidelity.csv with those verdicts (about two minutes). With --check: re-verify every certificate from the "
        "published record alone, check that fidelity.csv has a certificate for each verdict other than reproduced, "
        "and print the time; exits 1 when one fails.",
        [
            (("--data",), {"default": None, "help": "cohort folder (default: data/reconstructed)"}),
            (("--check",), {"action": "store_true", "help": "re-verify the certificates instead of searching"}),
        ],
    ),
    "audit": (
        "check every printed number against the article's other numbers",
        "Write OUT/audit.csv: one row per printed number with the recomputed value, a status (consistent, "
        "inconsistent, proven_impossible, from_reconstruction, not_checked), the test or check used and an "
        "explanation. Works from the published record; numbers only data can check are taken from the cohort in "
        "--data (default: data/reconstructed).",
        [OUT_FOLDER, CONFIG, (("--data",), {"default": None, "help": "cohort folder for the numbers only data can check"})],
    ),
    "sensitivity": (
        "rerun the matched-pair reanalysis over many seeded reconstructions",
        "Reconstruct each seed (about a minute each; one whose cohort misses a printed outcome count is redrawn; --work "
        "keeps and reuses the cohorts), run the paired reanalysis "
        "on each, and write one row per seed and outcome to --out.",
        [
            (("--seeds",), {"default": "1-20", "type": _seeds, "help": "seeds, e.g. 1-20 or 1,5,9 (default: %(default)s)"}),
            (("--out",), {"required": True, "help": "CSV file to write"}),
            CONFIG,
            (("--work",), {"default": None, "help": "folder for the cohorts (default: a temporary folder)"}),
        ],
    ),
    "settings": (
        "print the settings in force as a TOML file to start from",
        "Print every setting (matching rule, outcome days, tests per row, display decimals, ...) as a TOML settings file "
        "that --config and make book CONFIG=... accept: the article's reading, or the file given with --config after "
        "checking it (an unknown key or value exits 2, naming it). Redirect it to a file and edit what you need; keys "
        "left out keep the article's reading.",
        [CONFIG],
    ),
    "datapackage": (
        "write the Frictionless descriptor generated from the schemas",
        "Write data/datapackage.json (or --out) from the pandera models; --check only compares and exits 1 when the "
        "committed file is out of date.",
        [
            (("--out",), {"default": str(dictionary.DATAPACKAGE_JSON), "help": "where to write (default: %(default)s)"}),
            (("--check",), {"action": "store_true", "help": "compare instead of writing"}),
        ],
    ),
}
