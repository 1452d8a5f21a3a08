"""Inputs: the readers and their schemas, the reference library of factors, the import and its report."""
