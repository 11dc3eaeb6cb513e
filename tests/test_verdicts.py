"""Tests of anakinra_rescue.examination.verdicts: stamps, stored decisions and the record-only entries."""

import json

import pandas as pd

from anakinra_rescue.data import files, published
from anakinra_rescue.engine import stats
from anakinra_rescue.examination import certificates, verdicts

RECORD = published.load_published_record()
RECORD = RECORD.assign(compared_as=published.compared_texts(RECORD))
FIDELITY = pd.read_csv(files.RECONSTRUCTED_DIR / files.FIDELITY_FILE, dtype=str, keep_default_na=False)
COMPARED = FIDELITY.assign(
    status=["match" if s in ("reproduced", "reproduced_with_other_test") else "mismatch" for s in FIDELITY["status"]]
)


def test_stored_decisions_are_read_only_for_the_record_and_cohort_they_were_made_for(tmp_path):
    stored = verdicts.stored_decisions(files.RECONSTRUCTED_DIR, RECORD, COMPARED)
    assert stored and all(entry["verdict"] != "reproduced" for entry in stored.values())
    other = COMPARED.copy()
    other.loc[other.index[0], "status"] = "mismatch"  # a cohort that misses one more number
    assert verdicts.stored_decisions(files.RECONSTRUCTED_DIR, RECORD, other) == {}
    (tmp_path / files.CERTIFICATES_FILE).write_text("not json", encoding="utf-8")
    assert verdicts.stored_decisions(tmp_path, RECORD, COMPARED) == {}
    assert verdicts.stored_decisions(None, RECORD, COMPARED) == {}


def test_the_committed_stamp_matches_the_committed_fidelity_file():
    stored = json.loads((files.RECONSTRUCTED_DIR / files.CERTIFICATES_FILE).read_text(encoding="utf-8"))
    assert {name: stored[name] for name in verdicts.STAMP_FIELDS} == verdicts.stamp(RECORD, COMPARED)


def test_anchored_sample_has_exactly_the_three_quartiles():
    for size in (15, 16, 20, 21):
        values = verdicts._anchored_sample(size, 4.0, 6.0, 8.0)
        assert len(values) == size and stats.quartiles(values) == (4.0, 6.0, 8.0)


def test_every_verdict_in_fidelity_csv_other_than_reproduced_has_its_entry():
    stored = certificates.load(files.RECONSTRUCTED_DIR / files.CERTIFICATES_FILE)
    keys = {tuple(entry["key"]): entry["verdict"] for entry in stored["decisions"]}
    for row in FIDELITY.itertuples(index=False):
        if row.status not in ("reproduced", "open_question"):
            assert keys[(row.source, row.variable, row.group, row.statistic)] == row.status
