"""The report layer: each section's French text, display tables and figures, apart from the model.

The io and model modules (``helpers.io.ingest``, ``helpers.model.carbon`` …) read the inputs, compute numbers and
write the processed tables; the modules here turn a section's result into what its notebook shows and the published
diagnostic reads: ``helpers.report.ingest`` (the territory, the fleet and the import report), ``helpers.report.carbon``
(the balance), ``helpers.report.services`` (the services LCA and the RGESN figure), ``helpers.report.maturity`` (the
maturity questionnaire) and ``helpers.report.actions`` (the action plan and the trajectory). Nothing in ``helpers.io``,
``helpers.model`` or ``helpers.plan`` imports this package (``tests/run/test_layers.py``; its ``ALLOWED`` set lists the
exceptions and why).
"""
