"""The report's SVG charts: scores in, coordinates out, one module per chart.

Pure on purpose, like `assessment.scoring`: frozen dataclasses, no database, and nothing of
Django's but its translations. The same
SVG is drawn in the report page and, by WeasyPrint, in the PDF (templates/reports/_*.html), so
everything the templates need (points, anchors, the text alternative) is worked out here and
rounded to one decimal, which keeps the output stable and testable. Values are on the 0-100
scale. What the charts share, plain geometry and the axis under stacked rows, is in `geometry`.
"""
