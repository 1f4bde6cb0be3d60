"""Back up to USB and restore from backup (issue 9 item 3)."""
