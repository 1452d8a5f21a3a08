"""The action plan: scenarios of the catalogue evaluated on the model, ranked, costed and scheduled."""
