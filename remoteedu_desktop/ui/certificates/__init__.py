"""The certificates page (R11): eligibility, issue, register, preview and printing, verification."""
