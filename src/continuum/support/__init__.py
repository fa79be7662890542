"""System of Support determinations: Differentiated Assistance, Level 3, ESSA, Equity Multiplier."""
