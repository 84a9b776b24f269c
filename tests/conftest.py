"""Shared fixtures: a MySQL database per test and the HubSpot API sandbox."""

pytest_plugins = ["tests.fixtures.mysql", "tests.fixtures.sandbox", "tests.fixtures.pipeline"]
