"""Everything read out of assessments: scores, peers, progress, the sector, open data, exports,
the maturity report, its charts and its PDF.

Reporting reads; it never writes an answer. It imports the models and the pure scoring engine
(`assessment.scoring`), and nothing here is imported by the models or the engine. The one way
back is the snapshot `assessment.workflow` stores on submitting (`scores.take_snapshot`).
"""
