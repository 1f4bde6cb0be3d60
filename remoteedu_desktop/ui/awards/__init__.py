"""Award campaigns (R14): a tab of the evaluation page."""
