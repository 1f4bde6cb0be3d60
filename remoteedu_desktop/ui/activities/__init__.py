"""The activities page (R9, R13): teaching activities of the sites, the equipment register and fault repairs."""
