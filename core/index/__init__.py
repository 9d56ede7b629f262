"""Chỉ số CCHC (PAR-Index): criteria sets imported from a decision's appendix, the unit's self-scoring with
evidence, the score workbook sent upward, appraisal and ranking at the level above."""
