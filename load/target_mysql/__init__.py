"""target-mysql: the Singer target that loads HubSpot streams into MySQL (see target.py)."""
