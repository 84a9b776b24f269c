"""Tests of tap-hubspot."""
