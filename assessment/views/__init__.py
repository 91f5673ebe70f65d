"""The service's pages: the officer's journey, the report and its downloads, the sector.

Thin on purpose: each view asks `assessment.access` what the user may do, calls one model,
workflow or reporting function, and renders or redirects.
"""
