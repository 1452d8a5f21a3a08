"""The report layer: each section's French text, display tables and figures, apart from the model.

The model modules (``helpers.model.carbon`` …) compute numbers and write the processed tables; the modules here turn a
section's result into what its notebook shows and the published diagnostic reads: ``helpers.report.carbon`` (the
balance), ``helpers.report.services`` (the services LCA), ``helpers.report.actions`` (the action plan and the
trajectory).
"""
