"""PDF output with ReportLab: dataclasses in, PDF bytes out. No Qt, no Session."""
