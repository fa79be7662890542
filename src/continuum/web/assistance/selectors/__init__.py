"""Reads for the DA workspace pages, by area: engagements (lists, level history, coaching log,
trainings attended), root causes and the MTSS lens, and the improvement pages (driver diagram,
measures, PDSA cycles). Callers pass what they obtained through an access helper."""
