"""Running the study: paths, context, the sections' one definition, the notebook pipeline, publication, batch, CLI, scaffold, synthetic territories."""
