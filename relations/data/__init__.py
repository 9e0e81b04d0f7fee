"""The data layer, one step a file, shared by the app, `validate` and the curation commands.

schema (datapackage.json) → reading (CSV cells as text, with lines) → validation (cell_rules,
record_rules, fidelity_rules, quote_rules) → loading (typed DataFrames for the app); the write path
beside it: curation (rows a command adds) → writing (validated whole, atomic, under a lock).
quotes, formulas and precision are the helpers the rules and the curation commands share."""
