"""The sites area: the list of sites with their A/B holders and warnings, the site detail, the site editor."""
