"""Everything read out of assessments: scores, comparisons, the report, its charts and files.

Scores (`scores`, `datasets`), peers, progress, the sector, open data, exports, the maturity
report (`report`), its charts (`charts`) and its PDF (`pdf`), one module per concern.

Reporting reads; it never writes an answer. It imports the models and the pure scoring engine
(`assessment.scoring`); only the pages import it, with one way back: the snapshot that
submitting stores (`scores.take_snapshot`, docs/architecture.md).
"""
