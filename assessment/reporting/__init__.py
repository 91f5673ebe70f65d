"""Everything read out of assessments: scores, comparisons, the report, its charts and files.

Scores (`scores`, `datasets`), peers, progress, the sector, open data, exports, the maturity
report (`report`) and its executive summary (`summary`), its charts (`charts`), its documents
(`pdf`, `board_paper`) and the background work that makes and stores them (`documents`), one
module per concern.

Reporting reads; it never writes an answer. It stores only what it derives: snapshots, peer
scores and rendered documents. It imports the models and the pure scoring engine
(`assessment.scoring`); only the pages and the background tasks (`assessment.tasks`) import
it, with one way back: the snapshot that submitting stores (`scores.take_snapshot`,
docs/architecture.md).
"""
