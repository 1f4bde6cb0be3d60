"""Services: the rules of DOMAIN.md applied to input, without Qt."""
