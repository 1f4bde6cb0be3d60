"""The Sync page: this office's fingerprint, its peers, and the USB-stick exchange (issue 6)."""
