"""Fault runs (issue 10 item 3): the program killed at random points; see :mod:`faults.harness`."""
