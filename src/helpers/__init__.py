"""Computation package of the SNR diagnostic.

Modules are import-light on purpose: notebooks import only what they use, and heavy dependencies
(papermill, nbconvert) are imported inside the functions that need them.
"""

__version__ = "0.1.0"
