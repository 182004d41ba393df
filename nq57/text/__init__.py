"""Text helpers shared by every app (plain Python, no Django): Vietnamese normalisation, folding, dates.

``nq57.text.vietnamese`` loads without the task extractor, so an app that only folds or compares names does not pay for
loading the agency registry and the extraction rules."""
