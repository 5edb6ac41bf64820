"""Measures a researcher can validate: coding samples and sheets, coders' codes, agreement,
trained frame classifiers (issue #16)."""
