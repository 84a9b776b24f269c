"""tap-hubspot: a Singer tap for the HubSpot CRM, built on singer-sdk."""
