"""The report layer: each section's French text, display tables and figures, apart from the model.

The model modules (``helpers.carbon`` …) compute numbers and write the processed tables; the modules here turn a
section's result into what its notebook shows and the published diagnostic reads. Started with the carbon balance
(``helpers.report.carbon``); the other sections still keep their display functions next to their model.
"""
