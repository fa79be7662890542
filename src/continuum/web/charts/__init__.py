"""The web's one chart module: SVG geometry computed in Python, shapes placed by templates.

Every chart is a :class:`~continuum.web.charts.frame.Frame` (title, description, axes with
ticks, legend, the data as a table) plus the shapes of its kind, drawn by
``templates/charts/chart.html`` on screen and in the PDFs alike. Colours are CSS classes only
(the ``/* charts */`` section of ``static/continuum/site.css``), never inline styles.

* :mod:`~continuum.web.charts.equity`: groups of one indicator on one common scale.
* :mod:`~continuum.web.charts.trend`: an indicator's status year by year.
* :mod:`~continuum.web.charts.distribution`: how many LEAs or schools had each colour.
* :mod:`~continuum.web.charts.runchart`: a measure's run chart with its signals.
"""
