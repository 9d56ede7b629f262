"""A unit's periodic return (Báo cáo định kỳ): storing it, filling in the form, validation, values
brought in from the plan, the narrative, the report it makes (its model, collected in one pass), and
its workflow — submitting freezes that report as a snapshot, reopening releases it."""
