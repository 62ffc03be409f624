"""Flowsheets: units wired into routes."""
