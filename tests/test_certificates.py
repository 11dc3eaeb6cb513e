"""Tests of anakinra_rescue.examination.certificates: the committed certificates hold, and altered ones fail."""

import copy
import json

import pandas as pd
import pytest

from anakinra_rescue import cli
from anakinra_rescue.data import files, published
from anakinra_rescue.examination import certificates
from anakinra_rescue.examination.certificates import CertificateError, check_certificate

RECORD = published.load_published_record()
RECORD = RECORD.assign(compared_as=published.compared_texts(RECORD))
STORED = certificates.load(files.RECONSTRUCTED_DIR / files.CERTIFICATES_FILE)


def _first(kind):
    return next(c for entry in STORED["decisions"] for c in entry["certificates"] if c["kind"] == kind)


@pytest.mark.after_book  # make test runs it in the book's process, after the build (see the Makefile)
def test_certify_check_passes_on_the_committed_cohort(capsys):
    """`python -m anakinra_rescue certify --check` as make test runs it: every certificate holds, every verdict
    other than reproduced and open in fidelity.csv has one, the open questions are counted, and the time printed."""
    assert cli.main(["certify", "--check"]) == 0
    out = capsys.readouterr().out
    fidelity = pd.read_csv(files.RECONSTRUCTED_DIR / files.FIDELITY_FILE, dtype=str, keep_default_na=False)
    certified = (~fidelity["status"].isin(["reproduced", "open_question"])).sum()
    assert f"certificates of {certified} printed numbers hold, re-checked from the published record in" in out
    opened = (fidelity["status"] == "open_question").sum()
    assert (f"; {opened} open question(s) have no certificate yet" in out) == (opened > 0)
    assert all(entry["certificates"] for entry in STORED["decisions"])


def test_a_witness_with_one_patient_moved_fails():
    certificate = copy.deepcopy(_first("day_pictures"))
    matrix = certificate["matrices"]["control"]
    row = next(i for i, counts in enumerate(matrix) if sum(counts))
    column = next(j for j, count in enumerate(matrix[row]) if count)
    matrix[row][column] -= 1
    matrix[row][(column + 1) % 6] += 1
    with pytest.raises(CertificateError):
        check_certificate(certificate, RECORD)


def test_an_exhaustive_claim_that_a_witness_refutes_fails():
    certificate = copy.deepcopy(_first("day_exhaustive"))
    certificate["prints"] = [["table3", f"ordinal_status_day{certificate['day']}", "control", "q1"]]  # 1: attainable
    with pytest.raises(CertificateError, match="print"):
        check_certificate(certificate, RECORD)


def test_a_wrong_domain_size_fails():
    certificate = copy.deepcopy(_first("day_exhaustive"))
    certificate["domain_size"] += 1
    with pytest.raises(CertificateError, match="the domain holds"):
        check_certificate(certificate, RECORD)


def test_a_record_finding_the_check_no_longer_makes_fails():
    certificate = copy.deepcopy(_first("record_finding"))
    certificate["finding"] += " (edited)"
    with pytest.raises(CertificateError, match="no longer finds"):
        check_certificate(certificate, RECORD)


def test_values_that_do_not_print_the_row_fail():
    certificate = copy.deepcopy(_first("values"))
    group = next(key[2] for key in certificate["prints"] if key[2] != "comparison")
    certificate["values"][group] = [value + 1 for value in certificate["values"][group]]
    with pytest.raises(CertificateError, match="the values give"):
        check_certificate(certificate, RECORD)


def test_an_unknown_kind_is_refused():
    with pytest.raises(CertificateError, match="unknown certificate kind 'guess'"):
        check_certificate({"kind": "guess"}, RECORD)


def test_a_verdict_without_a_certificate_fails(tmp_path):
    path = tmp_path / files.CERTIFICATES_FILE
    stored = copy.deepcopy(STORED)
    removed = stored["decisions"].pop(0)
    path.write_text(json.dumps(stored), encoding="utf-8")
    fidelity = pd.read_csv(files.RECONSTRUCTED_DIR / files.FIDELITY_FILE, dtype=str, keep_default_na=False)
    with pytest.raises(CertificateError, match="has no certificate"):
        certificates.check_file(path, RECORD, fidelity, progress=lambda _: None)
    assert removed["key"]
